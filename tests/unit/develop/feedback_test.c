/* feedback_test.c: the privacy rules of 360° feedback (src/develop/feedback.c) and the
 * guarantees of its tables (src/develop/feedback_db.c)
 *
 *  - a property test over thousands of random mixes of raters, groups, ratings (some left
 *    out or "not seen") and comments: no figure or text shown comes from a group of fewer
 *    than 3 (the line manager apart), no shown figure together with the others shown gives
 *    away the answers of 1 or 2 people, and domain figures come only from figures shown;
 *  - hand-made cases, the demonstration's mix among them, with the cells they must show;
 *  - a property test over random sequences of saving, submitting and closing at random
 *    times: an answer is accepted exactly while the request is open, and nothing after;
 *  - the demonstration: a closed request whose report has a manager, peers, "all raters"
 *    (the others and direct reports folded), a blind spot and hidden strengths, and an open
 *    one that shows nothing yet;
 *  - the schema test: once used, nothing in the feedback tables holds the rater's address,
 *    and the answer tables have no column and no foreign key that leads to an invitation;
 *  - a submission through a link answered already makes the same database calls as a first
 *    one (so it takes as long) and leaves nothing of itself behind;
 *  - one browser saving on two links at once cannot keep drafts on more links than its cap
 *    (PostgreSQL, two connections held at a lock; skipped on SQLite, which has one writer).
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "account/links.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "develop/demo.h"
#include "develop/feedback.h"
#include "develop/self.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;

/* ---- a small framework for the pure tests: 3 domains of 3, 4 levels, "no chance" ---- */
static struct develop_point points[4] = {{"One", "1"}, {"Two", "2"}, {"Three", "3"}, {"Four", "4"}};
static struct develop_behaviour beh[9] = {{"a1", "A1"}, {"a2", "A2"}, {"a3", "A3"},
                                          {"b1", "B1"}, {"b2", "B2"}, {"b3", "B3"},
                                          {"c1", "C1"}, {"c2", "C2"}, {"c3", "C3"}};
static struct develop_domain doms[3] = {
    {"a", "A", "", beh, 3, 0}, {"b", "B", "", beh + 3, 3, 3}, {"c", "C", "", beh + 6, 3, 6}};
static struct develop_framework fw3 = {0,   "t",  1, "T", "", "", {DSK_LEVELS, points, 4, "none"},
                                       {0}, doms, 3, 9};

#define NB   9
#define MAXR 24

struct mix {
    size_t n;
    struct feedback_response r[MAXR];
    int ratings[MAXR][NB];
    char strengths[MAXR][16], differently[MAXR][16];
    struct develop_answer self[NB];
};

static void random_mix(struct rng *g, struct mix *m)
{
    int counts[FG_COUNT];
    counts[FG_MANAGER] = (int)rng_below(g, 3);
    for (int k = FG_PEER; k < FG_COUNT; k++)
        counts[k] = (int)rng_below(g, 6);
    m->n = 0;
    for (int k = 0; k < FG_COUNT; k++)
        for (int i = 0; i < counts[k]; i++) {
            size_t j = m->n++;
            for (int b = 0; b < NB; b++) {
                uint64_t x = rng_below(g, 10);
                m->ratings[j][b] = x < 2   ? DEVELOP_NOT_RATED
                                   : x < 3 ? DEVELOP_NO_CHANCE
                                           : 1 + (int)rng_below(g, 4);
            }
            snprintf(m->strengths[j], sizeof m->strengths[j], "s%zu", j);
            snprintf(m->differently[j], sizeof m->differently[j], "d%zu", j);
            m->r[j] = (struct feedback_response){(enum feedback_group)k, m->ratings[j],
                                                 rng_below(g, 4) ? m->strengths[j] : "",
                                                 rng_below(g, 3) ? m->differently[j] : ""};
        }
    /* shuffle: the order given is the text's order, and must not matter */
    for (size_t i = m->n; i > 1; i--) {
        size_t k = (size_t)rng_below(g, i);
        struct feedback_response t = m->r[i - 1];
        m->r[i - 1] = m->r[k];
        m->r[k] = t;
    }
    for (int b = 0; b < NB; b++)
        m->self[b] = (struct develop_answer){1 + (int)rng_below(g, 4), 0, ""};
}

/* Which response wrote text t ("s12" or "d12"). */
static size_t author(const struct mix *m, const char *t)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->r[i].strengths == t || m->r[i].differently == t)
            return i;
    fail_msg("text %s came from no response", t);
    return 0;
}

