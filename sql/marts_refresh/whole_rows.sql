-- Every row of an input table without a period column (dimensions, rosters), for the scratch database.
SELECT * FROM {table};
