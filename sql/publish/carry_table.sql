-- A whole table ({table}: dimensions, rosters, a mart without a period), replaced in the spare (the database in
-- use) by the writer's rows ({catalog}: the writer's database).
DELETE FROM {table};
INSERT INTO {table} SELECT * FROM "{catalog}".{table};
