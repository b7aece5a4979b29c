-- Every finding of every package version.
CREATE TABLE IF NOT EXISTS core.findings (
    grantee_id VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    rule_id VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    table_name VARCHAR,
    row_number BIGINT,
    column_name VARCHAR,
    value VARCHAR,
    message VARCHAR
);
