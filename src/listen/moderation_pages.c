/* moderation_pages.c: the moderation queue and its decisions, and the hold-word list
 *
 * Each item of the queue shows the question it answers and why people reported it (their
 * reasons, as they wrote them: moderators see what the public never does). A decision, one at
 * a time or ticked in bulk, brings the moderator back to the same page of the queue at the
 * next item, with a confirmation. */
#include "listen/pages.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <string.h>

#define QUEUE_PAGE 20

/* ---- moderation ---- */

static const char *const filters[] = {"review", "flagged", "approved", "rejected", "all"};

/* The queue, as asked (filter and page from the query, or from the form just sent). When a
 * decision was refused (the request has errors), the page is shown again with them: err_id
 * is the contribution whose own form was sent (0 for the bulk form), whose reject or redact
 * form opens with what was typed; the ticks and the bulk reason stay. */
static int queue_page(struct ctx *c, int64_t err_id)
{
    struct listen_exercise e;
    struct listen_contribution *cs;
    struct listen_queue_counts counts;
    const char *filter = req_field(c->req, "filter");
    int64_t page = req_field_int(c->req, "page", 1), total;
    size_t n;
    bool known = false;
    json_t *arr, *m, *tabs;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    for (size_t i = 0; filter && i < 5; i++)
        known |= !strcmp(filter, filters[i]);
    if (!known)
        filter = "review";
    if (page < 1)
        page = 1;
    rc = listen_queue(c->db, c->arena, e.id, filter, (int)((page - 1) * QUEUE_PAGE), QUEUE_PAGE,
                      &cs, &n, &total, &counts);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *it = listen_page_with_prompt(&e, listen_contribution_json(&cs[i], true),
                                             cs[i].prompt_id);
        if (c->req->nerrors) {
            const char *pick = arena_printf(c->arena, "pick.%lld", (long long)cs[i].id);
            it = jobj(it, "picked", jbool(pick && req_field_bool(c->req, pick)));
            if (cs[i].id == err_id) {
                const char *fr = arena_printf(c->arena, "reason-%lld", (long long)cs[i].id),
                           *ft = arena_printf(c->arena, "text-%lld", (long long)cs[i].id);
                it = jobj(it, "error_reason", fr ? jstr(req_error(c->req, fr)) : NULL);
                it = jobj(it, "error_text", ft ? jstr(req_error(c->req, ft)) : NULL);
                it = jobj(it, "typed_text", jstr(req_typed(c->req, "text")));
                it = jobj(it, "typed_reason", jstr(req_typed(c->req, "reason")));
            }
        }
        json_t *why = json_array();
        const char **reasons = NULL;
        size_t nr = 0;
        if (cs[i].flags && (rc = listen_flag_reasons(c->db, c->arena, cs[i].id, &reasons, &nr))) {
            json_decref(it);
            json_decref(why);
            json_decref(arr);
            return rc;
        }
        for (size_t k = 0; why && k < nr; k++)
            if (json_array_append_new(why, jstr(reasons[k]))) {
                json_decref(why);
                why = NULL;
            }
        it = jobj(it, "flag_reasons", why);
        it = jobj(it, "has_flag_reasons", jbool(nr > 0));
        /* where a decision on this one returns to: the item after it, or the list */
        it = jobj(it, "next_id", jint(i + 1 < n ? cs[i + 1].id : 0));
        if (!it || json_array_append_new(arr, it)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    tabs = json_array();
    {
        const long long cnt[] = {
            counts.pending + counts.hidden, counts.flagged, counts.approved, counts.rejected,
            counts.pending + counts.hidden + counts.approved + counts.rejected + counts.withdrawn};
        const char *labels[] = {"To review", "Flagged", "Shown", "Rejected", "All"};
        for (size_t i = 0; tabs && i < 5; i++) {
            json_t *t = jobj(json_object(), "filter", json_string_nocheck(filters[i]));
            t = jobj(t, "label", json_string_nocheck(labels[i]));
            t = jobj(t, "count", jint(cnt[i]));
            t = jobj(t, "current", jbool(!strcmp(filter, filters[i])));
            if (!t || json_array_append_new(tabs, t)) {
                json_decref(tabs);
                tabs = NULL;
            }
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Moderation"));
    m = jobj(m, "exercise", listen_page_exercise_json(c->arena, &e, 0));
    m = jobj(m, "filter", jstr(filter));
    m = jobj(m, "filters", tabs);
    m = jobj(m, "contributions", arr);
    m = jobj(m, "total", jint(total));
    m = jobj(m, "page", jint(page));
    m = jobj(
        m, "pagination",
        render_pagination(arena_printf(c->arena, "/listen/%s/moderate?filter=%s", e.slug, filter),
                          page, QUEUE_PAGE, total, NULL));
    if (!c->req->nerrors)
        return render(c, 200, "listen/moderate", m);
    if (!err_id) /* the bulk form: its reason as typed */
        m = jobj(m, "bulk_reason", jstr(req_typed(c->req, "reason")));
    return render_invalid(c, "listen/moderate", m);
}

int page_listen_queue(struct ctx *c)
{
    return queue_page(c, 0);
}

static int back_to_queue(struct ctx *c, const struct listen_exercise *e, const char *filter,
                         int64_t next);

int page_listen_moderate(struct ctx *c)
{
    struct listen_exercise e;
    int64_t id;
    const char *action = req_field(c->req, "action"), *filter = req_field(c->req, "filter");
    enum listen_decision decision = LD_APPROVE;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    /* on the page, errors name the form's own input (reason-<id>, text-<id>), so the summary
     * leads to it; the API keeps the field names */
    if (action && !strcmp(action, "reject") && !req_field(c->req, "reason") &&
        !req_error(c->req, "reason")) /* refused as sent: that error says why */
        req_add_error(c->req,
                      c->want_json ? "reason" : arena_printf(c->arena, "reason-%lld", (long long)id),
                      "Enter why the contribution is rejected");
    if (action && !strcmp(action, "redact") && !req_field(c->req, "text") &&
        !req_error(c->req, "text"))
        req_add_error(c->req,
                      c->want_json ? "text" : arena_printf(c->arena, "text-%lld", (long long)id),
                      "Enter the contribution as it should be shown");
    if (c->req->nerrors) {
        if (c->want_json) {
            render_error(c, APP_E_INVALID, c->req->errors[0].message);
            return APP_OK;
        }
        /* a reason or text the request layer refused (too long, a tab) goes beside this
         * contribution's own input, as the checks above do */
        for (size_t i = 0; i < c->req->nerrors; i++) {
            struct field_error *fe = &c->req->errors[i];
            const char *own = !strcmp(fe->field, "reason") || !strcmp(fe->field, "text")
                                  ? arena_printf(c->arena, "%s-%lld", fe->field, (long long)id)
                                  : NULL;
            if (own)
                fe->field = own;
        }
        return queue_page(c, id);
    }
    rc = listen_decision_parse(action, &decision);
    if (!rc)
        rc = listen_moderate(c->db, e.id, id, c->user->id, decision, req_field(c->req, "reason"),
                             req_field(c->req, "text"));
    if (rc == APP_E_INVALID) {
        render_error(c, rc, "Choose approve, reject, redact or restore.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "moderated", jbool(1)));
    rc = flash_set(c, "moderated");
    return rc ? rc : back_to_queue(c, &e, filter, req_field_int(c->req, "next", 0));
}

/* Back to the page of the queue the decision was made on, at the next item (#c<id>), or at
 * the list when it was the last. */
static int back_to_queue(struct ctx *c, const struct listen_exercise *e, const char *filter,
                         int64_t next)
{
    long long page = (long long)req_field_int(c->req, "page", 1);
    bool known = false;
    for (size_t i = 0; filter && i < 5; i++)
        known |= !strcmp(filter, filters[i]);
    return resp_redirect(c, next ? arena_printf(c->arena, "/listen/%s/moderate?filter=%s&page=%lld#c%lld",
                                                e->slug, known ? filter : "review",
                                                page < 1 ? 1 : page, (long long)next)
                                 : arena_printf(c->arena, "/listen/%s/moderate?filter=%s&page=%lld#queue",
                                                e->slug, known ? filter : "review",
                                                page < 1 ? 1 : page));
}

int page_listen_moderate_bulk(struct ctx *c)
{
    struct listen_exercise e;
    const char *action = req_field(c->req, "action"), *reason = req_field(c->req, "reason");
    enum listen_decision decision = LD_APPROVE;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    ids = arena_alloc(c->arena, (c->req->nfields + 1) * sizeof *ids);
    if (!ids)
        return APP_E_NOMEM;
    for (size_t i = 0; i < c->req->nfields; i++) {
        int64_t id;
        const struct kv *f = &c->req->fields[i];
        if (strncmp(f->name, "pick.", 5) != 0)
            continue;
        if (parse_int64(str_from(f->name + 5), &id) && id > 0) {
            bool found;
            const char *msg;
            if (!req_field_bool(c->req, f->name))
                continue;
            ids[n++] = id;
            /* a number that names no contribution here is a mistake, told by its key (on
             * the page, led to the list: there is no box of that id), not one that has gone
             * since the page was shown */
            if ((rc = listen_contribution_of(c->db, e.id, id, &found)))
                return rc;
            if (found)
                continue;
            msg = arena_printf(c->arena, "%s: there is no contribution %lld in this exercise",
                               f->name, (long long)id);
            if (!msg)
                return APP_E_NOMEM;
            if ((rc = req_add_error(c->req, c->want_json ? f->name : "queue", msg)))
                return rc;
        } else if (c->req->json) { /* a page's boxes are named by id; an API client is told */
            if ((rc = req_add_error(c->req, f->name,
                                    "Send pick.<id> with the number of a contribution")))
                return rc;
        }
    }
    /* on the page, errors name the bulk form's inputs (bulk-reason; the list for the ticks);
     * the API keeps the field names */
    if (listen_decision_parse(action, &decision) || (decision != LD_APPROVE && decision != LD_REJECT))
        req_add_error(c->req, c->want_json ? "action" : "bulk",
                      "Choose approve or reject for the ticked contributions");
    else if (decision == LD_REJECT && !reason && !req_error(c->req, "reason"))
        req_add_error(c->req, c->want_json ? "reason" : "bulk-reason",
                      "Enter why the ticked contributions are rejected");
    if (!n)
        req_add_error(c->req, c->want_json ? "pick" : "queue", "Tick at least one contribution");
    if (c->req->nerrors) {
        if (c->want_json) {
            render_error(c, APP_E_INVALID, c->req->errors[0].message);
            return APP_OK;
        }
        /* a reason the request layer refused (too long, a tab) goes beside the bulk form's
         * own input, as the check above does */
        for (size_t i = 0; i < c->req->nerrors; i++)
            if (!strcmp(c->req->errors[i].field, "reason"))
                c->req->errors[i].field = "bulk-reason";
        return queue_page(c, 0);
    }
    rc = listen_moderate_many(c->db, e.id, ids, n, c->user->id, decision, reason);
    if (rc == APP_E_NOTFOUND) {
        render_error(c, rc, "One of the ticked contributions can no longer be decided: it may "
                            "have been withdrawn. Nothing was changed; go back and try again.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "moderated", jint((long long)n)));
    rc = flash_set(c, decision == LD_APPROVE ? "moderated_bulk_approve" : "moderated_bulk_reject");
    return rc ? rc : back_to_queue(c, &e, req_field(c->req, "filter"), 0);
}

/* ---- the hold-word list ---- */

static json_t *words_model(struct ctx *c)
{
    const char **words;
    size_t n;
    json_t *arr, *m;
    if (listen_hold_words(c->db, c->arena, &words, &n))
        return NULL;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, jstr(words[i]))) {
            json_decref(arr);
            return NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Words that hold a contribution"));
    return jobj(m, "words", arr);
}

int page_listen_words(struct ctx *c)
{
    return render(c, 200, "listen/words", words_model(c));
}

int page_listen_words_change(struct ctx *c)
{
    const char *w = req_field(c->req, "word");
    int rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/words", words_model(c));
    rc = listen_hold_word_change(c->db, c->user->id, w, req_field_bool(c->req, "remove"));
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    rc = flash_set(c, "words_saved");
    return rc ? rc : resp_redirect(c, "/admin/listen-words");
}
