/* group_demo.c: demonstration interest groups (ahphub demo) — five regional groups with their
 * members, discussions written as colleagues write to each other, and events to come
 *
 * Made once, in one transaction: if the first group exists nothing is done. Times are set
 * back from now (posts) and forward (events), so the pages look current on any day; the
 * first demo member, Sam Okafor, belongs to three groups and not to the members-only South
 * West group, which shows what a non-member sees. One reply is reported, so the moderation
 * page has something on it.
 */
#include "connect/group.h"
#include "connect/group_store.h"
#include "core/err.h"
#include "core/uktime.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

#define DAY  86400
#define HOUR 3600
#define FAC  "facilitator@demo.ahphub.test"
#define AT   "@demo.ahphub.test"

static const struct demo_group {
    const char *name, *region, *topic, *visibility, *description;
    const char *members[8]; /* local parts; the facilitator is added as moderator */
} groups[] = {
    {"North West digital AHP group",
     "north-west",
     "digital",
     "open",
     "For allied health professionals in the North West who lead, use or are curious about "
     "digital: electronic records, remote monitoring, data and the digital skills of our "
     "teams. Share what has worked, ask what others are using, and find the digital leads "
     "near you.",
     {"maya.brown", "iona.fraser", "sam.okafor", "omar.ali", "hannah.lee"}},
    {"London AHP clinical safety network",
     "london",
     "clinical-safety",
     "members",
     "A network for AHPs who are, or want to become, clinical safety officers under DCB0129 "
     "and DCB0160. Hazard logs, safety cases and how to get the training. Members only, so "
     "people can talk openly about incidents and near misses (never about patients).",
     {"leo.green", "sam.okafor", "ben.carter", "tom.evans"}},
    {"Midlands AHP research and QI",
     "midlands",
     "research-qi",
     "open",
     "Research and quality improvement across the Midlands: finding a supervisor, small "
     "grants, writing up a QI project, and getting time for it in a job plan.",
     {"ravi.patel", "nia.jones", "sam.okafor", "zara.khan"}},
    {"North East and Yorkshire AHP digital leads",
     "north-east-yorkshire",
     "digital",
     "open",
     "Digital leads and aspiring digital leads from the AHP professions in North East and "
     "Yorkshire. We meet online every other month.",
     {"omar.ali", "sam.okafor"}},
    {"South West paramedic and AHP leadership circle",
     "south-west",
     "leadership",
     "members",
     "A small circle of AHP and paramedic leaders in the South West who meet to talk through "
     "the hard parts of leading a service. What is said here stays here.",
     {"jo.walsh", "ellie.wood"}},
};

struct demo_post {
    const char *who; /* local part */
    int days_ago, hour;
    const char *text;
};

