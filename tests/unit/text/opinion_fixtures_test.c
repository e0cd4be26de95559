/* opinion_fixtures_test.c: our opinion groups against Pol.is's own on every shared Pol.is
 * conversation, and the same groups from any seed
 *
 * The conversations are public Pol.is exports (CC BY 4.0: "Data was gathered using the Polis
 * software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to
 * The Computational Democracy Project"; see SOURCE.md in the folder), found through
 * AHPHUB_FIXTURES (default ../shared/fixtures, from the repository root) like
 * tests/unit/listen/polis_import_test.c; the test is skipped, saying so, when the folder is
 * absent. Each conversation is fitted as the server fits it (src/listen/runs.c opinion_build,
 * bench/polis_groups.c "ours"): every comment a statement, moderated -1 moderated out, 0
 * unlisted, participants in id order, default tuning.
 *
 * Asserted per conversation:
 *  - the adjusted Rand index against Pol.is's group-id (over the participants both grouped)
 *    is at least the floor in the table: the figure measured (bench/polis_groups.c, in its
 *    header) less about 0.05, so a change that costs agreement with Pol.is fails here. The
 *    weak references (every method below 0.25: their group-id covers participants who never
 *    voted enough to be placed) have no floor;
 *  - the ARI between the groupings from the server's seed and seeds 1, 2 and 3 is ≥ 0.95.
 * A conversation missing from the folder is reported, not failed; a conversation in the
 * folder but not in the table fails (a floor must be set for it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "support/fixture_files.h"
#include "export/csv.h"
#include "text/opinion.h"

#define RUN_SEED 20261121u /* src/listen/runs.c */
#define MAXLABEL 16

/* Floors: measured ARI (bench/polis_groups.c) less about 0.05; -1 = weak reference. */
static const struct {
    const char *name;
    double floor;
} floors[] = {
    {"15-per-hour-seattle", 0.83},                           /* measured 0.884 */
    {"austria-climate.7z7ejpbmv5.2022-08-08", 0.76},         /* 0.818 */
    {"bg2050-volunteers", 0.15},                             /* 0.194, as the baseline */
    {"brexit-consensus", 0.82},                              /* 0.876 */
    {"canadian-electoral-reform", 0.88},                     /* 0.930 */
    {"football-concussions", 0.37},                          /* 0.421 */
    {"london.youth.policing", -1},                           /* weak: 0.105 */
    {"scoop-hivemind.affordable-housing", -1},               /* weak: 0.125 */
    {"scoop-hivemind.biodiversity", 0.88},                   /* 0.931 */
    {"scoop-hivemind.freshwater", -1},                       /* weak: 0.132 */
    {"scoop-hivemind.taxes", 0.87},                          /* 0.925 */
    {"scoop-hivemind.ubi", -1},                              /* weak: 0.095 */
    {"ssis.land-bank-farmland.2rumnecbeh.2021-08-01", 0.92}, /* 0.976 */
};

/* A conversation as the server would pass it. */
struct conv {
    size_t nc, np, nv;
    int64_t *cid; /* ascending */
    bool *mod_out, *unlisted;
    int64_t *pid; /* ascending: participants with a vote */
    int *ref;     /* Pol.is group-id per participant, -1 blank */
    struct opinion_vote *votes;
};

static void conv_free(struct conv *c)
{
    free(c->cid);
    free(c->mod_out);
    free(c->unlisted);
    free(c->pid);
    free(c->ref);
    free(c->votes);
}

