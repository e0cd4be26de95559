/* exercise.c: listening exercises — create, edit, list, status changes, Markdown summaries,
 * and who facilitates each one
 *
 * Facilitators: one invariant, that an exercise keeps at least one. A removal locks the
 * exercise's row before counting, so two removals of different facilitators run one after
 * the other and the second sees that only one is left. */
#include "listen/actions.h"
#include "listen/analysis.h"
#include "listen/listen.h"
#include "account/account.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"
#include "text/language.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const status_names[] = {"draft", "open", "closed", "published"};

const char *listen_status_name(enum listen_status s)
{
    return (unsigned)s < 4 ? status_names[s] : "draft";
}

int listen_status_parse(const char *s, enum listen_status *out)
{
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum listen_status)i;
            return APP_OK;
        }
    return APP_E_INVALID;
}

/* One table per enum: the names are what the database and the API hold. */
static const char *const cstatus_names[] = {"pending", "approved", "rejected", "withdrawn"};
static const char *const decision_names[] = {"approve", "reject", "redact", "restore"};

static int parse_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

const char *listen_cstatus_name(enum listen_cstatus s)
{
    return (unsigned)s < 4 ? cstatus_names[s] : "pending";
}

int listen_cstatus_parse(const char *s, enum listen_cstatus *out)
{
    int i = parse_name(cstatus_names, 4, s);
    if (i < 0)
        return APP_E_INVALID;
    *out = (enum listen_cstatus)i;
    return APP_OK;
}

const char *listen_decision_name(enum listen_decision d)
{
    return (unsigned)d < 4 ? decision_names[d] : "approve";
}

int listen_decision_parse(const char *s, enum listen_decision *out)
{
    int i = parse_name(decision_names, 4, s);
    if (i < 0)
        return APP_E_INVALID;
    *out = (enum listen_decision)i;
    return APP_OK;
}

const char *listen_audience_name(const char *code)
{
    if (!code)
        return NULL;
    if (!strcmp(code, "citizen"))
        return "Member of the public";
    if (!strcmp(code, "ahp"))
        return "Allied health professional";
    if (!strcmp(code, "staff"))
        return "Other health and care staff";
    return NULL;
}

const char *listen_language_name(const char *tag)
{
    const struct language *l = language_find(tag);
    return l ? l->name : tag;
}

static int check_input(const struct listen_exercise_input *in)
{
    char tag[LANGUAGE_TAG_MAX];
    if (!in->title || !*in->title || in->nprompts == 0)
        return APP_E_INVALID;
    /* the form reader canonicalises it; anything else must already be canonical */
    if (in->language && (!language_canonical(in->language, tag) || strcmp(tag, in->language)))
        return APP_E_INVALID;
    if (in->closes_at && in->opens_at && in->closes_at <= in->opens_at)
        return APP_E_INVALID;
    if (in->flag_threshold < 1 || in->flag_threshold > 100)
        return APP_E_INVALID;
    for (size_t i = 0; i < in->nprompts; i++)
        if (!in->prompts[i] || !*in->prompts[i])
            return APP_E_INVALID;
    return APP_OK;
}

