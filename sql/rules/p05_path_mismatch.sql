-- P05: grantee_id, state or reporting_period of the organization table differ from the package path.
-- Only cells that passed their cell rules; states are stored lower case, paths upper case.
SELECT o.package_key, 'P05' AS rule_id, 'organization' AS table_name, o.row_number,
       'grantee_id' AS column_name, o.grantee_id AS value, json_object('path_value', p.grantee_id) AS args
FROM organization o JOIN packages p USING (package_key)
WHERE o.grantee_id IS NOT NULL AND o.grantee_id <> p.grantee_id
UNION ALL
SELECT o.package_key, 'P05', 'organization', o.row_number, 'state', upper(o.state), json_object('path_value', p.state)
FROM organization o JOIN packages p USING (package_key)
WHERE o.state IS NOT NULL AND upper(o.state) <> upper(p.state)
UNION ALL
SELECT o.package_key, 'P05', 'organization', o.row_number, 'reporting_period', o.reporting_period,
       json_object('path_value', p.period)
FROM organization o JOIN packages p USING (package_key)
WHERE o.reporting_period IS NOT NULL AND o.reporting_period <> p.period
