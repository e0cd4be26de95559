/* runs.c: analysis runs of an exercise — queued by a facilitator, run by the worker, read by
 * the pages
 *
 * A run analyses the shown contributions: their themes (src/text/themes.c, through
 * listen_themes_fit) and the opinion groups of the people who voted on them
 * (src/text/opinion.c, Pol.is's method). The result (struct listen_analysis, in the run's
 * arena) is stored as one JSON document (listen_analysis_json) so a page only reads it; sizes that
 * describe groups of people are passed through the disclosure rule (src/text/disclosure.c) before
 * they are stored, so nothing unsafe is ever kept to show.
 *
 * Runs are jobs (DESIGN.md §4, "Background work"), safe with several servers on one database:
 *
 * - Enqueueing is one INSERT … ON CONFLICT DO NOTHING against a unique index on the exercise
 *   over the queued and running states, so requests made at once, on any number of servers,
 *   make one run; the others are given its id.
 * - A worker claims a run with a lease (LISTEN_ANALYSIS_LEASE seconds) and renews it between
 *   the phases of the analysis. A worker that stops (kill -9, a killed instance, a full disk
 *   when it wrote the result) stops renewing; once the lease has passed, the run is taken
 *   over by the next claim, by any server, and shows as queued again meanwhile.
 * - The analysis is a few long computations (reading the texts, themes, reading the votes,
 *   opinion groups), each a loop or one call into src/text that cannot stop to renew, so
 *   renewals come at the boundaries between them, once a quarter of the lease has gone
 *   since the last: a phase then has three quarters of the lease, 90 s. Measured with
 *   bench/analysis_run_bench.c on SQLite, on two shared cores, from claim to stored result
 *   with all phases together: 1.3 s for 10,000 contributions with 100,000 votes, 13.5 s for
 *   20,000 contributions with 1,000,000 votes (the themes benchmark's largest text set),
 *   28 s for 500 contributions with 3,500,000 votes (the opinion benchmark's largest). So
 *   even the largest run, taken whole, fits three times over in what one phase may take,
 *   while a run whose server stopped waits at most two minutes before another takes it
 *   over. Each run logs its time, to compare with the lease where analyses grow larger.
 * - A run that was taken over is run again from the start rather than marked failed: it
 *   reads the exercise as it is and writes one row, so running it twice is harmless, and
 *   what stopped it was the server, not the run. But a run that itself brings its server
 *   down (memory, say) would bring down every server that took it over, so after
 *   LISTEN_ANALYSIS_ATTEMPTS claims a run whose lease expires again is marked failed, with
 *   a reason the facilitator reads on the analysis page, and asking again starts afresh.
 * - Every claim raises the run's attempts, which is the holder's token: renewing and
 *   finishing match it, so a worker that stalled past its lease and lost the run can write
 *   nothing over the run of the worker that took it over.
 */
#include "listen/analysis.h"
#include "listen/curation.h"
#include "listen/listen.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"
#include "text/disclosure.h"
#include "text/opinion.h"
#include "text/themes.h"
#include "text/tokenise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUN_SEED 20261121

/* What a facilitator reads about a run whose every attempt was cut short. */
static const char REASON_STOPPED[] =
    "It was started three times, and each time the server running it stopped before it "
    "finished. Run it again; if it fails again, tell your administrator.";
_Static_assert(LISTEN_ANALYSIS_ATTEMPTS == 3, "REASON_STOPPED says how many attempts");

static const char *const run_status_names[] = {"queued", "running", "done", "failed"};

const char *listen_run_status_name(enum listen_run_status s)
{
    return (unsigned)s < 4 ? run_status_names[s] : "failed";
}

int listen_run_status_parse(const char *s, enum listen_run_status *out)
{
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, run_status_names[i])) {
            *out = (enum listen_run_status)i;
            return APP_OK;
        }
    return APP_E_INVALID;
}

enum listen_run_status listen_run_status_seen(enum listen_run_status s, int64_t lease_until,
                                              int64_t now)
{
    /* the same test as SQL_LA_CLAIM's: from this second a worker may take the run over */
    return s == LISTEN_RUN_RUNNING && lease_until < now ? LISTEN_RUN_QUEUED : s;
}

