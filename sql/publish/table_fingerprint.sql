-- The columns, types and a fingerprint of the rows of a whole table ({table}: schema-qualified, from
-- sql/publish/table_columns.sql): a spare copy's table, or a mart's Parquet file (parquet_fingerprint.sql), that
-- already holds these is not written again. Each row is hashed whole, so rows that hold the same values in
-- other pairings differ.
SELECT
    (SELECT list((column_name, column_type)) FROM (DESCRIBE {table})) AS columns,
    count(*) AS rows,
    sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS fingerprint
FROM {table};
