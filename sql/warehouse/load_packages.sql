-- Record the incoming versions (registered as incoming_packages: the partitions of one period being loaded).
-- A rerun of the same load replaces its own rows; is_current is decided afterwards for each whole partition
-- (current_versions.sql). The constant period and state range let DuckDB skip other partitions' row groups.
DELETE FROM core.packages AS t
USING incoming_packages AS p
WHERE t.period = $period AND t.state BETWEEN $first_state AND $last_state
  AND t.grantee_id = p.grantee_id AND t.state = p.state AND t.period = p.period AND t.version = p.version;
INSERT INTO core.packages (
    grantee_id, state, period, version, sha256, received_at, source_path, archive_path, package_kind,
    status, is_current, error_count, warning_count, duplicate_of
)
SELECT
    grantee_id, state, period, version, sha256, CAST(received_at AS TIMESTAMP), source_path, archive_path,
    package_kind, status, false, COALESCE(error_count, 0), COALESCE(warning_count, 0), duplicate_of
FROM incoming_packages
ORDER BY state, grantee_id, version;
