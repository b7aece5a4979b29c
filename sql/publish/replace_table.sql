-- Replace a whole table of the spare copy with the writer's rows (registered as incoming_rows): tables not
-- keyed by partition (dimensions, rosters, marts).
DELETE FROM {table};
INSERT INTO {table} SELECT * FROM incoming_rows;
