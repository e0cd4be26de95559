/* polis_carry.c: opinion groups carried across re-runs, replayed on the shared Pol.is
 * conversations in the order the votes came
 *
 * Usage: polis_carry [DIR]   DIR holds one folder per conversation (default
 *        ../shared/fixtures/polis, from the repository root; AHPHUB_FIXTURES/polis if set).
 * Data: public Pol.is exports (CC BY 4.0: "Data was gathered using the Polis software
 * (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The
 * Computational Democracy Project"; each folder's summary.csv names its conversation; see
 * SOURCE.md there). It reads comments.csv (comment-id, moderated), votes.csv (timestamp,
 * comment-id, voter-id, vote: every vote event) and participants-votes.csv (group-id).
 * A conversation without votes.csv has no order of votes to replay: it is listed and skipped.
 *
 * Replay: the vote events, in time order (ties: file order), are cut into RUNS batches of
 * equal count; run r analyses the events of batches 1..r (a changed vote: the later wins).
 * Statements are counted as the server counts them (src/listen/runs.c opinion_build):
 * every comment, moderated -1 moderated out, 0 unlisted, with the final moderation (the
 * exports do not say when a comment was moderated). Each run is fitted twice, with the
 * default tuning and the server's seed:
 *  fresh  opinion_fit() with no carry, as each run would be on its own;
 *  carry  opinion_fit() with the previous carry run's groups (re-indexed by voter id) and
 *         state (opinion_carry.h).
 * Figures per conversation:
 *  moved   participants grouped in two consecutive runs whose group NUMBER differs (what a
 *          reader of the results sees change), summed over the RUNS−1 pairs of runs, beside
 *          the participants grouped in both (pairs);
 *  kchg    how many times the number of groups changed between consecutive runs;
 *  ks      the number of groups of each run;
 *  ari     the last run against Pol.is's group-id (over the participants both grouped): the
 *          carry must not cost agreement with Pol.is, which carries its groups too.
 * The anchor is the fresh fit on the same runs in the same program.
 * Latest figures (moved: participants whose group number changed between consecutive runs,
 * of the pairs grouped in both; kchg: changes of the number of groups; ari: the last run
 * against Pol.is's group-id):
 *   conversation            pairs | fresh: moved       kchg  ari   | carry: moved       kchg  ari
 *   15-per-hour-seattle       666 |       99 (14.9%)   2   0.884 |      135 (20.3%)   1   0.884
 *   austria-climate             - | no votes.csv: skipped
 *   bg2050-volunteers         636 |      186 (29.2%)   2   0.194 |       97 (15.3%)   0   0.194
 *   brexit-consensus         1006 |       87 ( 8.6%)   2   0.876 |        9 ( 0.9%)   0   0.876
 *   canadian-electoral-ref.  1360 |       64 ( 4.7%)   2   0.930 |       35 ( 2.6%)   0   0.930
 *   football-concussions     2886 |      673 (23.3%)   2   0.421 |      316 (10.9%)   1   0.206
 *   london.youth.policing     157 |       27 (17.2%)   1   0.105 |       22 (14.0%)   1   0.105
 *   scoop.affordable-housing 1561 |      609 (39.0%)   4   0.125 |      234 (15.0%)   0   0.125
 *   scoop.biodiversity       2330 |       77 ( 3.3%)   0   0.931 |       77 ( 3.3%)   0   0.931
 *   scoop.freshwater          493 |       23 ( 4.7%)   1   0.132 |      107 (21.7%)   0   0.023
 *   scoop.taxes              1514 |       21 ( 1.4%)   0   0.925 |       21 ( 1.4%)   0   0.925
 *   scoop.ubi                 818 |      109 (13.3%)   2   0.095 |       99 (12.1%)   0   0.095
 *   ssis.land-bank-farmland  1707 |       58 ( 3.4%)   0   0.976 |       58 ( 3.4%)   0   0.976
 *   all                     15134 |     2033 (13.4%)  18         |     1210 ( 8.0%)   3
 * Reading: the carry stops the number of groups flipping (18 changes → 3) and the groups
 * trading numbers when their sizes cross; what still moves is people whose votes moved them
 * (biodiversity, taxes, ssis: the same count either way). It costs where the first runs
 * settle on a k that a later fit alone would not take while no other k is clearly better:
 * Seattle holds the 3 groups of its first run (300 votes; a fit alone: 3, 4, then 2) until
 * run 7, and freshwater (a weak reference) keeps 3 where a fit alone takes 2 from run 4, and
 * its 3 groups trade more members. Football changed to 3 groups at run 9, after 3 was
 * clearly better in runs 7 to 9, and a fit alone goes back to 2 at run 10: its last ari is
 * of 3 groups.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "support/fixture_files.h"
#include "export/csv.h"
#include "text/opinion.h"

#define RUN_SEED 20261121u /* src/listen/runs.c */
#define RUNS     10
#define MAXCONV  64
#define MAXLABEL 16

