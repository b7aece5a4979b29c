-- Columns of the warehouse's own tables, in table order: the spare copy can be brought up to date from the
-- writer only when both list the same.
SELECT schema_name, table_name, column_name, data_type
FROM duckdb_columns()
WHERE database_name = current_database()
  AND schema_name IN ('raw', 'staging', 'core', 'marts')
ORDER BY schema_name, table_name, column_index;
