/* demo_results.c: a demonstration exercise whose results are published — closed, analysed,
 * its "What we heard" report published and its "You said, we did" actions recorded
 *
 * So that a first look at `make run` shows the whole loop a citizen should see: the list says
 * "Results published", the exercise says what happened next, and both pages have content.
 * The contributions are written out in full, in the voices of people who use and work in a
 * community rehabilitation service (our own wording, invented for this), in three threads
 * (waiting and access, one named therapist, exercises at home and online) so the analysis
 * finds themes; two camps of voters give it opinion groups. Everything is made by the
 * program, so no rate limit applies (0). Idempotent by title.
 */
#include "listen/demo.h"
#include "listen/actions.h"
#include "listen/analysis.h"
#include "listen/curation.h"
#include "listen/listen.h"
#include "listen/report.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

#define RESULTS_TITLE "How did the community rehabilitation pilot work for you?"
#define VOTERS 24 /* enough for two opinion groups; each vote is a transaction */

static const char *const results_prompts[] = {
    "What worked well in the community rehabilitation pilot?",
    "What should we change before it runs everywhere?",
};

/* Each text, with the question it answers (0 or 1) and its thread (0, 1, 2). */
static const struct {
    int prompt, thread;
    const char *text;
} answers[] = {
    {1, 0, "Six weeks on the waiting list felt like forever after my hip operation."},
    {1, 0, "The wait for a first physiotherapy appointment was far too long, and nobody told us how long it would be."},
    {1, 0, "Please tell people on the waiting list roughly when they will be seen. Not knowing is the worst part."},
    {0, 0, "Once we got past the waiting list, the physiotherapy itself was excellent."},
    {1, 0, "My dad waited two months for an occupational therapy assessment and had a fall in that time."},
    {1, 0, "Waiting lists are long because there are not enough therapists, not because anyone is lazy."},
    {0, 0, "Being seen within a week of leaving hospital made a real difference to my recovery."},
    {1, 0, "A text message with the date of the first appointment would stop people ringing the office every day."},
    {1, 0, "The waiting list for speech and language therapy for children is still far too long."},
    {0, 0, "The new self-referral line meant I did not have to wait for my GP first."},
    {0, 1, "Having the same therapist every visit meant I did not have to tell my story again and again."},
    {1, 1, "I saw four different physiotherapists in six weeks and each one started from scratch."},
    {0, 1, "My occupational therapist knew my home and my family, and planned around them."},
    {1, 1, "Please give every patient one named therapist they can call with questions."},
    {0, 1, "The team talked to each other, so the speech therapist knew what the physio had done."},
    {1, 1, "Nobody seemed to read the notes from the hospital, so we started again at home."},
    {0, 1, "It helped that my therapist rang the day after my first visit to see how I was."},
    {1, 1, "A named therapist would help staff too: we would know our patients properly."},
    {0, 1, "Seeing the same dietitian each month built trust, and I actually followed the plan."},
    {1, 1, "Handovers between the hospital team and the community team need to be much better."},
    {0, 2, "The exercise videos meant I could practise at home between visits."},
    {1, 2, "Not everyone can use the online exercise programme: my mum has no smartphone."},
    {0, 2, "Video appointments saved me a two-hour round trip on the bus."},
    {1, 2, "Printed exercise sheets with clear pictures would help people who are not online."},
    {0, 2, "The app reminded me to do my exercises every morning, and I kept them up."},
    {1, 2, "Video calls are fine for a check-in, but not for a first assessment."},
    {0, 2, "Being able to message the team through the app stopped small worries becoming big ones."},
    {1, 2, "The online programme should work on a tablet, not only on a phone."},
    {0, 2, "My son helped me set up the video appointments, and after that they were easy."},
    {1, 2, "Some exercises in the videos were too fast to follow; slower versions would help."},
};

/* Camp 0 agrees with the answers to "what should change" (1), camp 1 with what worked (0). */
/* What the facilitators call a theme, by the first of its leading terms that says what it is
 * about; each name is given once. */
static const char *const names[] = {
    "Waiting for a first appointment",
    "Seeing the same therapist every time",
    "Video appointments",
    "The online exercise programme",
    "Exercises at home",
};
static const struct {
    const char *word;
    int name;
} marks[] = {{"wait", 0}, {"list", 0},   {"same", 1},    {"named", 1},    {"notes", 1},
             {"video", 2}, {"online", 3}, {"programme", 3}, {"app", 3},   {"exercise", 4},
             {"therapist", 1}};

/* The name (index into names) for a theme not yet named, by its first terms, or -1. */
static int name_of(const struct listen_theme *th, const bool *taken)
{
    for (size_t t = 0; t < th->terms.n && t < 4; t++)
        for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++)
            if (strstr(th->terms.v[t], marks[m].word) && !taken[marks[m].name])
                return marks[m].name;
    return -1;
}

/* Renames the latest run's themes as a facilitator would, once per thread. */
static int name_themes(struct db *db, struct arena *a, int64_t exercise, int64_t by)
{
    struct listen_analysis_latest latest;
    bool named[sizeof names / sizeof names[0]] = {false, false, false, false, false};
    int rc = listen_analysis_latest(db, a, exercise, &latest);
    for (size_t i = 0; !rc && latest.result && i < latest.result->nthemes; i++) {
        const struct listen_theme *th = &latest.result->themes[i];
        int n = name_of(th, named);
        if (n < 0)
            continue;
        named[n] = true;
        rc = listen_curation_edit(db, exercise, &th->key, "rename", names[n], NULL, 0, by);
    }
    return rc;
}

