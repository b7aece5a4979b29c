-- Replace the rosters of the states listed with the rows registered as incoming_roster (state first).
DELETE FROM core.roster WHERE list_contains(CAST($states AS VARCHAR[]), state);
INSERT INTO core.roster (state, grantee_id, organization_name, first_period, last_period)
SELECT state, grantee_id, organization_name, first_period, NULLIF(last_period, '')
FROM incoming_roster
ORDER BY state, grantee_id;
