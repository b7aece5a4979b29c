-- A fingerprint of a mart's rows ({mart} is a name from pipelines.warehouse.marts.MARTS): the marts must be
-- the ones the last refresh left, else they are rebuilt whole.
SELECT count(*) AS rows, sum(CAST(hash(COLUMNS(*)) AS HUGEINT)) AS fingerprint FROM marts.{mart};
