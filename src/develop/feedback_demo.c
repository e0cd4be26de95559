/* feedback_demo.c: 360° feedback for the first demo member — a closed request with a full
 * report, and an open one still waiting for some raters
 *
 * The closed request tells the story the report is for: others rate "Vision and direction"
 * a point below the member's own view (a blind spot) and "Attention to staff" and digital
 * leadership above it (hidden strengths). Its raters are a line manager, 4 peers, 3 direct
 * reports and 2 others: the 2 others are too few to show, and folding them in takes the
 * direct reports with them (feedback.h, rule 3), which the report explains. The open request
 * has five raters, two of whom have answered. No mail is queued: the demo's raters are not
 * real people, and their tokens are made and forgotten.
 */
#include "develop/feedback.h"
#include "develop/self.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DAY (24 * 60 * 60)

static const char SQL_DEMO_HAS[] =
    "SELECT id FROM develop_feedback_requests WHERE user_id = $1 LIMIT 1";
static const char SQL_DEMO_SELF[] =
    "SELECT id, framework_id FROM develop_self_assessments WHERE user_id = $1 AND "
    "submitted_at > 0 ORDER BY submitted_at DESC, id DESC LIMIT 1";
static const char SQL_DEMO_REQUEST[] =
    "INSERT INTO develop_feedback_requests (user_id, self_id, framework_id, created_at, "
    "closes_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char SQL_DEMO_INVITE[] =
    "INSERT INTO develop_feedback_invitations (request_id, rater_group, email, token_hash, used) "
    "VALUES ($1, $2, $3, $4, $5)";
static const char SQL_DEMO_RESPONSE[] =
    "INSERT INTO develop_feedback_responses (response_key, request_id, rater_group, strengths, "
    "differently) VALUES ($1, $2, $3, $4, $5)";
static const char SQL_DEMO_RATING[] =
    "INSERT INTO develop_feedback_ratings (response_key, behaviour, rating) VALUES ($1, $2, $3)";

static const char *const STRENGTHS[] = {
    "Sam listens properly in huddles and makes sure quieter staff are heard.",
    "Always makes time to help a new starter with a difficult caseload.",
    "Brilliant with the electronic record: the team asks Sam first.",
    "Calm when the ward is under pressure and keeps the patient at the centre.",
    "Very good at supervision; I come away with a plan every time.",
    "Raises safety concerns early and without blame.",
    "Knows the team well and notices when someone is struggling.",
    "Good at explaining changes to families.",
    "Shares learning from courses with the whole team.",
    "Reliable and fair when allocating work.",
};
static const char *const DIFFERENTLY[] = {
    "Say more about where the service is heading and why.",
    "Share the bigger picture from the managers' meetings with us.",
    "Delegate more; Sam takes too much on.",
    "Put forward ideas at the AHP forum rather than waiting to be asked.",
    "Set out a plan for the next year that we can all see.",
    "Push back more when other teams' requests do not fit our priorities.",
    "Take a lead on one improvement project from start to finish.",
    "Talk about the vision for the team, not just this week's rota.",
    "Ask for feedback more often.",
    "Say no more often.",
};

/* A rater's rating of behaviour b in domain d: the member's own, moved by how others see the
 * domain, with a little spread between raters. */
static int rating(const struct develop_framework *fw, const struct develop_answer *self, size_t d,
                  size_t b, int rater)
{
    const char *id = fw->domains[d].id;
    int base = self[b].rating >= 1 ? self[b].rating : 2;
    int shift = !strcmp(id, "vision")                                         ? -1
                : !strcmp(id, "attention-to-staff") || !strcmp(id, "digital") ? 1
                                                                              : 0;
    int v = base + shift + ((rater + (int)b) % 3 == 0 ? 1 : 0) - ((rater * 7 + (int)b) % 5 == 0);
    if (v < 1)
        v = 1;
    if (v > (int)fw->scale.npoints)
        v = (int)fw->scale.npoints;
    return v;
}

static int random_hex(char *out, size_t bytes)
{
    unsigned char raw[32];
    int rc = rand_bytes(raw, bytes);
    if (!rc)
        sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
    return rc;
}

