/* analysis.c: themes of free-text answers (contributions, or any survey column)
 *
 * The analysis itself is src/text/themes.c; this file feeds it (the exercise's language, whose
 * stemmer and embedded stop-word list themes.c takes, and a fixed seed so the same answers
 * always give the same themes) and turns the result into
 * the structs of an analysis result (runs.c adds the rest), or into the JSON the CLI prints. Quotes
 * are redacted here even when the input was, because a survey export may not have been; the
 * words are counted with redaction's markers left out ("[phone number removed]" is no one's
 * words), while quotes keep them, so readers still see that something was there.
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

/* docs[0..n) with redaction's markers left out (redact_strip_markers), in the arena: the
 * words "email", "phone number", "removed"… of the markers are no one's words, and would
 * otherwise label the themes of any exercise where people gave their details. NULL when out
 * of memory. */
static struct text_span *without_markers(struct arena *a, const struct text_span *docs, size_t n)
{
    struct text_span *v = arena_calloc(a, n + 1, sizeof *v);
    struct buf b = BUF_INIT;
    for (size_t i = 0; v && i < n; i++) {
        char *s;
        buf_reset(&b);
        if (redact_strip_markers(docs[i].s, docs[i].len, &b) ||
            !(s = arena_strndup(a, b.data ? b.data : "", b.len)))
            v = NULL;
        else
            v[i] = (struct text_span){s, b.len};
    }
    buf_free(&b);
    return v;
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
                      const char *language, struct listen_analysis *out, struct themes_result *keep)
{
    struct themes_input in = {0};
    struct themes_result res = {0};
    int rc;
    memset(out, 0, sizeof *out);
    if (!(in.docs = without_markers(a, docs, n)))
        return APP_E_NOMEM;
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
    if (!(out->language = arena_strdup(a, in.language))) /* kept with the run: see analysis.h */
        goto done;
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

/* The themes of document i, strongest first (ties: lower index), as rows[] entries want. */
static json_t *row_json(const struct themes_result *res, size_t i, size_t row)
{
    json_t *themes = json_array(), *weights = json_array();
    size_t order[64], m = 0;
    for (size_t t = 0; res && t < res->k && m < 64; t++)
        if (res->member[i * res->k + t]) {
            size_t j = m++;
            /* insertion by weight, descending */
            while (j > 0 && res->weights[i * res->k + order[j - 1]] < res->weights[i * res->k + t])
                order[j] = order[j - 1], j--;
            order[j] = t;
        }
    for (size_t j = 0; themes && weights && j < m; j++)
        if (json_array_append_new(themes, json_integer((json_int_t)order[j])) ||
            json_array_append_new(weights, json_real(res->weights[i * res->k + order[j]]))) {
            json_decref(themes);
            themes = NULL;
        }
    if (!themes || !weights) {
        json_decref(themes);
        json_decref(weights);
        return NULL;
    }
    return json_pack("{s:I, s:o, s:o}", "row", (json_int_t)row, "themes", themes, "weights",
                     weights);
}

int listen_themes_json(const struct text_span *docs, size_t n, size_t k, const char *language,
                       json_t **out)
{
    return listen_themes_rows_json(docs, n, NULL, 0, k, language, out);
}

int listen_themes_rows_json(const struct text_span *docs, size_t n, const size_t *row_of,
                            size_t nrows, size_t k, const char *language, json_t **out)
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
    m = json_pack("{s:I, s:I, s:I, s:f, s:f, s:o, s:s}", "documents", (json_int_t)r.documents, "k",
                  (json_int_t)r.k, "terms", (json_int_t)r.terms, "coherence", r.coherence,
                  "reconstruction_error", r.reconstruction_error, "themes", themes, "language",
                  r.language);
    themes = NULL;
    if (!m)
        goto done;
    if (row_of) {
        json_t *rows = json_array();
        size_t i = 0;
        if (!rows || json_object_set_new(m, "rows", rows))
            goto done;
        for (size_t row = 1; row <= nrows; row++) {
            json_t *one;
            while (i < n && row_of[i] < row)
                i++;
            if (i < n && row_of[i] == row)
                one = row_json(&res, i, row);
            else /* no usable text: in no theme */
                one = row_json(NULL, 0, row);
            if (json_array_append_new(rows, one))
                goto done;
        }
    }
    *out = m;
    m = NULL;
    rc = APP_OK;
done:
    json_decref(themes);
    json_decref(m);
    themes_result_free(&res);
    arena_free(a);
    return rc;
}
