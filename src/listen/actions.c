/* actions.c: "You said, we did" — record, change, remove and list an exercise's actions
 *
 * Validation lives here rather than in the handlers so that every way in (the pages, the JSON
 * API, a future import) refuses the same things with the same words. The one check that needs
 * the database, that a theme is one the latest analysis found, is made on create and update;
 * an update may keep the theme an action already has, because a new analysis must not force a
 * facilitator to relink every action before they can correct a typing mistake.
 */
#include "listen/actions.h"
#include "listen/analysis.h"
#include "listen/curation.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uktime.h"
#include "store/db.h"
#include "text/redact.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Dates an action can carry: from 2000-01-01 to the end of 2199 (UTC), which is what the date
 * inputs accept too. Anything else is a mistake, not a plan. */
#define DUE_MIN 946684800LL
#define DUE_END 7258118400LL

static const struct {
    const char *code, *name;
} statuses[] = {
    {"planned", "Planned"},
    {"in_progress", "In progress"},
    {"done", "Done"},
};

const char *listen_action_status_name(const char *status)
{
    for (size_t i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++)
        if (!strcmp(status, statuses[i].code))
            return statuses[i].name;
    return NULL;
}

/* True when s has something besides spaces, tabs and line breaks. */
static bool has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

static bool has_control(const char *s, bool newlines_ok)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && !(newlines_ok && (c == '\n' || c == '\t'))) || c == 0x7f)
            return true;
    }
    return false;
}

/* The kinds of personal data redact.c finds in s (0 when none, or when out of memory: the
 * check then lets the text through rather than refuse it for a reason that is not true). */
static unsigned personal_data(const char *s)
{
    struct buf b = BUF_INIT;
    unsigned found = 0;
    if (redact_text(s, strlen(s), &b, &found))
        found = 0;
    buf_free(&b);
    return found;
}

size_t listen_action_check(const struct listen_action_input *in, int64_t now,
                           struct listen_action_problem out[LISTEN_ACTION_FIELDS])
{
    const char *theme = in->theme ? in->theme : "", *what = in->what ? in->what : "";
    const char *who = in->who ? in->who : "";
    size_t n = 0;
    if (!utf8_valid(theme, strlen(theme)) || has_control(theme, false) ||
        utf8_count(theme, strlen(theme)) > LISTEN_ACTION_THEME_MAX)
        out[n++] = (struct listen_action_problem){"theme", "Select a theme from the list"};
    if (!utf8_valid(what, strlen(what)) || has_control(what, true))
        out[n++] = (struct listen_action_problem){"what", "Enter what will be done in plain text"};
    else if (!has_text(what))
        out[n++] =
            (struct listen_action_problem){"what", "Enter what will be done, or what was done"};
    else if (utf8_count(what, strlen(what)) > LISTEN_ACTION_WHAT_MAX)
        out[n++] = (struct listen_action_problem){
            "what", "What will be done must be 1000 characters or fewer"};
    else if (personal_data(what) &
             (REDACT_EMAIL | REDACT_PHONE | REDACT_NHS_NUMBER | REDACT_POSTCODE))
        out[n++] = (struct listen_action_problem){
            "what", "Remove the contact details, NHS numbers and postcodes from what will be "
                    "done: everyone can read it"};
    if (!utf8_valid(who, strlen(who)) || has_control(who, false))
        out[n++] =
            (struct listen_action_problem){"who", "Enter the team or role on one line, in plain "
                                                  "text"};
    else if (!has_text(who))
        out[n++] = (struct listen_action_problem){"who", "Enter the team or role that is doing it"};
    else if (utf8_count(who, strlen(who)) > LISTEN_ACTION_WHO_MAX)
        out[n++] = (struct listen_action_problem){
            "who", "Who is doing it must be 200 characters or fewer"};
    else if (personal_data(who))
        out[n++] = (struct listen_action_problem){
            "who", "Enter a team or role, not a person’s contact details"};
    if (!listen_action_status_name(in->status))
        out[n++] = (struct listen_action_problem){
            "status", "Select whether the action is planned, in progress or done"};
    if (in->due_at && (in->due_at < DUE_MIN || in->due_at >= DUE_END))
        out[n++] = (struct listen_action_problem){"due", "Enter a date between 2000 and 2199"};
    else if (in->due_at && in->status && !strcmp(in->status, "done") && in->due_at > uk_today(now))
        out[n++] = (struct listen_action_problem){
            "due", "The date an action was done must be today or in the past"};
    return n;
}

json_t *listen_action_find_theme(const json_t *themes, const char *label)
{
    json_t *th;
    size_t i;
    json_array_foreach(themes, i, th)
    {
        const char *l = json_string_value(json_object_get(th, "label"));
        if (l && label && !strcmp(l, label))
            return th;
    }
    json_array_foreach(themes, i, th)
    {
        const char *l = json_string_value(json_object_get(th, "computed_label"));
        if (l && label && !strcmp(l, label))
            return th;
    }
    return NULL;
}

