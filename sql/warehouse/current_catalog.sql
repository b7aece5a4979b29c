-- The connection's own database (catalog) name, to read its tables while another attached database (the marts'
-- scratch database, the analysts' spare) is in use.
SELECT current_database();