static void check_mix(const struct mix *m, const struct feedback_report *rep)
{
    size_t count[FG_COUNT] = {0}, fold = 0, total = m->n;
    for (size_t i = 0; i < m->n; i++)
        count[m->r[i].group]++;
    for (int k = FG_PEER; k < FG_COUNT; k++) {
        /* rule 2: a group shown has >= 3 answers and says so */
        if (rep->cell_shown[k]) {
            assert_true(count[k] >= 3);
            assert_int_equal(rep->cell_n[k], count[k]);
            assert_false(rep->folded[k]);
        } else if (count[k]) {
            assert_true(rep->folded[k]);
            fold += count[k];
        }
    }
    /* rule 3: what "all" holds beyond the cells shown is 0 or >= 3 answers */
    if (rep->cell_shown[FC_ALL]) {
        assert_true(total >= 3);
        assert_true(fold == 0 || fold >= 3);
        assert_int_equal(rep->cell_n[FC_ALL], total);
    }
    if (rep->fold_shown)
        assert_true(fold >= 3);
    for (int b = 0; b < NB; b++) {
        int cnt[FC_COUNT] = {0}, covered = 0;
        double sum[FC_COUNT] = {0};
        for (size_t i = 0; i < m->n; i++) {
            int v = m->r[i].ratings[b];
            if (v < 1)
                continue;
            cnt[m->r[i].group]++;
            sum[m->r[i].group] += v;
            cnt[FC_ALL]++;
            sum[FC_ALL] += v;
        }
        for (int c = 0; c < FC_COUNT; c++) {
            const struct feedback_figure *f = feedback_behaviour(rep, (size_t)b, c);
            if (!f->shown) {
                assert_int_equal(f->n, 0);
                assert_true(f->mean == 0);
                continue;
            }
            /* rule 4: the cell is shown, the figure holds >= 3 ratings (the manager: 1) */
            assert_true(rep->cell_shown[c]);
            assert_true(cnt[c] >= (c == FC_MANAGER ? 1 : 3));
            assert_int_equal(f->n, cnt[c]);
            assert_true(fabs(f->mean - sum[c] / cnt[c]) < 1e-9);
            if (c != FC_ALL)
                covered += cnt[c];
        }
        /* differencing: "all" less the group figures shown is 0 or >= 3 ratings */
        if (feedback_behaviour(rep, (size_t)b, FC_ALL)->shown) {
            int hidden = cnt[FC_ALL] - covered;
            assert_true(hidden == 0 || hidden >= 3);
        }
    }
    /* rule 5: a domain figure is the mean of the behaviour figures shown, nothing else */
    for (size_t d = 0; d < 3; d++)
        for (int c = 0; c < FC_COUNT; c++) {
            double s = 0;
            int k = 0;
            for (size_t i = 0; i < 3; i++) {
                const struct feedback_figure *f = feedback_behaviour(rep, d * 3 + i, c);
                if (f->shown) {
                    s += f->mean;
                    k++;
                }
            }
            assert_int_equal(feedback_domain(rep, d, c)->shown, k > 0);
            if (k)
                assert_true(fabs(feedback_domain(rep, d, c)->mean - s / k) < 1e-9);
        }
    /* rule 6: text under its group when shown, under the fold when that is >= 3 */
    {
        size_t seen = 0;
        for (int c = 0; c < FC_COUNT; c++) {
            const char **lists[2] = {rep->strengths[c], rep->differently[c]};
            size_t ns[2] = {rep->nstrengths[c], rep->ndifferently[c]};
            for (int l = 0; l < 2; l++)
                for (size_t i = 0; i < ns[l]; i++) {
                    size_t who = author(m, lists[l][i]);
                    enum feedback_group g = m->r[who].group;
                    seen++;
                    if (c == FC_ALL) {
                        assert_true(rep->folded[g]);
                        assert_true(fold >= 3);
                    } else {
                        assert_int_equal((int)g, c);
                        assert_true(g == FG_MANAGER || count[g] >= 3);
                    }
                }
        }
        /* each list in byte order on its own: neither the order answers came in nor one
         * order for both questions, which would pair a rater's two answers */
        for (int c = 0; c < FC_COUNT; c++) {
            for (size_t i = 1; i < rep->nstrengths[c]; i++)
                assert_true(strcmp(rep->strengths[c][i - 1], rep->strengths[c][i]) <= 0);
            for (size_t i = 1; i < rep->ndifferently[c]; i++)
                assert_true(strcmp(rep->differently[c][i - 1], rep->differently[c][i]) <= 0);
        }
        /* and every text that may be shown is */
        {
            size_t may = 0;
            for (size_t i = 0; i < m->n; i++) {
                enum feedback_group g = m->r[i].group;
                bool shown = rep->folded[g] ? rep->fold_shown : rep->cell_shown[g];
                may += shown * ((*m->r[i].strengths != 0) + (*m->r[i].differently != 0));
            }
            assert_int_equal(seen, may);
        }
    }
}

static void test_random_mixes_show_nothing_of_fewer_than_3(void **state)
{
    struct rng g;
    static struct mix m;
    int shown_all = 0, folded = 0;
    (void)state;
    rng_seed(&g, 360);
    for (int it = 0; it < 5000; it++) {
        struct arena *a = arena_new();
        struct feedback_report rep;
        assert_non_null(a);
        random_mix(&g, &m);
        assert_int_equal(feedback_report_build(a, &fw3, m.self, m.r, m.n, &rep), APP_OK);
        check_mix(&m, &rep);
        shown_all += rep.cell_shown[FC_ALL];
        folded += rep.fold_shown;
        arena_free(a);
    }
    /* the mixes reached the interesting cases */
    assert_true(shown_all > 1000);
    assert_true(folded > 500);
}

/* n answers in group g, every behaviour rated v. */
static void add(struct mix *m, enum feedback_group g, int n, int v)
{
    for (int i = 0; i < n; i++) {
        size_t j = m->n++;
        for (int b = 0; b < NB; b++)
            m->ratings[j][b] = v;
        m->r[j] = (struct feedback_response){g, m->ratings[j], "", ""};
    }
}

static void build(struct mix *m, struct arena *a, struct feedback_report *rep)
{
    for (int b = 0; b < NB; b++)
        m->self[b] = (struct develop_answer){3, 0, ""};
    assert_int_equal(feedback_report_build(a, &fw3, m->self, m->r, m->n, rep), APP_OK);
    check_mix(m, rep);
}

