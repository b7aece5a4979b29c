-- A fingerprint of the given periods' rows of a mart ({table}: marts.<name>, or refreshed_rows, the rows just
-- computed for those periods): a mart that already holds these rows is left as it is. Each row is hashed
-- whole, so rows that hold the same values in other pairings differ.
SELECT count(*) AS rows, sum(CAST(hash(*COLUMNS(*)) AS HUGEINT)) AS fingerprint
FROM {table}
WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
