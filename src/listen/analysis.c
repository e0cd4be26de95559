/* analysis.c: themes of free-text answers (contributions, or any survey column), as JSON
 *
 * The analysis itself is src/text/themes.c; this file feeds it (the embedded stop-word list,
 * a fixed seed so the same answers always give the same themes) and turns the result into
 * the view model that the CLI prints and, later, the report pages render. Quotes are redacted
 * here even when the input was, because a survey export may not have been.
 */
#include "listen/analysis.h"
#include "listen/store.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "store/db.h"
#include "text/redact.h"
#include "text/themes.h"
#include "text/tokenise.h"

#include <stdlib.h>
#include <string.h>

#define THEMES_SEED 20261121

static json_t *redacted(const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    json_t *j = NULL;
    if (redact_text(s, n, &b, NULL) == APP_OK && !buf_oom(&b))
        j = json_stringn(b.data ? b.data : "", b.len);
    buf_free(&b);
    return j;
}

int listen_themes_json(const struct text_span *docs, size_t n, size_t k, json_t **out)
{
    return listen_themes_fit(docs, n, k, out, NULL);
}

int listen_themes_fit(const struct text_span *docs, size_t n, size_t k, json_t **out,
                      struct themes_result *keep)
{
    const struct embed_file *stop = embed_find("data/stopwords-en.txt");
    struct themes_input in = {0};
    struct themes_result res = {0};
    json_t *themes = NULL, *m = NULL;
    int rc;
    *out = NULL;
    in.docs = docs;
    in.n = n;
    in.k = k;
    in.seed = THEMES_SEED;
    if (stop) {
        in.stopwords = (const char *)stop->data;
        in.stopwords_len = stop->len;
    }
    rc = themes_fit(&in, &res);
    if (rc)
        return rc;
    themes = json_array();
    for (size_t t = 0; themes && t < res.k; t++) {
        const struct theme *th = &res.themes[t];
        json_t *o = json_object(), *terms = json_array(), *reps = json_array();
        for (size_t i = 0; terms && i < th->nterms; i++)
            json_array_append_new(terms, json_string(th->terms[i]));
        for (size_t i = 0; reps && i < th->nrepr; i++)
            json_array_append_new(reps, redacted(docs[th->repr[i]].s, docs[th->repr[i]].len));
        if (!o || !terms || !reps || json_object_set_new(o, "label", json_string(th->label)) ||
            json_object_set_new(o, "terms", terms) ||
            json_object_set_new(o, "size", json_integer((json_int_t)th->size)) ||
            json_object_set_new(o, "share", json_real(n ? (double)th->size / (double)n : 0)) ||
            json_object_set_new(o, "coherence", json_real(th->coherence)) ||
            json_object_set_new(o, "representatives", reps) ||
            json_array_append_new(themes, o)) {
            json_decref(o);
            json_decref(themes);
            themes = NULL;
        }
    }
    m = themes ? json_pack("{s:I, s:I, s:I, s:f, s:f, s:o}", "documents", (json_int_t)n, "k",
                           (json_int_t)res.k, "terms", (json_int_t)res.nterms, "coherence",
                           res.coherence, "reconstruction_error", res.rel_err, "themes", themes)
               : NULL;
    if (keep && m)
        *keep = res; /* the caller frees it */
    else
        themes_result_free(&res);
    if (!m)
        return APP_E_NOMEM;
    *out = m;
    return APP_OK;
}

int listen_exercise_themes(struct db *db, const char *slug, size_t k, json_t **out)
{
    struct db_stmt *st = NULL;
    struct text_span *docs = NULL;
    char **copies = NULL;
    size_t n = 0, cap = 0;
    int rc;
    *out = NULL;
    rc = db_prepare_bind(db, SQL_LC_SHOWN_TEXT, &st, "t", slug);
    if (rc)
        return rc;
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
    rc = listen_themes_json(docs, n, k, out);
done:
    db_finalize(st);
    for (size_t i = 0; i < n; i++)
        free(copies[i]);
    free(copies);
    free(docs);
    return rc;
}
