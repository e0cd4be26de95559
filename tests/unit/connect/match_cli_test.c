/* match_cli_test.c: `ahphub match` as a lead runs it — both modes on small files with the
 * exact output, the order of rows not mattering, a round of 300 mentees whose rows keep
 * every rule and whose total is the matcher's first formulation's, the note on rounded
 * scores, and bad input named by file and line.
 * The program is the one built beside this test (build/tests/unit/connect/x → build/ahphub). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connect/match.h"
#include "core/err.h"
#include "core/rand.h"

static char exe[4096], dir[64];

static void put(const char *name, const char *text)
{
    char path[4200];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static char *get(const char *name)
{
    static char bufs[2][16384];
    static int k;
    char path[4200], *b = bufs[k++ % 2];
    size_t n;
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (!f) {
        b[0] = '\0';
        return b;
    }
    n = fread(b, 1, sizeof bufs[0] - 1, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* Runs `ahphub match ARGS` in the temp dir; stdout to out.txt, stderr to err.txt. Returns the
 * exit status. */
static int run(const char *args)
{
    char cmd[8192];
    int st;
    snprintf(cmd, sizeof cmd, "cd %s && %s/ahphub match %s >out.txt 2>err.txt", dir, exe, args);
    st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" not in:\n%s", needle, hay);
}

