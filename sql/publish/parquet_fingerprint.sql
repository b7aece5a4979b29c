-- The columns, types and a fingerprint of the rows of a mart's Parquet file as the last publish wrote it: a
-- file that already holds the mart (same columns, types and rows, compared with table_fingerprint.sql) is
-- not written again. Parquet keeps every type the marts use, so equal rows give equal fingerprints.
SELECT
    (SELECT list((column_name, column_type)) FROM (DESCRIBE SELECT * FROM read_parquet($path))) AS columns,
    count(*) AS rows,
    sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS fingerprint
FROM read_parquet($path);
