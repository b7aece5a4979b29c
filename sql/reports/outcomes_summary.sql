-- improved_share is recomputed after suppression, so only the two counts are read.
SELECT state, period, measure, respondents, improved
FROM marts.outcomes_summary
SEMI JOIN shown_pairs USING (state, period)
ORDER BY period, state, measure;
