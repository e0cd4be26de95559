/* group_store.c: the SQL of Connect's interest groups, named and in one place
 *
 * Written once for both engines (DESIGN.md §2). Every query is served by an index of
 * migrations/0028_connect_groups.sql. The column order of each SELECT is read by the row
 * functions of group.c, thread.c, event.c and digest.c; change them together.
 */
#include "connect/group_store.h"

/* ---- groups and members: id, name, description, region, topic, visibility, created_at,
 * members, threads, the viewer's role ("" when not a member) ---- */
#define GROUP_COLS                                                                                 \
    "g.id, g.name, g.description, g.region, g.topic, g.visibility, g.created_at, "                 \
    "(SELECT COUNT(*) FROM connect_group_members m WHERE m.group_id = g.id), "                     \
    "(SELECT COUNT(*) FROM connect_threads t WHERE t.group_id = g.id), "                           \
    "COALESCE((SELECT m.role FROM connect_group_members m WHERE m.group_id = g.id AND "            \
    "m.user_id = $1), '') "

const char SQL_CG_LIST[] = "SELECT " GROUP_COLS "FROM connect_groups g "
                           "WHERE ($2 = '' OR g.region = $2) ORDER BY g.name";
const char SQL_CG_GET[] = "SELECT " GROUP_COLS "FROM connect_groups g WHERE g.id = $2";
const char SQL_CG_INSERT[] =
    "INSERT INTO connect_groups (name, description, region, topic, visibility, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const char SQL_CGM_JOIN[] =
    "INSERT INTO connect_group_members (group_id, user_id, role, joined_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, user_id) DO NOTHING";
const char SQL_CGM_LEAVE[] =
    "DELETE FROM connect_group_members WHERE group_id = $1 AND user_id = $2";
/* connect_group_set_moderator: the moderators' rows locked until commit on both engines, so
 * two moderators stepping each other down are counted one after the other */
const char SQL_CGM_LOCK_MODS[] = "UPDATE connect_group_members SET role = role "
                                 "WHERE group_id = $1 AND role = 'moderator'";
const char SQL_CGM_ROLE[] =
    "SELECT role FROM connect_group_members WHERE group_id = $1 AND user_id = $2";
const char SQL_CGM_SET_ROLE[] =
    "UPDATE connect_group_members SET role = $3 WHERE group_id = $1 AND user_id = $2";
/* active moderators (a deactivated account moderates nothing) other than user $2 */
const char SQL_CGM_MODERATORS[] =
    "SELECT COUNT(*) FROM connect_group_members m JOIN users u ON u.id = m.user_id "
    "WHERE m.group_id = $1 AND m.role = 'moderator' AND u.deactivated_at = 0 AND m.user_id <> $2";
const char SQL_CGM_OTHERS[] =
    "SELECT COUNT(*) FROM connect_group_members WHERE group_id = $1 AND user_id <> $2";
const char SQL_CGM_LIST[] =
    "SELECT u.id, u.display_name, u.profession, u.region, m.role, m.joined_at "
    "FROM connect_group_members m JOIN users u ON u.id = m.user_id "
    "WHERE m.group_id = $1 ORDER BY m.role DESC, u.display_name, u.id";

/* ---- threads: id, group_id, title, created_at, last_post_at, replies, starter's name ("" when
 * the first post's author has closed their account: never the next author's name) ---- */
#define THREAD_COLS                                                                                \
    "t.id, t.group_id, t.title, t.created_at, t.last_post_at, "                                    \
    "(SELECT COUNT(*) FROM connect_posts p WHERE p.thread_id = t.id) - 1, "                        \
    "COALESCE((SELECT u.display_name FROM connect_posts p LEFT JOIN users u ON "                   \
    "u.id = p.author_id WHERE p.thread_id = t.id ORDER BY p.id LIMIT 1), '') "

const char SQL_CT_INSERT[] = "INSERT INTO connect_threads (group_id, title, created_at, "
                             "last_post_at) VALUES ($1, $2, $3, $3) RETURNING id";
