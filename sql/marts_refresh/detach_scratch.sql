-- The scratch database is dropped once the marts' rows of the periods are read from it.
DETACH DATABASE IF EXISTS marts_scratch;
