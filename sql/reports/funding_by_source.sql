SELECT state, period, funding_source, funding_category, grantees, amount_usd
FROM marts.funding_by_source
SEMI JOIN shown_pairs USING (state, period)
ORDER BY period, state, funding_source;
