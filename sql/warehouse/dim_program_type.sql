-- Program types from the contract (registered as contract_program_types): code, label and the field's term.
DELETE FROM core.dim_program_type;
INSERT INTO core.dim_program_type
SELECT code, label, field_term
FROM contract_program_types
ORDER BY code;
