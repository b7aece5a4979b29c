-- Comments of raw, staging and core tables and their columns (column_name empty for a table's own comment):
-- the dictionary's comments are set again only when these differ from them.
SELECT schema_name, table_name, NULL AS column_name, comment
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name IN ('raw', 'staging', 'core')
UNION ALL
SELECT schema_name, table_name, column_name, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name IN ('raw', 'staging', 'core')
ORDER BY schema_name, table_name, column_name NULLS FIRST;