static void load(const char *dir, const char *name, struct conv *c)
{
    char path[1400], err[128];
    size_t len, cap = 0;
    char *data;
    struct csv_reader r, rh;
    struct csv_record hdr, rec;
    bool got;
    int64_t *mods = NULL, *ids = NULL;
    long *colc;
    int ic, im, pc, gc;
    struct {
        int64_t pid;
        int ref;
        size_t first, n;
    } *rows = NULL;
    size_t nrows = 0, rcap = 0;

    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, "%s/%s/comments.csv", dir, name);
    data = fixture_slurp(path, &len);
    assert_non_null(data);
    assert_int_equal(csv_open(&rh, data, len), 0);
    assert_int_equal(csv_open(&r, data, len), 0);
    assert_int_equal(csv_next(&rh, &hdr, &got, err, sizeof err), 0);
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), 0);
    ic = csv_column(&hdr, "comment-id");
    im = csv_column(&hdr, "moderated");
    while (csv_next(&r, &rec, &got, err, sizeof err) == 0 && got) {
        int64_t id, m;
        if (!fixture_int(csv_get(&rec, ic), &id) || !fixture_int(csv_get(&rec, im), &m))
            continue;
        if (c->nc == cap) {
            cap = cap ? cap * 2 : 256;
            ids = realloc(ids, cap * sizeof *ids);
            mods = realloc(mods, cap * sizeof *mods);
            assert_non_null(ids);
            assert_non_null(mods);
        }
        ids[c->nc] = id;
        mods[c->nc++] = m;
    }
    csv_close(&r);
    csv_close(&rh);
    free(data);
    c->cid = calloc(c->nc + 1, sizeof *c->cid);
    c->mod_out = calloc(c->nc + 1, sizeof *c->mod_out);
    c->unlisted = calloc(c->nc + 1, sizeof *c->unlisted);
    assert_true(c->cid && c->mod_out && c->unlisted);
    memcpy(c->cid, ids, c->nc * sizeof *ids);
    qsort(c->cid, c->nc, sizeof *c->cid, fixture_cmp_i64);
    for (size_t i = 0; i < c->nc; i++) {
        long s = fixture_find_i64(c->cid, c->nc, ids[i]);
        c->mod_out[s] = mods[i] == -1;
        c->unlisted[s] = mods[i] == 0;
    }
    free(ids);
    free(mods);

    snprintf(path, sizeof path, "%s/%s/participants-votes.csv", dir, name);
    data = fixture_slurp(path, &len);
    assert_non_null(data);
    assert_int_equal(csv_open(&rh, data, len), 0);
    assert_int_equal(csv_open(&r, data, len), 0);
    assert_int_equal(csv_next(&rh, &hdr, &got, err, sizeof err), 0);
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), 0);
    pc = csv_column(&hdr, "participant");
    gc = csv_column(&hdr, "group-id");
    assert_true(pc >= 0 && gc >= 0);
    colc = calloc(hdr.nfields + 1, sizeof *colc);
    assert_non_null(colc);
    for (size_t i = 0; i < hdr.nfields; i++) {
        int64_t id;
        colc[i] = (int)i != pc && (int)i != gc && fixture_int(hdr.fields[i], &id)
                      ? fixture_find_i64(c->cid, c->nc, id)
                      : -1;
    }
    cap = 0;
    while (csv_next(&r, &rec, &got, err, sizeof err) == 0 && got) {
        int64_t pid, g;
        size_t first = c->nv;
        if (!fixture_int(csv_get(&rec, pc), &pid))
            continue;
        for (size_t i = 0; i < rec.nfields && i < hdr.nfields; i++) {
            int64_t v;
            if (colc[i] < 0 || !fixture_int(rec.fields[i], &v) || v < -1 || v > 1)
                continue;
            if (c->nv == cap) {
                cap = cap ? cap * 2 : 4096;
                c->votes = realloc(c->votes, cap * sizeof *c->votes);
                assert_non_null(c->votes);
            }
            c->votes[c->nv++] = (struct opinion_vote){0, (uint32_t)colc[i], (int8_t)v};
        }
        if (c->nv == first)
            continue; /* no vote: not a participant of the analysis */
        if (nrows == rcap) {
            rcap = rcap ? rcap * 2 : 256;
            rows = realloc(rows, rcap * sizeof *rows);
            assert_non_null(rows);
        }
        rows[nrows].pid = pid;
        rows[nrows].ref =
            fixture_int(csv_get(&rec, gc), &g) && g >= 0 && g < MAXLABEL ? (int)g : -1;
        rows[nrows].first = first;
        rows[nrows].n = c->nv - first;
        nrows++;
    }
    csv_close(&r);
    csv_close(&rh);
    free(colc);
    free(data);
    /* participants in id order, as the server reads them */
    c->np = nrows;
    c->pid = calloc(nrows + 1, sizeof *c->pid);
    c->ref = calloc(nrows + 1, sizeof *c->ref);
    assert_true(c->pid && c->ref);
    for (size_t i = 0; i < nrows; i++)
        c->pid[i] = rows[i].pid;
    qsort(c->pid, nrows, sizeof *c->pid, fixture_cmp_i64);
    for (size_t i = 0; i < nrows; i++) {
        long p = fixture_find_i64(c->pid, nrows, rows[i].pid);
        c->ref[p] = rows[i].ref;
        for (size_t j = 0; j < rows[i].n; j++)
            c->votes[rows[i].first + j].participant = (uint32_t)p;
    }
    free(rows);
}

