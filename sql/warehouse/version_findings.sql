-- The findings of the given package versions (keys 'grantee_id|period|version'), in recorded order.
SELECT grantee_id || '|' || period || '|' || CAST(version AS VARCHAR) AS package_key,
       rule_id, severity, table_name, row_number, column_name, value, message
FROM core.findings
WHERE list_contains($keys, grantee_id || '|' || period || '|' || CAST(version AS VARCHAR));
