-- X05: a county_fips that is not a county of the state in the package PATH (an organization state that
-- differs from the path is P05's business, not this rule's).
SELECT c.package_key, 'X05' AS rule_id, c.table_name, c.row_number, c.column_name, c.value,
       json_object('state', coalesce(st.state_name, p.state)) AS args
FROM county_cells c
JOIN packages p USING (package_key)
LEFT JOIN states st ON st.state = p.state
WHERE NOT EXISTS (
    SELECT 1 FROM counties k WHERE k.county_fips = c.value AND k.state = p.state
)
