-- 0022_develop_catalogue.sql: the shared catalogue of development activities (courses,
-- mentoring, coaching, networking, action learning, QI projects, stretch assignments,
-- shadowing, self-directed learning) and the areas each one develops.
--
-- Kinds, modes and costs are codes (src/develop/catalogue.h names them). A cost is free,
-- paid (cost_pence > 0, shown in pounds) or funded by the employer. hours_x100 is the
-- optional time in hundredths of an hour (NULL when not given), so figures such as 1.5 and
-- 0.25 are kept exactly. region is 'national' or a region code of the account reference
-- list. An activity is never deleted, only retired (active = 0), so a plan that names it
-- later still finds it. The people who added or last changed one are kept for the record and
-- unlinked when their account is deleted.

CREATE TABLE develop_activities (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('course', 'mentoring', 'coaching', 'networking',
        'action-learning', 'qi-project', 'stretch-assignment', 'shadowing', 'self-directed')),
    provider TEXT NOT NULL,
    description TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('in-person', 'online', 'blended', 'self-paced')),
    duration TEXT NOT NULL DEFAULT '',
    hours_x100 BIGINT CHECK (hours_x100 IS NULL OR hours_x100 > 0),
    cost TEXT NOT NULL CHECK (cost IN ('free', 'paid', 'employer')),
    cost_pence BIGINT NOT NULL DEFAULT 0,
    region TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((cost = 'paid' AND cost_pence > 0) OR (cost <> 'paid' AND cost_pence = 0))
);
-- The browsing page's filters (members see active ones only).
CREATE INDEX develop_activities_browse ON develop_activities(active, kind, region);
-- Data rights: who added or changed an activity.
CREATE INDEX develop_activities_created_by ON develop_activities(created_by);
CREATE INDEX develop_activities_updated_by ON develop_activities(updated_by);

-- The areas an activity develops: a framework's domain (source 'framework', code the
-- framework's code) or an Assess instrument's domain (source 'assess'), by stable ids, so
-- they stay valid across versions that keep the id.
CREATE TABLE develop_activity_areas (
    activity_id BIGINT NOT NULL REFERENCES develop_activities(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('framework', 'assess')),
    code TEXT NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (activity_id, source, code, domain)
);
-- The domain filter.
CREATE INDEX develop_activity_areas_domain ON develop_activity_areas(code, domain, activity_id);
