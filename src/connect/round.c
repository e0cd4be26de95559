/* round.c: matching rounds — a programme lead's run over a cohort, rematches after a
 * decline, and what the lead sees afterwards (who is unmatched and why, shares matched)
 *
 * A run reads the opted-in profiles of the cohort's members once, in one transaction with
 * everything it writes, so a profile saved meanwhile is either wholly in the run or not.
 * Mentees look for the round's kind; mentors offer it, take at least one mentee and meet the
 * round's eligibility (a band at least the minimum; for coaching, accreditation when asked):
 * a mentor who does not is kept with no places and the reason, so the lead can see why.
 * Conflicts count in both directions. Each mentee keeps their best CONNECT_CANDIDATES allowed
 * pairs (score, then the lower user id), and match_solve() finds the assignment with the
 * largest total exactly. The candidates are stored with their explanation, so a rematch or a
 * self-select choice works from what the run saw, not from profiles changed since.
 */
#include "connect/mentoring.h"
#include "connect/mentoring_int.h"
#include "account/account.h"
#include "account/cohort.h"
#include "connect/match.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"
#include "text/disclosure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- reading rounds ---- */

static int round_row(struct db_stmt *st, struct arena *a, struct connect_round *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(st, 0);
    r->cohort_id = db_col_int(st, 2);
    r->min_mentor_band = (int)db_col_int(st, 5);
    r->need_accreditation = db_col_int(st, 6) != 0;
    r->self_select = db_col_int(st, 7) != 0;
    r->created_by = db_col_int(st, 8);
    r->created_at = db_col_int(st, 9);
    r->run_at = db_col_int(st, 10);
    r->total = db_col_int(st, 11);
    r->mentees = db_col_int(st, 12);
    r->mentors = db_col_int(st, 13);
    r->proposed = db_col_int(st, 14);
    r->accepted = db_col_int(st, 15);
    r->declined = db_col_int(st, 16);
    r->unmatched = r->mentees - r->proposed - r->accepted;
    if (r->unmatched < 0)
        r->unmatched = 0;
    if (!(r->name = arena_strdup(a, db_col_text(st, 1))) ||
        !(r->cohort_name = arena_strdup(a, db_col_text(st, 3))) ||
        !(r->kind = arena_strdup(a, db_col_text(st, 4))))
        return APP_E_NOMEM;
    return APP_OK;
}

int connect_round_get(struct db *db, struct arena *a, int64_t id, struct connect_round *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CR_GET, &st, "i", id);
    if (!rc)
        rc = round_row(st, a, out);
    db_finalize(st);
    return rc;
}

int connect_round_list(struct db *db, struct arena *a, struct connect_round **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CR_LIST, &st, "");
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)))
            rc = APP_E_NOMEM;
        else if (!(rc = round_row(st, a, &(*out)[*n])))
            (*n)++;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

int connect_rounds_to_choose(struct db *db, struct arena *a, int64_t user_id,
                             struct connect_round **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CR_TO_CHOOSE, &st, "i", user_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)))
            rc = APP_E_NOMEM;
        else if (!(rc = round_row(st, a, &(*out)[*n])))
            (*n)++;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