struct event {
    int64_t ts, cid, pid;
    int8_t vote;
    size_t line;
};

struct conv {
    size_t nc;
    int64_t *cid; /* ascending */
    int *moderated;
    size_t ne;
    struct event *ev; /* time order */
    size_t nref;
    int64_t *ref_pid; /* ascending, with ref_group */
    int *ref_group;
};

static int cmp_event(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->ts != y->ts)
        return (x->ts > y->ts) - (x->ts < y->ts);
    return (x->line > y->line) - (x->line < y->line);
}

/* Reads the rows of a CSV file, calling row() with the header and each record. */
static bool each_row(const char *path,
                     void (*row)(const struct csv_record *hdr, const struct csv_record *rec,
                                 void *ctx),
                     void *ctx)
{
    size_t len;
    char *data = fixture_slurp(path, &len), err[128];
    struct csv_reader rh, r;
    struct csv_record hdr, rec;
    bool got;
    if (!data)
        return false;
    csv_open(&rh, data, len);
    csv_open(&r, data, len);
    if (csv_next(&rh, &hdr, &got, err, sizeof err) || !got ||
        csv_next(&r, &rec, &got, err, sizeof err)) {
        csv_close(&rh);
        csv_close(&r);
        free(data);
        return false;
    }
    while (csv_next(&r, &rec, &got, err, sizeof err) == 0 && got)
        row(&hdr, &rec, ctx);
    csv_close(&rh);
    csv_close(&r);
    free(data);
    return true;
}

struct loader {
    struct conv *c;
    size_t cap;
    int64_t *tmp_cid;
    int *tmp_mod;
};

static void comment_row(const struct csv_record *hdr, const struct csv_record *rec, void *ctx)
{
    struct loader *l = ctx;
    int64_t id, m;
    if (!fixture_int(csv_get(rec, csv_column(hdr, "comment-id")), &id) ||
        !fixture_int(csv_get(rec, csv_column(hdr, "moderated")), &m))
        return;
    if (l->c->nc == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->tmp_cid = realloc(l->tmp_cid, l->cap * sizeof *l->tmp_cid);
        l->tmp_mod = realloc(l->tmp_mod, l->cap * sizeof *l->tmp_mod);
        if (!l->tmp_cid || !l->tmp_mod)
            exit(1);
    }
    l->tmp_cid[l->c->nc] = id;
    l->tmp_mod[l->c->nc] = (int)m;
    l->c->nc++;
}

