-- Every package version ever received, whatever its outcome. No key constraint: a partition load deletes and
-- re-inserts its versions inside one transaction, and uniqueness is kept by that load (and tested).
CREATE TABLE IF NOT EXISTS core.packages (
    grantee_id VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    sha256 VARCHAR,
    received_at TIMESTAMP,
    source_path VARCHAR,
    archive_path VARCHAR,
    package_kind VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ('accepted', 'rejected', 'duplicate')),
    is_current BOOLEAN NOT NULL DEFAULT false,
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    duplicate_of INTEGER
);
