-- improved_share is recomputed after suppression, so only the two counts are read.
SELECT state, period, measure, respondents, improved
FROM marts.outcomes_summary
ORDER BY period, state, measure;
