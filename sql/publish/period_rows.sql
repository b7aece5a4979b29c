-- The given periods of a writer's mart ({table}: schema-qualified, from sql/publish/table_columns.sql), to carry
-- over to the spare copy.
SELECT * FROM {table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
