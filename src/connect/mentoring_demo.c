/* mentoring_demo.c: demonstration content for Connect's mentoring — profiles for a few
 * hundred members across professions and regions, a finished matching round, and one named
 * member's relationship with a meeting (see connect_mentoring_demo() in mentoring.h)
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

int connect_mentoring_demo(struct db *db, int64_t facilitator, int people, int64_t now,
                           bool *made)
{
    struct arena *a = arena_new();
    struct db_stmt *st = NULL;
    struct cohort_member *mem = NULL;
    struct user sam, hannah;
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
    if ((rc = user_by_email(db, a, "sam.okafor@demo.ahphub.test", &sam)) ||
        (rc = user_by_email(db, a, "hannah.lee@demo.ahphub.test", &hannah)) ||
        (rc = account_demo_cohort(db, CONNECT_DEMO_COHORT, people, &cohort, &cmade)) ||
        (rc = account_cohort_add(db, cohort, sam.id)) ||
        (rc = account_cohort_add(db, cohort, hannah.id)) ||
        (rc = account_cohort_members(db, a, cohort, 0, people + 10, &mem, &nmem, &total)))
        goto done;
    if ((rc = db_begin(db)))
        goto done;
    for (size_t i = 0; !rc && i < nmem; i++) {
        const struct cohort_member *m = &mem[i];
        uint32_t h = mix((uint32_t)m->user_id);
        bool mentor = i % 5 < 2, directory = i % 9 == 0;
        if (m->user_id == sam.id || m->user_id == hannah.id)
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
        rc = upsert(db, hannah.id, true, "digital-lead", true,
                    "research;digital;clinical-safety;quality-improvement", "", "", "8b", 4, 2,
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
    /* answers: Sam and Hannah both accept; of the others a sixth both accept, a sixth wait
     * for the mentor, a few mentors decline (each rematches the round), the rest have not
     * answered yet. Each answer is a transaction of its own, as on the site: kept few, so
     * `make run` stays quick (about 120 commits). */
    for (size_t k = 0; !rc && k < nms; k++) {
        const struct connect_match *m = &ms[k];
        bool named = m->mentee_id == sam.id;
        if (named || k % 6 == 0) {
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
