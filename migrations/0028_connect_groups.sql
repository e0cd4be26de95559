-- 0028_connect_groups.sql: Connect's regional interest groups — groups and their members,
-- discussion threads with posts, reports to moderators and their decisions, events, and the
-- weekly digest (settings and one row per member per week sent).
--
-- region is 'national' or a region code of the account reference list; topic a code of
-- src/connect/group.h. visibility 'open' lets every logged-in member read the discussions
-- and events; 'members' shows them only to the group's members. A membership's role is
-- 'moderator' for the person who made the group and for facilitators and admins who join,
-- 'member' for everyone else. A post's state is 'visible', 'hidden' (by a moderator, with
-- the reason in connect_moderation_log) or 'deleted' (its author closed their account: the
-- text is gone, the row stays so that replies keep their place).

CREATE TABLE connect_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    region TEXT NOT NULL,
    topic TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('open', 'members')),
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX connect_groups_region ON connect_groups(region, name);
CREATE INDEX connect_groups_created_by ON connect_groups(created_by);

CREATE TABLE connect_group_members (
    group_id BIGINT NOT NULL REFERENCES connect_groups(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'moderator')),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- A member's groups (the index page, the digest, data rights).
CREATE INDEX connect_group_members_user ON connect_group_members(user_id, group_id);

CREATE TABLE connect_threads (
    id INTEGER PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES connect_groups(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_post_at BIGINT NOT NULL
);
CREATE INDEX connect_threads_group ON connect_threads(group_id, last_post_at);

CREATE TABLE connect_posts (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES connect_threads(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'deleted')),
    created_at BIGINT NOT NULL
);
CREATE INDEX connect_posts_thread ON connect_posts(thread_id, id);
CREATE INDEX connect_posts_author ON connect_posts(author_id);
-- The digest: what was posted in a week.
CREATE INDEX connect_posts_created ON connect_posts(created_at);

-- A member's report of a post to the group's moderators; one per member per post. Resolved
-- when a moderator decides: hides the post, or keeps (or restores) it.
CREATE TABLE connect_post_reports (
    id INTEGER PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES connect_posts(id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX connect_post_reports_once ON connect_post_reports(post_id, reporter_id);
CREATE INDEX connect_post_reports_reporter ON connect_post_reports(reporter_id);
CREATE INDEX connect_post_reports_open ON connect_post_reports(resolved_at, post_id);

CREATE TABLE connect_moderation_log (
    id INTEGER PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES connect_posts(id) ON DELETE CASCADE,
    moderator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL CHECK (action IN ('hide', 'keep')),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX connect_moderation_log_post ON connect_moderation_log(post_id, id);
CREATE INDEX connect_moderation_log_moderator ON connect_moderation_log(moderator_id);

-- Times are UTC unix seconds; pages take and show UK time.
CREATE TABLE connect_events (
    id INTEGER PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES connect_groups(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL CHECK (ends_at > starts_at),
    place TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    CHECK (place <> '' OR link <> '')
);
CREATE INDEX connect_events_group ON connect_events(group_id, starts_at);
CREATE INDEX connect_events_created ON connect_events(created_at);
CREATE INDEX connect_events_created_by ON connect_events(created_by);

-- The weekly digest is on unless a row here says off.
CREATE TABLE connect_digest_settings (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    weekly INTEGER NOT NULL CHECK (weekly IN (0, 1)),
    updated_at BIGINT NOT NULL
);

-- One row per member per week (week_start: Monday 00:00 UTC of the week summarised), written
-- in the transaction that queues the mail: the primary key makes the digest go once however
-- many servers run it. mail_id is NULL when there was nothing new to tell.
CREATE TABLE connect_digests (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week_start BIGINT NOT NULL,
    mail_id BIGINT,
    items INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, week_start)
);