static void test_hand_made_cases(void **state)
{
    struct arena *a = arena_new();
    static struct mix m;
    struct feedback_report rep;
    (void)state;
    /* the demonstration: manager 1, peers 4, reports 3, others 2 — the others fold, and the
     * smallest group shown (reports) goes with them */
    m.n = 0;
    add(&m, FG_MANAGER, 1, 2);
    add(&m, FG_PEER, 4, 2);
    add(&m, FG_REPORT, 3, 4);
    add(&m, FG_OTHER, 2, 1);
    build(&m, a, &rep);
    assert_true(rep.cell_shown[FC_MANAGER] && rep.cell_shown[FC_PEER] && rep.cell_shown[FC_ALL]);
    assert_false(rep.cell_shown[FC_REPORT] || rep.cell_shown[FC_OTHER]);
    assert_true(rep.folded[FG_REPORT] && rep.folded[FG_OTHER] && rep.fold_shown);
    assert_int_equal(rep.cell_n[FC_ALL], 10);
    /* the others' mean: (1*2 + 2*4 + 4*3 + 1*2) / 10 */
    assert_true(fabs(feedback_domain(&rep, 0, FC_ALL)->mean - 2.4) < 1e-9);
    /* manager 1 and peers 2: nothing but the manager; all raters would give the peers away */
    m.n = 0;
    add(&m, FG_MANAGER, 1, 2);
    add(&m, FG_PEER, 2, 4);
    build(&m, a, &rep);
    assert_true(rep.cell_shown[FC_MANAGER]);
    assert_false(rep.cell_shown[FC_PEER] || rep.cell_shown[FC_ALL] || rep.fold_shown);
    /* peers 3 and reports 3: both shown, and all raters */
    m.n = 0;
    add(&m, FG_PEER, 3, 2);
    add(&m, FG_REPORT, 3, 4);
    build(&m, a, &rep);
    assert_true(rep.cell_shown[FC_PEER] && rep.cell_shown[FC_REPORT] && rep.cell_shown[FC_ALL]);
    assert_true(fabs(feedback_domain(&rep, 2, FC_ALL)->mean - 3.0) < 1e-9);
    /* two people only: nothing at all */
    m.n = 0;
    add(&m, FG_OTHER, 2, 2);
    build(&m, a, &rep);
    for (int c = 0; c < FC_COUNT; c++)
        assert_false(rep.cell_shown[c]);
    /* peers 3 of whom 1 rated b1: b1 not shown for peers */
    m.n = 0;
    add(&m, FG_PEER, 3, 3);
    m.ratings[1][3] = DEVELOP_NOT_RATED;
    m.ratings[2][3] = DEVELOP_NO_CHANCE;
    build(&m, a, &rep);
    assert_false(feedback_behaviour(&rep, 3, FC_PEER)->shown);
    assert_true(feedback_behaviour(&rep, 4, FC_PEER)->shown);
    arena_free(a);
}

/* ---- in the database ---- */

static int64_t member, self_id;
static struct develop_framework fw;
static struct arena *pa;
/* the hashes of two browsers' keys (rater_pages.c): drafts are per link and browser */
static const char BROWSER[] = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
static const char OTHER[] = "0707070707070707070707070707070707070707070707070707070707070707";

static int64_t one(const char *sql, const char *arg)
{
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if ((arg ? db_row(db, sql, &st, "t", arg) : db_row(db, sql, &st, "")) == APP_OK)
        n = db_col_int(st, 0);
    db_finalize(st);
    return n;
}

static int64_t new_request(int64_t now, int64_t closes_at, struct feedback_rater *r, size_t n,
                           struct feedback_link *links)
{
    struct link_mailer m = {app->tpl, "http://ahphub.test", false};
    const char *why = NULL;
    int64_t id = 0;
    assert_int_equal(feedback_request_create(db, pa, &m, member, self_id, closes_at, r, n, now, &id,
                                             links, &why),
                     APP_OK);
    return id;
}

static void rate_all(const char *token, int64_t now, int expect)
{
    int ratings[DEVELOP_MAX_BEHAVIOURS];
    for (size_t i = 0; i < DEVELOP_MAX_BEHAVIOURS; i++)
        ratings[i] = 2;
    assert_int_equal(
        feedback_draft_save(db, &fw, token, BROWSER, now, 0, ratings, "Kind", "Listen more"),
        expect);
}

static void test_no_answer_after_closing(void **state)
{
    struct rng g;
    (void)state;
    rng_seed(&g, 24);
    for (int it = 0; it < 40; it++) {
        int64_t t0 = 1900000000 + it * 1000000, closes = t0 + 10 * 86400, now = t0;
        int64_t early = rng_below(&g, 2) ? t0 + (int64_t)rng_below(&g, 12 * 86400) : 0;
        struct feedback_rater r[4] = {{"p1@example.test", FG_PEER},
                                      {"p2@example.test", FG_PEER},
                                      {"p3@example.test", FG_PEER},
                                      {"m1@example.test", FG_MANAGER}};
        struct feedback_link links[4];
        int64_t id = new_request(t0, closes, r, 4, links), answered = 0;
        bool closed_early = false;
        char sid[32];
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        for (int step = 0; step < 12; step++) {
            int k = (int)rng_below(&g, 4);
            bool open;
            now += (int64_t)rng_below(&g, 2 * 86400);
            if (early && !closed_early && now >= early && early < closes) {
                assert_int_equal(feedback_request_close(db, id, member, early), APP_OK);
                closed_early = true;
            }
            open = !closed_early && now < closes;
            {
                struct feedback_invitation inv;
                bool used;
                assert_int_equal(feedback_invitation_find(db, pa, links[k].token, now, &inv), 0);
                used = inv.used;
                assert_int_equal(inv.closed, !open);
                /* an answered link takes drafts and a submission alike, and stores nothing */
                rate_all(links[k].token, now, open ? APP_OK : APP_E_CONFLICT);
                assert_int_equal(feedback_submit(db, links[k].token, BROWSER, now),
                                 open ? APP_OK : APP_E_CONFLICT);
                answered += open && !used;
            }
            assert_int_equal(
                one("SELECT COUNT(*) FROM develop_feedback_responses WHERE request_id = "
                    "CAST($1 AS BIGINT)",
                    sid),
                answered);
        }
        /* a report only once closed */
        {
            struct feedback_request req;
            struct feedback_report rep;
            struct develop_framework f2;
            int rc = feedback_report_load(db, pa, id, member, now, &req, &f2, &rep);
            assert_int_equal(rc, (closed_early || now >= closes) ? APP_OK : APP_E_CONFLICT);
        }
    }
}

static bool is_pg(void)
{
    return !strncmp(testapp_db_url(), "postgres", 8);
}

/* The names of a table's columns and of the tables its foreign keys reference, one string
 * each ("a,b,c"). */
