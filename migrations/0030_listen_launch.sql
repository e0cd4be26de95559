-- 0030_listen_launch.sql: "You said, we did" shows the themes a facilitator published, fixed at
-- the moment of publication: the curated themes (names, sizes, top terms) are copied into the
-- published report, so a later analysis or curation changes the draft, never the public page.
ALTER TABLE listen_reports ADD COLUMN themes_json TEXT NOT NULL DEFAULT '[]';
