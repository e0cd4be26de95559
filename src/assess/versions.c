/* versions.c: instrument versions in the database — save the next version, load, list, and
 * seed the instruments shipped in data/instruments/
 *
 * The stored definition is the instrument's JSON as the parser writes it back, not as it was
 * uploaded, so what is kept has been checked and reads back to the same instrument. A stored
 * version is never changed: rounds and their responses point at it.
 */
#include "account/account.h"
#include "assess/assess.h"
#include "assess/round.h"
#include "assess/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#include <pthread.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The shipped instruments, in the order they are offered. */
static const char *const shipped[] = {
    "data/instruments/ahp-digital-capability.json",
    "data/instruments/wgll-organisation.json",
};

int assess_version_save(struct db *db, struct arena *a, const char *json, size_t len,
                        int64_t created_by, int64_t *id, int *version, const char **why)
{
    struct assess_instrument ins;
    struct db_stmt *st = NULL;
    struct buf text = BUF_INIT;
    json_t *doc = NULL;
    int rc = assess_instrument_parse(a, json, len, &ins, why);
    if (rc)
        return rc;
    doc = assess_instrument_json(&ins);
    if (!doc || json_dump_callback(doc, buf_append_cb, &text, JSON_INDENT(2)) || buf_oom(&text)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    buf_putc(&text, '\0');
    if ((rc = db_begin(db)))
        goto done;
    /* an admin demoted or deactivated meanwhile changes nothing (the command line, created_by 0,
     * answers to whoever runs it) */
    if ((created_by && (rc = account_admin_hold(db, created_by))) ||
        (rc = db_row(db, SQL_AI_NEXT_VERSION, &st, "t", ins.code)))
        goto done;
    *version = (int)db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_row(db, SQL_AI_INSERT, &st, "tittttIi", ins.code, (int64_t)*version, ins.title,
                ins.audience, assess_method_name(ins.method), text.data, created_by,
                (int64_t)time(NULL));
    if (rc)
        goto done;
    *id = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    buf_free(&text);
    json_decref(doc);
    return rc;
}

int assess_version_json(struct db *db, struct arena *a, int64_t id, const char **json)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_AI_GET, &st, "i", id);
    if (!rc && !(*json = arena_strdup(a, db_col_text(st, 0))))
        rc = APP_E_NOMEM;
    db_finalize(st);
    return rc;
}

/* Parsed versions, kept as long as the application: a stored version never changes, so a
 * page does not parse its JSON again (a few hundred microseconds for 40 items). The cache
 * belongs to one struct app and so to one database, and an entry is found by the version's
 * id. A small fixed table; when it is full, versions are parsed per request. */
#define PARSED_MAX 32

struct assess_version_cache {
    pthread_mutex_t lock;
    struct {
        int64_t id;
        struct arena *arena;
        struct assess_instrument ins;
    } parsed[PARSED_MAX];
    size_t n;
};

int assess_version_cache_new(struct assess_version_cache **out)
{
    struct assess_version_cache *vc = calloc(1, sizeof *vc);
    *out = NULL;
    if (!vc)
        return APP_E_NOMEM;
    if (pthread_mutex_init(&vc->lock, NULL)) {
        free(vc);
        return APP_E_NOMEM;
    }
    *out = vc;
    return APP_OK;
}

void assess_version_cache_free(struct assess_version_cache *vc)
{
    if (!vc)
        return;
    for (size_t i = 0; i < vc->n; i++)
        arena_free(vc->parsed[i].arena);
    pthread_mutex_destroy(&vc->lock);
    free(vc);
}

/* The parsed version id from the cache, copied into *out; false when it is not there. */
static bool cache_find(struct assess_version_cache *vc, int64_t id, struct assess_instrument *out)
{
    bool hit = false;
    pthread_mutex_lock(&vc->lock);
    for (size_t i = 0; i < vc->n && !hit; i++)
        if (vc->parsed[i].id == id) {
            *out = vc->parsed[i].ins;
            hit = true;
        }
    pthread_mutex_unlock(&vc->lock);
    return hit;
}

/* Keeps ins, parsed into the arena keep, and takes keep; false (keep not taken) when the
 * table is full or another request kept the same version first. */