static void describe(const char *table, char *cols, size_t ncols, char *refs, size_t nrefs)
{
    struct db_stmt *st = NULL;
    const char *qc = is_pg() ? "SELECT column_name FROM information_schema.columns WHERE "
                               "table_name = $1 ORDER BY column_name"
                             : "SELECT name FROM pragma_table_info($1) ORDER BY name";
    const char *qr =
        is_pg() ? "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc "
                  "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = "
                  "tc.constraint_name WHERE tc.constraint_type = 'FOREIGN KEY' AND "
                  "tc.table_name = $1 ORDER BY 1"
                : "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1) ORDER BY 1";
    int rc;
    cols[0] = refs[0] = '\0';
    assert_int_equal(db_prepare_bind(db, qc, &st, "t", table), 0);
    while ((rc = db_step(st)) == DB_ROW)
        snprintf(cols + strlen(cols), ncols - strlen(cols), "%s%s", *cols ? "," : "",
                 db_col_text(st, 0));
    assert_int_equal(rc, DB_DONE);
    db_finalize(st);
    assert_int_equal(db_prepare_bind(db, qr, &st, "t", table), 0);
    while ((rc = db_step(st)) == DB_ROW)
        snprintf(refs + strlen(refs), nrefs - strlen(refs), "%s%s", *refs ? "," : "",
                 db_col_text(st, 0));
    assert_int_equal(rc, DB_DONE);
    db_finalize(st);
}

static void test_no_answer_reaches_an_email(void **state)
{
    int64_t now = 1990000000;
    struct feedback_rater r[3] = {{"unique.rater.7f3@example.test", FG_PEER},
                                  {"second.rater@example.test", FG_PEER},
                                  {"third.rater@example.test", FG_REPORT}};
    struct feedback_link links[3];
    char cols[400], refs[400];
    (void)state;
    new_request(now, now + 5 * 86400, r, 3, links);
    assert_int_equal(
        one("SELECT COUNT(*) FROM develop_feedback_invitations WHERE email = $1", r[0].email), 1);
    rate_all(links[0].token, now + 10, APP_OK);
    /* a rater's draft may hold their address in the comment: redacted on submission */
    {
        int ratings[DEVELOP_MAX_BEHAVIOURS] = {0};
        ratings[0] = 3;
        assert_int_equal(feedback_draft_save(db, &fw, links[0].token, BROWSER, now + 20, 0, ratings,
                                             "Ask me: unique.rater.7f3@example.test",
                                             "Ring 07700 900123"),
                         APP_OK);
    }
    assert_int_equal(feedback_submit(db, links[0].token, BROWSER, now + 30), APP_OK);
    /* the address is nowhere in the feedback tables once used */
    assert_int_equal(
        one("SELECT COUNT(*) FROM develop_feedback_invitations WHERE email = $1", r[0].email), 0);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_draft_texts WHERE strengths LIKE "
                         "'%' || $1 || '%' OR differently LIKE '%' || $1 || '%'",
                         r[0].email),
                     0);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths LIKE "
                         "'%' || $1 || '%' OR differently LIKE '%' || $1 || '%' OR "
                         "rater_group LIKE '%' || $1 || '%' OR response_key = $1",
                         r[0].email),
                     0);
    assert_int_equal(
        one("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths = "
            "'Ask me: [email removed]' AND differently = 'Ring [phone number removed]'",
            NULL),
        1);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses WHERE differently "
                         "LIKE '%07700%'",
                         NULL),
                     0);
    /* the used invitation keeps no draft */
    assert_int_equal(
        one("SELECT COUNT(*) FROM develop_feedback_drafts d JOIN "
            "develop_feedback_invitations i ON i.id = d.invitation_id WHERE i.used = 1",
            NULL),
        0);
    /* the answer tables: no column or key that leads to an invitation or a person */
    describe("develop_feedback_responses", cols, sizeof cols, refs, sizeof refs);
    assert_string_equal(cols, "differently,rater_group,request_id,response_key,strengths");
    assert_string_equal(refs, "develop_feedback_requests");
    describe("develop_feedback_ratings", cols, sizeof cols, refs, sizeof refs);
    assert_string_equal(cols, "behaviour,rating,response_key");
    assert_string_equal(refs, "develop_feedback_responses");
    /* and the request they reach names only the member */
    describe("develop_feedback_requests", cols, sizeof cols, refs, sizeof refs);
    assert_null(strstr(cols, "email"));
    assert_null(strstr(cols, "invitation"));
}

/* Rule 9: a link's drafts are per browser. What one saves is neither shown to nor submitted
 * by another, whatever the order; the first submission stands; another browser's draft
 * outlives it (deleting it would tell that browser the link was answered) until the request
 * closes, and is then forgotten with the rest (rule 8). */
static void test_each_browser_has_its_own_draft(void **state)
{
    int64_t t0 = 2060000000, id;
    struct feedback_rater r[3] = {{"two.devices@example.test", FG_PEER},
                                  {"second.peer@example.test", FG_PEER},
                                  {"third.peer@example.test", FG_PEER}};
    struct feedback_link links[3];
    struct feedback_invitation inv;
    int ratings[DEVELOP_MAX_BEHAVIOURS] = {0}, *seen;
    const char *s, *d;
    char inv_id[24];
    (void)state;
    id = new_request(t0, t0 + 10 * 86400, r, 3, links);
    assert_int_equal(feedback_invitation_find(db, pa, links[0].token, t0, &inv), APP_OK);
    snprintf(inv_id, sizeof inv_id, "%lld", (long long)inv.id);
    ratings[0] = 4;
    assert_int_equal(
        feedback_draft_save(db, &fw, links[0].token, BROWSER, t0 + 1, 0, ratings, "Mine", "Own"),
        APP_OK);
    /* another browser on the same link sees nothing of it, and cannot submit it */
    assert_int_equal(feedback_draft_ratings(db, pa, &fw, inv.id, OTHER, &seen), APP_OK);
    for (size_t i = 0; i < fw.nbehaviours; i++)
        assert_int_equal(seen[i], DEVELOP_NOT_RATED);
    assert_int_equal(feedback_draft_texts(db, pa, inv.id, OTHER, &s, &d), APP_OK);
    assert_string_equal(s, "");
    assert_string_equal(d, "");
    assert_int_equal(feedback_submit(db, links[0].token, OTHER, t0 + 2), APP_E_INVALID);
    /* it keeps a draft of its own, which changes nothing of the first */
    ratings[0] = 1;
    assert_int_equal(
        feedback_draft_save(db, &fw, links[0].token, OTHER, t0 + 3, 0, ratings, "Probe", "Probe"),
        APP_OK);
    assert_int_equal(feedback_draft_ratings(db, pa, &fw, inv.id, BROWSER, &seen), APP_OK);
    assert_int_equal(seen[0], 4);
    assert_int_equal(feedback_draft_texts(db, pa, inv.id, BROWSER, &s, &d), APP_OK);
    assert_string_equal(s, "Mine");
    assert_int_equal(feedback_draft_ratings(db, pa, &fw, inv.id, OTHER, &seen), APP_OK);
    assert_int_equal(seen[0], 1);
    /* the first submission stands, with its own browser's answers */
    assert_int_equal(feedback_submit(db, links[0].token, BROWSER, t0 + 4), APP_OK);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses s JOIN "
                         "develop_feedback_ratings g ON g.response_key = s.response_key WHERE "
                         "s.strengths = 'Mine' AND g.rating = 4",
                         NULL),
                     1);
    /* the other browser's draft is still there, still its own */
    assert_int_equal(feedback_draft_ratings(db, pa, &fw, inv.id, OTHER, &seen), APP_OK);
    assert_int_equal(seen[0], 1);
    assert_int_equal(feedback_draft_texts(db, pa, inv.id, OTHER, &s, &d), APP_OK);
    assert_string_equal(s, "Probe");
    /* and closing the request forgets it */
    assert_int_equal(feedback_request_close(db, id, member, t0 + 5), APP_OK);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_drafts WHERE invitation_id = "
                         "CAST($1 AS BIGINT)",
                         inv_id),
                     0);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_draft_texts WHERE invitation_id = "
                         "CAST($1 AS BIGINT)",
                         inv_id),
                     0);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths = "
                         "'Probe'",
                         NULL),
                     0);
}

