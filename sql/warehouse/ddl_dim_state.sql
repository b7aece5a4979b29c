CREATE TABLE IF NOT EXISTS core.dim_state (
    state VARCHAR NOT NULL,
    state_fips VARCHAR NOT NULL,
    state_name VARCHAR NOT NULL,
    hhs_region INTEGER,
    census_region VARCHAR,
    census_division VARCHAR,
    population BIGINT
);
