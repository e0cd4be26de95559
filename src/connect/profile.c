/* profile.c: profiles for connecting — what a member offers and looks for, their
 * preferences, who they must not be matched with — and the directory of opted-in roles
 *
 * A profile is checked whole before anything is stored, and saved with its exclusion list in
 * one transaction, so a list that names an unknown address leaves the stored profile as it
 * was. The directory lists only members who ticked "list me"; it shows what they agreed to
 * show (name, role, profession, region, organisation, email) and nothing of their matching.
 */
#include "connect/mentoring.h"
#include "connect/mentoring_int.h"
#include "account/account.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "develop/develop.h"
#include "develop/self.h"
#include "store/db.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct connect_choice connect_roles[] = {
    {"ahp-lead", "AHP lead"},
    {"chief-ahp-officer", "Chief AHP officer"},
    {"clinical-safety-officer", "Clinical safety officer"},
    {"digital-lead", "Digital lead"},
    {"education-lead", "Education lead"},
    {"qi-lead", "Quality improvement lead"},
    {"research-lead", "Research lead"},
};
const size_t connect_roles_count = sizeof connect_roles / sizeof connect_roles[0];

const struct connect_choice connect_bands[] = {
    {"5", "Band 5"},   {"6", "Band 6"},   {"7", "Band 7"},   {"8a", "Band 8a"},
    {"8b", "Band 8b"}, {"8c", "Band 8c"}, {"8d", "Band 8d"}, {"9", "Band 9"},
};
const size_t connect_bands_count = sizeof connect_bands / sizeof connect_bands[0];

static const struct connect_area specialisms[] = {
    {"clinical-safety", "Clinical safety"},
    {"digital", "Digital"},
    {"research", "Research"},
    {"quality-improvement", "Quality improvement"},
    {"education", "Education"},
};

const char *connect_choice_name(const struct connect_choice *c, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(c[i].code, code))
            return c[i].name;
    return NULL;
}

int connect_split(struct arena *a, const char *s, const char ***out, size_t *n)
{
    size_t cap = 0;
    const char **v = NULL;
    *n = 0;
    *out = NULL;
    while (s && *s) {
        const char *end = strchr(s, ';');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len) {
            if (!(v = arena_grow(a, v, *n + 1, &cap, sizeof *v)) ||
                !(v[*n] = arena_strndup(a, s, len)))
                return APP_E_NOMEM;
            (*n)++;
        }
        if (!end)
            break;
        s = end + 1;
    }
    *out = v;
    return APP_OK;
}

char *connect_join(struct arena *a, const char *const *parts, size_t n)
{
    size_t len = 1, at = 0;
    char *s;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + 1;
    if (!(s = arena_alloc(a, len)))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(parts[i]);
        if (i)
            s[at++] = ';';
        memcpy(s + at, parts[i], l);
        at += l;
    }
    s[at] = '\0';
    return s;
}

bool connect_err_add(struct arena *a, struct connect_field_error **errs, size_t *n,
                     const char *field, const char *message)
{
    struct connect_field_error *e = arena_alloc(a, (*n + 1) * sizeof *e);
    if (!e)
        return false;
    if (*n)
        memcpy(e, *errs, *n * sizeof *e);
    e[*n].field = field;
    e[*n].message = message;
    *errs = e;
    (*n)++;
    return true;
}

bool connect_text_ok(const char *s, size_t max)
{
    return s && !str_blank(s) && utf8_count(s, strlen(s)) <= max;
}

int connect_areas(struct db *db, struct arena *a, struct connect_area **out, size_t *n)
{
    struct develop_framework fw;
    struct connect_area *v;
    int64_t fid = 0;
    size_t k = 0;
    int rc = develop_version_latest_id(db, "ahp-clinical-leadership", &fid);
    memset(&fw, 0, sizeof fw);
    if (rc == APP_OK)
        rc = develop_version_load(db, a, fid, &fw);
    if (rc && rc != APP_E_NOTFOUND)
        return rc;
    v = arena_calloc(a, fw.ndomains + sizeof specialisms / sizeof specialisms[0] + 1, sizeof *v);
    if (!v)
        return APP_E_NOMEM;
    for (size_t d = 0; d < fw.ndomains; d++)
        v[k++] = (struct connect_area){fw.domains[d].id, fw.domains[d].title};
    for (size_t s = 0; s < sizeof specialisms / sizeof specialisms[0]; s++) {
        bool have = false;
        for (size_t j = 0; j < k && !have; j++)
            have = !strcmp(v[j].code, specialisms[s].code);
        if (!have)
            v[k++] = specialisms[s];
    }
    *out = v;
    *n = k;
    return APP_OK;
}

