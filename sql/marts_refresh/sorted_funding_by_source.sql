-- marts.funding_by_source in the order a whole rebuild writes it (sql/marts/funding_by_source.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.funding_by_source AS SELECT * FROM marts.funding_by_source ORDER BY state, period, funding_source;
