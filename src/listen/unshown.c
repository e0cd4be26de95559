/* unshown.c: what is no longer shown leaves every result that quotes it
 *
 * A stored run quotes contributions as they were when it ran: a theme's representatives and
 * its quotes by audience, each group's representative statements, and the statements every
 * group agrees on. A contribution rejected, withdrawn or hidden after the run (or still
 * waiting, which a run counts but never names) must not be quoted by any page or file made
 * from that run, published or not: a participant who withdraws after "What we heard" was
 * published is taken at their word, and a text rejected because it names someone stops
 * being shown everywhere at once.
 *
 * A contribution redacted by hand after the run is quoted in its new words only: the run
 * holds the old ones.
 *
 * So every reading of a run for display goes through listen_analysis_forget_unshown (called
 * by listen_curation_apply, which every page and file of a run applies). It reads the
 * exercise's contributions that are not shown and those redacted by hand (few: moderation
 * rejects and redacts a small share), and drops every quote whose text is the text of one
 * not shown, or the words a redacted one had before. A representative carries its
 * contribution's id, so it is checked against that contribution's text now: kept only when
 * it is shown and reads the same (this also catches a second redaction, and one made before
 * publishing deleted the words it replaced). Quotes and statements were stored without ids:
 * they are matched by text, and one that reads as a dropped representative goes too. A
 * quote whose words are also those of a shown contribution is dropped as well, which loses a
 * quote but never shows a text that was taken back.
 *
 * Labels and terms are made of words, not quotes, but a word can be as telling: a name in the
 * three contributions rejected for naming someone can be the word that labels their theme. So
 * a word of a theme's label or terms that was in a text not shown now (or among the words a
 * redaction replaced) and is in no text shown now reads "[word removed]". Words are compared
 * as the tokeniser folds them, so "Smith," and "smith" are one word; a word still written in a
 * shown contribution stays, since anyone can read it there. The scan of the shown texts runs
 * only when a label holds a word of a text taken back. The same words leave the themes fixed
 * when a report was published and the themes actions are linked to (listen_action_scrub, both
 * alike so an action stays under its theme), and themes.csv's labels; a name a facilitator
 * gave a theme is theirs and stays.
 */
#include "listen/analysis.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"
#include "text/tokenise.h"

#include <stdlib.h>
#include <string.h>

#define WORD_REMOVED "[word removed]"

