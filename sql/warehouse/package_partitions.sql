-- The partitions that have version records, by period (each period's states in order): what
-- record_partition_versions.sql is run for to fill core.partition_versions of a warehouse made before it.
SELECT period, list(DISTINCT state ORDER BY state) AS states
FROM core.packages
GROUP BY period
ORDER BY period;
