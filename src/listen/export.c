/* export.c: an exercise out again as Pol.is open data (summary, comments, votes,
 * participants-votes) and as one JSON document
 *
 * Exports load the exercise (participants, shown contributions and the votes on them) into
 * memory, number participants and comments the way transfer.h describes, and write one file.
 * Vote counts in exports are counted from the votes themselves rather than read from the
 * denormalised columns, so a file is always consistent with itself.
 */
#include "listen/transfer.h"
#include "listen/analysis.h"
#include "account/account.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "export/csv.h"
#include "listen/transfer_store.h"
#include "store/db.h"
#include "text/disclosure.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY_SECS INT64_C(86400)

/* qsort, which must not be given a NULL array even when there is nothing to sort. */
static void sort_n(void *p, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(p, n, size, cmp);
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

/* ---- exports ---------------------------------------------------------------------------- */

struct xpart {
    int64_t id;
    const char *pseudonym, *audience, *profession, *region;
    int64_t ncomments, nvotes, nagree, ndisagree;
    int group; /* group-id from the latest analysis (load_groups), -1 for blank */
};

struct xcomment {
    int64_t id, prompt_id, parent_id, created_at, updated_at;
    int64_t cid; /* the comment-id exports use */
    size_t part; /* NO_AUTHOR for a contribution not shown (transfer.h: its author is blank) */
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
    struct db *db; /* for the writers that read the latest analysis */
    int64_t id;    /* the exercise */
    bool full;     /* the facilitators' copy: also what is not shown but was voted on, untexted */
    const char *slug, *title, *summary_md, *audiences, *status, *moderation;
    const char *language; /* BCP 47 tag */
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

#define NO_AUTHOR ((size_t)-1)

/* Whether a comment is shown (the others are in the facilitators' copy only, without text
 * and without author) */
static bool comment_shown(const struct xcomment *c)
{
    return !strcmp(c->status, "approved") && !c->hidden;
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
    x->language = col_dup(x->a, st, 9);
    if (!x->slug || !x->title || !x->summary_md || !x->audiences || !x->status || !x->moderation ||
        !x->language)
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
    int rc = db_prepare_bind(db, x->full ? SQL_LT_PARTICIPANTS_ALL : SQL_LT_PARTICIPANTS, &st,
                             "i", id);
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
        p->group = -1;
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
    int rc = db_prepare_bind(db, x->full ? SQL_LT_CONTRIBUTIONS_ALL : SQL_LT_CONTRIBUTIONS, &st,
                             "i", id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct xcomment *c;
        long part = find_part(x, db_col_int(st, 3));
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
        if (!comment_shown(c)) {
            c->part = NO_AUTHOR;
        } else if (part < 0) { /* cannot happen: a shown comment's author is listed */
            rc = APP_E_INTERNAL;
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
    rc = db_prepare_bind(db, x->full ? SQL_LT_VOTES_ALL : SQL_LT_VOTES, &st, "i", id);
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
        if (x->comments[i].part != NO_AUTHOR)
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
static int run_export_as(struct db *db, int64_t id, bool full, struct buf *out, export_fn fn)
{
    struct xdata x = {.full = full, .db = db, .id = id};
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

static int run_export(struct db *db, int64_t id, struct buf *out, export_fn fn)
{
    return run_export_as(db, id, false, out, fn);
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
    int64_t voters = 0, commenters = 0, groups = 0;
    for (size_t i = 0; i < x->nparts; i++) {
        voters += x->parts[i].nvotes > 0;
        commenters += x->parts[i].ncomments > 0;
    }
    /* groups: in the facilitators' copy, as many as the latest analysis found (with its
     * group-id column); blank, as in Pol.is's files without groups, otherwise */
    if (x->full) {
        struct listen_analysis_latest lat;
        int rc = listen_analysis_latest(x->db, x->a, x->id, &lat);
        if (rc)
            return rc;
        if (lat.result && lat.result->opinion && lat.result->opinion->has_groups)
            groups = (int64_t)lat.result->opinion->ngroups;
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
    KV("groups", groups ? csv_write_int(&w, groups) : csv_write_cstr(&w, ""));
    KV("conversation-description", csv_write_text(&w, x->summary_md));
    KV("language", csv_write_cstr(&w, x->language)); /* ours only; the import reads it back */
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
        if (c->part == NO_AUTHOR)
            csv_write_cstr(&w, "");
        else
            csv_write_int(&w, (int64_t)c->part);
        csv_write_int(&w, c->agrees);
        csv_write_int(&w, c->disagrees);
        /* Pol.is's 1 accepted, 0 not yet moderated, -1 moderated out; only the facilitators'
         * copy has anything but shown contributions */
        csv_write_int(&w, comment_shown(c)                              ? 1
                          : !strcmp(c->status, "pending") && !c->hidden ? 0
                                                                        : -1);
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
        if (p->group >= 0)
            csv_write_int(&w, p->group);
        else
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

/* Gives each participant the group-id the latest analysis placed them in (see transfer.h):
 * blank for those it did not place, and for every member of a group of no more people than
 * the disclosure threshold, as the opinion map leaves them out. */
static int load_groups(struct db *db, int64_t id, struct xdata *x)
{
    struct listen_analysis_latest lat;
    struct listen_group_member *g = NULL;
    size_t n = 0, size[256] = {0}; /* members per group_no; runs make at most 5 groups */
    int rc = listen_analysis_latest(db, x->a, id, &lat);
    if (rc || !lat.run)
        return rc;
    if ((rc = listen_analysis_groups_read(db, x->a, lat.run, &g, &n)))
        return rc;
    for (size_t i = 0; i < n; i++)
        if (g[i].group_no >= 0 && g[i].group_no < 256)
            size[g[i].group_no]++;
    for (size_t i = 0; i < n; i++) {
        long p = find_part(x, g[i].participant_id);
        if (p >= 0 && g[i].group_no >= 0 && g[i].group_no < 256 &&
            disclosure_count((uint64_t)size[g[i].group_no], NULL).shown)
            x->parts[p].group = g[i].group_no;
    }
    return APP_OK;
}

/* The latest analysis's themes of the exported comments: one row per (comment, theme) pair,
 * by comment-id, then weight, strongest first (see transfer.h). */
struct xtheme_row {
    int64_t cid;
    size_t theme;
    double weight;
    const char *label;
};

static int cmp_xtheme_row(const void *a, const void *b)
{
    const struct xtheme_row *x = a, *y = b;
    if (x->cid != y->cid)
        return (x->cid > y->cid) - (x->cid < y->cid);
    if (x->weight != y->weight)
        return (x->weight < y->weight) - (x->weight > y->weight);
    return (x->theme > y->theme) - (x->theme < y->theme);
}

static int write_themes(struct db *db, int64_t id, struct xdata *x, struct buf *out)
{
    struct listen_analysis_latest lat;
    struct id_index *map = arena_calloc(x->a, x->ncomments + 1, sizeof *map);
    struct xtheme_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    struct csv_writer w;
    int rc;
    if (!map)
        return APP_E_NOMEM;
    for (size_t i = 0; i < x->ncomments; i++)
        map[i] = (struct id_index){x->comments[i].id, i};
    sort_n(map, x->ncomments, sizeof *map, cmp_id_index);
    if ((rc = listen_analysis_latest(db, x->a, id, &lat)) ||
        (lat.result && (rc = listen_analysis_forget_unshown(db, x->a, id, lat.result))))
        return rc; /* the labels without the words taken back since the run (unshown.c) */
    for (size_t t = 0; lat.result && t < lat.result->nthemes; t++) {
        const struct listen_theme *th = &lat.result->themes[t];
        for (size_t m = 0; m < th->nmembers; m++) {
            long ci = find_id(map, x->ncomments, th->members[m].id);
            /* no longer shown: not in the export, or (the facilitators' copy) a row without
             * its text, which no theme names */
            if (ci < 0 || !comment_shown(&x->comments[ci]))
                continue;
            if (!(rows = arena_grow(x->a, rows, nrows + 1, &cap, sizeof *rows)))
                return APP_E_NOMEM;
            rows[nrows++] =
                (struct xtheme_row){x->comments[ci].cid, t, th->members[m].weight, th->label};
        }
    }
    sort_n(rows, nrows, sizeof *rows, cmp_xtheme_row);
    csv_writer_init(&w, out);
    write_header(&w, "comment-id,theme-id,weight,theme");
    csv_end_row(&w);
    for (size_t i = 0; i < nrows; i++) {
        char num[32] = "";
        csv_write_int(&w, rows[i].cid);
        csv_write_int(&w, (int64_t)rows[i].theme);
        if (rows[i].weight >= 0)
            snprintf(num, sizeof num, "%.6g", rows[i].weight);
        csv_write_cstr(&w, num);
        csv_write_text(&w, rows[i].label);
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

int listen_export_summary_full(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export_as(db, exercise_id, true, out, write_summary);
}

int listen_export_comments_full(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export_as(db, exercise_id, true, out, write_comments);
}

int listen_export_votes_full(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export_as(db, exercise_id, true, out, write_votes);
}

/* participants-votes.csv with group-id from the latest analysis. */
static int write_pv_grouped(struct xdata *x, struct buf *out)
{
    int rc = load_groups(x->db, x->id, x);
    return rc ? rc : write_pv(x, out);
}

/* themes.csv, with the comment-ids of the facilitators' other files. */
static int write_themes_x(struct xdata *x, struct buf *out)
{
    return write_themes(x->db, x->id, x, out);
}

int listen_export_participants_votes_grouped(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export_as(db, exercise_id, true, out, write_pv_grouped);
}

int listen_export_themes(struct db *db, int64_t exercise_id, struct buf *out)
{
    return run_export_as(db, exercise_id, true, out, write_themes_x);
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
                            c->part == NO_AUTHOR ? json_null() : json_integer((json_int_t)c->part),
                            "body", c->body, "redactions",
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
    root = json_pack("{sss{sssssssssssssssIsIsI}sOsOsOsO}", "format", "ahphub-listen/1", "exercise",
                     "slug", x->slug, "title", x->title, "summary_md", x->summary_md, "language",
                     x->language, "audiences", x->audiences, "status", x->status, "moderation",
                     x->moderation, "opens_at", (json_int_t)x->opens_at, "closes_at",
                     (json_int_t)x->closes_at, "created_at", (json_int_t)x->created_at, "prompts",
                     prompts, "participants", parts, "contributions", contribs, "votes", votes);
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
