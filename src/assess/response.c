/* response.c: respondents' answers — start, resume, save, submit, and the submitted set
 *
 * The resume token is the only key to an anonymous response: 32 random bytes in the browser's
 * cookie and in the resume link, stored here as a BLAKE2b hash, as for sessions. Everything a
 * respondent says about themselves is optional and checked against the reference lists, so a
 * benchmark group is always one of the published ones.
 */
#include "assess/benchmark.h"
#include "assess/round.h"
#include "assess/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "store/db.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

static bool valid_about(const struct assess_about *ab)
{
    if (ab->profession && *ab->profession &&
        !ref_name(professions, professions_count, ab->profession))
        return false;
    if (ab->region && *ab->region && !ref_name(regions, regions_count, ab->region))
        return false;
    if (ab->band && *ab->band && !assess_pay_band_name(ab->band))
        return false;
    return ab->organisation_id >= 0;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int assess_response_start(struct db *db, const struct assess_round *r,
                          const struct assess_instrument *ins, int64_t user_id,
                          int64_t invitation_id, const struct assess_about *about,
                          char token_out[ASSESS_TOKEN_HEX], int64_t *id)
{
    struct arena *a = NULL;
    unsigned char raw[32];
    char hash[TOKEN_HEX];
    const char *blank;
    int64_t now = (int64_t)time(NULL);
    int rc;
    if (!valid_about(about) || ins->id != r->instrument_id)
        return APP_E_INVALID;
    if (assess_round_state(r, now) != ARS_OPEN)
        return APP_E_CONFLICT;
    if (!r->anonymous && user_id <= 0)
        return APP_E_FORBIDDEN;
    if ((rc = rand_bytes(raw, sizeof raw)))
        return rc;
    sodium_bin2hex(token_out, ASSESS_TOKEN_HEX, raw, sizeof raw);
    account_token_hash(token_out, hash);
    if (!(a = arena_new()) || !(blank = assess_answers_blank(a, ins))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* An anonymous round never stores the account, whoever is logged in. */
    rc = db_run_int(db, SQL_AS_INSERT, id, "iitIIItttti", r->id, r->instrument_id, hash,
                   r->anonymous ? (int64_t)0 : user_id, about->organisation_id, invitation_id,
                   or_empty(about->profession), or_empty(about->region), or_empty(about->band),
                   blank, now);
done:
    arena_free(a);
    return rc;
}

static int read_response(struct db_stmt *st, struct arena *a, struct assess_response *s)
{
    s->id = db_col_int(st, 0);
    s->round_id = db_col_int(st, 1);
    s->instrument_id = db_col_int(st, 2);
    s->user_id = db_col_int(st, 3);
    s->organisation_id = db_col_int(st, 4);
    s->invitation_id = db_col_int(st, 5);
    s->organisation_name = arena_strdup(a, db_col_text(st, 6));
    s->profession = arena_strdup(a, db_col_text(st, 7));
    s->region = arena_strdup(a, db_col_text(st, 8));
    s->band = arena_strdup(a, db_col_text(st, 9));
    s->answers = arena_strdup(a, db_col_text(st, 10));
    s->started_at = db_col_int(st, 11);
    s->updated_at = db_col_int(st, 12);
    s->submitted_at = db_col_int(st, 13);
    if (!s->organisation_name || !s->profession || !s->region || !s->band || !s->answers)
        return APP_E_NOMEM;
    return APP_OK;
}

int assess_response_by_token(struct db *db, struct arena *a, int64_t round_id, const char *token,
                             struct assess_response *out)
{
    struct db_stmt *st = NULL;
    char hash[TOKEN_HEX];
    int rc;
    if (!token || strlen(token) != 64)
        return APP_E_NOTFOUND;
    account_token_hash(token, hash);
    rc = db_row(db, SQL_AS_BY_TOKEN, &st, "it", round_id, hash);
    if (!rc)
        rc = read_response(st, a, out);
    db_finalize(st);
    return rc;
}

int assess_response_by_user(struct db *db, struct arena *a, int64_t round_id, int64_t user_id,
                            struct assess_response *out)
{
    struct db_stmt *st = NULL;
    int rc;
    if (user_id <= 0)
        return APP_E_NOTFOUND;
    rc = db_row(db, SQL_AS_BY_USER, &st, "ii", round_id, user_id);
    if (!rc)
        rc = read_response(st, a, out);
    db_finalize(st);
    return rc;
}

int assess_response_save(struct db *db, const struct assess_round *r,
                         const struct assess_instrument *ins, int64_t id, const char *answers,
                         int64_t now)
{
    int rc;
    if (!assess_answers_valid(ins, answers))
        return APP_E_INVALID;
    if (assess_round_state(r, now) != ARS_OPEN)
        return APP_E_CONFLICT;
    rc = db_run(db, SQL_AS_SAVE, "iti", id, answers, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_CONFLICT; /* submitted already (or gone) */
    return rc;
}

int assess_response_submit(struct db *db, const struct assess_round *r, int64_t id, int64_t now)
{
    int rc;
    if (assess_round_state(r, now) != ARS_OPEN)
        return APP_E_CONFLICT;
    /* the round's count of submissions changes with it (the benchmark cache reads it) */
    if ((rc = db_begin(db)))
        return rc;
    rc = db_run(db, SQL_AS_SUBMIT, "ii", id, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_CONFLICT;
    if (!rc)
        rc = db_run(db, SQL_AR_ADD_SUBMITTED, "ii", r->id, (int64_t)1);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int assess_response_submitted(struct db *db, struct arena *a, int64_t round_id,
                              struct assess_response **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct assess_response *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_AS_SUBMITTED, &st, "i", round_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            rc = APP_E_NOMEM;
        else
            rc = read_response(st, a, &list[(*n)++]);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}
