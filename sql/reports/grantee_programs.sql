-- Every grantee with each of its programs (no people counts: program-level counts are not published).
SELECT
    g.*,
    p.program_id, p.program_name, p.program_type, p.county_fips AS program_county_fips,
    c.county_name AS program_county_name, p.setting
FROM core.grantees AS g
SEMI JOIN shown_pairs USING (state, period)
LEFT JOIN core.programs AS p USING (grantee_id, state, period)
LEFT JOIN core.dim_county AS c ON c.county_fips = p.county_fips
ORDER BY g.period, g.state, g.organization_name, g.grantee_id, p.program_id;
