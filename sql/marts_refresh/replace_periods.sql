-- Replace a mart's rows of the given periods ({table}: marts.<name>) with the rows computed for them (registered
-- as refreshed_rows, which may also hold rows of other periods they were computed from: those are not taken),
-- inside the caller's transaction. The mart's other periods are neither read nor written again, so the table
-- keeps no row order: every reader orders (sql/reports/, sql/publish/generated/ordered_<mart>.sql).
DELETE FROM {table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
INSERT INTO {table} BY NAME
SELECT * FROM refreshed_rows WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