/* A second browser's submission after the first is taken alike and dropped (rule 9). */
static void test_later_submission_is_dropped(void **state)
{
    int64_t t0 = 2070000000, before;
    struct feedback_rater r[3] = {{"first.device@example.test", FG_REPORT},
                                  {"other.report@example.test", FG_REPORT},
                                  {"third.report@example.test", FG_REPORT}};
    struct feedback_link links[3];
    int ratings[DEVELOP_MAX_BEHAVIOURS] = {0};
    (void)state;
    new_request(t0, t0 + 10 * 86400, r, 3, links);
    ratings[0] = 2;
    before = one("SELECT COUNT(*) FROM develop_feedback_responses", NULL);
    assert_int_equal(
        feedback_draft_save(db, &fw, links[0].token, BROWSER, t0 + 1, 0, ratings, "First", ""),
        APP_OK);
    assert_int_equal(
        feedback_draft_save(db, &fw, links[0].token, OTHER, t0 + 2, 0, ratings, "Second", ""),
        APP_OK);
    assert_int_equal(feedback_submit(db, links[0].token, BROWSER, t0 + 3), APP_OK);
    assert_int_equal(feedback_submit(db, links[0].token, OTHER, t0 + 4), APP_OK);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses", NULL), before + 1);
    assert_int_equal(
        one("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths = 'Second'", NULL), 0);
    /* the dropped draft is gone */
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_draft_texts WHERE strengths = "
                         "'Second'",
                         NULL),
                     0);
}

/* The cap per browser (FEEDBACK_DRAFTS_PER_BROWSER) holds when one browser saves on two links
 * at once. Two links of two requests, so the guard's locks (one request each) do not put the
 * saves in a line; the browser keeps drafts on one link fewer than the cap. A third connection
 * holds an uncommitted row of the very draft each save will write, so that each save, once it
 * has done its checks, waits at its insert for that row; the test waits until both saves are
 * waiting on a lock (pg_stat_activity), then rolls the row back. A count made before the
 * other save's insert would let both in, one over the cap; counted one after the other, the
 * second is refused. Deterministic: without the browser's lock both saves are sure to count
 * before either inserts. PostgreSQL only: on SQLite, BEGIN IMMEDIATE (db.h) lets one writer
 * in at a time, so the second save could not even start while the row was held. */
struct concurrent_save {
    struct db *db;
    const char *token;
    int rc;
};

static const char CAPPED[] = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

static void *save_concurrently(void *p)
{
    struct concurrent_save *s = p;
    s->rc = feedback_draft_save(s->db, &fw, s->token, CAPPED, 2080000001, fw.ndomains, NULL,
                                "At the same time", "");
    return NULL;
}

