CREATE TABLE IF NOT EXISTS core.dim_period (
    period VARCHAR NOT NULL,
    fiscal_year INTEGER NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL
);
