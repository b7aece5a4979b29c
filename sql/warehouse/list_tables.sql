-- The warehouse's own tables (not DuckDB's catalog), schema by schema.
SELECT schema_name, table_name
FROM duckdb_tables()
WHERE database_name = current_database()
  AND schema_name IN ('raw', 'staging', 'core', 'marts')
ORDER BY schema_name, table_name;
