/* analysis.c: themes of free-text answers (contributions, or any survey column)
 *
 * The analysis itself is src/text/themes.c; this file feeds it (the exercise's language, whose
 * stemmer and embedded stop-word list themes.c takes, and a fixed seed so the same answers
 * always give the same themes) and turns the result into
 * the structs of an analysis result (runs.c adds the rest), or into the JSON the CLI prints. Quotes
 * are redacted here even when the input was, because a survey export may not have been.
 */
#include "listen/analysis.h"
#include "listen/listen.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "store/db.h"
#include "text/redact.h"
#include "text/language.h"
#include "text/themes.h"
#include "text/tokenise.h"

#include <stdlib.h>
#include <string.h>

#define THEMES_SEED 20261121

/* A redacted copy of s in the arena, or NULL when out of memory. */
static const char *redacted(struct arena *a, const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    const char *r = NULL;
    if (redact_text(s, n, &b, NULL) == APP_OK && !buf_oom(&b))
        r = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static int strs_copy(struct arena *a, char *const *v, size_t n, struct listen_strs *out)
{
    out->n = 0;
    if (!(out->v = arena_calloc(a, n + 1, sizeof *out->v)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!(out->v[i] = arena_strdup(a, v[i])))
            return APP_E_NOMEM;
    out->n = n;
    return APP_OK;
}

int listen_themes_fit(struct arena *a, const struct text_span *docs, size_t n, size_t k,
                      const char *language, struct listen_analysis *out,
                      struct themes_result *keep)
{
    struct themes_input in = {0};
    struct themes_result res = {0};
    int rc;
    memset(out, 0, sizeof *out);
    in.docs = docs;
    in.n = n;
    in.k = k;
    in.seed = THEMES_SEED;
    in.language = language ? language : LANGUAGE_DEFAULT; /* its stemmer and stop words */
    rc = themes_fit(&in, &res);
    if (rc)
        return rc;
    out->documents = (int64_t)n;
    out->k = (int64_t)res.k;
    out->terms = (int64_t)res.nterms;
    out->coherence = res.coherence;
    out->reconstruction_error = res.rel_err;
    rc = APP_E_NOMEM;
    if (!(out->themes = arena_calloc(a, res.k + 1, sizeof *out->themes)))
        goto done;
    for (size_t t = 0; t < res.k; t++) {
        const struct theme *th = &res.themes[t];
        struct listen_theme *o = &out->themes[t];
        o->coherence = th->coherence;
        if (!(o->label = arena_strdup(a, th->label)) ||
            strs_copy(a, th->terms, th->nterms, &o->terms) ||
            !(o->representatives.v = arena_calloc(a, th->nrepr + 1, sizeof(char *))))
            goto done;
        for (size_t i = 0; i < th->nrepr; i++)
            if (!(o->representatives.v[i] =
                      redacted(a, docs[th->repr[i]].s, docs[th->repr[i]].len)))
                goto done;
        o->representatives.n = th->nrepr;
    }
    out->nthemes = res.k;
    rc = APP_OK;
done:
    if (rc)
        memset(out, 0, sizeof *out);
    if (keep && !rc)
        *keep = res; /* the caller frees it */
    else
        themes_result_free(&res);
    return rc;
}

int listen_themes_json(const struct text_span *docs, size_t n, size_t k, const char *language,
                       json_t **out)
{
    struct arena *a = arena_new();
    struct listen_analysis r;
    struct themes_result res = {0};
    json_t *themes = NULL, *m = NULL;
    int rc = a ? listen_themes_fit(a, docs, n, k, language, &r, &res) : APP_E_NOMEM;
    *out = NULL;
    if (rc)
        goto done;
    rc = APP_E_NOMEM;
    if (!(themes = json_array()))
        goto done;
    for (size_t t = 0; t < r.nthemes; t++) {
        const struct listen_theme *th = &r.themes[t];
        json_t *terms = json_array(), *reps = json_array(), *o;
        for (size_t i = 0; terms && i < th->terms.n; i++)
            if (json_array_append_new(terms, json_string(th->terms.v[i]))) {
                json_decref(terms);
                terms = NULL;
            }
        for (size_t i = 0; reps && i < th->representatives.n; i++)
            if (json_array_append_new(reps, json_string(th->representatives.v[i]))) {
                json_decref(reps);
                reps = NULL;
            }
        o = json_pack("{s:s, s:o, s:I, s:f, s:f, s:o}", "label", th->label, "terms", terms, "size",
                      (json_int_t)res.themes[t].size, "share",
                      n ? (double)res.themes[t].size / (double)n : 0, "coherence", th->coherence,
                      "representatives", reps);
        if (json_array_append_new(themes, o))
            goto done;
    }
    m = json_pack("{s:I, s:I, s:I, s:f, s:f, s:o}", "documents", (json_int_t)r.documents, "k",
                  (json_int_t)r.k, "terms", (json_int_t)r.terms, "coherence", r.coherence,
                  "reconstruction_error", r.reconstruction_error, "themes", themes);
    themes = NULL;
    if (!m)
        goto done;
    *out = m;
    rc = APP_OK;
done:
    json_decref(themes);
    themes_result_free(&res);
    arena_free(a);
    return rc;
}

int listen_exercise_themes(struct db *db, const char *slug, size_t k, json_t **out)
{
    struct db_stmt *st = NULL;
    struct text_span *docs = NULL;
    char **copies = NULL;
    size_t n = 0, cap = 0;
    struct arena *a = arena_new();
    struct listen_exercise e;
    int rc;
    *out = NULL;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = listen_exercise_get(db, a, slug, &e))) {
        arena_free(a);
        return rc;
    }
    rc = db_prepare_bind(db, SQL_LC_SHOWN_TEXT, &st, "t", slug);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct text_span *nd = realloc(docs, ncap * sizeof *nd);
            char **nc = nd ? realloc(copies, ncap * sizeof *nc) : NULL;
            if (nd)
                docs = nd;
            if (!nd || !nc) {
                rc = APP_E_NOMEM;
                goto done;
            }
            copies = nc;
            cap = ncap;
        }
        copies[n] = strndup(db_col_text(st, 0), db_col_len(st, 0));
        if (!copies[n]) {
            rc = APP_E_NOMEM;
            goto done;
        }
        docs[n].s = copies[n];
        docs[n].len = strlen(copies[n]);
        n++;
    }
    if (rc != DB_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    rc = listen_themes_json(docs, n, k, e.language, out);
done:
    db_finalize(st);
    for (size_t i = 0; i < n; i++)
        free(copies[i]);
    free(copies);
    free(docs);
    arena_free(a);
    return rc;
}
