SELECT state, period, role, headcount, lived_experience_count, certified_count, fte
FROM marts.workforce_summary
ORDER BY period, state, role;