static const struct demo_thread {
    int group;
    const char *title;
    struct demo_post posts[5];
} threads[] = {
    {0,
     "Anyone using remote monitoring for pulmonary rehab?",
     {{"maya.brown", 9, 10,
       "We've been asked to look at remote monitoring for our pulmonary rehab patients after "
       "discharge. Before I go too far, is anyone in the region already doing this? Mainly "
       "interested in which platform, and how you handled the IG side.\n\nThanks, Maya"},
      {"iona.fraser", 8, 14,
       "Not pulmonary rehab but our community team trialled a pulse oximetry app last winter. "
       "The tech was the easy bit, honestly. Getting the alerts to land with the right person "
       "at the right time took months. Happy to share our SOP if useful."},
      {"omar.ali", 6, 9,
       "Worth talking to the ICB digital team early. They had a framework contract that saved "
       "us doing a full procurement. Also make sure someone's done the DCB0160 work before go-"
       "live, our CSO nearly stopped ours a week before launch because nobody had."},
      {"maya.brown", 2, 16,
       "This is really helpful, thank you both. Iona, yes please to the SOP! Omar, noted on "
       "the clinical safety piece. I'll bring it to the next meeting."}}},
    {0,
     "Digital skills for band 5s: what are people doing?",
     {{"sam.okafor", 4, 11,
       "Our new starters arrive with very mixed confidence on the EPR. We've got a half-day "
       "induction but it's mostly clicking through screens. Has anyone built something better "
       "- buddying, short videos, anything? I'm in NE&Y but joined here because you all seem "
       "further ahead on this."},
      {"hannah.lee", 3, 15,
       "We pair each new starter with a \"digital buddy\" for their first six weeks. Cheap and "
       "it works, but it depends on a few enthusiasts who are now tired... Would love a "
       "shared set of short videos across trusts rather than everyone making their own."}}},
    {1,
     "Getting the clinical safety officer training funded",
     {{"leo.green", 12, 10,
       "I've been asked to be the CSO for a new referral system, which I'm keen on, but my "
       "manager says there's no budget for the NHS England course. How did others get it "
       "funded? Is it part of the digital team's budget or ours?"},
      {"ben.carter", 11, 13,
       "In our trust the digital team pays, on the basis that they need CSOs for every go-"
       "live. Frame it as a risk to their project timeline rather than your development and "
       "it gets a much quicker yes."},
      {"tom.evans", 5, 9,
       "Agree with Ben. Also the course is free at the moment if you book through the NHS "
       "England clinical safety page, it's the backfill that costs. I did it in two chunks."}}},
    {2,
     "Small grants for a first QI project?",
     {{"nia.jones", 7, 10,
       "I want to look at why so many children miss their orthoptic follow-up. Does anyone "
       "know of small grants (under £2k) that would cover a few sessions of backfill? Our R&D "
       "office pointed me at the big NIHR calls which feel like a lot for a first project."},
      {"ravi.patel", 6, 12,
       "Try your trust charity first, ours has a small grants round twice a year and the "
       "form is two pages. The regional AHP research network also has bursaries, I got one "
       "last year. Happy to read a draft."},
      {"zara.khan", 1, 17,
       "Following this - I'm in a similar position with a music therapy waiting list project."}}},
    {3,
     "Notes from October's digital leads meeting",
     {{"omar.ali", 20, 9,
       "Thanks all for coming. Short version:\n\n- Three trusts now have an AHP digital lead "
       "in post\n- The EPR optimisation work is looking for AHP input, contact me if you can "
       "give an hour a month\n- Next meeting: see the events list\n\nSlides are on the "
       "network's shared drive."},
      {"sam.okafor", 19, 14,
       "Thanks Omar. I can give an hour a month for the EPR work, physio side."}}},
};

static const struct demo_event {
    int group, days_ahead, hour, minute, minutes;
    const char *title, *place, *link, *description;
} events[] = {
    {0, 10, 12, 30, 60, "Lunch and learn: remote monitoring in community services", "",
     "https://teams.microsoft.com/l/meetup-join/demo-north-west",
     "Iona and Maya share what they have learned from two remote monitoring pilots, then "
     "open questions. Bring your lunch."},
    {1, 17, 14, 0, 120, "Hazard logs in practice: a worked example",
     "Riverside University Hospitals, Education Centre, Room 3, London", "",
     "We walk through a real (anonymised) hazard log for a referral system, from first "
     "workshop to safety case. For CSOs and anyone thinking of training as one."},
    {2, 24, 9, 30, 90, "Writing up your QI project", "",
     "https://teams.microsoft.com/l/meetup-join/demo-midlands",
     "A practical session on turning a QI project into a poster or short paper, with "
     "examples from last year's AHP conference."},
    {3, 31, 16, 0, 60, "Digital leads meeting", "", "https://meet.example.org/ney-digital-leads",
     "Our every-other-month meeting: updates from each trust and the EPR optimisation work."},
};

/* A time in UK clock terms days_ahead days from now. */
static int64_t uk_time(int64_t now, int days_ahead, int hour, int minute)
{
    int64_t day = (now / DAY + days_ahead) * DAY, t = day + hour * HOUR + minute * 60;
    return t - uk_offset(t);
}