/* Queues a run unless the exercise has one waiting or running; *created says which. */
static int enqueue(struct db *db, int64_t exercise_id, int64_t requested_by, int k, int64_t *id,
                   bool *created)
{
    struct db_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    int rc, tries = 0;
    *created = false;
    rc = db_begin(db);
    if (rc)
        return rc;
    /* A run past its last attempt would otherwise be handed back until a worker fails it. */
    rc = db_run(db, SQL_LA_GIVE_UP, "iiti", now, (int64_t)LISTEN_ANALYSIS_ATTEMPTS, REASON_STOPPED,
                exercise_id);
    while (!rc) {
        rc = db_row(db, SQL_LA_INSERT, &st, "iiiIi", exercise_id, (int64_t)k, (int64_t)RUN_SEED,
                    requested_by, now);
        if (rc != APP_E_NOTFOUND) {
            *created = rc == APP_OK;
            break;
        }
        /* One is waiting or running: that one will see everything there is. */
        rc = db_row(db, SQL_LA_QUEUED, &st, "i", exercise_id);
        if (rc != APP_E_NOTFOUND)
            break;
        /* On PostgreSQL it can finish between the two statements: insert again. */
        rc = ++tries < 3 ? APP_OK : APP_E_CONFLICT;
    }
    if (rc)
        goto done;
    *id = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_analysis_enqueue(struct db *db, int64_t exercise_id, int64_t requested_by, int k,
                            int64_t *id)
{
    bool created;
    return enqueue(db, exercise_id, requested_by, k, id, &created);
}

int listen_analysis_enqueue_due(struct db *db, int *queued)
{
    struct db_stmt *st = NULL;
    int64_t ids[64];
    size_t n = 0;
    int rc = db_prepare_bind(db, SQL_LA_DUE, &st, "iii", (int64_t)LISTEN_ANALYSIS_NEW_CONTRIBUTIONS,
                             (int64_t)LISTEN_ANALYSIS_NEW_VOTES, (int64_t)time(NULL) - 3600);
    *queued = 0;
    /* at most 64 a time: the rest are still due next time */
    while (!rc && n < 64 && (rc = db_step(st)) == DB_ROW) {
        ids[n++] = db_col_int(st, 0);
        rc = APP_OK;
    }
    db_finalize(st);
    if (rc && rc != DB_DONE)
        return rc;
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        bool created;
        if ((rc = enqueue(db, ids[i], 0, 0, &id, &created)))
            return rc;
        /* another server may have queued it since the query */
        *queued += created;
    }
    return APP_OK;
}

/* Called between the phases of an analysis: renews the lease once a quarter of it has gone,
 * which leaves three quarters for the next phase, several times the longest measured (see
 * the top of this file). A failure sets l->lost. */
