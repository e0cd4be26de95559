-- 0015_listen_facilitators.sql: who manages each listening exercise. The facilitator who
-- creates (or imports) an exercise is its first facilitator; they may add others. Admins manage
-- every exercise without a row here. An exercise keeps at least one row (exercise.c).
CREATE TABLE listen_facilitators (
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (exercise_id, user_id)
);
CREATE INDEX listen_facilitators_user ON listen_facilitators(user_id);

-- Exercises made before this table are managed by whoever made them.
INSERT INTO listen_facilitators (exercise_id, user_id, added_at)
    SELECT id, created_by, created_at FROM listen_exercises WHERE created_by IS NOT NULL;