struct unshown {
    int64_t *ids;       /* not shown */
    const char **texts; /* their texts, and the words redacted ones had before */
    size_t n, ntexts;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool gone_id(const struct unshown *u, int64_t id)
{
    return u->n && bsearch(&id, u->ids, u->n, sizeof *u->ids, cmp_id) != NULL;
}

static bool gone_text(const struct unshown *u, const char *text)
{
    return text && u->ntexts &&
           bsearch(&text, u->texts, u->ntexts, sizeof *u->texts, cmp_text) != NULL;
}

/* Adds a text that must not be quoted; the caller has made room. */
static int add_text(struct arena *a, struct unshown *u, const char *t)
{
    if (!*t)
        return APP_OK;
    return (u->texts[u->ntexts++] = arena_strdup(a, t)) ? APP_OK : APP_E_NOMEM;
}

/* The exercise's contributions that are not shown, and the words of redacted ones, sorted
 * for lookup. */
static int unshown_read(struct db *db, struct arena *a, int64_t exercise_id, struct unshown *u)
{
    struct db_stmt *st = NULL;
    size_t cap = 0, rows = 0;
    int rc;
    memset(u, 0, sizeof *u);
    if ((rc = db_prepare_bind(db, SQL_LA_UNSHOWN, &st, "i", exercise_id)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        bool shown = db_col_int(st, 3) != 0;
        if (rows == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            int64_t *ni = arena_alloc(a, ncap * sizeof *ni);
            const char **nt = arena_alloc(a, 2 * ncap * sizeof *nt);
            if (!ni || !nt) {
                rc = APP_E_NOMEM;
                goto done;
            }
            if (u->n)
                memcpy(ni, u->ids, u->n * sizeof *ni);
            if (u->ntexts)
                memcpy(nt, u->texts, u->ntexts * sizeof *nt);
            u->ids = ni;
            u->texts = nt;
            cap = ncap;
        }
        rows++;
        if (!shown)
            u->ids[u->n++] = db_col_int(st, 0);
        if ((!shown && (rc = add_text(a, u, db_col_text(st, 1)))) ||
            (rc = add_text(a, u, db_col_text(st, 2))))
            goto done;
    }
    if (rc != DB_DONE)
        goto done;
    rc = APP_OK;
    if (u->n)
        qsort(u->ids, u->n, sizeof *u->ids, cmp_id);
    if (u->ntexts)
        qsort(u->texts, u->ntexts, sizeof *u->texts, cmp_text);
done:
    db_finalize(st);
    return rc;
}

/* Whether contribution id is shown now with exactly text (a representative checked by id). */
static int reads_now(struct db *db, int64_t exercise_id, int64_t id, const char *text, bool *same)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LA_BODY_NOW, &st, "ii", id, exercise_id);
    *same = rc == APP_OK && text && !strcmp(db_col_text(st, 0), text);
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

/* The representatives, with their ids beside them when the run stored ids: one with an id
 * is kept only when its contribution is shown and reads the same now; the texts dropped are
 * added to *dropped (room for all of them), so quotes that repeat them go too. */
static int keep_representatives(struct db *db, int64_t exercise_id, const struct unshown *u,
                                struct listen_theme *t, const char **dropped, size_t *ndropped)
{
    size_t kept = 0, kept_ids = 0, nid = t->representative_ids ? t->nrepresentative_ids : 0;
    for (size_t i = 0; i < t->representatives.n; i++) {
        int64_t id = i < nid ? t->representative_ids[i] : 0;
        bool same = true;
        int rc;
        if (i < nid && !gone_id(u, id) &&
            (rc = reads_now(db, exercise_id, id, t->representatives.v[i], &same)))
            return rc;
        if (gone_text(u, t->representatives.v[i]) || (i < nid && (gone_id(u, id) || !same))) {
            dropped[(*ndropped)++] = t->representatives.v[i];
            continue;
        }
        t->representatives.v[kept++] = t->representatives.v[i];
        if (i < nid)
            t->representative_ids[kept_ids++] = id;
    }
    t->representatives.n = kept;
    if (t->representative_ids)
        t->nrepresentative_ids = kept_ids;
    return APP_OK;
}

static bool in_list(const char *const *l, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(l[i], s))
            return true;
    return false;
}

/* Keeps, in order, the strings of l that are neither gone nor dropped representatives. */
static void keep_quotes(const struct unshown *u, const char *const *dropped, size_t ndropped,
                        struct listen_strs *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!gone_text(u, l->v[i]) && !in_list(dropped, ndropped, l->v[i]))
            l->v[kept++] = l->v[i];
    l->n = kept;
}

struct words {
    const char **v;
    size_t n, cap;
};

/* Adds a copy of word (a token's text, which the next tokenise() overwrites). */
static int words_add(struct arena *a, struct words *w, const char *word)
{
    const char **nv = arena_grow(a, w->v, w->n + 1, &w->cap, sizeof *nv);
    if (!nv)
        return APP_E_NOMEM;
    w->v = nv;
    return (w->v[w->n++] = arena_strdup(a, word)) ? APP_OK : APP_E_NOMEM;
}

/* The index of word in the sorted list w, or -1. */
static long word_index(const struct words *w, const char *word)
{
    const char **hit = w->n ? bsearch(&word, w->v, w->n, sizeof *w->v, cmp_text) : NULL;
    return hit ? (long)(hit - w->v) : -1;
}

