-- The given periods of a mart ({table}), replaced in the spare (the database in use) by the writer's rows
-- ({catalog}: the writer's database).
DELETE FROM {table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
INSERT INTO {table} SELECT * FROM "{catalog}".{table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
