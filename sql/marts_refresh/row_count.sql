-- The rows a mart holds ({table}: marts.<name>), compared with the sum of its periods' rows in the marts' record.
SELECT count(*) AS rows FROM {table};
