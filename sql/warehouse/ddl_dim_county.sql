CREATE TABLE IF NOT EXISTS core.dim_county (
    county_fips VARCHAR NOT NULL,
    county_name VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    population BIGINT,
    rucc_2023 INTEGER,
    metro BOOLEAN,
    urbanicity VARCHAR
);
