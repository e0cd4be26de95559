-- 0041_listen_report_headline.sql: the published report's headline numbers (who took part,
-- contributions and votes by audience, under the disclosure rule) are counted once, when the
-- report is published, and kept here. Counted again at every reading they changed as people
-- went on taking part, and a reader watching a rounded figure step, or a * become 10, would
-- learn exact counts. '' for a report published before this: the first reading fixes it.
ALTER TABLE listen_reports ADD COLUMN headline_json TEXT NOT NULL DEFAULT '';
