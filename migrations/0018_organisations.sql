-- 0018_organisations.sql: organisations gain an NHS Organisation Data Service (ODS) code and
-- the time of their last change; Assess rounds gain a count of the times their responses were
-- regrouped.
--
-- The ODS code is optional (NULL when not given): both engines let a unique index hold any
-- number of NULLs, so only codes that are given must differ. src/account/org.c keeps them
-- upper-case letters and digits, 3 to 10 characters.
--
-- Merging one organisation into another (src/account/org.c) moves responses from one
-- organisation's group to another's without changing how many were submitted, the number the
-- shared benchmark of a round was keyed by (0009). The benchmark is now keyed by both numbers,
-- and a merge adds one to `regrouped` of every round whose responses it moved.
ALTER TABLE organisations ADD COLUMN ods_code TEXT;
ALTER TABLE organisations ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE organisations SET updated_at = created_at;
CREATE UNIQUE INDEX organisations_ods_code ON organisations(ods_code);

ALTER TABLE assess_rounds ADD COLUMN regrouped BIGINT NOT NULL DEFAULT 0;
