-- Empties the fixture warehouse: a deployment before its first accepted package.
DELETE FROM marts.state_summary;
DELETE FROM marts.programs_by_type;
DELETE FROM marts.funding_by_source;
DELETE FROM marts.workforce_summary;
DELETE FROM marts.outcomes_summary;
DELETE FROM marts.submission_status;
DELETE FROM core.grantees;
DELETE FROM core.programs;
DELETE FROM core.packages;
