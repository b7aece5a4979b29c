-- Each mart's rows as the marts' record has them ($path: marts-periods.parquet, one row per mart and period): a
-- mart that holds another number of rows is not the one recorded, and is rebuilt whole.
SELECT mart, CAST(sum(rows) AS BIGINT) AS rows FROM read_parquet($path) GROUP BY mart ORDER BY mart;
