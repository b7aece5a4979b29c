-- Every code list of the contract (registered as contract_codes) with its labels.
DELETE FROM core.dim_code;
INSERT INTO core.dim_code
SELECT code_list, code, label
FROM contract_codes
ORDER BY code_list, code;
