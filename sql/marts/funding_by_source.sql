-- Funding by state, period and source, with the source's category and its share of the state's total.
CREATE OR REPLACE TABLE marts.funding_by_source AS
WITH by_source AS (
    SELECT
        state, period, funding_source,
        count(DISTINCT grantee_id) AS grantees,
        sum(amount_usd) AS amount_usd
    FROM core.funding
    GROUP BY state, period, funding_source
)
SELECT
    b.state,
    b.period,
    b.funding_source,
    d.label AS funding_source_label,
    d.funding_category,
    CAST(b.grantees AS BIGINT) AS grantees,
    CAST(b.amount_usd AS DECIMAL(18, 2)) AS amount_usd,
    CAST(b.amount_usd / NULLIF(sum(b.amount_usd) OVER (PARTITION BY b.state, b.period), 0) AS DOUBLE)
        AS share_of_state_funding
FROM by_source AS b
LEFT JOIN core.dim_funding_source AS d USING (funding_source)
ORDER BY b.state, b.period, b.funding_source;
