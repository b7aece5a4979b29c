-- The scratch database a mart is computed in for some periods: in memory, inside the writer's own process,
-- holding views of the writer's tables (sql/marts_refresh/period_view.sql), so no input row is copied and none
-- passes through Python. One left by an interrupted refresh in this process is dropped first.
DETACH DATABASE IF EXISTS marts_scratch;
ATTACH ':memory:' AS marts_scratch;
