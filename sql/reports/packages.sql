-- The packages behind the published figures: the current accepted version of each grantee and period.
SELECT grantee_id, state, period, version, sha256, received_at
FROM core.packages
WHERE is_current AND status = 'accepted'
ORDER BY period, state, grantee_id;
