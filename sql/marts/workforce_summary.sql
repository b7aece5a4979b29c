-- The workforce by state, period and role (volunteer included, as its own role).
CREATE OR REPLACE TABLE marts.workforce_summary AS
SELECT
    w.state,
    w.period,
    w.role,
    c.label AS role_label,
    CAST(count(DISTINCT w.grantee_id) AS BIGINT) AS grantees,
    CAST(sum(w.headcount) AS BIGINT) AS headcount,
    CAST(sum(w.fte) AS DECIMAL(18, 2)) AS fte,
    CAST(sum(w.lived_experience_count) AS BIGINT) AS lived_experience_count,
    CAST(COALESCE(sum(w.certified_count), 0) AS BIGINT) AS certified_count,
    CAST(sum(w.lived_experience_count) / NULLIF(sum(w.headcount), 0) AS DOUBLE) AS lived_experience_share
FROM core.workforce AS w
LEFT JOIN core.dim_code AS c ON c.code_list = 'role' AND c.code = w.role
GROUP BY w.state, w.period, w.role, c.label
ORDER BY w.state, w.period, w.role;
