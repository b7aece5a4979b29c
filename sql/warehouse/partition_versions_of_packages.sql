-- Every partition's row of core.partition_versions computed from core.packages whole, by the formula of
-- sql/warehouse/record_partition_versions.sql: fills the table of a warehouse made before it existed (see
-- backfill_partition_versions.sql), and lets tests compare the kept rows with the version records.
SELECT
    state,
    period,
    count(*) AS versions,
    CAST(sum(CAST(hash(
        grantee_id, version, sha256, received_at, source_path, archive_path, package_kind, status,
        is_current, error_count, warning_count, duplicate_of
    ) AS HUGEINT)) AS DECIMAL(38, 0)) AS fingerprint
FROM core.packages
GROUP BY state, period
ORDER BY state, period;
