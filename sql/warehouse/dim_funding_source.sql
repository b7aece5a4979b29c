-- Funding sources from the contract (registered as contract_funding_sources) with their category.
DELETE FROM core.dim_funding_source;
INSERT INTO core.dim_funding_source
SELECT code, label, category, category_label
FROM contract_funding_sources
ORDER BY code;
