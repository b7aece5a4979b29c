-- Generated from sql/templates/ordered_mart.sql.j2 by pipelines.warehouse.sqlgen: do not edit.
-- The rows of marts.programs_by_type in the order its own SQL writes them (sql/marts/programs_by_type.sql), rows alike
-- in that order then by every column: the order of its one Parquet file when its rows have no period (no period
-- column, or no rows: analyst/parquet/programs_by_type/all.parquet; each period otherwise has its own file, written
-- from ordered_programs_by_type_periods.sql). The table keeps no order of its own (a refresh deletes and inserts the
-- periods it recomputes), so a reader that needs one asks for it.
SELECT * FROM marts.programs_by_type
ORDER BY state, period, program_type, COLUMNS(*);
