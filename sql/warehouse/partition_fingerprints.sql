-- One fingerprint per state x period of a database's version records. Every partition load records its
-- versions in core.packages (status, current flag, counts, identity, time received), so two databases with
-- equal fingerprints for a partition hold the same rows for it.
SELECT
    state,
    period,
    count(*) AS versions,
    sum(CAST(hash(
        grantee_id, version, sha256, received_at, source_path, archive_path, package_kind, status,
        is_current, error_count, warning_count, duplicate_of
    ) AS HUGEINT)) AS fingerprint
FROM core.packages
GROUP BY state, period
ORDER BY state, period;
