-- Findings of the incoming versions (registered as incoming_findings, keyed by package_key).
DELETE FROM core.findings AS t
USING incoming_packages AS p
WHERE t.period = $period AND t.state BETWEEN $first_state AND $last_state
  AND t.grantee_id = p.grantee_id AND t.state = p.state AND t.period = p.period AND t.version = p.version;
INSERT INTO core.findings (
    grantee_id, state, period, version, rule_id, severity, table_name, row_number, column_name, value, message
)
SELECT
    p.grantee_id, p.state, p.period, p.version, f.rule_id, f.severity, f.table_name,
    CAST(f.row_number AS BIGINT), f.column_name, f.value, f.message
FROM incoming_findings AS f
JOIN incoming_packages AS p USING (package_key)
ORDER BY p.state, p.grantee_id, p.version, f.finding_order;
