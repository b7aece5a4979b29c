-- A fingerprint of each period's rows of a whole mart ({table}: marts.<name>; $mart names it in the marts'
-- record): after a whole build, and for submission_status when it is rebuilt whole. Each row is hashed whole,
-- as in period_fingerprints.sql.
SELECT
    CAST($mart AS VARCHAR) AS mart,
    period,
    CAST(count(*) AS BIGINT) AS rows,
    sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS fingerprint
FROM {table}
GROUP BY period
ORDER BY period;
