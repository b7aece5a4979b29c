-- X06: a part greater than its whole (the contract's max naming another column). Both cells passed.
SELECT package_key, 'X06' AS rule_id, table_name, row_number, column_name, value_text AS value,
       json_object('other', other_column) AS args
FROM part_whole
WHERE value > other_value
