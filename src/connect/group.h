/* group.h: Connect's regional interest groups — groups, members, discussion threads with
 * moderation, events and the weekly digest (domain code: no HTTP here)
 *
 * Who may do what, in one place:
 *  - Facilitators and admins create groups; a member who wants one asks a facilitator (the
 *    groups page says so). Whoever creates a group is its first moderator, so every group
 *    starts with someone who has taken on that duty.
 *  - Any logged-in member may join or leave any group. A group is 'open' (every member may
 *    read its discussions and events) or 'members' (only its members may); the members list
 *    is shown to members only, in both kinds.
 *  - Members post threads and replies, change or delete their own (only their own, and also
 *    after leaving the group: what they wrote stays theirs, though the rest of a members-only
 *    group's discussion does not), and report a post to the moderators with a reason.
 *  - A group's moderators are the members whose role there is 'moderator': its creator, and
 *    any facilitator or admin who joins it. They see reported posts with the reasons, hide
 *    and restore posts (each decision logged with its reason and audited), and add events.
 *    A site facilitator who is not a member has no view of a members-only group.
 *
 * Strings in returned structs live in the caller's arena. Functions return 0 or an app_err;
 * APP_E_INVALID with field errors for input a person typed.
 */
#ifndef AHP_CONNECT_GROUP_H
#define AHP_CONNECT_GROUP_H

#include "connect/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/role.h"

struct arena;
struct buf;
struct db;
struct tpl_set;

#define CONNECT_NAME_MAX   120
#define CONNECT_DESC_MAX   2000
#define CONNECT_TITLE_MAX  150
#define CONNECT_POST_MAX   5000
#define CONNECT_REASON_MAX 500
#define CONNECT_PLACE_MAX  200
#define CONNECT_LINK_MAX   500
#define CONNECT_NATIONAL   "national"

/* The topics a group is about. */
extern const struct connect_choice connect_topics[];
extern const size_t connect_topics_count;
/* The name of a topic code, or NULL. */
const char *connect_topic_name(const char *code);
/* "National" or the region's name, or NULL for an unknown code. */
const char *connect_region_name(const char *code);

/* A message for a field a person got wrong. */

/* True for NULL, "" and text of spaces only. */
bool connect_blank(const char *s);
/* Appends an error to *errs (n of them, in the arena). */
int connect_error_add(struct arena *a, struct connect_field_error **errs, size_t *n,
                      const char *field, const char *message);
/* Checks that text is given and at most max characters, adding missing or too_long for
 * field when not. */
int connect_text_field(struct arena *a, const char *text, size_t max, const char *field,
                       const char *missing, const char *too_long, struct connect_field_error **errs,
                       size_t *n);

/* ---- groups (group.c) ---- */

struct connect_group {
    int64_t id;
    const char *name, *description, *region, *topic, *visibility;
    int64_t created_at, members, threads;
    bool is_member, is_moderator; /* the viewer's place in it */
};

struct connect_group_input {
    const char *name, *description, *region, *topic, *visibility;
};

/* Checks in; APP_E_INVALID with *errs (n of them, in the arena) naming each wrong field. */
int connect_group_check(struct arena *a, const struct connect_group_input *in,
                        struct connect_field_error **errs, size_t *n);
/* Creates a checked group with by as its first moderator, audited, in one transaction.
 * APP_E_CONFLICT when the name is taken. */
int connect_group_create(struct db *db, const struct connect_group_input *in, int64_t by,
                         int64_t now, int64_t *id);
/* Every group (region NULL or "" for all), by name, with the viewer's place in each. */
int connect_group_list(struct db *db, struct arena *a, int64_t viewer, const char *region,
                       struct connect_group **out, size_t *n);
/* One group with the viewer's place in it. APP_E_NOTFOUND when there is none. */
int connect_group_get(struct db *db, struct arena *a, int64_t id, int64_t viewer,
                      struct connect_group *out);
/* True when the viewer may read the group's threads and events. */
bool connect_group_readable(const struct connect_group *g);
/* Joins (as a moderator when site_role is facilitator or above); joining twice is fine. */
int connect_group_join(struct db *db, int64_t group, int64_t user, enum role site_role,
                       int64_t now);
/* Makes member user of group a moderator (moderator true) or an ordinary member again, as
 * moderator by decides; audited. A group keeps at least one moderator: the moderators' rows
 * are locked first, so two moderators stepping each other down at once are taken one after
 * the other and the second finds it is no longer a moderator. APP_E_FORBIDDEN when by is not
 * (or no longer) a moderator, APP_E_NOTFOUND when user is not a member, APP_E_CONFLICT when
 * it would leave the group with none. Giving the role someone has already is fine. */
int connect_group_set_moderator(struct db *db, int64_t group, int64_t user, bool moderator,
                                int64_t by);
/* Leaves; leaving a group one is not in is fine. APP_E_CONFLICT when user is the group's only
 * active moderator and others are still in it: one of them must be made a moderator first. */
int connect_group_leave(struct db *db, int64_t group, int64_t user);

