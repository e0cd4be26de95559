/* demo.c: a demonstration listening exercise with generated participation
 *
 * The text is made of whole sentences written for this purpose (in the spirit of the
 * national AHP engagement: access, joined-up care, visibility of the professions,
 * innovation, workforce and careers), combined by a seeded generator into contributions of
 * one to three sentences, so every run makes the same exercise, a newcomer reads what
 * people would write, and nothing is copied from real contributions. Participants are
 * synthetic: a third citizens, a third AHPs, the rest other staff or unstated; their votes
 * lean by who they are, so the opinion groups have something to find.
 */
#include "listen/demo.h"
#include "listen/listen.h"
#include "listen/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <stdbool.h>
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

/* A contribution is one to three whole sentences: a point on a topic (phrased several
 * ways), sometimes a sentence about the writer before it and a sentence on the same topic
 * after it. Every piece is a sentence on its own, so any combination reads as a person
 * writes; the topics keep the themes the analysis should find. */
struct topic {
    const char *points[3];      /* what the person wants, three ways of saying it */
    const char *follow_ups[2];  /* a second sentence on the same topic */
};

static const struct topic topics[3][8] = {
    { /* what matters when you see an AHP */
     {{"I want to be listened to as a whole person, not as a list of conditions.",
       "Please treat me as a person with a life, not just a knee or a stroke.",
       "What matters most is being listened to properly."},
      {"Last time I was in and out in ten minutes and nobody asked what I actually wanted to get back to.",
       "When someone took the time to ask about my job and my family, the exercises finally made sense."}},
     {{"Seeing the same therapist each time would help so much.",
       "I would like to see the same person from start to finish.",
       "Having to tell my story again to every new face is exhausting."},
      {"My dad saw four different physios in six weeks and had to start again each time.",
       "Continuity builds trust, and you try harder for someone who knows you."}},
     {{"Nobody ever explained what an occupational therapist actually does.",
       "Clear information about who each professional is and why I am seeing them would help.",
       "I did not know a dietitian could help with this until a friend told me."},
      {"A short leaflet or a page online would have saved a lot of confusion.",
       "Half the time I was not sure whether it was a nurse or a therapist I was talking to."}},
     {{"Appointments closer to home would make a huge difference.",
       "Video appointments were brilliant for me, when the technology worked.",
       "Travelling forty minutes each way for a twenty minute appointment is hard when you are in pain."},
      {"The bus only runs twice an hour where I live.",
       "Not everyone can use video though, so it has to be a choice."}},
     {{"Tell us how long the wait will be and what we can do in the meantime.",
       "The waiting is bad enough, but not knowing how long it will be is worse.",
       "Being forgotten on a waiting list is the worst part."},
      {"A simple text message every few weeks would stop people chasing.",
       "Some advice on what to do while waiting would stop things getting worse."}},
     {{"Support should not stop the day you leave hospital.",
       "After discharge we were left on our own and did not know where to turn.",
       "The help at home after hospital was the bit that really mattered."},
      {"My mum was home for three weeks before anyone from the community team came.",
       "The first fortnight at home is when you need people most."}},
     {{"Carers need support too.",
       "Please remember the families and carers, not just the patient.",
       "As a carer I was never asked how I was coping."},
      {"I gave up work to look after my husband and nobody showed me how to help him move safely.",
       "A short session for carers would prevent a lot of injuries."}},
     {{"I want a say in my own rehabilitation goals.",
       "Decisions about my care should be made with me, not for me.",
       "Being involved in planning my own recovery made me stick with it."},
      {"My goal was to walk my daughter down the aisle, and once the team knew that everything changed.",
       "People are more motivated when the goals are their own."}}},
    { /* the right support at the right time */
     {{"People should be able to refer themselves to physiotherapy without going through a GP.",
       "Self-referral to MSK physio works and should be everywhere.",
       "Why do I need a GP appointment just to be told to see a physio?"},
      {"In our area self-referral cut the wait from twelve weeks to three.",
       "It frees up GP time for people who really need a doctor."}},
     {{"Children wait far too long for speech and language therapy.",
       "The wait for speech and language therapy for our son was over a year.",
       "Early help with speech and language makes such a difference to children starting school."},
      {"By the time he was seen he had already fallen behind at school.",
       "Some of the waiting could be used for group sessions and advice for parents."}},
     {{"Community teams and hospital teams need to talk to each other.",
       "Joined-up care between hospital and community is still the exception.",
       "Too often the community team does not know what happened on the ward."},
      {"Discharge letters arrive weeks late, if at all.",
       "A named person to coordinate would stop things falling between services."}},
     {{"We need shared records so nobody has to start from scratch.",
       "Everyone involved in someone's care should be able to see the same record.",
       "I spend too much of each appointment finding out what other services have already done."},
      {"Different systems in every organisation make this much harder than it should be.",
       "Patients should be able to see their own records too."}},
     {{"Put more into prevention and early help, not only crisis care.",
       "Falls prevention and strength and balance classes save so much later on.",
       "Helping people earlier is cheaper and kinder than waiting until they are in crisis."},
      {"Every fall we prevent is a hospital stay we avoid.",
       "Prevention work is always the first thing cut when money is tight."}},
     {{"People in rural areas face barriers that city services do not see.",
       "If you live in a village, getting to a clinic can take half a day.",
       "Rural communities need services that come to them."},
      {"Outreach clinics in community centres would help a lot.",
       "Transport costs put people off attending at all."}},
     {{"Services must work for people who are not online.",
       "Not everyone has a smartphone or good broadband.",
       "Digital first should never mean digital only."},
      {"My grandad cannot use the booking app and ends up missing out.",
       "A phone line with a real person should always be there."}},
     {{"Paramedics should be able to treat more people at home.",
       "Not every 999 call needs a trip to A&E.",
       "Advanced paramedics in the community keep people out of hospital."},
      {"When a paramedic could sort out my mum's catheter at home it saved a night in A&E.",
       "It needs the right training and access to records to be safe."}}},
    { /* what would help AHPs do their best work */
     {{"Protected time for supervision, learning and research.",
       "We need protected time for CPD that is not swallowed by clinical pressure.",
       "Supervision keeps getting cancelled because of caseloads."},
      {"Without it people burn out or stop developing.",
       "Research is seen as a luxury, but it is how we improve care."}},
     {{"Clear career pathways into advanced practice and leadership.",
       "There is no obvious route from band 6 into leadership for allied health professionals.",
       "I want to lead but I cannot see how to get there from where I am."},
      {"Nurses and doctors have clear pathways and we do not.",
       "A leadership programme aimed at AHPs would be a good start."}},
     {{"Digital lead roles need real time and pay, not goodwill.",
       "AHP digital leads are often doing it on top of a full caseload.",
       "Recognise AHP digital leads as proper roles with protected time."},
      {"I am our service's digital lead in name, with no hours for it at all.",
       "Good digital leadership is why some services adapted so well."}},
     {{"AHPs need a voice at board level in every trust.",
       "Every trust should have a chief AHP with a seat at the board.",
       "Decisions about our services are still made without us in the room."},
      {"Where there is a chief AHP you can see the difference.",
       "Fourteen professions and often nobody speaking for them at the top."}},
     {{"Better IT that works across organisations.",
       "Laptops that take twenty minutes to start are wasting clinical time.",
       "We need systems that talk to each other."},
      {"I still fax referrals to one of our partner trusts.",
       "Good IT would give back hours every week."}},
     {{"Cross-profession mentoring, not only within our own profession.",
       "I would love a mentor from another allied health profession.",
       "We learn a lot from each other when we get the chance."},
      {"The best advice I ever had came from a paramedic, not a physio.",
       "Mixed action learning sets were the best part of my leadership course."}},
     {{"Tackle the vacancies in the smaller professions.",
       "Orthoptists, podiatrists and prosthetists are hard to recruit and easy to forget.",
       "The smaller professions need a workforce plan of their own."},
      {"We have had the same vacancy for two years.",
       "Apprenticeships could help widen who joins."}},
     {{"Time and support to lead quality improvement projects.",
       "Give clinicians time to run QI projects properly.",
       "Quality improvement should be part of the job, not done in our evenings."},
      {"Our best improvements came from staff on the front line.",
       "A few hours a month would be enough to get started."}}},
};