const char SQL_CT_TOUCH[] = "UPDATE connect_threads SET last_post_at = $2 WHERE id = $1";
const char SQL_CT_LIST[] = "SELECT " THREAD_COLS "FROM connect_threads t WHERE t.group_id = $1 "
                           "ORDER BY t.last_post_at DESC, t.id DESC LIMIT $2 OFFSET $3";
const char SQL_CT_COUNT[] = "SELECT COUNT(*) FROM connect_threads WHERE group_id = $1";
const char SQL_CT_GET[] = "SELECT " THREAD_COLS "FROM connect_threads t WHERE t.id = $1";
/* who wrote the thread's first post (0 when gone), as SQL_POST_LEFT and SQL_CRIGHTS_POSTS
 * decide who started it (served by connect_posts_thread) */
const char SQL_CT_STARTER[] = "SELECT COALESCE(author_id, 0) FROM connect_posts WHERE "
                              "thread_id = $1 ORDER BY id LIMIT 1";

/* ---- posts: id, thread_id, author_id (0 when gone), author's name, body, state,
 * created_at, open reports, thread title, group id, edited_at, deleted_at ---- */
#define POST_SELECT                                                                                \
    "p.id, p.thread_id, COALESCE(p.author_id, 0), COALESCE(u.display_name, ''), p.body, "          \
    "p.state, p.created_at, (SELECT COUNT(*) FROM connect_post_reports r WHERE r.post_id = p.id "  \
    "AND r.resolved_at = 0), t.title, t.group_id, p.edited_at, p.deleted_at "
#define POST_FROM                                                                                  \
    "FROM connect_posts p JOIN connect_threads t ON t.id = p.thread_id "                           \
    "LEFT JOIN users u ON u.id = p.author_id "
#define POST_COLS POST_SELECT POST_FROM

const char SQL_POST_INSERT[] = "INSERT INTO connect_posts (thread_id, author_id, body, state, "
                               "created_at) VALUES ($1, $2, $3, 'visible', $4) RETURNING id";
const char SQL_POST_LIST[] = "SELECT " POST_COLS "WHERE p.thread_id = $1 ORDER BY p.id";
const char SQL_POST_GET[] = "SELECT " POST_COLS "WHERE p.id = $1";
/* the posts member $1 wrote, not deleted, in groups they are no longer in, newest first:
 * CONNECT_LEFT_POSTS_MAX (group.h) and one more, to say there are more; and whether they
 * started the discussion (wrote its first post, as SQL_CRIGHTS_POSTS decides it) */
const char SQL_POST_LEFT[] =
    "SELECT " POST_SELECT ", CASE WHEN (SELECT q.author_id FROM connect_posts q WHERE "
    "q.thread_id = t.id ORDER BY q.id LIMIT 1) = $1 THEN 1 ELSE 0 END " POST_FROM
    "WHERE p.author_id = $1 AND p.state <> 'deleted' AND NOT EXISTS "
    "(SELECT 1 FROM connect_group_members m WHERE m.group_id = t.group_id AND m.user_id = $1) "
    "ORDER BY p.id DESC LIMIT 101";
/* the author's changes: a visible post's text, and deleting (the text emptied, not hidden) */
const char SQL_POST_EDIT[] = "UPDATE connect_posts SET body = $3, edited_at = $4 "
                             "WHERE id = $1 AND author_id = $2 AND state = 'visible'";
const char SQL_POST_DELETE[] =
    "UPDATE connect_posts SET body = '', state = 'deleted', edited_at = 0, deleted_at = $3 "
    "WHERE id = $1 AND author_id = $2 AND state <> 'deleted'";

const char SQL_CR_UPSERT[] =
    "INSERT INTO connect_post_reports (post_id, reporter_id, reason, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (post_id, reporter_id) DO UPDATE SET "
    "reason = excluded.reason, created_at = excluded.created_at, resolved_at = 0";
