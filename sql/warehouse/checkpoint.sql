-- Write everything to the database file now, so the copy is complete without its WAL.
CHECKPOINT;