int listen_exercise_create(struct db *db, const struct listen_exercise_input *in,
                           int64_t created_by, int64_t *id, const char **slug_out, struct arena *a)
{
    char slug[11];
    int64_t now = (int64_t)time(NULL);
    int rc = check_input(in);
    if (rc)
        return rc;
    rc = db_begin(db);
    if (rc)
        return rc;
    for (int attempt = 0; attempt < 5; attempt++) {
        if ((rc = rand_slug(slug, 10)))
            goto done;
        rc = db_run_int(db, SQL_LX_INSERT, id, "ttttiitiIit", slug, in->title,
                        in->summary_md ? in->summary_md : "",
                        in->audiences && *in->audiences ? in->audiences : "citizen,ahp,staff",
                        in->opens_at, in->closes_at, in->pre_moderation ? "pre" : "post",
                        (int64_t)in->flag_threshold, created_by, now,
                        in->language ? in->language : LANGUAGE_DEFAULT);
        /* A slug already taken inserts nothing (no row back): try another. A failed
         * statement would end the transaction on PostgreSQL, so no error is provoked. */
        if (rc != APP_E_NOTFOUND)
            break;
    }
    if (rc == APP_E_NOTFOUND)
        rc = APP_E_CONFLICT;
    if (rc)
        goto done;
    for (size_t i = 0; i < in->nprompts && !rc; i++)
        rc = db_run(db, SQL_LP_INSERT, "iit", *id, (int64_t)i, in->prompts[i]);
    if (!rc && created_by)
        rc = listen_facilitator_first(db, *id, created_by, now);
    if (!rc)
        rc = db_commit(db);
    if (!rc && slug_out)
        *slug_out = arena_strdup(a, slug);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_exercise_update(struct db *db, int64_t id, const struct listen_exercise_input *in)
{
    struct db_stmt *st = NULL;
    int64_t used = 0;
    int rc = check_input(in);
    if (rc)
        return rc;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc =
        db_run(db, SQL_LX_UPDATE, "itttiitiit", id, in->title, in->summary_md ? in->summary_md : "",
               in->audiences && *in->audiences ? in->audiences : "citizen,ahp,staff", in->opens_at,
               in->closes_at, in->pre_moderation ? "pre" : "post", (int64_t)in->flag_threshold,
               (int64_t)time(NULL), in->language ? in->language : LANGUAGE_DEFAULT);
    if (rc)
        goto done;
    /* Prompts past the new end may go only if nobody answered them. */
    rc = db_row(db, SQL_LP_USED_FROM, &st, "ii", id, (int64_t)in->nprompts);
    if (rc)
        goto done;
    used = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if (used) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    rc = db_run(db, SQL_LP_DELETE_FROM, "ii", id, (int64_t)in->nprompts);
    for (size_t i = 0; i < in->nprompts && !rc; i++) {
        rc = db_run(db, SQL_LP_UPDATE, "iit", id, (int64_t)i, in->prompts[i]);
        if (!rc && db_changes(db) == 0)
            rc = db_run(db, SQL_LP_INSERT, "iit", id, (int64_t)i, in->prompts[i]);
    }
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

static int read_exercise(struct arena *a, struct db_stmt *st, struct listen_exercise *e)
{
    memset(e, 0, sizeof *e);
    e->id = db_col_int(st, 0);
    e->slug = arena_strdup(a, db_col_text(st, 1));
    e->title = arena_strdup(a, db_col_text(st, 2));
    e->summary_md = arena_strdup(a, db_col_text(st, 3));
    e->audiences = arena_strdup(a, db_col_text(st, 4));
    e->opens_at = db_col_int(st, 5);
    e->closes_at = db_col_int(st, 6);
    if (listen_status_parse(db_col_text(st, 7), &e->status))
        e->status = LS_DRAFT;
    e->pre_moderation = !strcmp(db_col_text(st, 8), "pre");
    e->flag_threshold = (int)db_col_int(st, 9);
    e->created_at = db_col_int(st, 10);
    e->language = arena_strdup(a, db_col_text(st, 11));
    if (!e->slug || !e->title || !e->summary_md || !e->audiences || !e->language)
        return APP_E_NOMEM;
    return APP_OK;
}

static int load_prompts(struct db *db, struct arena *a, struct listen_exercise *e)
{
    struct db_stmt *ps = NULL;
    size_t cap = 0;
    int rc;
    e->prompts = arena_grow(a, NULL, 4, &cap, sizeof *e->prompts);
    if (!e->prompts)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_LP_LIST, &ps, "i", e->id);
    if (rc)
        return rc;
    while ((rc = db_step(ps)) == DB_ROW) {
        struct listen_prompt *np = arena_grow(a, e->prompts, e->nprompts + 1, &cap, sizeof *np);
        if (!np) {
            rc = APP_E_NOMEM;
            break;
        }
        e->prompts = np;
        e->prompts[e->nprompts].id = db_col_int(ps, 0);
        e->prompts[e->nprompts].position = (int)db_col_int(ps, 1);
        e->prompts[e->nprompts].text = arena_strdup(a, db_col_text(ps, 2));
        if (!e->prompts[e->nprompts].text) {
            rc = APP_E_NOMEM;
            break;
        }
        e->nprompts++;
    }
    db_finalize(ps);
    return rc == DB_DONE ? APP_OK : rc;
}

static int exercise_get(struct db *db, struct arena *a, const char *sql, const char *slug,
                        int64_t id, struct listen_exercise *out)
{
    struct db_stmt *st = NULL;
    int rc = slug ? db_row(db, sql, &st, "t", slug) : db_row(db, sql, &st, "i", id);
    if (!rc)
        rc = read_exercise(a, st, out);
    db_finalize(st);
    if (!rc)
        rc = load_prompts(db, a, out);
    return rc;
}

int listen_exercise_get(struct db *db, struct arena *a, const char *slug,
                        struct listen_exercise *out)
{
    return exercise_get(db, a, SQL_LX_BY_SLUG, slug, 0, out);
}

int listen_exercise_get_id(struct db *db, struct arena *a, int64_t id, struct listen_exercise *out)
{
    return exercise_get(db, a, SQL_LX_BY_ID, NULL, id, out);
}

int listen_exercise_language(struct db *db, struct arena *a, int64_t id, const char **out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LX_LANGUAGE, &st, "i", id);
    *out = NULL;
    if (!rc && !(*out = arena_strdup(a, db_col_text(st, 0))))
        rc = APP_E_NOMEM;
    db_finalize(st);
    return rc;
}

