-- One row per state and period with current accepted data: grantee counts by peer-run class, programs,
-- people served, funding and the paid peer workforce.
--   peer_staff_headcount      headcount of the peer_specialist and peer_supervisor roles (volunteers are not staff)
--   lived_experience_staff    lived_experience_count summed over every paid role (all roles but volunteer)
--   certified_peer_specialists certified_count summed over every role (empty = 0)
--   funding_per_participant   funding_usd / participants_served, rounded to cents; empty when nobody was served
CREATE OR REPLACE TABLE marts.state_summary AS
WITH grantees AS (
    SELECT
        state, period,
        count(*) AS grantees,
        count(*) FILTER (WHERE peer_run_class = 'peer_run') AS peer_run,
        count(*) FILTER (WHERE peer_run_class = 'peer_partnered') AS peer_partnered,
        count(*) FILTER (WHERE peer_run_class = 'other') AS other_class
    FROM core.grantees
    GROUP BY state, period
),
programs AS (
    SELECT state, period, count(*) AS programs, sum(participants_served) AS participants_served
    FROM core.programs
    GROUP BY state, period
),
funding AS (
    SELECT state, period, sum(amount_usd) AS funding_usd
    FROM core.funding
    GROUP BY state, period
),
workforce AS (
    SELECT
        state, period,
        sum(headcount) FILTER (WHERE role IN ('peer_specialist', 'peer_supervisor')) AS peer_staff_headcount,
        sum(lived_experience_count) FILTER (WHERE role <> 'volunteer') AS lived_experience_staff,
        sum(certified_count) AS certified_peer_specialists
    FROM core.workforce
    GROUP BY state, period
)
SELECT
    g.state,
    g.period,
    CAST(g.grantees AS BIGINT) AS grantees,
    CAST(g.peer_run AS BIGINT) AS peer_run,
    CAST(g.peer_partnered AS BIGINT) AS peer_partnered,
    CAST(g.other_class AS BIGINT) AS other_class,
    CAST(COALESCE(p.programs, 0) AS BIGINT) AS programs,
    CAST(COALESCE(p.participants_served, 0) AS BIGINT) AS participants_served,
    CAST(COALESCE(f.funding_usd, 0) AS DECIMAL(18, 2)) AS funding_usd,
    CAST(CASE WHEN p.participants_served > 0 THEN round(f.funding_usd / p.participants_served, 2) END
         AS DECIMAL(18, 2)) AS funding_per_participant,
    CAST(COALESCE(w.peer_staff_headcount, 0) AS BIGINT) AS peer_staff_headcount,
    CAST(COALESCE(w.lived_experience_staff, 0) AS BIGINT) AS lived_experience_staff,
    CAST(COALESCE(w.certified_peer_specialists, 0) AS BIGINT) AS certified_peer_specialists
FROM grantees AS g
LEFT JOIN programs AS p USING (state, period)
LEFT JOIN funding AS f USING (state, period)
LEFT JOIN workforce AS w USING (state, period)
ORDER BY g.state, g.period;
