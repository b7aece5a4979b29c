-- The (state, fiscal year) pairs the report frames other than a state's history are read for: each state's
-- latest year it reported in and the year before (Landscape._page_periods), from the same rows
-- state_summary.sql and submission_status.sql return. Every page shows only these years of those frames (the
-- national page its latest year, which is every state's latest that reported then), so the site reads them
-- whatever the length of the history.
CREATE OR REPLACE TEMP TABLE shown_pairs AS
WITH reported AS (
    SELECT s.state, s.period FROM marts.state_summary AS s JOIN core.dim_state AS d USING (state)
    UNION
    SELECT state, period FROM marts.submission_status
)
SELECT state, period
FROM reported
QUALIFY row_number() OVER (PARTITION BY state ORDER BY period DESC) <= 2;
