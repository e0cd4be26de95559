/* user.c: creating users, profiles, passwords and roles */
#include "account/account.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "web/password.h"

#include <string.h>
#include <time.h>

int account_user_create(struct db *db, const struct user *u, const char *password, size_t pwlen,
                        int64_t *id)
{
    char hash[PASSWORD_HASH_MAX];
    int64_t new_id = 0;
    int rc;
    if (password_policy(password, pwlen, u->email))
        return APP_E_INVALID;
    rc = password_hash(password, pwlen, hash);
    if (rc)
        return rc;
    rc = db_run_int(db, SQL_USER_INSERT, &new_id, "tttttIti", u->email, u->display_name,
                    role_name(u->role), u->profession ? u->profession : "",
                    u->region ? u->region : "", u->organisation_id, hash, (int64_t)time(NULL));
    if (rc == APP_OK && id)
        *id = new_id;
    return rc;
}

static int read_user(struct db_stmt *st, struct arena *a, struct user *u)
{
    u->id = db_col_int(st, 0);
    u->email = arena_strdup(a, db_col_text(st, 1));
    u->display_name = arena_strdup(a, db_col_text(st, 2));
    u->role = role_parse(db_col_text(st, 3));
    u->profession = arena_strdup(a, db_col_text(st, 4));
    u->region = arena_strdup(a, db_col_text(st, 5));
    u->organisation_id = db_col_int(st, 6);
    u->organisation = arena_strdup(a, db_col_text(st, 7));
    u->created_at = db_col_int(st, 8);
    u->invited = db_col_int(st, 9) != 0;
    u->deactivated_at = db_col_int(st, 10);
    u->last_login_at = db_col_int(st, 11);
    u->has_password = db_col_int(st, 12) != 0;
    if (!u->email || !u->display_name || !u->profession || !u->region || !u->organisation)
        return APP_E_NOMEM;
    return APP_OK;
}

static int user_get(struct db *db, struct arena *a, const char *sql, int64_t id, const char *email,
                    struct user *out)
{
    struct db_stmt *st = NULL;
    int rc = email ? db_row(db, sql, &st, "t", email) : db_row(db, sql, &st, "i", id);
    if (rc == APP_OK)
        rc = read_user(st, a, out);
    db_finalize(st);
    return rc;
}

int account_user_get(struct db *db, struct arena *a, int64_t id, struct user *out)
{
    return user_get(db, a, SQL_USER_BY_ID, id, NULL, out);
}

int account_user_by_email(struct db *db, struct arena *a, const char *email, struct user *out)
{
    return user_get(db, a, SQL_USER_BY_EMAIL, 0, email, out);
}

char *account_like_pattern(struct arena *a, const char *q)
{
    size_t n = q ? strlen(q) : 0, j = 0;
    char *p = arena_alloc(a, 2 * n + 3);
    if (!p)
        return NULL;
    p[j++] = '%';
    for (size_t i = 0; i < n; i++) {
        char c = q[i];
        if (c == '%' || c == '_' || c == '\\')
            p[j++] = '\\';
        p[j++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    p[j++] = '%';
    p[j] = '\0';
    return p;
}

int account_user_list(struct db *db, struct arena *a, const char *q, enum role role, int offset,
                      int limit, struct user **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    const char *pat = account_like_pattern(a, q), *rname = role == ROLE_NONE ? "" : role_name(role);
    int rc;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (!pat)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_USER_COUNT, &st, "tt", pat, rname);
    if (rc)
        goto done;
    *total = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    *out = arena_calloc(a, (size_t)(limit > 0 ? limit : 1), sizeof **out);
    if (!*out) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = db_prepare_bind(db, SQL_USER_LIST, &st, "ttii", pat, rname, (int64_t)limit,
                         (int64_t)offset);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW && *n < (size_t)limit) {
        rc = read_user(st, a, &(*out)[*n]);
        if (rc)
            goto done;
        (*n)++;
    }
    if (rc == DB_DONE || rc == DB_ROW)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

static int org_exists(struct db *db, int64_t id)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_ORG_EXISTS, &st, "i", id);
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_E_INVALID : rc;
}

int account_profile_update(struct db *db, int64_t user_id, const char *display_name,
                           const char *profession, const char *region, int64_t org_id)
{
    int rc;
    if (!display_name || !*display_name)
        return APP_E_INVALID;
    if (profession && *profession && !ref_name(professions, professions_count, profession))
        return APP_E_INVALID;
    if (region && *region && !ref_name(regions, regions_count, region))
        return APP_E_INVALID;
    if (org_id && (rc = org_exists(db, org_id)))
        return rc;
    rc = db_run(db, SQL_USER_PROFILE, "itttIi", user_id, display_name, profession ? profession : "",
                region ? region : "", org_id, (int64_t)time(NULL));
    if (rc == APP_OK && !db_changes(db))
        rc = APP_E_NOTFOUND;
    return rc;
}

