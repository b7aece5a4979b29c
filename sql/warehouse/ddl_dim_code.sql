CREATE TABLE IF NOT EXISTS core.dim_code (
    code_list VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    label VARCHAR NOT NULL
);
