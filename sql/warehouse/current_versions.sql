-- The current version of each grantee and period of the partitions being loaded (the states listed, in one
-- period) is its latest accepted version; a rejected or duplicate version is never current. The constant
-- period and state range let DuckDB skip the row groups of other partitions.
UPDATE core.packages AS t
SET is_current = COALESCE(t.status = 'accepted' AND t.version = latest.version, false)
FROM (
    SELECT p.state, p.grantee_id, p.period, MAX(p.version) FILTER (WHERE p.status = 'accepted') AS version
    FROM core.packages AS p
    WHERE p.period = $period AND p.state BETWEEN $first_state AND $last_state
      AND list_contains(CAST($states AS VARCHAR[]), p.state)
    GROUP BY p.state, p.grantee_id, p.period
) AS latest
WHERE t.period = $period AND t.state BETWEEN $first_state AND $last_state
  AND t.state = latest.state AND t.grantee_id = latest.grantee_id AND t.period = latest.period;
