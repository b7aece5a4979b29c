-- X03: a key (unique column set of the contract) repeated within a package. An empty optional key cell
-- is a value of its own; rows whose required key cells failed their cell rule are not in unique_keys.
-- The first occurrence stands; every later one is reported.
SELECT package_key, 'X03' AS rule_id, table_name, row_number, key_columns AS column_name,
       key_display AS value, CAST(NULL AS VARCHAR) AS args
FROM (
    SELECT *, row_number() OVER (PARTITION BY package_key, table_name, key_columns, key_group
                                 ORDER BY row_number) AS occurrence
    FROM unique_keys
)
WHERE occurrence > 1
