/* import.c: the plan an import writes, its error report, and reading CSV files for imports
 * (see import.h) */
#include "listen/import.h"
#include "listen/listen.h"
#include "account/account.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rand.h"
#include "listen/transfer_store.h"
#include "store/db.h"
#include "text/language.h"
#include "text/redact.h"
#include "text/tokenise.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SLUG_LEN 10

/* ---- small helpers ---------------------------------------------------------------------- */

void import_report_add(struct import_report *rep, const char *fmt, ...)
{
    va_list ap;
    if (rep->nerrors >= IMPORT_MAX_ERRORS) {
        rep->more++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(rep->errors[rep->nerrors++], IMPORT_ERROR_LEN, fmt, ap);
    va_end(ap);
}

bool import_report_failed(const struct import_report *rep)
{
    return rep->nerrors > 0 || rep->more > 0;
}

/* A whole non-negative number (spaces around allowed): Pol.is ids, votes' times. */
bool import_parse_count(struct str s, int64_t *out)
{
    s = str_trim(s);
    return s.len && s.p[0] != '-' && parse_int64(s, out);
}

bool import_parse_ms(struct str s, int64_t *out)
{
    return import_parse_count(s, out) && *out <= IMPORT_MAX_MS;
}

/* -1, 0 or 1. */
bool import_parse_vote(struct str s, int *out)
{
    int64_t v;
    s = str_trim(s);
    if (!parse_int64(s, &v) || v < -1 || v > 1)
        return false;
    *out = (int)v;
    return true;
}

/* qsort, which must not be given a NULL array even when there is nothing to sort. */
void import_sort(void *p, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(p, n, size, cmp);
}

int import_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Index of v in the sorted array, or -1. */
long import_find_i64(const int64_t *arr, size_t n, int64_t v)
{
    const int64_t *p = n ? bsearch(&v, arr, n, sizeof *arr, import_cmp_i64) : NULL;
    return p ? (long)(p - arr) : -1;
}

/* 10 characters of [a-z0-9]; bytes past the largest multiple of 36 are drawn again so every
 * character is equally likely. */
static int new_slug(char out[SLUG_LEN + 1])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char raw[32];
    int i = 0, rc = APP_OK;
    while (i < SLUG_LEN) {
        if ((rc = rand_bytes(raw, sizeof raw)))
            goto done;
        for (size_t j = 0; j < sizeof raw && i < SLUG_LEN; j++)
            if (raw[j] < 252)
                out[i++] = alphabet[raw[j] % 36];
    }
    out[SLUG_LEN] = '\0';
done:
    return rc;
}

/* The redaction kinds in mask as "email address,postcode" (the order of redact.h). */
static void kinds_text(unsigned mask, struct buf *b)
{
    static const enum redact_kind all[] = {REDACT_EMAIL, REDACT_PHONE, REDACT_NHS_NUMBER,
                                           REDACT_POSTCODE, REDACT_URL};
    size_t start = b->len;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (mask & all[i]) {
            if (b->len > start)
                buf_putc(b, ',');
            buf_puts(b, redact_kind_name(all[i]));
        }
}

/* ---- the plan an import writes ---------------------------------------------------------- */

