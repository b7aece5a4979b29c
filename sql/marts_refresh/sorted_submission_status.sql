-- marts.submission_status in the order a whole rebuild writes it (sql/marts/submission_status.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.submission_status AS SELECT * FROM marts.submission_status ORDER BY state, period, grantee_id;
