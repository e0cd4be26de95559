-- 0038_connect_event_changes.sql: a group's moderators can change an event and cancel it.
-- The event's calendar file keeps its UID, so a calendar that imported it updates the entry
-- in place: SEQUENCE rises with each change (RFC 5545 §3.8.7.4), and a cancelled event says
-- STATUS:CANCELLED. A cancelled event stays listed, marked, until its time has passed, so
-- nobody who planned to go misses that it is off.
ALTER TABLE connect_events ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connect_events ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connect_events ADD COLUMN cancelled_at BIGINT NOT NULL DEFAULT 0;
