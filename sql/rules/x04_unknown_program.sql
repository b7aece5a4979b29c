-- X04: a reference (program_id in funding or outcomes) names no row of the referenced table.
-- Only checked when the referenced table is present with its required columns, so a missing programs
-- table is reported once (P02/P03), not once per reference.
SELECT c.package_key, 'X04' AS rule_id, c.table_name, c.row_number, c.column_name, c.value,
       CAST(NULL AS VARCHAR) AS args
FROM reference_cells c
JOIN table_status s ON s.package_key = c.package_key AND s.table_name = c.ref_table AND s.complete
WHERE NOT EXISTS (
    SELECT 1 FROM reference_values v
    WHERE v.package_key = c.package_key AND v.ref_table = c.ref_table
      AND v.ref_column = c.ref_column AND v.value = c.value
)
