-- One grantee's current accepted package of fiscal year $period received a second later (the first grantee).
UPDATE core.packages
SET received_at = received_at + INTERVAL 1 SECOND
WHERE period = $period AND is_current AND status = 'accepted'
    AND grantee_id = (
        SELECT min(grantee_id) FROM core.packages WHERE period = $period AND is_current AND status = 'accepted'
    );
