-- Replace the given periods of a spare copy's mart with the writer's rows of those periods (registered as
-- incoming_rows). The spare's rows are then in another order than the writer's (as its partitions' rows are);
-- the Parquet files are written from the writer, each in its mart's own order
-- (sql/publish/generated/ordered_<mart>.sql).
DELETE FROM {table} WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])));
INSERT INTO {table} SELECT * FROM incoming_rows;
