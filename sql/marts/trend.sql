-- Each state_summary measure of a state and period beside the same measure one fiscal year earlier
-- (FY2026 against FY2025). previous_value, change and change_share are empty when the state has no data
-- for that year.
CREATE OR REPLACE TABLE marts.trend AS
WITH measures AS (
    SELECT *
    FROM (
        SELECT
            state, period,
            CAST(grantees AS DECIMAL(18, 2)) AS grantees,
            CAST(peer_run AS DECIMAL(18, 2)) AS peer_run,
            CAST(peer_partnered AS DECIMAL(18, 2)) AS peer_partnered,
            CAST(other_class AS DECIMAL(18, 2)) AS other_class,
            CAST(programs AS DECIMAL(18, 2)) AS programs,
            CAST(participants_served AS DECIMAL(18, 2)) AS participants_served,
            CAST(funding_usd AS DECIMAL(18, 2)) AS funding_usd,
            CAST(funding_per_participant AS DECIMAL(18, 2)) AS funding_per_participant,
            CAST(peer_staff_headcount AS DECIMAL(18, 2)) AS peer_staff_headcount,
            CAST(lived_experience_staff AS DECIMAL(18, 2)) AS lived_experience_staff,
            CAST(certified_peer_specialists AS DECIMAL(18, 2)) AS certified_peer_specialists
        FROM marts.state_summary
    ) UNPIVOT INCLUDE NULLS (value FOR measure IN (COLUMNS(* EXCLUDE (state, period))))
),
dated AS (
    SELECT *, 'FY' || CAST(CAST(substr(period, 3) AS INTEGER) - 1 AS VARCHAR) AS previous_period
    FROM measures
)
SELECT
    d.state,
    d.period,
    d.measure,
    d.value,
    d.previous_period,
    p.value AS previous_value,
    d.value - p.value AS change,
    CAST((d.value - p.value) / NULLIF(p.value, 0) AS DOUBLE) AS change_share
FROM dated AS d
LEFT JOIN measures AS p
  ON p.state = d.state AND p.period = d.previous_period AND p.measure = d.measure
ORDER BY d.state, d.period, d.measure;
