-- Copy the rows of the given periods into the same table under fiscal years shifted back by $shift years.
-- {table} is a schema-qualified name from sql/bench/period_tables.sql (identifiers cannot be parameters).
INSERT INTO {table}
SELECT * REPLACE ('FY' || CAST(CAST(substr(period, 3) AS INTEGER) - $shift AS VARCHAR) AS period)
FROM {table}
WHERE list_contains($periods, period);
