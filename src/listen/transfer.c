/* transfer.c: importing Pol.is exports and survey CSVs as exercises; exporting them again
 *
 * Imports run in two phases. The reading phase parses and checks every file into a plan (the
 * participants, contributions and votes to create, in memory, in one arena) and collects every
 * problem it finds with its file and line, so one upload reports all of its mistakes at once.
 * Only a clean plan reaches the writing phase, which inserts it in one transaction and rolls
 * back on any failure. Redaction happens while writing, as for any new contribution.
 *
 * Exports load the exercise (participants, shown contributions and the votes on them) into
 * memory, number participants and comments the way transfer.h describes, and write one file.
 * Vote counts in exports are counted from the votes themselves rather than read from the
 * denormalised columns, so a file is always consistent with itself.
 */
#include "listen/transfer.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "export/csv.h"
#include "listen/transfer_store.h"
#include "store/db.h"
#include "text/disclosure.h"
#include "text/redact.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 9999-12-31T23:59:59.999Z: later "timestamps" are garbage, and this keeps ms arithmetic
 * far from overflow. */
#define MAX_MS   INT64_C(253402300799999)
#define SLUG_LEN 10
#define DAY_SECS INT64_C(86400)

/* ---- small helpers ---------------------------------------------------------------------- */

/* Room for need elements of size bytes in p (arena memory; a grown array leaves its old
 * block to the arena). Returns the array, moved or not, or NULL when out of memory. */
