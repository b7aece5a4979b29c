-- Each state's roster.csv as last loaded: the grantees the state expects and for which periods.
CREATE TABLE IF NOT EXISTS core.roster (
    state VARCHAR NOT NULL,
    grantee_id VARCHAR NOT NULL,
    organization_name VARCHAR,
    first_period VARCHAR NOT NULL,
    last_period VARCHAR
);