/* Marks in mark[] the words of text that are in w and, when only is not NULL, only[] too;
 * *fresh counts those it marks for the first time. */
static int mark_words(struct tokens *tk, const char *text, const struct words *w, const bool *only,
                      bool *mark, size_t *fresh)
{
    int rc = tokenise(tk, text, strlen(text));
    for (size_t i = 0; !rc && i < tk->n; i++) {
        long at = word_index(w, tokens_str(tk, i));
        if (at >= 0 && (!only || only[at]) && !mark[at]) {
            mark[at] = true;
            ++*fresh;
        }
    }
    return rc;
}

/* listen_words_taken_back over the texts u holds. */
static int taken_back(struct db *db, struct arena *a, int64_t exercise_id, const struct unshown *u,
                      const char *const *strings, size_t n, struct listen_gone_words *out)
{
    struct tokens tk = {0};
    struct words cand = {0};
    struct db_stmt *st = NULL;
    bool *in_gone = NULL, *shown = NULL;
    size_t left = 0, found = 0, kept = 0;
    int rc = APP_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; !rc && i < n; i++) { /* the words the strings are made of */
        if (!strings[i] || (rc = tokenise(&tk, strings[i], strlen(strings[i]))))
            continue;
        for (size_t t = 0; !rc && t < tk.n; t++)
            rc = words_add(a, &cand, tokens_str(&tk, t));
    }
    if (rc || !cand.n || !u->ntexts)
        goto done;
    qsort(cand.v, cand.n, sizeof *cand.v, cmp_text);
    for (size_t i = 0; i < cand.n; i++) /* once each */
        if (!kept || strcmp(cand.v[kept - 1], cand.v[i]))
            cand.v[kept++] = cand.v[i];
    cand.n = kept;
    in_gone = arena_calloc(a, cand.n, sizeof *in_gone);
    shown = arena_calloc(a, cand.n, sizeof *shown);
    if (!in_gone || !shown) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; !rc && i < u->ntexts; i++)
        rc = mark_words(&tk, u->texts[i], &cand, NULL, in_gone, &left);
    if (rc || !left)
        goto done;
    /* which of them a shown text still holds: those stay. The scan stops once every one is
     * found, which for words that were also written elsewhere is within the first texts. */
    if ((rc = db_prepare_bind(db, SQL_LA_SHOWN_BODIES, &st, "i", exercise_id)))
        goto done;
    while (found < left && (rc = db_step(st)) == DB_ROW)
        if ((rc = mark_words(&tk, db_col_text(st, 0), &cand, in_gone, shown, &found)))
            goto done;
    if (found < left && rc != DB_DONE)
        goto done;
    rc = APP_OK;
    if (found == left)
        goto done;
    if (!(out->v = arena_alloc(a, (left - found) * sizeof *out->v))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < cand.n; i++) /* sorted, as cand is */
        if (in_gone[i] && !shown[i])
            out->v[out->n++] = cand.v[i];
done:
    db_finalize(st);
    tokens_free(&tk);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

int listen_words_taken_back(struct db *db, struct arena *a, int64_t exercise_id,
                            const char *const *strings, size_t n, struct listen_gone_words *out)
{
    struct unshown u;
    int rc = unshown_read(db, a, exercise_id, &u);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    return taken_back(db, a, exercise_id, &u, strings, n, out);
}

