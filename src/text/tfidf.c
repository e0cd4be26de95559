/* tfidf.c: sublinear TF-IDF weighting with l2-normalised rows, in place on a count matrix
 *
 * Sublinear tf (1 + ln tf) because in free-text answers repeating a word says little more
 * than using it once; the smoothed idf (as if one extra document held every term) keeps a
 * term found in every document at weight 1 rather than 0, which matters for small
 * exercises; l2 rows make documents of different lengths comparable, so NMF weights and
 * cosine similarities between answers mean the same for a line and for a page.
 */
#include "text/tfidf.h"

#include <math.h>
#include <stdlib.h>

#include "core/err.h"

int tfidf_weight(struct sparse *m, double *idf)
{
    double *w = calloc(m->cols + 1, sizeof *w);
    double n = (double)m->rows;
    int rc = APP_E_NOMEM;

    if (!w)
        goto done;
    for (size_t p = 0; p < m->nnz; p++)
        if (m->val[p] > 0)
            w[m->col[p]] += 1; /* df */
    for (size_t t = 0; t < m->cols; t++) {
        w[t] = log((1 + n) / (1 + w[t])) + 1;
        if (idf)
            idf[t] = w[t];
    }
    for (size_t i = 0; i < m->rows; i++) {
        double ss = 0;
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) {
            double v = m->val[p] > 0 ? (1 + log(m->val[p])) * w[m->col[p]] : 0;
            m->val[p] = v;
            ss += v * v;
        }
        if (ss > 0) {
            double inv = 1 / sqrt(ss);
            for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++)
                m->val[p] *= inv;
        }
    }
    rc = APP_OK;
done:
    free(w);
    return rc;
}
