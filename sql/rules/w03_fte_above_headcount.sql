-- W03: more full-time equivalents than people in the role.
SELECT package_key, 'W03' AS rule_id, 'workforce' AS table_name, row_number, 'fte' AS column_name,
       CAST(fte AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS args
FROM workforce
WHERE fte > headcount
