/* invite_csv.c: reading a CSV of people to invite, and checking every row before anything
 * is created
 *
 * The file is a spreadsheet someone typed, so columns are matched loosely (any order, any
 * case) and professions, regions and organisations by their names as well as their codes.
 * All the problems are collected, each naming its row, so one upload shows every mistake;
 * invite.c then creates the whole list in one transaction.
 */
#include "account/invite.h"
#include "account/org.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "export/csv.h"
#include "mail/mail.h"
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { C_EMAIL, C_NAME, C_ROLE, C_PROFESSION, C_REGION, C_ORGANISATION, C_COUNT };
static const char *const column_names[C_COUNT] = {"email",      "name",   "role",
                                                  "profession", "region", "organisation"};

struct report {
    struct arena *a;
    const char **errors;
    size_t n, cap;
    bool oom, more; /* more: problems past INVITE_CSV_MAX_ERRORS were not listed */
};

static void push(struct report *r, const char *msg)
{
    const char **p = arena_grow(r->a, r->errors, r->n + 1, &r->cap, sizeof *p);
    if (!p || !(p[r->n] = arena_strdup(r->a, msg))) {
        r->oom = true;
        return;
    }
    r->errors = p;
    r->n++;
}

/* Adds a problem; past INVITE_CSV_MAX_ERRORS - 1 of them only notes that there are more,
 * keeping the last place for saying so. */
