SELECT state, period, role, headcount, lived_experience_count, certified_count, fte
FROM marts.workforce_summary
SEMI JOIN shown_pairs USING (state, period)
ORDER BY period, state, role;
