/* participant.c: pseudonymous participants — a random token in a cookie, its hash here
 *
 * The token is new for every exercise, so the same person in two exercises cannot be linked
 * through it. The pseudonym ("P" and 6 hex digits, random and unrelated to the token) is what
 * exports call the participant.
 */
#include "listen/listen.h"
#include "listen/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "store/db.h"

#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static int valid_description(const char *audience, const char *profession, const char *region)
{
    if (audience && *audience && !listen_audience_name(audience))
        return APP_E_INVALID;
    if (profession && *profession && !ref_name(professions, professions_count, profession))
        return APP_E_INVALID;
    if (region && *region && !ref_name(regions, regions_count, region))
        return APP_E_INVALID;
    return APP_OK;
}

int listen_participant_find(struct db *db, struct arena *a, int64_t exercise_id,
                            const char *token, struct listen_participant *out)
{
    struct db_stmt *st = NULL;
    char hash[TOKEN_HEX];
    int rc;
    if (!token || strlen(token) != 64)
        return APP_E_NOTFOUND;
    account_token_hash(token, hash);
    rc = db_row(db, SQL_LPT_FIND, &st, "it", exercise_id, hash);
    if (!rc) {
        out->id = db_col_int(st, 0);
        out->pseudonym = arena_strdup(a, db_col_text(st, 1));
        out->audience = arena_strdup(a, db_col_text(st, 2));
        out->profession = arena_strdup(a, db_col_text(st, 3));
        out->region = arena_strdup(a, db_col_text(st, 4));
        if (!out->pseudonym || !out->audience || !out->profession || !out->region)
            rc = APP_E_NOMEM;
    }
    db_finalize(st);
    return rc;
}

int listen_participant_create(struct db *db, int64_t exercise_id, const char *audience,
                              const char *profession, const char *region,
                              char token_out[LISTEN_TOKEN_HEX], int64_t *id)
{
    unsigned char raw[32], pseudo[3];
    char hash[TOKEN_HEX], pseudonym[16];
    int rc = valid_description(audience, profession, region);
    if (rc)
        return rc;
    /* Only staff give a profession and region; a citizen's would only narrow them down. */
    if (!audience || strcmp(audience, "citizen") == 0 || !*audience)
        profession = region = "";
    for (int attempt = 0; attempt < 5; attempt++) {
        /* The pseudonym is published; it comes from bytes of its own, so it says nothing
         * about the token in the cookie. */
        if ((rc = rand_bytes(raw, sizeof raw)) || (rc = rand_bytes(pseudo, sizeof pseudo)))
            return rc;
        sodium_bin2hex(token_out, LISTEN_TOKEN_HEX, raw, sizeof raw);
        account_token_hash(token_out, hash);
        snprintf(pseudonym, sizeof pseudonym, "P%02x%02x%02x", pseudo[0], pseudo[1], pseudo[2]);
        /* The id is set only once the row is committed: an id handed out for a row that a
         * failed commit never stored would go to the next participant, with any vote made
         * under it. */
        rc = db_run_int(db, SQL_LPT_INSERT, id, "ittttti", exercise_id, hash, pseudonym,
                       audience ? audience : "", profession ? profession : "",
                       region ? region : "", (int64_t)time(NULL));
        if (rc != APP_E_CONFLICT)
            break; /* a pseudonym clash is retried with a new token */
    }
    return rc;
}

int listen_participant_describe(struct db *db, int64_t id, const char *audience,
                                const char *profession, const char *region)
{
    int rc = valid_description(audience, profession, region);
    if (rc)
        return rc;
    if (!audience || strcmp(audience, "citizen") == 0 || !*audience)
        profession = region = "";
    return db_run(db, SQL_LPT_DESCRIBE, "ittt", id, audience ? audience : "",
                  profession ? profession : "", region ? region : "");
}
