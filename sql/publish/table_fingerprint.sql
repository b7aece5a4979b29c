-- A fingerprint of the rows of a whole table ({table}: schema-qualified, from sql/publish/table_columns.sql), for
-- the tables neither loaded by partition nor kept by period (dimensions, rosters): a spare copy whose recorded
-- fingerprint is this one already holds the table, which is not written again. Each row is hashed whole, so rows
-- that hold the same values in other pairings differ.
SELECT count(*) AS rows, CAST(sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS VARCHAR) AS fingerprint
FROM {table};
