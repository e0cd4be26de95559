/* versions.c: framework versions in the database — save the next version, load, list, and
 * seed the frameworks shipped in data/frameworks/
 *
 * The stored definition is the framework's JSON as the parser writes it back, not as it was
 * pasted, so what is kept has been checked and reads back to the same framework. A stored
 * version is never changed: self-assessments point at it.
 */
#include "develop/self.h"
#include "develop/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#include <string.h>
#include <time.h>

/* The shipped frameworks, in the order they are offered. */
static const char *const shipped[] = {
    "data/frameworks/ahp-clinical-leadership.json",
};

int develop_version_save(struct db *db, struct arena *a, const char *json, size_t len,
                         int64_t created_by, int64_t *id, int *version, const char **why)
{
    struct develop_framework fw;
    struct db_stmt *st = NULL;
    struct buf text = BUF_INIT;
    json_t *doc = NULL;
    int rc = develop_framework_parse(a, json, len, &fw, why);
    if (rc)
        return rc;
    doc = develop_framework_json(&fw);
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
        (rc = db_row(db, SQL_DF_NEXT_VERSION, &st, "t", fw.code)))
        goto done;
    *version = (int)db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if ((rc = db_row(db, SQL_DF_INSERT, &st, "tittIi", fw.code, (int64_t)*version, fw.title,
                     text.data, created_by, (int64_t)time(NULL))))
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

int develop_version_json(struct db *db, struct arena *a, int64_t id, const char **json)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DF_GET, &st, "i", id);
    if (!rc && !(*json = arena_strdup(a, db_col_text(st, 0))))
        rc = APP_E_NOMEM;
    db_finalize(st);
    return rc;
}

int develop_version_load(struct db *db, struct arena *a, int64_t id, struct develop_framework *out)
{
    struct db_stmt *st = NULL;
    const char *why = NULL;
    int rc = db_row(db, SQL_DF_GET, &st, "i", id);
    if (rc)
        return rc;
    rc = develop_framework_parse(a, db_col_text(st, 0), db_col_len(st, 0), out, &why);
    if (rc == APP_E_INVALID) {
        /* only checked definitions are stored: this is damage, not a user's mistake */
        log_error("develop: stored framework %lld does not parse: %s", (long long)id,
                  why ? why : "?");
        rc = APP_E_INTERNAL;
    }
    if (!rc) {
        out->id = id;
        out->version = (int)db_col_int(st, 2);
    }
    db_finalize(st);
    return rc;
}

static int read_infos(struct db_stmt *st, struct arena *a, struct develop_version_info **out,
                      size_t *n)
{
    struct develop_version_info *list = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct develop_version_info *v;
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            return APP_E_NOMEM;
        v = &list[(*n)++];
        v->id = db_col_int(st, 0);
        v->code = arena_strdup(a, db_col_text(st, 1));
        v->title = arena_strdup(a, db_col_text(st, 2));
        v->version = (int)db_col_int(st, 3);
        v->created_at = db_col_int(st, 4);
        v->uses = db_col_int(st, 5);
        if (!v->code || !v->title)
            return APP_E_NOMEM;
    }
    *out = list;
    return rc == DB_DONE ? APP_OK : rc;
}

int develop_version_latest(struct db *db, struct arena *a, struct develop_version_info **out,
                           size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, SQL_DF_LATEST, &st);
    if (!rc)
        rc = read_infos(st, a, out, n);
    db_finalize(st);
    return rc;
}

int develop_version_history(struct db *db, struct arena *a, const char *code,
                            struct develop_version_info **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_DF_HISTORY, &st, "t", code);
    if (!rc)
        rc = read_infos(st, a, out, n);
    db_finalize(st);
    return rc;
}

int develop_version_latest_id(struct db *db, const char *code, int64_t *id)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DF_LATEST_ID, &st, "t", code);
    if (!rc)
        *id = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

int develop_version_seed(struct db *db)
{
    struct arena *a = arena_new();
    int rc = a ? APP_OK : APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof shipped / sizeof shipped[0]; i++) {
        const struct embed_file *f = embed_find(shipped[i]);
        struct develop_framework fw;
        struct db_stmt *st = NULL;
        const char *why = NULL;
        int64_t id;
        int version;
        if (!f) {
            log_error("develop: %s is not in the binary", shipped[i]);
            rc = APP_E_INTERNAL;
            break;
        }
        if ((rc = develop_framework_parse(a, (const char *)f->data, f->len, &fw, &why))) {
            log_error("develop: %s: %s", shipped[i], why ? why : "cannot be read");
            break;
        }
        rc = db_row(db, SQL_DF_EXISTS, &st, "t", fw.code);
        db_finalize(st);
        if (rc == APP_OK)
            continue; /* already there, perhaps edited since: leave it */
        if (rc != APP_E_NOTFOUND)
            break;
        rc = develop_version_save(db, a, (const char *)f->data, f->len, 0, &id, &version, &why);
    }
    arena_free(a);
    return rc;
}
