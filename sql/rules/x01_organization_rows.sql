-- X01: a table the contract says has exactly one row (organization) has none or several.
-- No rows: one finding for the table. Several: one finding on every row after the first.
SELECT s.package_key, 'X01' AS rule_id, s.table_name, CAST(NULL AS BIGINT) AS row_number,
       CAST(NULL AS VARCHAR) AS column_name, CAST(s.n_rows AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS args
FROM table_status s
WHERE s.rows_rule = 'exactly_one' AND s.present AND s.n_rows = 0
UNION ALL
SELECT r.package_key, 'X01', r.table_name, r.row_number, NULL, CAST(s.n_rows AS VARCHAR), NULL
FROM (
    SELECT *, row_number() OVER (PARTITION BY package_key, table_name ORDER BY row_number) AS position
    FROM table_rows
) r
JOIN table_status s USING (package_key, table_name)
WHERE s.rows_rule = 'exactly_one' AND r.position > 1