static int camp_vote(int camp, int prompt, int k)
{
    if (k % 7 == 3)
        return 0; /* everyone passes on some */
    return (camp == 0) == (prompt == 1) ? 1 : -1;
}

int listen_demo_results(struct db *db, int64_t facilitator, int *created)
{
    struct arena *a = arena_new();
    struct listen_exercise_input in = {0};
    struct listen_exercise e;
    struct db_stmt *st = NULL;
    int64_t id, run = 0, people[VOTERS], ids[sizeof answers / sizeof answers[0]];
    const char *slug;
    json_t *themes = NULL;
    size_t nids = 0;
    bool ran = true;
    int rc;
    *created = 0;
    if (!a)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_LX_BY_TITLE, &st, "t", RESULTS_TITLE);
    db_finalize(st);
    if (rc != APP_E_NOTFOUND)
        goto done; /* made on an earlier run (APP_OK), or the lookup failed */
    in.title = RESULTS_TITLE;
    in.summary_md =
        "For six months a community rehabilitation team offered physiotherapy, occupational "
        "therapy, speech and language therapy and dietetics at home, by video and in clinics. "
        "We asked the people who used it, and the staff who ran it, what worked and what to "
        "change.\n\n*This is demonstration content: the contributions were written for it.*";
    in.audiences = "citizen,ahp,staff";
    in.flag_threshold = 3;
    in.prompts = results_prompts;
    in.nprompts = 2;
    rc = listen_exercise_create(db, &in, facilitator, &id, &slug, a);
    if (!rc)
        rc = listen_exercise_set_status(db, id, LS_OPEN, facilitator);
    if (!rc)
        rc = listen_exercise_get_id(db, a, id, &e);
    for (int i = 0; i < VOTERS && !rc; i++) {
        static const char *const auds[] = {"citizen", "citizen", "ahp", "staff", ""};
        char token[LISTEN_TOKEN_HEX];
        rc = listen_participant_create(db, id, auds[i % 5], "", "", token, &people[i]);
    }
    for (size_t i = 0; i < sizeof answers / sizeof answers[0] && !rc; i++) {
        enum listen_cstatus status;
        rc = listen_contribute(db, &e, people[i % VOTERS], e.prompts[answers[i].prompt].id, 0,
                               answers[i].text, 0, &ids[nids], &status);
        if (!rc)
            nids++;
    }
    for (int p = 0; p < VOTERS && !rc; p++)
        for (size_t k = 0; k < nids && !rc; k++) {
            rc = listen_vote(db, &e, people[p], ids[k], camp_vote(p % 2, answers[k].prompt, (int)(k + (size_t)p)), 0);
            if (rc == APP_E_FORBIDDEN)
                rc = APP_OK; /* their own */
        }
    /* analysed now, in this process: the demo must not wait for a server's worker */
    if (!rc)
        rc = listen_analysis_enqueue(db, id, facilitator, 3, &run);
    while (!rc && ran) {
        struct listen_report_state rs;
        rc = listen_analysis_run_next(db, &ran);
        if (!rc && !(rc = listen_report_state(db, id, &rs)) && rs.latest_run)
            break;
    }
    if (!rc)
        rc = name_themes(db, a, id, facilitator);
    if (!rc)
        rc = listen_exercise_set_status(db, id, LS_CLOSED, facilitator);
    if (!rc) {
        struct listen_report_state rs;
        rc = listen_report_state(db, id, &rs);
        if (!rc && rs.latest_run)
            rc = listen_report_publish(db, id, rs.latest_run, facilitator);
    }
    /* what is being done, linked to the published themes */
    if (!rc)
        rc = listen_action_themes(db, id, &themes);
    if (!rc) {
        static const struct {
            const char *what, *who, *status;
        } acts[] = {
            {"Everyone on the waiting list now gets a text with the week of their first "
             "appointment, and a number to call if things change.",
             "Community therapy administration team", "done"},
            {"Each person is given one named therapist for the whole of their rehabilitation.",
             "Community rehabilitation team leads", "in_progress"},
            {"Printed exercise sheets with pictures, and slower versions of the exercise "
             "videos, for people who are not online.",
             "Physiotherapy and occupational therapy teams", "planned"},
        };
        for (size_t i = 0; i < 3 && !rc; i++) {
            /* beside the first theme it answers that was published, else about it all */
            static const int answers_to[3][2] = {{0, 0}, {1, 1}, {3, 2}};
            struct listen_action_input ai = {"", acts[i].what, acts[i].who, acts[i].status, 0};
            int64_t action;
            json_t *th;
            size_t k;
            for (int c = 1; c >= 0; c--)
                json_array_foreach(themes, k, th)
                {
                    const char *l = json_string_value(json_object_get(th, "label"));
                    if (l && !strcmp(l, names[answers_to[i][c]]))
                        ai.theme = l;
                }
            rc = listen_action_create(db, id, &ai, facilitator, &action, NULL);
        }
    }
    if (!rc)
        *created = 1;
done:
    json_decref(themes);
    arena_free(a);
    return rc;
}
