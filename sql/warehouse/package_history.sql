-- What intake needs about a partition's earlier versions: numbering, duplicates, what was seen at a path.
SELECT grantee_id, version, sha256, source_path, status, is_current, received_at
FROM core.packages
WHERE state = $state AND period = $period
ORDER BY grantee_id, version;