static int answer(struct db *db, const struct develop_framework *fw,
                  const struct develop_answer *self, int64_t request, enum feedback_group g,
                  int rater)
{
    char key[33];
    int rc = random_hex(key, 16);
    if (!rc)
        rc = db_run(db, SQL_DEMO_RESPONSE,
                    "tit"
                    "tt",
                    key, request, feedback_group_code(g), STRENGTHS[rater % 10],
                    rater % 4 == 3 ? "" : DIFFERENTLY[rater % 10]);
    for (size_t d = 0; !rc && d < fw->ndomains; d++)
        for (size_t i = 0; !rc && i < fw->domains[d].nbehaviours; i++) {
            size_t b = fw->domains[d].first + i;
            rc = db_run(db, SQL_DEMO_RATING, "tti", key, fw->domains[d].behaviours[i].id,
                        (int64_t)rating(fw, self, d, b, rater));
        }
    return rc;
}

static int invitation(struct db *db, int64_t request, enum feedback_group g, const char *email,
                      bool used)
{
    char token[TOKEN_HEX], thash[TOKEN_HEX];
    int rc = random_hex(token, 32);
    if (!rc) {
        account_token_hash(token, thash);
        rc = db_run(db, SQL_DEMO_INVITE,
                    "itt"
                    "ti",
                    request, feedback_group_code(g), used ? "" : email, thash, (int64_t)used);
    }
    sodium_memzero(token, sizeof token);
    return rc;
}

int feedback_demo(struct db *db, int64_t user_id, int64_t now, int *made)
{
    static const struct {
        enum feedback_group g;
        int n;
    } closed_mix[] = {{FG_MANAGER, 1}, {FG_PEER, 4}, {FG_REPORT, 3}, {FG_OTHER, 2}};
    struct arena *a = arena_new();
    struct develop_framework fw;
    struct develop_answer *self;
    struct db_stmt *st = NULL;
    int64_t self_id, fid, closed_id, open_id;
    int rc, rater = 0;
    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_DEMO_HAS, &st, "i", user_id);
    db_finalize(st);
    st = NULL;
    if (rc != APP_E_NOTFOUND)
        goto out; /* they have one (rc 0), or the query failed */
    if ((rc = db_row(db, SQL_DEMO_SELF, &st, "i", user_id)))
        goto out; /* no submitted self-assessment: nothing to ask about */
    self_id = db_col_int(st, 0);
    fid = db_col_int(st, 1);
    db_finalize(st);
    st = NULL;
    if ((rc = develop_version_load(db, a, fid, &fw)) ||
        (rc = develop_self_answers(db, a, &fw, self_id, &self)) || (rc = db_begin(db)))
        goto out;
    /* asked two days after the self-assessment (30 days ago), closed 10 days ago */
    if ((rc = db_run_int(db, SQL_DEMO_REQUEST, &closed_id, "iiiiii", user_id, self_id, fid,
                         now - 28 * DAY, now - 10 * DAY, (int64_t)0)))
        goto done;
    for (size_t k = 0; k < sizeof closed_mix / sizeof closed_mix[0]; k++)
        for (int i = 0; i < closed_mix[k].n; i++, rater++) {
            char email[80];
            snprintf(email, sizeof email, "rater%d@demo.ahphub.test", rater);
            if ((rc = invitation(db, closed_id, closed_mix[k].g, email, true)) ||
                (rc = answer(db, &fw, self, closed_id, closed_mix[k].g, rater)))
                goto done;
        }
    /* one invited peer who never answered: forgotten, as a closed request does (rule 8) */
    if ((rc = invitation(db, closed_id, FG_PEER, "", false)))
        goto done;
    /* open for two more weeks: five raters, two have answered */
    if ((rc = db_run_int(db, SQL_DEMO_REQUEST, &open_id, "iiiiii", user_id, self_id, fid,
                         now - 4 * DAY, now + 14 * DAY, (int64_t)0)))
        goto done;
    {
        static const struct {
            enum feedback_group g;
            const char *email;
            bool used;
        } open_mix[] = {{FG_MANAGER, "priya.shah@demo.ahphub.test", true},
                        {FG_PEER, "tom.ellis@demo.ahphub.test", true},
                        {FG_PEER, "grace.obi@demo.ahphub.test", false},
                        {FG_PEER, "dan.hughes@demo.ahphub.test", false},
                        {FG_REPORT, "lucy.chen@demo.ahphub.test", false}};
        for (size_t k = 0; k < sizeof open_mix / sizeof open_mix[0]; k++, rater++)
            if ((rc =
                     invitation(db, open_id, open_mix[k].g, open_mix[k].email, open_mix[k].used)) ||
                (open_mix[k].used && (rc = answer(db, &fw, self, open_id, open_mix[k].g, rater))))
                goto done;
    }
    if (!(rc = db_commit(db)))
        *made = 1;
done:
    if (rc)
        db_rollback(db);
out:
    db_finalize(st);
    arena_free(a);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}
