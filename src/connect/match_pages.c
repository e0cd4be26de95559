/* match_pages.c: a proposed match as its mentee or mentor sees it — who, why, each side's
 * answer — with accept and decline, and in a self-select round the mentee's next best five
 *
 * Only the two people in a match reach its page; for anyone else it does not exist (404).
 * An answer that can no longer be taken (given already, or the other side declined) gets the
 * match page as it stands at 409, saying why in one sentence; the API gets that sentence.
 */
#include "connect/mentoring_pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

/* The match page for mt, with status and, for an answer refused, the sentence saying why. */
static int show(struct ctx *c, const struct connect_match *mtp, int status, const char *refused)
{
    struct connect_match mt = *mtp;
    struct connect_option *o = NULL;
    size_t n = 0;
    json_t *opts = json_array(), *m;
    bool choosing;
    int rc;
    if (!opts)
        return APP_E_NOMEM;
    choosing = mt.self_select && c->user->id == mt.mentee_id && !strcmp(mt.status, "proposed");
    if (choosing &&
        (rc = connect_round_options(c->db, c->arena, mt.round_id, mt.mentee_id, &o, &n))) {
        json_decref(opts);
        return rc;
    }
    for (size_t i = 0; opts && i < n; i++) {
        json_t *x = jobj(json_object(), "mentor_id", jint(o[i].mentor_id));
        x = jobj(x, "name", jstr(o[i].name));
        x = jobj(x, "profession", jstr(connect_page_profession(o[i].profession)));
        x = jobj(x, "region", jstr(connect_page_region(o[i].region)));
        x = jobj(x, "why", jstr(o[i].why));
        x = jobj(x, "score", json_real((double)o[i].score / 1000.0));
        if (!x || json_array_append_new(opts, x)) {
            json_decref(opts);
            opts = NULL;
        }
    }
    m = jobj(json_object(), "title",
             jstr(arena_printf(c->arena, "Your %s match",
                               !strcmp(mt.kind, "coaching") ? "coaching" : "mentoring")));
    m = jobj(m, "match", connect_page_match_json(c, &mt, c->user->id));
    m = jobj(m, "choosing", jbool(choosing && n > 0));
    m = jobj(m, "mentor_word", jstr(connect_page_side(mt.kind, false, false)));
    m = jobj(m, "choose_path",
             jstr(arena_printf(c->arena, "/connect/rounds/%lld/choose", (long long)mt.round_id)));
    m = jobj(m, "options", opts);
    if (refused)
        m = jobj(m, "refused", jstr(refused));
    return render(c, status, "connect/match", m);
}

int page_connect_match(struct ctx *c)
{
    struct connect_match mt;
    int64_t id = connect_page_id(c, "id");
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if ((rc = connect_match_get(c->db, c->arena, id, c->user->id, &mt)))
        return rc;
    return show(c, &mt, 200, NULL);
}

/* Why an answer to mt by the user cannot be taken (it was refused as no longer open). */
static const char *refusal(struct ctx *c, const struct connect_match *mt)
{
    bool mentee = c->user->id == mt->mentee_id;
    const char *mine = mentee ? mt->mentee_answer : mt->mentor_answer;
    const char *with = mentee ? mt->mentor_name : mt->mentee_name;
    if (!strcmp(mt->status, "declined") && strcmp(mine, "declined"))
        return arena_printf(c->arena,
                            "%s has declined this match, so it can no longer be answered. "
                            "Nothing has been changed.",
                            with);
    if (*mine)
        return arena_printf(c->arena, "You have already %s this match. Nothing has been changed.",
                            mine);
    return "This match can no longer be answered. Nothing has been changed.";
}

/* What a decline of match id led to, for the one who declined: a mentor's place is offered
 * to others; a mentee is told whether the rematch proposed them another mentor. */
static const char *declined_flash(struct ctx *c, int64_t id)
{
    struct connect_match mt, *ms;
    size_t n;
    if (connect_match_get(c->db, c->arena, id, c->user->id, &mt) || mt.mentee_id != c->user->id)
        return "connect_declined";
    if (connect_matches_for(c->db, c->arena, c->user->id, &ms, &n))
        return "connect_declined_looked"; /* declined all the same: said without the outcome */
    for (size_t i = 0; i < n; i++)
        if (ms[i].round_id == mt.round_id && ms[i].mentee_id == c->user->id &&
            !strcmp(ms[i].status, "proposed"))
            return "connect_declined_rematched";
    return "connect_declined_unmatched";
}

static int answer(struct ctx *c, bool accept)
{
    int64_t id = connect_page_id(c, "id"), rel = 0;
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    rc = connect_match_answer(c->db, c->arena, id, c->user->id, accept, (int64_t)time(NULL), &rel);
    if (rc == APP_E_CONFLICT) {
        /* answered already, by this person or the other: said plainly, with where it stands */
        struct connect_match mt;
        if ((rc = connect_match_get(c->db, c->arena, id, c->user->id, &mt)))
            return rc;
        if (c->want_json)
            return connect_page_refuse(c, APP_E_CONFLICT, refusal(c, &mt));
        return show(c, &mt, 409, refusal(c, &mt));
    }
    if (rc)
        return rc;
    if (c->want_json) {
        struct connect_match mt;
        if ((rc = connect_match_get(c->db, c->arena, id, c->user->id, &mt)))
            return rc;
        return render(c, 200, NULL,
                      jobj(json_object(), "match", connect_page_match_json(c, &mt, c->user->id)));
    }
    if ((rc = flash_set(c, accept ? (rel ? "connect_relationship_started" : "connect_accepted")
                                  : declined_flash(c, id))))
        return rc;
    if (rel)
        return resp_redirect(c,
                             arena_printf(c->arena, "/connect/relationships/%lld", (long long)rel));
    return resp_redirect(c, accept ? arena_printf(c->arena, "/connect/matches/%lld", (long long)id)
                                   : "/connect");
}

int page_connect_match_accept(struct ctx *c)
{
    return answer(c, true);
}

int page_connect_match_decline(struct ctx *c)
{
    return answer(c, false);
}
