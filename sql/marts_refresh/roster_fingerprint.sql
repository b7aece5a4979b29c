-- A fingerprint of every state's roster: submission_status is rebuilt whole when it changes.
SELECT count(*) AS rows, sum(CAST(hash(state, grantee_id, organization_name, first_period, last_period) AS HUGEINT)) AS fingerprint
FROM core.roster;
