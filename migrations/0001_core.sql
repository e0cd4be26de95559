-- 0001_core.sql: the first migration; a key/value table for instance-wide settings
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