const char *connect_area_name(const struct connect_area *areas, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(areas[i].code, code))
            return areas[i].name;
    return code;
}

int connect_profile_get(struct db *db, struct arena *a, int64_t user_id, struct connect_profile *p)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CP_GET, &st, "i", user_id);
    memset(p, 0, sizeof *p);
    if (rc)
        goto done;
    rc = APP_E_NOMEM;
    p->user_id = user_id;
    p->exists = db_col_int(st, 5) != 0;
    if (!(p->display_name = arena_strdup(a, db_col_text(st, 0))) ||
        !(p->email = arena_strdup(a, db_col_text(st, 1))))
        goto done;
    if (!p->exists) {
        p->directory_role = p->seeks_kind = p->band = "";
        p->preference = "any";
        if (!(p->profession = arena_strdup(a, db_col_text(st, 2))) ||
            !(p->region = arena_strdup(a, db_col_text(st, 3))) ||
            !(p->organisation = arena_strdup(a, db_col_text(st, 4))))
            goto done;
        rc = APP_OK;
        goto done;
    }
    p->matching = db_col_int(st, 6) != 0;
    p->in_directory = db_col_int(st, 7) != 0;
    p->offers_mentoring = db_col_int(st, 9) != 0;
    p->offers_coaching = db_col_int(st, 10) != 0;
    p->coach_accredited = db_col_int(st, 11) != 0;
    p->hours_month = db_col_int(st, 19);
    p->max_mentees = db_col_int(st, 20);
    p->outside_org = db_col_int(st, 22) != 0;
    p->updated_at = db_col_int(st, 23);
    if (!(p->directory_role = arena_strdup(a, db_col_text(st, 8))) ||
        connect_split(a, db_col_text(st, 12), &p->offers, &p->noffers) ||
        !(p->seeks_kind = arena_strdup(a, db_col_text(st, 13))) ||
        connect_split(a, db_col_text(st, 14), &p->seeks, &p->nseeks) ||
        !(p->profession = arena_strdup(a, db_col_text(st, 15))) ||
        !(p->region = arena_strdup(a, db_col_text(st, 16))) ||
        !(p->organisation = arena_strdup(a, db_col_text(st, 17))) ||
        !(p->band = arena_strdup(a, db_col_text(st, 18))) ||
        !(p->preference = arena_strdup(a, db_col_text(st, 21))))
        goto done;
    db_finalize(st);
    st = NULL;
    /* who they must not be matched with, by address */
    if ((rc = db_prepare_bind(db, SQL_CP_EXCLUDED, &st, "i", user_id)))
        goto done;
    {
        size_t cap = 0;
        while ((rc = db_step(st)) == DB_ROW) {
            if (!(p->excluded =
                      arena_grow(a, p->excluded, p->nexcluded + 1, &cap, sizeof *p->excluded)) ||
                !(p->excluded[p->nexcluded] = arena_strdup(a, db_col_text(st, 0)))) {
                rc = APP_E_NOMEM;
                goto done;
            }
            p->nexcluded++;
        }
        if (rc == DB_DONE)
            rc = APP_OK;
    }
done:
    db_finalize(st);
    return rc;
}

/* Checks a list of area codes: known, not repeated, not too many. */
static bool areas_ok(struct arena *a, const struct connect_area *areas, size_t nareas,
                     const char *const *list, size_t n, const char *field,
                     struct connect_field_error **errs, size_t *nerrs, bool *oom)
{
    if (n > CONNECT_AREAS_MAX) {
        *oom |= !connect_err_add(a, errs, nerrs, field, "Choose 20 areas or fewer");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < nareas && !known; k++)
            known = !strcmp(areas[k].code, list[i]);
        for (size_t j = 0; j < i && known; j++)
            known = strcmp(list[j], list[i]) != 0;
        if (!known) {
            *oom |=
                !connect_err_add(a, errs, nerrs, field, "Choose areas from the list, each once");
            return false;
        }
    }
    return true;
}

/* Characters of an entry a message quotes: a whole page of text pasted into the box is
 * named by its start, not said back whole. */
#define QUOTE_MAX 40

/* The entries of list, each in “ ” as typed (a long one's start, then “…”), joined as English
 * does: “a”, “b” and “c”. */
static const char *quoted(struct arena *a, const char *const *list, size_t n)
{
    struct buf b = BUF_INIT;
    const char *s;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0, chars = 0;
        /* up to the character after the first QUOTE_MAX (a lead byte), never half of one */
        for (; list[i][len]; len++)
            if (((unsigned char)list[i][len] & 0xC0) != 0x80 && chars++ == QUOTE_MAX)
                break;
        buf_printf(&b, "%s“%.*s%s”",
                   !i          ? ""
                   : i + 1 < n ? ", "
                               : " and ",
                   (int)len, list[i], list[i][len] ? "…" : "");
    }
    s = buf_oom(&b) ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

