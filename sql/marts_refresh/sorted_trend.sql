-- marts.trend in the order a whole rebuild writes it (sql/marts/trend.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.trend AS SELECT * FROM marts.trend ORDER BY state, period, measure;
