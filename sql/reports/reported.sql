-- Every (state, fiscal year) a state reported in: an accepted package, or a grantee expected or heard from
-- (reported_pairs, sql/reports/shown_pairs.sql).
SELECT state, period
FROM reported_pairs
ORDER BY period, state;
