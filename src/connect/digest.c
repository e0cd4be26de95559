/* digest.c: the weekly email of what is new in a member's groups, and the switch to stop it
 *
 * Once per member per week, however many servers run it: the member's row in connect_digests
 * (primary key member + week) is inserted with ON CONFLICT DO NOTHING in the same transaction
 * that queues the mail (mail_queue joins it), so of two servers only the one whose insert
 * went in queues a message, and a failure queues nothing and leaves the week to be tried
 * again. A week with nothing new still gets its row (no mail), so it is not looked at again.
 *
 * The digest tells of the last complete week, Monday 00:00 to Monday 00:00 UTC: threads
 * started and replies posted by other people, and events added that are still to come, in
 * the groups the member belongs to when it is sent. Hidden posts are left out.
 *
 * Each mail carries a link that switches the digest off. It acts for the member without a
 * login (as NHS.UK mail does), so it is signed: an HMAC (libsodium's crypto_auth, HMAC-SHA-
 * 512-256) of the member's id under the service's secret. It can do nothing but switch that
 * member's digest off, and the page it opens asks for a button press first, so a mail scanner
 * that follows links switches nothing.
 */
#include "connect/group.h"
#include "connect/group_store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "mail/mail.h"
#include "store/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define WEEK (7 * 86400)

int64_t connect_week_start(int64_t t)
{
    int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t dow = ((day + 3) % 7 + 7) % 7; /* 0 on Monday: 1970-01-01 was a Thursday */
    return (day - dow) * 86400;
}

int connect_digest_get(struct db *db, int64_t user, bool *on)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CD_SETTING_GET, &st, "i", user);
    *on = true;
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    if (rc)
        return rc;
    *on = db_col_int(st, 0) != 0;
    db_finalize(st);
    return APP_OK;
}

int connect_digest_set(struct db *db, int64_t user, bool on, int64_t now)
{
    return db_run(db, SQL_CD_SETTING_SET, "iii", user, (int64_t)on, now);
}

/* The MAC of the link for user, under a key of its own derived from the service's secret (so
 * the secret's other uses never see a value made with it directly). */
static void mac(const unsigned char key[32], int64_t user, unsigned char out[crypto_auth_BYTES])
{
    static const char purpose[] = "ahphub connect digest: switch off";
    unsigned char sub[crypto_auth_KEYBYTES];
    char msg[64];
    int n = snprintf(msg, sizeof msg, "connect-digest-off:%lld", (long long)user);
    crypto_generichash(sub, sizeof sub, (const unsigned char *)purpose, sizeof purpose - 1, key,
                       32);
    crypto_auth(out, (const unsigned char *)msg, (unsigned long long)n, sub);
    sodium_memzero(sub, sizeof sub);
}

void connect_digest_token(const unsigned char key[32], int64_t user, char out[65])
{
    unsigned char m[crypto_auth_BYTES];
    mac(key, user, m);
    sodium_bin2hex(out, 65, m, 32);
}

bool connect_digest_token_ok(const unsigned char key[32], int64_t user, const char *token)
{
    unsigned char m[crypto_auth_BYTES], got[32];
    size_t n = 0;
    if (!token || strlen(token) != 64 ||
        sodium_hex2bin(got, sizeof got, token, 64, NULL, &n, NULL) || n != 32)
        return false;
    mac(key, user, m);
    return sodium_memcmp(m, got, 32) == 0;
}

struct due {
    int64_t id;
    const char *email, *name;
};

