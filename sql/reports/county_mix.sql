-- Programs and people served by the county where each program is delivered, with the county's urbanicity.
SELECT
    p.state, p.period, p.county_fips, c.county_name, c.urbanicity,
    COUNT(*) AS programs,
    COUNT(DISTINCT p.grantee_id) AS grantees,
    SUM(p.participants_served) AS participants_served
FROM core.programs AS p
SEMI JOIN shown_pairs USING (state, period)
JOIN core.dim_county AS c USING (county_fips)
GROUP BY ALL
ORDER BY p.period, p.state, p.county_fips;
