/* portfolio_demo.c: a demonstration portfolio and non-medical CV for `ahphub demo`
 *
 * The story of issue 16 and seed 004: a band 6 speech and language therapist in a children's
 * community team, working towards a team lead post, records the roles of her clinical career
 * and, beside them, the non-clinical work that a clinical CV hides: a quality improvement
 * project that cut waits, joint clinics set up with health visitors and nurseries, a
 * leadership programme, teaching students, a digital project and a service evaluation. A
 * reflection and her 360 feedback stay private (not on the CV). Dates are fixed days, so
 * every database gets the same CV.
 */
#include "develop/portfolio.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>
#include <time.h>

struct demo_entry {
    const char *kind, *title, *context;
    int from_y, from_m, to_y, to_m; /* to_y 0: ongoing or one-off */
    const char *skills, *domains;
    bool on_cv;
    const char *body;
};

#define FW "ahp-clinical-leadership:"

static const struct demo_entry entries[] = {
    {"role", "Speech and language therapist (band 6), children's community team",
     "Riverside Community Health NHS Trust", 2021, 9, 0, 0, "", FW "patient-centre", true,
     "Caseload of 45 children aged 2 to 11 with speech, language and communication needs, seen "
     "in clinics, nurseries and schools.\n\n- Supervise two band 5 therapists and a therapy "
     "assistant\n- Lead the team's early language pathway\n- Link therapist for four primary "
     "schools"},
    {"role", "Acting team lead (secondment, three days a week)",
     "Riverside Community Health NHS Trust", 2025, 6, 2025, 9, "leadership",
     FW "attention-to-staff," FW "system", true,
     "Covered the team lead's post for three months: ran the weekly allocation meeting, held "
     "supervision for six staff, and represented the team at the children's services "
     "operational group."},
    {"role", "Speech and language therapist (band 5), adult acute and stroke",
     "Northgate Hospitals NHS Foundation Trust", 2018, 9, 2021, 8, "", "", true,
     "Rotations in acute medicine, the hyperacute stroke unit and outpatient voice clinics. "
     "Dysphagia competencies signed off in 2019."},
    {"project", "Cutting waits for a first appointment in children's speech and language therapy",
     "Riverside Community Health NHS Trust", 2024, 1, 2024, 11,
     "quality-improvement,project-management,leadership", FW "vision," FW "patient-centre", true,
     "Waits for a first appointment had grown to **18 weeks**. With two colleagues and a parent "
     "representative I ran four PDSA cycles: a triage call within two weeks of referral, drop-in "
     "advice sessions, group sessions for the most common needs and text reminders.\n\n"
     "The median wait fell to **11 weeks** and missed first appointments from 14% to 6%. The "
     "changes are now our standard pathway."},
    {"project", "Joint early language clinics with health visitors and nurseries",
     "Riverside Community Health NHS Trust and the local authority", 2023, 4, 2023, 12,
     "stakeholder-engagement,project-management", FW "system," FW "equality", true,
     "Brought together the health visiting team, three children's centres and the early years "
     "inclusion service to run joint clinics in the two areas where fewest families came to us. "
     "I agreed the aims with each service's manager, wrote the shared referral form and reported "
     "progress to the children's partnership board every quarter."},
    {"achievement", "Trust quality improvement award, highly commended",
     "Riverside Community Health NHS Trust", 2024, 12, 0, 0, "quality-improvement", "", true,
     "For the waiting times project, judged by the trust's quality and safety committee."},
    {"training", "Mary Seacole Programme", "NHS Leadership Academy", 2024, 2, 2024, 8, "leadership",
     FW "self-followership," FW "values", true,
     "Six-month programme for first-time leaders: leading with compassion, team dynamics, "
     "equality and inclusion, and managing change."},
    {"training", "Quality improvement practitioner course", "Trust improvement academy", 2023, 3,
     2023, 5, "", FW "clinical-safety", true,
     "Process mapping, driver diagrams, PDSA cycles and run charts."},
    {"project", "Practice educator for final-year students", "Riverside Community Health NHS Trust",
     2022, 1, 0, 0, "teaching", FW "attention-to-staff", true,
     "Host two students a year on their final placement: plan their caseload, observe and give "
     "feedback, and mark their competencies with the university."},
    {"project", "Online therapy groups and an electronic outcome measure",
     "Riverside Community Health NHS Trust", 2022, 5, 2023, 2, "digital,project-management",
     FW "digital", true,
     "Moved two parent groups online, with a booking page and consent process agreed with "
     "information governance, and built outcome recording into the electronic record so the "
     "team could see progress without a spreadsheet."},
    {"project", "Service evaluation of parent-led language therapy",
     "Riverside Community Health NHS Trust", 2023, 9, 2024, 3, "research", FW "patient-centre",
     true,
     "Compared outcomes for 60 children before and after the parent-led groups, and presented "
     "the results at the regional AHP research network."},
    {"reflection", "Chairing my first multi-agency meeting", "Children's partnership board", 2025,
     1, 0, 0, "stakeholder-engagement,leadership", FW "system", false,
     "I over-prepared the slides and under-prepared the room. Next time I will speak to the two "
     "managers with the strongest views before the meeting, agree the decision we need, and "
     "keep to three slides."},
    {"feedback", "What my team said in my 360 feedback", "", 2025, 3, 0, 0, "leadership",
     FW "vision", false,
     "Others rated me higher than I rated myself on explaining how our work fits the wider "
     "system. A peer wrote that I \"make time for everyone, even on the worst days\"; the "
     "thing to do differently was to delegate more of the project work."},
};