static int keep_lease(struct db *db, struct listen_run_lease *l)
{
    int rc;
    if ((int64_t)time(NULL) - l->renewed_at < LISTEN_ANALYSIS_LEASE / 4)
        return APP_OK;
    rc = listen_analysis_renew(db, l);
    l->lost = rc;
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The index of id in the ascending ids[0..n-1], or n when absent. */
static size_t find_id(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo : n;
}

/* What carries on from the exercise's latest finished run (text/opinion_carry.h), for the
 * np participants pids[] (ascending) of this one: *prev (in arena a) each one's group then,
 * −1 when not grouped or new, and its state. *prev stays NULL when there is no such run: the
 * groups are then fitted afresh. Pol.is carries its groups from update to update in the
 * same way, so a few new votes neither renumber the groups nor flip their number. */
static int carried(struct db *db, struct arena *a, int64_t exercise_id, const int64_t *pids,
                   size_t np, int32_t **prev, struct opinion_state *state)
{
    struct db_stmt *st = NULL;
    struct listen_analysis last;
    struct listen_group_member *g = NULL;
    size_t ng = 0;
    int64_t run;
    int rc = db_row(db, SQL_LA_LATEST, &st, "i", exercise_id);
    *prev = NULL;
    memset(state, 0, sizeof *state);
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    if (rc)
        return rc;
    run = db_col_int(st, 0);
    /* a document that cannot be read carries nothing: the groups start afresh */
    if (!listen_analysis_parse(a, db_col_text(st, 5), db_col_len(st, 5), &last) && last.opinion &&
        last.opinion->has_carry) {
        state->k = last.opinion->carry_k;
        state->cand_k = last.opinion->carry_cand_k;
        state->cand_runs = last.opinion->carry_cand_runs;
    }
    db_finalize(st);
    if ((rc = listen_analysis_groups_read(db, a, run, &g, &ng)))
        return rc;
    if (!(*prev = arena_alloc(a, (np ? np : 1) * sizeof **prev)))
        return APP_E_NOMEM;
    /* both ascending by participant id: one merge */
    for (size_t j = 0, k = 0; j < np; j++) {
        while (k < ng && g[k].participant_id < pids[j])
            k++;
        (*prev)[j] = k < ng && g[k].participant_id == pids[j] ? g[k].group_no : -1;
        /* a number no fit gives (a row not written by a run) is no group */
        if ((*prev)[j] >= OPINION_MAX_GROUPS)
            (*prev)[j] = -1;
    }
    if (state->k > OPINION_MAX_GROUPS || state->cand_k > OPINION_MAX_GROUPS)
        memset(state, 0, sizeof *state);
    return APP_OK;
}

/* n of seen as a whole percentage, halves up. */
static int share_percent(uint32_t n, uint32_t seen)
{
    return seen ? (int)((200 * (uint64_t)n + seen) / (2 * (uint64_t)seen)) : 0;
}

/* Opinion groups over the votes of the exercise, in arena a, or NULL when there are none to
 * find, or when the lease was lost (l->lost) after reading the votes, a phase of its own in
 * the largest analyses. The statements are counted as Pol.is counts them: the shown
 * contributions (texts[i] is statement i) are analysed and named; the moderated-out ones
 * (rejected, withdrawn, hidden) count in who is in the conversation and in the projection's
 * scaling, as Pol.is's zeroed columns do (opinion_input.moderated_out); those waiting for
 * moderation count like shown ones, as in Pol.is, but are never named (unlisted). Every
 * statement index ≥ n is one of those, so whatever the result names is < n, in texts[].
 * On the shared Pol.is conversations this rule, against the shown contributions alone,
 * raises the median agreement with Pol.is's groups from 0.81 to 0.93
 * (bench/polis_groups.c). */
static struct listen_opinion *opinion_build(struct db *db, struct arena *a,
                                            struct listen_run_lease *l, const int64_t *ids,
                                            char *const *texts, size_t n, size_t *nvotes,
                                            int *read_rc)
{
    int64_t exercise_id = l->exercise;
    struct db_stmt *st = NULL;
    struct opinion_vote *votes = NULL;
    int64_t *vcid = NULL, *extra = NULL; /* per vote its contribution; the others' ids */
    uint8_t *vclass = NULL;
    bool *mod_out = NULL, *unlisted = NULL;
    struct opinion_input in = {0};
    struct opinion_result res = {0};
    struct opinion_carry carry = {0};
    int32_t *prev = NULL;
    size_t cap = 0, nv = 0, np = 0, nx = 0, ns, pcap = 0;
    int64_t last_participant = -1, *pids = NULL; /* pids[j]: participant j's id */
    struct listen_opinion *o = NULL;
    int rc;
    *nvotes = 0;
    if ((*read_rc = db_prepare_bind(db, SQL_LA_VOTES, &st, "i", exercise_id)))
        return NULL;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t pid = db_col_int(st, 0);
        if (pid != last_participant) {
            if (np == pcap) {
                int64_t *npp = realloc(pids, (pcap = pcap ? pcap * 2 : 256) * sizeof *npp);
                if (!npp) {
                    *read_rc = APP_E_NOMEM;
                    goto done;
                }
                pids = npp;
            }
            pids[np] = pid;
            last_participant = pid;
            np++;
        }
        if (nv == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            struct opinion_vote *nvp = realloc(votes, ncap * sizeof *nvp);
            int64_t *nc = nvp ? realloc(vcid, ncap * sizeof *nc) : NULL;
            uint8_t *ncl = nc ? realloc(vclass, ncap * sizeof *ncl) : NULL;
            if (nvp)
                votes = nvp;
            if (nc)
                vcid = nc;
            if (!ncl) {
                *read_rc = APP_E_NOMEM;
                goto done;
            }
            vclass = ncl;
            cap = ncap;
        }
        votes[nv].participant = (uint32_t)(np - 1);
        votes[nv].vote = (int8_t)db_col_int(st, 2);
        vcid[nv] = db_col_int(st, 1);
        vclass[nv] = (uint8_t)db_col_int(st, 3);
        nv++;
    }
    db_finalize(st);
    st = NULL;
    /* A read that failed half-way must not give groups made of half the votes. */
    if (rc != DB_DONE) {
        *read_rc = rc;
        goto done;
    }
    /* Statements n.. are the contributions voted on that are not shown, by ascending id. A
     * contribution shown since the texts were read is not among texts: it counts, unnamed. */
    *read_rc = APP_E_NOMEM;
    if (!(extra = malloc((nv ? nv : 1) * sizeof *extra)))
        goto done;
    for (size_t i = 0; i < nv; i++)
        if (find_id(ids, n, vcid[i]) == n)
            extra[nx++] = vcid[i];
    qsort(extra, nx, sizeof *extra, cmp_i64);
    {
        size_t u = 0;
        for (size_t i = 0; i < nx; i++)
            if (!u || extra[u - 1] != extra[i])
                extra[u++] = extra[i];
        nx = u;
    }
    ns = n + nx;
    if (!(mod_out = calloc(ns ? ns : 1, sizeof *mod_out)) ||
        !(unlisted = calloc(ns ? ns : 1, sizeof *unlisted)))
        goto done;
    for (size_t i = 0; i < nv; i++) {
        size_t s = find_id(ids, n, vcid[i]);
        if (s == n) {
            s = n + find_id(extra, nx, vcid[i]);
            mod_out[s] = vclass[i] == 2;
            unlisted[s] = vclass[i] != 2;
        }
        votes[i].statement = (uint32_t)s;
    }
    *read_rc = APP_OK;
    *nvotes = nv;
    if (keep_lease(db, l))
        goto done;
    in.n_participants = np;
    in.n_statements = ns;
    in.votes = votes;
    in.n_votes = nv;
    in.moderated_out = mod_out;
    in.unlisted = unlisted;
    in.seed = RUN_SEED;
    /* a group's representatives from the statements it may be shown for: a statement voted on
     * by 1 to 7 of its people would be picked only to be left out (runs made before picked
     * those, and a group with many such ones showed none) */
    in.repr_min_seen = DISCLOSURE_MIN_THRESHOLD;
    if ((*read_rc = carried(db, a, exercise_id, pids, np, &prev, &carry.state)))
        goto done;
    if (prev) {
        carry.prev_group = prev;
        in.carry = &carry;
    }
    if (np == 0 || n == 0 || opinion_fit(&in, &res))
        goto done;
    /* from here on a failure can only be memory: no groups rather than half of them */
    *read_rc = APP_E_NOMEM;
    if (!(o = arena_calloc(a, 1, sizeof *o)) ||
        !(o->groups = arena_calloc(a, res.n_groups + 1, sizeof *o->groups)) ||
        !(o->participants = disclosure_count_text(a, res.n_kept)))
        goto done;
    for (size_t g = 0; g < res.n_groups; g++) {
        struct listen_opinion_group *go = &o->groups[g];
        go->number = (int)g + 1;
        if (!(go->size = disclosure_count_text(a, res.groups[g].size)) ||
            !(go->statements = arena_calloc(a, res.groups[g].n_repr + 1, sizeof *go->statements)))
            goto done;
        for (size_t r = 0; r < res.groups[g].n_repr; r++) {
            const struct opinion_repr *rp = &res.groups[g].repr[r];
            struct listen_opinion_statement *s = &go->statements[go->nstatements];
            /* a share of the group is shown only over more people than the disclosure
             * threshold (DESIGN.md §5), so the fit picks only statements more of them voted
             * on (repr_min_seen above); kept here too, as the rule's last word */
            if (rp->n_seen <= DISCLOSURE_MIN_THRESHOLD)
                continue;
            if (!(s->text = arena_strdup(a, texts[rp->statement])))
                goto done;
            s->agree = rp->direction > 0;
            /* the shares as a reader takes them: of those who voted on it, how many voted
             * that way (the smoothed p only ranks the statements) */
            s->percent = share_percent(s->agree ? rp->n_agree : rp->n_disagree, rp->n_seen);
            s->percent_rest =
                rp->r_seen > DISCLOSURE_MIN_THRESHOLD
                    ? share_percent(s->agree ? rp->r_agree : rp->r_disagree, rp->r_seen)
                    : -1;
            go->nstatements++;
        }
    }
    o->ngroups = res.n_groups;
    if (!(o->consensus.v = arena_calloc(a, res.n_consensus + 1, sizeof *o->consensus.v)))
        goto done;
    for (size_t i = 0; i < res.n_consensus; i++)
        if (!(o->consensus.v[i] = arena_strdup(a, texts[res.consensus[i].statement])))
            goto done;
    o->consensus.n = res.n_consensus;
    o->has_groups = res.n_groups > 1;
    o->has_carry = true;
    o->carry_k = res.state.k;
    o->carry_cand_k = res.state.cand_k;
    o->carry_cand_runs = res.state.cand_runs;
    /* Who is in which group, for the exports and the next run (listen_analysis_execute writes
     * them with the result): group_of is 0-based, as stored; participants are in id order. */
    if (res.n_groups > 1) {
        if (!(o->grouped = arena_calloc(a, res.n_kept + 1, sizeof *o->grouped)))
            goto done;
        for (size_t j = 0; j < np; j++)
            if (res.group_of[j] >= 0 && o->ngrouped < res.n_kept)
                o->grouped[o->ngrouped++] = (struct listen_group_member){pids[j], res.group_of[j]};
    }
    /* The map: one point per person, with no id, in groups large enough to be shown. */
    if (!(o->map = arena_calloc(a, res.n_kept + 1, sizeof *o->map)))
        goto done;
    for (size_t i = 0; res.n_groups > 1 && i < res.n_kept; i++) {
        struct disclosure_cell gc = disclosure_count(res.groups[res.group[i]].size, NULL);
        if (!gc.shown)
            continue;
        o->map[o->nmap].x = round(res.x[i] * 1000) / 1000;
        o->map[o->nmap].y = round(res.y[i] * 1000) / 1000;
        o->map[o->nmap].group = (int)res.group[i] + 1;
        o->nmap++;
    }
    *read_rc = APP_OK;
done:
    if (*read_rc)
        o = NULL; /* the arena takes back what was made */
    db_finalize(st);
    opinion_result_free(&res);
    free(votes);
    free(vcid);
    free(vclass);
    free(extra);
    free(mod_out);
    free(unlisted);
    free(pids);
    return o;
}

