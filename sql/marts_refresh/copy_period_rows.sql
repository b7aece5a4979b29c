-- The rows of the given periods of one input table of a mart ({table}: schema-qualified, from the mart's own
-- SQL; {catalog}: the writer's database), copied into the scratch database where the mart is computed for
-- those periods only.
CREATE TABLE marts_scratch.{table} AS
SELECT * FROM "{catalog}".{table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
