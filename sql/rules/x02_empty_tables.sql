-- X02: a table the contract says has at least one row (programs, funding) has a header but no row.
SELECT package_key, 'X02' AS rule_id, table_name, CAST(NULL AS BIGINT) AS row_number,
       CAST(NULL AS VARCHAR) AS column_name, CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS args
FROM table_status
WHERE rows_rule = 'at_least_one' AND present AND n_rows = 0