const char *listen_words_scrub(struct arena *a, const struct listen_gone_words *g, const char *s)
{
    struct tokens tk = {0};
    char *out;
    size_t len, olen = 0;
    bool changed = false;
    if (!s || !g->n)
        return s;
    len = strlen(s);
    /* each word (at least a byte) becomes at most the marker and a comma */
    if (!(out = arena_alloc(a, len * (sizeof WORD_REMOVED + 1) + 1)))
        return NULL;
    for (size_t i = 0, j; i < len; i = j) {
        bool gone = false;
        if (s[i] == ' ') {
            out[olen++] = ' ';
            j = i + 1;
            continue;
        }
        if (!strncmp(s + i, WORD_REMOVED, sizeof WORD_REMOVED - 1)) { /* scrubbed before */
            j = i + sizeof WORD_REMOVED - 1;
            memcpy(out + olen, s + i, j - i);
            olen += j - i;
            continue;
        }
        for (j = i; j < len && s[j] != ' ';)
            j++;
        if (tokenise(&tk, s + i, j - i)) {
            tokens_free(&tk);
            return NULL;
        }
        for (size_t t = 0; !gone && t < tk.n; t++) {
            const char *w = tokens_str(&tk, t);
            gone = bsearch(&w, g->v, g->n, sizeof *g->v, cmp_text) != NULL;
        }
        if (gone) {
            memcpy(out + olen, WORD_REMOVED, sizeof WORD_REMOVED - 1);
            olen += sizeof WORD_REMOVED - 1;
            if (s[j - 1] == ',')
                out[olen++] = ',';
            changed = true;
        } else {
            memcpy(out + olen, s + i, j - i);
            olen += j - i;
        }
    }
    tokens_free(&tk);
    out[olen] = '\0';
    return changed ? out : s;
}

bool listen_words_scrubbed_from(const char *scrubbed, const char *label)
{
    const size_t mk = sizeof WORD_REMOVED - 1;
    const char *s = scrubbed, *l = label;
    if (!s || !l)
        return false;
    while (*s) {
        if (!strncmp(s, WORD_REMOVED, mk)) {
            /* what the scrub kept after the marker (a comma), up to the next space */
            const char *tail = s + mk, *le = l;
            size_t nt = strcspn(tail, " ");
            if (!strncmp(l, WORD_REMOVED, mk)) /* still removed in label too */
                le = l + mk;
            le += strcspn(le, " ");
            if ((size_t)(le - l) <= nt || memcmp(le - nt, tail, nt))
                return false;
            s = tail + nt;
            l = le;
            continue;
        }
        if (*s++ != *l++)
            return false;
    }
    return *l == '\0';
}

/* Every word taken back reads "[word removed]" in the themes' labels and terms. */
static int forget_words(struct db *db, struct arena *a, int64_t exercise_id,
                        const struct unshown *u, struct listen_analysis *r)
{
    struct listen_gone_words g;
    const char **all;
    size_t nall = 0;
    int rc;
    for (size_t t = 0; t < r->nthemes; t++)
        nall += 3 + r->themes[t].terms.n;
    if (!(all = arena_alloc(a, (nall + 1) * sizeof *all)))
        return APP_E_NOMEM;
    nall = 0;
    for (size_t t = 0; t < r->nthemes; t++) { /* taken_back skips the NULL ones */
        const struct listen_theme *th = &r->themes[t];
        all[nall++] = th->label;
        all[nall++] = th->terms_text;
        all[nall++] = th->split_from; /* the label of the theme it came from, in an earlier run */
        for (size_t i = 0; i < th->terms.n; i++)
            all[nall++] = th->terms.v[i];
    }
    if ((rc = taken_back(db, a, exercise_id, u, all, nall, &g)) || !g.n)
        return rc;
    for (size_t t = 0; t < r->nthemes; t++) {
        struct listen_theme *th = &r->themes[t];
        if ((th->label && !(th->label = listen_words_scrub(a, &g, th->label))) ||
            (th->terms_text && !(th->terms_text = listen_words_scrub(a, &g, th->terms_text))) ||
            (th->split_from && !(th->split_from = listen_words_scrub(a, &g, th->split_from))))
            return APP_E_NOMEM;
        for (size_t i = 0; i < th->terms.n; i++)
            if (!(th->terms.v[i] = listen_words_scrub(a, &g, th->terms.v[i])))
                return APP_E_NOMEM;
    }
    return APP_OK;
}

