-- A fingerprint of each of the given periods' rows of a mart ({table}: marts.<name>, or refreshed_rows, the rows
-- just computed for those periods), a period without rows included as (0, 0): what the marts' record keeps per
-- period ($mart names the mart there), and what tells whether a mart already holds the rows computed. Each row
-- is hashed whole, so rows that hold the same values in other pairings differ.
WITH asked AS (
    SELECT DISTINCT unnest(CAST($periods AS VARCHAR[])) AS period
),
held AS (
    SELECT period, count(*) AS rows, sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS fingerprint
    FROM {table}
    WHERE period IN (SELECT period FROM asked)
    GROUP BY period
)
SELECT
    CAST($mart AS VARCHAR) AS mart,
    a.period,
    CAST(coalesce(h.rows, 0) AS BIGINT) AS rows,
    coalesce(h.fingerprint, 0) AS fingerprint
FROM asked AS a
LEFT JOIN held AS h USING (period)
ORDER BY a.period;
