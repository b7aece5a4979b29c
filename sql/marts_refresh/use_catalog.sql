-- Unqualified schema names ({catalog}: the scratch database or the writer's own) resolve in this database.
USE "{catalog}";
