-- The bench's log holds figures; DuckDB's progress bar on long statements is noise in it.
SET enable_progress_bar = false
