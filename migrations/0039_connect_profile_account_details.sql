-- 0039_connect_profile_account_details.sql: a member's profession and region are the
-- account's alone. Connect's profile kept its own copy, so matching and the directory could
-- place someone in one region while their account, group lists and action learning sets
-- placed them in another. What a member set only on a profile they use (listed in the
-- directory, or taking part in matching: shown to others already) moves to the account; an
-- account value, set on the account page, wins; then the copy goes.
UPDATE users SET profession = (SELECT p.profession FROM connect_profiles p WHERE p.user_id = users.id)
WHERE profession = '' AND EXISTS (SELECT 1 FROM connect_profiles p WHERE p.user_id = users.id
                                  AND p.profession <> '' AND (p.in_directory = 1 OR p.matching = 1));
UPDATE users SET region = (SELECT p.region FROM connect_profiles p WHERE p.user_id = users.id)
WHERE region = '' AND EXISTS (SELECT 1 FROM connect_profiles p WHERE p.user_id = users.id
                              AND p.region <> '' AND (p.in_directory = 1 OR p.matching = 1));
DROP INDEX connect_profiles_directory;
ALTER TABLE connect_profiles DROP COLUMN profession;
ALTER TABLE connect_profiles DROP COLUMN region;
-- The directory: opted-in members by role (the region filter reads the account).
CREATE INDEX connect_profiles_directory ON connect_profiles(in_directory, directory_role);