static void rep_add(struct import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void rep_add(struct import_report *rep, const char *fmt, ...)
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

static bool rep_failed(const struct import_report *rep)
{
    return rep->nerrors > 0 || rep->more > 0;
}

/* A whole non-negative number (spaces around allowed): Pol.is ids, votes' times. */
static bool parse_count(struct str s, int64_t *out)
{
    s = str_trim(s);
    return s.len && s.p[0] != '-' && parse_int64(s, out);
}

static bool parse_ms(struct str s, int64_t *out)
{
    return parse_count(s, out) && *out <= MAX_MS;
}

/* -1, 0 or 1. */
static bool parse_vote(struct str s, int *out)
{
    int64_t v;
    s = str_trim(s);
    if (!parse_int64(s, &v) || v < -1 || v > 1)
        return false;
    *out = (int)v;
    return true;
}

/* True when s is a number written the one way we write numbers (no sign, no leading zero,
 * at most 18 digits), so that using it as an id and printing it again gives s back. */
static bool canonical_id(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return parse_int64((struct str){s, n}, out);
}

/* qsort, which must not be given a NULL array even when there is nothing to sort. */
static void sort_n(void *p, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(p, n, size, cmp);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Index of v in the sorted array, or -1. */
static long find_i64(const int64_t *arr, size_t n, int64_t v)
{
    const int64_t *p = n ? bsearch(&v, arr, n, sizeof *arr, cmp_i64) : NULL;
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

struct plan_part {
    const char *pseudonym, *audience, *profession, *region;
    int64_t created_at;
    int64_t db_id;
};

struct plan_contrib {
    size_t part;
    struct str text; /* NUL-terminated, as read (redacted when written) */
    const char *status, *source_id;
    int64_t created_at;
    int64_t votes, agrees, disagrees, passes;
    int64_t db_id;
};

struct plan_vote {
    size_t contrib, part;
    int vote;
    int64_t created_at, updated_at;
};

struct plan {
    const char *title, *summary_md, *prompt;
    int64_t opens_at, closes_at;
    struct plan_part *parts;
    size_t nparts;
    struct plan_contrib *contribs;
    size_t ncontribs;
    struct plan_vote *votes;
    size_t nvotes;
};

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

/* Writes the plan as a new exercise in one transaction. */
static int plan_write(struct db *db, struct plan *p, int64_t created_by, int64_t *exercise_id,
                      struct import_report *rep)
{
    struct db_stmt *st = NULL;
    struct buf body = BUF_INIT, kinds = BUF_INIT;
    char slug[SLUG_LEN + 1];
    int64_t now = (int64_t)time(NULL), ex = 0, prompt = 0;
    int rc = db_begin(db);
    if (rc)
        goto done;
    /* A taken slug gives no row back; draw another. Five misses in a row mean something
     * other than bad luck (52 bits each). */
    rc = APP_E_CONFLICT;
    for (int attempt = 0; attempt < 5 && rc == APP_E_CONFLICT; attempt++) {
        if ((rc = new_slug(slug)))
            goto done;
        rc = db_run_int(db, SQL_LT_EXERCISE_INSERT, &ex, "tttiiIi", slug, p->title, p->summary_md,
                        p->opens_at, p->closes_at, created_by, now);
        if (rc == APP_E_NOTFOUND)
            rc = APP_E_CONFLICT;
    }
    if (rc)
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
        rep_add(rep, "the import failed while saving (%s); nothing was imported", app_err_name(rc));
        return rc;
    }
    if (exercise_id)
        *exercise_id = ex;
    rep->participants = (int64_t)p->nparts;
    rep->comments = (int64_t)p->ncontribs;
    rep->votes = (int64_t)p->nvotes;
    return APP_OK;
}

/* ---- reading files ---------------------------------------------------------------------- */

/* The next record of file, with a syntax error reported as "file line N: …". Returns
 * APP_OK (*got says whether there was a record), APP_E_INVALID (reported; stop reading this
 * file) or APP_E_NOMEM. */
static int next_record(struct csv_reader *r, struct csv_record *rec, bool *got, const char *file,
                       struct import_report *rep)
{
    char err[160];
    int rc = csv_next(r, rec, got, err, sizeof err);
    if (rc == APP_E_INVALID)
        rep_add(rep, "%s%s%s", file, *file ? " " : "", err);
    return rc;
}

/* Finds each of the NULL-terminated names in header, reporting the missing ones. */
static bool find_columns(const struct csv_record *hdr, const char *const *names, int *cols,
                         const char *file, struct import_report *rep)
{
    bool ok = true;
    for (size_t i = 0; names[i]; i++) {
        cols[i] = csv_column(hdr, names[i]);
        if (cols[i] < 0) {
            rep_add(rep, "%s line %zu: there is no %s column", file, hdr->line, names[i]);
            ok = false;
        }
    }
    return ok;
}

static bool check_width(const struct csv_record *rec, size_t want, const char *file,
                        struct import_report *rep)
{
    if (rec->nfields == want)
        return true;
    rep_add(rep, "%s line %zu: %zu fields where the header has %zu", file, rec->line, rec->nfields,
            want);
    return false;
}

/* ---- Pol.is ----------------------------------------------------------------------------- */

struct pcomment {
    int64_t cid, author, ts;
    int moderated;
    struct str body;
    size_t line;
    int64_t votes, agrees, disagrees, passes;
};

struct pvote {
    int64_t voter, ts, first_ts;
    size_t comment; /* index into the comments, sorted by cid */
    size_t seq;     /* file order, to break ties between equal times */
    int vote;
};

struct pv_row {
    int64_t pid;
    size_t line;
};

struct polis {
    struct arena *a;
    struct import_report *rep;
    struct str topic, description, url;
    struct pcomment *c;
    size_t nc, capc;
    struct pvote *v;
    size_t nv, capv;
    int64_t *pids; /* every participant id seen; sorted and made unique at the end */
    size_t np, capp;
    struct pv_row *rows;
    size_t nrows, caprows;
};

static int add_pid(struct polis *pol, int64_t pid)
{
    pol->pids = arena_grow(pol->a, pol->pids, pol->np + 1, &pol->capp, sizeof *pol->pids);
    if (!pol->pids)
        return APP_E_NOMEM;
    pol->pids[pol->np++] = pid;
    return APP_OK;
}

static int add_vote(struct polis *pol, int64_t voter, size_t comment, int64_t ts, int vote)
{
    struct pvote *v;
    pol->v = arena_grow(pol->a, pol->v, pol->nv + 1, &pol->capv, sizeof *pol->v);
    if (!pol->v)
        return APP_E_NOMEM;
    v = &pol->v[pol->nv];
    v->voter = voter;
    v->comment = comment;
    v->ts = v->first_ts = ts;
    v->seq = pol->nv++;
    v->vote = vote;
    return APP_OK;
}

static int cmp_comment(const void *a, const void *b)
{
    const struct pcomment *x = a, *y = b;
    if (x->cid != y->cid)
        return (x->cid > y->cid) - (x->cid < y->cid);
    return (x->line > y->line) - (x->line < y->line);
}

/* Index of the comment with id cid (comments sorted), or -1. */
static long find_comment(const struct polis *pol, int64_t cid)
{
    size_t lo = 0, hi = pol->nc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pol->c[mid].cid < cid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pol->nc && pol->c[lo].cid == cid ? (long)lo : -1;
}

static int read_summary(struct polis *pol, struct str data)
{
    struct csv_reader r;
    struct csv_record rec;
    bool got;
    int rc;
    csv_open(&r, data.p, data.len);
    while ((rc = next_record(&r, &rec, &got, "summary.csv", pol->rep)) == APP_OK && got) {
        struct str key = str_trim(csv_get(&rec, 0)), val = csv_get(&rec, 1), *dst = NULL;
        char *copy;
        if (str_eq_cstr(key, "topic"))
            dst = &pol->topic;
        else if (str_eq_cstr(key, "conversation-description"))
            dst = &pol->description;
        else if (str_eq_cstr(key, "url"))
            dst = &pol->url;
        if (!dst)
            continue;
        val = csv_text_value(str_trim(val)); /* our exports quote formulae */
        if (!(copy = arena_strndup(pol->a, val.p, val.len))) {
            rc = APP_E_NOMEM;
            break;
        }
        *dst = (struct str){copy, val.len};
    }
    csv_close(&r);
    return rc == APP_E_INVALID ? APP_OK : rc;
}

static int read_comments(struct polis *pol, struct str data)
{
    static const char *const names[] = {"timestamp", "comment-id",   "author-id",
                                        "moderated", "comment-body", NULL};
    const char *file = "comments.csv";
    struct csv_reader r;
    struct csv_record rec;
    int col[5];
    size_t width;
    bool got;
    int rc;
    csv_open(&r, data.p, data.len);
    if ((rc = next_record(&r, &rec, &got, file, pol->rep)))
        goto done;
    if (!got) {
        rep_add(pol->rep, "%s: the file is empty", file);
        goto done;
    }
    if (!find_columns(&rec, names, col, file, pol->rep))
        goto done;
    width = rec.nfields;
    while ((rc = next_record(&r, &rec, &got, file, pol->rep)) == APP_OK && got) {
        struct pcomment c = {0};
        struct str body;
        bool ok = check_width(&rec, width, file, pol->rep);
        if (!ok)
            continue;
        c.line = rec.line;
        if (!parse_ms(csv_get(&rec, col[0]), &c.ts)) {
            rep_add(pol->rep, "%s line %zu: timestamp is not a time in milliseconds", file, c.line);
            ok = false;
        }
        if (!parse_count(csv_get(&rec, col[1]), &c.cid)) {
            rep_add(pol->rep, "%s line %zu: comment-id is not a number", file, c.line);
            ok = false;
        }
        if (!parse_count(csv_get(&rec, col[2]), &c.author)) {
            rep_add(pol->rep, "%s line %zu: author-id is not a number", file, c.line);
            ok = false;
        }
        if (!parse_vote(csv_get(&rec, col[3]), &c.moderated)) {
            rep_add(pol->rep, "%s line %zu: moderated is not -1, 0 or 1", file, c.line);
            ok = false;
        }
        body = csv_text_value(csv_get(&rec, col[4])); /* our exports quote formulae */
        {
            size_t k = 0;
            while (k < body.len && strchr(" \t\r\n", body.p[k]))
                k++;
            if (k == body.len) {
                rep_add(pol->rep, "%s line %zu: comment-body is empty", file, c.line);
                ok = false;
            }
        }
        if (!ok)
            continue;
        /* Bodies are kept exactly, trailing line breaks too, so exports give them back. */
        if (!(c.body.p = arena_strndup(pol->a, body.p, body.len))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        c.body.len = body.len;
        pol->c = arena_grow(pol->a, pol->c, pol->nc + 1, &pol->capc, sizeof *pol->c);
        if (!pol->c || add_pid(pol, c.author)) {
            rc = APP_E_NOMEM;
            goto done;
        }
        pol->c[pol->nc++] = c;
    }
    if (rc)
        goto done;
    if (pol->nc == 0 && !rep_failed(pol->rep))
        rep_add(pol->rep, "%s: there are no comments", file);
    sort_n(pol->c, pol->nc, sizeof *pol->c, cmp_comment);
    for (size_t i = 1; i < pol->nc; i++)
        if (pol->c[i].cid == pol->c[i - 1].cid)
            rep_add(pol->rep, "%s line %zu: comment-id %" PRId64 " was already used on line %zu",
                    file, pol->c[i].line, pol->c[i].cid, pol->c[i - 1].line);
done:
    csv_close(&r);
    return rc == APP_E_INVALID ? APP_OK : rc;
}

static int read_votes(struct polis *pol, struct str data)
{
    static const char *const names[] = {"timestamp", "comment-id", "voter-id", "vote", NULL};
    const char *file = "votes.csv";
    struct csv_reader r;
    struct csv_record rec;
    int col[4];
    size_t width;
    bool got;
    int rc;
    csv_open(&r, data.p, data.len);
    if ((rc = next_record(&r, &rec, &got, file, pol->rep)))
        goto done;
    if (!got) {
        rep_add(pol->rep, "%s: the file is empty", file);
        goto done;
    }
    if (!find_columns(&rec, names, col, file, pol->rep))
        goto done;
    width = rec.nfields;
    while ((rc = next_record(&r, &rec, &got, file, pol->rep)) == APP_OK && got) {
        int64_t ts = 0, cid = 0, voter = 0;
        long ci = -1;
        int vote = 0;
        bool ok = check_width(&rec, width, file, pol->rep);
        if (!ok)
            continue;
        if (!parse_ms(csv_get(&rec, col[0]), &ts)) {
            rep_add(pol->rep, "%s line %zu: timestamp is not a time in milliseconds", file,
                    rec.line);
            ok = false;
        }
        if (!parse_count(csv_get(&rec, col[1]), &cid)) {
            rep_add(pol->rep, "%s line %zu: comment-id is not a number", file, rec.line);
            ok = false;
        } else if ((ci = find_comment(pol, cid)) < 0) {
            rep_add(pol->rep, "%s line %zu: comment-id %" PRId64 " is not in comments.csv", file,
                    rec.line, cid);
            ok = false;
        }
        if (!parse_count(csv_get(&rec, col[2]), &voter)) {
            rep_add(pol->rep, "%s line %zu: voter-id is not a number", file, rec.line);
            ok = false;
        }
        if (!parse_vote(csv_get(&rec, col[3]), &vote)) {
            rep_add(pol->rep, "%s line %zu: vote is not -1, 0 or 1", file, rec.line);
            ok = false;
        }
        if (ok && ((rc = add_vote(pol, voter, (size_t)ci, ts, vote)) || (rc = add_pid(pol, voter))))
            goto done;
    }
done:
    csv_close(&r);
    return rc == APP_E_INVALID ? APP_OK : rc;
}

static int cmp_pv_row(const void *a, const void *b)
{
    const struct pv_row *x = a, *y = b;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    return (x->line > y->line) - (x->line < y->line);
}

/* participants-votes.csv: its rows name participants; its comment columns (headers that are
 * numbers) hold final votes, which are used only when with_votes (no votes.csv). */
static int read_pv(struct polis *pol, struct str data, bool with_votes)
{
    const char *file = "participants-votes.csv";
    struct csv_reader r;
    struct csv_record rec;
    long *colc = NULL; /* per column: the comment index, or -1 */
    int pcol;
    size_t width;
    bool got;
    int rc;
    csv_open(&r, data.p, data.len);
    if ((rc = next_record(&r, &rec, &got, file, pol->rep)))
        goto done;
    if (!got) {
        rep_add(pol->rep, "%s: the file is empty", file);
        goto done;
    }
    {
        static const char *const names[] = {"participant", NULL};
        if (!find_columns(&rec, names, &pcol, file, pol->rep))
            goto done;
    }
    width = rec.nfields;
    if (!(colc = arena_calloc(pol->a, width, sizeof *colc))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < width; i++) {
        struct str h = str_trim(rec.fields[i]);
        int64_t cid;
        colc[i] = -1;
        if (!h.len || !parse_count(h, &cid))
            continue;
        if ((colc[i] = find_comment(pol, cid)) < 0)
            rep_add(pol->rep, "%s line %zu: column %" PRId64 " is not a comment-id in comments.csv",
                    file, rec.line, cid);
    }
    while ((rc = next_record(&r, &rec, &got, file, pol->rep)) == APP_OK && got) {
        int64_t pid;
        if (!check_width(&rec, width, file, pol->rep))
            continue;
        if (!parse_count(csv_get(&rec, pcol), &pid)) {
            rep_add(pol->rep, "%s line %zu: participant is not a number", file, rec.line);
            continue;
        }
        pol->rows = arena_grow(pol->a, pol->rows, pol->nrows + 1, &pol->caprows, sizeof *pol->rows);
        if (!pol->rows || add_pid(pol, pid)) {
            rc = APP_E_NOMEM;
            goto done;
        }
        pol->rows[pol->nrows++] = (struct pv_row){pid, rec.line};
        for (size_t i = 0; i < width; i++) {
            struct str cell = str_trim(rec.fields[i]);
            int vote;
            if (colc[i] < 0 || cell.len == 0)
                continue;
            if (!parse_vote(cell, &vote)) {
                rep_add(pol->rep,
                        "%s line %zu: the vote on comment %" PRId64 " is not blank, -1, 0 or 1",
                        file, rec.line, pol->c[colc[i]].cid);
                continue;
            }
            if (with_votes && (rc = add_vote(pol, pid, (size_t)colc[i], pol->c[colc[i]].ts, vote)))
                goto done;
        }
    }
    if (rc == APP_OK && pol->nrows > 1) {
        sort_n(pol->rows, pol->nrows, sizeof *pol->rows, cmp_pv_row);
        for (size_t i = 1; i < pol->nrows; i++)
            if (pol->rows[i].pid == pol->rows[i - 1].pid)
                rep_add(pol->rep, "%s line %zu: participant %" PRId64 " was already on line %zu",
                        file, pol->rows[i].line, pol->rows[i].pid, pol->rows[i - 1].line);
    }
done:
    csv_close(&r);
    return rc == APP_E_INVALID ? APP_OK : rc;
}

static int cmp_vote(const void *a, const void *b)
{
    const struct pvote *x = a, *y = b;
    if (x->voter != y->voter)
        return (x->voter > y->voter) - (x->voter < y->voter);
    if (x->comment != y->comment)
        return (x->comment > y->comment) - (x->comment < y->comment);
    if (x->ts != y->ts)
        return (x->ts > y->ts) - (x->ts < y->ts);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Keeps the last event per (voter, comment), remembering the first one's time. */
static size_t final_votes(struct polis *pol)
{
    size_t out = 0;
    sort_n(pol->v, pol->nv, sizeof *pol->v, cmp_vote);
    for (size_t i = 0; i < pol->nv; i++) {
        if (out && pol->v[out - 1].voter == pol->v[i].voter &&
            pol->v[out - 1].comment == pol->v[i].comment) {
            int64_t first = pol->v[out - 1].first_ts;
            pol->v[out - 1] = pol->v[i];
            pol->v[out - 1].first_ts = first;
        } else {
            pol->v[out++] = pol->v[i];
        }
    }
    return out;
}

static const char *polis_summary(struct polis *pol)
{
    struct buf b = BUF_INIT;
    char *s;
    buf_append(&b, pol->description.p ? pol->description.p : "", pol->description.len);
    if (!strstr(b.data ? b.data : "", LISTEN_POLIS_ATTRIBUTION)) {
        if (b.len)
            buf_puts(&b, "\n\n");
        buf_puts(&b, "Imported from Pol.is");
        if (pol->url.len)
            buf_printf(&b, " (%.*s)", (int)pol->url.len, pol->url.p);
        buf_puts(&b, ". " LISTEN_POLIS_ATTRIBUTION);
    }
    s = buf_oom(&b) ? NULL : arena_strndup(pol->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

/* Turns what was read into a plan: participants in id order, contributions in comment-id
 * order, final votes. */
static int polis_plan(struct polis *pol, const char *title, struct plan *pl)
{
    size_t nfinal, np = 0;
    int64_t lo = INT64_MAX, hi = 0, now = (int64_t)time(NULL);
    sort_n(pol->pids, pol->np, sizeof *pol->pids, cmp_i64);
    for (size_t i = 0; i < pol->np; i++)
        if (np == 0 || pol->pids[np - 1] != pol->pids[i])
            pol->pids[np++] = pol->pids[i];
    pol->np = np;
    nfinal = final_votes(pol);
    pol->rep->skipped = (int64_t)(pol->nv - nfinal);
    pol->nv = nfinal;

    pl->parts = arena_calloc(pol->a, pol->np ? pol->np : 1, sizeof *pl->parts);
    pl->contribs = arena_calloc(pol->a, pol->nc ? pol->nc : 1, sizeof *pl->contribs);
    pl->votes = arena_calloc(pol->a, pol->nv ? pol->nv : 1, sizeof *pl->votes);
    if (!pl->parts || !pl->contribs || !pl->votes)
        return APP_E_NOMEM;
    pl->nparts = pol->np;
    pl->ncontribs = pol->nc;
    pl->nvotes = pol->nv;
    for (size_t i = 0; i < pol->np; i++) {
        struct plan_part *pp = &pl->parts[i];
        pp->pseudonym = arena_printf(pol->a, "%" PRId64, pol->pids[i]);
        if (!pp->pseudonym)
            return APP_E_NOMEM;
        pp->audience = pp->profession = pp->region = "";
        pp->created_at = INT64_MAX;
    }
    for (size_t i = 0; i < pol->nv; i++) {
        const struct pvote *v = &pol->v[i];
        struct plan_vote *pv = &pl->votes[i];
        struct pcomment *c = &pol->c[v->comment];
        pv->contrib = v->comment;
        pv->part = (size_t)find_i64(pol->pids, pol->np, v->voter);
        pv->vote = v->vote;
        pv->created_at = v->first_ts / 1000;
        pv->updated_at = v->ts / 1000;
        c->votes++;
        c->agrees += v->vote == 1;
        c->disagrees += v->vote == -1;
        c->passes += v->vote == 0;
        if (pv->created_at < pl->parts[pv->part].created_at)
            pl->parts[pv->part].created_at = pv->created_at;
        lo = pv->created_at < lo ? pv->created_at : lo;
        hi = pv->updated_at > hi ? pv->updated_at : hi;
    }
    for (size_t i = 0; i < pol->nc; i++) {
        const struct pcomment *c = &pol->c[i];
        struct plan_contrib *pc = &pl->contribs[i];
        pc->part = (size_t)find_i64(pol->pids, pol->np, c->author);
        pc->text = c->body;
        pc->status = c->moderated == 1 ? "approved" : c->moderated == 0 ? "pending" : "rejected";
        pc->source_id = arena_printf(pol->a, "%" PRId64, c->cid);
        if (!pc->source_id)
            return APP_E_NOMEM;
        pc->created_at = c->ts / 1000;
        pc->votes = c->votes;
        pc->agrees = c->agrees;
        pc->disagrees = c->disagrees;
        pc->passes = c->passes;
        if (pc->created_at < pl->parts[pc->part].created_at)
            pl->parts[pc->part].created_at = pc->created_at;
        lo = pc->created_at < lo ? pc->created_at : lo;
        hi = pc->created_at > hi ? pc->created_at : hi;
    }
    for (size_t i = 0; i < pol->np; i++)
        if (pl->parts[i].created_at == INT64_MAX)
            pl->parts[i].created_at = now; /* a participants-votes row and nothing else */
    pl->opens_at = lo == INT64_MAX ? 0 : lo;
    pl->closes_at = lo == INT64_MAX ? 0 : hi;
    if (str_trim(str_from(title)).len)
        pl->title = title;
    else if (pol->topic.len)
        pl->title = pol->topic.p;
    else
        pl->title = "Imported from Pol.is";
    pl->prompt = pol->topic.len ? pol->topic.p : "Comments imported from Pol.is";
    pl->summary_md = polis_summary(pol);
    return pl->summary_md ? APP_OK : APP_E_NOMEM;
}

int listen_import_polis(struct db *db, const struct polis_files *f, const char *title,
                        int64_t created_by, int64_t *exercise_id, struct import_report *rep)
{
    struct import_report spare;
    struct polis pol = {0};
    struct plan pl = {0};
    bool have_votes = f->votes.p && f->votes.len,
         have_pv = f->participants_votes.p && f->participants_votes.len;
    int rc = APP_OK;
    if (!rep)
        rep = &spare;
    memset(rep, 0, sizeof *rep);
    if (exercise_id)
        *exercise_id = 0;
    pol.rep = rep;
    if (!(pol.a = arena_new())) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if (!f->comments.p || !f->comments.len)
        rep_add(rep, "comments.csv is required");
    if (!have_votes && !have_pv)
        rep_add(rep, "votes.csv or participants-votes.csv is required");
    if (rep_failed(rep))
        goto done;
    if (f->summary.p && f->summary.len && (rc = read_summary(&pol, f->summary)))
        goto done;
    if ((rc = read_comments(&pol, f->comments)))
        goto done;
    if (have_votes && (rc = read_votes(&pol, f->votes)))
        goto done;
    if (have_pv && (rc = read_pv(&pol, f->participants_votes, !have_votes)))
        goto done;
    if (rep_failed(rep))
        goto done;
    if ((rc = polis_plan(&pol, title, &pl)))
        goto done;
    rc = plan_write(db, &pl, created_by, exercise_id, rep);
done:
    if (rc == APP_OK && rep_failed(rep))
        rc = APP_E_INVALID;
    if (rc != APP_OK) {
        rep->comments = rep->participants = rep->votes = rep->skipped = 0;
        if (rc == APP_E_NOMEM && !rep_failed(rep))
            rep_add(rep, "out of memory; nothing was imported");
    }
    arena_free(pol.a);
    return rc;
}

/* ---- generic survey CSV ----------------------------------------------------------------- */

/* Lower-case ASCII with runs of white space made one space and the ends trimmed, into out
 * (NUL-terminated, truncated to outlen - 1). */
static void fold(struct str s, char *out, size_t outlen)
{
    size_t j = 0;
    bool space = false;
    for (size_t i = 0; i < s.len && j + 1 < outlen; i++) {
        char c = s.p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
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

static const char *audience_code(struct str s)
{
    static const struct {
        const char *text, *code;
    } words[] = {
        {"citizen", "citizen"},
        {"citizens", "citizen"},
        {"member of the public", "citizen"},
        {"members of the public", "citizen"},
        {"a member of the public", "citizen"},
        {"public", "citizen"},
        {"patient", "citizen"},
        {"patient or carer", "citizen"},
        {"carer", "citizen"},
        {"service user", "citizen"},
        {"ahp", "ahp"},
        {"ahps", "ahp"},
        {"allied health professional", "ahp"},
        {"allied health professionals", "ahp"},
        {"an allied health professional", "ahp"},
        {"staff", "staff"},
        {"other health and care staff", "staff"},
        {"health and care staff", "staff"},
        {"other staff", "staff"},
        {"nhs staff", "staff"},
    };
    char f[64];
    fold(s, f, sizeof f);
    while (*f && f[strlen(f) - 1] == '.')
        f[strlen(f) - 1] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(f, words[i].text))
            return words[i].code;
    return "";
}

/* The code of the item whose code or name is s (ignoring case and extra spaces), or "". */
static const char *ref_code(const struct ref_item *items, size_t n, struct str s)
{
    char f[96], g[96];
    fold(s, f, sizeof f);
    if (!*f)
        return "";
    for (size_t i = 0; i < n; i++) {
        fold(str_from(items[i].code), g, sizeof g);
        if (!strcmp(f, g))
            return items[i].code;
        fold(str_from(items[i].name), g, sizeof g);
        if (!strcmp(f, g))
            return items[i].code;
    }
    return "";
}

/* Reports that the column wanted is missing, listing the ones there are. */
static void report_columns(struct import_report *rep, const struct csv_record *hdr,
                           const char *what, const char *want)
{
    char list[IMPORT_ERROR_LEN];
    size_t j = 0;
    list[0] = '\0';
    for (size_t i = 0; i < hdr->nfields && j + 1 < sizeof list; i++) {
        int k = snprintf(list + j, sizeof list - j, "%s\"%s\"", i ? ", " : "", hdr->fields[i].p);
        if (k < 0)
            break;
        j += (size_t)k;
    }
    if (j >= sizeof list)
        j = sizeof list - 1;
    list[j] = '\0';
    rep_add(rep, "line %zu: there is no %s column \"%s\"; the columns are: %s", hdr->line, what,
            want, list);
}

int listen_import_csv(struct db *db, const char *data, size_t n, const struct csv_import_opts *o,
                      int64_t created_by, int64_t *exercise_id, struct import_report *rep)
{
    static const char *const what[] = {"text", "audience", "profession", "region"};
    struct import_report spare;
    struct arena *a = arena_new();
    struct csv_reader r;
    struct csv_record rec;
    struct plan pl = {0};
    size_t cap_parts = 0, cap_contribs = 0, width = 0, row = 0;
    const char *names[4];
    int col[4] = {-1, -1, -1, -1};
    int64_t now = (int64_t)time(NULL);
    bool got;
    int rc = APP_OK;
    if (!rep)
        rep = &spare;
    memset(rep, 0, sizeof *rep);
    if (exercise_id)
        *exercise_id = 0;
    csv_open(&r, data, n);
    if (!a) {
        rc = APP_E_NOMEM;
        goto done;
    }
    names[0] = o->text_column;
    names[1] = o->audience_column;
    names[2] = o->profession_column;
    names[3] = o->region_column;
    if (!names[0] || !*names[0]) {
        rep_add(rep, "choose the column that holds the text");
        goto done;
    }
    if ((rc = next_record(&r, &rec, &got, "", rep)))
        goto done;
    if (!got) {
        rep_add(rep, "the file is empty");
        goto done;
    }
    width = rec.nfields;
    for (int i = 0; i < 4; i++) {
        if (!names[i] || !*names[i])
            continue;
        if ((col[i] = csv_column_loose(&rec, names[i])) < 0)
            report_columns(rep, &rec, what[i], names[i]);
    }
    if (rep_failed(rep))
        goto done;
    {
        struct str h = str_trim(rec.fields[col[0]]);
        if (!(pl.prompt = arena_strndup(a, h.p, h.len))) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    while ((rc = next_record(&r, &rec, &got, "", rep)) == APP_OK && got) {
        struct str text = csv_get(&rec, col[0]);
        struct plan_part *pp;
        struct plan_contrib *pc;
        row++;
        if (rec.nfields > width) {
            rep_add(rep, "line %zu: %zu fields where the header has %zu", rec.line, rec.nfields,
                    width);
            continue;
        }
        while (text.len && strchr(" \t\r\n", text.p[0])) {
            text.p++;
            text.len--;
        }
        while (text.len && strchr(" \t\r\n", text.p[text.len - 1]))
            text.len--;
        if (!text.len) {
            rep->skipped++;
            continue;
        }
        pl.parts = arena_grow(a, pl.parts, pl.nparts + 1, &cap_parts, sizeof *pl.parts);
        pl.contribs =
            arena_grow(a, pl.contribs, pl.ncontribs + 1, &cap_contribs, sizeof *pl.contribs);
        if (!pl.parts || !pl.contribs) {
            rc = APP_E_NOMEM;
            goto done;
        }
        pp = &pl.parts[pl.nparts];
        pc = &pl.contribs[pl.ncontribs];
        pp->pseudonym = arena_printf(a, "row-%zu", row);
        pp->audience = col[1] >= 0 ? audience_code(csv_get(&rec, col[1])) : "";
        pp->profession =
            col[2] >= 0 ? ref_code(professions, professions_count, csv_get(&rec, col[2])) : "";
        pp->region = col[3] >= 0 ? ref_code(regions, regions_count, csv_get(&rec, col[3])) : "";
        pp->created_at = now;
        pc->part = pl.nparts;
        pc->text.p = arena_strndup(a, text.p, text.len);
        pc->text.len = text.len;
        pc->status = "approved";
        pc->source_id = "";
        pc->created_at = now;
        if (!pp->pseudonym || !pc->text.p) {
            rc = APP_E_NOMEM;
            goto done;
        }
        pl.nparts++;
        pl.ncontribs++;
    }
    if (rc)
        goto done;
    if (pl.ncontribs == 0 && !rep_failed(rep))
        rep_add(rep, "no row has any text in the column \"%s\"", names[0]);
    if (rep_failed(rep))
        goto done;
    pl.title = str_trim(str_from(o->title)).len ? o->title : "Imported responses";
    pl.summary_md = "";
    pl.opens_at = pl.closes_at = 0;
    rc = plan_write(db, &pl, created_by, exercise_id, rep);
done:
    csv_close(&r);
    arena_free(a);
    if (rc == APP_OK && rep_failed(rep))
        rc = APP_E_INVALID;
    if (rc != APP_OK) {
        rep->comments = rep->participants = rep->votes = rep->skipped = 0;
        if (rc == APP_E_NOMEM && !rep_failed(rep))
            rep_add(rep, "out of memory; nothing was imported");
    }
    return rc;
}

/* ---- exports ---------------------------------------------------------------------------- */

struct xpart {
    int64_t id;
    const char *pseudonym, *audience, *profession, *region;
    int64_t ncomments, nvotes, nagree, ndisagree;
};

struct xcomment {
    int64_t id, prompt_id, parent_id, created_at, updated_at;
    int64_t cid; /* the comment-id exports use */
    size_t part;
    const char *body, *redactions, *status, *source_id;
    bool hidden;
    int64_t votes, agrees, disagrees, passes;
};

struct xvote {
    int64_t contribution_id, participant_id;
    size_t comment, part; /* indexes, once mapped */
    int vote;
    int64_t created_at, updated_at;
};

struct xprompt {
    int64_t id, position;
    const char *text;
};

struct xdata {
    struct arena *a;
    const char *slug, *title, *summary_md, *audiences, *status, *moderation;
    int64_t opens_at, closes_at, created_at;
    struct xprompt *prompts;
    size_t nprompts;
    struct xpart *parts; /* in id order: the index is the exported participant number */
    size_t nparts;
    struct xcomment *comments; /* in comment-id order once loaded */
    size_t ncomments;
    struct xvote *votes;
    size_t nvotes;
};

/* (id, index) pairs for finding a contribution by id once comments are in cid order. */
struct id_index {
    int64_t id;
    size_t index;
};

static int cmp_id_index(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;
    if (x->id != y->id)
        return (x->id > y->id) - (x->id < y->id);
    return (x->index > y->index) - (x->index < y->index);
}

static int cmp_xcomment_cid(const void *a, const void *b)
{
    const struct xcomment *x = a, *y = b;
    return (x->cid > y->cid) - (x->cid < y->cid);
}

static int cmp_xpart_id(const void *a, const void *b)
{
    const struct xpart *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static long find_part(const struct xdata *x, int64_t id)
{
    struct xpart key = {0};
    const struct xpart *p;
    key.id = id;
    p = x->nparts ? bsearch(&key, x->parts, x->nparts, sizeof key, cmp_xpart_id) : NULL;
    return p ? (long)(p - x->parts) : -1;
}

static int cmp_id_only(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The index stored with id in map (sorted by id, ids unique), or -1. */
static long find_id(const struct id_index *map, size_t n, int64_t id)
{
    struct id_index key = {id, 0};
    const struct id_index *p = n ? bsearch(&key, map, n, sizeof key, cmp_id_only) : NULL;
    return p ? (long)p->index : -1;
}

/* Midnight UTC of the day holding secs. Exports give every time as its day: a time to the
 * second lets whoever saw someone type, or knows when they were on shift, match them to
 * their contribution and from there to everything else they wrote and voted. */
static int64_t day_of(int64_t secs)
{
    int64_t r = secs % DAY_SECS;
    return secs - (r < 0 ? r + DAY_SECS : r);
}

/* Reads text column i of the current row into the arena; NULL when out of memory. */
static const char *col_dup(struct arena *a, struct db_stmt *st, int i)
{
    return arena_strndup(a, db_col_text(st, i), db_col_len(st, i));
}

static int load_exercise(struct db *db, int64_t id, struct xdata *x)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LT_EXERCISE, &st, "i", id);
    if (rc)
        goto done;
    x->slug = col_dup(x->a, st, 0);
    x->title = col_dup(x->a, st, 1);
    x->summary_md = col_dup(x->a, st, 2);
    x->audiences = col_dup(x->a, st, 3);
    x->status = col_dup(x->a, st, 4);
    x->moderation = col_dup(x->a, st, 5);
    x->opens_at = day_of(db_col_int(st, 6));
    x->closes_at = day_of(db_col_int(st, 7));
    x->created_at = day_of(db_col_int(st, 8));
    if (!x->slug || !x->title || !x->summary_md || !x->audiences || !x->status || !x->moderation)
        rc = APP_E_NOMEM;
done:
    db_finalize(st);
    return rc;
}

static int load_prompts(struct db *db, int64_t id, struct xdata *x)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_LT_PROMPTS, &st, "i", id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct xprompt *p;
        if (!(x->prompts = arena_grow(x->a, x->prompts, x->nprompts + 1, &cap, sizeof *p))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        p = &x->prompts[x->nprompts++];
        p->id = db_col_int(st, 0);
        p->position = db_col_int(st, 1);
        if (!(p->text = col_dup(x->a, st, 2))) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

static int load_parts(struct db *db, int64_t id, struct xdata *x)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_LT_PARTICIPANTS, &st, "i", id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct xpart *p;
        if (!(x->parts = arena_grow(x->a, x->parts, x->nparts + 1, &cap, sizeof *p))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        p = &x->parts[x->nparts++];
        p->id = db_col_int(st, 0);
        p->pseudonym = col_dup(x->a, st, 1);
        p->audience = col_dup(x->a, st, 2);
        p->profession = col_dup(x->a, st, 3);
        p->region = col_dup(x->a, st, 4);
        if (!p->pseudonym || !p->audience || !p->profession || !p->region) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

static int load_comments(struct db *db, int64_t id, struct xdata *x)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_LT_CONTRIBUTIONS, &st, "i", id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct xcomment *c;
        long part = find_part(x, db_col_int(st, 3));
        if (part < 0) { /* cannot happen: the foreign key holds it in the exercise */
            rc = APP_E_INTERNAL;
            goto done;
        }
        if (!(x->comments = arena_grow(x->a, x->comments, x->ncomments + 1, &cap, sizeof *c))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        c = &x->comments[x->ncomments++];
        c->id = db_col_int(st, 0);
        c->prompt_id = db_col_int(st, 1);
        c->parent_id = db_col_int(st, 2);
        c->part = (size_t)part;
        c->body = col_dup(x->a, st, 4);
        c->redactions = col_dup(x->a, st, 5);
        c->status = col_dup(x->a, st, 6);
        c->hidden = db_col_int(st, 7) != 0;
        c->source_id = col_dup(x->a, st, 8);
        c->created_at = day_of(db_col_int(st, 9));
        c->updated_at = day_of(db_col_int(st, 10));
        if (!c->body || !c->redactions || !c->status || !c->source_id) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

/* Gives every comment its exported comment-id (see transfer.h). Comments arrive in id order,
 * which decides who keeps a source_id two comments share. */
static int assign_cids(struct xdata *x)
{
    struct id_index *claims = arena_calloc(x->a, x->ncomments + 1, sizeof *claims);
    bool *has = arena_calloc(x->a, x->ncomments + 1, sizeof *has);
    size_t nclaims = 0, kept = 0;
    int64_t next = 0;
    if (!claims || !has)
        return APP_E_NOMEM;
    for (size_t i = 0; i < x->ncomments; i++) {
        int64_t v;
        if (canonical_id(x->comments[i].source_id, &v))
            claims[nclaims++] = (struct id_index){v, i};
        next = x->comments[i].id > next ? x->comments[i].id : next;
    }
    sort_n(claims, nclaims, sizeof *claims, cmp_id_index);
    for (size_t i = 0; i < nclaims; i++) {
        if (i && claims[i].id == claims[i - 1].id)
            continue;
        x->comments[claims[i].index].cid = claims[i].id;
        has[claims[i].index] = true;
        claims[kept++] = claims[i];
        next = claims[i].id > next ? claims[i].id : next;
    }
    for (size_t i = 0; i < x->ncomments; i++) {
        if (has[i])
            continue;
        x->comments[i].cid =
            find_id(claims, kept, x->comments[i].id) < 0 ? x->comments[i].id : ++next;
    }
    sort_n(x->comments, x->ncomments, sizeof *x->comments, cmp_xcomment_cid);
    return APP_OK;
}

static int load_votes(struct db *db, int64_t id, struct xdata *x)
{
    struct db_stmt *st = NULL;
    struct id_index *map = arena_calloc(x->a, x->ncomments + 1, sizeof *map);
    size_t cap = 0;
    int rc;
    if (!map)
        return APP_E_NOMEM;
    for (size_t i = 0; i < x->ncomments; i++)
        map[i] = (struct id_index){x->comments[i].id, i};
    sort_n(map, x->ncomments, sizeof *map, cmp_id_index);
    /* Parents are exported as comment-ids; a parent that is not shown is no parent. */
    for (size_t i = 0; i < x->ncomments; i++) {
        long p =
            x->comments[i].parent_id ? find_id(map, x->ncomments, x->comments[i].parent_id) : -1;
        x->comments[i].parent_id = p < 0 ? -1 : x->comments[p].cid;
    }
    rc = db_prepare_bind(db, SQL_LT_VOTES, &st, "i", id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct xvote *v;
        long ci = find_id(map, x->ncomments, db_col_int(st, 0));
        long pi = find_part(x, db_col_int(st, 1));
        if (ci < 0 || pi < 0) { /* cannot happen: both are in the exercise */
            rc = APP_E_INTERNAL;
            goto done;
        }
        if (!(x->votes = arena_grow(x->a, x->votes, x->nvotes + 1, &cap, sizeof *v))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        v = &x->votes[x->nvotes++];
        v->comment = (size_t)ci;
        v->part = (size_t)pi;
        v->vote = (int)db_col_int(st, 2);
        v->created_at = day_of(db_col_int(st, 3));
        v->updated_at = day_of(db_col_int(st, 4));
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

static void count_votes(struct xdata *x)
{
    for (size_t i = 0; i < x->ncomments; i++)
        x->parts[x->comments[i].part].ncomments++;
    for (size_t i = 0; i < x->nvotes; i++) {
        const struct xvote *v = &x->votes[i];
        struct xcomment *c = &x->comments[v->comment];
        struct xpart *p = &x->parts[v->part];
        c->votes++;
        p->nvotes++;
        if (v->vote > 0) {
            c->agrees++;
            p->nagree++;
        } else if (v->vote < 0) {
            c->disagrees++;
            p->ndisagree++;
        } else {
            c->passes++;
        }
    }
}

static int cmp_xpart_attrs(const void *a, const void *b)
{
    const struct xpart *x = *(const struct xpart *const *)a, *y = *(const struct xpart *const *)b;
    int d = strcmp(x->audience, y->audience);
    if (!d)
        d = strcmp(x->profession, y->profession);
    return d ? d : strcmp(x->region, y->region);
}

/* Blanks the audience, profession and region of every participant whose whole combination of
 * the three is shared by too few participants to publish (the disclosure rule's count): each
 * attribute may be common while the combination singles someone out ("the one dietitian in
 * London"), and a participant's row links them to all they wrote and voted. All three go,
 * not just the rarest, so every combination an export shows belongs to more participants
 * than the threshold. Only participants with something in the export (a shown contribution
 * or a vote on one) count: eight London physiotherapists of whom one wrote or voted anything
 * would otherwise hand that one's words to whoever knows a London physiotherapist took part.
 * Participants with nothing in the export say nothing by their attributes either, so theirs
 * are blank. Runs after count_votes(). */
static int suppress_rare_attrs(struct xdata *x)
{
    struct xpart **by = arena_calloc(x->a, x->nparts + 1, sizeof *by);
    if (!by)
        return APP_E_NOMEM;
    for (size_t i = 0; i < x->nparts; i++) {
        struct xpart *p = &x->parts[i];
        if (!p->ncomments && !p->nvotes)
            p->audience = p->profession = p->region = "";
        by[i] = p;
    }
    sort_n(by, x->nparts, sizeof *by, cmp_xpart_attrs);
    for (size_t i = 0, j; i < x->nparts; i = j) {
        for (j = i + 1; j < x->nparts && !cmp_xpart_attrs(&by[i], &by[j]); j++)
            ;
        if (disclosure_count((uint64_t)(j - i), NULL).shown)
            continue;
        for (size_t k = i; k < j; k++)
            by[k]->audience = by[k]->profession = by[k]->region = "";
    }
    return APP_OK;
}

/* Loads everything an export needs into x (x->a must be set). */
static int xload(struct db *db, int64_t id, struct xdata *x)
{
    int rc;
    if ((rc = load_exercise(db, id, x)) || (rc = load_prompts(db, id, x)) ||
        (rc = load_parts(db, id, x)) || (rc = load_comments(db, id, x)) || (rc = assign_cids(x)) ||
        (rc = load_votes(db, id, x)))
        return rc;
    count_votes(x);
    return suppress_rare_attrs(x);
}

typedef int (*export_fn)(struct xdata *x, struct buf *out);

/* Loads the exercise, runs fn on it, and turns an out-of-memory buffer into an error. */
static int run_export(struct db *db, int64_t id, struct buf *out, export_fn fn)
{
    struct xdata x = {0};
    int rc;
    if (!(x.a = arena_new()))
        return APP_E_NOMEM;
    rc = xload(db, id, &x);
    if (!rc)
        rc = fn(&x, out);
    if (!rc && buf_oom(out))
        rc = APP_E_NOMEM;
    arena_free(x.a);
    return rc;
}

/* Pol.is's datetime column, Java's Date.toString() style, always in UTC. */
static void datetime(int64_t secs, char out[64])
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 64, "%s %s %02d %02d:%02d:%02d UTC %d", days[tm.tm_wday % 7],
             months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             tm.tm_year + 1900);
}

static int write_summary(struct xdata *x, struct buf *out)
{
    struct csv_writer w;
    int64_t voters = 0, commenters = 0;
    for (size_t i = 0; i < x->nparts; i++) {
        voters += x->parts[i].nvotes > 0;
        commenters += x->parts[i].ncomments > 0;
    }
    csv_writer_init(&w, out);
#define KV(key, put)                                                                               \
    do {                                                                                           \
        csv_write_cstr(&w, key);                                                                   \
        put;                                                                                       \
        csv_end_row(&w);                                                                           \
    } while (0)
    KV("topic", csv_write_text(&w, x->title));
    KV("url", csv_write_cstr(&w, ""));
    KV("views", csv_write_int(&w, (int64_t)x->nparts));
    KV("voters", csv_write_int(&w, voters));
    KV("voters-in-conv", csv_write_int(&w, voters));
    KV("commenters", csv_write_int(&w, commenters));
    KV("comments", csv_write_int(&w, (int64_t)x->ncomments));
    KV("groups", csv_write_cstr(&w, ""));
    KV("conversation-description", csv_write_text(&w, x->summary_md));
#undef KV
    return APP_OK;
}

/* Writes the comma-separated names as header fields (none of them needs quoting). */
static void write_header(struct csv_writer *w, const char *names)
{
    for (const char *p = names, *comma; *p; p = comma ? comma + 1 : p + strlen(p)) {
        comma = strchr(p, ',');
        csv_write_field(w, p, comma ? (size_t)(comma - p) : strlen(p));
    }
}

static int write_comments(struct xdata *x, struct buf *out)
{
    struct csv_writer w;
    char when[64];
    csv_writer_init(&w, out);
    write_header(&w, "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,"
                     "comment-body");
    csv_end_row(&w);
    for (size_t i = 0; i < x->ncomments; i++) {
        const struct xcomment *c = &x->comments[i];
        datetime(c->created_at, when);
        csv_write_int(&w, c->created_at * 1000);
        csv_write_cstr(&w, when);
        csv_write_int(&w, c->cid);
        csv_write_int(&w, (int64_t)c->part);
        csv_write_int(&w, c->agrees);
        csv_write_int(&w, c->disagrees);
        csv_write_int(&w, 1); /* Pol.is's "accepted": only shown contributions are loaded */
        csv_write_text(&w, c->body);
        csv_end_row(&w);
    }
    return APP_OK;
}

/* Orders votes by day, then comment-id, then voter (comments are in cid order, parts in
 * number order, so indexes compare like the exported ids). Times are days by now, so rows
 * of one day come in no order that tells when in the day each vote was cast. */
static int cmp_xvote_time(const void *a, const void *b)
{
    const struct xvote *x = a, *y = b;
    if (x->updated_at != y->updated_at)
        return (x->updated_at > y->updated_at) - (x->updated_at < y->updated_at);
    if (x->comment != y->comment)
        return (x->comment > y->comment) - (x->comment < y->comment);
    return (x->part > y->part) - (x->part < y->part);
}

static int cmp_xvote_part(const void *a, const void *b)
{
    const struct xvote *x = a, *y = b;
    if (x->part != y->part)
        return (x->part > y->part) - (x->part < y->part);
    return (x->comment > y->comment) - (x->comment < y->comment);
}

static int write_votes(struct xdata *x, struct buf *out)
{
    struct csv_writer w;
    char when[64];
    sort_n(x->votes, x->nvotes, sizeof *x->votes, cmp_xvote_time);
    csv_writer_init(&w, out);
    write_header(&w, "timestamp,datetime,comment-id,voter-id,vote");
    csv_end_row(&w);
    for (size_t i = 0; i < x->nvotes; i++) {
        const struct xvote *v = &x->votes[i];
        datetime(v->updated_at, when);
        csv_write_int(&w, v->updated_at * 1000);
        csv_write_cstr(&w, when);
        csv_write_int(&w, x->comments[v->comment].cid);
        csv_write_int(&w, (int64_t)v->part);
        csv_write_int(&w, v->vote);
        csv_end_row(&w);
    }
    return APP_OK;
}

static int write_pv(struct xdata *x, struct buf *out)
{
    struct csv_writer w;
    size_t k = 0;
    sort_n(x->votes, x->nvotes, sizeof *x->votes, cmp_xvote_part);
    csv_writer_init(&w, out);
    write_header(&w, "participant,group-id,n-comments,n-votes,n-agree,n-disagree");
    for (size_t j = 0; j < x->ncomments; j++)
        csv_write_int(&w, x->comments[j].cid);
    csv_end_row(&w);
    for (size_t i = 0; i < x->nparts; i++) {
        const struct xpart *p = &x->parts[i];
        csv_write_int(&w, (int64_t)i);
        csv_write_cstr(&w, "");
        csv_write_int(&w, p->ncomments);
        csv_write_int(&w, p->nvotes);
        csv_write_int(&w, p->nagree);
        csv_write_int(&w, p->ndisagree);
        for (size_t j = 0; j < x->ncomments; j++) {
            if (k < x->nvotes && x->votes[k].part == i && x->votes[k].comment == j)
                csv_write_int(&w, x->votes[k++].vote);
            else
                csv_write_cstr(&w, "");
        }
        csv_end_row(&w);
    }
    return APP_OK;
}

int listen_export_summary(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export(db, exercise_id, out, write_summary);
}

int listen_export_comments(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export(db, exercise_id, out, write_comments);
}

int listen_export_votes(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export(db, exercise_id, out, write_votes);
}

int listen_export_participants_votes(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export(db, exercise_id, out, write_pv);
}

/* The paragraph of summary_md that holds the Pol.is attribution, or an empty slice. */
static struct str attribution(const char *md)
{
    const char *hit = strstr(md, LISTEN_POLIS_ATTRIBUTION), *start = md, *end;
    if (!hit)
        return (struct str){"", 0};
    for (const char *p = md; (p = strstr(p, "\n\n")) && p < hit; p += 2)
        start = p + 2;
    end = strstr(hit, "\n\n");
    if (!end)
        end = md + strlen(md);
    return (struct str){start, (size_t)(end - start)};
}

/* Appends v to arr, taking the reference; false when v is NULL (out of memory). */
static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

static int write_json(struct xdata *x, struct buf *out)
{
    json_t *root = NULL, *prompts = json_array(), *parts = json_array(), *contribs = json_array(),
           *votes = json_array();
    bool from_polis = false;
    int rc = APP_E_NOMEM;
    if (!prompts || !parts || !contribs || !votes)
        goto done;
    sort_n(x->votes, x->nvotes, sizeof *x->votes, cmp_xvote_time);
    for (size_t i = 0; i < x->nprompts; i++)
        if (!push(prompts, json_pack("{sIss}", "position", (json_int_t)x->prompts[i].position,
                                     "text", x->prompts[i].text)))
            goto done;
    for (size_t i = 0; i < x->nparts; i++) {
        const struct xpart *p = &x->parts[i];
        if (!push(parts, json_pack("{sIssssssss}", "id", (json_int_t)i, "pseudonym", p->pseudonym,
                                   "audience", p->audience, "profession", p->profession, "region",
                                   p->region)))
            goto done;
    }
    for (size_t i = 0; i < x->ncomments; i++) {
        const struct xcomment *c = &x->comments[i];
        json_t *prompt = json_null(), *parent = json_null();
        for (size_t j = 0; j < x->nprompts; j++)
            if (x->prompts[j].id == c->prompt_id)
                prompt = json_integer((json_int_t)x->prompts[j].position);
        if (c->parent_id >= 0)
            parent = json_integer((json_int_t)c->parent_id);
        if (*c->source_id)
            from_polis = true;
        if (!push(contribs,
                  json_pack("{sIsosososssssssbsssIsIsIsIsIsI}", "id", (json_int_t)c->cid, "prompt",
                            prompt, "parent", parent, "participant",
                            json_integer((json_int_t)c->part), "body", c->body, "redactions",
                            c->redactions, "status", c->status, "hidden", (int)c->hidden,
                            "source_id", c->source_id, "created_at", (json_int_t)c->created_at,
                            "updated_at", (json_int_t)c->updated_at, "votes", (json_int_t)c->votes,
                            "agrees", (json_int_t)c->agrees, "disagrees", (json_int_t)c->disagrees,
                            "passes", (json_int_t)c->passes)))
            goto done;
    }
    for (size_t i = 0; i < x->nvotes; i++) {
        const struct xvote *v = &x->votes[i];
        if (!push(votes,
                  json_pack("{sIsIsisIsI}", "contribution", (json_int_t)x->comments[v->comment].cid,
                            "participant", (json_int_t)v->part, "vote", v->vote, "created_at",
                            (json_int_t)v->created_at, "updated_at", (json_int_t)v->updated_at)))
            goto done;
    }
    root = json_pack("{sss{sssssssssssssIsIsI}sOsOsOsO}", "format", "ahphub-listen/1", "exercise",
                     "slug", x->slug, "title", x->title, "summary_md", x->summary_md, "audiences",
                     x->audiences, "status", x->status, "moderation", x->moderation, "opens_at",
                     (json_int_t)x->opens_at, "closes_at", (json_int_t)x->closes_at, "created_at",
                     (json_int_t)x->created_at, "prompts", prompts, "participants", parts,
                     "contributions", contribs, "votes", votes);
    if (!root)
        goto done;
    if (from_polis) {
        struct str at = attribution(x->summary_md);
        if (at.len && json_object_set_new(root, "attribution", json_stringn(at.p, at.len)))
            goto done;
    }
    if (json_dump_callback(root, buf_append_cb, out, JSON_COMPACT))
        goto done;
    buf_putc(out, '\n');
    rc = APP_OK;
done:
    json_decref(root);
    json_decref(prompts);
    json_decref(parts);
    json_decref(contribs);
    json_decref(votes);
    return rc;
}

int listen_export_json(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export(db, exercise_id, out, write_json);
}
