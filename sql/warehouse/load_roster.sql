-- Replace one state's roster with the rows registered as incoming_roster.
DELETE FROM core.roster WHERE state = $state;
INSERT INTO core.roster (state, grantee_id, organization_name, first_period, last_period)
SELECT $state, grantee_id, organization_name, first_period, NULLIF(last_period, '')
FROM incoming_roster
ORDER BY grantee_id;