static int64_t day(int y, int m)
{
    struct tm tm = {0};
    if (!y)
        return 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = 1;
    return (int64_t)timegm(&tm);
}

int develop_portfolio_demo(struct db *db, int64_t user_id, const char *reviewer_email, int64_t now,
                           int *made)
{
    static const struct develop_cv_profile profile = {
        "Speech and language therapist, children's community services",
        "A speech and language therapist with seven years' experience in acute and community "
        "services, now leading improvement in a children's team. I have cut waiting times "
        "through a quality improvement project, built partnerships with health visiting and "
        "early years services, and completed the Mary Seacole Programme. I am looking for a "
        "team lead post where I can develop a team and keep improving how families reach us.",
        0};
    struct arena *a = arena_new();
    struct develop_entry *have = NULL;
    struct develop_share *shares = NULL;
    size_t n = 0, nshares = 0;
    int rc;

    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = develop_entry_list(db, a, user_id, false, &have, &n)))
        goto done;
    if (n == 0) {
        if ((rc = db_begin(db)))
            goto done;
        for (size_t i = 0; !rc && i < sizeof entries / sizeof *entries; i++) {
            const struct demo_entry *d = &entries[i];
            struct develop_entry e = {0,
                                      user_id,
                                      d->kind,
                                      d->title,
                                      d->context,
                                      day(d->from_y, d->from_m),
                                      day(d->to_y, d->to_m),
                                      d->body,
                                      d->skills,
                                      d->domains,
                                      d->on_cv,
                                      now,
                                      now};
            rc = develop_entry_save(db, &e, true, now);
        }
        if (!rc)
            rc = develop_cv_profile_put(db, user_id, &profile, now);
        if (!rc)
            rc = db_commit(db);
        if (rc) {
            db_rollback(db);
            goto done;
        }
        *made = 1;
    }
    if (reviewer_email && !(rc = develop_share_list(db, a, user_id, &shares, &nshares)) &&
        nshares == 0) {
        int64_t id = 0;
        struct user reviewer;
        /* no such reviewer in this database: nothing to share */
        rc = account_user_by_email(db, a, reviewer_email, &reviewer);
        if (!rc)
            rc = develop_share_save(db, user_id, reviewer_email, true, NULL, 0, now, &id);
        else if (rc == APP_E_NOTFOUND)
            rc = APP_OK;
    }
done:
    arena_free(a);
    return rc;
}
