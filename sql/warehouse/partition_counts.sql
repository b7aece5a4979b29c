-- Rows of a partition after its load: versions, current versions and each core fact table.
SELECT
    (SELECT count(*) FROM core.packages WHERE state = $state AND period = $period) AS versions_total,
    (SELECT count(*) FROM core.packages WHERE state = $state AND period = $period AND is_current) AS current_versions,
    (SELECT count(*) FROM core.grantees WHERE state = $state AND period = $period) AS grantees,
    (SELECT count(*) FROM core.programs WHERE state = $state AND period = $period) AS programs,
    (SELECT count(*) FROM core.funding WHERE state = $state AND period = $period) AS funding,
    (SELECT count(*) FROM core.workforce WHERE state = $state AND period = $period) AS workforce,
    (SELECT count(*) FROM core.outcomes WHERE state = $state AND period = $period) AS outcomes;