static void test_browser_cap_holds_under_concurrent_saves(void **state)
{
    int64_t t0 = 2080000000, waiting = 0;
    struct feedback_rater many[FEEDBACK_DRAFTS_PER_BROWSER - 1],
        one_a = {"race.a@example.test", FG_PEER}, one_b = {"race.b@example.test", FG_PEER};
    struct feedback_link links[FEEDBACK_DRAFTS_PER_BROWSER - 1], link_a, link_b;
    struct feedback_invitation inv_a, inv_b;
    struct concurrent_save s[2] = {{NULL, NULL, -1}, {NULL, NULL, -1}};
    struct db *holder = NULL;
    pthread_t th[2];
    char emails[FEEDBACK_DRAFTS_PER_BROWSER - 1][40];
    (void)state;
    if (db_engine(db) != DB_POSTGRES) {
        fprintf(stderr,
                "feedback_test: the concurrent saves run on PostgreSQL only (AHPHUB_TEST_DB); "
                "SQLite lets one writer in at a time\n");
        skip();
    }
    for (size_t i = 0; i < FEEDBACK_DRAFTS_PER_BROWSER - 1; i++) {
        snprintf(emails[i], sizeof emails[i], "kept.%zu@example.test", i);
        many[i].email = emails[i];
        many[i].group = FG_PEER;
    }
    new_request(t0, t0 + 10 * 86400, many, FEEDBACK_DRAFTS_PER_BROWSER - 1, links);
    for (size_t i = 0; i < FEEDBACK_DRAFTS_PER_BROWSER - 1; i++)
        assert_int_equal(
            feedback_draft_save(db, &fw, links[i].token, CAPPED, t0, fw.ndomains, NULL, "Kept", ""),
            APP_OK);
    new_request(t0, t0 + 10 * 86400, &one_a, 1, &link_a);
    new_request(t0, t0 + 10 * 86400, &one_b, 1, &link_b);
    assert_int_equal(feedback_invitation_find(db, pa, link_a.token, t0, &inv_a), APP_OK);
    assert_int_equal(feedback_invitation_find(db, pa, link_b.token, t0, &inv_b), APP_OK);
    assert_int_equal(db_open(testapp_db_url(), &holder), APP_OK);
    assert_int_equal(db_open(testapp_db_url(), &s[0].db), APP_OK);
    assert_int_equal(db_open(testapp_db_url(), &s[1].db), APP_OK);
    s[0].token = link_a.token;
    s[1].token = link_b.token;
    /* the rows each save will insert, held uncommitted */
    assert_int_equal(db_begin(holder), APP_OK);
    assert_int_equal(db_run(holder,
                            "INSERT INTO develop_feedback_draft_texts (invitation_id, draft_key, "
                            "strengths, differently) VALUES ($1, $2, '', ''), ($3, $2, '', '')",
                            "iti", inv_a.id, CAPPED, inv_b.id),
                     APP_OK);
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&th[k], NULL, save_concurrently, &s[k]), 0);
    for (int tries = 0; tries < 2000 && waiting < 2; tries++) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
        waiting = one("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND wait_event_type = 'Lock'",
                      NULL);
    }
    db_rollback(holder);
    for (int k = 0; k < 2; k++)
        pthread_join(th[k], NULL);
    db_close(holder);
    db_close(s[0].db);
    db_close(s[1].db);
    assert_int_equal(waiting, 2); /* both saves got as far as a lock */
    /* one starts the browser's twentieth draft, the other is refused, nothing is over */
    assert_int_equal(one("SELECT COUNT(*) FROM (SELECT invitation_id FROM develop_feedback_drafts "
                         "WHERE draft_key = $1 UNION SELECT invitation_id FROM "
                         "develop_feedback_draft_texts WHERE draft_key = $1) k",
                         CAPPED),
                     FEEDBACK_DRAFTS_PER_BROWSER);
    assert_true((s[0].rc == APP_OK && s[1].rc == APP_E_LIMIT) ||
                (s[0].rc == APP_E_LIMIT && s[1].rc == APP_OK));
}

/* What the answer tables and the invitations hold, in one line, to compare. */
static void store_state(char *out, size_t n)
{
    snprintf(
        out, n, "responses %lld ratings %lld used %lld emails %lld",
        (long long)one("SELECT COUNT(*) FROM develop_feedback_responses", NULL),
        (long long)one("SELECT COUNT(*) FROM develop_feedback_ratings", NULL),
        (long long)one("SELECT COUNT(*) FROM develop_feedback_invitations WHERE used = 1", NULL),
        (long long)one("SELECT COUNT(*) FROM develop_feedback_invitations WHERE email <> ''",
                       NULL));
}

/* Whether bytes `needle` are in file path. */
static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 20, len = 0, got, nl = strlen(needle);
    char *buf = malloc(cap);
    bool found = false;
    assert_non_null(buf);
    while (f && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        found |= memmem(buf, len, needle, nl) != NULL;
        /* keep the last nl − 1 bytes for a match across reads */
        if (len >= nl) {
            memmove(buf, buf + len - (nl - 1), nl - 1);
            len = nl - 1;
        }
    }
    if (f)
        fclose(f);
    free(buf);
    return found;
}

/* On PostgreSQL: whether needle is anywhere in the answers' table file or the write-ahead log
 * once a checkpoint has written them (a rolled-back row stays there until vacuum). False on
 * SQLite, whose rollback to a savepoint writes nothing to its files. */
static bool pg_files_have(const char *needle)
{
    struct db_stmt *st = NULL;
    char dir[512] = "", rel[256] = "", path[1024];
    DIR *wal;
    struct dirent *e;
    bool found;
    if (db_engine(db) != DB_POSTGRES)
        return false;
    assert_int_equal(db_run(db, "CHECKPOINT", ""), APP_OK);
    assert_int_equal(db_row(db,
                            "SELECT current_setting('data_directory'), "
                            "pg_relation_filepath('develop_feedback_responses')",
                            &st, ""),
                     APP_OK);
    snprintf(dir, sizeof dir, "%s", db_col_text(st, 0));
    snprintf(rel, sizeof rel, "%s", db_col_text(st, 1));
    db_finalize(st);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    found = file_has(path, needle);
    snprintf(path, sizeof path, "%s/pg_wal", dir);
    assert_non_null(wal = opendir(path));
    while (!found && (e = readdir(wal)))
        if (strlen(e->d_name) == 24) {
            snprintf(path, sizeof path, "%s/pg_wal/%s", dir, e->d_name);
            found = file_has(path, needle);
        }
    closedir(wal);
    return found;
}

/* A submission through a link answered already is dropped only after doing what a first one
 * does (store_answer in feedback_db.c): the same database calls, one for one, so that its
 * reply does not come back sooner; and it leaves nothing behind but the deletion of the
 * submitting browser's own draft. Both ways of submitting: a browser's draft, and answers
 * sent whole. */
