-- Replace one state x period of a spare copy's table with the writer's rows (registered as incoming_rows).
DELETE FROM {table} WHERE state = $state AND period = $period;
INSERT INTO {table} SELECT * FROM incoming_rows;
