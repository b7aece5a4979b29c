SELECT state, period, program_type, programs, grantees, participants_served
FROM marts.programs_by_type
ORDER BY period, state, program_type;
