SELECT
    state, period, grantee_id, organization_name, status, error_count,
    current_version, latest_version, latest_status, latest_duplicate_of, latest_received_at
FROM marts.submission_status
SEMI JOIN shown_pairs USING (state, period)
ORDER BY period, state, grantee_id;
