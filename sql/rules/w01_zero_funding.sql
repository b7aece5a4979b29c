-- W01: the amounts that passed add up to zero (a funding table with no valid amount is not judged).
SELECT package_key, 'W01' AS rule_id, 'funding' AS table_name, CAST(NULL AS BIGINT) AS row_number,
       'amount_usd' AS column_name, '0' AS value, CAST(NULL AS VARCHAR) AS args
FROM funding
GROUP BY package_key
HAVING count(amount_usd) > 0 AND sum(amount_usd) = 0
