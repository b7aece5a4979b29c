SELECT state, state_name, CAST(hhs_region AS VARCHAR) AS hhs_region, census_region, census_division, population
FROM core.dim_state
ORDER BY state;
