-- W04: total funding more than w04_ratio times, or less than 1/w04_ratio of, the previous accepted
-- period's total. Never when either total is 0 or there is no previous period.
WITH totals AS (
    SELECT package_key, sum(amount_usd) AS total
    FROM funding
    GROUP BY package_key
    HAVING count(amount_usd) > 0
)
SELECT p.package_key, 'W04' AS rule_id, 'funding' AS table_name, CAST(NULL AS BIGINT) AS row_number,
       'amount_usd' AS column_name, CAST(t.total AS VARCHAR) AS value,
       json_object('previous_period', p.previous_period,
                   'previous_total', format('{:,.2f}', p.previous_funding_total)) AS args
FROM packages p
JOIN totals t USING (package_key)
WHERE p.previous_funding_total IS NOT NULL AND p.previous_funding_total > 0 AND t.total > 0
  AND (t.total > p.previous_funding_total * p.w04_ratio OR t.total * p.w04_ratio < p.previous_funding_total)