static int exercise_list(struct db *db, struct arena *a, const char *sql, int64_t user_id,
                         struct listen_exercise **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    *out = arena_grow(a, NULL, 8, &cap, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = user_id ? db_prepare_bind(db, sql, &st, "i", user_id) : db_prepare(db, sql, &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct listen_exercise *np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = np;
        rc = read_exercise(a, st, &(*out)[*n]);
        if (rc)
            break;
        if (sql == SQL_LX_LIST_MANAGED)
            (*out)[*n].managed = db_col_int(st, 12) > 0;
        else if (sql == SQL_LX_LIST_FACILITATED)
            (*out)[*n].waiting = db_col_int(st, 12);
        (*n)++;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int listen_exercise_list(struct db *db, struct arena *a, bool all, struct listen_exercise **out,
                         size_t *n)
{
    return exercise_list(db, a, all ? SQL_LX_LIST_ALL : SQL_LX_LIST_PUBLIC, 0, out, n);
}

int listen_exercise_list_managed(struct db *db, struct arena *a, int64_t user_id,
                                 struct listen_exercise **out, size_t *n)
{
    return exercise_list(db, a, SQL_LX_LIST_MANAGED, user_id, out, n);
}

int listen_exercise_list_facilitated(struct db *db, struct arena *a, int64_t user_id,
                                     struct listen_exercise **out, size_t *n)
{
    return exercise_list(db, a, SQL_LX_LIST_FACILITATED, user_id, out, n);
}

/* ---- facilitators ---- */

int listen_facilitator_is(struct db *db, int64_t exercise_id, int64_t user_id, bool *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LXF_IS, &st, "ii", exercise_id, user_id);
    *out = !rc && db_col_int(st, 0) > 0;
    db_finalize(st);
    return rc;
}

int listen_facilitator_list(struct db *db, struct arena *a, int64_t exercise_id,
                            struct listen_facilitator **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    *out = arena_grow(a, NULL, 4, &cap, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_LXF_LIST, &st, "i", exercise_id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct listen_facilitator *np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np) {
            rc = APP_E_NOMEM;
            goto done;
        }
        *out = np;
        np[*n].user_id = db_col_int(st, 0);
        np[*n].email = arena_strdup(a, db_col_text(st, 1));
        np[*n].display_name = arena_strdup(a, db_col_text(st, 2));
        if (!np[*n].email || !np[*n].display_name) {
            rc = APP_E_NOMEM;
            goto done;
        }
        (*n)++;
    }
    rc = rc == DB_DONE ? APP_OK : rc;
done:
    db_finalize(st);
    return rc;
}

int listen_facilitator_first(struct db *db, int64_t exercise_id, int64_t user_id, int64_t now)
{
    return db_run(db, SQL_LXF_INSERT, "iii", exercise_id, user_id, now);
}

int listen_facilitator_add(struct db *db, int64_t exercise_id, const char *email)
{
    struct arena *a;
    struct user u;
    int rc;
    if (!email || !*email)
        return APP_E_NOTFOUND;
    if (!(a = arena_new()))
        return APP_E_NOMEM;
    rc = db_begin(db);
    if (rc)
        goto done;
    if ((rc = db_run(db, SQL_LX_LOCK, "i", exercise_id)))
        goto done;
    if ((rc = account_user_by_email(db, a, email, &u)))
        goto done; /* APP_E_NOTFOUND: no account with that email */
    if (u.role < ROLE_FACILITATOR) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = db_run(db, SQL_LXF_INSERT, "iii", exercise_id, u.id, (int64_t)time(NULL))))
        goto done;
    if (db_changes(db) == 0) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    rc = db_commit(db);
