/* mentoring_demo.c: demonstration content for Connect's mentoring — profiles for a few
 * hundred members across professions and regions, a finished matching round, one named
 * member's relationship with a meeting, and two named members' matches still waiting for an
 * answer, so a demo login can try accepting and declining (see connect_mentoring_demo() in
 * mentoring.h)
 *
 * Deterministic: who mentors, their band, areas and places come from the member's position
 * in the cohort, so every `ahphub demo` makes the same round. Profiles are written in one
 * transaction straight through the profile statement (they are known to be valid), and the
 * answers go through the same calls members use, so a decline really rematches.
 */
#include "connect/mentoring.h"
#include "connect/mentoring_int.h"
#include "account/account.h"
#include "account/cohort.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

/* The framework's areas every demo member draws from (the specialisms research, quality
 * improvement and education are left to the named members, so their match is clear). */
static const char *const AREAS[] = {"system", "vision", "patient-centre", "self-followership",
                                    "values", "attention-to-staff", "equality"};
#define NAREAS (sizeof AREAS / sizeof AREAS[0])
static const char *const MENTOR_BANDS[] = {"7", "8a", "8b", "8c", "8d", "9"};
static const char *const MENTEE_BANDS[] = {"5", "6", "6", "7"};
static const char *const PREFS[] = {"other", "any", "other", "same"};

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* k distinct areas for member i, joined with ";" (arena). */
static const char *areas_for(struct arena *a, size_t i, size_t k, uint32_t salt)
{
    const char *pick[NAREAS];
    size_t n = 0;
    uint32_t h = mix((uint32_t)i * 2654435761U + salt);
    for (size_t s = 0; n < k && s < 4 * NAREAS; s++) {
        const char *c = AREAS[(h + s * 3) % NAREAS];
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup |= pick[j] == c;
        if (!dup)
            pick[n++] = c;
        h = mix(h + 1);
    }
    return connect_join(a, pick, n);
}

static int upsert(struct db *db, int64_t user, bool directory, const char *role, bool mentor,
                  const char *offers, const char *seeks, const char *organisation,
                  const char *band, int64_t hours, int64_t places, const char *pref, bool outside,
                  int64_t now)
{
    return db_run(db, SQL_CP_UPSERT, "iiitiiitttttiitii", user, (int64_t)1, (int64_t)directory,
                  directory ? role : "", (int64_t)mentor, (int64_t)0, (int64_t)0,
                  mentor ? offers : "", mentor ? "" : "mentoring", mentor ? "" : seeks,
                  organisation, band, hours, mentor ? places : 0, mentor ? "any" : pref,
                  (int64_t)outside, now);
}

static int user_by_email(struct db *db, struct arena *a, const char *email, struct user *u)
{
    return account_user_by_email(db, a, email, u);
}

/* The named demo logins the round matches: Sam with Hannah (both accept), and Jo and Ravi,
 * who seek what only Hannah offers, so her three places go to the three of them whatever the
 * cohort's profiles. Jo's match is left unanswered (Jo and Hannah each have it waiting);
 * Ravi accepts his (Hannah has it waiting). */
static const char *const NAMED[] = {"sam.okafor@demo.ahphub.test", "hannah.lee@demo.ahphub.test",
                                    "jo.walsh@demo.ahphub.test", "ravi.patel@demo.ahphub.test"};
#define NNAMED (sizeof NAMED / sizeof NAMED[0])

