/* tfidf.h: sublinear TF-IDF weighting with l2-normalised rows, in place on a count matrix
 *
 * For a docs x terms matrix of raw counts tf with n rows, each stored entry becomes
 *     w = (1 + ln tf) * idf(t),   idf(t) = ln((1 + n) / (1 + df(t))) + 1
 * (df(t) = the documents with a non-zero count for t), then each row is divided by its
 * Euclidean norm. This is scikit-learn's TfidfVectorizer(sublinear_tf=True, smooth_idf=True,
 * norm="l2"), so figures can be compared with it. Empty rows stay empty.
 */
#ifndef AHP_TFIDF_H
#define AHP_TFIDF_H

#include "text/sparse.h"

/* Weights m in place. Values must be counts >= 1 (entries <= 0 are set to 0 and do not
 * count towards df). If idf is not NULL it receives m->cols values. Returns 0 or
 * APP_E_NOMEM (m unchanged). */
int tfidf_weight(struct sparse *m, double *idf);

#endif
