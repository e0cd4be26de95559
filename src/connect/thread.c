/* thread.c: discussion threads, their posts, reports to moderators and moderators' decisions
 *
 * Posts are Markdown, rendered through cmark with raw HTML and unsafe links (javascript:,
 * data: other than images) left out, so what a member writes can never become markup, and
 * images shown as links (text/markdown.h: no reader's browser fetches what a writer chose).
 * A moderator's decision (hide, or keep a reported post, which restores a hidden one) is
 * one transaction: the post's state, the reports it closes, a line in the group's moderation
 * log with the reason, and an audit entry. Who reported a post is kept for data rights but
 * never shown to moderators, as with Listen's flags.
 */
#include "connect/group.h"
#include "connect/group_store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/buf.h"
#include "core/str.h"
#include "store/db.h"
#include "text/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when text holds an NHS number with a valid check digit: a patient's identifier has
 * no place in a group's discussion (members may share their own email or a link, so the other
 * kinds text/redact.c finds are left alone). */
static bool names_a_patient(const char *text, int *rc)
{
    struct buf out = BUF_INIT;
    unsigned found = 0;
    *rc = text ? redact_text(text, strlen(text), &out, &found) : APP_OK;
    buf_free(&out);
    return (found & REDACT_NHS_NUMBER) != 0;
}

int connect_post_check(struct arena *a, const char *field, const char *body,
                       struct connect_field_error **errs, size_t *n)
{
    size_t before = *n;
    int rc = connect_text_field(a, body, CONNECT_POST_MAX, field, "Enter your message",
                                "Your message must be 5,000 characters or fewer", errs, n);
    if (!rc && *n == before && names_a_patient(body, &rc) && !rc)
        rc = connect_error_add(a, errs, n, field,
                               "Remove the NHS number: do not post anything that identifies a "
                               "patient");
    return rc;
}

int connect_thread_check(struct arena *a, const char *title, const char *body,
                         struct connect_field_error **errs, size_t *n)
{
    int rc;
    *errs = NULL;
    *n = 0;
    if ((rc = connect_text_field(a, title, CONNECT_TITLE_MAX, "title",
                                 "Enter a title for the discussion",
                                 "The title must be 150 characters or fewer", errs, n)))
        return rc;
    if (*n == 0 && names_a_patient(title, &rc) && !rc &&
        (rc = connect_error_add(a, errs, n, "title",
                                "Remove the NHS number: do not post anything that identifies a "
                                "patient")))
        return rc;
    if (rc || (rc = connect_post_check(a, "body", body, errs, n)))
        return rc;
    return *n ? APP_E_INVALID : APP_OK;
}

int connect_thread_create(struct db *db, int64_t group, int64_t author, const char *title,
                          const char *body, int64_t now, int64_t *id)
{
    int64_t post;
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run_int(db, SQL_CT_INSERT, id, "iti", group, title, now)) ||
        (rc = db_run_int(db, SQL_POST_INSERT, &post, "iiti", *id, author, body, now)) ||
        (rc = db_commit(db)))
        db_rollback(db);
    return rc;
}

static int thread_row(struct db_stmt *st, struct arena *a, struct connect_thread *t)
{
    t->id = db_col_int(st, 0);
    t->group_id = db_col_int(st, 1);
    t->title = arena_strdup(a, db_col_text(st, 2));
    t->created_at = db_col_int(st, 3);
    t->last_post_at = db_col_int(st, 4);
    t->replies = db_col_int(st, 5);
    t->starter_name = arena_strdup(a, db_col_text(st, 6));
    return t->title && t->starter_name ? APP_OK : APP_E_NOMEM;
}

int connect_thread_list(struct db *db, struct arena *a, int64_t group, int64_t offset,
                        int64_t limit, struct connect_thread **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_row(db, SQL_CT_COUNT, &st, "i", group);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    *total = db_col_int(st, 0);
    db_finalize(st);
    if ((rc = db_prepare_bind(db, SQL_CT_LIST, &st, "iii", group, limit, offset)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)) ||
            thread_row(st, a, &(*out)[*n])) {
            rc = APP_E_NOMEM;
            break;
        }
        (*n)++;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int connect_thread_get(struct db *db, struct arena *a, int64_t id, struct connect_thread *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CT_GET, &st, "i", id);
    if (rc)
        return rc;
    rc = thread_row(st, a, out);
    db_finalize(st);
    return rc;
}

