-- Replace the partition's grantees with the organization row of each current accepted version and the
-- contract's peer-run classification, read literally:
--   independent       legal_status is independent_nonprofit or fiscally_sponsored
--   autonomous        autonomous is true
--   accountable       accountable is true
--   consumer_governed the board is not empty and board_members_lived_experience >= $board_share of it
--   peer_staffed      director_lived_experience is true, there is paid staff (headcount of every role but
--                     volunteer) and at least $staff_share of that headcount has lived experience
-- peer_run = all five; peer_partnered = peer_staffed but not all five; other = anything else.
-- Run for the partitions being loaded (the states listed, in one period): the constant period and state range
-- let DuckDB skip the row groups of other partitions.
-- The shares come from contract.yaml as exact decimals, so 51 of 100 board members is 51 %, not 50.999...
DELETE FROM core.grantees
WHERE period = $period AND state BETWEEN $first_state AND $last_state
  AND list_contains(CAST($states AS VARCHAR[]), state);
INSERT INTO core.grantees
WITH current_org AS (
    SELECT o.*
    FROM staging.organization AS o
    JOIN core.packages AS p
      ON p.state = o.state AND p.grantee_id = o.grantee_id AND p.period = o.period AND p.version = o.version
    WHERE p.is_current AND p.period = $period AND p.state BETWEEN $first_state AND $last_state
      AND o.period = $period AND o.state BETWEEN $first_state AND $last_state
      AND list_contains(CAST($states AS VARCHAR[]), o.state)
),
staff AS (
    SELECT
        w.state, w.grantee_id, w.period, w.version,
        SUM(w.headcount) FILTER (WHERE w.role <> 'volunteer') AS paid_headcount,
        SUM(w.lived_experience_count) FILTER (WHERE w.role <> 'volunteer') AS paid_lived
    FROM staging.workforce AS w
    JOIN current_org AS o USING (state, grantee_id, period, version)
    WHERE w.period = $period AND w.state BETWEEN $first_state AND $last_state
    GROUP BY w.state, w.grantee_id, w.period, w.version
),
measured AS (
    SELECT
        o.*,
        CAST(COALESCE(s.paid_headcount, 0) AS BIGINT) AS paid_staff_headcount,
        CAST(COALESCE(s.paid_lived, 0) AS BIGINT) AS paid_staff_lived_experience
    FROM current_org AS o
    LEFT JOIN staff AS s USING (state, grantee_id, period, version)
),
criteria AS (
    SELECT
        m.*,
        COALESCE(m.legal_status IN ('independent_nonprofit', 'fiscally_sponsored'), false) AS is_independent,
        COALESCE(m.autonomous, false) AS is_autonomous,
        COALESCE(m.accountable, false) AS is_accountable,
        COALESCE(
            m.board_members_total > 0
            AND m.board_members_lived_experience >= CAST($board_share AS DECIMAL(9, 4)) * m.board_members_total,
            false) AS is_consumer_governed,
        COALESCE(
            m.director_lived_experience
            AND m.paid_staff_headcount > 0
            AND m.paid_staff_lived_experience >= CAST($staff_share AS DECIMAL(9, 4)) * m.paid_staff_headcount,
            false) AS is_peer_staffed
    FROM measured AS m
)
SELECT
    c.grantee_id,
    c.state,
    c.period,
    c.version,
    c.organization_name,
    c.reporting_period,
    c.county_fips,
    c.year_founded,
    c.legal_status,
    c.autonomous,
    c.accountable,
    c.board_members_total,
    c.board_members_lived_experience,
    c.director_lived_experience,
    c.cultural_focus,
    c.paid_staff_headcount,
    c.paid_staff_lived_experience,
    c.is_independent AS independent,
    c.is_consumer_governed AS consumer_governed,
    c.is_peer_staffed AS peer_staffed,
    CASE
        WHEN c.is_independent AND c.is_autonomous AND c.is_accountable AND c.is_consumer_governed
             AND c.is_peer_staffed THEN 'peer_run'
        WHEN c.is_peer_staffed THEN 'peer_partnered'
        ELSE 'other'
    END AS peer_run_class,
    NULLIF(concat_ws(', ',
        CASE WHEN NOT c.is_independent THEN 'independent' END,
        CASE WHEN NOT c.is_autonomous THEN 'autonomous' END,
        CASE WHEN NOT c.is_accountable THEN 'accountable' END,
        CASE WHEN NOT c.is_consumer_governed THEN 'consumer_governed' END,
        CASE WHEN NOT c.is_peer_staffed THEN 'peer_staffed' END), '') AS failed_criteria
FROM criteria AS c
ORDER BY c.state, c.grantee_id;
