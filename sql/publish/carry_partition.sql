-- One partition of a table the partition loads write ({table}: schema-qualified, from
-- sql/publish/table_columns.sql), replaced in the spare (the database in use) by the writer's rows
-- ({catalog}: the writer's database).
DELETE FROM {table} WHERE state = $state AND period = $period;
INSERT INTO {table} SELECT * FROM "{catalog}".{table} WHERE state = $state AND period = $period;