/* open reports in a group: post, reason, when (the reporter is not shown) */
const char SQL_CR_OPEN[] =
    "SELECT r.post_id, r.reason, r.created_at FROM connect_post_reports r "
    "JOIN connect_posts p ON p.id = r.post_id JOIN connect_threads t ON t.id = p.thread_id "
    "WHERE t.group_id = $1 AND r.resolved_at = 0 ORDER BY r.post_id, r.id";
/* how many posts in a group wait for a moderator's decision */
const char SQL_CR_WAITING[] =
    "SELECT COUNT(DISTINCT r.post_id) FROM connect_post_reports r "
    "JOIN connect_posts p ON p.id = r.post_id JOIN connect_threads t ON t.id = p.thread_id "
    "WHERE t.group_id = $1 AND r.resolved_at = 0";
const char SQL_CR_RESOLVE[] =
    "UPDATE connect_post_reports SET resolved_at = $2 WHERE post_id = $1 AND resolved_at = 0";

const char SQL_CM_QUEUE[] =
    "SELECT " POST_COLS "WHERE t.group_id = $1 AND (p.state = 'hidden' OR EXISTS (SELECT 1 "
    "FROM connect_post_reports r WHERE r.post_id = p.id AND r.resolved_at = 0)) ORDER BY p.id";
const char SQL_CM_SET_STATE[] = "UPDATE connect_posts SET state = $2 WHERE id = $1 AND state = $3";
const char SQL_CM_LOG_INSERT[] =
    "INSERT INTO connect_moderation_log (post_id, moderator_id, action, reason, created_at) "
    "VALUES ($1, $2, $3, $4, $5)";
/* the last decisions in a group: post, moderator's name, action, reason, when */
const char SQL_CM_LOG[] =
    "SELECT l.post_id, COALESCE(u.display_name, ''), l.action, l.reason, l.created_at "
    "FROM connect_moderation_log l JOIN connect_posts p ON p.id = l.post_id "
    "JOIN connect_threads t ON t.id = p.thread_id LEFT JOIN users u ON u.id = l.moderator_id "
    "WHERE t.group_id = $1 ORDER BY l.id DESC LIMIT 50";

/* ---- events: id, group_id, title, starts_at, ends_at, place, link, description,
 * created_at, sequence, updated_at, cancelled_at ---- */
#define EVENT_COLS                                                                                 \
    "id, group_id, title, starts_at, ends_at, place, link, description, created_at, sequence, "    \
    "updated_at, cancelled_at "

const char SQL_CE_INSERT[] =
    "INSERT INTO connect_events (group_id, title, starts_at, ends_at, place, link, description, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const char SQL_CE_GET[] = "SELECT " EVENT_COLS "FROM connect_events WHERE id = $1";
/* a cancelled event is not changed again: its calendar entry says it is off */
const char SQL_CE_UPDATE[] =
    "UPDATE connect_events SET title = $3, starts_at = $4, ends_at = $5, place = $6, link = $7, "
    "description = $8, sequence = sequence + 1, updated_at = $9 "
    "WHERE id = $1 AND group_id = $2 AND cancelled_at = 0";
/* the title an audit entry names (event.c) */
const char SQL_CE_TITLE[] = "SELECT title FROM connect_events WHERE id = $1";
const char SQL_CE_CANCEL[] =
    "UPDATE connect_events SET cancelled_at = $3, sequence = sequence + 1, updated_at = $3 "
    "WHERE id = $1 AND group_id = $2 AND cancelled_at = 0";
const char SQL_CE_LIST[] = "SELECT " EVENT_COLS "FROM connect_events WHERE group_id = $1 AND "
                           "ends_at > $2 ORDER BY starts_at, id";

/* ---- the weekly digest ---- */
const char SQL_CD_SETTING_GET[] = "SELECT weekly FROM connect_digest_settings WHERE user_id = $1";
const char SQL_CD_SETTING_SET[] =
    "INSERT INTO connect_digest_settings (user_id, weekly, updated_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (user_id) DO UPDATE SET weekly = excluded.weekly, "
    "updated_at = excluded.updated_at";
