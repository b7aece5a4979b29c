-- A fingerprint of the listed states' rosters ({table}: core.roster, or incoming_roster, the rosters just
-- read): rosters that are already the warehouse's are not written again.
SELECT count(*) AS rows,
       sum(CAST(hash(state, grantee_id, organization_name, first_period, NULLIF(last_period, '')) AS HUGEINT))
           AS fingerprint
FROM {table}
WHERE list_contains(CAST($states AS VARCHAR[]), state);
