-- The packages behind the published figures, of the fiscal years asked for: the current accepted version of
-- each grantee and period, in the order of downloads/packages.csv. A fiscal year is asked for by its place
-- ({parts}: 1-based, in the order of sql/reports/package_periods.sql; core.packages has no package without
-- one), a list of whole numbers written into this text: a parameter would make DuckDB's Python client import
-- pandas (seconds) for one value.
WITH wanted AS (
    SELECT period
    FROM (
        SELECT period, row_number() OVER (ORDER BY period) AS part
        FROM (SELECT DISTINCT period FROM core.packages WHERE is_current AND status = 'accepted')
    )
    WHERE part IN ({parts})
)
SELECT grantee_id, state, period, version, sha256, received_at
FROM core.packages
WHERE is_current AND status = 'accepted' AND period IN (FROM wanted)
ORDER BY period, state, grantee_id;
