-- Generated from sql/templates/ordered_mart_periods.sql.j2 by pipelines.warehouse.sqlgen: do not edit.
-- The rows of the given periods of marts.workforce_summary ($periods), period by period, each period's rows in the
-- order its own SQL writes them (sql/marts/workforce_summary.sql), rows alike in that order then by every column: the
-- order of the period's Parquet file (analyst/parquet/workforce_summary/<period>.parquet). One read for every period a
-- publish writes, cut into files by period, rather than one filtered read per period. The table keeps no order
-- of its own (a refresh deletes and inserts the periods it recomputes), so a reader that needs one asks for it.
SELECT * FROM marts.workforce_summary
WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])))
ORDER BY period, state, period, role, COLUMNS(*);