static int due_members(struct db *db, struct arena *a, int64_t week, struct due **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CD_DUE, &st, "i", week);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct due *d;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        d = &(*out)[(*n)++];
        d->id = db_col_int(st, 0);
        d->email = arena_strdup(a, db_col_text(st, 1));
        d->name = arena_strdup(a, db_col_text(st, 2));
        if (!d->email || !d->name) {
            rc = APP_E_NOMEM;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* Appends v to arr; false (and v released) on failure. */
static bool push(json_t *arr, json_t *v)
{
    if (!arr || !v) {
        json_decref(v);
        return false;
    }
    return json_array_append_new(arr, v) == 0;
}

/* The model's threads and events for member d in [from, to); *items counts them. */
static int week_news(struct db *db, struct arena *a, const char *base_url, int64_t user,
                     int64_t from, int64_t to, json_t *threads, json_t *events, int *items)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_CD_THREADS, &st, "iii", user, from, to);
    *items = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t posts = db_col_int(st, 3), started = db_col_int(st, 4);
        int64_t replies = posts - started;
        const char *what =
            started ? (replies == 0 ? "New discussion"
                       : replies == 1
                           ? "New discussion, 1 reply"
                           : arena_printf(a, "New discussion, %lld replies", (long long)replies))
                    : (replies == 1 ? "1 new reply"
                                    : arena_printf(a, "%lld new replies", (long long)replies));
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s}", "group", db_col_text(st, 0), "title", db_col_text(st, 2),
            "what", what ? what : "", "url",
            arena_printf(a, "%s/connect/threads/%lld", base_url, (long long)db_col_int(st, 1)));
        if (!push(threads, o)) {
            rc = APP_E_NOMEM;
            break;
        }
        (*items)++;
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE || (rc = db_prepare_bind(db, SQL_CD_EVENTS, &st, "iii", user, from, to)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *date = connect_date_text(a, db_col_int(st, 3));
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s}", "group", db_col_text(st, 0), "title", db_col_text(st, 2),
            "date", date ? date : "", "url",
            arena_printf(a, "%s/connect/events/%lld", base_url, (long long)db_col_int(st, 1)));
        if (!push(events, o)) {
            rc = APP_E_NOMEM;
            break;
        }
        (*items)++;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* One member's digest for the week starting week: claim, gather, queue, in a transaction. */
static int send_one(struct db *db, struct tpl_set *tpl, const char *base_url,
                    const unsigned char key[32], const struct due *d, int64_t week, int64_t now,
                    struct connect_digest_run *r)
{
    struct arena *a = arena_new();
    json_t *threads = json_array(), *events = json_array(), *model = NULL;
    char token[65];
    int64_t mail_id = 0, claimed;
    int items = 0, rc;
    if (!a || !threads || !events) {
        rc = APP_E_NOMEM;
        goto out;
    }
    if ((rc = db_begin(db)))
        goto out;
    rc = db_run_int(db, SQL_CD_CLAIM, &claimed, "iii", d->id, week, now);
    if (rc == APP_E_NOTFOUND) { /* another server (or run) has done this week */
        r->skipped++;
        db_rollback(db); /* nothing was written: end the transaction */
        rc = APP_OK;
        goto out;
    }
    if (rc || (rc = week_news(db, a, base_url, d->id, week, week + WEEK, threads, events, &items)))
        goto done;
    if (items) {
        const char *week_text = connect_date_text(a, week + 12 * 3600);
        connect_digest_token(key, d->id, token);
        model = json_pack("{s:s, s:s, s:s, s:O, s:O, s:b, s:b, s:s, s:s, s:{s:s, s:s}}", "subject",
                          "What is new in your AHP Hub groups", "name", d->name, "week",
                          week_text ? week_text : "", "threads", threads, "events", events,
                          "has_threads", json_array_size(threads) > 0, "has_events",
                          json_array_size(events) > 0, "settings_url",
                          arena_printf(a, "%s/connect/groups#digest", base_url), "unsubscribe_url",
                          arena_printf(a, "%s/connect/digest/off?member=%lld&token=%s", base_url,
                                       (long long)d->id, token),
                          "button", "url", arena_printf(a, "%s/connect/groups", base_url), "text",
                          "Go to your groups");
        if (!model) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if ((rc = mail_queue(db, tpl, d->email, "connect_digest", model, &mail_id)))
            goto done;
        r->mailed++;
    }
    if ((rc = db_run(db, SQL_CD_SET_MAIL, "iiIi", d->id, week, mail_id, (int64_t)items)) ||
        (rc = db_commit(db)))
        goto done;
    r->members++;
done:
    if (rc)
        db_rollback(db);
out:
    json_decref(model);
    json_decref(threads);
    json_decref(events);
    arena_free(a);
    return rc;
}

int connect_digest_send(struct db *db, struct tpl_set *tpl, const char *base_url,
                        const unsigned char key[32], int64_t now, struct connect_digest_run *r)
{
    int64_t week = connect_week_start(now) - WEEK;
    struct arena *a = arena_new();
    struct due *list = NULL;
    size_t n = 0;
    int rc;
    memset(r, 0, sizeof *r);
    if (!a)
        return APP_E_NOMEM;
    rc = due_members(db, a, week, &list, &n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = send_one(db, tpl, base_url, key, &list[i], week, now, r);
    arena_free(a);
    return rc;
}
