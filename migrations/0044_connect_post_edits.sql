-- 0044_connect_post_edits.sql: Connect's wording of a coaching round's stored reasons.
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
