-- How many of the periods about to be recomputed (registered as held_periods: mart, period, rows, fingerprint,
-- from period_fingerprints.sql) hold rows other than those the marts' record has for them ($path:
-- marts-periods.parquet; a period it does not list holds no rows). Any: the marts are not the ones recorded,
-- and are rebuilt whole.
SELECT count(*) AS unlike
FROM held_periods AS h
LEFT JOIN read_parquet($path) AS r USING (mart, period)
WHERE h.rows <> coalesce(r.rows, 0) OR h.fingerprint <> coalesce(r.fingerprint, 0);
