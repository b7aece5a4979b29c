-- Generated from sql/templates/replace_mart.sql.j2 by pipelines.warehouse.sqlgen: do not edit.
-- marts.submission_status with the given periods' rows replaced by the rows computed for them (registered as
-- refreshed_rows, which may also hold rows of other periods they were computed from: those are not taken),
-- in the order a whole rebuild writes it (sql/marts/submission_status.sql): the table is written once.
CREATE OR REPLACE TABLE marts.submission_status AS
SELECT * FROM (
    SELECT * FROM marts.submission_status
    WHERE period IS NULL OR period NOT IN (SELECT unnest(CAST($periods AS VARCHAR[])))
    UNION ALL
    SELECT * FROM refreshed_rows
    WHERE period IN (SELECT unnest(CAST($periods AS VARCHAR[])))
)
ORDER BY state, period, grantee_id;
