-- Generated from sql/templates/ordered_mart.sql.j2 by pipelines.warehouse.sqlgen: do not edit.
-- The rows of marts.trend in the order its own SQL writes them (sql/marts/trend.sql), rows alike
-- in that order then by every column: the order of its one Parquet file when its rows have no period (no period
-- column, or no rows: analyst/parquet/trend/all.parquet; each period otherwise has its own file, written
-- from ordered_trend_periods.sql). The table keeps no order of its own (a refresh deletes and inserts the
-- periods it recomputes), so a reader that needs one asks for it.
SELECT * FROM marts.trend
ORDER BY state, period, measure, COLUMNS(*);
