-- Every commit writes straight to the database file (a checkpoint) instead of to the log first and the file
-- again at the next checkpoint, which DuckDB makes when the connection closes anyway: a writer's and a copy's
-- changes are written once.
SET checkpoint_threshold = '0b';