int connect_round_create(struct db *db, struct arena *a, int64_t actor,
                         const struct connect_round *in, int64_t now, int64_t *id,
                         struct connect_field_error **errs, size_t *nerrs)
{
    struct cohort co;
    bool oom = false;
    int rc;
    *errs = NULL;
    *nerrs = 0;
    if (!connect_text_ok(in->name, CONNECT_NAME_MAX))
        oom |= !connect_err_add(a, errs, nerrs, "name",
                                "Enter a name for the round, up to 120 characters");
    if (!in->kind || (strcmp(in->kind, "mentoring") && strcmp(in->kind, "coaching")))
        oom |= !connect_err_add(a, errs, nerrs, "kind", "Choose mentoring or coaching");
    if (in->min_mentor_band < 0 || in->min_mentor_band > 12)
        oom |= !connect_err_add(a, errs, nerrs, "min_band", "Choose a band from the list");
    rc = in->cohort_id > 0 ? account_cohort_get(db, a, in->cohort_id, &co) : APP_E_NOTFOUND;
    if (rc == APP_E_NOTFOUND)
        oom |= !connect_err_add(a, errs, nerrs, "cohort", "Choose a cohort from the list");
    else if (rc)
        return rc;
    if (oom)
        return APP_E_NOMEM;
    if (*nerrs)
        return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    rc = db_run_int(db, SQL_CR_INSERT, id, "tittiiiii", in->name, in->cohort_id, co.name, in->kind,
                    (int64_t)in->min_mentor_band, (int64_t)in->need_accreditation,
                    (int64_t)in->self_select, actor, now);
    if (!rc)
        rc = account_audit(db, "connect_round_created", actor, 0, in->name);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

/* ---- running ---- */

/* One opted-in member of the cohort as the run reads them. */
struct person {
    int64_t id;
    struct score_person sp;
    const char *offers_raw, *seeks_raw, *seeks_kind, *band_code;
    bool mentoring, coaching, accredited;
    int64_t max_mentees;
    const char *reason; /* a mentee with no allowed pair: why */
    const char **excl;  /* for a mentor: mentee ids (text) kept apart */
    size_t nexcl, excap;
};

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static struct person *find_person(struct person *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].id == id)
            return &v[mid];
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Area codes to their names, which the explanation quotes. */
static int area_names(struct arena *a, const struct connect_area *areas, size_t nareas,
                      const char *raw, const char ***out, size_t *n)
{
    int rc = connect_split(a, raw, out, n);
    for (size_t i = 0; !rc && i < *n; i++)
        (*out)[i] = connect_area_name(areas, nareas, (*out)[i]);
    return rc;
}

static int read_people(struct db *db, struct arena *a, int64_t cohort,
                       const struct connect_area *areas, size_t nareas, struct person **out,
                       size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CR_COHORT_PROFILES, &st, "i", cohort);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct person *p;
        const char *pref;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        p = &(*out)[*n];
        memset(p, 0, sizeof *p);
        p->id = db_col_int(st, 0);
        p->mentoring = db_col_int(st, 6) != 0;
        p->coaching = db_col_int(st, 7) != 0;
        p->accredited = db_col_int(st, 8) != 0;
        p->max_mentees = db_col_int(st, 12);
        p->sp.outside_org = db_col_int(st, 14) != 0;
        p->sp.hours = (int)db_col_int(st, 15);
        pref = db_col_text(st, 13);
        p->sp.pref = !strcmp(pref, "other")  ? SCORE_PREF_OTHER
                     : !strcmp(pref, "same") ? SCORE_PREF_SAME
                                             : SCORE_PREF_ANY;
        p->sp.band = score_band(db_col_text(st, 5));
        rc = APP_E_NOMEM;
        if (!(p->sp.id = arena_printf(a, "%lld", (long long)p->id)) ||
            !(p->sp.name = arena_strdup(a, db_col_text(st, 1))) ||
            !(p->sp.profession = arena_strdup(a, db_col_text(st, 2))) ||
            !(p->sp.region = arena_strdup(a, db_col_text(st, 3))) ||
            !(p->sp.organisation = arena_strdup(a, db_col_text(st, 4))) ||
            !(p->band_code = arena_strdup(a, db_col_text(st, 5))) ||
            !(p->offers_raw = arena_strdup(a, db_col_text(st, 9))) ||
            !(p->seeks_kind = arena_strdup(a, db_col_text(st, 10))) ||
            !(p->seeks_raw = arena_strdup(a, db_col_text(st, 11))))
            break;
        rc = APP_OK;
        (*n)++;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    (void)areas;
    (void)nareas;
    return rc;
}

static int add_excl(struct arena *a, struct person *mentor, const char *mentee_id)
{
    if (!(mentor->excl =
              arena_grow(a, mentor->excl, mentor->nexcl + 1, &mentor->excap, sizeof *mentor->excl)))
        return APP_E_NOMEM;
    mentor->excl[mentor->nexcl++] = mentee_id;
    return APP_OK;
}

/* A candidate pair while the run builds them. */
struct cand {
    uint32_t mentor; /* index into the mentors */
    int64_t score;
};

static struct person *const *sort_mentors; /* for cmp_cand: set just before qsort */

static int cmp_cand(const void *x, const void *y)
{
    const struct cand *p = x, *q = y;
    if (p->score != q->score)
        return p->score > q->score ? -1 : 1;
    return cmp_i64(&sort_mentors[p->mentor]->id, &sort_mentors[q->mentor]->id);
}