static bool cache_keep(struct assess_version_cache *vc, struct arena *keep,
                       const struct assess_instrument *ins)
{
    bool kept = false;
    pthread_mutex_lock(&vc->lock);
    if (vc->n < PARSED_MAX) {
        kept = true;
        for (size_t i = 0; i < vc->n && kept; i++)
            kept = vc->parsed[i].id != ins->id;
        if (kept) {
            vc->parsed[vc->n].id = ins->id;
            vc->parsed[vc->n].arena = keep;
            vc->parsed[vc->n].ins = *ins;
            vc->n++;
        }
    }
    pthread_mutex_unlock(&vc->lock);
    return kept;
}

int assess_version_load(struct db *db, struct assess_version_cache *cache, struct arena *a,
                        int64_t id, struct assess_instrument *out)
{
    struct db_stmt *st = NULL;
    struct arena *keep = NULL;
    const char *why = NULL;
    int rc;
    if (cache && cache_find(cache, id, out))
        return APP_OK;
    rc = db_row(db, SQL_AI_GET, &st, "i", id);
    if (rc)
        return rc;
    /* parsed into an arena of its own when it is to be kept */
    keep = cache ? arena_new() : NULL;
    rc = assess_instrument_parse(keep ? keep : a, db_col_text(st, 0), db_col_len(st, 0), out, &why);
    if (rc == APP_E_INVALID) {
        /* Only checked definitions are stored: this is damage, not a user's mistake. */
        log_error("assess: stored instrument %lld does not parse: %s", (long long)id,
                  why ? why : "?");
        rc = APP_E_INTERNAL;
    }
    if (rc)
        goto done;
    out->id = id;
    out->version = (int)db_col_int(st, 2);
    if (keep && cache_keep(cache, keep, out)) {
        keep = NULL;
    } else if (keep) {
        /* not kept: *out must not point into keep, which is freed below */
        rc = assess_instrument_parse(a, db_col_text(st, 0), db_col_len(st, 0), out, &why);
        if (!rc) {
            out->id = id;
            out->version = (int)db_col_int(st, 2);
        }
    }
done:
    db_finalize(st);
    arena_free(keep);
    return rc;
}

static int read_infos(struct db_stmt *st, struct arena *a, struct assess_version_info **out,
                      size_t *n)
{
    struct assess_version_info *list = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct assess_version_info *v;
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            return APP_E_NOMEM;
        v = &list[(*n)++];
        v->id = db_col_int(st, 0);
        v->code = arena_strdup(a, db_col_text(st, 1));
        v->title = arena_strdup(a, db_col_text(st, 2));
        v->audience = arena_strdup(a, db_col_text(st, 3));
        v->method = arena_strdup(a, db_col_text(st, 4));
        v->version = (int)db_col_int(st, 5);
        v->created_at = db_col_int(st, 6);
        v->rounds = db_col_int(st, 7);
        if (!v->code || !v->title || !v->audience || !v->method)
            return APP_E_NOMEM;
    }
    *out = list;
    return rc == DB_DONE ? APP_OK : rc;
}

int assess_version_latest(struct db *db, struct arena *a, struct assess_version_info **out,
                          size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, SQL_AI_LATEST, &st);
    if (!rc)
        rc = read_infos(st, a, out, n);
    db_finalize(st);
    return rc;
}

int assess_version_history(struct db *db, struct arena *a, const char *code,
                           struct assess_version_info **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_AI_HISTORY, &st, "t", code);
    if (!rc)
        rc = read_infos(st, a, out, n);
    db_finalize(st);
    return rc;
}

int assess_version_seed(struct db *db)
{
    struct arena *a = arena_new();
    int rc = a ? APP_OK : APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof shipped / sizeof shipped[0]; i++) {
        const struct embed_file *f = embed_find(shipped[i]);
        struct assess_instrument ins;
        struct db_stmt *st = NULL;
        const char *why = NULL;
        int64_t id;
        int version;
        if (!f) {
            log_error("assess: %s is not in the binary", shipped[i]);
            rc = APP_E_INTERNAL;
            break;
        }
        rc = assess_instrument_parse(a, (const char *)f->data, f->len, &ins, &why);
        if (rc) {
            log_error("assess: %s: %s", shipped[i], why ? why : "cannot be read");
            break;
        }
        rc = db_row(db, SQL_AI_EXISTS, &st, "t", ins.code);
        db_finalize(st);
        if (rc == APP_OK)
            continue; /* already there, perhaps edited since: leave it */
        if (rc != APP_E_NOTFOUND)
            break;
        rc = assess_version_save(db, a, (const char *)f->data, f->len, 0, &id, &version, &why);
    }
    arena_free(a);
    return rc;
}
