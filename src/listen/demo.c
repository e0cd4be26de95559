/* demo.c: a demonstration listening exercise with generated participation
 *
 * The text is generated from phrase lists written for this purpose (in the spirit of the
 * national AHP engagement: access, joined-up care, visibility of the professions,
 * innovation, workforce and careers), combined by a seeded generator, so every run makes
 * the same exercise and nothing is copied from real contributions. Participants are
 * synthetic: a third citizens, a third AHPs, the rest other staff or unstated.
 */
#include "listen/demo.h"
#include "listen/listen.h"
#include "listen/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

#define DEMO_TITLE "What should the new strategy for the allied health professions focus on?"
#define PARTICIPANTS 160
#define CONTRIBUTIONS 320
#define REPLIES 80

static const char *const prompts[] = {
    "What matters most to you when you see an allied health professional?",
    "What should change so that people get the right support at the right time?",
    "What would help allied health professionals do their best work?",
};

static const char *const openers[] = {
    "I think", "In my experience", "For me,", "Honestly,", "From what I have seen,",
    "Speaking as someone who uses these services,", "Working in the NHS, I find",
    "It seems to me", "The biggest thing is that", "We really need to recognise that",
};

/* Topic phrases by prompt, roughly what each audience tends to raise. */
static const char *const topics[3][10] = {
    {"being listened to as a whole person, not a list of conditions",
     "seeing the same therapist each time so I do not repeat my story",
     "clear explanations of what each professional actually does",
     "appointments close to home or by video when travel is hard",
     "being told how long the wait will be and what to do meanwhile",
     "support that carries on after I leave hospital",
     "help for my family and carers as well as for me",
     "being involved in decisions about my own rehabilitation",
     "knowing who to call when something goes wrong",
     "care that fits around work and school"},
    {"self-referral to physiotherapy and podiatry without waiting for a GP",
     "shorter waits for speech and language therapy for children",
     "community teams that talk to each other and to the hospital",
     "shared records so nobody has to start from scratch",
     "more prevention and early help rather than crisis care",
     "removing the barriers that people in rural areas face",
     "making services accessible for people who are digitally excluded",
     "dietitians and occupational therapists in every primary care network",
     "paramedics able to treat more people at home",
     "joined-up mental health and physical health support"},
    {"protected time for supervision, learning and research",
     "clear career pathways into advanced practice and leadership",
     "recognising AHP digital leads as real roles with time and pay",
     "AHP voices at board level in every trust",
     "better IT that works across organisations",
     "tackling vacancies in the smaller professions",
     "mentoring across professions, not only within our own",
     "apprenticeships that widen who can join the professions",
     "time to lead quality improvement projects",
     "valuing the support workforce and their development"},
};

static const char *const reasons[] = {
    "because it makes the biggest difference to outcomes.",
    "because at the moment it depends on where you live.",
    "which would also save money in the long run.",
    "and I have seen how much better things are when it happens.",
    "otherwise people fall through the gaps.",
    "because people give up when it is too hard.",
    "and the evidence for it is strong.",
    "so that staff stay rather than leave.",
    ".",
    "and it would reduce pressure on GPs and A&E.",
};

static const char *const reply_texts[] = {
    "I agree, and the same is true in our area.",
    "This happened to my mum too. It made a real difference when it worked.",
    "Good point, but it needs funding to be realistic.",
    "We tried this locally and it worked well once teams were given time.",
    "I am not sure this is the top priority, but it matters.",
    "Yes. Clear information would help everyone.",
    "This is exactly what our service users tell us.",
    "It would need better IT to work across organisations.",
};

static const char *pick(struct rng *r, const char *const *list, size_t n)
{
    return list[rng_below(r, n)];
}

