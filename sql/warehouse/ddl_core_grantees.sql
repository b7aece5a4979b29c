-- One row per grantee and period from the current accepted version: the organization table plus the
-- contract's peer-run classification (each criterion as its own boolean).
CREATE TABLE IF NOT EXISTS core.grantees (
    grantee_id VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    organization_name VARCHAR,
    reporting_period VARCHAR,
    county_fips VARCHAR,
    year_founded BIGINT,
    legal_status VARCHAR,
    autonomous BOOLEAN,
    accountable BOOLEAN,
    board_members_total BIGINT,
    board_members_lived_experience BIGINT,
    director_lived_experience BOOLEAN,
    cultural_focus VARCHAR,
    paid_staff_headcount BIGINT,
    paid_staff_lived_experience BIGINT,
    independent BOOLEAN,
    consumer_governed BOOLEAN,
    peer_staffed BOOLEAN,
    peer_run_class VARCHAR,
    failed_criteria VARCHAR
);
