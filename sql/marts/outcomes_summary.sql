-- Outcomes by state, period and measure. A grantee that reports a measure for the whole organization
-- (empty program_id) is counted by that row alone, so its program rows are not added on top of it; a grantee
-- that reports only per program is counted by the sum of its program rows.
CREATE OR REPLACE TABLE marts.outcomes_summary AS
WITH per_grantee AS (
    SELECT
        state, period, grantee_id, measure,
        CASE WHEN bool_or(program_id IS NULL)
             THEN sum(respondents) FILTER (WHERE program_id IS NULL)
             ELSE sum(respondents) END AS respondents,
        CASE WHEN bool_or(program_id IS NULL)
             THEN sum(improved) FILTER (WHERE program_id IS NULL)
             ELSE sum(improved) END AS improved
    FROM core.outcomes
    GROUP BY state, period, grantee_id, measure
)
SELECT
    g.state,
    g.period,
    g.measure,
    c.label AS measure_label,
    CAST(count(*) AS BIGINT) AS grantees,
    CAST(sum(g.respondents) AS BIGINT) AS respondents,
    CAST(sum(g.improved) AS BIGINT) AS improved,
    CAST(sum(g.improved) / NULLIF(sum(g.respondents), 0) AS DOUBLE) AS improved_share
FROM per_grantee AS g
LEFT JOIN core.dim_code AS c ON c.code_list = 'measure' AND c.code = g.measure
GROUP BY g.state, g.period, g.measure, c.label
ORDER BY g.state, g.period, g.measure;
