-- Generated from sql/templates/replace_mart.sql.j2 by pipelines.warehouse.sqlgen: do not edit.
-- marts.region_summary with the given periods' rows replaced by the rows computed for them (registered as
-- refreshed_rows, which may also hold rows of other periods they were computed from: those are not taken),
-- in the order a whole rebuild writes it (sql/marts/region_summary.sql): the table is written once.
CREATE OR REPLACE TABLE marts.region_summary AS
SELECT * FROM (
    SELECT * FROM marts.region_summary
    WHERE period IS NULL OR period NOT IN (SELECT unnest(CAST($periods AS VARCHAR[])))
    UNION ALL
    SELECT * FROM refreshed_rows
    WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])))
)
ORDER BY list_position(['national', 'hhs_region', 'census_region', 'census_division', 'urbanicity'], region_type), region, period;
