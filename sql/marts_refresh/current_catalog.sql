-- The writer's own database (catalog) name, to read its tables while the scratch database is in use.
SELECT current_database();