/* members of any group, with the digest on and no row for the week $1: id, email, name */
const char SQL_CD_DUE[] =
    "SELECT u.id, u.email, u.display_name FROM users u WHERE u.deactivated_at = 0 "
    "AND EXISTS (SELECT 1 FROM connect_group_members m WHERE m.user_id = u.id) "
    "AND NOT EXISTS (SELECT 1 FROM connect_digest_settings s WHERE s.user_id = u.id AND "
    "s.weekly = 0) "
    "AND NOT EXISTS (SELECT 1 FROM connect_digests d WHERE d.user_id = u.id AND "
    "d.week_start = $1) ORDER BY u.id";
const char SQL_CD_CLAIM[] =
    "INSERT INTO connect_digests (user_id, week_start, mail_id, items, created_at) "
    "VALUES ($1, $2, NULL, 0, $3) ON CONFLICT (user_id, week_start) DO NOTHING "
    "RETURNING user_id";
const char SQL_CD_SET_MAIL[] =
    "UPDATE connect_digests SET mail_id = $3, items = $4 WHERE user_id = $1 AND week_start = $2";
/* threads with visible posts by others between $2 and $3 in the groups of member $1:
 * group, thread id, title, posts, whether the first of them started the thread */
const char SQL_CD_THREADS[] =
    "SELECT g.name, t.id, t.title, COUNT(p.id), "
    "SUM(CASE WHEN p.id = (SELECT MIN(p2.id) FROM connect_posts p2 WHERE p2.thread_id = t.id) "
    "THEN 1 ELSE 0 END) "
    "FROM connect_posts p JOIN connect_threads t ON t.id = p.thread_id "
    "JOIN connect_groups g ON g.id = t.group_id "
    "JOIN connect_group_members m ON m.group_id = g.id AND m.user_id = $1 "
    "WHERE p.created_at >= $2 AND p.created_at < $3 AND p.state = 'visible' "
    "AND (p.author_id IS NULL OR p.author_id <> $1) "
    "GROUP BY g.name, t.id, t.title ORDER BY g.name, t.id";
/* events added between $2 and $3 in the groups of member $1, still to come at $3:
 * group, event id, title, starts_at */
const char SQL_CD_EVENTS[] = "SELECT g.name, e.id, e.title, e.starts_at FROM connect_events e "
                             "JOIN connect_groups g ON g.id = e.group_id "
                             "JOIN connect_group_members m ON m.group_id = g.id AND m.user_id = $1 "
                             "WHERE e.created_at >= $2 AND e.created_at < $3 AND e.ends_at > $3 "
                             "AND e.cancelled_at = 0 "
                             "ORDER BY e.starts_at, e.id";

/* ---- data rights ---- */
const char SQL_CRIGHTS_GROUPS[] =
    "SELECT g.name, m.role, m.joined_at FROM connect_group_members m "
    "JOIN connect_groups g ON g.id = m.group_id WHERE m.user_id = $1 ORDER BY g.name";
/* a discussion's title (which another member may have written) only where they can still read
 * it, an open group or one they are in, or where they wrote it (they started the discussion);
 * '' for another's discussion in a members-only group they have left */
const char SQL_CRIGHTS_POSTS[] =
    "SELECT p.id, g.name, CASE WHEN g.visibility = 'open' OR EXISTS (SELECT 1 FROM "
    "connect_group_members m WHERE m.group_id = g.id AND m.user_id = $1) OR (SELECT q.author_id "
    "FROM connect_posts q WHERE q.thread_id = t.id ORDER BY q.id LIMIT 1) = $1 THEN t.title "
    "ELSE '' END, p.body, p.state, p.created_at FROM connect_posts p "
    "JOIN connect_threads t ON t.id = p.thread_id JOIN connect_groups g ON g.id = t.group_id "
    "WHERE p.author_id = $1 ORDER BY p.id";
const char SQL_CRIGHTS_REPORTS[] = "SELECT post_id, reason, created_at FROM connect_post_reports "
                                   "WHERE reporter_id = $1 ORDER BY id";