/* True when s looks like one email address: an @, no spaces. */
static bool one_address(const char *s)
{
    if (!strchr(s, '@'))
        return false;
    for (; *s; s++)
        if (isspace((unsigned char)*s))
            return false;
    return true;
}

/* The exclusions of p as account ids (*ids, NULL when there are none), or one message on
 * "excluded" naming every entry that is not an address, else every address with no account,
 * else one's own address. Returns APP_OK with or without a message; an error only when the
 * database or memory fails. */
static int excluded_ids(struct db *db, struct arena *a, const struct connect_profile *p,
                        int64_t **ids, struct connect_field_error **errs, size_t *nerrs)
{
    const char **bad = NULL, **unknown = NULL, *msg = NULL, *list;
    size_t nbad = 0, nunknown = 0;
    bool own = false;
    int rc;
    *ids = NULL;
    if (p->nexcluded > CONNECT_EXCLUDE_MAX)
        return connect_err_add(a, errs, nerrs, "excluded", "Name 50 people or fewer") ? APP_OK
                                                                                      : APP_E_NOMEM;
    if (!p->nexcluded)
        return APP_OK;
    if (!(*ids = arena_calloc(a, p->nexcluded, sizeof **ids)) ||
        !(bad = arena_calloc(a, p->nexcluded, sizeof *bad)) ||
        !(unknown = arena_calloc(a, p->nexcluded, sizeof *unknown)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < p->nexcluded; i++) {
        struct user u;
        char *email;
        if (!one_address(p->excluded[i])) {
            bad[nbad++] = p->excluded[i];
            continue;
        }
        /* accounts' addresses are stored lower-cased; the message quotes what was typed */
        if (!(email = arena_strdup(a, p->excluded[i])))
            return APP_E_NOMEM;
        for (char *q = email; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        rc = account_user_by_email(db, a, email, &u);
        if (rc == APP_E_NOTFOUND) {
            unknown[nunknown++] = p->excluded[i];
            continue;
        }
        if (rc)
            return rc;
        own |= u.id == p->user_id;
        (*ids)[i] = u.id;
    }
    if (nbad && (list = quoted(a, bad, nbad)))
        msg = arena_printf(a,
                           "Enter the email address of each person, one a line or separated by "
                           "commas: %s %s",
                           list, nbad == 1 ? "is not an email address" : "are not email addresses");
    else if (!nbad && nunknown && (list = quoted(a, unknown, nunknown)))
        msg = arena_printf(a, "There %s %s",
                           nunknown == 1 ? "is no account with the address"
                                         : "are no accounts with the addresses",
                           list);
    else if (nbad || nunknown)
        return APP_E_NOMEM;
    else if (own)
        msg = "Leave your own address out of the list";
    else
        return APP_OK;
    return msg && connect_err_add(a, errs, nerrs, "excluded", msg) ? APP_OK : APP_E_NOMEM;
}

/* Every problem with p, and its exclusions as ids (see excluded_ids). */
static int profile_check(struct db *db, struct arena *a, const struct connect_profile *p,
                         int64_t **ids, struct connect_field_error **errs, size_t *nerrs)
{
    struct connect_area *areas = NULL;
    size_t nareas = 0;
    bool oom = false;
    int rc;

    *errs = NULL;
    *nerrs = 0;
    *ids = NULL;
    if ((rc = connect_areas(db, a, &areas, &nareas)))
        return rc;
    if (utf8_count(p->organisation, strlen(p->organisation)) > CONNECT_NAME_MAX)
        oom |= !connect_err_add(a, errs, nerrs, "organisation",
                                "Organisation must be 120 characters or fewer");
    if (*p->band && !connect_choice_name(connect_bands, connect_bands_count, p->band))
        oom |= !connect_err_add(a, errs, nerrs, "band", "Choose your band from the list");
    if (p->in_directory &&
        !connect_choice_name(connect_roles, connect_roles_count, p->directory_role))
        oom |= !connect_err_add(a, errs, nerrs, "directory_role",
                                "Choose the role to list you under in the directory");
    else if (*p->directory_role &&
             !connect_choice_name(connect_roles, connect_roles_count, p->directory_role))
        oom |= !connect_err_add(a, errs, nerrs, "directory_role", "Choose a role from the list");
    if (p->coach_accredited && !p->offers_coaching)
        oom |= !connect_err_add(a, errs, nerrs, "coach_accredited",
                                "Say you offer coaching if you are an accredited coach");
    areas_ok(a, areas, nareas, p->offers, p->noffers, "offers", errs, nerrs, &oom);
    areas_ok(a, areas, nareas, p->seeks, p->nseeks, "seeks", errs, nerrs, &oom);
    if ((p->offers_mentoring || p->offers_coaching) && !p->noffers)
        oom |= !connect_err_add(a, errs, nerrs, "offers", "Choose at least one area you can offer");
    if (strcmp(p->seeks_kind, "") && strcmp(p->seeks_kind, "mentoring") &&
        strcmp(p->seeks_kind, "coaching"))
        oom |=
            !connect_err_add(a, errs, nerrs, "seeks_kind", "Choose mentoring, coaching or neither");
    else if (*p->seeks_kind && !p->nseeks)
        oom |= !connect_err_add(a, errs, nerrs, "seeks",
                                "Choose at least one area you are looking for");
    if (p->hours_month < 0 || p->hours_month > CONNECT_HOURS_MAX)
        oom |= !connect_err_add(a, errs, nerrs, "hours_month", CONNECT_HOURS_RANGE);
    if (p->max_mentees < 0 || p->max_mentees > CONNECT_MENTEES_MAX)
        oom |= !connect_err_add(a, errs, nerrs, "max_mentees", CONNECT_MENTEES_RANGE);
    else if ((p->offers_mentoring || p->offers_coaching) && !p->max_mentees)
        oom |= !connect_err_add(a, errs, nerrs, "max_mentees",
                                "Say how many mentees you can take (1 to 10)");
    if (strcmp(p->preference, "other") && strcmp(p->preference, "any") &&
        strcmp(p->preference, "same"))
        oom |= !connect_err_add(a, errs, nerrs, "preference", "Choose a preference from the list");
    if (p->matching && !*p->band)
        oom |=
            !connect_err_add(a, errs, nerrs, "band", "Choose your band: matching rounds need it");
    if (oom)
        return APP_E_NOMEM;
    if ((rc = excluded_ids(db, a, p, ids, errs, nerrs)))
        return rc;
    return *nerrs ? APP_E_INVALID : APP_OK;
}

int connect_profile_check(struct db *db, struct arena *a, const struct connect_profile *p,
                          struct connect_field_error **errs, size_t *nerrs)
{
    int64_t *ids;
    return profile_check(db, a, p, &ids, errs, nerrs);
}

int connect_profile_save(struct db *db, struct arena *a, const struct connect_profile *p,
                         int64_t now, struct connect_field_error **errs, size_t *nerrs)
{
    int64_t *ids = NULL;
    int rc;
    char *offers, *seeks;

    if ((rc = profile_check(db, a, p, &ids, errs, nerrs)))
        return rc;
    offers = connect_join(a, p->offers, p->noffers);
    seeks = connect_join(a, p->seeks, p->nseeks);
    if (!offers || !seeks)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)))
        return rc;
    rc =
        db_run(db, SQL_CP_UPSERT, "iiitiiitttttiitii", p->user_id, (int64_t)p->matching,
               (int64_t)p->in_directory, p->in_directory ? p->directory_role : "",
               (int64_t)p->offers_mentoring, (int64_t)p->offers_coaching,
               (int64_t)p->coach_accredited, offers, p->seeks_kind, seeks, p->organisation, p->band,
               p->hours_month, p->max_mentees, p->preference, (int64_t)p->outside_org, now);
    if (!rc)
        rc = db_run(db, SQL_CP_EXCL_DELETE, "i", p->user_id);
    for (size_t i = 0; !rc && ids && i < p->nexcluded; i++)
        rc = db_run(db, SQL_CP_EXCL_INSERT, "ii", p->user_id, ids[i]);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_directory(struct db *db, struct arena *a, const char *region, const char *role,
                      int offset, int limit, struct connect_directory_entry **out, size_t *n,
                      int64_t *total)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    *total = 0;
    region = region ? region : "";
    role = role ? role : "";
    rc = db_row(db, SQL_CP_DIR_COUNT, &st, "tt", region, role);
    if (rc)
        goto done;
    *total = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if ((rc = db_prepare_bind(db, SQL_CP_DIR_LIST, &st, "ttii", region, role, (int64_t)limit,
                              (int64_t)offset)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct connect_directory_entry *e;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        e = &(*out)[*n];
        e->user_id = db_col_int(st, 0);
        if (!(e->display_name = arena_strdup(a, db_col_text(st, 1))) ||
            !(e->email = arena_strdup(a, db_col_text(st, 2))) ||
            !(e->role = arena_strdup(a, db_col_text(st, 3))) ||
            !(e->profession = arena_strdup(a, db_col_text(st, 4))) ||
            !(e->region = arena_strdup(a, db_col_text(st, 5))) ||
            !(e->organisation = arena_strdup(a, db_col_text(st, 6)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        (*n)++;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}
