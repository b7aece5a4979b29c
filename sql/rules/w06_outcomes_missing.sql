-- W06: the optional outcomes table is absent (a header with no rows is present). Not reported when the
-- reader already could not read the package or that table.
SELECT package_key, 'W06' AS rule_id, table_name, CAST(NULL AS BIGINT) AS row_number,
       CAST(NULL AS VARCHAR) AS column_name, CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS args
FROM table_status
WHERE table_name = 'outcomes' AND NOT present AND NOT blocked