int account_password_set(struct db *db, int64_t user_id, const char *pw, size_t n)
{
    char hash[PASSWORD_HASH_MAX];
    int rc = password_hash(pw, n, hash);
    if (rc)
        return rc;
    rc = db_run(db, SQL_USER_PASSWORD, "iti", user_id, hash, (int64_t)time(NULL));
    if (rc == APP_OK && !db_changes(db))
        rc = APP_E_NOTFOUND;
    return rc;
}

/* Reads the user's hash and email, and checks current against it under the throttle. */
static int current_password_check(struct db *db, const struct account_policy *pol,
                                  struct login_throttle *t, const unsigned char client[16],
                                  int64_t user_id, const char *current, size_t clen,
                                  char email[256])
{
    struct db_stmt *st = NULL;
    char hash[PASSWORD_HASH_MAX];
    int64_t now = (int64_t)time(NULL);
    int rc = db_row(db, SQL_USER_HASH, &st, "i", user_id);
    if (rc)
        goto done;
    snprintf(hash, sizeof hash, "%s", db_col_text(st, 0));
    snprintf(email, 256, "%s", db_col_text(st, 1));
    /* A stolen session must not become a way to guess the password: the same counts as
     * logging in with this email from this client. */
    if (login_throttle_try(t, pol, client, email, now)) {
        rc = APP_E_LIMIT;
        goto done;
    }
    if (!password_verify(hash, current, clen)) {
        rc = APP_E_UNAUTH;
        goto done;
    }
    login_throttle_ok(t, pol, client, email, now);
done:
    db_finalize(st);
    return rc;
}

int account_password_check(struct db *db, const struct account_policy *pol,
                           struct login_throttle *t, const unsigned char client[16],
                           int64_t user_id, const char *current, size_t clen)
{
    char email[256];
    return current_password_check(db, pol, t, client, user_id, current, clen, email);
}

int account_password_change(struct db *db, const struct account_policy *pol,
                            struct login_throttle *t, const unsigned char client[16],
                            int64_t user_id, int64_t keep_session, const char *current, size_t clen,
                            const char *new_pw, size_t nlen)
{
    char email[256];
    int64_t now = (int64_t)time(NULL);
    int rc = current_password_check(db, pol, t, client, user_id, current, clen, email);
    if (rc)
        return rc;
    if (password_policy(new_pw, nlen, email))
        return APP_E_INVALID;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = account_password_set(db, user_id, new_pw, nlen);
    if (!rc)
        rc = db_run(db, SQL_SESSION_DELETE_OTHERS, "ii", user_id, keep_session);
    if (!rc)
        rc = db_run(db, SQL_TOKEN_REVOKE_ALL, "ii", user_id, now);
    /* a reset link asked for before the change would otherwise undo it */
    if (!rc)
        rc = db_run(db, SQL_LINK_KILL_ALL, "ii", user_id, now);
    if (!rc)
        rc = account_audit(db, "password_changed", user_id, user_id, "");
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int account_admin_hold(struct db *db, int64_t actor_id)
{
    int64_t still = 0;
    int rc = db_run(db, SQL_RIGHTS_LOCK_ADMINS, "");
    if (!rc)
        rc = db_run_int(db, SQL_ADMIN_STILL, &still, "i", actor_id);
    return rc ? rc : still ? APP_OK : APP_E_FORBIDDEN;
}

int account_role_set(struct db *db, int64_t actor_id, int64_t user_id, enum role role)
{
    struct db_stmt *st = NULL;
    char detail[64], old[16];
    int rc;
    if (role == ROLE_NONE)
        return APP_E_INVALID;
    if (actor_id == user_id && role != ROLE_ADMIN)
        return APP_E_FORBIDDEN;
    rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = account_admin_hold(db, actor_id)))
        goto done;
    rc = db_row(db, SQL_USER_ROLE, &st, "i", user_id);
    if (rc)
        goto done;
    snprintf(old, sizeof old, "%s", db_col_text(st, 0));
    db_finalize(st);
    st = NULL;
    /* Nothing to change is not a change: no write and no audit entry ("admin -> admin"). */
    if (strcmp(old, role_name(role)) == 0) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    rc = db_run(db, SQL_USER_SET_ROLE, "iti", user_id, role_name(role), (int64_t)time(NULL));
    if (rc)
        goto done;
    snprintf(detail, sizeof detail, "%s -> %s", old, role_name(role));
    rc = account_audit(db, "role_changed", actor_id, user_id, detail);
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}
