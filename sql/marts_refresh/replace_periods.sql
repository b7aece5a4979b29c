-- Replace the given periods of a mart ({mart}: a name from pipelines.warehouse.marts.MARTS) with the rows
-- computed for them (registered as refreshed_rows, which may also hold rows of other periods it was computed
-- from: those are not taken).
DELETE FROM marts.{mart} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
INSERT INTO marts.{mart}
SELECT * FROM refreshed_rows WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
