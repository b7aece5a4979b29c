-- People served by the programs of one type in one county (exact; never published). Each state page lists
-- every program with its county and type, so a reader can name these groups: the disclosure audit and the
-- joint suppression treat them as the unknowns behind every published people count.
SELECT
    p.state, p.period, p.county_fips, p.program_type,
    COUNT(*) AS programs,
    SUM(p.participants_served) AS participants_served
FROM core.programs AS p
SEMI JOIN shown_pairs USING (state, period)
GROUP BY ALL
ORDER BY p.period, p.state, p.county_fips, p.program_type;
