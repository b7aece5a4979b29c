-- W04 history: for each grantee asked about, the most recent period before $period that has a current
-- accepted version, and that version's total funding. Grantees with no such period get no row.
-- Only the state's rows are read: a grantee's accepted versions are all in its own state (P05).
WITH earlier AS (
    SELECT
        p.grantee_id, p.period, p.version,
        row_number() OVER (PARTITION BY p.grantee_id ORDER BY p.period DESC) AS recency
    FROM core.packages AS p
    WHERE p.state = $state
      AND p.is_current
      AND p.status = 'accepted'
      AND p.period < $period
      AND p.grantee_id IN (SELECT unnest(CAST($grantee_ids AS VARCHAR[])))
)
SELECT
    e.grantee_id,
    e.period AS previous_period,
    CAST(COALESCE(SUM(f.amount_usd), 0) AS DOUBLE) AS previous_funding_total
FROM earlier AS e
LEFT JOIN staging.funding AS f
  ON f.grantee_id = e.grantee_id AND f.period = e.period AND f.version = e.version AND f.state = $state
WHERE e.recency = 1
GROUP BY e.grantee_id, e.period
ORDER BY e.grantee_id;
