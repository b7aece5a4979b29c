-- One state x period of a writer's table, to carry over to the spare copy. {table} is a schema-qualified name
-- from sql/publish/table_columns.sql (identifiers cannot be parameters); the constant filters let DuckDB
-- skip every other partition's row groups.
SELECT * FROM {table} WHERE state = $state AND period = $period;
