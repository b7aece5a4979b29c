-- Per state and period, the roster against what was received, one row per grantee:
--   accepted       a version is current (the latest accepted one)
--   rejected       versions were received but none was accepted (error_count is the latest one's)
--   not_reported   on the roster for the period, nothing received
--   not_on_roster  received, but the state has a roster and the grantee is not on it for the period
-- A state without a roster has only accepted and rejected rows (on_roster empty). Roster periods are
-- inclusive. Only periods the pipeline has received packages for (in any state) are expected, so a roster
-- that reaches back before the pipeline started does not list years nobody was asked to report.
CREATE OR REPLACE TABLE marts.submission_status AS
WITH collected AS (
    SELECT DISTINCT period FROM core.packages
),
expected AS (
    SELECT r.state, d.period, r.grantee_id, r.organization_name
    FROM core.roster AS r
    JOIN collected AS d
      ON d.period >= r.first_period AND (r.last_period IS NULL OR d.period <= r.last_period)
),
received AS (
    SELECT
        state, period, grantee_id,
        max(version) AS latest_version,
        arg_max(status, version) AS latest_status,
        arg_max(duplicate_of, version) AS latest_duplicate_of,
        max(received_at) AS latest_received_at,
        max(version) FILTER (WHERE is_current) AS current_version,
        arg_max(error_count, version) FILTER (WHERE status <> 'duplicate') AS error_count,
        arg_max(warning_count, version) FILTER (WHERE status <> 'duplicate') AS warning_count
    FROM core.packages
    GROUP BY state, period, grantee_id
),
reported_names AS (
    -- The name a grantee wrote in its latest version, for grantees with nothing accepted and no roster name.
    SELECT state, period, grantee_id, version, min(organization_name) AS organization_name
    FROM raw.organization
    GROUP BY state, period, grantee_id, version
),
roster_states AS (
    SELECT DISTINCT state FROM core.roster
),
combined AS (
    SELECT
        COALESCE(e.state, r.state) AS state,
        COALESCE(e.period, r.period) AS period,
        COALESCE(e.grantee_id, r.grantee_id) AS grantee_id,
        e.organization_name AS roster_name,
        e.grantee_id IS NOT NULL AS listed,
        r.grantee_id IS NOT NULL AS was_received,
        r.latest_version, r.latest_status, r.latest_duplicate_of, r.latest_received_at, r.current_version,
        r.error_count, r.warning_count
    FROM expected AS e
    FULL OUTER JOIN received AS r USING (state, period, grantee_id)
)
SELECT
    c.state,
    c.period,
    c.grantee_id,
    COALESCE(g.organization_name, c.roster_name, n.organization_name) AS organization_name,
    CASE WHEN rs.state IS NULL THEN NULL ELSE c.listed END AS on_roster,
    CASE
        WHEN NOT c.was_received THEN 'not_reported'
        WHEN rs.state IS NOT NULL AND NOT c.listed THEN 'not_on_roster'
        WHEN c.current_version IS NOT NULL THEN 'accepted'
        ELSE 'rejected'
    END AS status,
    CAST(c.latest_version AS INTEGER) AS latest_version,
    c.latest_status,
    CAST(c.latest_duplicate_of AS INTEGER) AS latest_duplicate_of,
    c.latest_received_at,
    CAST(c.current_version AS INTEGER) AS current_version,
    CAST(c.error_count AS INTEGER) AS error_count,
    CAST(c.warning_count AS INTEGER) AS warning_count
FROM combined AS c
LEFT JOIN roster_states AS rs ON rs.state = c.state
LEFT JOIN core.grantees AS g ON g.grantee_id = c.grantee_id AND g.period = c.period
LEFT JOIN reported_names AS n
  ON n.state = c.state AND n.period = c.period AND n.grantee_id = c.grantee_id AND n.version = c.latest_version
ORDER BY c.state, c.period, c.grantee_id;
