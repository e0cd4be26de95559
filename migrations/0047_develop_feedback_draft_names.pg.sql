-- 0047_develop_feedback_draft_names.pg.sql: the constraints of develop_feedback_drafts take
-- the names a fresh CREATE TABLE gives them, on PostgreSQL.
--
-- Migration 0043 made the table as develop_feedback_browser_drafts and then renamed it.
-- PostgreSQL renames a table's constraints (and the primary key's index) with it no more
-- than it renames its sequences: they kept develop_feedback_browser_drafts_pkey, _fkey and
-- _check, names of a table that no longer exists, which an operator reading an error, a
-- plan or a dump would look for in vain. SQLite needs nothing: it names its index after the
-- table and renames it with the table (sqlite_autoindex_develop_feedback_drafts_1), and its
-- other constraints have no names. tests/unit/store/db_test.c checks, on both engines, that
-- every constraint is named after its own table.

ALTER TABLE develop_feedback_drafts
    RENAME CONSTRAINT develop_feedback_browser_drafts_pkey TO develop_feedback_drafts_pkey;
ALTER TABLE develop_feedback_drafts RENAME CONSTRAINT develop_feedback_browser_drafts_invitation_id_fkey
    TO develop_feedback_drafts_invitation_id_fkey;
ALTER TABLE develop_feedback_drafts RENAME CONSTRAINT develop_feedback_browser_drafts_rating_check
    TO develop_feedback_drafts_rating_check;
