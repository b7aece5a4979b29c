-- One row per state x period that has version records: how many core.packages holds for it and their
-- fingerprint (sql/warehouse/record_partition_versions.sql). Every partition load writes its partitions' rows
-- in its own transaction, so the marts' refresh and the analysts' copy read the fingerprints of the whole
-- history here instead of hashing every version ever received. DECIMAL(38, 0), not HUGEINT: a copy made
-- through Arrow (the analysts' copy) keeps the same type.
CREATE TABLE IF NOT EXISTS core.partition_versions (
    state VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    versions BIGINT NOT NULL,
    fingerprint DECIMAL(38, 0) NOT NULL
);
