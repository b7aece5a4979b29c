-- X07: a column required only when another column has a given value (program_type_other when
-- program_type is 'other') is empty, or left out of the table.
SELECT package_key, 'X07' AS rule_id, table_name, row_number, column_name, CAST(NULL AS VARCHAR) AS value,
       CAST(NULL AS VARCHAR) AS args
FROM required_when
WHERE value IS NULL
