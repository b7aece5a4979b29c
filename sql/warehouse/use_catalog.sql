-- Unqualified schema names ({catalog}: an attached database, or the connection's own) resolve in this database.
USE "{catalog}";