const char SQL_CRIGHTS_DECISIONS[] =
    "SELECT post_id, action, reason, created_at FROM connect_moderation_log "
    "WHERE moderator_id = $1 ORDER BY id";
const char SQL_CRIGHTS_CREATED[] =
    "SELECT name, created_at FROM connect_groups WHERE created_by = $1 ORDER BY id";
const char SQL_CRIGHTS_EVENTS[] =
    "SELECT title, starts_at, created_at FROM connect_events WHERE created_by = $1 ORDER BY id";
const char SQL_CRIGHTS_SETTINGS[] =
    "SELECT weekly, updated_at FROM connect_digest_settings WHERE user_id = $1";
const char SQL_CRIGHTS_DIGESTS[] = "SELECT week_start, items, created_at FROM connect_digests "
                                   "WHERE user_id = $1 ORDER BY week_start";
/* threads where every post is the member's go whole; elsewhere their posts stay, blank */
const char SQL_CRIGHTS_DELETE_THREADS[] =
    "DELETE FROM connect_threads WHERE id IN (SELECT thread_id FROM connect_posts WHERE "
    "author_id = $1) AND NOT EXISTS (SELECT 1 FROM connect_posts p WHERE p.thread_id = "
    "connect_threads.id AND (p.author_id IS NULL OR p.author_id <> $1))";
const char SQL_CRIGHTS_BLANK_POSTS[] =
    "UPDATE connect_posts SET author_id = NULL, body = '', state = 'deleted' "
    "WHERE author_id = $1";
const char SQL_CRIGHTS_UNLINK_REPORTS[] =
    "UPDATE connect_post_reports SET reporter_id = NULL WHERE reporter_id = $1";
const char SQL_CRIGHTS_UNLINK_DECISIONS[] =
    "UPDATE connect_moderation_log SET moderator_id = NULL WHERE moderator_id = $1";
const char SQL_CRIGHTS_UNLINK_GROUPS[] =
    "UPDATE connect_groups SET created_by = NULL WHERE created_by = $1";
const char SQL_CRIGHTS_UNLINK_EVENTS[] =
    "UPDATE connect_events SET created_by = NULL WHERE created_by = $1";
const char SQL_CRIGHTS_DELETE_MEMBERS[] = "DELETE FROM connect_group_members WHERE user_id = $1";
const char SQL_CRIGHTS_DELETE_SETTINGS[] = "DELETE FROM connect_digest_settings WHERE user_id = $1";
const char SQL_CRIGHTS_DELETE_DIGESTS[] = "DELETE FROM connect_digests WHERE user_id = $1";

/* ---- demonstration data ---- */
const char SQL_CG_DEMO_FIND[] = "SELECT id FROM connect_groups WHERE name = $1";
const char SQL_CT_DEMO_INSERT[] = "INSERT INTO connect_threads (group_id, title, created_at, "
                                  "last_post_at) VALUES ($1, $2, $3, $4) RETURNING id";
const char SQL_POST_DEMO_INSERT[] =
    "INSERT INTO connect_posts (thread_id, author_id, body, state, created_at) "
    "VALUES ($1, (SELECT id FROM users WHERE email = $2), $3, 'visible', $4)";
const char SQL_CGM_DEMO_JOIN[] =
    "INSERT INTO connect_group_members (group_id, user_id, role, joined_at) "
    "SELECT $1, id, $3, $4 FROM users WHERE email = $2 ON CONFLICT (group_id, user_id) DO NOTHING";
const char SQL_CG_DEMO_USER[] = "SELECT id FROM users WHERE email = $1";
const char SQL_POST_DEMO_LAST[] = "SELECT MAX(id) FROM connect_posts WHERE thread_id = $1";
const char SQL_CR_DEMO_INSERT[] =
    "INSERT INTO connect_post_reports (post_id, reporter_id, reason, created_at) "
    "SELECT $1, id, $3, $4 FROM users WHERE email = $2";
