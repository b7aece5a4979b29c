-- The state_summary measures by region: national, HHS region, Census region and division (by the grantee's
-- state), and urbanicity. For urbanicity, programs and participants_served follow the county where each
-- program is delivered (programs.county_fips); every grantee-level measure (grantee counts, funding, staff)
-- follows the county of the grantee's main office (organization.county_fips); urbanicity is the reference
-- data's urban / suburban / rural class of that county. Each region_type partitions the nation, so its
-- regions add up to the national row; a state outside every Census region (Puerto Rico) is listed as
-- 'Outside the Census regions'.
CREATE OR REPLACE TABLE marts.region_summary AS
WITH funding AS (
    SELECT grantee_id, period, sum(amount_usd) AS funding_usd
    FROM core.funding
    GROUP BY grantee_id, period
),
workforce AS (
    SELECT
        grantee_id, period,
        sum(headcount) FILTER (WHERE role IN ('peer_specialist', 'peer_supervisor')) AS peer_staff_headcount,
        sum(lived_experience_count) FILTER (WHERE role <> 'volunteer') AS lived_experience_staff,
        sum(certified_count) AS certified_peer_specialists
    FROM core.workforce
    GROUP BY grantee_id, period
),
grantee_base AS (
    SELECT
        g.state, g.period, g.grantee_id, g.peer_run_class,
        oc.urbanicity AS office_urbanicity,
        COALESCE(f.funding_usd, 0) AS funding_usd,
        COALESCE(w.peer_staff_headcount, 0) AS peer_staff_headcount,
        COALESCE(w.lived_experience_staff, 0) AS lived_experience_staff,
        COALESCE(w.certified_peer_specialists, 0) AS certified_peer_specialists
    FROM core.grantees AS g
    LEFT JOIN core.dim_county AS oc ON oc.county_fips = g.county_fips
    LEFT JOIN funding AS f USING (grantee_id, period)
    LEFT JOIN workforce AS w USING (grantee_id, period)
),
program_base AS (
    SELECT p.state, p.period, p.participants_served, pc.urbanicity AS program_urbanicity
    FROM core.programs AS p
    LEFT JOIN core.dim_county AS pc ON pc.county_fips = p.county_fips
),
grantee_regions AS (
    SELECT 'national' AS region_type, 'United States' AS region, b.* FROM grantee_base AS b
    UNION ALL
    SELECT 'hhs_region', 'HHS Region ' || CAST(s.hhs_region AS VARCHAR), b.*
    FROM grantee_base AS b JOIN core.dim_state AS s USING (state)
    UNION ALL
    SELECT 'census_region', COALESCE(s.census_region, 'Outside the Census regions'), b.*
    FROM grantee_base AS b JOIN core.dim_state AS s USING (state)
    UNION ALL
    SELECT 'census_division', COALESCE(s.census_division, 'Outside the Census regions'), b.*
    FROM grantee_base AS b JOIN core.dim_state AS s USING (state)
    UNION ALL
    SELECT 'urbanicity', COALESCE(b.office_urbanicity, 'unknown'), b.* FROM grantee_base AS b
),
program_regions AS (
    SELECT 'national' AS region_type, 'United States' AS region, b.* FROM program_base AS b
    UNION ALL
    SELECT 'hhs_region', 'HHS Region ' || CAST(s.hhs_region AS VARCHAR), b.*
    FROM program_base AS b JOIN core.dim_state AS s USING (state)
    UNION ALL
    SELECT 'census_region', COALESCE(s.census_region, 'Outside the Census regions'), b.*
    FROM program_base AS b JOIN core.dim_state AS s USING (state)
    UNION ALL
    SELECT 'census_division', COALESCE(s.census_division, 'Outside the Census regions'), b.*
    FROM program_base AS b JOIN core.dim_state AS s USING (state)
    UNION ALL
    SELECT 'urbanicity', COALESCE(b.program_urbanicity, 'unknown'), b.* FROM program_base AS b
),
grantee_totals AS (
    SELECT
        region_type, region, period,
        count(*) AS grantees,
        count(*) FILTER (WHERE peer_run_class = 'peer_run') AS peer_run,
        count(*) FILTER (WHERE peer_run_class = 'peer_partnered') AS peer_partnered,
        count(*) FILTER (WHERE peer_run_class = 'other') AS other_class,
        sum(funding_usd) AS funding_usd,
        sum(peer_staff_headcount) AS peer_staff_headcount,
        sum(lived_experience_staff) AS lived_experience_staff,
        sum(certified_peer_specialists) AS certified_peer_specialists
    FROM grantee_regions
    GROUP BY region_type, region, period
),
program_totals AS (
    SELECT region_type, region, period, count(*) AS programs, sum(participants_served) AS participants_served
    FROM program_regions
    GROUP BY region_type, region, period
)
SELECT
    region_type,
    region,
    period,
    CAST(COALESCE(g.grantees, 0) AS BIGINT) AS grantees,
    CAST(COALESCE(g.peer_run, 0) AS BIGINT) AS peer_run,
    CAST(COALESCE(g.peer_partnered, 0) AS BIGINT) AS peer_partnered,
    CAST(COALESCE(g.other_class, 0) AS BIGINT) AS other_class,
    CAST(COALESCE(p.programs, 0) AS BIGINT) AS programs,
    CAST(COALESCE(p.participants_served, 0) AS BIGINT) AS participants_served,
    CAST(COALESCE(g.funding_usd, 0) AS DECIMAL(18, 2)) AS funding_usd,
    CAST(CASE WHEN p.participants_served > 0 THEN round(COALESCE(g.funding_usd, 0) / p.participants_served, 2) END
         AS DECIMAL(18, 2)) AS funding_per_participant,
    CAST(COALESCE(g.peer_staff_headcount, 0) AS BIGINT) AS peer_staff_headcount,
    CAST(COALESCE(g.lived_experience_staff, 0) AS BIGINT) AS lived_experience_staff,
    CAST(COALESCE(g.certified_peer_specialists, 0) AS BIGINT) AS certified_peer_specialists
FROM grantee_totals AS g
FULL OUTER JOIN program_totals AS p USING (region_type, region, period)
ORDER BY
    list_position(['national', 'hhs_region', 'census_region', 'census_division', 'urbanicity'], region_type),
    region, period;