static void vote_row(const struct csv_record *hdr, const struct csv_record *rec, void *ctx)
{
    struct loader *l = ctx;
    struct event e;
    int64_t v;
    if (!fixture_int(csv_get(rec, csv_column(hdr, "timestamp")), &e.ts) ||
        !fixture_int(csv_get(rec, csv_column(hdr, "comment-id")), &e.cid) ||
        !fixture_int(csv_get(rec, csv_column(hdr, "voter-id")), &e.pid) ||
        !fixture_int(csv_get(rec, csv_column(hdr, "vote")), &v) || v < -1 || v > 1)
        return;
    e.vote = (int8_t)v;
    e.line = l->c->ne;
    if (l->c->ne == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->c->ev = realloc(l->c->ev, l->cap * sizeof *l->c->ev);
        if (!l->c->ev)
            exit(1);
    }
    l->c->ev[l->c->ne++] = e;
}

struct refpair {
    int64_t pid;
    int g;
};

static int cmp_ref(const void *a, const void *b)
{
    const struct refpair *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

struct refload {
    size_t n, cap;
    struct refpair *v;
};

static void ref_row(const struct csv_record *hdr, const struct csv_record *rec, void *ctx)
{
    struct refload *l = ctx;
    int64_t pid, g;
    if (!fixture_int(csv_get(rec, csv_column(hdr, "participant")), &pid))
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            exit(1);
    }
    l->v[l->n].pid = pid;
    l->v[l->n].g =
        fixture_int(csv_get(rec, csv_column(hdr, "group-id")), &g) && g >= 0 && g < MAXLABEL
            ? (int)g
            : -1;
    l->n++;
}

/* 1 loaded, 0 no votes.csv, -1 unreadable. */
static int load(const char *dir, const char *name, struct conv *c)
{
    char path[1400];
    struct loader l = {c, 0, NULL, NULL};
    struct refload rl = {0, 0, NULL};
    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, "%s/%s/comments.csv", dir, name);
    if (!each_row(path, comment_row, &l))
        return -1;
    {
        /* sort comments by id, carrying the moderation */
        size_t n = c->nc;
        int64_t *keys = fixture_xcalloc(n, sizeof *keys);
        memcpy(keys, l.tmp_cid, n * sizeof *keys);
        qsort(keys, n, sizeof *keys, fixture_cmp_i64);
        c->cid = keys;
        c->moderated = fixture_xcalloc(n, sizeof *c->moderated);
        for (size_t i = 0; i < n; i++)
            c->moderated[fixture_find_i64(keys, n, l.tmp_cid[i])] = l.tmp_mod[i];
        free(l.tmp_cid);
        free(l.tmp_mod);
    }
    snprintf(path, sizeof path, "%s/%s/votes.csv", dir, name);
    l.cap = 0;
    if (!each_row(path, vote_row, &l))
        return 0;
    qsort(c->ev, c->ne, sizeof *c->ev, cmp_event);
    snprintf(path, sizeof path, "%s/%s/participants-votes.csv", dir, name);
    if (!each_row(path, ref_row, &rl))
        return -1;
    qsort(rl.v, rl.n, sizeof *rl.v, cmp_ref);
    c->nref = rl.n;
    c->ref_pid = fixture_xcalloc(rl.n, sizeof *c->ref_pid);
    c->ref_group = fixture_xcalloc(rl.n, sizeof *c->ref_group);
    for (size_t i = 0; i < rl.n; i++) {
        c->ref_pid[i] = rl.v[i].pid;
        c->ref_group[i] = rl.v[i].g;
    }
    free(rl.v);
    return c->nc > 0 && c->ne > 0 ? 1 : -1;
}