static int setup(void **state)
{
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    (void)state;
    assert_true(n > 0);
    exe[n] = '\0';
    for (int i = 0; i < 4; i++) {
        char *slash = strrchr(exe, '/');
        assert_non_null(slash);
        *slash = '\0';
    }
    snprintf(dir, sizeof dir, "/tmp/ahphub-match-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    char cmd[200];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The greedy trap, with a header row; then a capacity file lets M1 take both. */
static void test_scores(void **state)
{
    (void)state;
    put("s.csv", "mentee,mentor,score\nA,M1,10\nA,M2,9\nB,M1,9\nC,M2,0\n");
    assert_int_equal(run("--scores s.csv"), 0);
    assert_string_equal(get("out.txt"), "A,M2,9\nB,M1,9\ntotal,18\n");
    assert_has(get("err.txt"), "matched 2 of 3 mentees, total score 18");
    assert_has(get("err.txt"), "unmatched C: no allowed mentor scores above zero");
    put("c.csv", "mentor,capacity\nM1,2\nM9,4\n");
    assert_int_equal(run("--scores s.csv --capacity c.csv"), 0);
    assert_string_equal(get("out.txt"), "A,M1,10\nB,M1,9\ntotal,19\n");
    /* no header, decimals rounded to thousandths, printed without trailing zeros */
    put("d.csv", "A,M1,2.5\nB,M1,2.4996\nB,M2,0.25\n");
    assert_int_equal(run("--scores d.csv"), 0);
    assert_string_equal(get("out.txt"), "A,M1,2.5\nB,M2,0.25\ntotal,2.75\n");
    /* … and the lead is told, since 2.4996 and 2.5 now tie */
    assert_has(get("err.txt"), "1 score had more than three decimals, rounded to the nearest "
                               "0.001; the assignment is optimal for the scores as rounded");
    put("e.csv", "A,M1,2.5000\nB,M1,1e-4\nB,M2,0.1250\nC,M2,-0.3330001\n");
    assert_int_equal(run("--scores e.csv"), 0);
    assert_has(get("err.txt"), "2 scores had more than three decimals");
    assert_int_equal(run("--scores s.csv"), 0);
    assert_null(strstr(get("err.txt"), "decimals"));
}

/* A round of 300 mentees and 60 mentors, 12 pairs each with scores to the thousandth, rows
 * shuffled, capacities 0–3 for most mentors from a file (the rest take 1): every printed row
 * is an allowed pair with its score, each mentee at most once, no mentor over capacity, the
 * rows add up to the printed total, and that total is the optimum the first formulation
 * (every pair, simplex, glp_exact) finds in this process. */
static void test_scores_round(void **state)
{
    enum { M = 300, N = 60, PER = 12 };
    static struct match_pair pairs[M * PER];
    static char text[M * PER * 32];
    uint32_t cap[N], load[N] = {0};
    struct match_problem p = {M, N, cap, pairs, 0};
    struct match_result ref;
    struct rng g;
    char capt[N * 16], *out, *save = NULL, t[32];
    size_t len = 0, clen = 0, rows = 0;
    int64_t sum = 0, total = -1;
    bool seen[M] = {false};
    (void)state;
    rng_seed(&g, 99);
    clen += (size_t)snprintf(capt, sizeof capt, "mentor,capacity\n");
    for (uint32_t j = 0; j < N; j++) {
        cap[j] = 1;
        if (j % 5) { /* every fifth mentor has no row: capacity 1 */
            cap[j] = (uint32_t)rng_below(&g, 4);
            clen += (size_t)snprintf(capt + clen, sizeof capt - clen, "m%02u,%u\n", j, cap[j]);
        }
    }
    for (uint32_t i = 0; i < M; i++) {
        uint32_t start = (uint32_t)rng_below(&g, N);
        for (uint32_t k = 0; k < PER; k++) /* 12 distinct mentors: stride 7 over 60 */
            pairs[p.npairs++] =
                (struct match_pair){i, (start + 7 * k) % N, (int64_t)rng_below(&g, 30001) - 1000};
    }
    for (size_t e = p.npairs; e > 1; e--) { /* the file's rows in a random order */
        size_t k = (size_t)rng_below(&g, e);
        struct match_pair x = pairs[e - 1];
        pairs[e - 1] = pairs[k];
        pairs[k] = x;
    }
    len += (size_t)snprintf(text, sizeof text, "mentee,mentor,score\n");
    for (size_t e = 0; e < p.npairs; e++)
        len += (size_t)snprintf(text + len, sizeof text - len, "e%03u,m%02u,%s\n", pairs[e].mentee,
                                pairs[e].mentor, match_format_score(pairs[e].score, t, sizeof t));
    put("round.csv", text);
    put("round_cap.csv", capt);
    assert_int_equal(run("--scores round.csv --capacity round_cap.csv"), 0);
    assert_null(strstr(get("err.txt"), "decimals"));
    /* ids number mentees and mentors in the same order as the indices here (e000 < e001 …) */
    assert_int_equal(match_solve_with(&p, MATCH_ALL_COLUMNS | MATCH_EXACT_ALWAYS, &ref, NULL),
                     APP_OK);
    out = get("out.txt");
    for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        unsigned i, j;
        char sc[32];
        int64_t v = 0;
        bool listed = false;
        if (sscanf(l, "total,%31s", sc) == 1) {
            assert_true(match_parse_score(sc, &total));
            continue;
        }
        assert_int_equal(sscanf(l, "e%u,m%u,%31s", &i, &j, sc), 3);
        assert_true(i < M && j < N);
        assert_true(match_parse_score(sc, &v));
        for (size_t e = 0; e < p.npairs; e++)
            if (pairs[e].mentee == i && pairs[e].mentor == j) {
                listed = true;
                assert_int_equal(pairs[e].score, v);
            }
        assert_true(listed);
        assert_true(v > 0);
        assert_false(seen[i]);
        seen[i] = true;
        assert_true(++load[j] <= cap[j]);
        sum += v;
        rows++;
    }
    assert_int_equal(total, sum);
    assert_int_equal(total, ref.total);
    assert_int_equal(rows, ref.matched);
    assert_true(rows > 50);
    match_result_free(&ref);
}

static int cmp_line(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The lines of text, sorted, joined again (text is changed). */
static void sort_lines(char *text, char *out, size_t n)
{
    char *lines[64], *save = NULL;
    size_t k = 0;
    for (char *l = strtok_r(text, "\n", &save); l && k < 64; l = strtok_r(NULL, "\n", &save))
        lines[k++] = l;
    qsort(lines, k, sizeof *lines, cmp_line);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        strncat(out, lines[i], n - strlen(out) - 2);
        strcat(out, "\n");
    }
}

/* Every score alike: many optimal assignments, and the same one whatever the row order.
 * Rows follow the mentees' first appearance, so b.csv (D before C) prints them in another
 * order: the same lines. */
static void test_scores_order_does_not_matter(void **state)
{
    char a[4096], b[4096], sa[4096], sb[4096];
    (void)state;
    put("a.csv", "A,M1,1\nA,M2,1\nB,M1,1\nB,M2,1\nC,M1,1\nC,M3,1\nD,M3,1\nD,M2,1\n");
    put("b.csv", "B,M2,1\nA,M2,1\nD,M2,1\nC,M3,1\nA,M1,1\nC,M1,1\nB,M1,1\nD,M3,1\n");
    assert_int_equal(run("--scores a.csv"), 0);
    snprintf(a, sizeof a, "%s", get("out.txt"));
    assert_has(a, "total,3\n");
    assert_int_equal(run("--scores b.csv"), 0);
    snprintf(b, sizeof b, "%s", get("out.txt"));
    assert_string_not_equal(a, b); /* printed in another order … */
    sort_lines(a, sa, sizeof sa);
    sort_lines(b, sb, sizeof sb);
    assert_string_equal(sa, sb); /* … the same assignment */
}

static const char MENTEES[] =
    "id,name,profession,region,organisation,band,goals,preference,outside_org\n"
    "e1,Asha Patel,physiotherapist,North West,Trust A,6,digital;quality improvement,"
    "another-profession,yes\n"
    "e2,Ben Jones,paramedic,London,Ambulance B,5,vision and direction,same,no\n"
    "e3,Cara Li,dietitian,North West,Trust A,7,research,any,no\n"
    "e4,Dan Roe,radiographer,London,Trust C,8a,digital,any,no\n"
    "e5,Eve Ng,podiatrist,London,Trust C,9,digital,any,no\n"
    "e6,Fay Obi,paramedic,London,Trust C,5,leadership,any,no\n";
static const char MENTORS[] =
    "id,name,profession,region,organisation,band,offers,capacity,min_band,excludes\n"
    "m1,Mo Khan,occupational therapist,North West,Trust B,8a,Digital;quality improvement;"
    "research,1,,e3\n"
    "m2,Nia Gray,paramedic,London,Ambulance B,7,vision and direction;digital,2,5,\n"
    "m3,Ola Berg,physiotherapist,North West,Trust A,7,research,1,,\n";

static void test_profiles(void **state)
{
    (void)state;
    put("mentees.csv", MENTEES);
    put("mentors.csv", MENTORS);
    assert_int_equal(
        run("--mentees mentees.csv --mentors mentors.csv --out m.csv --alternatives alt.csv"), 0);
    assert_string_equal(
        get("m.csv"),
        "mentee_id,mentee_name,mentor_id,mentor_name,score,why\n"
        "e1,Asha Patel,m1,Mo Khan,29,\"2 goals met: digital, quality improvement; another "
        "profession as asked; outside own organisation as asked; same region\"\n"
        "e2,Ben Jones,m2,Nia Gray,16,1 goal met: vision and direction; the same profession as "
        "asked; same region\n"
        "e3,Cara Li,m3,Ola Berg,12,1 goal met: research; same region\n"
        "e4,Dan Roe,,,,unmatched: every allowed mentor is at capacity with mentees who score as "
        "well or better\n"
        "e5,Eve Ng,,,,unmatched: no allowed mentor (outside the mentor's bands: 3)\n"
        "e6,Fay Obi,,,,unmatched: no allowed mentor (offers none of the goals: 3)\n");
    assert_string_equal(get("alt.csv"),
                        "mentee_id,mentee_name,rank,mentor_id,mentor_name,score,why\n"
                        "e1,Asha Patel,1,m2,Nia Gray,17,1 goal met: digital; another profession "
                        "as asked; outside own organisation as asked\n"
                        "e4,Dan Roe,1,m1,Mo Khan,10,1 goal met: digital\n");
    assert_has(get("err.txt"), "matched 3 of 6 mentees, total score 57");
    assert_has(get("err.txt"), "unmatched e5: no allowed mentor (outside the mentor's bands: 3)");
    /* without --out the CSV goes to standard output */
    assert_int_equal(run("--mentees mentees.csv --mentors mentors.csv"), 0);
    assert_string_equal(get("out.txt"), get("m.csv"));
}

static void test_bad_input(void **state)
{
    (void)state;
    put("bad.csv", "mentee,mentor,score\nA,M1,10\nA,M2,ten\n");
    assert_int_equal(run("--scores bad.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "bad.csv:3: score \"ten\" is not a number from -10000 to 10000\n");
    assert_string_equal(get("out.txt"), "");
    /* beyond the integer scale: refused with the line, not rounded into range */
    put("huge.csv", "A,M1,10000\nB,M1,-10000.001\n");
    assert_int_equal(run("--scores huge.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "huge.csv:2: score \"-10000.001\" is not a number from -10000 to 10000\n");
    assert_string_equal(get("out.txt"), "");
    put("dup.csv", "A,M1,10\nB,M1,3\nA,M1,4\n");
    assert_int_equal(run("--scores dup.csv"), 2);
    assert_string_equal(get("err.txt"), "dup.csv:3: the pair A,M1 is already given on line 1\n");
    put("few.csv", "A,M1,10\nB,M1\n");
    assert_int_equal(run("--scores few.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "few.csv:2: expected 3 fields (mentee,mentor,score), found 2\n");
    put("s.csv", "A,M1,10\n");
    put("cap.csv", "M1,1\nM1,2\n");
    assert_int_equal(run("--scores s.csv --capacity cap.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "cap.csv:2: mentor \"M1\" already has a capacity on line 1\n");
    put("cap.csv", "mentor,capacity\nM1,-1\n");
    assert_int_equal(run("--scores s.csv --capacity cap.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "cap.csv:2: capacity \"-1\" is not a whole number from 0 to 100000\n");
    put("mentees.csv", MENTEES);
    put("mentors.csv", "id,name,profession,region,organisation,band,offers\n"
                       "m1,Mo,ot,NW,T,8a,digital\nm2,Nia,p,L,A,eight,digital\n");
    assert_int_equal(run("--mentees mentees.csv --mentors mentors.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "mentors.csv:3: band \"eight\" is not a band (1 to 7, 8a to 8d, 9)\n");
    assert_int_equal(run("--scores nope.csv"), 2);
    assert_string_equal(get("err.txt"),
                        "ahphub match: cannot read nope.csv: No such file or directory\n");
    assert_int_equal(run("--mentees mentees.csv"), 2); /* no --mentors */
    assert_has(get("err.txt"), "usage: ahphub match");
    assert_int_equal(run("--scores s.csv --mentees mentees.csv"), 2); /* two modes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores),       cmocka_unit_test(test_scores_order_does_not_matter),
        cmocka_unit_test(test_scores_round), cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
