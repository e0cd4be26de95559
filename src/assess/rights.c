/* rights.c: Assess's part of a member's data rights (account/rights.h) — the instruments and
 * rounds a member made, and their responses to named rounds with every answer
 *
 * Answers to anonymous rounds are not here: nothing links them to an account, even when the
 * respondent was logged in (round.h), so they cannot be found for anyone. On deletion a
 * submitted response stays in its round without the link, so published benchmarks stay
 * true; a response never submitted, in no figure, is deleted. Instruments and rounds stay
 * for the people who use them, without the link to who made them.
 */
#include "account/account.h"
#include "account/rights.h"
#include "assess/assess.h"
#include "assess/round.h"
#include "assess/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

static const char *const INSTRUMENT[] = {"code", "version", "title", "created_at"};
static const char *const ROUND[] = {"slug", "title", "mode", "created_at"};

/* One response: its round, what the member said about themselves, and each question with
 * the answer chosen (null when not answered), read against the instrument version the
 * round used. */
static int response_json(struct db *db, struct arena *a, struct db_stmt *st, json_t **out)
{
    struct assess_instrument ins;
    const char *answers = db_col_text(st, 7);
    size_t alen = db_col_len(st, 7);
    const char *prof = ref_name(professions, professions_count, db_col_text(st, 4));
    const char *reg = ref_name(regions, regions_count, db_col_text(st, 5));
    json_t *list, *o;
    int rc = assess_version_load(db, NULL, a, db_col_int(st, 2), &ins);
    *out = NULL;
    if (rc)
        return rc;
    list = json_array();
    for (size_t d = 0; list && d < ins.ndomains; d++) {
        const struct assess_domain *dom = &ins.domains[d];
        for (size_t i = 0; list && i < dom->nitems; i++) {
            const struct assess_item *it = &dom->items[i];
            int opt = assess_answer_at(answers, alen, dom->first + i);
            json_t *q = json_pack("{s:s, s:s, s:s, s:o}", "domain", dom->title, "item", it->id,
                                  "question", it->text, "answer",
                                  opt >= 0 && (size_t)opt < it->noptions
                                      ? json_string(it->options[opt].label)
                                      : json_null());
            if (!q || json_array_append_new(list, q)) {
                json_decref(list);
                list = NULL;
            }
        }
    }
    if (!list)
        return APP_E_NOMEM;
    o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:o}", "round",
                  db_col_text(st, 0), "round_title", db_col_text(st, 1), "instrument", ins.code,
                  "instrument_version", ins.version, "organisation", db_col_text(st, 3),
                  "profession", prof ? prof : "", "region", reg ? reg : "", "band",
                  db_col_text(st, 6), "answers_code", answers, "started_at",
                  (json_int_t)db_col_int(st, 8), "updated_at", (json_int_t)db_col_int(st, 9),
                  "submitted_at", (json_int_t)db_col_int(st, 10), "answers", list);
    if (!o)
        return APP_E_NOMEM;
    *out = o;
    return APP_OK;
}

int assess_rights_export(struct db *db, struct arena *a, const struct rights_person *p, json_t *doc)
{
    struct db_stmt *st = NULL;
    json_t *assess = json_object(), *responses;
    int rc;
    /* json_object_set_new() takes the value even when it fails: nothing to release here */
    if (!assess || json_object_set_new(doc, "assess", assess) ||
        json_object_set_new(assess, "responses", json_array()) ||
        !(responses = json_object_get(assess, "responses")))
        return APP_E_NOMEM;
    rc = rights_rows(db, SQL_ARIGHTS_INSTRUMENTS, p->id, assess, "instruments_created", INSTRUMENT,
                     "titi", 4);
    if (!rc)
        rc = rights_rows(db, SQL_ARIGHTS_ROUNDS, p->id, assess, "rounds_created", ROUND, "ttti", 4);
    if (!rc)
        rc = db_prepare_bind(db, SQL_ARIGHTS_RESPONSES, &st, "i", p->id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *r;
        if ((rc = response_json(db, a, st, &r)))
            goto done;
        if (json_array_append_new(responses, r)) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

int assess_rights_erase(struct db *db, const struct rights_person *p)
{
    int rc = db_run(db, SQL_ARIGHTS_DROP_UNSUBMITTED, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_ARIGHTS_UNLINK_RESPONSES, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_ARIGHTS_UNLINK_ROUNDS, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_ARIGHTS_UNLINK_INSTRUMENTS, "i", p->id);
    return rc;
}
