-- Rows of one warehouse table, to report how large the 1x and 4x warehouses are.
SELECT count(*) FROM {table};
