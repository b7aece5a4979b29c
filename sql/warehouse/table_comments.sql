-- Comments of the warehouse's own tables.
SELECT schema_name, table_name, comment
FROM duckdb_tables()
WHERE database_name = current_database()
  AND schema_name IN ('raw', 'staging', 'core', 'marts')
ORDER BY schema_name, table_name;