/* Only a theme's current label is found: linking goes by the name people see. */
static const json_t *find_label(const json_t *themes, const char *label)
{
    const json_t *th;
    size_t i;
    json_array_foreach(themes, i, th)
    {
        const char *l = json_string_value(json_object_get(th, "label"));
        if (l && !strcmp(l, label))
            return th;
    }
    return NULL;
}

/* The facilitators' edits applied to a run's themes as the report applies them: renamed,
 * and without the themes hidden from the report or merged into another. */
static int curate(struct db *db, struct arena *a, int64_t exercise_id, struct listen_analysis *r)
{
    struct listen_theme_edit *edits = NULL;
    size_t n = 0;
    int rc = listen_curation_load(db, a, exercise_id, &edits, &n);
    if (!rc)
        rc = listen_curation_apply(db, a, exercise_id, r, edits, n, true);
    return rc;
}

int listen_action_live_themes(struct db *db, int64_t exercise_id, json_t **out)
{
    struct db_stmt *st = NULL;
    struct arena *a = arena_new();
    struct listen_analysis r;
    json_t *themes = json_array();
    int rc;
    *out = NULL;
    if (!themes || !a) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = db_row(db, SQL_LA_LATEST, &st, "i", exercise_id);
    if (rc == APP_E_NOTFOUND) {
        rc = APP_OK;
        goto done;
    }
    if (rc)
        goto done;
    /* A result that does not read is a run without themes, as the analysis page shows it. */
    rc = listen_analysis_parse(a, db_col_text(st, 5), db_col_len(st, 5), &r);
    db_finalize(st);
    st = NULL;
    if (rc == APP_E_INVALID) {
        rc = APP_OK;
        goto done;
    }
    if (rc || (rc = curate(db, a, exercise_id, &r)))
        goto done;
    for (size_t i = 0; i < r.nthemes; i++) {
        const struct listen_theme *th = &r.themes[i];
        json_t *o;
        if (!th->label || !*th->label || find_label(themes, th->label))
            continue; /* two themes of one name would make a link ambiguous: the first wins */
        o = json_pack("{s:s, s:s*, s:o*}", "label", th->label, "size", th->size, "terms",
                      th->terms.v ? listen_strs_json(&th->terms) : NULL);
        /* renamed: actions linked under the name the analysis gave still belong here */
        if (o && th->computed_label && *th->computed_label && strcmp(th->computed_label, th->label))
            o = json_object_set_new(o, "computed_label", json_string(th->computed_label)) ? NULL
                                                                                          : o;
        if (!o || (th->terms.v && !json_object_get(o, "terms")) ||
            json_array_append_new(themes, o)) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
done:
    db_finalize(st);
    arena_free(a);
    if (rc)
        json_decref(themes);
    else
        *out = themes;
    return rc;
}

int listen_action_published_themes(struct db *db, int64_t exercise_id, json_t **out,
                                   bool *published)
{
    struct db_stmt *st = NULL;
    json_error_t err;
    int rc = db_row(db, SQL_LR_THEMES, &st, "i", exercise_id);
    *out = NULL;
    *published = false;
    if (rc == APP_OK) {
        *published = true;
        *out = json_loadb(db_col_text(st, 0), db_col_len(st, 0), 0, &err);
        if (!*out || !json_is_array(*out)) {
            json_decref(*out);
            *out = json_array(); /* a report published before themes were kept: none */
        }
        rc = *out ? APP_OK : APP_E_NOMEM;
    } else if (rc == APP_E_NOTFOUND) {
        rc = APP_OK;
    }
    db_finalize(st);
    return rc;
}

int listen_action_themes(struct db *db, int64_t exercise_id, json_t **out)
{
    bool published;
    int rc = listen_action_published_themes(db, exercise_id, out, &published);
    if (rc || published)
        return rc;
    return listen_action_live_themes(db, exercise_id, out);
}

/* True when theme is "" or a label of the latest analysis, or equal to keep (not NULL); each
 * also as the pages show it, with the words taken back since read "[word removed]"
 * (listen_action_scrub), since that is what a form offers and sends back. */
static int theme_allowed(struct db *db, int64_t exercise_id, const char *theme, const char *keep,
                         bool *ok)
{
    json_t *themes = NULL;
    struct arena *a;
    struct listen_action kept = {.theme = keep};
    int rc;
    *ok = !theme || !*theme || (keep && !strcmp(theme, keep));
    if (*ok)
        return APP_OK;
    rc = listen_action_themes(db, exercise_id, &themes);
    if (rc)
        return rc;
    *ok = find_label(themes, theme) != NULL;
    if (!*ok) {
        rc = (a = arena_new()) ? listen_action_scrub(db, a, exercise_id, themes, &kept, !!keep)
                               : APP_E_NOMEM;
        *ok = !rc && (find_label(themes, theme) || (keep && !strcmp(theme, kept.theme)));
        arena_free(a);
    }
    json_decref(themes);
    return rc;
}

/* The common checks of create and update; keep as for theme_allowed(). */
static int validate(struct db *db, int64_t exercise_id, const struct listen_action_input *in,
                    const char *keep, const char **field)
{
    struct listen_action_problem problems[LISTEN_ACTION_FIELDS];
    bool ok;
    int rc;
    if (listen_action_check(in, (int64_t)time(NULL), problems)) {
        if (field)
            *field = problems[0].field;
        return APP_E_INVALID;
    }
    rc = theme_allowed(db, exercise_id, in->theme, keep, &ok);
    if (!rc && !ok) {
        if (field)
            *field = "theme";
        rc = APP_E_INVALID;
    }
    return rc;
}

int listen_action_create(struct db *db, int64_t exercise_id, const struct listen_action_input *in,
                         int64_t created_by, int64_t *id, const char **field)
{
    struct db_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    int rc = validate(db, exercise_id, in, NULL, field);
    if (rc)
        goto done;
    rc = db_run_int(db, SQL_LACT_INSERT, id, "ittttiIi", exercise_id, in->theme ? in->theme : "",
                    in->what, in->who, in->status, in->due_at, created_by, now);
done:
    db_finalize(st);
    return rc;
}

int listen_action_update(struct db *db, int64_t exercise_id, int64_t id,
                         const struct listen_action_input *in, const char **field)
{
    struct db_stmt *st = NULL;
    const char *keep = NULL;
    int rc = db_row(db, SQL_LACT_GET, &st, "ii", id, exercise_id);
    if (rc)
        goto done;
    /* the current theme, copied out of the row before the statement goes back */
    keep = strdup(db_col_text(st, 1));
    db_finalize(st);
    st = NULL;
    if (!keep) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = validate(db, exercise_id, in, keep, field);
    if (!rc)
        rc = db_run(db, SQL_LACT_UPDATE, "iittttii", id, exercise_id, in->theme ? in->theme : "",
                    in->what, in->who, in->status, in->due_at, (int64_t)time(NULL));
    /* deleted by someone else between the two statements */
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
done:
    db_finalize(st);
    free((void *)keep);
    return rc;
}

int listen_action_delete(struct db *db, int64_t exercise_id, int64_t id)
{
    int rc = db_run(db, SQL_LACT_DELETE, "ii", id, exercise_id);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

/* The action on the statement's current row (columns of SQL_LACT_GET), copied into a. */
static int read_row(struct db_stmt *st, struct arena *a, struct listen_action *out)
{
    out->id = db_col_int(st, 0);
    out->theme = arena_strdup(a, db_col_text(st, 1));
    out->what = arena_strdup(a, db_col_text(st, 2));
    out->who = arena_strdup(a, db_col_text(st, 3));
    out->status = arena_strdup(a, db_col_text(st, 4));
    out->due_at = db_col_int(st, 5);
    out->created_at = db_col_int(st, 6);
    out->updated_at = db_col_int(st, 7);
    out->exercise_id = db_col_int(st, 8);
    return out->theme && out->what && out->who && out->status ? APP_OK : APP_E_NOMEM;
}

int listen_action_get(struct db *db, struct arena *a, int64_t exercise_id, int64_t id,
                      struct listen_action *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LACT_GET, &st, "ii", id, exercise_id);
    if (!rc)
        rc = read_row(st, a, out);
    db_finalize(st);
    return rc;
}

/* Replaces o's string member key by its scrubbed copy when that differs. */
static int scrub_member(struct arena *a, const struct listen_gone_words *g, json_t *o,
                        const char *key)
{
    const char *v = json_string_value(json_object_get(o, key)), *w;
    if (!v || (w = listen_words_scrub(a, g, v)) == v)
        return APP_OK;
    return w && !json_object_set_new(o, key, json_string(w)) ? APP_OK : APP_E_NOMEM;
}

/* Whether label is a name a facilitator gave a theme of themes (one with a computed label):
 * their own words, which are not scrubbed. */
static bool facilitators_name(const json_t *themes, const char *label)
{
    size_t i;
    const json_t *th;
    json_array_foreach(themes, i, th)
    {
        const char *l = json_string_value(json_object_get(th, "label"));
        if (json_object_get(th, "computed_label") && l && label && !strcmp(l, label))
            return true;
    }
    return false;
}

/* An action linked while a word of its theme's label was taken back keeps the label with
 * "[word removed]"; when the word comes back (the contribution approved again) the label no
 * longer reads so. The action goes to the one theme whose label its own reads as, scrubbed
 * (listen_words_scrubbed_from), rather than to "earlier themes"; with two such themes it
 * stays where it is, since which one was meant cannot be told. */
static void rehome(const json_t *themes, struct listen_action *as, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *only = NULL;
        size_t hits = 0, j;
        const json_t *th;
        if (!as[i].theme || !*as[i].theme || find_label(themes, as[i].theme))
            continue;
        json_array_foreach(themes, j, th)
        {
            const char *l = json_string_value(json_object_get(th, "label"));
            if (listen_words_scrubbed_from(as[i].theme, l)) {
                only = l;
                hits++;
            }
        }
        if (hits == 1)
            as[i].theme = only;
    }
}

