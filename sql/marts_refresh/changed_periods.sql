-- The periods whose partitions differ between the warehouse's version records now (registered as
-- partitions_now, from warehouse/partition_fingerprints.sql) and as the last marts build recorded them
-- ($state_file: marts-partitions.parquet, the same columns), a partition present in one only included; and
-- whether the set of periods collected changed (submission_status expects rostered grantees in each of them).
WITH recorded AS (SELECT state, period, versions, fingerprint FROM read_parquet($state_file))
SELECT
    (SELECT coalesce(list(DISTINCT period ORDER BY period), []) FROM (
        SELECT coalesce(n.period, r.period) AS period
        FROM partitions_now AS n FULL JOIN recorded AS r ON n.state = r.state AND n.period = r.period
        WHERE n.versions IS DISTINCT FROM r.versions OR n.fingerprint IS DISTINCT FROM r.fingerprint
    )) AS changed,
    (SELECT list(DISTINCT period ORDER BY period) FROM partitions_now)
        IS DISTINCT FROM (SELECT list(DISTINCT period ORDER BY period) FROM recorded) AS collected_changed;