struct connect_member {
    int64_t user_id, joined_at;
    const char *name, *profession, *region, *role;
};
int connect_group_members(struct db *db, struct arena *a, int64_t group,
                          struct connect_member **out, size_t *n);

/* ---- threads, posts and moderation (thread.c) ---- */

struct connect_post {
    int64_t id, thread_id, author_id, created_at, open_reports, group_id;
    int64_t edited_at;  /* when its author last changed it; 0 never */
    int64_t deleted_at; /* when its author deleted it; 0 otherwise (also when it went with
                         * its author's account) */
    const char *author_name, *body, *state, *thread_title;
    bool started_thread; /* its author wrote the thread's first post (connect_posts_left_behind
                          * and connect_thread_started; false elsewhere) */
};

struct connect_thread {
    int64_t id, group_id, created_at, last_post_at, replies;
    const char *title, *starter_name;
};

/* Checks a thread's title and first post; APP_E_INVALID with *errs. */
int connect_thread_check(struct arena *a, const char *title, const char *body,
                         struct connect_field_error **errs, size_t *n);
int connect_post_check(struct arena *a, const char *field, const char *body,
                       struct connect_field_error **errs, size_t *n);
/* A new thread with its first post, in one transaction. */
int connect_thread_create(struct db *db, int64_t group, int64_t author, const char *title,
                          const char *body, int64_t now, int64_t *id);
/* A page of the group's threads (limit from offset), most recently active first; *total
 * counts them all. */
int connect_thread_list(struct db *db, struct arena *a, int64_t group, int64_t offset,
                        int64_t limit, struct connect_thread **out, size_t *n, int64_t *total);
int connect_thread_get(struct db *db, struct arena *a, int64_t id, struct connect_thread *out);
/* The thread's posts in order, each with its count of open reports. */
int connect_post_list(struct db *db, struct arena *a, int64_t thread, struct connect_post **out,
                      size_t *n);
/* A reply, moving the thread to the top of its group. */
int connect_reply(struct db *db, int64_t thread, int64_t author, const char *body, int64_t now,
                  int64_t *id);
/* One post and the group its thread is in. */
int connect_post_get(struct db *db, struct arena *a, int64_t id, struct connect_post *out,
                     int64_t *group);
/* Its author's changes to post id (checked by connect_post_check), marking it edited at now.
 * Open reports stay open, so the moderators read the new text: an edit does not take a post
 * out of their queue. A post a moderator hid is not changed (its author may delete it), so an
 * edit cannot bring it back into view. APP_E_NOTFOUND when author did not write it,
 * APP_E_CONFLICT when it is hidden or deleted (or was hidden meanwhile). */
int connect_post_edit(struct db *db, int64_t id, int64_t author, const char *body, int64_t now);
/* Its author deletes post id: the text is emptied in the database, the row stays (state
 * 'deleted') so the thread and its replies keep their places, and its open reports are
 * closed, as there is nothing left to decide. APP_E_NOTFOUND when author did not write it,
 * APP_E_CONFLICT when it is deleted already. */
int connect_post_delete(struct db *db, int64_t id, int64_t author, int64_t now);
/* The posts author wrote in groups they have since left, newest first: up to
 * CONNECT_LEFT_POSTS_MAX of them, *more when there are others. Deleted ones are left out
 * (nothing is left to change); hidden ones are in (their author may delete them). Their
 * own words stay theirs to change or delete (connect_post_edit, connect_post_delete)
 * without joining again; the thread around them, in a members-only group, is not theirs to
 * read, so callers show a post's thread title only where the group is open, or where they
 * started the discussion (started_thread: the title is theirs, as their copy of their data
 * says), and link into the thread only where the group is open. */
#define CONNECT_LEFT_POSTS_MAX 100
/* Sets p->started_thread: whether p's author wrote the first post of its thread. */
int connect_thread_started(struct db *db, struct connect_post *p);
int connect_posts_left_behind(struct db *db, struct arena *a, int64_t author,
                              struct connect_post **out, size_t *n, bool *more);
/* Reports a post to the moderators with a reason; reporting it again replaces the reason. */
int connect_report(struct db *db, int64_t post, int64_t reporter, const char *reason, int64_t now);

/* A report as moderators read it. */
struct connect_report {
    int64_t post_id, created_at;
    const char *reason;
};
/* A decision as moderators read it. */
struct connect_decision {
    int64_t post_id, created_at;
    const char *moderator, *action, *reason;
};
/* *n: how many posts in the group have reports waiting for a moderator. */
int connect_reports_waiting(struct db *db, int64_t group, int64_t *n);
/* The posts moderators must look at: with open reports, or hidden; and the open reports and
 * the decisions on them. */
int connect_moderation_queue(struct db *db, struct arena *a, int64_t group,
                             struct connect_post **posts, size_t *nposts,
                             struct connect_report **reports, size_t *nreports,
                             struct connect_decision **log, size_t *nlog);
/* Hides (hide true) or restores a post, closing its open reports, logging the decision with
 * its reason and auditing it, in one transaction. A reason is required to hide.
 * APP_E_CONFLICT when the post is already so, or deleted. */
