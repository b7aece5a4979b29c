-- Generated from sql/templates/ordered_mart.sql.j2 by pipelines.warehouse.sqlgen: do not edit.
-- The rows of marts.region_summary in the order its own SQL writes them (sql/marts/region_summary.sql), rows alike
-- in that order then by every column: the order of its one Parquet file when its rows have no period (no period
-- column, or no rows: analyst/parquet/region_summary/all.parquet; each period otherwise has its own file, written
-- from ordered_region_summary_periods.sql). The table keeps no order of its own (a refresh deletes and inserts the
-- periods it recomputes), so a reader that needs one asks for it.
SELECT * FROM marts.region_summary
ORDER BY list_position(['national', 'hhs_region', 'census_region', 'census_division', 'urbanicity'], region_type), region, period, COLUMNS(*);
