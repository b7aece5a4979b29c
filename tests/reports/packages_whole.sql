-- Every package behind the published figures, read whole (as the site did before packages.csv was kept in
-- parts): the current accepted version of each grantee and period, in the order of packages.csv.
SELECT grantee_id, state, period, version, sha256, received_at
FROM core.packages
WHERE is_current AND status = 'accepted'
ORDER BY period, state, grantee_id;
