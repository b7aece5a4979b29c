-- The packages behind the published figures, of the fiscal years asked for ($periods; $null_period: the
-- packages without one): the current accepted version of each grantee and period, in the order of
-- downloads/packages.csv.
SELECT grantee_id, state, period, version, sha256, received_at
FROM core.packages
WHERE is_current AND status = 'accepted'
    AND (list_contains($periods::VARCHAR[], period) OR ($null_period AND period IS NULL))
ORDER BY period, state, grantee_id;
