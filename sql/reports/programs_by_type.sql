SELECT state, period, program_type, programs, grantees, participants_served
FROM marts.programs_by_type
SEMI JOIN shown_pairs USING (state, period)
ORDER BY period, state, program_type;