static void add(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct report *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (r->n >= INVITE_CSV_MAX_ERRORS - 1) {
        r->more = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    push(r, msg);
}

/* Lower-case ASCII with runs of spaces made one and the ends trimmed (names typed by people). */
static void fold(const char *s, char *out, size_t outlen)
{
    size_t j = 0;
    bool space = false;
    for (; *s && j + 1 < outlen; s++) {
        char c = *s;
        if (c == ' ' || c == '\t') {
            space = j > 0;
            continue;
        }
        if (space && j + 2 < outlen)
            out[j++] = ' ';
        space = false;
        out[j++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out[j] = '\0';
}

/* The code of the item named s by its code or its name, NULL when none is. */
static const char *ref_lookup(const struct ref_item *items, size_t n, const char *s)
{
    char f[128], g[128];
    fold(s, f, sizeof f);
    for (size_t i = 0; i < n; i++) {
        fold(items[i].code, g, sizeof g);
        if (!strcmp(f, g))
            return items[i].code;
        fold(items[i].name, g, sizeof g);
        if (!strcmp(f, g))
            return items[i].code;
    }
    return NULL;
}

/* An address the mail can go to: one @, something before it, a dot inside the part after,
 * no spaces or control characters. Lower-cases it in place. */
static bool email_ok(char *s)
{
    char *at = strchr(s, '@'), *dot;
    size_t n = strlen(s);
    if (!at || at == s || strchr(at + 1, '@') || n > 254)
        return false;
    for (char *p = s; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == ',' || *p == '<' || *p == '>')
            return false;
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    }
    dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0' && mail_address_ok(s);
}

static char *trimmed(struct arena *a, struct str s)
{
    struct str t = str_trim(s);
    return arena_strndup(a, t.p, t.len);
}

int account_invite_csv(struct db *db, struct arena *a, const char *data, size_t n,
                       struct invite **rows, size_t *nrows, const char ***errors, size_t *nerrors)
{
    struct report rep = {.a = a};
    struct csv_reader r;
    struct csv_record rec;
    struct org *orgs;
    size_t norgs, cap = 0, row = 1;
    int col[C_COUNT];
    char err[200];
    bool got;
    int rc;
    *rows = NULL;
    *nrows = 0;
    *errors = NULL;
    *nerrors = 0;
    if ((rc = account_org_list(db, a, &orgs, &norgs)))
        return rc;
    csv_open(&r, data, n); /* opened first: every way out below closes it */
    /* a workbook (a zip file) chosen instead of its CSV: said plainly, not as bad text */
    if (n >= 4 && !memcmp(data, "PK\x03\x04", 4)) {
        add(&rep, "The file is an Excel workbook, not a CSV file. In Excel, choose File, Save "
                  "As and CSV UTF-8 (Comma delimited), then upload that file");
        goto done;
    }
    rc = csv_next(&r, &rec, &got, err, sizeof err);
    if (rc == APP_E_INVALID) {
        add(&rep, "The file is not a CSV file that can be read: %s", err);
        rc = APP_OK;
        goto done;
    }
    if (rc)
        goto done;
    if (!got) {
        add(&rep, "The file is empty. The first row must name the columns: email, name, role, "
                  "profession, region, organisation");
        goto done;
    }
    for (int c = 0; c < C_COUNT; c++)
        col[c] = csv_column_loose(&rec, column_names[c]);
    if (col[C_EMAIL] < 0)
        add(&rep, "Row 1 has no column called email. The first row must name the columns: "
                  "email, name, role, profession, region, organisation");
    if (col[C_NAME] < 0)
        add(&rep, "Row 1 has no column called name");
    if (rep.n)
        goto done;
    while ((rc = csv_next(&r, &rec, &got, err, sizeof err)) == APP_OK && got) {
        struct invite *v;
        struct db_stmt *st = NULL;
        char *email, *name, *role, *prof, *region, *org;
        size_t before = rep.n;
        row++;
        if (*nrows >= INVITE_CSV_MAX_ROWS) {
            add(&rep, "The file has more than %d people. Split it into smaller files",
                INVITE_CSV_MAX_ROWS);
            break;
        }
        email = trimmed(a, csv_get(&rec, col[C_EMAIL]));
        name = trimmed(a, csv_get(&rec, col[C_NAME]));
        role = trimmed(a, csv_get(&rec, col[C_ROLE]));
        prof = trimmed(a, csv_get(&rec, col[C_PROFESSION]));
        region = trimmed(a, csv_get(&rec, col[C_REGION]));
        org = trimmed(a, csv_get(&rec, col[C_ORGANISATION]));
        v = arena_grow(a, *rows, *nrows + 1, &cap, sizeof *v);
        if (!email || !name || !role || !prof || !region || !org || !v) {
            rc = APP_E_NOMEM;
            goto done;
        }
        *rows = v;
        v = &v[*nrows];
        memset(v, 0, sizeof *v);
        v->email = email;
        v->display_name = name;
        if (!*email)
            add(&rep, "Row %zu: enter an email address", row);
        else if (!email_ok(email))
            add(&rep, "Row %zu: \"%s\" is not an email address in the correct format", row, email);
        if (!*name)
            add(&rep, "Row %zu: enter the person's name", row);
        else if (str_from(name).len > 100)
            add(&rep, "Row %zu: the name must be 100 characters or fewer", row);
        v->role = *role ? role_parse(role) : ROLE_MEMBER;
        if (v->role == ROLE_NONE) {
            char f[32];
            fold(role, f, sizeof f);
            v->role = role_parse(f);
        }
        if (v->role == ROLE_NONE)
            add(&rep, "Row %zu: the role \"%s\" is not one of member, facilitator or admin", row,
                role);
        v->profession = *prof ? ref_lookup(professions, professions_count, prof) : "";
        if (!v->profession)
            add(&rep, "Row %zu: \"%s\" is not a profession on the list", row, prof);
        v->region = *region ? ref_lookup(regions, regions_count, region) : "";
        if (!v->region)
            add(&rep, "Row %zu: \"%s\" is not an NHS England region", row, region);
        if (*org) {
            char f[256], g[256];
            fold(org, f, sizeof f);
            for (size_t i = 0; i < norgs && !v->organisation_id; i++) {
                fold(orgs[i].name, g, sizeof g);
                if (!strcmp(f, g))
                    v->organisation_id = orgs[i].id;
            }
            if (!v->organisation_id)
                add(&rep,
                    "Row %zu: there is no organisation called \"%s\". Check its name on the "
                    "list of organisations",
                    row, org);
        }
        if (rep.n == before && *email) {
            for (size_t i = 0; i < *nrows; i++)
                if (!strcmp((*rows)[i].email, email)) {
                    add(&rep, "Row %zu: %s is also on row %zu", row, email, i + 2);
                    break;
                }
        }
        if (rep.n == before) {
            rc = db_row(db, SQL_USER_EMAIL_TAKEN, &st, "t", email);
            db_finalize(st);
            if (rc == APP_OK)
                add(&rep, "Row %zu: there is already an account for %s", row, email);
            else if (rc != APP_E_NOTFOUND)
                goto done;
            rc = APP_OK;
        }
        (*nrows)++;
    }
    if (rc == APP_E_INVALID) {
        add(&rep, "The file could not be read at %s", err);
        rc = APP_OK;
    }
    if (rc)
        goto done;
    if (!*nrows && !rep.n)
        add(&rep, "The file has a header row but nobody to invite");
done:
    csv_close(&r);
    if (rep.more)
        push(&rep, "There are more problems than can be listed here. Correct these, then "
                   "upload the file again to see the rest");
    if (!rc && rep.oom)
        rc = APP_E_NOMEM;
    if (!rc && rep.n) {
        *errors = rep.errors;
        *nerrors = rep.n;
        rc = APP_E_INVALID;
    }
    if (rc) {
        *rows = NULL;
        *nrows = 0;
    }
    return rc;
}
