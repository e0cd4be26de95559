/* polis_import.c: a Pol.is open-data export (summary, comments, votes or
 * participants-votes) read into an import plan and written as a new exercise */
#include "listen/import.h"
#include "account/account.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "text/language.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

/* ---- Pol.is ----------------------------------------------------------------------------- */

/* The author-id of a comment whose author-id is blank: our facilitators' copy leaves it blank
 * for a comment that is not shown (transfer.h), so what was taken back leads to nobody. One
 * participant, who votes nothing and writes nothing shown, holds all such comments; exports
 * leave such a participant out, so a round trip gives the same files. Pol.is ids are >= 0. */
#define NO_AUTHOR_PID (-1)

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
    struct str topic, description, url, language;
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
    while ((rc = import_next_record(&r, &rec, &got, "summary.csv", pol->rep)) == APP_OK && got) {
        struct str key = str_trim(csv_get(&rec, 0)), val = csv_get(&rec, 1), *dst = NULL;
        char *copy;
        if (str_eq_cstr(key, "topic"))
            dst = &pol->topic;
        else if (str_eq_cstr(key, "conversation-description"))
            dst = &pol->description;
        else if (str_eq_cstr(key, "url"))
            dst = &pol->url;
        else if (str_eq_cstr(key, "language")) /* ours write it; Pol.is's do not */
            dst = &pol->language;
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
    if ((rc = import_next_record(&r, &rec, &got, file, pol->rep)))
        goto done;
    if (!got) {
        import_report_add(pol->rep, "%s: the file is empty", file);
        goto done;
    }
    if (!import_find_columns(&rec, names, col, file, pol->rep))
        goto done;
    width = rec.nfields;
    while ((rc = import_next_record(&r, &rec, &got, file, pol->rep)) == APP_OK && got) {
        struct pcomment c = {0};
        struct str body;
        bool no_author;
        bool ok = import_check_width(&rec, width, file, pol->rep);
        if (!ok)
            continue;
        c.line = rec.line;
        if (!import_parse_ms(csv_get(&rec, col[0]), &c.ts)) {
            import_report_add(pol->rep, "%s line %zu: timestamp is not a time in milliseconds",
                              file, c.line);
            ok = false;
        }
        if (!import_parse_count(csv_get(&rec, col[1]), &c.cid)) {
            import_report_add(pol->rep, "%s line %zu: comment-id is not a number", file, c.line);
            ok = false;
        }
        /* blank in our facilitators' copy for a comment that is not shown (transfer.h) */
        no_author = csv_get(&rec, col[2]).len == 0;
        if (!no_author && !import_parse_count(csv_get(&rec, col[2]), &c.author)) {
            import_report_add(pol->rep, "%s line %zu: author-id is not a number", file, c.line);
            ok = false;
        }
        if (!import_parse_vote(csv_get(&rec, col[3]), &c.moderated)) {
            import_report_add(pol->rep, "%s line %zu: moderated is not -1, 0 or 1", file, c.line);
            ok = false;
            c.moderated = 0; /* so an empty body is reported as well */
        }
        body = csv_text_value(csv_get(&rec, col[4])); /* our exports quote formulae */
        {
            size_t k = 0;
            while (k < body.len && strchr(" \t\r\n", body.p[k]))
                k++;
            /* Pol.is exports keep moderated-out comments whose text was removed (an empty
             * body, moderated -1; football-concussions' comment 151), and the facilitators'
             * copy of ours has such comments waiting for moderation too (moderated 0,
             * transfer.h). Such a comment is kept, rejected or waiting, so the votes on it
             * stay with it; one that is shown needs its text. */
            if (k == body.len && c.moderated == 1) {
                import_report_add(pol->rep, "%s line %zu: comment-body is empty", file, c.line);
                ok = false;
            }
        }
        if (no_author && c.moderated == 1) {
            import_report_add(pol->rep, "%s line %zu: author-id is empty", file, c.line);
            ok = false;
        }
        if (no_author)
            c.author = NO_AUTHOR_PID; /* one participant holds them all, and votes nothing */
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
    if (pol->nc == 0 && !import_report_failed(pol->rep))
        import_report_add(pol->rep, "%s: there are no comments", file);
    import_sort(pol->c, pol->nc, sizeof *pol->c, cmp_comment);
    for (size_t i = 1; i < pol->nc; i++)
        if (pol->c[i].cid == pol->c[i - 1].cid)
            import_report_add(pol->rep,
                              "%s line %zu: comment-id %" PRId64 " was already used on line %zu",
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
    if ((rc = import_next_record(&r, &rec, &got, file, pol->rep)))
        goto done;
    if (!got) {
        import_report_add(pol->rep, "%s: the file is empty", file);
        goto done;
    }
    if (!import_find_columns(&rec, names, col, file, pol->rep))
        goto done;
    width = rec.nfields;
    while ((rc = import_next_record(&r, &rec, &got, file, pol->rep)) == APP_OK && got) {
        int64_t ts = 0, cid = 0, voter = 0;
        long ci = -1;
        int vote = 0;
        bool ok = import_check_width(&rec, width, file, pol->rep);
        if (!ok)
            continue;
        if (!import_parse_ms(csv_get(&rec, col[0]), &ts)) {
            import_report_add(pol->rep, "%s line %zu: timestamp is not a time in milliseconds",
                              file, rec.line);
            ok = false;
        }
        if (!import_parse_count(csv_get(&rec, col[1]), &cid)) {
            import_report_add(pol->rep, "%s line %zu: comment-id is not a number", file, rec.line);
            ok = false;
        } else if ((ci = find_comment(pol, cid)) < 0) {
            import_report_add(pol->rep,
                              "%s line %zu: comment-id %" PRId64 " is not in comments.csv", file,
                              rec.line, cid);
            ok = false;
        }
        if (!import_parse_count(csv_get(&rec, col[2]), &voter)) {
            import_report_add(pol->rep, "%s line %zu: voter-id is not a number", file, rec.line);
            ok = false;
        }
        if (!import_parse_vote(csv_get(&rec, col[3]), &vote)) {
            import_report_add(pol->rep, "%s line %zu: vote is not -1, 0 or 1", file, rec.line);
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
    if ((rc = import_next_record(&r, &rec, &got, file, pol->rep)))
        goto done;
    if (!got) {
        import_report_add(pol->rep, "%s: the file is empty", file);
        goto done;
    }
    {
        static const char *const names[] = {"participant", NULL};
        if (!import_find_columns(&rec, names, &pcol, file, pol->rep))
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
        if (!h.len || !import_parse_count(h, &cid))
            continue;
        if ((colc[i] = find_comment(pol, cid)) < 0)
            import_report_add(pol->rep,
                              "%s line %zu: column %" PRId64 " is not a comment-id in comments.csv",
                              file, rec.line, cid);
    }
    while ((rc = import_next_record(&r, &rec, &got, file, pol->rep)) == APP_OK && got) {
        int64_t pid;
        if (!import_check_width(&rec, width, file, pol->rep))
            continue;
        if (!import_parse_count(csv_get(&rec, pcol), &pid)) {
            import_report_add(pol->rep, "%s line %zu: participant is not a number", file, rec.line);
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
            if (!import_parse_vote(cell, &vote)) {
                import_report_add(pol->rep,
                                  "%s line %zu: the vote on comment %" PRId64
                                  " is not blank, -1, 0 or 1",
                                  file, rec.line, pol->c[colc[i]].cid);
                continue;
            }
            if (with_votes && (rc = add_vote(pol, pid, (size_t)colc[i], pol->c[colc[i]].ts, vote)))
                goto done;
        }
    }
    if (rc == APP_OK && pol->nrows > 1) {
        import_sort(pol->rows, pol->nrows, sizeof *pol->rows, cmp_pv_row);
        for (size_t i = 1; i < pol->nrows; i++)
            if (pol->rows[i].pid == pol->rows[i - 1].pid)
                import_report_add(pol->rep,
                                  "%s line %zu: participant %" PRId64 " was already on line %zu",
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
    import_sort(pol->v, pol->nv, sizeof *pol->v, cmp_vote);
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
    import_sort(pol->pids, pol->np, sizeof *pol->pids, import_cmp_i64);
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
        pl->nplaceholders += pol->pids[i] == NO_AUTHOR_PID;
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
        pv->part = (size_t)import_find_i64(pol->pids, pol->np, v->voter);
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
        pc->part = (size_t)import_find_i64(pol->pids, pol->np, c->author);
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
    /* summary.csv's language when it names one ahphub knows; else import_plan_write guesses */
    if (pol->language.len && pol->language.len < LANGUAGE_TAG_MAX) {
        char tag[LANGUAGE_TAG_MAX];
        if (language_canonical(pol->language.p, tag) &&
            !(pl->language = arena_strdup(pol->a, tag)))
            return APP_E_NOMEM;
    }
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
        import_report_add(rep, "comments.csv is required");
    if (!have_votes && !have_pv)
        import_report_add(rep, "votes.csv or participants-votes.csv is required");
    if (import_report_failed(rep))
        goto done;
    if (f->summary.p && f->summary.len && (rc = read_summary(&pol, f->summary)))
        goto done;
    if ((rc = read_comments(&pol, f->comments)))
        goto done;
    if (have_votes && (rc = read_votes(&pol, f->votes)))
        goto done;
    if (have_pv && (rc = read_pv(&pol, f->participants_votes, !have_votes)))
        goto done;
    if (import_report_failed(rep))
        goto done;
    if ((rc = polis_plan(&pol, title, &pl)))
        goto done;
    rc = import_plan_write(db, &pl, created_by, exercise_id, rep);
done:
    if (rc == APP_OK && import_report_failed(rep))
        rc = APP_E_INVALID;
    if (rc != APP_OK) {
        rep->comments = rep->participants = rep->votes = rep->skipped = 0;
        if (rc == APP_E_NOMEM && !import_report_failed(rep))
            import_report_add(rep, "out of memory; nothing was imported");
    }
    arena_free(pol.a);
    return rc;
}
