-- Tables of the warehouse's raw, staging and core schemas keyed by period: the ones the benchmark's 4x
-- warehouse replicates under other fiscal years (marts are rebuilt from core, dims from core.packages).
SELECT DISTINCT schema_name, table_name
FROM duckdb_columns()
WHERE database_name = current_database()
  AND schema_name IN ('raw', 'staging', 'core')
  AND column_name = 'period'
ORDER BY schema_name, table_name;