int listen_action_scrub(struct db *db, struct arena *a, int64_t exercise_id, json_t *themes,
                        struct listen_action *as, size_t n)
{
    struct listen_gone_words g;
    const char **all;
    size_t nall = 0, i, k;
    json_t *th, *t;
    int rc;
    /* every string of the analysis's words that could be shown: labels not renamed, computed
     * labels, terms, and the themes actions are linked to */
    json_array_foreach(themes, i, th) nall += 2 + json_array_size(json_object_get(th, "terms"));
    if (!(all = arena_alloc(a, (nall + n + 1) * sizeof *all)))
        return APP_E_NOMEM;
    nall = 0;
    json_array_foreach(themes, i, th)
    {
        if (!json_object_get(th, "computed_label"))
            all[nall++] = json_string_value(json_object_get(th, "label"));
        all[nall++] = json_string_value(json_object_get(th, "computed_label"));
        json_array_foreach(json_object_get(th, "terms"), k, t) all[nall++] = json_string_value(t);
    }
    for (i = 0; i < n; i++)
        if (!facilitators_name(themes, as[i].theme))
            all[nall++] = as[i].theme;
    if ((rc = listen_words_taken_back(db, a, exercise_id, all, nall, &g)))
        return rc;
    json_array_foreach(themes, i, th)
    {
        if (!g.n)
            break;
        json_t *terms = json_object_get(th, "terms");
        if ((!json_object_get(th, "computed_label") && (rc = scrub_member(a, &g, th, "label"))) ||
            (rc = scrub_member(a, &g, th, "computed_label")))
            return rc;
        json_array_foreach(terms, k, t)
        {
            const char *w = listen_words_scrub(a, &g, json_string_value(t));
            if (!w || json_array_set_new(terms, k, json_string(w)))
                return APP_E_NOMEM;
        }
    }
    for (i = 0; i < n; i++)
        if (as[i].theme && !facilitators_name(themes, as[i].theme) &&
            !(as[i].theme = listen_words_scrub(a, &g, as[i].theme)))
            return APP_E_NOMEM;
    rehome(themes, as, n);
    return APP_OK;
}

