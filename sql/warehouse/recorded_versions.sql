-- Every recorded package version, for outputs that must exist per version (feedback files).
SELECT grantee_id, state, period, version, status, error_count, warning_count, duplicate_of
FROM core.packages
ORDER BY state, period, grantee_id, version;