static int post_row(struct db_stmt *st, struct arena *a, struct connect_post *p)
{
    p->id = db_col_int(st, 0);
    p->thread_id = db_col_int(st, 1);
    p->author_id = db_col_int(st, 2);
    p->author_name = arena_strdup(a, db_col_text(st, 3));
    p->body = arena_strdup(a, db_col_text(st, 4));
    p->state = arena_strdup(a, db_col_text(st, 5));
    p->created_at = db_col_int(st, 6);
    p->open_reports = db_col_int(st, 7);
    p->thread_title = arena_strdup(a, db_col_text(st, 8));
    p->group_id = db_col_int(st, 9);
    p->edited_at = db_col_int(st, 10);
    p->deleted_at = db_col_int(st, 11);
    p->started_thread = db_column_count(st) > 12 && db_col_int(st, 12) != 0;
    return p->author_name && p->body && p->state && p->thread_title ? APP_OK : APP_E_NOMEM;
}

static int post_rows(struct db *db, struct arena *a, const char *sql, int64_t arg,
                     struct connect_post **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, sql, &st, "i", arg);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)) ||
            post_row(st, a, &(*out)[*n])) {
            rc = APP_E_NOMEM;
            break;
        }
        (*n)++;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int connect_post_list(struct db *db, struct arena *a, int64_t thread, struct connect_post **out,
                      size_t *n)
{
    return post_rows(db, a, SQL_POST_LIST, thread, out, n);
}

int connect_reply(struct db *db, int64_t thread, int64_t author, const char *body, int64_t now,
                  int64_t *id)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run_int(db, SQL_POST_INSERT, id, "iiti", thread, author, body, now)) ||
        (rc = db_run(db, SQL_CT_TOUCH, "ii", thread, now)) || (rc = db_commit(db)))
        db_rollback(db);
    return rc;
}

int connect_post_get(struct db *db, struct arena *a, int64_t id, struct connect_post *out,
                     int64_t *group)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_POST_GET, &st, "i", id);
    if (rc)
        return rc;
    rc = post_row(st, a, out);
    if (group)
        *group = out->group_id;
    db_finalize(st);
    return rc;
}

int connect_posts_left_behind(struct db *db, struct arena *a, int64_t author,
                              struct connect_post **out, size_t *n, bool *more)
{
    int rc = post_rows(db, a, SQL_POST_LEFT, author, out, n);
    *more = !rc && *n > CONNECT_LEFT_POSTS_MAX;
    if (*more)
        *n = CONNECT_LEFT_POSTS_MAX;
    return rc;
}

int connect_thread_started(struct db *db, struct connect_post *p)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CT_STARTER, &st, "i", p->thread_id);
    p->started_thread = !rc && p->author_id && db_col_int(st, 0) == p->author_id;
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

/* The post's author and state, for telling apart "not yours" and "not now". */
static int post_owner(struct db *db, int64_t id, int64_t *author, char *state, size_t n)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_POST_GET, &st, "i", id);
    if (rc)
        return rc;
    *author = db_col_int(st, 2);
    snprintf(state, n, "%s", db_col_text(st, 5));
    db_finalize(st);
    return APP_OK;
}

int connect_post_edit(struct db *db, int64_t id, int64_t author, const char *body, int64_t now)
{
    int64_t by = 0;
    char state[16];
    int rc = post_owner(db, id, &by, state, sizeof state);
    if (rc)
        return rc;
    if (!author || by != author)
        return APP_E_NOTFOUND;
    if (strcmp(state, "visible"))
        return APP_E_CONFLICT;
    if ((rc = db_run(db, SQL_POST_EDIT, "iiti", id, author, body, now)))
        return rc;
    /* hidden or deleted between the read and the write */
    return db_changes(db) == 1 ? APP_OK : APP_E_CONFLICT;
}

int connect_post_delete(struct db *db, int64_t id, int64_t author, int64_t now)
{
    int64_t by = 0;
    char state[16];
    int rc = post_owner(db, id, &by, state, sizeof state);
    if (rc)
        return rc;
    if (!author || by != author)
        return APP_E_NOTFOUND;
    if (!strcmp(state, "deleted"))
        return APP_E_CONFLICT;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run(db, SQL_POST_DELETE, "iii", id, author, now)))
        goto fail;
    if (db_changes(db) != 1) {
        rc = APP_E_CONFLICT;
        goto fail;
    }
    if ((rc = db_run(db, SQL_CR_RESOLVE, "ii", id, now)) || (rc = db_commit(db)))
        goto fail;
    return APP_OK;