int listen_demo(struct db *db, int64_t facilitator, int *created)
{
    struct arena *a = arena_new();
    struct listen_exercise_input in = {0};
    struct listen_exercise e;
    struct rng r;
    int64_t id, *people = NULL, *posts = NULL;
    const char *slug;
    size_t nposts = 0;
    int rc;
    *created = 0;
    if (!a)
        return APP_E_NOMEM;
    {
        struct db_stmt *st = NULL;
        rc = db_row(db, SQL_LX_BY_TITLE, &st, "t", DEMO_TITLE);
        db_finalize(st);
        if (rc == APP_OK)
            goto done; /* made on an earlier run */
        if (rc != APP_E_NOTFOUND)
            goto done;
    }
    in.title = DEMO_TITLE;
    in.summary_md =
        "We are writing a new strategy for the **allied health professions** (AHPs): the 14 "
        "professions, from physiotherapists and paramedics to arts therapists, who assess, "
        "treat and support people across health and care.\n\n"
        "Tell us what matters to you. You do not need an account and you do not need to say "
        "who you are. Read what others have said and say whether you agree.\n\n"
        "*This is demonstration content: the contributions were generated.*";
    in.audiences = "citizen,ahp,staff";
    in.flag_threshold = 3;
    in.prompts = prompts;
    in.nprompts = 3;
    rc = listen_exercise_create(db, &in, facilitator, &id, &slug, a);
    if (!rc)
        rc = listen_exercise_set_status(db, id, LS_OPEN, facilitator);
    if (!rc)
        rc = listen_exercise_get_id(db, a, id, &e);
    if (rc)
        goto done;
    people = arena_calloc(a, PARTICIPANTS, sizeof *people);
    posts = arena_calloc(a, CONTRIBUTIONS + REPLIES, sizeof *posts);
    if (!people || !posts) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rng_seed(&r, 20261121);
    for (int i = 0; i < PARTICIPANTS && !rc; i++) {
        static const char *const auds[] = {"citizen", "citizen", "ahp", "ahp", "staff", ""};
        const char *aud = auds[rng_below(&r, 6)], *prof = "", *reg = "";
        char token[LISTEN_TOKEN_HEX];
        if (!strcmp(aud, "ahp") || !strcmp(aud, "staff")) {
            prof = !strcmp(aud, "ahp") ? professions[rng_below(&r, professions_count - 1)].code
                                       : "";
            reg = regions[rng_below(&r, regions_count)].code;
        }
        rc = listen_participant_create(db, id, aud, prof, reg, token, &people[i]);
    }
    /* The demonstration is written in one go by the program itself: no rate limit (0). */
    for (int i = 0; i < CONTRIBUTIONS && !rc; i++) {
        char text[400];
        size_t p = rng_below(&r, 3);
        enum listen_cstatus status;
        snprintf(text, sizeof text, "%s %s %s", pick(&r, openers, 10), topics[p][rng_below(&r, 10)],
                 pick(&r, reasons, 10));
        {
            size_t len = strlen(text); /* "… home ." reads "… home." */
            if (len >= 2 && !strcmp(text + len - 2, " .")) {
                text[len - 2] = '.';
                text[len - 1] = '\0';
            }
        }
        rc = listen_contribute(db, &e, people[rng_below(&r, PARTICIPANTS)], e.prompts[p].id, 0,
                               text, 0, &posts[nposts], &status);
        if (!rc)
            nposts++;
        else if (rc == APP_E_INVALID)
            rc = APP_OK; /* a generated duplicate that failed a check: skip it */
    }
    for (int i = 0; i < REPLIES && !rc; i++) {
        int64_t reply;
        enum listen_cstatus status;
        rc = listen_contribute(db, &e, people[rng_below(&r, PARTICIPANTS)], 0,
                               posts[rng_below(&r, nposts)], pick(&r, reply_texts, 8), 0, &reply,
                               &status);
    }
    /* Votes: every participant sees a share of the contributions; opinion leans by audience
     * so the analysis has groups to find. */
    for (int i = 0; i < PARTICIPANTS && !rc; i++) {
        int n = 10 + (int)rng_below(&r, 30);
        for (int k = 0; k < n && !rc; k++) {
            int64_t c = posts[rng_below(&r, nposts)];
            double x = rng_double(&r);
            int vote = x < 0.6 ? 1 : x < 0.8 ? -1 : 0;
            rc = listen_vote(db, &e, people[i], c, vote, 0);
            if (rc == APP_E_FORBIDDEN || rc == APP_E_NOTFOUND)
                rc = APP_OK; /* their own contribution, or one held for review */
        }
    }
    /* two reports on the open exercise, so the moderation queue shows why people report */
    for (int i = 0; i < 2 && !rc && nposts > 2; i++) {
        static const char *const why[] = {"It names a member of staff",
                                          "This is not about therapy services"};
        rc = listen_flag(db, &e, people[i], posts[nposts - 1 - (size_t)i], why[i], 0);
        if (rc == APP_E_FORBIDDEN)
            rc = APP_OK; /* their own */
    }
    if (!rc)
        *created = 1;
done:
    /* and one whose results are published, so the whole loop can be seen */
    if (!rc) {
        int more = 0;
        rc = listen_demo_results(db, facilitator, &more);
    }
    arena_free(a);
    return rc;
}