int listen_action_bake(struct db *db, struct arena *a, int64_t exercise_id)
{
    json_t *themes = NULL;
    struct listen_action *as = NULL;
    const char **was = NULL;
    size_t n = 0;
    bool published = false;
    char *text = NULL;
    int rc = listen_action_published_themes(db, exercise_id, &themes, &published);
    if (!rc && !themes && !(themes = json_array()))
        rc = APP_E_NOMEM;
    if (!rc)
        rc = listen_action_list(db, a, exercise_id, &as, &n);
    if (!rc && !(was = arena_alloc(a, (n + 1) * sizeof *was)))
        rc = APP_E_NOMEM;
    for (size_t i = 0; !rc && i < n; i++)
        was[i] = as[i].theme;
    if (!rc)
        rc = listen_action_scrub(db, a, exercise_id, themes, as, n);
    for (size_t i = 0; !rc && i < n; i++) /* the scrub gives a new string only on a change */
        if (as[i].theme != was[i])
            rc = db_run(db, SQL_LACT_SET_THEME, "iit", as[i].id, exercise_id, as[i].theme);
    if (!rc && published) {
        if (!(text = json_dumps(themes, JSON_COMPACT)))
            rc = APP_E_NOMEM;
        else
            rc = db_run(db, SQL_LR_SET_THEMES, "it", exercise_id, text);
    }
    free(text);
    json_decref(themes);
    return rc;
}

int listen_action_list(struct db *db, struct arena *a, int64_t exercise_id,
                       struct listen_action **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    *out = arena_grow(a, NULL, 1, &cap, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_LACT_LIST, &st, "i", exercise_id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct listen_action *np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = np;
        rc = read_row(st, a, &(*out)[(*n)++]);
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}