fail:
    db_rollback(db);
    return rc;
}

int connect_report(struct db *db, int64_t post, int64_t reporter, const char *reason, int64_t now)
{
    if (connect_blank(reason) || utf8_count(reason, strlen(reason)) > CONNECT_REASON_MAX)
        return APP_E_INVALID;
    return db_run(db, SQL_CR_UPSERT, "iiti", post, reporter, reason, now);
}

int connect_reports_waiting(struct db *db, int64_t group, int64_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CR_WAITING, &st, "i", group);
    if (rc)
        return rc;
    *n = db_col_int(st, 0);
    db_finalize(st);
    return APP_OK;
}

int connect_moderation_queue(struct db *db, struct arena *a, int64_t group,
                             struct connect_post **posts, size_t *nposts,
                             struct connect_report **reports, size_t *nreports,
                             struct connect_decision **log, size_t *nlog)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = post_rows(db, a, SQL_CM_QUEUE, group, posts, nposts);
    *reports = NULL;
    *nreports = 0;
    *log = NULL;
    *nlog = 0;
    if (rc || (rc = db_prepare_bind(db, SQL_CR_OPEN, &st, "i", group)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct connect_report *r;
        if (!(*reports = arena_grow(a, *reports, *nreports + 1, &cap, sizeof **reports))) {
            rc = APP_E_NOMEM;
            break;
        }
        r = &(*reports)[(*nreports)++];
        r->post_id = db_col_int(st, 0);
        r->reason = arena_strdup(a, db_col_text(st, 1));
        r->created_at = db_col_int(st, 2);
        if (!r->reason) {
            rc = APP_E_NOMEM;
            break;
        }
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE || (rc = db_prepare_bind(db, SQL_CM_LOG, &st, "i", group)))
        return rc;
    cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct connect_decision *d;
        if (!(*log = arena_grow(a, *log, *nlog + 1, &cap, sizeof **log))) {
            rc = APP_E_NOMEM;
            break;
        }
        d = &(*log)[(*nlog)++];
        d->post_id = db_col_int(st, 0);
        d->moderator = arena_strdup(a, db_col_text(st, 1));
        d->action = arena_strdup(a, db_col_text(st, 2));
        d->reason = arena_strdup(a, db_col_text(st, 3));
        d->created_at = db_col_int(st, 4);
        if (!d->moderator || !d->action || !d->reason) {
            rc = APP_E_NOMEM;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int connect_moderate(struct db *db, int64_t post, int64_t moderator, bool hide, const char *reason,
                     int64_t now)
{
    struct db_stmt *st = NULL;
    char state[16], detail[64];
    int64_t open_reports;
    int rc;
    if (hide && connect_blank(reason))
        return APP_E_INVALID;
    if (reason && utf8_count(reason, strlen(reason)) > CONNECT_REASON_MAX)
        return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_row(db, SQL_POST_GET, &st, "i", post)))
        goto done;
    snprintf(state, sizeof state, "%s", db_col_text(st, 5));
    open_reports = db_col_int(st, 7);
    db_finalize(st);
    st = NULL;
    /* hide: a visible post; keep: a hidden post (restored) or a visible one with reports */
    if (hide ? strcmp(state, "visible") != 0
             : !(strcmp(state, "hidden") == 0 || (strcmp(state, "visible") == 0 && open_reports))) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    if (strcmp(state, hide ? "visible" : "hidden") == 0 &&
        ((rc = db_run(db, SQL_CM_SET_STATE, "itt", post, hide ? "hidden" : "visible",
                      hide ? "visible" : "hidden")) ||
         (db_changes(db) != 1 && (rc = APP_E_CONFLICT))))
        goto done;
    snprintf(detail, sizeof detail, "post %lld", (long long)post);
    if ((rc = db_run(db, SQL_CR_RESOLVE, "ii", post, now)) ||
        (rc = db_run(db, SQL_CM_LOG_INSERT, "iitti", post, moderator, hide ? "hide" : "keep",
                     reason ? reason : "", now)) ||
        (rc = hide ? account_audit(db, "connect_post_hidden", moderator, 0, detail)
                   : account_audit(db, "connect_post_kept", moderator, 0, detail)))
        goto done;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}
