-- Every row of an input table without a period column (dimensions, rosters), as a view of the scratch database.
CREATE VIEW marts_scratch.{table} AS SELECT * FROM "{catalog}".{table};
