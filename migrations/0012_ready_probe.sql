-- 0012_ready_probe.sql: one row that /readyz rewrites to learn whether the database takes
-- writes now (a full disk or a read-only file lets reads through but refuses every write).
-- probes counts the rewrites: a row rewritten with the bytes it already holds is not written
-- at all by SQLite, so every probe must change it.
CREATE TABLE ready_probe (
    id INTEGER PRIMARY KEY,
    probes BIGINT NOT NULL,
    checked_at BIGINT NOT NULL
);
