-- States from reference/states.csv; population is the sum of the state's county populations (empty for
-- Puerto Rico and the territories, whose municipios have no population in the reference file).
DELETE FROM core.dim_state;
INSERT INTO core.dim_state
SELECT
    s.state,
    s.state_fips,
    s.state_name,
    s.hhs_region,
    NULLIF(s.census_region, ''),
    NULLIF(s.census_division, ''),
    c.population
FROM read_csv($states_csv, header = true, all_varchar = true) AS s
LEFT JOIN (
    SELECT state, CAST(SUM(CAST(population_2022 AS BIGINT)) AS BIGINT) AS population
    FROM read_csv($counties_csv, header = true, all_varchar = true)
    GROUP BY state
) AS c USING (state)
ORDER BY s.state;
