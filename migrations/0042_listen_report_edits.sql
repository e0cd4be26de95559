-- 0042_listen_report_edits.sql: the facilitators' edits to the themes (names, hidden and
-- merged themes, pinned quotes) in force when the report was published, kept with it as a
-- JSON array (src/listen/curation.h). Applied live at every reading, an edit made after
-- publication changed the published report, and merging a hidden theme into a shown one
-- changed a shown count by the hidden theme's size. '' for a report published before this:
-- the first reading fixes the edits in force then.
ALTER TABLE listen_reports ADD COLUMN edits_json TEXT NOT NULL DEFAULT '';
