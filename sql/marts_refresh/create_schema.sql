-- A schema of the scratch database a mart is computed in for some periods ({schema}: raw, staging, core, marts).
CREATE SCHEMA IF NOT EXISTS marts_scratch.{schema};