/* What a round of kind calls its two sides, for the reasons it stores: a coaching round's
 * lead and members read "coach" and "coachee" everywhere else (connect_page_side). */
struct side_words {
    const char *one, *many, *takers;
};

static const struct side_words *side_words(const char *kind)
{
    static const struct side_words mentoring = {"mentor", "mentors", "mentees"},
                                   coaching = {"coach", "coaches", "coachees"};
    return kind && !strcmp(kind, "coaching") ? &coaching : &mentoring;
}

/* Why a mentee with no allowed pair has none, from the counts of the rules that stopped
 * each mentor. */
static const char *no_pair_text(struct arena *a, const char *kind, size_t nmentors,
                                const size_t *rules)
{
    const struct side_words *w = side_words(kind);
    struct buf b;
    const char *sep = ": ";
    char *s;
    if (!nmentors)
        return arena_printf(a, "No eligible %s: the round has no %s who may take anyone", w->one,
                            w->one);
    buf_init(&b);
    buf_printf(&b, "No eligible %s", w->one);
    if (rules[SCORE_NO_GOAL]) {
        buf_printf(&b, "%s%zu offer none of their goals", sep, rules[SCORE_NO_GOAL]);
        sep = "; ";
    }
    if (rules[SCORE_BAND]) {
        buf_printf(&b, "%s%zu at a band that may not %s theirs", sep, rules[SCORE_BAND], w->one);
        sep = "; ";
    }
    /* Mentors left out by the mentee's or their own "must not be matched with" list are not
     * counted here: with few mentors the lead could tell whom a member named on a private
     * list. */
    s = buf_oom(&b) ? NULL : arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return s;
}

/* The solver's reason for one left unmatched, in the words of a round of kind (match.c's
 * are the command line's, which is about mentors only). */
static const char *reason_text(struct arena *a, const char *kind, enum match_reason why)
{
    const struct side_words *w = side_words(kind);
    switch (why) {
    case MATCH_MENTORS_FULL:
        return arena_printf(a,
                            "Capacity: every %s who suits them is full with %s who score at "
                            "least as well",
                            w->one, w->takers);
    case MATCH_NO_PAIR:
        return arena_printf(a, "No eligible %s", w->one);
    case MATCH_NO_POSITIVE:
        return arena_printf(a, "No eligible %s scores above zero", w->one);
    default:
        return match_reason_text(why);
    }
}

static bool is_mentor(const struct person *p, const struct connect_round *r)
{
    bool offers = !strcmp(r->kind, "coaching") ? p->coaching : p->mentoring;
    return offers && p->sp.nareas > 0;
}

/* Why an offering mentor takes no one in this round ("" when they may). */
static const char *ineligible(const struct person *p, const struct connect_round *r)
{
    if (p->max_mentees <= 0)
        return !strcmp(r->kind, "coaching") ? "Takes no coachees" : "Takes no mentees";
    if (r->min_mentor_band && p->sp.band < r->min_mentor_band)
        return "Not eligible: band below the round's minimum";
    if (r->need_accreditation && !strcmp(r->kind, "coaching") && !p->accredited)
        return "Not eligible: coaching in this round needs accreditation";
    return "";
}

