-- marts.workforce_summary in the order a whole rebuild writes it (sql/marts/workforce_summary.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.workforce_summary AS SELECT * FROM marts.workforce_summary ORDER BY state, period, role;
