-- What a page says of the packages behind it: each state's number of current accepted packages (one per
-- grantee and fiscal year) and when the latest was received. The national page sums and takes the latest.
SELECT state, count(*) AS packages, max(received_at) AS latest_received_at
FROM core.packages
WHERE is_current AND status = 'accepted'
GROUP BY state
ORDER BY state;