int connect_round_run(struct db *db, struct arena *a, int64_t actor, int64_t id, int64_t now)
{
    struct connect_round r;
    struct connect_area *areas = NULL;
    struct person *people = NULL;
    struct person **mentees = NULL, **mentors = NULL;
    const char **mentor_why = NULL;
    struct match_pair *pairs = NULL;
    uint32_t *capacity = NULL;
    struct cand *cands = NULL;
    size_t nareas = 0, npeople = 0, ne = 0, nm = 0, npairs = 0, pcap = 0;
    size_t *rules = NULL;
    struct match_result res;
    struct db_stmt *st = NULL;
    struct buf why;
    int rc;

    memset(&res, 0, sizeof res);
    buf_init(&why);
    if ((rc = connect_areas(db, a, &areas, &nareas)) || (rc = db_begin(db)))
        return rc;
    if ((rc = connect_round_get(db, a, id, &r)))
        goto done;
    if (r.run_at) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    if (!r.cohort_id) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = read_people(db, a, r.cohort_id, areas, nareas, &people, &npeople)))
        goto done;
    rc = APP_E_NOMEM;
    if (npeople && (!(mentees = arena_calloc(a, npeople, sizeof *mentees)) ||
                    !(mentors = arena_calloc(a, npeople, sizeof *mentors)) ||
                    !(mentor_why = arena_calloc(a, npeople, sizeof *mentor_why)) ||
                    !(capacity = arena_calloc(a, npeople, sizeof *capacity)) ||
                    !(cands = arena_calloc(a, npeople, sizeof *cands)) ||
                    !(rules = arena_calloc(a, SCORE_RULE_COUNT, sizeof *rules))))
        goto done;
    rc = APP_OK;
    /* people arrive by user id (the query's order): find_person() relies on it */
    for (size_t i = 0; i < npeople; i++) {
        struct person *p = &people[i];
        bool seeks = !strcmp(p->seeks_kind, r.kind);
        /* a mentee's areas are their goals; a mentor's what they offer */
        if (seeks && (rc = area_names(a, areas, nareas, p->seeks_raw, &p->sp.areas, &p->sp.nareas)))
            goto done;
        if (seeks && p->sp.nareas)
            mentees[ne++] = p;
    }
    /* Mentors are read into a second person view: someone may be both a mentee and a
     * mentor in one round (never with themselves: score_pair refuses the same id). */
    {
        struct person *mv = arena_calloc(a, npeople ? npeople : 1, sizeof *mv);
        if (!mv) {
            rc = APP_E_NOMEM;
            goto done;
        }
        for (size_t i = 0; i < npeople; i++) {
            struct person *p = &mv[nm];
            *p = people[i];
            p->excl = NULL;
            p->nexcl = p->excap = 0;
            if ((rc = area_names(a, areas, nareas, p->offers_raw, &p->sp.areas, &p->sp.nareas)))
                goto done;
            if (!is_mentor(p, &r))
                continue;
            mentor_why[nm] = ineligible(p, &r);
            capacity[nm] = *mentor_why[nm] ? 0 : (uint32_t)p->max_mentees;
            mentors[nm] = p;
            nm++;
        }
        /* conflicts, both directions: (u named x) keeps u and x apart whichever is mentor */
        if ((rc = db_prepare_bind(db, SQL_CR_COHORT_EXCLUSIONS, &st, "i", r.cohort_id)))
            goto done;
        while ((rc = db_step(st)) == DB_ROW) {
            int64_t u = db_col_int(st, 0), x = db_col_int(st, 1);
            struct person *mu = find_person(mv, nm, u), *mx = find_person(mv, nm, x);
            if (mu && (rc = add_excl(a, mu, arena_printf(a, "%lld", (long long)x))))
                goto done;
            if (mx && (rc = add_excl(a, mx, arena_printf(a, "%lld", (long long)u))))
                goto done;
        }
        if (rc != DB_DONE)
            goto done;
        rc = APP_OK;
        db_finalize(st);
        st = NULL;
        for (size_t j = 0; j < nm; j++) {
            mv[j].sp.excludes = mv[j].excl;
            mv[j].sp.nexcludes = mv[j].nexcl;
            mv[j].sp.capacity = capacity[j];
        }
    }
    /* candidates: every allowed pair with a mentor who takes anyone, the best kept */
    sort_mentors = mentors;
    for (size_t i = 0; i < ne; i++) {
        size_t nc = 0;
        memset(rules, 0, SCORE_RULE_COUNT * sizeof *rules);
        for (size_t j = 0; j < nm; j++) {
            int64_t s = 0;
            enum score_rule rule;
            if (!capacity[j])
                continue;
            rule = score_pair(&mentees[i]->sp, &mentors[j]->sp, &s);
            if (rule == SCORE_ALLOWED && s > 0)
                cands[nc++] = (struct cand){(uint32_t)j, s};
            else if (rule != SCORE_SAME_PERSON)
                rules[rule]++;
        }
        if (nc > 1)
            qsort(cands, nc, sizeof *cands, cmp_cand);
        if (nc > CONNECT_CANDIDATES)
            nc = CONNECT_CANDIDATES;
        for (size_t k = 0; k < nc; k++) {
            if (!(pairs = arena_grow(a, pairs, npairs + 1, &pcap, sizeof *pairs))) {
                rc = APP_E_NOMEM;
                goto done;
            }
            pairs[npairs++] = (struct match_pair){(uint32_t)i, cands[k].mentor, cands[k].score};
        }
        if (!nc) { /* remember why now, while the rule counts are at hand */
            const char *t = no_pair_text(a, r.kind, nm, rules);
            if (!t) {
                rc = APP_E_NOMEM;
                goto done;
            }
            mentees[i]->reason = t;
        }
    }
    {
        struct match_problem prob = {ne, nm, capacity, pairs, npairs};
        if ((rc = match_solve(&prob, &res)))
            goto done;
    }
    /* store: the people, the candidates with their explanation, the matches */
    for (size_t i = 0; i < ne; i++) {
        const char *reason = "";
        if (res.mentor[i] < 0)
            reason =
                mentees[i]->reason ? mentees[i]->reason : reason_text(a, r.kind, res.reason[i]);
        if ((rc = db_run(db, SQL_CR_PERSON_INSERT, "iitittt", id, mentees[i]->id, "mentee",
                         (int64_t)0, mentees[i]->sp.profession, mentees[i]->sp.region, reason)))
            goto done;
    }
    for (size_t j = 0; j < nm; j++)
        if ((rc = db_run(db, SQL_CR_PERSON_INSERT, "iitittt", id, mentors[j]->id, "mentor",
                         (int64_t)capacity[j], mentors[j]->sp.profession, mentors[j]->sp.region,
                         mentor_why[j])))
            goto done;
    for (size_t k = 0; k < npairs; k++) {
        const struct person *e = mentees[pairs[k].mentee], *o = mentors[pairs[k].mentor];
        buf_reset(&why);
        score_why(&e->sp, &o->sp, &why);
        if (buf_oom(&why)) {
            rc = APP_E_NOMEM;
            goto done;
        }
        buf_putc(&why, '\0');
        if ((rc = db_run(db, SQL_CR_CANDIDATE_INSERT, "iiiit", id, e->id, o->id, pairs[k].score,
                         why.data)))
            goto done;
        if (res.mentor[pairs[k].mentee] == (int32_t)pairs[k].mentor &&
            (rc = db_run(db, SQL_CR_MATCH_INSERT, "iiiitti", id, e->id, o->id, pairs[k].score,
                         why.data, "", now)))
            goto done;
    }
    if ((rc = db_run(db, SQL_CR_MARK_RUN, "iii", id, now, res.total)))
        goto done;
    rc = account_audit(db, "connect_round_run", actor, 0,
                       arena_printf(a, "%s: %zu of %zu mentees matched", r.name, res.matched, ne));
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    match_result_free(&res);
    buf_free(&why);
    return rc;
}

