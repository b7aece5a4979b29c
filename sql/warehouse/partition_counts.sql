-- Rows of each partition being loaded (the states listed, in one period) after its load: versions, current
-- versions and each core fact table.
WITH facts AS (
    SELECT state, is_current, 'packages' AS source FROM core.packages
    WHERE period = $period AND state BETWEEN $first_state AND $last_state
    UNION ALL SELECT state, NULL, 'grantees' FROM core.grantees
    WHERE period = $period AND state BETWEEN $first_state AND $last_state
    UNION ALL SELECT state, NULL, 'programs' FROM core.programs
    WHERE period = $period AND state BETWEEN $first_state AND $last_state
    UNION ALL SELECT state, NULL, 'funding' FROM core.funding
    WHERE period = $period AND state BETWEEN $first_state AND $last_state
    UNION ALL SELECT state, NULL, 'workforce' FROM core.workforce
    WHERE period = $period AND state BETWEEN $first_state AND $last_state
    UNION ALL SELECT state, NULL, 'outcomes' FROM core.outcomes
    WHERE period = $period AND state BETWEEN $first_state AND $last_state
)
SELECT
    s.state,
    count(f.source) FILTER (WHERE f.source = 'packages') AS versions_total,
    count(f.source) FILTER (WHERE f.source = 'packages' AND f.is_current) AS current_versions,
    count(f.source) FILTER (WHERE f.source = 'grantees') AS grantees,
    count(f.source) FILTER (WHERE f.source = 'programs') AS programs,
    count(f.source) FILTER (WHERE f.source = 'funding') AS funding,
    count(f.source) FILTER (WHERE f.source = 'workforce') AS workforce,
    count(f.source) FILTER (WHERE f.source = 'outcomes') AS outcomes
FROM (SELECT unnest(CAST($states AS VARCHAR[])) AS state) AS s
LEFT JOIN facts AS f USING (state)
GROUP BY s.state
ORDER BY s.state;
