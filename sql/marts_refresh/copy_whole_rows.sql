-- Every row of an input table without a period column (dimensions, rosters), for the scratch database.
CREATE TABLE marts_scratch.{table} AS SELECT * FROM "{catalog}".{table};