int connect_moderate(struct db *db, int64_t post, int64_t moderator, bool hide, const char *reason,
                     int64_t now);

/* ---- events (event.c) ---- */

struct connect_event {
    int64_t id, group_id, starts_at, ends_at, created_at;
    const char *title, *place, *link, *description;
    int64_t sequence;     /* changes made since it was added: the calendar file's SEQUENCE */
    int64_t updated_at;   /* 0 when never changed */
    int64_t cancelled_at; /* 0 unless cancelled */
};

/* An event as typed: its date as the NHS.UK date input read it (web/date_input.h), and times
 * as HH:MM in UK time. */
struct connect_event_input {
    const char *title, *start_time, *end_time, *place, *link, *description;
    int64_t date;    /* the day, at 00:00 UTC; 0 when no date was given */
    bool date_wrong; /* a date was given that is not one: the reader has said why */
};
/* Checks in into out (times in UTC); APP_E_INVALID with *errs. now: dates in the past are
 * refused. */
int connect_event_check(struct arena *a, const struct connect_event_input *in, int64_t now,
                        struct connect_event *out, struct connect_field_error **errs, size_t *n);
int connect_event_create(struct db *db, const struct connect_event *ev, int64_t group, int64_t by,
                         int64_t now, int64_t *id);
/* Changes event id of group to ev's when, where and what (checked by connect_event_check),
 * raising its sequence so calendars update the entry; audited. APP_E_CONFLICT when it has
 * been cancelled, APP_E_NOTFOUND when it is not the group's. */
int connect_event_update(struct db *db, const struct connect_event *ev, int64_t id, int64_t group,
                         int64_t by, int64_t now);
/* Cancels event id of group: it stays listed, marked, and its calendar file says so;
 * audited. APP_E_CONFLICT when already cancelled, APP_E_NOTFOUND when not the group's. */
int connect_event_cancel(struct db *db, int64_t id, int64_t group, int64_t by, int64_t now);
int connect_event_get(struct db *db, struct arena *a, int64_t id, struct connect_event *out);
/* The group's events ending after now, soonest first. */
int connect_event_list(struct db *db, struct arena *a, int64_t group, int64_t now,
                       struct connect_event **out, size_t *n);

/* "Tuesday 15 December 2026, 2pm to 4:30pm" in UK time (the end on the same day). */
const char *connect_when_text(struct arena *a, int64_t starts_at, int64_t ends_at);
/* utc as ISO 8601 in UK time with its offset: "2027-01-15T10:00:00+00:00",
 * "2027-07-15T14:00:00+01:00"; NULL when out of memory. */
const char *connect_iso_time(struct arena *a, int64_t utc);
/* "Tuesday 15 December 2026" in UK time. */
const char *connect_date_text(struct arena *a, int64_t t);

/* ---- iCalendar (ics.c) ---- */

/* Appends ev as an RFC 5545 VCALENDAR with one VEVENT to out: CRLF line ends, lines folded
 * at 75 octets (never inside a UTF-8 character), TEXT values escaped, times in UTC. uid_host
 * makes the UID ("connect-event-ID@HOST"); url, if not NULL, is the event's page. */
void connect_ics_event(struct buf *out, const struct connect_event *ev, const char *group_name,
                       const char *uid_host, const char *url, int64_t now);

/* ---- the weekly digest (digest.c) ---- */

/* Monday 00:00 UTC of the week t falls in. */
int64_t connect_week_start(int64_t t);
/* Whether the member gets the weekly digest (on unless switched off). */
int connect_digest_get(struct db *db, int64_t user, bool *on);
int connect_digest_set(struct db *db, int64_t user, bool on, int64_t now);
/* The unsubscribe token for user under key (32 bytes), as 64 hex characters and a NUL. */
void connect_digest_token(const unsigned char key[32], int64_t user, char out[65]);
bool connect_digest_token_ok(const unsigned char key[32], int64_t user, const char *token);

struct connect_digest_run {
    int members; /* digests written (a row each) */
    int mailed;  /* of which had news and were queued as mail */
    int skipped; /* already done for that week (by this or another server) */
};
/* Sends the digest of the last complete week before now (Monday to Sunday, UTC) to every
 * member of a group who has it on and has not had that week's yet: one transaction per
 * member, the row in connect_digests and the queued mail together. base_url makes the
 * links absolute; key signs the unsubscribe links. */
int connect_digest_send(struct db *db, struct tpl_set *tpl, const char *base_url,
                        const unsigned char key[32], int64_t now, struct connect_digest_run *r);

/* The thread that runs connect_digest_send() hourly in a server (digest_worker.c). */
struct connect_digest_worker;
int connect_digest_worker_start(const char *db_url, struct tpl_set *tpl, const char *base_url,
                                const unsigned char key[32], struct connect_digest_worker **out);
void connect_digest_worker_stop(struct connect_digest_worker *w);

/* ---- demonstration data (group_demo.c) ---- */

/* Regional groups with threads, replies, events and memberships of the demo members, made
 * once (*made 1 when it made them). */
int connect_groups_demo(struct db *db, int64_t now, int *made);

#endif
