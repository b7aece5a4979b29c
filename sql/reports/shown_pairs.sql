-- What the report frames are read for (run before them). reported_pairs: every (state, fiscal year) a state
-- reported in, from the rows state_summary.sql and submission_status.sql would return (the years a state page
-- covers; reported.sql). shown_pairs: each state's latest two of them (Landscape._page_periods). Every page
-- shows only these years of the frames other than a state's history (the national page its latest year, which
-- is the latest of every state that reported then), so the site reads them whatever the length of the history.
CREATE OR REPLACE TEMP TABLE reported_pairs AS
SELECT s.state, s.period FROM marts.state_summary AS s JOIN core.dim_state AS d USING (state)
UNION
SELECT state, period FROM marts.submission_status;

CREATE OR REPLACE TEMP TABLE shown_pairs AS
SELECT state, period
FROM reported_pairs
QUALIFY row_number() OVER (PARTITION BY state ORDER BY period DESC) <= 2;
