-- One fingerprint per period of a mart ({table}: schema-qualified, from sql/publish/table_columns.sql): a copy
-- whose recorded fingerprint of a period is this one holds the writer's rows of that period, so only the periods
-- that differ are carried to the spare, and a Parquet file is written again only when a period differs. Each row
-- is hashed whole, so rows that hold the same values in other pairings differ.
SELECT period, count(*) AS rows, CAST(sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS VARCHAR) AS fingerprint
FROM {table}
GROUP BY period
ORDER BY period;