static int make(struct db *db, int64_t now)
{
    int64_t fac = 0, gids[sizeof groups / sizeof groups[0]], hidden_target = 0;
    struct db_stmt *st = NULL;
    char email[128];
    int rc = db_row(db, SQL_CG_DEMO_USER, &st, "t", FAC);
    if (rc)
        return rc;
    fac = db_col_int(st, 0);
    db_finalize(st);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        const struct demo_group *dg = &groups[g];
        if ((rc = db_run_int(db, SQL_CG_INSERT, &gids[g], "tttttIi", dg->name, dg->description,
                             dg->region, dg->topic, dg->visibility, fac, now - 60 * DAY)) ||
            (rc = db_run(db, SQL_CGM_DEMO_JOIN, "itti", gids[g], FAC, "moderator", now - 60 * DAY)))
            return rc;
        for (size_t m = 0; m < 8 && dg->members[m]; m++) {
            snprintf(email, sizeof email, "%s" AT, dg->members[m]);
            if ((rc = db_run(db, SQL_CGM_DEMO_JOIN, "itti", gids[g], email, "member",
                             now - (int64_t)(50 - 5 * m) * DAY)))
                return rc;
        }
    }
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        const struct demo_thread *dt = &threads[t];
        int64_t tid,
            first = now - dt->posts[0].days_ago * DAY + dt->posts[0].hour * HOUR - now % DAY;
        int64_t last = first;
        for (size_t p = 0; p < 5 && dt->posts[p].who; p++)
            last = now - now % DAY - dt->posts[p].days_ago * DAY + dt->posts[p].hour * HOUR;
        if ((rc = db_run_int(db, SQL_CT_DEMO_INSERT, &tid, "itii", gids[dt->group], dt->title,
                             first, last)))
            return rc;
        for (size_t p = 0; p < 5 && dt->posts[p].who; p++) {
            const struct demo_post *dp = &dt->posts[p];
            snprintf(email, sizeof email, "%s" AT, dp->who);
            if ((rc = db_run(db, SQL_POST_DEMO_INSERT, "itti", tid, email, dp->text,
                             now - now % DAY - dp->days_ago * DAY + dp->hour * HOUR)))
                return rc;
        }
        if (t == 2) /* the CSO thread: one reply is reported, for the moderation page */
            hidden_target = tid;
    }
    if (hidden_target) {
        if ((rc = db_row(db, SQL_POST_DEMO_LAST, &st, "i", hidden_target)))
            return rc;
        hidden_target = db_col_int(st, 0);
        db_finalize(st);
        snprintf(email, sizeof email, "ben.carter" AT);
        if ((rc = db_run(db, SQL_CR_DEMO_INSERT, "itti", hidden_target, email,
                         "I think the course is only free for some trusts - could this mislead "
                         "people? Maybe worth a moderator checking.",
                         now - 4 * DAY)))
            return rc;
    }
    for (size_t e = 0; e < sizeof events / sizeof events[0]; e++) {
        const struct demo_event *de = &events[e];
        int64_t starts = uk_time(now, de->days_ahead, de->hour, de->minute), id;
        if ((rc = db_run_int(db, SQL_CE_INSERT, &id, "itiitttIi", gids[de->group], de->title,
                             starts, starts + de->minutes * 60, de->place, de->link,
                             de->description, fac, now - 3 * DAY)))
            return rc;
    }
    return APP_OK;
}

int connect_groups_demo(struct db *db, int64_t now, int *made)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CG_DEMO_FIND, &st, "t", groups[0].name);
    *made = 0;
    db_finalize(st);
    if (rc != APP_E_NOTFOUND)
        return rc;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = make(db, now)) || (rc = db_commit(db))) {
        db_rollback(db);
        return rc;
    }
    *made = 1;
    return APP_OK;
}
