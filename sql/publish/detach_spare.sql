-- The spare ({catalog}) is detached (its file closed) before it is moved into place as the analysts' copy.
DETACH DATABASE IF EXISTS "{catalog}";
