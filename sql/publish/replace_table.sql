-- Replace a whole table of the spare copy with the writer's rows (registered as incoming_rows): tables not
-- keyed by partition or period (dimensions, rosters; a mart whose rows have no period).
DELETE FROM {table};
INSERT INTO {table} SELECT * FROM incoming_rows;
