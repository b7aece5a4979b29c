-- True when core.partition_versions is empty while core.packages is not: a warehouse made before the table
-- existed (a load always leaves a row for each partition it loads), whose rows are then filled in once.
SELECT NOT EXISTS (SELECT 1 FROM core.partition_versions) AND EXISTS (SELECT 1 FROM core.packages);