/* ---- rematching ---- */

enum { HAD_CANDIDATE = 1, HAD_DECLINE = 2 };

struct rcand {
    int64_t mentee, mentor, score;
    const char *why;
};

static ssize_t index_of(const int64_t *v, size_t n, int64_t id)
{
    const int64_t *p = bsearch(&id, v, n, sizeof *v, cmp_i64);
    return p ? p - v : -1;
}

int connect_round_rematch(struct db *db, struct arena *a, int64_t round_id, int64_t now,
                          size_t *made)
{
    struct db_stmt *st = NULL;
    int64_t *mentee_ids = NULL, *mentor_ids = NULL;
    uint32_t *spare = NULL;
    unsigned char *state = NULL; /* per mentee: HAD_CANDIDATE, HAD_DECLINE */
    bool *active = NULL;
    struct rcand *c = NULL;
    struct match_pair *pairs = NULL;
    size_t ne = 0, nm = 0, nc = 0, np = 0, ecap = 0, mcap = 0, scap = 0, ccap = 0;
    struct match_result res;
    struct connect_round round;
    const char *kind;
    int rc;

    memset(&res, 0, sizeof res);
    *made = 0;
    if ((rc = connect_round_get(db, a, round_id, &round)))
        return rc;
    kind = round.kind;
    /* people, by user id within each side (the query's order) */
    if ((rc = db_prepare_bind(db, SQL_CR_PEOPLE, &st, "i", round_id)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        bool mentee = !strcmp(db_col_text(st, 1), "mentee");
        int64_t uid = db_col_int(st, 0);
        if (mentee) {
            if (!(mentee_ids = arena_grow(a, mentee_ids, ne + 1, &ecap, sizeof *mentee_ids)))
                goto nomem;
            mentee_ids[ne++] = uid;
        } else {
            if (!(mentor_ids = arena_grow(a, mentor_ids, nm + 1, &mcap, sizeof *mentor_ids)) ||
                !(spare = arena_grow(a, spare, nm + 1, &scap, sizeof *spare)))
                goto nomem;
            spare[nm] = (uint32_t)db_col_int(st, 2);
            mentor_ids[nm++] = uid;
        }
    }
    if (rc != DB_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    if (!ne)
        return APP_OK;
    if (!(active = arena_calloc(a, ne, sizeof *active)) ||
        !(state = arena_calloc(a, ne, sizeof *state)))
        goto nomem;
    /* active matches take places; every pair ever proposed is never proposed again */
    if ((rc = db_prepare_bind(db, SQL_CR_ACTIVE, &st, "i", round_id)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        ssize_t e = index_of(mentee_ids, ne, db_col_int(st, 0));
        ssize_t m = index_of(mentor_ids, nm, db_col_int(st, 1));
        if (e >= 0)
            active[e] = true;
        if (m >= 0 && spare[m])
            spare[m]--;
    }
    if (rc != DB_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    if ((rc = db_prepare_bind(db, SQL_CR_CANDIDATES, &st, "i", round_id)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        ssize_t e = index_of(mentee_ids, ne, db_col_int(st, 0));
        if (e >= 0) /* what the reason of one left unmatched says */
            state[e] |= db_col_int(st, 4) ? HAD_DECLINE : HAD_CANDIDATE;
        if (db_col_int(st, 4)) /* proposed before: declined or replaced */
            continue;
        if (!(c = arena_grow(a, c, nc + 1, &ccap, sizeof *c)))
            goto nomem;
        c[nc].mentee = db_col_int(st, 0);
        c[nc].mentor = db_col_int(st, 1);
        c[nc].score = db_col_int(st, 2);
        if (!(c[nc].why = arena_strdup(a, db_col_text(st, 3))))
            goto nomem;
        nc++;
    }
    if (rc != DB_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    if (nc && !(pairs = arena_calloc(a, nc, sizeof *pairs)))
        goto nomem;
    for (size_t k = 0; k < nc; k++) {
        ssize_t e = index_of(mentee_ids, ne, c[k].mentee),
                m = index_of(mentor_ids, nm, c[k].mentor);
        if (e < 0 || m < 0 || active[e] || !spare[m])
            continue;
        pairs[np++] = (struct match_pair){(uint32_t)e, (uint32_t)m, c[k].score};
    }
    {
        struct match_problem prob = {ne, nm, spare, pairs, np};
        if ((rc = match_solve(&prob, &res)))
            goto done;
    }
    for (size_t k = 0; k < nc; k++) {
        ssize_t e = index_of(mentee_ids, ne, c[k].mentee),
                m = index_of(mentor_ids, nm, c[k].mentor);
        if (e < 0 || m < 0 || active[e] || res.mentor[e] != (int32_t)m)
            continue;
        if ((rc = db_run(db, SQL_CR_MATCH_INSERT, "iiiitti", round_id, c[k].mentee, c[k].mentor,
                         c[k].score, c[k].why, "", now)) ||
            (rc = db_run(db, SQL_CR_SET_REASON, "iit", round_id, c[k].mentee, "")))
            goto done;
        (*made)++;
    }
    for (size_t e = 0; e < ne; e++) {
        const char *why;
        if (active[e] || res.mentor[e] >= 0)
            continue;
        /* the first run's reason stays for one who never had a candidate */
        why = state[e] & HAD_DECLINE
                  ? arena_printf(a, "Declined, and no other %s who suits them has a free place",
                                 side_words(kind)->one)
              : state[e] & HAD_CANDIDATE ? reason_text(a, kind, MATCH_MENTORS_FULL)
                                         : NULL;
        if (why && (rc = db_run(db, SQL_CR_SET_REASON, "iit", round_id, mentee_ids[e], why)))
            goto done;
    }
    rc = APP_OK;
    goto done;
nomem:
    rc = APP_E_NOMEM;
done:
    db_finalize(st);
    match_result_free(&res);
    return rc;
}

/* ---- what the lead sees ---- */

static int people_rows(struct db *db, struct arena *a, const char *sql, int64_t round_id,
                       struct connect_round_person **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, sql, &st, "i", round_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct connect_round_person *p;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        p = &(*out)[*n];
        p->user_id = db_col_int(st, 0);
        p->capacity = db_col_int(st, 6);
        p->load = db_col_int(st, 7);
        if (!(p->display_name = arena_strdup(a, db_col_text(st, 1))) ||
            !(p->email = arena_strdup(a, db_col_text(st, 2))) ||
            !(p->profession = arena_strdup(a, db_col_text(st, 3))) ||
            !(p->region = arena_strdup(a, db_col_text(st, 4))) ||
            !(p->reason = arena_strdup(a, db_col_text(st, 5)))) {
            rc = APP_E_NOMEM;
            break;
        }
        p->side = sql == SQL_CR_MENTORS ? "mentor" : "mentee";
        (*n)++;
        rc = APP_OK;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

int connect_round_unmatched(struct db *db, struct arena *a, int64_t round_id,
                            struct connect_round_person **out, size_t *n)
{
    return people_rows(db, a, SQL_CR_UNMATCHED, round_id, out, n);
}

int connect_round_mentors(struct db *db, struct arena *a, int64_t round_id,
                          struct connect_round_person **out, size_t *n)
{
    return people_rows(db, a, SQL_CR_MENTORS, round_id, out, n);
}

int connect_round_shares(struct db *db, struct arena *a, int64_t round_id, bool by_region,
                         struct connect_share **out, size_t *n)
{
    const struct ref_item *items = by_region ? regions : professions;
    size_t nitems = by_region ? regions_count : professions_count, ng = nitems + 1;
    uint32_t *total = arena_calloc(a, ng, sizeof *total), *matched;
    struct disclosure_cell *tcell, *mcell;
    uint32_t threshold = disclosure_threshold(NULL);
    struct db_stmt *st = NULL;
    int rc;
    *out = NULL;
    *n = 0;
    matched = arena_calloc(a, ng, sizeof *matched);
    tcell = arena_calloc(a, ng, sizeof *tcell);
    mcell = arena_calloc(a, ng, sizeof *mcell);
    if (!total || !matched || !tcell || !mcell)
        return APP_E_NOMEM;
    if ((rc = db_prepare_bind(db, SQL_CR_SHARES, &st, "i", round_id)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *code = db_col_text(st, by_region ? 1 : 0);
        size_t g = nitems; /* "not given" */
        for (size_t i = 0; i < nitems; i++)
            if (!strcmp(items[i].code, code))
                g = i;
        total[g]++;
        matched[g] += db_col_int(st, 2) > 0;
    }
    if (rc != DB_DONE)
        goto done;
    /* the disclosure rule over each published column: small cells hidden, a second one
     * where a total would give a hidden one away, the rest rounded to 5 */
    if ((rc = disclosure_breakdown(ng, total, NULL, tcell, NULL)) ||
        (rc = disclosure_breakdown(ng, matched, NULL, mcell, NULL)))
        goto done;
    if (!(*out = arena_calloc(a, ng, sizeof **out))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t g = 0; g < ng; g++) {
        struct connect_share *s = &(*out)[*n];
        char t[DISCLOSURE_TEXT_MAX], m[DISCLOSURE_TEXT_MAX];
        uint32_t unmatched = total[g] - matched[g];
        if (!total[g])
            continue;
        s->code = g < nitems ? items[g].code : "";
        s->name = g < nitems ? items[g].name : "Not given";
        if (disclosure_format(&tcell[g], t, sizeof t) ||
            disclosure_format(&mcell[g], m, sizeof m) || !(s->mentees = arena_strdup(a, t)) ||
            !(s->matched = arena_strdup(a, m))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        /* a share would give away a small matched or unmatched count: only when neither is */
        s->share_shown = tcell[g].shown && mcell[g].shown &&
                         (matched[g] == 0 || matched[g] > threshold) &&
                         (unmatched == 0 || unmatched > threshold);
        s->percent = s->share_shown ? (int)lround(100.0 * matched[g] / total[g]) : 0;
        (*n)++;
    }
    rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}