/* listen_analysis_forget_unshown with the texts not shown already read into u. */
static int forget(struct db *db, struct arena *a, int64_t exercise_id, const struct unshown *u,
                  struct listen_analysis *r)
{
    const char **dropped;
    size_t ndropped = 0, nreps = 0;
    int rc = APP_OK;
    for (size_t t = 0; t < r->nthemes; t++)
        nreps += r->themes[t].representatives.n;
    if (!(dropped = arena_alloc(a, (nreps + 1) * sizeof *dropped)))
        return APP_E_NOMEM;
    for (size_t t = 0; t < r->nthemes && !rc; t++)
        rc = keep_representatives(db, exercise_id, u, &r->themes[t], dropped, &ndropped);
    if (rc)
        return rc;
    if (!u->ntexts && !ndropped)
        return APP_OK;
    for (size_t t = 0; t < r->nthemes; t++) {
        keep_quotes(u, dropped, ndropped, &r->themes[t].quotes_citizens);
        keep_quotes(u, dropped, ndropped, &r->themes[t].quotes_professionals);
    }
    if (r->opinion) {
        for (size_t g = 0; g < r->opinion->ngroups; g++) {
            struct listen_opinion_group *grp = &r->opinion->groups[g];
            size_t kept = 0;
            for (size_t s = 0; s < grp->nstatements; s++)
                if (!gone_text(u, grp->statements[s].text) &&
                    !in_list(dropped, ndropped, grp->statements[s].text))
                    grp->statements[kept++] = grp->statements[s];
            grp->nstatements = kept;
        }
        keep_quotes(u, dropped, ndropped, &r->opinion->consensus);
    }
    return forget_words(db, a, exercise_id, u, r);
}

int listen_analysis_forget_unshown(struct db *db, struct arena *a, int64_t exercise_id,
                                   struct listen_analysis *r)
{
    struct unshown u;
    int rc = unshown_read(db, a, exercise_id, &u);
    return rc ? rc : forget(db, a, exercise_id, &u, r);
}

int listen_analysis_bake_unshown(struct db *db, struct arena *a, int64_t exercise_id)
{
    struct db_stmt *st = NULL;
    struct unshown u;
    int64_t *ids = NULL;
    const char **docs = NULL;
    size_t n = 0, cap_ids = 0, cap_docs = 0;
    int rc = unshown_read(db, a, exercise_id, &u);
    if (rc || (rc = db_prepare_bind(db, SQL_LA_DONE_RESULTS, &st, "i", exercise_id)))
        return rc;
    /* read them all first: each is then written back while no statement reads the table */
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t *ni = arena_grow(a, ids, n + 1, &cap_ids, sizeof *ni);
        const char **nd = ni ? arena_grow(a, docs, n + 1, &cap_docs, sizeof *nd) : NULL;
        if (ni)
            ids = ni;
        if (!nd || !(nd[n] = arena_strdup(a, db_col_text(st, 1)))) {
            rc = APP_E_NOMEM;
            break;
        }
        docs = nd;
        ids[n++] = db_col_int(st, 0);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct listen_analysis r;
        struct buf text = BUF_INIT;
        json_t *doc = NULL;
        rc = listen_analysis_parse(a, docs[i], strlen(docs[i]), &r);
        if (rc == APP_E_INVALID) /* a run without themes, as every page reads it */
            continue;
        if (!rc)
            rc = forget(db, a, exercise_id, &u, &r);
        if (!rc && (listen_analysis_json(&r, &doc) ||
                    json_dump_callback(doc, buf_append_cb, &text, JSON_COMPACT) || buf_oom(&text)))
            rc = APP_E_NOMEM;
        if (!rc)
            rc = db_run(db, SQL_LA_SET_RESULT, "iti", ids[i], text.data, exercise_id);
        json_decref(doc);
        buf_free(&text);
        if (rc)
            return rc;
    }
    return APP_OK;
}
