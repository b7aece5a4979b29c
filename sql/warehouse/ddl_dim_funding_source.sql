CREATE TABLE IF NOT EXISTS core.dim_funding_source (
    funding_source VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    funding_category VARCHAR NOT NULL,
    funding_category_label VARCHAR
);
