-- 0006_listen_actions.sql: "You said, we did" — what the people who run an exercise do about
-- what they heard. An action is linked to a theme by the theme's label as facilitators saw it
-- (a label, not a run's theme number, so the link survives a new analysis that finds the same
-- theme), or to no theme ('') when it answers the exercise as a whole. "who" names a team or a
-- role, never a person's contact details (src/listen/actions.c refuses those). The account that
-- recorded an action is kept for accountability and is never shown.
CREATE TABLE listen_actions (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    theme TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    who TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
    due_at BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX listen_actions_exercise ON listen_actions(exercise_id, id);
