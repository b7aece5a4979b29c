-- Each fiscal year's current accepted packages as a fingerprint of their rows, in the order of
-- downloads/packages.csv (pipelines/reports/packages_csv.py keeps the file as one part per fiscal year and
-- writes a part again only when its fingerprint changed). The fingerprint is the number of rows, the sum of a
-- 64-bit hash of every row's columns as written (order-free: the file orders a year's rows by state and
-- grantee) and their types (which decide how a value is written).
SELECT
    period,
    count(*) AS packages,
    concat_ws(
        ':',
        count(*),
        sum(hash(grantee_id, state, version, sha256, received_at)::HUGEINT),
        any_value(concat_ws(',', typeof(grantee_id), typeof(state), typeof(period), typeof(version),
            typeof(sha256), typeof(received_at)))
    ) AS fingerprint
FROM core.packages
WHERE is_current AND status = 'accepted'
GROUP BY period
ORDER BY period;
