-- One row per state and period: the state_summary mart with the state's name, population and regions.
SELECT
    s.state, d.state_name, s.period,
    s.grantees, s.peer_run, s.peer_partnered, s.other_class,
    s.programs, s.participants_served, s.funding_usd,
    s.peer_staff_headcount, s.lived_experience_staff, s.certified_peer_specialists,
    d.population, CAST(d.hhs_region AS VARCHAR) AS hhs_region, d.census_region
FROM marts.state_summary AS s
JOIN core.dim_state AS d USING (state)
ORDER BY s.period, s.state;