static void test_answered_link_does_the_same_work(void **state)
{
    int64_t t0 = 2075000000;
    struct feedback_rater r[4] = {{"same.work.a@example.test", FG_PEER},
                                  {"same.work.b@example.test", FG_PEER},
                                  {"same.work.c@example.test", FG_PEER},
                                  {"same.work.d@example.test", FG_PEER}};
    struct feedback_link links[4];
    int ratings[DEVELOP_MAX_BEHAVIOURS], *all = arena_calloc(pa, fw.nbehaviours, sizeof *all);
    char before[300], after[300];
    long first, again;
    int64_t drafts, texts;
    /* unique to this run: a cluster's log keeps what earlier runs wrote */
    char again_text[64];
    (void)state;
    snprintf(again_text, sizeof again_text, "Again, %lld.%ld", (long long)time(NULL),
             (long)getpid());
    assert_non_null(all);
    for (size_t i = 0; i < DEVELOP_MAX_BEHAVIOURS; i++)
        ratings[i] = 3;
    for (size_t i = 0; i < fw.nbehaviours; i++)
        all[i] = 3;
    new_request(t0, t0 + 10 * 86400, r, 4, links);

    /* a browser's draft: the first submission on links[0], then another browser's on it,
     * with drafts of the same shape (the texts carry what redaction removes) */
    assert_int_equal(feedback_draft_save(db, &fw, links[0].token, BROWSER, t0 + 1, 0, ratings,
                                         "First, on 07700 900123", "first@example.test"),
                     APP_OK);
    assert_int_equal(feedback_draft_save(db, &fw, links[0].token, OTHER, t0 + 1, 0, ratings,
                                         "Second, on 07700 900123", "second@example.test"),
                     APP_OK);
    db_fault_count_start();
    assert_int_equal(feedback_submit(db, links[0].token, BROWSER, t0 + 2), APP_OK);
    first = db_fault_count();
    db_fault_after(0);
    store_state(before, sizeof before);
    drafts = one("SELECT COUNT(*) FROM develop_feedback_drafts", NULL);
    texts = one("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL);
    db_fault_count_start();
    assert_int_equal(feedback_submit(db, links[0].token, OTHER, t0 + 3), APP_OK);
    again = db_fault_count();
    db_fault_after(0);
    assert_true(first > 10);
    assert_int_equal(again, first);
    /* nothing kept: only the second browser's own draft is gone */
    store_state(after, sizeof after);
    assert_string_equal(before, after);
    assert_int_equal(drafts - one("SELECT COUNT(*) FROM develop_feedback_drafts", NULL),
                     (int64_t)fw.domains[0].nbehaviours);
    assert_int_equal(texts - one("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL), 1);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths LIKE "
                         "'Second%'",
                         NULL),
                     0);

    /* answers sent whole: the first on links[2], then the same again on it */
    db_fault_count_start();
    assert_int_equal(feedback_submit_answers(db, &fw, links[2].token, NULL, t0 + 5, all,
                                             "Sent, on 07700 900123", "sent@example.test"),
                     APP_OK);
    first = db_fault_count();
    db_fault_after(0);
    store_state(before, sizeof before);
    all[0] = 1;
    db_fault_count_start();
    assert_int_equal(feedback_submit_answers(db, &fw, links[2].token, NULL, t0 + 6, all, again_text,
                                             "again@example.test"),
                     APP_OK);
    again = db_fault_count();
    db_fault_after(0);
    assert_true(first > 10);
    assert_int_equal(again, first);
    store_state(after, sizeof after);
    assert_string_equal(before, after);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths LIKE "
                         "'Again%'",
                         NULL),
                     0);
    /* and the dropped answer's words never reach the database's files: the undone work wrote
     * blanks (a PostgreSQL heap and log keep an undone row until vacuum) */
    assert_true(db_engine(db) != DB_POSTGRES || pg_files_have("Sent, on"));
    assert_false(pg_files_have(again_text));
}

/* The answers are stored in the order of their random key, not of arrival: on SQLite always
 * (migration 0045), on PostgreSQL once `ahphub remind` has run (feedback_remind_due). Reading
 * the tables as stored, with no ORDER BY, gives key order. */
static void test_answers_are_stored_unordered(void **state)
{
    struct link_mailer m = {app->tpl, "http://ahphub.test", false};
    int sent;
    /* every column, so that no index covers the query and the table itself is read */
    const char *tables[2] = {"rater_group, strengths, differently FROM develop_feedback_responses",
                             "behaviour, rating FROM develop_feedback_ratings"};
    (void)state;
    /* at a time before every request here: nothing to remind, only the tidying */
    assert_int_equal(feedback_remind_due(db, &m, 1, &sent), APP_OK);
    assert_int_equal(sent, 0);
    /* earlier tests submitted answers one after another; more than a few, so that arrival in
     * key order by chance is out of the question */
    assert_true(one("SELECT COUNT(*) FROM develop_feedback_responses", NULL) >= 6);
    for (size_t t = 0; t < 2; t++) {
        struct db_stmt *st = NULL;
        char prev[40] = "", sql[160];
        int rc;
        snprintf(sql, sizeof sql, "SELECT response_key, %s", tables[t]);
        assert_int_equal(db_prepare_bind(db, sql, &st, ""), 0);
        while ((rc = db_step(st)) == DB_ROW) {
            assert_true(strcmp(prev, db_col_text(st, 0)) <= 0);
            snprintf(prev, sizeof prev, "%s", db_col_text(st, 0));
        }
        assert_int_equal(rc, DB_DONE);
        db_finalize(st);
    }
    /* on SQLite the write-ahead log, which held every draft deleted beside its answer, is
     * empty after the run */
    if (!strncmp(testapp_db_url(), "sqlite:", 7)) {
        char wal[600];
        struct stat sb;
        snprintf(wal, sizeof wal, "%s-wal", testapp_db_url() + 7);
        assert_int_equal(stat(wal, &sb), 0);
        assert_int_equal(sb.st_size, 0);
    }
}

static void test_domain_gaps(void **state)
{
    struct feedback_domain_gap *g;
    size_t n;
    int64_t req;
    (void)state;
    /* the requests above closed long ago at the test's clock */
    assert_int_equal(develop_feedback_domain_gaps(db, pa, member, 2100000000, &g, &n, &req), 0);
    assert_true(req > 0);
    assert_int_equal(n, fw.ndomains);
    for (size_t d = 0; d < n; d++) {
        assert_non_null(g[d].title);
        if (g[d].others_shown)
            assert_true(g[d].others_n >= 3);
    }
    /* a member with no closed request has none */
    assert_int_equal(develop_feedback_domain_gaps(db, pa, member + 1000, 2100000000, &g, &n, &req),
                     0);
    assert_int_equal(n, 0);
    assert_int_equal(req, 0);
}

