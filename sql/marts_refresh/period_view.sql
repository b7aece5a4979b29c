-- The rows of the scratch periods of one input table of a mart ({table}: schema-qualified, from the mart's own
-- SQL; {catalog}: the writer's database), as a view of the scratch database where the mart is computed for
-- those periods only: DuckDB reads them from the writer's table while the mart is computed, copying nothing.
CREATE VIEW marts_scratch.{table} AS
SELECT * FROM "{catalog}".{table} WHERE period IN (SELECT period FROM marts_scratch.main.scratch_periods);
