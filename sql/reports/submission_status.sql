SELECT state, period, grantee_id, organization_name, status, error_count, latest_version, latest_received_at
FROM marts.submission_status
ORDER BY period, state, grantee_id;
