/* demo.c: two submitted self-assessments for the first demo member, months apart, and 360°
 * feedback on the later one (feedback_demo.c)
 *
 * The pattern tells the story the module is for: most areas a little higher the second
 * time, digital leadership starting lowest (as the national digital maturity figures do) and
 * rising most, evidence notes on two statements, and one area left unrated
 * the first time, so the comparison shows a gap as well as changes.
 */
#include "develop/demo.h"
#include "develop/catalogue.h"
#include "develop/feedback.h"
#include "develop/self.h"
#include "develop/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

#define DAY (24 * 60 * 60)

/* The rating of behaviour i of domain d in the first (round 0) or second (round 1). */
static int rating(const struct develop_framework *fw, size_t d, size_t i, int round)
{
    bool digital = !strcmp(fw->domains[d].id, "digital");
    int r = digital ? 1 : 1 + (int)((d + i) % 3);
    if (round == 1)
        r += digital ? 1 + (int)(i % 2) : (int)((d + i + 1) % 2);
    if (r > (int)fw->scale.npoints)
        r = (int)fw->scale.npoints;
    if (round == 0 && !strcmp(fw->domains[d].id, "equality"))
        r = DEVELOP_NOT_RATED; /* left out the first time */
    return r;
}

static const char *note_for(const struct develop_framework *fw, size_t d, size_t i, int round)
{
    if (!strcmp(fw->domains[d].behaviours[i].id, "digital-champion"))
        return round ? "Ran three drop-in sessions on the new electronic record for the team." : "";
    if (!strcmp(fw->domains[d].behaviours[i].id, "safety-report"))
        return round ? "Presented our near-miss themes at the AHP governance meeting."
                     : "Reported two near misses this quarter.";
    return "";
}

int develop_demo(struct db *db, int64_t user_id, int64_t now, int *made)
{
    struct arena *a = arena_new();
    struct develop_framework fw;
    struct db_stmt *st = NULL;
    int64_t fid = 0;
    int rc;
    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = develop_version_seed(db)) || (rc = develop_catalogue_seed(db)) ||
        (rc = develop_version_latest_id(db, "ahp-clinical-leadership", &fid)) ||
        (rc = develop_version_load(db, a, fid, &fw)))
        goto done;
    rc = db_row(db, SQL_DS_DEMO_FIND, &st, "i", user_id);
    db_finalize(st);
    st = NULL;
    if (rc == APP_OK)
        goto done; /* they have one already: leave them alone */
    if (rc != APP_E_NOTFOUND || (rc = db_begin(db)))
        goto done;
    for (int round = 0; round < 2; round++) {
        int64_t when = now - (round ? 30 : 150) * (int64_t)DAY, id;
        if ((rc = db_row(db, SQL_DS_DEMO_INSERT, &st, "iii", user_id, fid, when)))
            goto done;
        id = db_col_int(st, 0);
        db_finalize(st);
        st = NULL;
        for (size_t d = 0; d < fw.ndomains; d++)
            for (size_t i = 0; i < fw.domains[d].nbehaviours; i++) {
                int r = rating(&fw, d, i, round);
                const char *note = note_for(&fw, d, i, round);
                int importance = fw.importance.enabled ? 1 + (int)((d + 2 * i) % 3) : 0;
                if (r == DEVELOP_NOT_RATED && !*note)
                    continue;
                if ((rc = db_run(db, SQL_DR_UPSERT, "itiit", id, fw.domains[d].behaviours[i].id,
                                 (int64_t)r, (int64_t)importance, note)))
                    goto done;
            }
    }
    if (!(rc = db_commit(db)))
        *made = 1;
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    arena_free(a);
    if (!rc) { /* 360° feedback on the latest one (feedback_demo.c), once */
        int fb = 0;
        rc = feedback_demo(db, user_id, now, &fb);
    }
    return rc;
}
