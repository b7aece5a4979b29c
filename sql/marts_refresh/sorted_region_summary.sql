-- marts.region_summary in the order a whole rebuild writes it (sql/marts/region_summary.sql), after periods
-- were replaced.
CREATE OR REPLACE TABLE marts.region_summary AS
SELECT * FROM marts.region_summary
ORDER BY
    list_position(['national', 'hhs_region', 'census_region', 'census_division', 'urbanicity'], region_type),
    region, period;
