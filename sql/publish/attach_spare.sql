-- The spare copy ({path}: its file, quotes doubled), attached to the writer's own connection as {catalog} so
-- that its rows are carried over by DuckDB itself, table to table, never through Python. One left attached by an
-- interrupted publish in this process is detached first. Fails while a reader still has the file open (DuckDB's
-- lock).
DETACH DATABASE IF EXISTS "{catalog}";
ATTACH '{path}' AS "{catalog}";
