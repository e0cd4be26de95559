/* report_bench.c: the "What we heard" PDF of an exercise with 10,000 contributions
 *
 * Issue "Listen analysis": "bench/report: the PDF for an exercise of 10,000 contributions in
 * ≤ 1 s". An exercise is made in a throw-away SQLite database through the domain functions a
 * visitor's requests use (2,000 participants, 5 contributions each, redacted and stored, and
 * 10,000 votes), analysed once (not timed), and then the report is timed as a download is
 * made: the model read from the database (listen_report_model) and typeset
 * (listen_report_pdf), median of BENCH_RUNS runs. The anchor, in the same process on the same
 * model, is the same model written as JSON: what any renderer of the report must at least do,
 * so seconds / anchor is what typesetting costs over walking the data.
 * Output: {"bench":"report_pdf","contributions":…,"pages":…,"bytes":…,"seconds":…,
 *          "anchor_seconds":…,"ratio":…,"target_seconds":1.0}
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/rand.h"
#include "listen/analysis.h"
#include "listen/listen.h"
#include "listen/report.h"
#include "listen/report_pdf.h"
#include "store/db.h"
#include "store/migrate.h"
#include "timing.h"

#define PARTICIPANTS 2000
#define EACH         5
#define VOTES        10000
#define BENCH_RUNS   5

/* Eight subjects people raise about therapy services, and words around them. */
static const char *const subjects[8][4] = {
    {"the wait for physiotherapy was far too long", "months on the waiting list",
     "waiting times keep getting worse", "nobody said how long the wait would be"},
    {"the therapists were kind and listened", "staff explained everything to me",
     "I was treated with dignity", "a patient and supportive team"},
    {"parking at the clinic costs too much", "no buses go near the hospital",
     "travel to appointments is hard", "the car park is always full"},
    {"video appointments worked well for me", "the booking website kept failing",
     "my records were not shared between teams", "I had to repeat my story at every clinic"},
    {"there are not enough speech and language therapists", "clinics cancelled for lack of staff",
     "the team is stretched and tired", "vacancies are never filled"},
    {"my child could not get therapy at school", "children fall through the gaps",
     "moving from children's to adult services was poor", "family support was excellent"},
    {"mental health support should come with rehabilitation", "anxiety after my injury",
     "talking therapy helped me cope", "wellbeing checks would help"},
    {"home exercises were useful", "a home visit helped me manage", "equipment arrived late",
     "more follow up at home please"},
};
static const char *const openers[] = {"Honestly,",    "In my experience",
                                      "As a carer,",  "Last year",
                                      "On the whole", "Sadly",
                                      "For my mum,",  "As an occupational therapist,"};
static const char *const audiences[] = {"citizen", "ahp", "staff", ""};

int main(void)
{
    char path[] = "/tmp/ahphub-report-bench-XXXXXX", url[64], text[400];
    struct db *db = NULL;
    struct arena *a = arena_new();
    struct listen_exercise e;
    struct rng r;
    const char *prompts[] = {"What matters most to you about therapy services?"};
    struct listen_exercise_input in = {.title = "What we heard benchmark",
                                       .summary_md = "A synthetic exercise.",
                                       .audiences = "citizen,ahp,staff",
                                       .flag_threshold = 3,
                                       .prompts = prompts,
                                       .nprompts = 1};
    int64_t id = 0, voter = 0, *contributions = NULL;
    const char *slug = NULL;
    double t[BENCH_RUNS], anchor[BENCH_RUNS];
    size_t pages = 0, bytes = 0, nc = 0;
    int fd = mkstemp(path), applied, rc = 1;
    bool ran;
    log_set_quiet(1);
    if (fd < 0 || !a)
        return 1;
    close(fd);
    snprintf(url, sizeof url, "sqlite:%s", path);
    rng_seed(&r, 20261121);
    contributions = calloc(PARTICIPANTS * EACH, sizeof *contributions);
    if (!contributions || db_open(url, &db) || migrate_up(db, &applied) ||
        listen_exercise_create(db, &in, 0, &id, &slug, a) ||
        listen_exercise_set_status(db, id, LS_OPEN, 0) || listen_exercise_get(db, a, slug, &e))
        goto done;
    for (int p = 0; p < PARTICIPANTS; p++) {
        char token[LISTEN_TOKEN_HEX];
        int64_t pid;
        if (listen_participant_create(db, e.id, audiences[rng_below(&r, 4)], NULL, NULL, token,
                                      &pid))
            goto done;
        for (int k = 0; k < EACH; k++) {
            unsigned s = (unsigned)rng_below(&r, 8);
            enum listen_cstatus status;
            snprintf(text, sizeof text, "%s %s, and %s.", openers[rng_below(&r, 8)],
                     subjects[s][rng_below(&r, 4)], subjects[s][rng_below(&r, 4)]);
            if (listen_contribute(db, &e, pid, e.prompts[0].id, 0, text, 0, &contributions[nc],
                                  &status))
                goto done;
            nc++;
        }
    }
    for (int v = 0; v < VOTES; v++) {
        char token[LISTEN_TOKEN_HEX];
        if (v % 10 == 0 && listen_participant_create(db, e.id, audiences[rng_below(&r, 4)], NULL,
                                                     NULL, token, &voter))
            goto done;
        /* a voter's own contributions are never among these: voters are new participants */
        if (listen_vote(db, &e, voter, contributions[rng_below(&r, nc)], (int)rng_below(&r, 3) - 1,
                        0))
            goto done;
    }
    if (listen_analysis_enqueue(db, e.id, 0, 0, &id) || listen_analysis_run_next(db, &ran) || !ran)
        goto done;
    for (int run = 0; run < BENCH_RUNS; run++) {
        struct listen_report_state st;
        struct buf pdf = BUF_INIT, json = BUF_INIT;
        json_t *m = NULL;
        double t0 = now_s();
        if (listen_report_state(db, e.id, &st) ||
            listen_report_model(db, &e, st.latest_run, false, &m) ||
            listen_report_pdf(m, true, NULL, &pdf, &pages)) {
            json_decref(m);
            buf_free(&pdf);
            goto done;
        }
        t[run] = now_s() - t0;
        json_decref(m);
        m = NULL;
        bytes = pdf.len;
        t0 = now_s();
        if (listen_report_model(db, &e, st.latest_run, false, &m) ||
            json_dump_callback(m, buf_append_cb, &json, JSON_INDENT(1))) {
            json_decref(m);
            buf_free(&pdf);
            buf_free(&json);
            goto done;
        }
        anchor[run] = now_s() - t0;
        json_decref(m);
        buf_free(&json);
        buf_free(&pdf);
    }
    qsort(t, BENCH_RUNS, sizeof t[0], cmp_double);
    qsort(anchor, BENCH_RUNS, sizeof anchor[0], cmp_double);
    printf("{\"bench\":\"report_pdf\",\"contributions\":%zu,\"votes\":%d,\"pages\":%zu,"
           "\"bytes\":%zu,\"seconds\":%.4f,\"anchor_seconds\":%.4f,\"ratio\":%.1f,"
           "\"target_seconds\":1.0,\"runs\":%d}\n",
           nc, VOTES, pages, bytes, t[BENCH_RUNS / 2], anchor[BENCH_RUNS / 2],
           anchor[BENCH_RUNS / 2] > 0 ? t[BENCH_RUNS / 2] / anchor[BENCH_RUNS / 2] : 0, BENCH_RUNS);
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "report_bench: could not build the exercise or its report\n");
    free(contributions);
    db_close(db);
    arena_free(a);
    unlink(path);
    {
        char side[80];
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    return rc;
}
