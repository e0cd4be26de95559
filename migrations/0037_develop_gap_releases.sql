-- 0037_develop_gap_releases.sql: every set of self-assessments a gap view has shown figures
-- for (src/develop/gap_release.h says why). A lead controls a cohort's membership, so two
-- views of one cohort before and after adding a member, or of two cohorts a member apart,
-- would give that member's ratings away by difference, each view being safe on its own. A
-- view is now shown only when its people differ from every view already shown by none, or by
-- more than a small group; otherwise the group's last view is shown again, with its date.
CREATE TABLE develop_gap_releases (
    id INTEGER PRIMARY KEY,
    framework_id BIGINT NOT NULL REFERENCES develop_frameworks(id),
    group_kind TEXT NOT NULL CHECK (group_kind IN ('cohort', 'organisation')),
    group_id BIGINT NOT NULL,
    -- the self-assessments counted, as "id:submitted:areas" ascending, areas a bit mask of
    -- the framework's areas each one has a result in: no member ids, so an account's
    -- deletion leaves only numbers that no longer name anything
    items TEXT NOT NULL,
    digest TEXT NOT NULL,  -- BLAKE2b-128 of items, hex: finds the same set shown before
    counts TEXT NOT NULL,  -- per area, how many of items have a result in it
    -- per area, "sum:people" of the means shown (thousandths): a view held at this release
    -- shows exactly these figures again, even once some of items have been deleted
    sums TEXT NOT NULL,
    released_at BIGINT NOT NULL
);
CREATE INDEX develop_gap_releases_digest ON develop_gap_releases(framework_id, digest);
CREATE INDEX develop_gap_releases_group
    ON develop_gap_releases(group_kind, group_id, framework_id, id);
-- One row, updated to take a lock held until commit on both engines, so that two views
-- deciding at once cannot both be shown when they are within a small group of each other.
CREATE TABLE develop_gap_release_lock (
    id INTEGER PRIMARY KEY,
    taken BIGINT NOT NULL
);
INSERT INTO develop_gap_release_lock (id, taken) VALUES (1, 0);
