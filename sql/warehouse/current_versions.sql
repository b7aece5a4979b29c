-- The current version of each grantee and period of the partition is its latest accepted version; a
-- rejected or duplicate version is never current.
UPDATE core.packages AS t
SET is_current = COALESCE(t.status = 'accepted' AND t.version = latest.version, false)
FROM (
    SELECT p.grantee_id, p.period, MAX(p.version) FILTER (WHERE p.status = 'accepted') AS version
    FROM core.packages AS p
    WHERE p.state = $state AND p.period = $period
    GROUP BY p.grantee_id, p.period
) AS latest
WHERE t.state = $state AND t.period = $period
  AND t.grantee_id = latest.grantee_id AND t.period = latest.period;
