-- The rows of the given periods of one input table of a mart ({table}: schema-qualified, from the mart's
-- own SQL), copied into the scratch database where the mart is computed for those periods only.
SELECT * FROM {table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