static double ari(const int *a, const int *b, size_t n)
{
    double t[MAXLABEL][MAXLABEL] = {{0}}, ra[MAXLABEL] = {0}, rb[MAXLABEL] = {0};
    double sij = 0, sa = 0, sb = 0, tot, ex, mx;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] >= 0 && b[i] >= 0 && a[i] < MAXLABEL && b[i] < MAXLABEL) {
            t[a[i]][b[i]]++;
            ra[a[i]]++;
            rb[b[i]]++;
            m++;
        }
    if (m < 2)
        return NAN;
    for (int i = 0; i < MAXLABEL; i++) {
        for (int j = 0; j < MAXLABEL; j++)
            sij += t[i][j] * (t[i][j] - 1) / 2;
        sa += ra[i] * (ra[i] - 1) / 2;
        sb += rb[i] * (rb[i] - 1) / 2;
    }
    tot = (double)m * (double)(m - 1) / 2;
    ex = sa * sb / tot;
    mx = (sa + sb) / 2;
    return mx == ex ? 1.0 : (sij - ex) / (mx - ex);
}

static size_t fit(const struct conv *c, uint64_t seed, int *labels)
{
    struct opinion_input in;
    struct opinion_result r;
    size_t k;
    memset(&in, 0, sizeof in);
    in.n_participants = c->np;
    in.n_statements = c->nc;
    in.votes = c->votes;
    in.n_votes = c->nv;
    in.moderated_out = c->mod_out;
    in.unlisted = c->unlisted;
    in.seed = seed;
    assert_int_equal(opinion_fit(&in, &r), 0);
    for (size_t p = 0; p < c->np; p++)
        labels[p] = r.group_of[p];
    k = r.n_groups;
    opinion_result_free(&r);
    return k;
}

static void test_shared_conversations(void **state)
{
    const char *root = getenv("AHPHUB_FIXTURES");
    static const uint64_t seeds[] = {RUN_SEED, 1, 2, 3};
    char dir[1024];
    size_t done = 0;
    (void)state;
    if (!root || !*root)
        root = "../shared/fixtures";
    snprintf(dir, sizeof dir, "%s/polis", root);
    {
        DIR *d = opendir(dir);
        struct dirent *e;
        if (!d) {
            fprintf(stderr,
                    "opinion_fixtures_test: %s is absent (set AHPHUB_FIXTURES); the shared "
                    "conversations were not measured\n",
                    dir);
            skip();
        }
        /* every conversation in the folder has a floor in the table */
        while ((e = readdir(d))) {
            bool known = e->d_name[0] == '.' || !strcmp(e->d_name, "SOURCE.md");
            for (size_t i = 0; i < sizeof floors / sizeof floors[0] && !known; i++)
                known = !strcmp(floors[i].name, e->d_name);
            if (!known)
                fprintf(stderr, "opinion_fixtures_test: %s has no floor in the table\n", e->d_name);
            assert_true(known);
        }
        closedir(d);
    }
    for (size_t i = 0; i < sizeof floors / sizeof floors[0]; i++) {
        char path[1400];
        struct conv c;
        int *lab[sizeof seeds / sizeof seeds[0]];
        double a, smin = 1;
        size_t k;
        FILE *f;
        snprintf(path, sizeof path, "%s/%s/comments.csv", dir, floors[i].name);
        if (!(f = fopen(path, "rb"))) {
            fprintf(stderr, "opinion_fixtures_test: %s is not in %s; not measured\n",
                    floors[i].name, dir);
            continue;
        }
        fclose(f);
        load(dir, floors[i].name, &c);
        for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
            lab[s] = calloc(c.np + 1, sizeof *lab[s]);
            assert_non_null(lab[s]);
            k = fit(&c, seeds[s], lab[s]);
            if (s == 0)
                a = ari(lab[0], c.ref, c.np);
            else {
                double b = ari(lab[0], lab[s], c.np);
                smin = isnan(b) ? smin : b < smin ? b : smin;
            }
        }
        fprintf(stderr,
                "opinion_fixtures_test: %-46s ARI %.3f (floor %5.2f), %zu groups, "
                "lowest ARI between seeds %.3f\n",
                floors[i].name, a, floors[i].floor, k, smin);
        if (floors[i].floor >= 0)
            assert_true(a >= floors[i].floor);
        assert_true(smin >= 0.95);
        for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++)
            free(lab[s]);
        conv_free(&c);
        done++;
    }
    assert_true(done > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_conversations),
    };
    return cmocka_run_group_tests_name("text/opinion_fixtures", tests, NULL, NULL);
}
