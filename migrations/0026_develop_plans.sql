-- 0026_develop_plans.sql: members' development plans (goals and the activities that serve
-- them), and each submitted self-assessment's domain means for a programme lead's gap view.
--
-- A goal names what the member wants to grow in, linked to one domain of a framework (by the
-- framework's stable code and the domain's id, which stay valid across versions that keep
-- the id), with an optional target date (unix time at 00:00 UTC, 0 for none). A plan
-- activity is either one of the shared catalogue (activity_id; the catalogue never deletes
-- an activity, only retires it, so the link holds) or the member's own (title and kind typed
-- by them). Its status is one of four codes (src/develop/plan.h); a reflection is written
-- when it is done. reason keeps the recommendation's explanation when it was added from
-- one, so the plan still says why after the measured gap has changed. A plan is the
-- member's own and goes with their account (data rights: src/develop/plan_rights.c).

CREATE TABLE develop_goals (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    framework_code TEXT NOT NULL,
    domain TEXT NOT NULL,
    target_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- A member's plan page lists their goals in the order they were made.
CREATE INDEX develop_goals_user ON develop_goals(user_id, id);

CREATE TABLE develop_plan_activities (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    goal_id BIGINT REFERENCES develop_goals(id) ON DELETE SET NULL,
    activity_id BIGINT REFERENCES develop_activities(id),
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('course', 'mentoring', 'coaching', 'networking',
        'action-learning', 'qi-project', 'stretch-assignment', 'shadowing', 'self-directed')),
    status TEXT NOT NULL DEFAULT 'not-started'
        CHECK (status IN ('not-started', 'in-progress', 'done', 'dropped')),
    target_at BIGINT NOT NULL DEFAULT 0,
    reflection TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    done_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (activity_id IS NOT NULL OR title <> ''),
    CHECK (status <> 'done' OR reflection <> '')
);
-- The plan page, by member.
CREATE INDEX develop_plan_activities_user ON develop_plan_activities(user_id, id);
-- A goal's activities lose their goal when it is deleted (ON DELETE SET NULL needs it).
CREATE INDEX develop_plan_activities_goal ON develop_plan_activities(goal_id);
-- A catalogue activity is in a member's plan once: a second "Add to my plan" finds it.
CREATE UNIQUE INDEX develop_plan_activities_once ON develop_plan_activities(user_id, activity_id)
    WHERE activity_id IS NOT NULL;

-- Each submitted self-assessment's mean per domain, in the order of its framework version's
-- domains: the mean × 1000 as an integer, '-' for a domain with nothing rated, separated by
-- commas ("2500,3250,-,1750"); '' until computed. A submitted self-assessment never
-- changes, so this copy cannot go stale; it is written at submission (and, for ones
-- submitted before this migration, by the first gap view that needs them), and pages still
-- show results computed from the ratings. It exists so a programme lead's gap view reads
-- one short row per member instead of some forty ratings (issue 16: 70,000 self-assessments
-- in 100 ms).
ALTER TABLE develop_self_assessments ADD COLUMN domain_means TEXT NOT NULL DEFAULT '';
-- The gap view: from each member of a cohort or organisation (user_id) to their submitted
-- self-assessments on the framework's versions, newest first, every column it reads in the
-- index so no table row is visited.
CREATE INDEX develop_self_assessments_gaps ON develop_self_assessments(
    user_id, framework_id, submitted_at, id, domain_means) WHERE submitted_at > 0;
-- Submitted self-assessments whose means are still to be computed (older rows).
CREATE INDEX develop_self_assessments_unscored ON develop_self_assessments(framework_id, id)
    WHERE submitted_at > 0 AND domain_means = '';
