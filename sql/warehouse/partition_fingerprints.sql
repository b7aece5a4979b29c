-- One fingerprint per state x period of a database's version records, as every partition load keeps them in
-- core.partition_versions (sql/warehouse/record_partition_versions.sql): two databases with equal fingerprints
-- for a partition hold the same rows for it. Read, not hashed: its cost follows the partitions, not the
-- versions of the history.
SELECT state, period, versions, fingerprint
FROM core.partition_versions
ORDER BY state, period;
