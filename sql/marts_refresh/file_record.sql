-- The count and a fingerprint of the rows of one of the files the marts' record keeps beside the warehouse
-- ($path: marts-partitions.parquet or marts-periods.parquet): marts-state.json holds the same pair for each file
-- as written, so a Parquet file that is not the one the record describes (cut short, or left by another build)
-- is not used.
SELECT count(*) AS rows, CAST(sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS VARCHAR) AS digest
FROM read_parquet($path);
