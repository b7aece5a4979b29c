-- W02: fewer service contacts than participants served.
SELECT package_key, 'W02' AS rule_id, 'programs' AS table_name, row_number, 'contacts' AS column_name,
       CAST(contacts AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS args
FROM programs
WHERE contacts < participants_served
