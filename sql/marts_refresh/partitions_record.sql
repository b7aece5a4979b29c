-- The count and a fingerprint of the partition fingerprints recorded in marts-partitions.parquet ($state_file):
-- marts-state.json holds the same pair as written, so a Parquet file that is not the one the record describes
-- (cut short, or left by another build) is not used.
SELECT count(*) AS partitions, CAST(sum(CAST(hash(state, period, versions, fingerprint) AS HUGEINT)) AS VARCHAR)
FROM read_parquet($state_file);
