-- Columns of the warehouse's own tables with their types and comments, in table order.
SELECT schema_name, table_name, column_name, data_type, comment
FROM duckdb_columns()
WHERE database_name = current_database()
  AND schema_name IN ('raw', 'staging', 'core', 'marts')
ORDER BY schema_name, table_name, column_index;