int connect_mentoring_demo(struct db *db, int64_t facilitator, int people, int64_t now,
                           bool *made)
{
    struct arena *a = arena_new();
    struct db_stmt *st = NULL;
    struct cohort_member *mem = NULL;
    struct user sam, hannah, jo, ravi;
    struct connect_round in;
    struct connect_match *ms = NULL;
    struct connect_field_error *errs;
    size_t nmem = 0, nms = 0, nerrs;
    int64_t cohort = 0, total = 0, round = 0, rel = 0, sam_rel = 0, mid;
    int cmade = 0, rc;

    *made = false;
    if (!a)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_CD_ROUND_FIND, &st, "t", CONNECT_DEMO_ROUND);
    db_finalize(st);
    st = NULL;
    if (rc != APP_E_NOTFOUND)
        goto done; /* made already (APP_OK), or the database failed */
    if ((rc = user_by_email(db, a, NAMED[0], &sam)) ||
        (rc = user_by_email(db, a, NAMED[1], &hannah)) ||
        (rc = user_by_email(db, a, NAMED[2], &jo)) ||
        (rc = user_by_email(db, a, NAMED[3], &ravi)) ||
        (rc = account_demo_cohort(db, CONNECT_DEMO_COHORT, people, &cohort, &cmade)) ||
        (rc = account_cohort_add(db, cohort, sam.id)) ||
        (rc = account_cohort_add(db, cohort, hannah.id)) ||
        (rc = account_cohort_add(db, cohort, jo.id)) ||
        (rc = account_cohort_add(db, cohort, ravi.id)) ||
        (rc = account_cohort_members(db, a, cohort, 0, people + 10, &mem, &nmem, &total)))
        goto done;
    if ((rc = db_begin(db)))
        goto done;
    for (size_t i = 0; !rc && i < nmem; i++) {
        const struct cohort_member *m = &mem[i];
        uint32_t h = mix((uint32_t)m->user_id);
        bool mentor = i % 5 < 2, directory = i % 9 == 0;
        if (m->user_id == sam.id || m->user_id == hannah.id || m->user_id == jo.id ||
            m->user_id == ravi.id)
            continue;
        /* a few look for what no mentor offers: unmatched, "no eligible mentor" */
        rc = upsert(db, m->user_id, directory, connect_roles[i % connect_roles_count].code, mentor,
                    areas_for(a, i, 3, 1), i % 23 == 7 ? "education" : areas_for(a, i, 2, 2),
                    m->organisation, mentor ? MENTOR_BANDS[h % 6] : MENTEE_BANDS[h % 4],
                    (int64_t)(2 + h % 5), (int64_t)(1 + h % 2), PREFS[h % 4], i % 3 == 0, now);
        /* a few have a line manager among the mentors they must not be matched with */
        if (!rc && !mentor && i % 17 == 4 && i >= 2)
            rc = db_run(db, SQL_CP_EXCL_INSERT, "ii", m->user_id, mem[i - 2].user_id);
    }
    if (!rc)
        rc = upsert(db, sam.id, false, "", false, "", "research;digital;clinical-safety",
                    "", "6", 3, 0, "other", true, now);
    if (!rc)
        rc = upsert(db, jo.id, false, "", false, "", "quality-improvement;research", "", "6", 2, 0,
                    "other", false, now);
    if (!rc)
        rc = upsert(db, ravi.id, false, "", false, "", "clinical-safety;quality-improvement", "",
                    "7", 2, 0, "any", false, now);
    if (!rc)
        rc = upsert(db, hannah.id, true, "digital-lead", true,
                    "research;digital;clinical-safety;quality-improvement", "", "", "8b", 4, 3,
                    "any", false, now);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        goto done;

    /* the round, run as the programme lead would */
    memset(&in, 0, sizeof in);
    in.name = CONNECT_DEMO_ROUND;
    in.cohort_id = cohort;
    in.kind = "mentoring";
    if ((rc = connect_round_create(db, a, facilitator, &in, now - 21 * 86400, &round, &errs,
                                   &nerrs)) ||
        (rc = connect_round_run(db, a, facilitator, round, now - 21 * 86400)) ||
        (rc = connect_round_matches(db, a, round, &ms, &nms)))
        goto done;
    /* answers: Sam and Hannah both accept; Jo's match waits for Jo and Hannah, Ravi accepts
     * and waits for Hannah; of the others a sixth both accept, a sixth wait for the mentor, a
     * few mentors decline (each rematches the round), the rest have not answered yet. Each
     * answer is a transaction of its own, as on the site: kept few, so `make run` stays quick
     * (about 120 commits). */
    for (size_t k = 0; !rc && k < nms; k++) {
        const struct connect_match *m = &ms[k];
        bool named = m->mentee_id == sam.id;
        if (m->mentee_id == jo.id)
            continue;
        if (m->mentee_id == ravi.id)
            rc = connect_match_answer(db, a, m->id, m->mentee_id, true, now - 20 * 86400, &rel);
        else if (named || k % 6 == 0) {
            rc = connect_match_answer(db, a, m->id, m->mentee_id, true, now - 20 * 86400, &rel);
            if (!rc)
                rc = connect_match_answer(db, a, m->id, m->mentor_id, true, now - 19 * 86400,
                                          &rel);
            if (named)
                sam_rel = rel;
        } else if (k % 6 == 1) {
            rc = connect_match_answer(db, a, m->id, m->mentee_id, true, now - 20 * 86400, &rel);
        } else if (k % 20 == 5) {
            rc = connect_match_answer(db, a, m->id, m->mentor_id, false, now - 20 * 86400, &rel);
        }
    }
    if (rc)
        goto done;
    if (sam_rel) {
        const char *goals = "Learn how digital systems are made safe for patients, and what a "
                            "clinical safety officer does, as a way into digital leadership.";
        if ((rc = connect_relationship_agree(db, a, sam_rel, sam.id, goals,
                                             "An hour every month", true, now - 18 * 86400,
                                             &errs, &nerrs)) ||
            (rc = connect_relationship_agree(db, a, sam_rel, hannah.id, goals,
                                             "An hour every month", true, now - 18 * 86400,
                                             &errs, &nerrs)) ||
            (rc = connect_meeting_log(db, a, sam_rel, sam.id, (now - 14 * 86400) / 86400 * 86400,
                                      60, now, &mid, &errs, &nerrs)))
            goto done;
    }
    *made = true;
done:
    db_finalize(st);
    arena_free(a);
    return rc;
}

int connect_mentoring_demo_waiting(struct db *db, struct arena *a, const char ***emails, size_t *n)
{
    size_t cap = 0;
    int rc = APP_OK;
    *emails = NULL;
    *n = 0;
    for (size_t i = 0; !rc && i < NNAMED; i++) {
        struct user u;
        struct connect_match *ms;
        size_t nms;
        bool waiting = false;
        if ((rc = user_by_email(db, a, NAMED[i], &u)) == APP_E_NOTFOUND) {
            rc = APP_OK; /* not made (yet): nothing waits for them */
            continue;
        }
        if (rc || (rc = connect_matches_for(db, a, u.id, &ms, &nms)))
            break;
        for (size_t k = 0; k < nms && !waiting; k++)
            waiting = !strcmp(ms[k].status, "proposed") &&
                      !*(ms[k].mentee_id == u.id ? ms[k].mentee_answer : ms[k].mentor_answer);
        if (!waiting)
            continue;
        if (!(*emails = arena_grow(a, *emails, *n + 1, &cap, sizeof **emails)))
            rc = APP_E_NOMEM;
        else
            (*emails)[(*n)++] = NAMED[i];
    }
    return rc;
}
