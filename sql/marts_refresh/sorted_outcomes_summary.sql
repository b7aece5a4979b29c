-- marts.outcomes_summary in the order a whole rebuild writes it (sql/marts/outcomes_summary.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.outcomes_summary AS SELECT * FROM marts.outcomes_summary ORDER BY state, period, measure;
