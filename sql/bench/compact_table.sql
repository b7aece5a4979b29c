-- Write a table's rows again, in the same order, into full row groups: each replicating INSERT leaves the row
-- group it ended in part-filled, and DuckDB merges such row groups at the first checkpoint after a delete, so
-- the first partition load into a freshly inflated warehouse would rewrite whole tables. A warehouse loaded
-- over the years has had those merges spread over its loads. One thread writes: parallel writers each leave a
-- part-filled row group of their own (at 10x, 17 row groups where 11 hold the rows). {table}: schema-qualified,
-- from sql/bench/period_tables.sql.
CREATE TEMP TABLE compacted AS SELECT * FROM {table};
DELETE FROM {table};
SET threads = 1;
INSERT INTO {table} SELECT * FROM compacted;
RESET threads;
DROP TABLE compacted;