/* What a theme's sizes, agreement and quotes are made from: one row per contribution. */
struct statement_meta {
    int audience; /* AUD_* */
    int64_t agree, disagree, pass;
};

enum { AUD_CITIZEN, AUD_AHP, AUD_STAFF, AUD_UNSAID, AUD_N };
static const char *const audience_keys[AUD_N] = {"citizen", "ahp", "staff", "not_said"};

static int audience_of(const char *code)
{
    for (int i = 0; i < AUD_UNSAID; i++)
        if (!strcmp(code, audience_keys[i]))
            return i;
    return AUD_UNSAID;
}

/* Up to 2 member quotes from one side (citizens, or professionals), strongest weight first,
 * never the same text twice; copies in the arena. */
static int side_quotes(struct arena *a, const struct themes_result *fit, size_t t,
                       char *const *texts, const struct statement_meta *meta, size_t n,
                       bool professionals, struct listen_strs *out)
{
    size_t best[2] = {SIZE_MAX, SIZE_MAX};
    for (size_t i = 0; i < n; i++) {
        bool pro = meta[i].audience == AUD_AHP || meta[i].audience == AUD_STAFF;
        double w = fit->weights[i * fit->k + t];
        if (!fit->member[i * fit->k + t] || pro != professionals ||
            (!professionals && meta[i].audience != AUD_CITIZEN))
            continue;
        if (best[0] != SIZE_MAX && !strcmp(texts[best[0]], texts[i]))
            continue;
        if (best[0] == SIZE_MAX || w > fit->weights[best[0] * fit->k + t]) {
            best[1] = best[0];
            best[0] = i;
        } else if (best[1] == SIZE_MAX || w > fit->weights[best[1] * fit->k + t]) {
            if (strcmp(texts[best[0]], texts[i]))
                best[1] = i;
        }
    }
    out->n = 0;
    if (!(out->v = arena_calloc(a, 3, sizeof *out->v)))
        return APP_E_NOMEM;
    for (int q = 0; q < 2; q++)
        if (best[q] != SIZE_MAX && !(out->v[out->n++] = arena_strdup(a, texts[best[q]])))
            return APP_E_NOMEM;
    return APP_OK;
}

