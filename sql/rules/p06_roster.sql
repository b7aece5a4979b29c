-- P06: the grantee in the package path is not on the state's roster for the period.
-- on_roster is NULL where the state has no roster (rule not applied).
SELECT package_key, 'P06' AS rule_id, CAST(NULL AS VARCHAR) AS table_name, CAST(NULL AS BIGINT) AS row_number,
       'grantee_id' AS column_name, grantee_id AS value, CAST(NULL AS VARCHAR) AS args
FROM packages
WHERE on_roster = false
