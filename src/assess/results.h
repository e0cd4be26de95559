/* results.h: a round's submitted responses read for benchmarks, in one lean query
 *
 * Benchmarks are computed from the raw answers whenever they are shown (assess.h), so this is
 * the hot path of every results and benchmark page: one query of five short columns, the
 * groups mapped to indices here, and benchmark.c doing the rest in memory.
 */
#ifndef AHP_ASSESS_RESULTS_H
#define AHP_ASSESS_RESULTS_H

#include "assess/benchmark.h"
#include "assess/round.h"

struct assess_results {
    struct assess_benchmark bench;
    size_t norgs; /* organisations that responded, by name */
    int64_t *org_ids;
    const char **org_names;
    /* Organisations that responded when they were more than the benchmark can audit
     * together (benchmark.c: APP_E_TOOBIG, beyond about 2,047): the benchmark is then
     * computed with every respondent's organisation as not stated and norgs 0, so every
     * other figure is still published, and the pages say why there is no breakdown by
     * organisation. 0 otherwise. */
    size_t orgs_withheld;
};

/* Reads every submitted response of round_id and computes the benchmark (everything in the
 * arena). opts may be NULL (the default disclosure rule). */
int assess_results_load(struct db *db, struct arena *a, int64_t round_id,
                        const struct assess_instrument *ins, const struct disclosure_opts *opts,
                        struct assess_results *out);
/* The shared results of the rounds being looked at; one per process, held by struct app
 * and freed by app_free() once no request runs. Thread-safe. */
struct assess_results_cache;
int assess_results_cache_new(struct assess_results_cache **out);
void assess_results_cache_free(struct assess_results_cache *cache);
/* The same as assess_results_load(), shared between requests through cache: the benchmark
 * of a round is computed once per state of its submitted responses and kept (a submitted
 * response's answers never change and it is never removed, so their number names the state,
 * together with the number of times a merge of organisations moved them between groups). *out is
 * read-only and stays valid until `request` (the caller's arena) is freed. A page view costs
 * one COUNT over an index instead of reading and scoring every response. Thread-safe. */
int assess_results_shared(struct db *db, struct assess_results_cache *cache, struct arena *request,
                          int64_t round_id, const struct assess_instrument *ins,
                          const struct assess_results **out);
/* A rendered piece kept with shared results (a page's body for one way of looking at the
 * round: every reader of this state of the round would render the same bytes), or NULL; *len
 * receives its length. res must come from assess_results_shared(); the text stays valid as
 * long as the request holds it. assess_results_keep() stores a copy under key (up to 32 per
 * state of a round; a key already kept is left as it is). Thread-safe. */
const char *assess_results_fragment(const struct assess_results *res, const char *key,
                                    size_t *len);
void assess_results_keep(const struct assess_results *res, const char *key, const char *s,
                         size_t len);

/* The group index of a code in a dimension's list (professions, regions, pay bands), or -1. */
int assess_group_index(enum assess_dim d, const char *code);

#endif