/* `ahphub remind`: once, a few days before closing, to those who have not answered only */
static void test_automatic_reminder(void **state)
{
    struct link_mailer m = {app->tpl, "http://ahphub.test", false};
    int64_t t0 = 2050000000, before;
    struct feedback_rater r[3] = {{"slow.one@example.test", FG_PEER},
                                  {"slow.two@example.test", FG_REPORT},
                                  {"quick@example.test", FG_PEER}};
    struct feedback_link links[3];
    struct feedback_invitation inv;
    int sent = -1;
    (void)state;
    new_request(t0, t0 + 10 * 86400, r, 3, links);
    rate_all(links[2].token, t0 + 5, APP_OK);
    assert_int_equal(feedback_submit(db, links[2].token, BROWSER, t0 + 6), APP_OK);
    /* too early: nothing */
    assert_int_equal(feedback_remind_due(db, &m, t0 + 86400, &sent), APP_OK);
    assert_int_equal(sent, 0);
    before = one("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE 'Reminder:%'", NULL);
    /* without a mail server, none: the new links would wait unsent and the old ones stop
     * working; the request stays due until there is one */
    {
        struct link_mailer unsent = {app->tpl, "http://ahphub.test", true};
        assert_int_equal(feedback_remind_due(db, &unsent, t0 + 8 * 86400, &sent), APP_OK);
        assert_int_equal(sent, 0);
        assert_int_equal(
            one("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE 'Reminder:%'", NULL), before);
        assert_int_equal(feedback_invitation_find(db, pa, links[0].token, t0 + 8 * 86400, &inv),
                         APP_OK);
    }
    /* 2 days before closing: the two who have not answered */
    assert_int_equal(feedback_remind_due(db, &m, t0 + 8 * 86400, &sent), APP_OK);
    assert_int_equal(sent, 2);
    assert_int_equal(one("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE 'Reminder:%'", NULL),
                     before + 2);
    assert_int_equal(one("SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 AND subject LIKE "
                         "'Reminder:%'",
                         "quick@example.test"),
                     0);
    /* the old links stop working (a new one went in the mail), the answered one's too, so
     * that no old link tells who answered */
    assert_int_equal(feedback_invitation_find(db, pa, links[0].token, t0 + 8 * 86400, &inv),
                     APP_E_NOTFOUND);
    assert_int_equal(feedback_invitation_find(db, pa, links[2].token, t0 + 8 * 86400, &inv),
                     APP_E_NOTFOUND);
    /* once only */
    assert_int_equal(feedback_remind_due(db, &m, t0 + 9 * 86400, &sent), APP_OK);
    assert_int_equal(sent, 0);
    /* after the closing date, the next run forgets who was still waiting, and their drafts */
    rate_all(links[1].token, t0 + 9 * 86400, APP_E_CONFLICT); /* the old link takes nothing */
    assert_true(one("SELECT COUNT(*) FROM develop_feedback_invitations WHERE email = $1",
                    "slow.two@example.test") == 1);
    assert_int_equal(feedback_remind_due(db, &m, t0 + 11 * 86400, &sent), APP_OK);
    assert_int_equal(one("SELECT COUNT(*) FROM develop_feedback_invitations WHERE email = $1",
                         "slow.two@example.test"),
                     0);
}

static void test_demo_has_a_full_report(void **state)
{
    int64_t sam = testapp_user(app, "sam@example.test", "member", "correct horse battery");
    int64_t now = 2000000000;
    struct feedback_request *list, req;
    struct develop_framework f2;
    struct feedback_report rep;
    size_t n;
    int made = 0, blind = 0, hidden = 0;
    (void)state;
    assert_int_equal(develop_demo(db, sam, now, &made), APP_OK);
    assert_int_equal(feedback_request_list(db, pa, sam, now, &list, &n), APP_OK);
    assert_int_equal(n, 2);
    assert_false(list[0].closed); /* newest first: the open one */
    assert_true(list[1].closed);
    assert_int_equal(feedback_report_load(db, pa, list[0].id, sam, now, &req, &f2, &rep),
                     APP_E_CONFLICT);
    assert_int_equal(feedback_report_load(db, pa, list[1].id, sam, now, &req, &f2, &rep), APP_OK);
    assert_true(rep.cell_shown[FC_MANAGER] && rep.cell_shown[FC_PEER] && rep.cell_shown[FC_ALL]);
    assert_false(rep.cell_shown[FC_REPORT] || rep.cell_shown[FC_OTHER]);
    assert_int_equal(rep.cell_n[FC_ALL], 10);
    assert_true(rep.fold_shown && rep.nstrengths[FC_ALL] == 5);
    for (size_t d = 0; d < f2.ndomains; d++) {
        const struct feedback_figure *f = feedback_domain(&rep, d, FC_ALL);
        assert_true(f->shown && rep.self[d].scored);
        blind += f->mean <= rep.self[d].mean - FEEDBACK_MARGIN;
        hidden += f->mean >= rep.self[d].mean + FEEDBACK_MARGIN;
    }
    assert_true(blind >= 1 && hidden >= 1);
    /* once: a second run adds nothing */
    assert_int_equal(develop_demo(db, sam, now, &made), APP_OK);
    assert_int_equal(feedback_request_list(db, pa, sam, now, &list, &n), APP_OK);
    assert_int_equal(n, 2);
}

static int setup(void **state)
{
    int64_t fid;
    bool resumed;
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    pa = arena_new();
    member = testapp_user(app, "member@example.test", "member", "correct horse battery");
    if (!pa || develop_version_seed(db) ||
        develop_version_latest_id(db, "ahp-clinical-leadership", &fid) ||
        develop_version_load(db, pa, fid, &fw) ||
        develop_self_start(db, member, fid, 1800000000, &self_id, &resumed) ||
        develop_self_submit(db, self_id, member, 1800000000))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(pa);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_mixes_show_nothing_of_fewer_than_3),
        cmocka_unit_test(test_hand_made_cases),
        cmocka_unit_test(test_no_answer_after_closing),
        cmocka_unit_test(test_no_answer_reaches_an_email),
        cmocka_unit_test(test_each_browser_has_its_own_draft),
        cmocka_unit_test(test_later_submission_is_dropped),
        cmocka_unit_test(test_browser_cap_holds_under_concurrent_saves),
        cmocka_unit_test(test_answered_link_does_the_same_work),
        cmocka_unit_test(test_answers_are_stored_unordered),
        cmocka_unit_test(test_domain_gaps),
        cmocka_unit_test(test_automatic_reminder),
        cmocka_unit_test(test_demo_has_a_full_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