/* A sentence about the writer, put first now and then. */
static const char *const about[3][4] = {
    {"I have had physiotherapy on and off for years.", "I care for my husband, who had a stroke.",
     "My daughter has seen a speech and language therapist since she was three.",
     "I am in my seventies and live on my own."},
    {"I am a community physiotherapist.", "I work as a paramedic in a rural area.",
     "I am a parent of a child with additional needs.", "I manage a therapy team in a large trust."},
    {"I am a band 6 occupational therapist.", "I have been a podiatrist for twelve years.",
     "I lead a small dietetics team.", "I am a newly qualified radiographer."},
};

static const char *const reply_texts[] = {
    "I agree, and the same is true in our area.",
    "This happened to my mum too. It made a real difference when it worked.",
    "Good point, but it needs funding to be realistic.",
    "We tried this locally and it worked well once teams were given time.",
    "I am not sure this is the top priority, but it matters.",
    "Yes. Clear information would help everyone.",
    "This is exactly what the people we see tell us.",
    "It would need better IT to work across organisations.",
    "Completely agree.",
    "Has anyone seen this done well somewhere? I would love to learn from them.",
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
    int *topic_of = NULL, *lean = NULL;
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
    topic_of = arena_calloc(a, CONTRIBUTIONS, sizeof *topic_of);
    lean = arena_calloc(a, PARTICIPANTS, sizeof *lean);
    if (!people || !posts || !topic_of || !lean) {
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
        /* 0 uses services, 1 works in them; a third of staff are sceptical of new roles */
        lean[i] = !strcmp(aud, "ahp") || !strcmp(aud, "staff") ? 1 + (rng_below(&r, 3) == 0) : 0;
    }
    /* The demonstration is written in one go by the program itself: no rate limit (0). */
    for (int i = 0; i < CONTRIBUTIONS && !rc; i++) {
        char text[600];
        size_t p = rng_below(&r, 3), t = rng_below(&r, 8);
        const struct topic *tp = &topics[p][t];
        double shape = rng_double(&r);
        enum listen_cstatus status;
        /* one sentence, or with a second on the topic, or with who is writing first */
        if (shape < 0.45)
            snprintf(text, sizeof text, "%s", tp->points[rng_below(&r, 3)]);
        else if (shape < 0.8)
            snprintf(text, sizeof text, "%s %s", tp->points[rng_below(&r, 3)],
                     tp->follow_ups[rng_below(&r, 2)]);
        else
            snprintf(text, sizeof text, "%s %s %s", about[p][rng_below(&r, 4)],
                     tp->points[rng_below(&r, 3)], tp->follow_ups[rng_below(&r, 2)]);
        rc = listen_contribute(db, &e, people[rng_below(&r, PARTICIPANTS)], e.prompts[p].id, 0,
                               text, 0, &posts[nposts], &status);
        if (!rc) {
            topic_of[nposts] = (int)(p * 8 + t);
            nposts++;
        } else if (rc == APP_E_INVALID || rc == APP_E_CONFLICT) {
            rc = APP_OK; /* the same words twice from one person, or a check: skip it */
        }
    }
    for (int i = 0; i < REPLIES && !rc; i++) {
        int64_t reply;
        enum listen_cstatus status;
        rc = listen_contribute(db, &e, people[rng_below(&r, PARTICIPANTS)], 0,
                               posts[rng_below(&r, nposts)], pick(&r, reply_texts, 10), 0, &reply,
                               &status);
        if (rc == APP_E_INVALID || rc == APP_E_CONFLICT)
            rc = APP_OK;
    }
    /* Votes. Opinion leans by who is voting, so the analysis has groups to find: people who
     * use services back the topics about their own care and access and are lukewarm on
     * workforce asks; staff back workforce and joined-up care; everyone is split on the two
     * topics that cost the most (board seats, paramedics treating at home). */
    for (int i = 0; i < PARTICIPANTS && !rc; i++) {
        int n = 10 + (int)rng_below(&r, 30);
        for (int k = 0; k < n && !rc; k++) {
            size_t which = rng_below(&r, nposts);
            int topic = topic_of[which], prompt = topic / 8;
            double x = rng_double(&r), agree = 0.55, disagree = 0.2;
            bool staff = lean[i] != 0;
            if (prompt == 0 || topic == 8 || topic == 9)
                agree = staff ? 0.6 : 0.85;
            else if (prompt == 2)
                agree = staff ? 0.85 : 0.35;
            else
                agree = staff ? 0.75 : 0.6;
            if (topic == 19 || topic == 15) { /* board seats; treating at home */
                agree = lean[i] == 2 ? 0.2 : 0.7;
                disagree = lean[i] == 2 ? 0.6 : 0.15;
            }
            disagree = disagree < 1 - agree ? disagree : 1 - agree;
            rc = listen_vote(db, &e, people[i], posts[which],
                             x < agree ? 1 : x < agree + disagree ? -1 : 0, 0);
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
    /* and one in German, analysed in German */
    if (!rc) {
        int more = 0;
        rc = listen_demo_language(db, facilitator, &more);
    }
    arena_free(a);
    return rc;
}