static int insert_contrib(struct db *db, int64_t exercise, int64_t prompt, const struct plan *p,
                          struct plan_contrib *c, struct buf *body, struct buf *kinds)
{
    struct db_stmt *st = NULL;
    unsigned found = 0;
    int rc;
    buf_reset(body);
    buf_reset(kinds);
    rc = redact_text(c->text.p, c->text.len, body, &found);
    if (rc)
        goto done;
    kinds_text(found, kinds);
    buf_putc(body, '\0'); /* an empty result still gets a terminated string */
    buf_putc(kinds, '\0');
    if (buf_oom(body) || buf_oom(kinds)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = db_run_int(db, SQL_LT_CONTRIBUTION_INSERT, &c->db_id, "iiittttiiiiti", exercise, prompt,
                    p->parts[c->part].db_id, body->data, found ? c->text.p : NULL, kinds->data,
                    c->status, c->votes, c->agrees, c->disagrees, c->passes, c->source_id,
                    c->created_at);
done:
    db_finalize(st);
    return rc;
}

/* The plan's language into rep: the export's, else guessed from the contributions' text,
 * else English (language.h says how the guess is made). The guess reads the text as it will be
 * stored (redacted, as insert_contrib writes it) without redaction's markers: "[phone number
 * removed]" is no one's words, and a conversation whose comments carry many of them (one
 * redacted before it was exported) would otherwise have "phone", "number" and "removed"
 * counted among its words, which are no language's stop words, and a German conversation's
 * share of German ones could fall under the guess's threshold. */
static int plan_language(const struct plan *p, struct import_report *rep)
{
    const struct language *l = NULL;
    struct text_span *docs = NULL;
    struct buf red = BUF_INIT, all = BUF_INIT;
    size_t *ends = NULL, n = 0;
    int rc = APP_OK;
    rep->language_source = "summary.csv";
    if (p->language) {
        snprintf(rep->language, sizeof rep->language, "%s", p->language);
        return APP_OK;
    }
    docs = calloc(p->ncontribs + 1, sizeof *docs);
    ends = calloc(p->ncontribs + 1, sizeof *ends);
    if (!docs || !ends) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* all the texts in one buffer, each ending at ends[i]; no more than the guess reads */
    for (size_t i = 0; i < p->ncontribs && all.len < LANGUAGE_GUESS_MAX_BYTES; i++) {
        buf_reset(&red);
        if ((rc = redact_text(p->contribs[i].text.p, p->contribs[i].text.len, &red, NULL)) ||
            (rc = redact_strip_markers(red.data ? red.data : "", red.len, &all)))
            goto done;
        ends[n++] = all.len;
    }
    if (buf_oom(&red) || buf_oom(&all)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t start = i ? ends[i - 1] : 0;
        docs[i] = (struct text_span){all.data ? all.data + start : "", ends[i] - start};
    }
    l = language_guess(docs, n, NULL);
    rep->language_source = l ? "comments" : "default";
    snprintf(rep->language, sizeof rep->language, "%s", l ? l->code : LANGUAGE_DEFAULT);
done:
    free(docs);
    free(ends);
    buf_free(&red);
    buf_free(&all);
    return rc;
}

/* Writes the plan as a new exercise in one transaction. */
int import_plan_write(struct db *db, struct plan *p, int64_t created_by, int64_t *exercise_id,
                      struct import_report *rep)
{
    struct db_stmt *st = NULL;
    struct buf body = BUF_INIT, kinds = BUF_INIT;
    char slug[SLUG_LEN + 1];
    int64_t now = (int64_t)time(NULL), ex = 0, prompt = 0;
    int rc = plan_language(p, rep);
    if (rc || (rc = db_begin(db)))
        goto done;
    /* A taken slug gives no row back; draw another. Five misses in a row mean something
     * other than bad luck (52 bits each). */
    rc = APP_E_CONFLICT;
    for (int attempt = 0; attempt < 5 && rc == APP_E_CONFLICT; attempt++) {
        if ((rc = new_slug(slug)))
            goto done;
        rc = db_run_int(db, SQL_LT_EXERCISE_INSERT, &ex, "tttiiIit", slug, p->title, p->summary_md,
                        p->opens_at, p->closes_at, created_by, now, rep->language);
        if (rc == APP_E_NOTFOUND)
            rc = APP_E_CONFLICT;
    }
    if (rc)
        goto done;
    /* the importer owns the new exercise, as its creator would */
    if (created_by && (rc = listen_facilitator_first(db, ex, created_by, now)))
        goto done;
    if ((rc = db_run_int(db, SQL_LT_PROMPT_INSERT, &prompt, "iit", ex, (int64_t)0, p->prompt)))
        goto done;
    for (size_t i = 0; i < p->nparts; i++) {
        struct plan_part *pp = &p->parts[i];
        rc = db_run_int(db, SQL_LT_PARTICIPANT_INSERT, &pp->db_id, "itttti", ex, pp->pseudonym,
                        pp->audience, pp->profession, pp->region, pp->created_at);
        if (rc)
            goto done;
    }
    for (size_t i = 0; i < p->ncontribs; i++)
        if ((rc = insert_contrib(db, ex, prompt, p, &p->contribs[i], &body, &kinds)))
            goto done;
    for (size_t i = 0; i < p->nvotes; i++) {
        const struct plan_vote *v = &p->votes[i];
        rc = db_run(db, SQL_LT_VOTE_INSERT, "iiiii", p->contribs[v->contrib].db_id,
                    p->parts[v->part].db_id, (int64_t)v->vote, v->created_at, v->updated_at);
        if (rc)
            goto done;
    }
    rc = db_commit(db);
done:
    db_finalize(st);
    buf_free(&body);
    buf_free(&kinds);
    if (rc) {
        db_rollback(db);
        import_report_add(rep, "the import failed while saving (%s); nothing was imported",
                          app_err_name(rc));
        return rc;
    }
    if (exercise_id)
        *exercise_id = ex;
    rep->participants = (int64_t)(p->nparts - p->nplaceholders);
    rep->comments = (int64_t)p->ncontribs;
    rep->votes = (int64_t)p->nvotes;
    return APP_OK;
}

/* ---- reading files ---------------------------------------------------------------------- */

/* The next record of file, with a syntax error reported as "file line N: …". Returns
 * APP_OK (*got says whether there was a record), APP_E_INVALID (reported; stop reading this
 * file) or APP_E_NOMEM. */
int import_next_record(struct csv_reader *r, struct csv_record *rec, bool *got, const char *file,
                       struct import_report *rep)
{
    char err[160];
    int rc = csv_next(r, rec, got, err, sizeof err);
    if (rc == APP_E_INVALID)
        import_report_add(rep, "%s%s%s", file, *file ? " " : "", err);
    return rc;
}

/* Finds each of the NULL-terminated names in header, reporting the missing ones. */
bool import_find_columns(const struct csv_record *hdr, const char *const *names, int *cols,
                         const char *file, struct import_report *rep)
{
    bool ok = true;
    for (size_t i = 0; names[i]; i++) {
        cols[i] = csv_column(hdr, names[i]);
        if (cols[i] < 0) {
            import_report_add(rep, "%s line %zu: there is no %s column", file, hdr->line, names[i]);
            ok = false;
        }
    }
    return ok;
}

bool import_check_width(const struct csv_record *rec, size_t want, const char *file,
                        struct import_report *rep)
{
    if (rec->nfields == want)
        return true;
    import_report_add(rep, "%s line %zu: %zu fields where the header has %zu", file, rec->line,
                      rec->nfields, want);
    return false;
}
