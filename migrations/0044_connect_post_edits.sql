-- 0044_connect_post_edits.sql: a member's changes to their own posts in Connect's groups,
-- members who left their action learning set, and the wording of a coaching round's stored
-- reasons.
--
-- edited_at: when the author last changed the text (0 never); the post shows "edited" with
-- the time. deleted_at: when the author deleted it (0 otherwise); the text is emptied at
-- that moment (state 'deleted', body ''), the row stays so the replies keep their place,
-- and it shows "This post was deleted by its author". A post emptied when its author closed
-- their account keeps 0 here and says so instead.
ALTER TABLE connect_posts ADD COLUMN edited_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connect_posts ADD COLUMN deleted_at BIGINT NOT NULL DEFAULT 0;

--
-- A run stores why each one left unmatched is (connect_round_people.reason). They said
-- "mentor" and "mentee" in a coaching round too, where every page says coach and coachee:
-- the runs since speak the round's words (src/connect/round.c), and this puts the same words
-- into the reasons coaching rounds stored before. "mentors" goes before "mentor" so that
-- the plural reads "coaches".
UPDATE connect_round_people
SET reason = REPLACE(REPLACE(REPLACE(reason, 'mentors', 'coaches'), 'mentor', 'coach'),
                     'mentee', 'coachee')
WHERE reason <> '' AND round_id IN (SELECT id FROM connect_rounds WHERE kind = 'coaching');

-- A member who left their action learning set (src/connect/set_db.c): their row in
-- connect_set_members goes, as when a lead moves someone or an account is deleted, and this
-- tells the set's facilitator and the programme lead who left and when.
CREATE TABLE connect_set_leavers (
    set_id BIGINT NOT NULL REFERENCES connect_sets(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    left_at BIGINT NOT NULL,
    PRIMARY KEY (set_id, user_id)
);
CREATE INDEX connect_set_leavers_user ON connect_set_leavers(user_id);
