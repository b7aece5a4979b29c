-- The scratch database a mart is computed in for some periods: in memory, inside the writer's own process, so
-- the input rows are copied by DuckDB itself and never pass through Python. One left by an interrupted
-- refresh in this process is dropped first.
DETACH DATABASE IF EXISTS marts_scratch;
ATTACH ':memory:' AS marts_scratch;