done:
    if (rc && db_in_tx(db))
        db_rollback(db);
    arena_free(a);
    return rc;
}

int listen_facilitator_remove(struct db *db, int64_t exercise_id, int64_t user_id)
{
    int64_t count = 0;
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run(db, SQL_LX_LOCK, "i", exercise_id)))
        goto done;
    if ((rc = db_run_int(db, SQL_LXF_IS, &count, "ii", exercise_id, user_id)))
        goto done;
    if (!count) {
        rc = APP_E_NOTFOUND;
        goto done;
    }
    if ((rc = db_run_int(db, SQL_LXF_COUNT, &count, "i", exercise_id)))
        goto done;
    if (count <= 1) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    if ((rc = db_run(db, SQL_LXF_DELETE, "ii", exercise_id, user_id)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_exercise_set_status(struct db *db, int64_t id, enum listen_status to, int64_t moderator)
{
    struct arena *a = arena_new();
    struct listen_exercise e;
    int64_t now = (int64_t)time(NULL);
    int rc;
    if (!a)
        return APP_E_NOMEM;
    rc = listen_exercise_get_id(db, a, id, &e);
    if (rc)
        goto done;
    /* draft → open → closed → published; a closed exercise may reopen. */
    if (!((e.status == LS_DRAFT && to == LS_OPEN) || (e.status == LS_OPEN && to == LS_CLOSED) ||
          (e.status == LS_CLOSED && (to == LS_OPEN || to == LS_PUBLISHED)))) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    rc = db_begin(db);
    if (rc)
        goto done;
    rc = db_run(db, SQL_LX_SET_STATUS, "iti", id, listen_status_name(to), now);
    /* Once the report is out, what people wrote before redaction is no longer kept. The runs,
     * the published themes and the actions' themes are first written as they are shown, without
     * what was taken back, since afterwards the words redactions replaced are gone and could
     * not be matched (unshown.c). */
    if (!rc && to == LS_PUBLISHED && !(rc = listen_analysis_bake_unshown(db, a, id)) &&
        !(rc = listen_action_bake(db, a, id)))
        rc = db_run(db, SQL_LX_PURGE_ORIGINALS, "i", id);
    if (!rc)
        rc = db_run(db, SQL_LM_LOG, "iIItti", id, (int64_t)0, moderator, "status",
                    listen_status_name(to), now);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
done:
    arena_free(a);
    return rc;
}

bool listen_exercise_accepting(const struct listen_exercise *e, int64_t now)
{
    if (e->status != LS_OPEN)
        return false;
    if (e->opens_at && now < e->opens_at)
        return false;
    if (e->closes_at && now >= e->closes_at)
        return false;
    return true;
}

int listen_exercise_taking(struct db *db, int64_t id, int64_t now)
{
    struct db_stmt *st = NULL;
    int rc;
    /* outside a transaction the answer could change before the write it guards */
    if (!db_in_tx(db))
        return APP_E_INTERNAL;
    rc = db_row(db, db_engine(db) == DB_POSTGRES ? SQL_LX_TAKING_PG : SQL_LX_TAKING_SQLITE, &st,
                "ii", id, now);
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_E_CLOSED : rc;
}
