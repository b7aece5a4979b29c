-- The periods the scratch database shows of every input table keyed by period (sql/marts_refresh/period_view.sql).
CREATE TABLE marts_scratch.main.scratch_periods AS
SELECT unnest(CAST($periods AS VARCHAR[])) AS period;
