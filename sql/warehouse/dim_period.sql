-- Every fiscal year the warehouse mentions (packages and rosters). FY2026 = 2025-10-01 .. 2026-09-30.
DELETE FROM core.dim_period;
INSERT INTO core.dim_period
SELECT
    period,
    CAST(substr(period, 3) AS INTEGER) AS fiscal_year,
    make_date(CAST(substr(period, 3) AS INTEGER) - 1, 10, 1) AS start_date,
    make_date(CAST(substr(period, 3) AS INTEGER), 9, 30) AS end_date
FROM (
    SELECT period FROM core.packages
    UNION SELECT first_period FROM core.roster
    UNION SELECT last_period FROM core.roster
) AS mentioned
WHERE regexp_full_match(period, 'FY[0-9]{4}')
ORDER BY period;