/* Adds to each theme what the report and curation need: its members (see curation.h), a key
 * to find it again in a later run (its top terms), its sizes and agreement under the
 * disclosure rule (listen_theme_stats), and quotes from citizens and from professionals. */
static int enrich_themes(struct arena *a, struct listen_analysis *r,
                         const struct themes_result *fit, const int64_t *ids, char *const *texts,
                         const struct statement_meta *meta, size_t n)
{
    for (size_t t = 0; t < r->nthemes; t++) {
        struct listen_theme *th = &r->themes[t];
        size_t m = 0, nkey = th->terms.n < 5 ? th->terms.n : 5;
        int rc;
        if (t >= fit->k)
            return APP_E_NOMEM;
        for (size_t i = 0; i < n; i++)
            m += fit->member[i * fit->k + t];
        if (!(th->members = arena_calloc(a, m + 1, sizeof *th->members)) ||
            !(th->key.v = arena_calloc(a, nkey + 1, sizeof *th->key.v)) ||
            !(th->terms_text = listen_terms_join(a, &th->terms, 0)) ||
            !(th->representative_ids =
                  arena_calloc(a, fit->themes[t].nrepr + 1, sizeof *th->representative_ids)))
            return APP_E_NOMEM;
        for (size_t i = 0; i < n; i++)
            if (fit->member[i * fit->k + t])
                th->members[th->nmembers++] = (struct listen_member){
                    ids[i],           meta[i].audience, meta[i].agree,
                    meta[i].disagree, meta[i].pass,     fit->weights[i * fit->k + t]};
        memcpy(th->key.v, th->terms.v, nkey * sizeof *th->key.v);
        th->key.n = nkey;
        /* the representatives' contribution ids, for pinning one as a quote */
        for (size_t i = 0; i < fit->themes[t].nrepr; i++)
            th->representative_ids[i] = ids[fit->themes[t].repr[i]];
        th->nrepresentative_ids = fit->themes[t].nrepr;
        if ((rc = listen_theme_stats(a, th)) ||
            (rc = side_quotes(a, fit, t, texts, meta, n, false, &th->quotes_citizens)) ||
            (rc = side_quotes(a, fit, t, texts, meta, n, true, &th->quotes_professionals)))
            return rc;
    }
    return APP_OK;
}

/* Splits the themes a facilitator marked: two themes are fitted to the theme's members alone
 * and take its place, each noting the theme it came from. The mark stays on the edit, so a
 * later run splits the theme again wherever it persists. */
