-- The marts' record after a refresh: the periods recorded ($path: marts-periods.parquet) but those recomputed
-- (registered as refreshed_periods: mart, period, rows, fingerprint) and every period of the marts rebuilt whole
-- ($rebuilt, whose every period is in refreshed_periods), then the fingerprints of those; a period without rows
-- is not kept.
SELECT mart, period, rows, fingerprint
FROM read_parquet($path) AS r
WHERE NOT list_contains(CAST($rebuilt AS VARCHAR[]), r.mart)
  AND NOT EXISTS (SELECT 1 FROM refreshed_periods AS n WHERE n.mart = r.mart AND n.period = r.period)
UNION ALL
SELECT mart, period, rows, fingerprint FROM refreshed_periods WHERE rows > 0
ORDER BY mart, period;