static void conv_free(struct conv *c)
{
    free(c->cid);
    free(c->moderated);
    free(c->ev);
    free(c->ref_pid);
    free(c->ref_group);
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
        return 0;
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

/* One method's replay state: the previous run's groups by voter id. */
struct track {
    size_t np;
    int64_t *pid; /* ascending */
    int32_t *group;
    struct opinion_state state;
    size_t moved, pairs, kchg, k_prev;
    char ks[64];
};

/* Fits run r's votes (events [0, upto)), with the carry when carry is true; updates t. */
static void run(const struct conv *c, size_t upto, bool carry, struct track *t, bool first,
                int *final_labels)
{
    int64_t *pids = fixture_xcalloc(upto, sizeof *pids);
    size_t np = 0;
    struct opinion_vote *v = fixture_xcalloc(upto, sizeof *v);
    bool *mo = fixture_xcalloc(c->nc, sizeof *mo), *unl = fixture_xcalloc(c->nc, sizeof *unl);
    int32_t *prev = NULL;
    struct opinion_input in;
    struct opinion_carry cy;
    struct opinion_result res;

    for (size_t i = 0; i < upto; i++)
        pids[i] = c->ev[i].pid;
    qsort(pids, upto, sizeof *pids, fixture_cmp_i64);
    for (size_t i = 0; i < upto; i++)
        if (!np || pids[np - 1] != pids[i])
            pids[np++] = pids[i];
    for (size_t i = 0; i < upto; i++) {
        long s = fixture_find_i64(c->cid, c->nc, c->ev[i].cid);
        v[i] = (struct opinion_vote){(uint32_t)fixture_find_i64(pids, np, c->ev[i].pid),
                                     (uint32_t)(s < 0 ? 0 : s), c->ev[i].vote};
    }
    for (size_t s = 0; s < c->nc; s++) {
        mo[s] = c->moderated[s] == -1;
        unl[s] = c->moderated[s] == 0;
    }
    memset(&in, 0, sizeof in);
    in.n_participants = np;
    in.n_statements = c->nc;
    in.votes = v;
    in.n_votes = upto;
    in.moderated_out = mo;
    in.unlisted = unl;
    in.seed = RUN_SEED;
    if (carry && !first) {
        prev = fixture_xcalloc(np, sizeof *prev);
        for (size_t p = 0; p < np; p++) {
            long j = fixture_find_i64(t->pid, t->np, pids[p]);
            prev[p] = j < 0 ? -1 : t->group[j];
        }
        cy.prev_group = prev;
        cy.state = t->state;
        in.carry = &cy;
    }
    if (opinion_fit(&in, &res) != 0) {
        fprintf(stderr, "polis_carry: opinion_fit failed\n");
        exit(1);
    }
    if (!first) {
        for (size_t p = 0; p < np; p++) {
            long j = fixture_find_i64(t->pid, t->np, pids[p]);
            if (j < 0 || t->group[j] < 0 || res.group_of[p] < 0)
                continue;
            t->pairs++;
            t->moved += t->group[j] != res.group_of[p];
        }
        t->kchg += res.n_groups != t->k_prev;
    }
    snprintf(t->ks + strlen(t->ks), sizeof t->ks - strlen(t->ks), "%s%zu", first ? "" : ",",
             res.n_groups);
    t->k_prev = res.n_groups;
    t->state = res.state;
    free(t->pid);
    free(t->group);
    t->np = np;
    t->pid = pids;
    t->group = fixture_xcalloc(np, sizeof *t->group);
    memcpy(t->group, res.group_of, np * sizeof *t->group);
    if (final_labels)
        for (size_t i = 0; i < c->nref; i++) {
            long j = fixture_find_i64(pids, np, c->ref_pid[i]);
            final_labels[i] = j < 0 ? -1 : res.group_of[j];
        }
    opinion_result_free(&res);
    free(v);
    free(mo);
    free(unl);
    free(prev);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *fx = getenv("AHPHUB_FIXTURES");
    char dir[1024], *names[MAXCONV];
    size_t nn = 0, tot_moved[2] = {0}, tot_kchg[2] = {0}, tot_pairs = 0;
    DIR *d;
    struct dirent *e;
    if (argc > 1)
        snprintf(dir, sizeof dir, "%s", argv[1]);
    else
        snprintf(dir, sizeof dir, "%s/polis", fx && *fx ? fx : "../shared/fixtures");
    if (!(d = opendir(dir))) {
        fprintf(stderr,
                "polis_carry: %s is absent (clone the shared fixtures beside the "
                "repository or set AHPHUB_FIXTURES); nothing measured\n",
                dir);
        return 0;
    }
    while ((e = readdir(d)) && nn < MAXCONV)
        if (e->d_name[0] != '.' && strcmp(e->d_name, "SOURCE.md"))
            names[nn++] = strdup(e->d_name);
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_name);
    fprintf(stderr, "%-40s %6s %6s | %-15s %-5s %-20s %-6s | %-15s %-5s %-20s %-6s\n",
            "conversation", "events", "pairs", "fresh moved", "kchg", "ks", "ari", "carry moved",
            "kchg", "ks", "ari");
    for (size_t ci = 0; ci < nn; ci++) {
        struct conv c;
        struct track t[2];
        int *lab[2];
        double a[2];
        int got = load(dir, names[ci], &c);
        if (got <= 0) {
            fprintf(stderr, "%-40.40s %s\n", names[ci],
                    got == 0 ? "no votes.csv: no order of votes to replay; skipped"
                             : "cannot be read; skipped");
            printf("{\"bench\":\"polis_carry\",\"conversation\":\"%s\",\"skipped\":\"%s\"}\n",
                   names[ci], got == 0 ? "no votes.csv" : "unreadable");
            if (got == 0)
                conv_free(&c);
            free(names[ci]);
            continue;
        }
        memset(t, 0, sizeof t);
        for (int m = 0; m < 2; m++) {
            lab[m] = fixture_xcalloc(c.nref, sizeof *lab[m]);
            for (size_t r = 1; r <= RUNS; r++)
                run(&c, c.ne * r / RUNS, m == 1, &t[m], r == 1, r == RUNS ? lab[m] : NULL);
            a[m] = ari(lab[m], c.ref_group, c.nref);
        }
        fprintf(stderr,
                "%-40.40s %6zu %6zu | %6zu (%5.1f%%) %-5zu %-20s %6.3f | %6zu (%5.1f%%) %-5zu "
                "%-20s %6.3f\n",
                names[ci], c.ne, t[0].pairs, t[0].moved,
                t[0].pairs ? 100.0 * (double)t[0].moved / (double)t[0].pairs : 0, t[0].kchg,
                t[0].ks, a[0], t[1].moved,
                t[1].pairs ? 100.0 * (double)t[1].moved / (double)t[1].pairs : 0, t[1].kchg,
                t[1].ks, a[1]);
        printf("{\"bench\":\"polis_carry\",\"conversation\":\"%s\",\"events\":%zu,\"runs\":%d,"
               "\"pairs\":%zu,\"carry_moved\":%zu,\"carry_k_changes\":%zu,\"carry_ks\":\"%s\","
               "\"carry_ari\":%.4f,\"anchor\":\"fresh fit of the same runs\",\"fresh_pairs\":%zu,"
               "\"fresh_moved\":%zu,\"fresh_k_changes\":%zu,\"fresh_ks\":\"%s\","
               "\"fresh_ari\":%.4f}\n",
               names[ci], c.ne, RUNS, t[1].pairs, t[1].moved, t[1].kchg, t[1].ks, a[1], t[0].pairs,
               t[0].moved, t[0].kchg, t[0].ks, a[0]);
        fflush(stdout);
        for (int m = 0; m < 2; m++) {
            tot_moved[m] += t[m].moved;
            tot_kchg[m] += t[m].kchg;
            free(t[m].pid);
            free(t[m].group);
            free(lab[m]);
        }
        tot_pairs += t[1].pairs;
        conv_free(&c);
        free(names[ci]);
    }
    printf("{\"bench\":\"polis_carry\",\"summary\":true,\"pairs\":%zu,\"carry_moved\":%zu,"
           "\"carry_k_changes\":%zu,\"fresh_moved\":%zu,\"fresh_k_changes\":%zu}\n",
           tot_pairs, tot_moved[1], tot_kchg[1], tot_moved[0], tot_kchg[0]);
    return 0;
}
