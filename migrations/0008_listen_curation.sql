-- 0008_listen_curation.sql: facilitators' edits to an exercise's themes, kept apart from the
-- analysis runs so that they survive a new run. An edit names its theme by the theme's top
-- terms (a JSON array); a new run finds the theme again by term overlap (src/listen/curation.c).
CREATE TABLE listen_theme_edits (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    theme_key TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    hidden INTEGER NOT NULL DEFAULT 0,
    split INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT NOT NULL DEFAULT '',
    pins TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX listen_theme_edits_exercise ON listen_theme_edits(exercise_id, id);
