-- Counties and county-equivalents from reference/counties.csv (FIPS kept as text: the leading zeros matter).
DELETE FROM core.dim_county;
INSERT INTO core.dim_county
SELECT
    county_fips,
    county_name,
    state,
    CAST(NULLIF(population_2022, '') AS BIGINT),
    CAST(NULLIF(rucc_2023, '') AS INTEGER),
    CAST(NULLIF(metro, '') AS BOOLEAN),
    NULLIF(urbanicity, '')
FROM read_csv($counties_csv, header = true, all_varchar = true)
ORDER BY county_fips;
