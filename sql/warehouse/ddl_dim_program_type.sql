CREATE TABLE IF NOT EXISTS core.dim_program_type (
    program_type VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    description VARCHAR
);
