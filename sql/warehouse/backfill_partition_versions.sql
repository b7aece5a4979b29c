-- Fill core.partition_versions of a warehouse made before it existed with the rows computed from its version
-- records (sql/warehouse/partition_versions_of_packages.sql, registered as computed_partition_versions).
INSERT INTO core.partition_versions SELECT state, period, versions, fingerprint FROM computed_partition_versions;
