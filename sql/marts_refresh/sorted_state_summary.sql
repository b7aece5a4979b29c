-- marts.state_summary in the order a whole rebuild writes it (sql/marts/state_summary.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.state_summary AS SELECT * FROM marts.state_summary ORDER BY state, period;
