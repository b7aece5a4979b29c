-- The loaded partitions' rows of core.partition_versions, from their version records as the load left them
-- (after current_versions.sql); run period by period for every partition when an older warehouse is opened
-- (connection.py). Each version record is hashed whole (status, current flag, counts, identity, time
-- received), so two databases with equal fingerprints for a partition hold the same rows for it. The period
-- and state range are constants, so DuckDB skips other partitions' row groups.
DELETE FROM core.partition_versions
WHERE period = $period AND state BETWEEN $first_state AND $last_state
  AND list_contains(CAST($states AS VARCHAR[]), state);

INSERT INTO core.partition_versions
SELECT
    state,
    period,
    count(*) AS versions,
    CAST(sum(CAST(hash(
        grantee_id, version, sha256, received_at, source_path, archive_path, package_kind, status,
        is_current, error_count, warning_count, duplicate_of
    ) AS HUGEINT)) AS DECIMAL(38, 0)) AS fingerprint
FROM core.packages
WHERE period = $period AND state BETWEEN $first_state AND $last_state
  AND list_contains(CAST($states AS VARCHAR[]), state)
GROUP BY state, period;
