-- Programs, the grantees running them and people served, by state, period and program type.
CREATE OR REPLACE TABLE marts.programs_by_type AS
SELECT
    p.state,
    p.period,
    p.program_type,
    t.label AS program_type_label,
    CAST(count(*) AS BIGINT) AS programs,
    CAST(count(DISTINCT p.grantee_id) AS BIGINT) AS grantees,
    CAST(sum(p.participants_served) AS BIGINT) AS participants_served
FROM core.programs AS p
LEFT JOIN core.dim_program_type AS t USING (program_type)
GROUP BY p.state, p.period, p.program_type, t.label
ORDER BY p.state, p.period, p.program_type;