static int split_themes(struct db *db, struct arena *a, int64_t exercise_id,
                        struct listen_analysis *result, const struct themes_result *fit,
                        const struct text_span *docs, const int64_t *ids, char *const *texts,
                        const struct statement_meta *meta, size_t n)
{
    struct listen_theme_edit *edits = NULL;
    size_t nedits = 0, nt = result->nthemes;
    int *edit_of = NULL, rc;
    const char *language = NULL;
    rc = listen_curation_load(db, a, exercise_id, &edits, &nedits);
    if (rc || !nedits || !nt)
        goto done;
    if ((rc = listen_exercise_language(db, a, exercise_id, &language)))
        goto done;
    if (!(edit_of = arena_calloc(a, nt, sizeof *edit_of))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    listen_curation_match(result->themes, nt, edits, nedits, edit_of);
    for (size_t t = nt; t-- > 0 && !rc;) {
        struct text_span *sd;
        int64_t *si;
        char **stx;
        struct statement_meta *sm;
        struct themes_result sub = {0};
        struct listen_analysis parts = {0};
        struct listen_theme *all;
        size_t m = 0, i;
        if (edit_of[t] < 0 || !edits[edit_of[t]].split || t >= fit->k)
            continue;
        for (i = 0; i < n; i++)
            m += fit->member[i * fit->k + t];
        if (m < 4)
            continue; /* too few to split in two */
        sd = arena_alloc(a, m * sizeof *sd);
        si = arena_alloc(a, m * sizeof *si);
        stx = arena_alloc(a, m * sizeof *stx);
        sm = arena_alloc(a, m * sizeof *sm);
        if (!sd || !si || !stx || !sm) {
            rc = APP_E_NOMEM;
            break;
        }
        for (i = 0, m = 0; i < n; i++)
            if (fit->member[i * fit->k + t]) {
                sd[m] = docs[i];
                si[m] = ids[i];
                stx[m] = texts[i];
                sm[m] = meta[i];
                m++;
            }
        rc = listen_themes_fit(a, sd, m, 2, language, &parts, &sub);
        if (!rc)
            rc = enrich_themes(a, &parts, &sub, si, stx, sm, m);
        themes_result_free(&sub);
        if (rc || parts.nthemes < 2)
            continue;
        /* the parts take the theme's place */
        if (!(all = arena_calloc(a, result->nthemes + parts.nthemes, sizeof *all))) {
            rc = APP_E_NOMEM;
            break;
        }
        for (i = 0; i < parts.nthemes; i++)
            parts.themes[i].split_from = result->themes[t].label;
        memcpy(all, result->themes, t * sizeof *all);
        memcpy(all + t, parts.themes, parts.nthemes * sizeof *all);
        memcpy(all + t + parts.nthemes, result->themes + t + 1,
               (result->nthemes - t - 1) * sizeof *all);
        result->themes = all;
        result->nthemes += parts.nthemes - 1;
    }
done:
    return rc;
}

/* Runs one analysis of the run's exercise: the result (in arena a), and the counts it was
 * made from. */
static int analyse(struct db *db, struct arena *a, struct listen_run_lease *l,
                   struct listen_analysis *out, int64_t *ncontrib, int64_t *nvotes)
{
    int64_t exercise_id = l->exercise;
    struct db_stmt *st = NULL;
    struct text_span *docs = NULL;
    struct statement_meta *meta = NULL;
    struct themes_result fit = {0};
    int64_t *ids = NULL;
    char **texts = NULL;
    size_t n = 0, cap = 0, nv = 0;
    struct listen_opinion *opinion;
    const char *language = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    rc = db_prepare_bind(db, SQL_LA_STATEMENTS, &st, "i", exercise_id);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct text_span *nd = realloc(docs, ncap * sizeof *nd);
            int64_t *ni = nd ? realloc(ids, ncap * sizeof *ni) : NULL;
            char **nt = ni ? realloc(texts, ncap * sizeof *nt) : NULL;
            struct statement_meta *nm = nt ? realloc(meta, ncap * sizeof *nm) : NULL;
            if (nd)
                docs = nd;
            if (ni)
                ids = ni;
            if (nt)
                texts = nt;
            if (!nm) {
                rc = APP_E_NOMEM;
                goto done;
            }
            meta = nm;
            cap = ncap;
        }
        ids[n] = db_col_int(st, 0);
        if (!(texts[n] = strdup(db_col_text(st, 1)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        docs[n].s = texts[n];
        docs[n].len = strlen(texts[n]);
        meta[n].audience = audience_of(db_col_text(st, 2));
        meta[n].agree = db_col_int(st, 3);
        meta[n].disagree = db_col_int(st, 4);
        meta[n].pass = db_col_int(st, 5);
        n++;
    }
    if (rc != DB_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    if ((rc = keep_lease(db, l)))
        goto done;
    /* Theme sizes count contributions, not people, but a small theme can still point at one
     * person: the same rule applies (listen_theme_stats). */
    /* in the exercise's language: its stemmer and stop words (text/language.h) */
    rc = listen_exercise_language(db, a, exercise_id, &language);
    if (!rc)
        rc = listen_themes_fit(a, docs, n, (size_t)l->k, language, out, &fit);
    if (!rc)
        rc = keep_lease(db, l);
    if (!rc)
        rc = enrich_themes(a, out, &fit, ids, texts, meta, n);
    if (!rc)
        rc = split_themes(db, a, exercise_id, out, &fit, docs, ids, texts, meta, n);
    if (!rc)
        rc = keep_lease(db, l);
    if (rc)
        goto done;
    opinion = opinion_build(db, a, l, ids, texts, n, &nv, &rc);
    if (rc)
        goto done;
    if (!l->lost)
        keep_lease(db, l);
    if ((rc = l->lost))
        goto done;
    out->opinion = opinion;
    if (!(out->contributions = disclosure_count_text(a, n))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    *ncontrib = (int64_t)n;
    *nvotes = (int64_t)nv;
    rc = APP_OK;
done:
    db_finalize(st);
    if (rc)
        memset(out, 0, sizeof *out);
    themes_result_free(&fit);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(ids);
    free(meta);
    free(docs);
    return rc;
}

/* The lease a claim's row gives (SQL_LA_CLAIM and SQL_LA_CLAIM_ID return the same columns). */
static void read_lease(struct db_stmt *st, int64_t now, struct listen_run_lease *out)
{
    memset(out, 0, sizeof *out);
    out->run = db_col_int(st, 0);
    out->exercise = db_col_int(st, 1);
    out->k = (int)db_col_int(st, 2);
    out->attempt = db_col_int(st, 3);
    out->renewed_at = now;
}

int listen_analysis_claim(struct db *db, struct listen_run_lease *out)
{
    struct db_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL), given_up;
    int crc, rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db, SQL_LA_GIVE_UP, "iiti", now, (int64_t)LISTEN_ANALYSIS_ATTEMPTS, REASON_STOPPED,
                (int64_t)0);
    if (rc)
        goto done;
    if ((given_up = db_changes(db)) > 0)
        log_warn("msg=\"analyses failed: their servers stopped on every attempt\" count=%lld",
                 (long long)given_up);
    rc = db_row(db, SQL_LA_CLAIM, &st, "iii", now, now + LISTEN_ANALYSIS_LEASE,
                (int64_t)LISTEN_ANALYSIS_ATTEMPTS);
    if (rc == APP_OK) {
        read_lease(st, now, out);
    } else if (rc != APP_E_NOTFOUND) {
        goto done;
    }
    db_finalize(st);
    st = NULL;
    /* committed even when there is nothing to claim: the runs given up stay failed */
    if ((crc = db_commit(db)))
        rc = crc;
    if (rc == APP_OK && out->attempt > 1)
        log_warn("msg=\"analysis taken over: its lease expired\" run=%lld attempt=%lld",
                 (long long)out->run, (long long)out->attempt);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_analysis_claim_run(struct db *db, int64_t run, struct listen_run_lease *out)
{
    struct db_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    int crc, rc = db_begin(db);
    if (rc)
        return rc;
    /* as listen_analysis_claim: a run past its last attempt fails rather than run again */
    rc = db_run(db, SQL_LA_GIVE_UP, "iiti", now, (int64_t)LISTEN_ANALYSIS_ATTEMPTS, REASON_STOPPED,
                (int64_t)0);
    if (!rc)
        rc = db_row(db, SQL_LA_CLAIM_ID, &st, "iiii", now, now + LISTEN_ANALYSIS_LEASE,
                    (int64_t)LISTEN_ANALYSIS_ATTEMPTS, run);
    if (rc == APP_OK) {
        read_lease(st, now, out);
    } else if (rc != APP_E_NOTFOUND) {
        goto done;
    }
    db_finalize(st);
    st = NULL;
    if ((crc = db_commit(db)))
        rc = crc;
done:
    db_finalize(st);
    if (rc && rc != APP_E_NOTFOUND)
        db_rollback(db);
    return rc;
}

int listen_analysis_renew(struct db *db, struct listen_run_lease *l)
{
    int64_t now = (int64_t)time(NULL);
    int rc = db_run(db, SQL_LA_RENEW, "iii", l->run, l->attempt, now + LISTEN_ANALYSIS_LEASE);
    if (!rc && db_changes(db) != 1)
        rc = APP_E_CONFLICT;
    if (!rc)
        l->renewed_at = now;
    return rc;
}

/* Why an analysis failed, for the facilitator (the code itself goes to the log). */
static const char *failure_reason(int rc)
{
    switch (rc) {
    case APP_E_NOMEM:
        return "The server ran out of memory during the analysis.";
    case APP_E_DB:
    case APP_E_IO:
        return "The analysis could not read the contributions and votes from the database.";
    case APP_E_INVALID:
        return "The shown contributions have too little text to find themes in.";
    default:
        return "The analysis stopped on an internal error, which has been logged.";
    }
}

/* Writes who the run placed in which group (listen_analysis_groups), inside the transaction
 * that finishes the run. Rows an earlier attempt might have left are cleared first, though
 * none can commit without finishing the run: the finish and these rows commit together. */
static int write_groups(struct db *db, int64_t run, const struct listen_opinion *op)
{
    struct db_stmt *st = NULL;
    int rc = db_run(db, SQL_LAG_DELETE, "i", run);
    if (rc || !op || !op->ngrouped)
        return rc;
    if ((rc = db_prepare(db, SQL_LAG_INSERT, &st)))
        return rc;
    for (size_t i = 0; i < op->ngrouped && !rc; i++) {
        db_reset(st);
        if ((rc = db_bind_int(st, 1, run)) ||
            (rc = db_bind_int(st, 2, op->grouped[i].participant_id)) ||
            (rc = db_bind_int(st, 3, op->grouped[i].group_no)))
            break;
        rc = db_step(st);
        rc = rc == DB_DONE ? APP_OK : rc;
    }
    db_finalize(st);
    return rc;
}

int listen_analysis_execute(struct db *db, struct listen_run_lease *l)
{
    int64_t nc = 0, nv = 0;
    struct arena *a = arena_new();
    struct listen_analysis result;
    json_t *doc = NULL;
    struct buf text = BUF_INIT;
    time_t t0 = time(NULL);
    int arc, rc;
    l->lost = APP_OK;
    arc = a ? analyse(db, a, l, &result, &nc, &nv) : APP_E_NOMEM;
    if (l->lost) {
        log_warn("msg=\"analysis abandoned: its lease could not be renewed\" run=%lld err=%s",
                 (long long)l->run, app_err_name(arc));
        rc = arc;
        goto done;
    }
    if (!arc && (listen_analysis_json(&result, &doc) ||
                 json_dump_callback(doc, buf_append_cb, &text, JSON_COMPACT) || buf_oom(&text)))
        arc = APP_E_NOMEM;
    if (arc)
        log_error("msg=\"analysis failed\" run=%lld err=%s", (long long)l->run, app_err_name(arc));
    /* The result and the groups it placed people in land together, or neither does. */
    if ((rc = db_begin(db)))
        goto done;
    rc = db_run(db, SQL_LA_FINISH, "itiittii", l->run,
                listen_run_status_name(arc ? LISTEN_RUN_FAILED : LISTEN_RUN_DONE), nc, nv,
                !arc && text.data ? text.data : "", arc ? failure_reason(arc) : "",
                (int64_t)time(NULL), l->attempt);
    /* Taken over while we ran: the result is the new holder's to write. */
    if (!rc && db_changes(db) != 1) {
        db_rollback(db);
        rc = l->lost = APP_E_CONFLICT;
        log_warn("msg=\"analysis result dropped: the run was taken over\" run=%lld attempt=%lld",
                 (long long)l->run, (long long)l->attempt);
        goto done;
    }
    if (!rc)
        rc = write_groups(db, l->run, arc ? NULL : result.opinion);
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        goto done;
    }
    log_info("msg=\"analysis finished\" run=%lld attempt=%lld status=%s seconds=%lld",
             (long long)l->run, (long long)l->attempt,
             listen_run_status_name(arc ? LISTEN_RUN_FAILED : LISTEN_RUN_DONE),
             (long long)(time(NULL) - t0));
done:
    buf_free(&text);
    json_decref(doc);
    arena_free(a);
    return rc;
}

int listen_analysis_run_next(struct db *db, bool *ran)
{
    struct listen_run_lease l;
    int rc = listen_analysis_claim(db, &l);
    *ran = false;
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    if (rc)
        return rc;
    *ran = true;
    rc = listen_analysis_execute(db, &l);
    /* logged by listen_analysis_execute; the run goes on with whoever took it over */
    return rc == APP_E_CONFLICT ? APP_OK : rc;
}

int listen_analysis_latest(struct db *db, struct arena *a, int64_t exercise_id,
                           struct listen_analysis_latest *out)
{
    struct db_stmt *st = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    rc = db_row(db, SQL_LA_LATEST, &st, "i", exercise_id);
    if (rc == APP_OK) {
        int prc;
        out->run = db_col_int(st, 0);
        out->contributions = db_col_int(st, 3);
        out->votes = db_col_int(st, 4);
        out->finished_at = db_col_int(st, 7);
        if (!(out->result = arena_calloc(a, 1, sizeof *out->result))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        prc = listen_analysis_parse(a, db_col_text(st, 5), db_col_len(st, 5), out->result);
        if (prc == APP_E_NOMEM) {
            rc = prc;
            goto done;
        }
        if (prc) {
            log_warn("msg=\"analysis result does not read\" run=%lld", (long long)out->run);
            out->result = NULL;
        }
    } else if (rc != APP_E_NOTFOUND) {
        goto done;
    }
    db_finalize(st);
    st = NULL;
    rc = db_row(db, SQL_LA_PENDING, &st, "i", exercise_id);
    if (rc == APP_OK) {
        enum listen_run_status stored = LISTEN_RUN_QUEUED;
        listen_run_status_parse(db_col_text(st, 0), &stored);
        out->pending = true;
        out->pending_status =
            listen_run_status_seen(stored, db_col_int(st, 1), (int64_t)time(NULL));
        out->restarting = out->pending_status != stored;
    }
    if (rc == APP_E_NOTFOUND)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}
