-- marts.programs_by_type in the order a whole rebuild writes it (sql/marts/programs_by_type.sql), after periods were replaced.
CREATE OR REPLACE TABLE marts.programs_by_type AS SELECT * FROM marts.programs_by_type ORDER BY state, period, program_type;
