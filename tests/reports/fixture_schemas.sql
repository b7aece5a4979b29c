-- Schemas of the fixture warehouse the report tests build.
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
