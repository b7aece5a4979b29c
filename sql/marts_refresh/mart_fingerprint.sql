-- A fingerprint of a mart's rows ({mart} is a name from pipelines.warehouse.marts.MARTS): the marts must be
-- the ones the last refresh left, else they are rebuilt whole. Each row is hashed whole, so rows that hold the
-- same values in other pairings differ.
SELECT count(*) AS rows, sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS fingerprint FROM marts.{mart};
