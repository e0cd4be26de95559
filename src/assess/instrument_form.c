/* instrument_form.c: an instrument as an editable form (see instrument_form.h for why)
 *
 * Field names. The instrument's own fields keep their JSON names ("code", "level_share"); the
 * open domain's are "domain_<key>"; repeated ones carry 1-based positions: "band_<key>.B",
 * "item_<key>.I", "item_descriptor.I.L", "option_<key>.I.K", where I counts the open domain's
 * items. Each key has its own prefix so routes.def can give each its own length limit.
 *
 * What a page showed decides what its submission replaces: the level fields only under the
 * levels method (or when an item already has a level), the descriptors only for a maturity
 * item, the options only for a bands or choice item. A value the page did not show stays as
 * the draft had it, so switching an item's kind back and forth loses nothing.
 *
 * Everything lives in the caller's arena; jansson values are released before returning.
 */
#include "assess/instrument_form.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BANDS 20 /* as instrument.c */
/* The request layer's field limit is 1000 (MAX_FIELDS in src/web/dispatch.c); the page's own
 * fields (CSRF token, draft, …) and a margin are kept out of it. */
#define FIELD_BUDGET 985

static const char *const kinds[] = {"agree", "maturity", "yesno", "bands", "choice"};
static const char *const kind_texts[] = {
    "Agree or disagree (5 answers)", "Maturity level (5 descriptions)", "Yes or no",
    "Percentage bands (your answers)", "Choice (your answers)"};

static const char *S(const char *s)
{
    return s ? s : "";
}

static bool has_options(const char *kind)
{
    return !strcmp(kind, "bands") || !strcmp(kind, "choice");
}

static bool shows_levels(const struct instrument_form *f, const struct ifm_item *it)
{
    return !strcmp(f->method, "levels") || *it->level;
}

/* A number as a person would type it: "1", "0.7", "87.5"; with all 17 digits only when 15
 * would not read back as the same number, so saving an untouched form changes nothing. */
static const char *num_text(struct arena *a, double x)
{
    char *t = arena_printf(a, "%.15g", x);
    if (t && strtod(t, NULL) != x)
        t = arena_printf(a, "%.17g", x);
    return t;
}

/* Grows an arena array by one zeroed element at the end; NULL when out of memory. */
static void *append(struct arena *a, void *arr, size_t *n, size_t size)
{
    char *p = arena_calloc(a, *n + 1, size);
    if (!p)
        return NULL;
    if (*n)
        memcpy(p, arr, *n * size);
    (*n)++;
    return p;
}

/* Removes element i of an array of n. */
static void drop(void *arr, size_t *n, size_t i, size_t size)
{
    char *p = arr;
    if (i >= *n)
        return;
    memmove(p + i * size, p + (i + 1) * size, (*n - i - 1) * size);
    (*n)--;
}

static void item_init(struct ifm_item *it)
{
    it->id = it->text = it->help = it->weight = it->level = it->met_at = "";
    it->kind = "agree";
    for (size_t l = 0; l < ASSESS_LEVELS; l++)
        it->levels[l] = "";
    it->options = NULL;
    it->noptions = 0;
}

static void domain_init(struct ifm_domain *d)
{
    d->id = d->title = d->description = d->weight = d->baseline = "";
    d->items = NULL;
    d->nitems = 0;
}

static bool id_taken(const struct instrument_form *f, const char *id)
{
    for (size_t d = 0; d < f->ndomains; d++)
        for (size_t i = 0; i < f->domains[d].nitems; i++)
            if (!strcmp(f->domains[d].items[i].id, id))
                return true;
    return false;
}

static size_t total_items(const struct instrument_form *f)
{
    size_t n = 0;
    for (size_t d = 0; d < f->ndomains; d++)
        n += f->domains[d].nitems;
    return n;
}

/* Adds an empty item to domain d, with an id made from the domain's ("video-4") when it has
 * one, since admins seldom know what an id is for. */
static int add_item(struct arena *a, struct instrument_form *f, struct ifm_domain *d)
{
    struct ifm_item *items = append(a, d->items, &d->nitems, sizeof *items), *it;
    if (!items)
        return APP_E_NOMEM;
    d->items = items;
    it = &items[d->nitems - 1];
    item_init(it);
    if (*d->id && strlen(d->id) <= 34)
        for (size_t k = d->nitems; k < d->nitems + 1000; k++) {
            const char *id = arena_printf(a, "%s-%zu", d->id, k);
            if (!id)
                return APP_E_NOMEM;
            if (!id_taken(f, id)) {
                it->id = id;
                break;
            }
        }
    return APP_OK;
}

static int add_option(struct arena *a, struct ifm_item *it)
{
    struct ifm_option *o = append(a, it->options, &it->noptions, sizeof *o);
    if (!o)
        return APP_E_NOMEM;
    it->options = o;
    o[it->noptions - 1].label = o[it->noptions - 1].score = "";
    return APP_OK;
}

/* A bands or choice item always shows at least the 2 options it needs. */
static int normalise(struct arena *a, struct instrument_form *f)
{
    int rc = APP_OK;
    for (size_t d = 0; d < f->ndomains; d++)
        for (size_t i = 0; i < f->domains[d].nitems; i++) {
            struct ifm_item *it = &f->domains[d].items[i];
            while (has_options(it->kind) && it->noptions < 2)
                if ((rc = add_option(a, it)))
                    return rc;
        }
    if (f->open >= f->ndomains)
        f->open = f->ndomains ? f->ndomains - 1 : 0;
    return rc;
}

int instrument_form_blank(struct arena *a, struct instrument_form *f)
{
    memset(f, 0, sizeof *f);
    f->code = f->title = f->description = f->level_share = f->baseline_source = "";
    f->audience = "individual";
    f->method = "percent";
    f->bands = arena_calloc(a, 1, sizeof *f->bands);
    f->domains = arena_calloc(a, 1, sizeof *f->domains);
    if (!f->bands || !f->domains)
        return APP_E_NOMEM;
    f->nbands = f->ndomains = 1;
    f->bands[0].from = "0";
    f->bands[0].name = f->bands[0].description = "";
    domain_init(&f->domains[0]);
    return add_item(a, f, &f->domains[0]);
}

int instrument_form_from(struct arena *a, const struct assess_instrument *ins,
                         struct instrument_form *f)
{
    memset(f, 0, sizeof *f);
    f->from = ins->id;
    f->code = S(ins->code);
    f->title = S(ins->title);
    f->description = S(ins->description);
    f->audience = S(ins->audience);
    f->method = assess_method_name(ins->method);
    f->level_share = num_text(a, ins->level_share);
    f->baseline_source = S(ins->baseline_source);
    f->nbands = ins->nbands;
    f->ndomains = ins->ndomains;
    f->bands = arena_calloc(a, ins->nbands ? ins->nbands : 1, sizeof *f->bands);
    f->domains = arena_calloc(a, ins->ndomains ? ins->ndomains : 1, sizeof *f->domains);
    if (!f->level_share || !f->bands || !f->domains)
        return APP_E_NOMEM;
    for (size_t b = 0; b < ins->nbands; b++) {
        f->bands[b].from = num_text(a, ins->bands[b].from);
        f->bands[b].name = S(ins->bands[b].name);
        f->bands[b].description = S(ins->bands[b].description);
        if (!f->bands[b].from)
            return APP_E_NOMEM;
    }
    for (size_t d = 0; d < ins->ndomains; d++) {
        const struct assess_domain *sd = &ins->domains[d];
        struct ifm_domain *fd = &f->domains[d];
        fd->id = S(sd->id);
        fd->title = S(sd->title);
        fd->description = S(sd->description);
        fd->weight = num_text(a, sd->weight);
        fd->baseline = sd->has_baseline ? num_text(a, sd->baseline) : "";
        fd->nitems = sd->nitems;
        fd->items = arena_calloc(a, sd->nitems ? sd->nitems : 1, sizeof *fd->items);
        if (!fd->weight || !fd->baseline || !fd->items)
            return APP_E_NOMEM;
        for (size_t i = 0; i < sd->nitems; i++) {
            const struct assess_item *si = &sd->items[i];
            struct ifm_item *fi = &fd->items[i];
            item_init(fi);
            fi->id = S(si->id);
            fi->kind = assess_kind_name(si->kind);
            fi->text = S(si->text);
            fi->help = S(si->help);
            fi->weight = num_text(a, si->weight);
            fi->level = si->level ? num_text(a, si->level) : "";
            fi->met_at = num_text(a, si->met_at);
            if (!fi->weight || !fi->level || !fi->met_at)
                return APP_E_NOMEM;
            if (si->kind == AK_MATURITY)
                for (size_t l = 0; l < ASSESS_LEVELS && l < si->noptions; l++)
                    fi->levels[l] = S(si->options[l].label);
            if (si->kind == AK_BANDS || si->kind == AK_CHOICE) {
                fi->options = arena_calloc(a, si->noptions, sizeof *fi->options);
                if (!fi->options)
                    return APP_E_NOMEM;
                fi->noptions = si->noptions;
                for (size_t k = 0; k < si->noptions; k++) {
                    fi->options[k].label = S(si->options[k].label);
                    fi->options[k].score = num_text(a, si->options[k].score);
                    if (!fi->options[k].score)
                        return APP_E_NOMEM;
                }
            }
        }
    }
    return normalise(a, f);
}

/* ---- the draft: the whole form as JSON, in a hidden field ---------------------------------- */

/* Adds key: string (a new reference); false when out of memory. */
static bool put_str(json_t *o, const char *key, const char *s)
{
    json_t *v = json_string(S(s));
    return v && json_object_set_new(o, key, v) == 0;
}

static bool push_new(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

static json_t *item_draft(const struct ifm_item *it)
{
    json_t *o = json_object(), *levels = json_array(), *opts = json_array();
    bool ok = o && levels && opts && put_str(o, "id", it->id) && put_str(o, "kind", it->kind) &&
              put_str(o, "text", it->text) && put_str(o, "help", it->help) &&
              put_str(o, "weight", it->weight) && put_str(o, "level", it->level) &&
              put_str(o, "met_at", it->met_at);
    for (size_t l = 0; ok && l < ASSESS_LEVELS; l++)
        ok = push_new(levels, json_string(S(it->levels[l])));
    for (size_t k = 0; ok && k < it->noptions; k++) {
        json_t *x = json_object();
        ok = push_new(opts, x) && put_str(x, "label", it->options[k].label) &&
             put_str(x, "score", it->options[k].score);
    }
    if (ok && !json_object_set(o, "levels", levels) && !json_object_set(o, "options", opts)) {
        json_decref(levels);
        json_decref(opts);
        return o;
    }
    json_decref(levels);
    json_decref(opts);
    json_decref(o);
    return NULL;
}

static json_t *form_draft(const struct instrument_form *f)
{
    json_t *o = json_object(), *bands = json_array(), *doms = json_array();
    bool ok = o && bands && doms && put_str(o, "code", f->code) && put_str(o, "title", f->title) &&
              put_str(o, "description", f->description) && put_str(o, "audience", f->audience) &&
              put_str(o, "method", f->method) && put_str(o, "level_share", f->level_share) &&
              put_str(o, "baseline_source", f->baseline_source);
    for (size_t b = 0; ok && b < f->nbands; b++) {
        json_t *x = json_object();
        ok = push_new(bands, x) && put_str(x, "from", f->bands[b].from) &&
             put_str(x, "name", f->bands[b].name) &&
             put_str(x, "description", f->bands[b].description);
    }
    for (size_t d = 0; ok && d < f->ndomains; d++) {
        const struct ifm_domain *fd = &f->domains[d];
        json_t *x = json_object(), *items = json_array();
        ok = push_new(doms, x) && items && put_str(x, "id", fd->id) &&
             put_str(x, "title", fd->title) && put_str(x, "description", fd->description) &&
             put_str(x, "weight", fd->weight) && put_str(x, "baseline", fd->baseline);
        for (size_t i = 0; ok && i < fd->nitems; i++)
            ok = push_new(items, item_draft(&fd->items[i]));
        ok = ok && json_object_set(x, "items", items) == 0;
        json_decref(items);
    }
    ok = ok && json_object_set(o, "bands", bands) == 0 && json_object_set(o, "domains", doms) == 0;
    json_decref(bands);
    json_decref(doms);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* JSON text of v in the arena (jansson's own buffers may be the arena's too during a request,
 * so the text is built in a buf and copied). */
static const char *dump(struct arena *a, json_t *v, size_t flags, size_t *len)
{
    struct buf text = BUF_INIT;
    const char *s = NULL;
    if (v && !json_dump_callback(v, buf_append_cb, &text, flags) && !buf_oom(&text)) {
        s = arena_strndup(a, text.data ? text.data : "", text.len);
        if (len)
            *len = text.len;
    }
    buf_free(&text);
    return s;
}

/* A string member copied into the arena; "" when absent or not a string. */
static const char *get_s(struct arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? arena_strndup(a, json_string_value(v), json_string_length(v)) : "";
}

static int read_item(struct arena *a, json_t *o, struct ifm_item *it)
{
    json_t *levels = json_object_get(o, "levels"), *opts = json_object_get(o, "options");
    item_init(it);
    if (!json_is_object(o) || json_array_size(opts) > ASSESS_MAX_OPTIONS)
        return APP_E_INVALID;
    if (!(it->id = get_s(a, o, "id")) || !(it->kind = get_s(a, o, "kind")) ||
        !(it->text = get_s(a, o, "text")) || !(it->help = get_s(a, o, "help")) ||
        !(it->weight = get_s(a, o, "weight")) || !(it->level = get_s(a, o, "level")) ||
        !(it->met_at = get_s(a, o, "met_at")))
        return APP_E_NOMEM;
    for (size_t l = 0; l < ASSESS_LEVELS; l++) {
        json_t *v = json_array_get(levels, l);
        it->levels[l] = json_is_string(v) ? arena_strdup(a, json_string_value(v)) : "";
        if (!it->levels[l])
            return APP_E_NOMEM;
    }
    it->noptions = json_array_size(opts);
    it->options = arena_calloc(a, it->noptions ? it->noptions : 1, sizeof *it->options);
    if (!it->options)
        return APP_E_NOMEM;
    for (size_t k = 0; k < it->noptions; k++) {
        json_t *x = json_array_get(opts, k);
        if (!(it->options[k].label = get_s(a, x, "label")) ||
            !(it->options[k].score = get_s(a, x, "score")))
            return APP_E_NOMEM;
    }
    return APP_OK;
}

static int read_draft(struct arena *a, const char *text, struct instrument_form *f)
{
    json_t *root = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    json_t *bands = json_object_get(root, "bands"), *doms = json_object_get(root, "domains");
    size_t nitems = 0;
    int rc = APP_E_INVALID;

    if (!json_is_object(root) || !json_is_array(bands) || !json_is_array(doms) ||
        json_array_size(bands) > MAX_BANDS || json_array_size(doms) < 1 ||
        json_array_size(doms) > ASSESS_MAX_DOMAINS)
        goto done;
    rc = APP_E_NOMEM;
    if (!(f->code = get_s(a, root, "code")) || !(f->title = get_s(a, root, "title")) ||
        !(f->description = get_s(a, root, "description")) ||
        !(f->audience = get_s(a, root, "audience")) || !(f->method = get_s(a, root, "method")) ||
        !(f->level_share = get_s(a, root, "level_share")) ||
        !(f->baseline_source = get_s(a, root, "baseline_source")))
        goto done;
    f->nbands = json_array_size(bands);
    f->ndomains = json_array_size(doms);
    f->bands = arena_calloc(a, f->nbands ? f->nbands : 1, sizeof *f->bands);
    f->domains = arena_calloc(a, f->ndomains, sizeof *f->domains);
    if (!f->bands || !f->domains)
        goto done;
    for (size_t b = 0; b < f->nbands; b++) {
        json_t *x = json_array_get(bands, b);
        if (!(f->bands[b].from = get_s(a, x, "from")) ||
            !(f->bands[b].name = get_s(a, x, "name")) ||
            !(f->bands[b].description = get_s(a, x, "description")))
            goto done;
    }
    for (size_t d = 0; d < f->ndomains; d++) {
        json_t *x = json_array_get(doms, d), *items = json_object_get(x, "items");
        struct ifm_domain *fd = &f->domains[d];
        rc = APP_E_INVALID;
        if (!json_is_object(x) || !json_is_array(items) ||
            (nitems += json_array_size(items)) > ASSESS_MAX_ITEMS)
            goto done;
        rc = APP_E_NOMEM;
        if (!(fd->id = get_s(a, x, "id")) || !(fd->title = get_s(a, x, "title")) ||
            !(fd->description = get_s(a, x, "description")) ||
            !(fd->weight = get_s(a, x, "weight")) || !(fd->baseline = get_s(a, x, "baseline")))
            goto done;
        fd->nitems = json_array_size(items);
        fd->items = arena_calloc(a, fd->nitems ? fd->nitems : 1, sizeof *fd->items);
        if (!fd->items)
            goto done;
        for (size_t i = 0; i < fd->nitems; i++)
            if ((rc = read_item(a, json_array_get(items, i), &fd->items[i])))
                goto done;
    }
    rc = APP_OK;
done:
    json_decref(root);
    return rc;
}

/* ---- reading a submitted page ------------------------------------------------------------- */

struct overlay {
    struct arena *a;
    instrument_form_get_fn get, typed;
    void *ctx;
    struct instrument_form *f; /* its shown names grow as each field is read */
    size_t cap;
};

/* The submitted value of the field "<prefix>" + printf-style suffix, "" when absent. A value
 * the request layer refused (too long, a tab in a one-line field, …) arrives as absent: then
 * what was typed is shown again with the error beside the field saying why, so the admin's
 * edit is not lost to the draft's value (keep). keep stays only when the typed text cannot be
 * shown, or for a choice (a select shows only its own values; one refused was never one of
 * them). The caller saves no form read from a request with a refused field. */
__attribute__((format(printf, 4, 5))) static const char *
field(struct overlay *ov, bool choice, const char *keep, const char *fmt, ...)
{
    char name[96];
    const char *v, *t;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    {
        const char **g =
            arena_grow(ov->a, ov->f->shown, ov->f->nshown + 1, &ov->cap, sizeof *ov->f->shown);
        if (!g || !(g[ov->f->nshown] = arena_strdup(ov->a, name)))
            return NULL;
        ov->f->shown = g;
        ov->f->nshown++;
    }
    v = ov->get(ov->ctx, name);
    if (!v && ov->typed && (t = ov->typed(ov->ctx, name))) {
        if (keep && (choice || !*t))
            return keep;
        v = t;
    }
    return arena_strdup(ov->a, S(v));
}

#define TAKE(dst, ...)                                                                             \
    do {                                                                                           \
        if (!((dst) = field(&ov, false, (dst), __VA_ARGS__)))                                      \
            return APP_E_NOMEM;                                                                    \
    } while (0)

/* TAKE for a select: a refused value keeps the draft's */
#define CHOOSE(dst, ...)                                                                           \
    do {                                                                                           \
        if (!((dst) = field(&ov, true, (dst), __VA_ARGS__)))                                       \
            return APP_E_NOMEM;                                                                    \
    } while (0)

int instrument_form_read(struct arena *a, instrument_form_get_fn get, instrument_form_get_fn typed,
                         void *ctx, struct instrument_form *f, const char **why)
{
    struct overlay ov = {a, get, typed, ctx, f, 0};
    const char *s;
    struct ifm_domain *d;
    bool levels;
    int rc;

    memset(f, 0, sizeof *f);
    *why = NULL;
    if ((rc = read_draft(a, get(ctx, "draft"), f))) {
        if (rc == APP_E_INVALID)
            *why = "The form was not sent as this service made it; open the instrument again";
        return rc;
    }
    s = get(ctx, "from");
    f->from = s ? strtoll(s, NULL, 10) : 0;
    s = get(ctx, "open");
    f->open = s && atoi(s) > 0 ? (size_t)atoi(s) - 1 : 0;
    if (f->open >= f->ndomains)
        f->open = 0;
    levels = !strcmp(f->method, "levels"); /* as the page was shown */

    TAKE(f->code, "code");
    TAKE(f->title, "title");
    TAKE(f->description, "description");
    CHOOSE(f->audience, "audience");
    CHOOSE(f->method, "method");
    TAKE(f->level_share, "level_share");
    TAKE(f->baseline_source, "baseline_source");
    for (size_t b = 0; b < f->nbands; b++) {
        TAKE(f->bands[b].from, "band_from.%zu", b + 1);
        TAKE(f->bands[b].name, "band_name.%zu", b + 1);
        TAKE(f->bands[b].description, "band_description.%zu", b + 1);
    }
    d = &f->domains[f->open];
    TAKE(d->id, "domain_id");
    TAKE(d->title, "domain_title");
    TAKE(d->description, "domain_description");
    TAKE(d->weight, "domain_weight");
    TAKE(d->baseline, "domain_baseline");
    for (size_t i = 0; i < d->nitems; i++) {
        struct ifm_item *it = &d->items[i];
        size_t n = i + 1;
        /* what the page showed depends on the item as it was, so these come first */
        if (levels || *it->level) {
            TAKE(it->level, "item_level.%zu", n);
            TAKE(it->met_at, "item_met_at.%zu", n);
        }
        if (!strcmp(it->kind, "maturity"))
            for (size_t l = 0; l < ASSESS_LEVELS; l++)
                TAKE(it->levels[l], "item_descriptor.%zu.%zu", n, l + 1);
        if (has_options(it->kind))
            for (size_t k = 0; k < it->noptions; k++) {
                TAKE(it->options[k].label, "option_label.%zu.%zu", n, k + 1);
                TAKE(it->options[k].score, "option_score.%zu.%zu", n, k + 1);
            }
        TAKE(it->id, "item_id.%zu", n);
        CHOOSE(it->kind, "item_kind.%zu", n);
        TAKE(it->text, "item_text.%zu", n);
        TAKE(it->help, "item_help.%zu", n);
        TAKE(it->weight, "item_weight.%zu", n);
    }
    return normalise(a, f);
}

#undef TAKE
#undef CHOOSE

bool instrument_form_showed(const struct instrument_form *f, const char *name)
{
    for (size_t i = 0; i < f->nshown; i++)
        if (!strcmp(f->shown[i], name))
            return true;
    return false;
}

/* ---- structural edits --------------------------------------------------------------------- */

/* Parses "<prefix>N" or "<prefix>N-M" (1-based); false when action is something else. */
static bool action_nums(const char *action, const char *prefix, size_t *n, size_t *m)
{
    size_t plen = strlen(prefix);
    char *end;
    unsigned long x;
    if (strncmp(action, prefix, plen) || action[plen] < '1' || action[plen] > '9')
        return false;
    x = strtoul(action + plen, &end, 10);
    if (x == 0 || x > 10000)
        return false;
    *n = x;
    if (!m)
        return *end == '\0';
    if (*end != '-' || end[1] < '1' || end[1] > '9')
        return false;
    x = strtoul(end + 1, &end, 10);
    if (x == 0 || x > 10000 || *end)
        return false;
    *m = x;
    return true;
}

int instrument_form_act(struct arena *a, struct instrument_form *f, const char *action)
{
    struct ifm_domain *d = &f->domains[f->open];
    size_t n = 0, m = 0;
    int rc = APP_OK;

    if (!action || !strcmp(action, "update"))
        return APP_OK;
    if (action_nums(action, "open-", &n, NULL)) {
        if (n <= f->ndomains)
            f->open = n - 1;
    } else if (!strcmp(action, "add-band")) {
        if (f->nbands < MAX_BANDS) {
            struct ifm_band *b = append(a, f->bands, &f->nbands, sizeof *b);
            if (!b)
                return APP_E_NOMEM;
            f->bands = b;
            b[f->nbands - 1].from = b[f->nbands - 1].name = b[f->nbands - 1].description = "";
        }
    } else if (action_nums(action, "remove-band-", &n, NULL)) {
        drop(f->bands, &f->nbands, n - 1, sizeof *f->bands);
    } else if (!strcmp(action, "add-domain")) {
        if (f->ndomains < ASSESS_MAX_DOMAINS && total_items(f) < ASSESS_MAX_ITEMS) {
            struct ifm_domain *nd = append(a, f->domains, &f->ndomains, sizeof *nd);
            if (!nd)
                return APP_E_NOMEM;
            f->domains = nd;
            f->open = f->ndomains - 1;
            domain_init(&nd[f->open]);
            rc = add_item(a, f, &nd[f->open]);
        }
    } else if (!strcmp(action, "remove-domain")) {
        if (f->ndomains > 1)
            drop(f->domains, &f->ndomains, f->open, sizeof *f->domains);
    } else if (!strcmp(action, "add-item")) {
        if (total_items(f) < ASSESS_MAX_ITEMS)
            rc = add_item(a, f, d);
    } else if (action_nums(action, "remove-item-", &n, NULL)) {
        if (d->nitems > 1)
            drop(d->items, &d->nitems, n - 1, sizeof *d->items);
    } else if (action_nums(action, "add-option-", &n, NULL)) {
        if (n <= d->nitems && d->items[n - 1].noptions < ASSESS_MAX_OPTIONS)
            rc = add_option(a, &d->items[n - 1]);
    } else if (action_nums(action, "remove-option-", &n, &m)) {
        if (n <= d->nitems && d->items[n - 1].noptions > 2)
            drop(d->items[n - 1].options, &d->items[n - 1].noptions, m - 1,
                 sizeof *d->items[n - 1].options);
    } else {
        return APP_E_INVALID;
    }
    return rc ? rc : normalise(a, f);
}

/* ---- the instrument's JSON ---------------------------------------------------------------- */

struct build {
    struct arena *a;
    const char **why;
    int rc; /* the first failure; later steps do nothing */
};

/* Adds key: the number typed in text; nothing when text is empty. */
static void put_num(struct build *b, json_t *o, const char *where, const char *key,
                    const char *text)
{
    char *end;
    double x;
    json_t *v;
    if (b->rc || !*text)
        return;
    errno = 0;
    x = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (end == text || *end || errno || !isfinite(x)) {
        *b->why = arena_printf(b->a, "%s: \"%s\" must be a number", where, key);
        b->rc = *b->why ? APP_E_INVALID : APP_E_NOMEM;
        return;
    }
    v = x == floor(x) && fabs(x) < 1e15 ? json_integer((json_int_t)x) : json_real(x);
    if (!v || json_object_set_new(o, key, v))
        b->rc = APP_E_NOMEM;
}

static void put_s(struct build *b, json_t *o, const char *key, const char *s)
{
    if (!b->rc && !put_str(o, key, s))
        b->rc = APP_E_NOMEM;
}

/* Takes v into arr (or into obj under key when key is not NULL). */
static void take(struct build *b, json_t *to, const char *key, json_t *v)
{
    if (!b->rc && (!v || (key ? json_object_set(to, key, v) : json_array_append(to, v))))
        b->rc = APP_E_NOMEM;
    json_decref(v);
}

static json_t *item_json(struct build *b, const char *dwhere, size_t pos, const struct ifm_item *it)
{
    json_t *o = json_object();
    const char *where = *it->id ? arena_printf(b->a, "%s, item %zu (\"%s\")", dwhere, pos, it->id)
                                : arena_printf(b->a, "%s, item %zu", dwhere, pos);
    if (!o || !where)
        b->rc = b->rc ? b->rc : APP_E_NOMEM;
    put_s(b, o, "id", it->id);
    put_s(b, o, "kind", it->kind);
    put_s(b, o, "text", it->text);
    put_s(b, o, "help", it->help);
    put_num(b, o, where, "weight", it->weight);
    put_num(b, o, where, "level", it->level);
    put_num(b, o, where, "met_at", it->met_at);
    if (!strcmp(it->kind, "maturity")) {
        json_t *levels = json_array();
        for (size_t l = 0; levels && l < ASSESS_LEVELS; l++)
            if (json_array_append_new(levels, json_string(S(it->levels[l])))) {
                json_decref(levels);
                levels = NULL;
            }
        take(b, o, "levels", levels);
    } else if (has_options(it->kind)) {
        json_t *opts = json_array();
        for (size_t k = 0; opts && k < it->noptions; k++) {
            json_t *x = json_object();
            const char *here = where ? arena_printf(b->a, "%s, option %zu", where, k + 1) : NULL;
            if (!here)
                b->rc = b->rc ? b->rc : APP_E_NOMEM;
            put_s(b, x, "label", it->options[k].label);
            put_num(b, x, here, "score", it->options[k].score);
            take(b, opts, NULL, x);
        }
        take(b, o, "options", opts);
    }
    return o;
}

int instrument_form_json(struct arena *a, const struct instrument_form *f, const char **json,
                         size_t *len, const char **why)
{
    struct build b = {a, why, APP_OK};
    json_t *root = json_object(), *bands = json_array(), *doms = json_array();

    *why = NULL;
    *json = NULL;
    if (!root || !bands || !doms)
        b.rc = APP_E_NOMEM;
    put_s(&b, root, "code", f->code);
    put_s(&b, root, "title", f->title);
    put_s(&b, root, "description", f->description);
    put_s(&b, root, "audience", f->audience);
    put_s(&b, root, "method", f->method);
    put_num(&b, root, "the instrument", "level_share", f->level_share);
    put_s(&b, root, "baseline_source", f->baseline_source);
    for (size_t i = 0; !b.rc && i < f->nbands; i++) {
        json_t *x = json_object();
        char where[32];
        snprintf(where, sizeof where, "band %zu", i + 1);
        put_num(&b, x, where, "from", f->bands[i].from);
        put_s(&b, x, "name", f->bands[i].name);
        put_s(&b, x, "description", f->bands[i].description);
        take(&b, bands, NULL, x);
    }
    for (size_t d = 0; !b.rc && d < f->ndomains; d++) {
        const struct ifm_domain *fd = &f->domains[d];
        json_t *x = json_object(), *items = json_array();
        const char *where = *fd->id ? arena_printf(a, "domain %zu (\"%s\")", d + 1, fd->id)
                                    : arena_printf(a, "domain %zu", d + 1);
        if (!where)
            b.rc = APP_E_NOMEM;
        put_s(&b, x, "id", fd->id);
        put_s(&b, x, "title", fd->title);
        put_s(&b, x, "description", fd->description);
        put_num(&b, x, where, "weight", fd->weight);
        put_num(&b, x, where, "baseline", fd->baseline);
        for (size_t i = 0; !b.rc && i < fd->nitems; i++)
            take(&b, items, NULL, item_json(&b, where, i + 1, &fd->items[i]));
        take(&b, x, "items", items);
        take(&b, doms, NULL, x);
    }
    take(&b, root, "bands", bands);
    bands = NULL;
    take(&b, root, "domains", doms);
    doms = NULL;
    if (!b.rc && !(*json = dump(a, root, JSON_INDENT(2), len)))
        b.rc = APP_E_NOMEM;
    json_decref(root);
    return b.rc;
}

/* ---- where a parser sentence points ------------------------------------------------------- */

/* The first "quoted" word of s, or "" (s is the part of the sentence after the place). */
static const char *first_quoted(struct arena *a, const char *s)
{
    const char *q = strchr(s, '"'), *e = q ? strchr(q + 1, '"') : NULL;
    return e ? arena_strndup(a, q + 1, (size_t)(e - q - 1)) : "";
}

static bool is_one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

const char *instrument_form_error_field(struct arena *a, struct instrument_form *f, const char *why)
{
    static const char *const top[] = {"code",   "title",       "description",     "audience",
                                      "method", "level_share", "baseline_source", NULL};
    static const char *const band_keys[] = {"from", "name", "description", NULL};
    static const char *const dom_keys[] = {"id",     "title",    "description",
                                           "weight", "baseline", NULL};
    static const char *const item_keys[] = {"id",     "kind",  "text",   "help",
                                            "weight", "level", "met_at", NULL};
    const char *msg = why ? strstr(why, ": ") : NULL, *key, *p;
    size_t d = 0, i = 0, k = 0;

    if (!msg)
        return "code";
    msg += 2;
    key = !strncmp(msg, "the id ", 7) ? "id" : first_quoted(a, msg);
    if (!key)
        return NULL;
    if (sscanf(why, "band %zu", &d) == 1)
        return arena_printf(a, "band_%s.%zu", is_one_of(key, band_keys) ? key : "name", d);
    if (sscanf(why, "domain %zu", &d) != 1 || d == 0 || d > f->ndomains) {
        if (strstr(msg, "domains"))
            return "domains";
        if (strstr(msg, "bands"))
            return "bands";
        return is_one_of(key, top) ? key : "code";
    }
    f->open = d - 1;
    p = strstr(why, ", item ");
    if (!p || p > msg || sscanf(p, ", item %zu", &i) != 1 || i == 0 || i > f->domains[d - 1].nitems)
        return is_one_of(key, dom_keys) ? arena_printf(a, "domain_%s", key) : "domain_title";
    p = strstr(why, ", option ");
    if (p && p < msg && sscanf(p, ", option %zu", &k) == 1 && k > 0)
        return arena_printf(a, "option_%s.%zu.%zu", !strcmp(key, "score") ? "score" : "label", i,
                            k);
    if (sscanf(msg, "level descriptor %zu", &k) == 1 && k >= 1 && k <= ASSESS_LEVELS)
        return arena_printf(a, "item_descriptor.%zu.%zu", i, k);
    if (!strcmp(key, "levels"))
        return arena_printf(a, "item_descriptor.%zu.1", i);
    if (strstr(msg, "options"))
        return f->domains[d - 1].items[i - 1].noptions ? arena_printf(a, "option_label.%zu.1", i)
                                                       : arena_printf(a, "item_kind.%zu", i);
    return arena_printf(a, "item_%s.%zu", is_one_of(key, item_keys) ? key : "text", i);
}

/* ---- the view model ----------------------------------------------------------------------- */

struct model {
    struct arena *a;
    instrument_form_get_fn error;
    void *ctx;
    size_t fields; /* inputs on the page, against the request layer's limit */
    bool oom;
};

enum widget { W_INPUT, W_NUMBER, W_TEXTAREA, W_SELECT };

static json_t *jstr_or_oom(struct model *m, const char *s)
{
    json_t *v = json_string(S(s));
    if (!v)
        m->oom = true;
    return v;
}

static void set(struct model *m, json_t *o, const char *key, json_t *v)
{
    if (!o)
        json_decref(v); /* json_object_set_new() releases v itself when it fails */
    if (!o || !v || json_object_set_new(o, key, v))
        m->oom = true;
}

static void set_s(struct model *m, json_t *o, const char *key, const char *s)
{
    set(m, o, key, jstr_or_oom(m, s));
}

/* A select's choices: values[i] shown as texts[i], the one equal to value selected. */
static json_t *choices(struct model *m, const char *const *values, const char *const *texts,
                       size_t n, const char *value)
{
    json_t *arr = json_array();
    if (!arr)
        m->oom = true;
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_object();
        set_s(m, o, "value", values[i]);
        set_s(m, o, "text", texts[i]);
        set(m, o, "selected", json_boolean(!strcmp(values[i], value)));
        if (!o || json_array_append_new(arr, o))
            m->oom = true;
    }
    return arr;
}

/* One form field, with every key the field template reads set (Mustache looks missing names up
 * in the enclosing objects, where another field's would be found). */
static json_t *fld(struct model *m, const char *name, const char *label, const char *hint,
                   enum widget w, const char *value, json_t *opts)
{
    json_t *o;
    const char *err, *hint_id, *described;
    if (!name) {
        m->oom = true;
        json_decref(opts);
        return NULL;
    }
    o = json_object();
    err = m->error ? m->error(m->ctx, name) : NULL;
    hint_id = *S(hint) ? arena_printf(m->a, "%s-hint", name) : "";
    described = err && hint_id
                    ? arena_printf(m->a, "%s%s%s-error", hint_id, *hint_id ? " " : "", name)
                    : hint_id;
    if (!described)
        m->oom = true;
    set_s(m, o, "name", name);
    set_s(m, o, "label", label);
    set_s(m, o, "hint", hint);
    set_s(m, o, "value", value);
    set_s(m, o, "error", err);
    set_s(m, o, "described", described);
    set(m, o, "is_input", json_boolean(w == W_INPUT || w == W_NUMBER));
    set(m, o, "is_number", json_boolean(w == W_NUMBER));
    set(m, o, "is_textarea", json_boolean(w == W_TEXTAREA));
    set(m, o, "is_select", json_boolean(w == W_SELECT));
    set(m, o, "choices", opts ? opts : json_array());
    m->fields++;
    return o;
}

static void push(struct model *m, json_t *arr, json_t *v)
{
    if (!arr)
        json_decref(v); /* json_array_append_new() releases v itself when it fails */
    if (!arr || !v || json_array_append_new(arr, v))
        m->oom = true;
}

static const char *name_n(struct model *m, const char *prefix, size_t n)
{
    const char *s = arena_printf(m->a, "%s.%zu", prefix, n);
    if (!s)
        m->oom = true;
    return s;
}

static const char *name_nm(struct model *m, const char *prefix, size_t n, size_t k)
{
    const char *s = arena_printf(m->a, "%s.%zu.%zu", prefix, n, k);
    if (!s)
        m->oom = true;
    return s;
}

static const char *text_n(struct model *m, const char *fmt, size_t n)
{
    const char *s = arena_printf(m->a, fmt, n);
    if (!s)
        m->oom = true;
    return s;
}

static json_t *about_fields(struct model *m, const struct instrument_form *f)
{
    static const char *const audiences[] = {"individual", "team", "organisation"};
    static const char *const audience_texts[] = {"Individuals, each about themselves",
                                                 "Teams, one answer per team",
                                                 "Organisations, one answer per organisation"};
    static const char *const methods[] = {"percent", "mean5", "levels"};
    static const char *const method_texts[] = {"Percentages (weighted mean of the domains)",
                                               "Means on 1 to 5", "Cumulative levels 1 to 5"};
    json_t *arr = json_array();
    push(m, arr,
         fld(m, "code", "Code",
             "A short name that stays the same in every version: lower-case letters, digits and "
             "hyphens, like team-remote-care. A new code makes a new instrument.",
             W_INPUT, f->code, NULL));
    push(m, arr, fld(m, "title", "Title", "", W_INPUT, f->title, NULL));
    push(m, arr,
         fld(m, "description", "Description",
             "One or two sentences: who it is for and what it shows.", W_TEXTAREA, f->description,
             NULL));
    push(m, arr,
         fld(m, "audience", "Who answers", "", W_SELECT, f->audience,
             choices(m, audiences, audience_texts, 3, f->audience)));
    push(m, arr,
         fld(m, "method", "How it is scored",
             "Under cumulative levels every item needs a level: after changing the method, choose "
             "Update the form to show the level fields.",
             W_SELECT, f->method, choices(m, methods, method_texts, 3, f->method)));
    push(m, arr,
         fld(m, "level_share", "Share of a level's items that must be met (levels method only)",
             "More than 0 and at most 1: 0.7 means 70%. Leave blank for 1 (all of them).", W_NUMBER,
             f->level_share, NULL));
    push(m, arr,
         fld(m, "baseline_source", "Where the domains' baselines come from (optional)",
             "A citation, shown beside the baselines. Leave blank when no domain has one.",
             W_TEXTAREA, f->baseline_source, NULL));
    return arr;
}

static json_t *bands_model(struct model *m, const struct instrument_form *f)
{
    json_t *arr = json_array();
    for (size_t b = 0; b < f->nbands; b++) {
        json_t *o = json_object(), *fs = json_array();
        size_t n = b + 1;
        push(m, fs,
             fld(m, name_n(m, "band_from", n), "From (%)",
                 n == 1 ? "The first band starts from 0." : "Higher than the band before.",
                 W_NUMBER, f->bands[b].from, NULL));
        push(m, fs, fld(m, name_n(m, "band_name", n), "Name", "", W_INPUT, f->bands[b].name, NULL));
        push(m, fs,
             fld(m, name_n(m, "band_description", n), "What it means and what to do next", "",
                 W_TEXTAREA, f->bands[b].description, NULL));
        set(m, o, "number", json_integer((json_int_t)n));
        set(m, o, "fields", fs);
        /* the format needs one band, so the last cannot go */
        set_s(m, o, "remove", f->nbands > 1 ? text_n(m, "remove-band-%zu", n) : "");
        push(m, arr, o);
    }
    return arr;
}

static json_t *domain_list(struct model *m, const struct instrument_form *f)
{
    json_t *arr = json_array();
    for (size_t d = 0; d < f->ndomains; d++) {
        json_t *o = json_object();
        const struct ifm_domain *fd = &f->domains[d];
        set(m, o, "number", json_integer((json_int_t)d + 1));
        set_s(m, o, "name", *fd->title ? fd->title : "(no title yet)");
        set_s(m, o, "items_text", fd->nitems == 1 ? "1 item" : text_n(m, "%zu items", fd->nitems));
        set(m, o, "is_open", json_boolean(d == f->open));
        set_s(m, o, "open_action", text_n(m, "open-%zu", d + 1));
        push(m, arr, o);
    }
    return arr;
}

static json_t *item_model(struct model *m, const struct instrument_form *f,
                          const struct ifm_item *it, size_t n, bool removable)
{
    json_t *o = json_object(), *top = json_array(), *fs = json_array(), *descs = json_array(),
           *opts = json_array();
    bool maturity = !strcmp(it->kind, "maturity"), optioned = has_options(it->kind);
    push(m, top,
         fld(m, name_n(m, "item_id", n), "Id",
             "Unique in the instrument. Keep it when you reword the item, so results can be "
             "compared across versions.",
             W_INPUT, it->id, NULL));
    push(m, top,
         fld(m, name_n(m, "item_kind", n), "Kind of answer",
             "After changing the kind, choose Update the form to show its answer fields.", W_SELECT,
             it->kind, choices(m, kinds, kind_texts, 5, it->kind)));
    push(m, fs,
         fld(m, name_n(m, "item_text", n), "The statement or question", "", W_TEXTAREA, it->text,
             NULL));
    push(m, fs,
         fld(m, name_n(m, "item_help", n), "Hint (optional)", "Shown under the question.",
             W_TEXTAREA, it->help, NULL));
    push(m, fs,
         fld(m, name_n(m, "item_weight", n), "Weight",
             "How much it counts in its domain. Leave blank for 1.", W_NUMBER, it->weight, NULL));
    if (shows_levels(f, it)) {
        push(m, fs,
             fld(m, name_n(m, "item_level", n), "Level (1 to 5)",
                 "The maturity level the item belongs to.", W_NUMBER, it->level, NULL));
        push(m, fs,
             fld(m, name_n(m, "item_met_at", n), "Met at (score)",
                 "The item is met when the answer scores at least this. Leave blank for 75.",
                 W_NUMBER, it->met_at, NULL));
    }
    for (size_t l = 0; maturity && l < ASSESS_LEVELS; l++)
        push(m, descs,
             fld(m, name_nm(m, "item_descriptor", n, l + 1),
                 text_n(m, "Level %zu description", l + 1),
                 l == 0 ? "From least mature (scores 0) to most mature (scores 100)." : "", W_INPUT,
                 it->levels[l], NULL));
    for (size_t k = 0; optioned && k < it->noptions; k++) {
        json_t *x = json_object();
        set(m, x, "number", json_integer((json_int_t)k + 1));
        set(m, x, "label",
            fld(m, name_nm(m, "option_label", n, k + 1), text_n(m, "Answer %zu", k + 1), "",
                W_INPUT, it->options[k].label, NULL));
        set(m, x, "score",
            fld(m, name_nm(m, "option_score", n, k + 1),
                text_n(m, "Score for answer %zu (0 to 100)", k + 1), "", W_NUMBER,
                it->options[k].score, NULL));
        set_s(m, x, "remove",
              it->noptions > 2 ? arena_printf(m->a, "remove-option-%zu-%zu", n, k + 1) : "");
        push(m, opts, x);
    }
    set(m, o, "number", json_integer((json_int_t)n));
    set(m, o, "top", top);
    set(m, o, "fields", fs);
    set(m, o, "is_maturity", json_boolean(maturity));
    set(m, o, "descriptors", descs);
    set(m, o, "has_options", json_boolean(optioned));
    set(m, o, "options", opts);
    set_s(m, o, "add_option",
          optioned && it->noptions < ASSESS_MAX_OPTIONS ? text_n(m, "add-option-%zu", n) : "");
    set_s(m, o, "remove", removable ? text_n(m, "remove-item-%zu", n) : "");
    return o;
}

static json_t *open_domain(struct model *m, const struct instrument_form *f)
{
    const struct ifm_domain *d = &f->domains[f->open];
    json_t *o = json_object(), *fs = json_array(), *items = json_array();
    push(m, fs,
         fld(m, "domain_id", "Id",
             "Lower-case letters, digits and hyphens, unique in the instrument.", W_INPUT, d->id,
             NULL));
    push(m, fs, fld(m, "domain_title", "Title", "", W_INPUT, d->title, NULL));
    push(m, fs,
         fld(m, "domain_description", "Description", "One sentence on what the domain covers.",
             W_TEXTAREA, d->description, NULL));
    push(m, fs,
         fld(m, "domain_weight", "Weight",
             "How much the domain counts in the overall score. Leave blank for 1.", W_NUMBER,
             d->weight, NULL));
    push(m, fs,
         fld(m, "domain_baseline", "Baseline (%, optional)",
             "A reference figure, such as a national average, shown beside the domain's score.",
             W_NUMBER, d->baseline, NULL));
    for (size_t i = 0; i < d->nitems; i++)
        push(m, items, item_model(m, f, &d->items[i], i + 1, d->nitems > 1));
    set(m, o, "number", json_integer((json_int_t)f->open + 1));
    set_s(m, o, "heading", *d->title ? d->title : "(no title yet)");
    set(m, o, "fields", fs);
    set(m, o, "items", items);
    set(m, o, "can_add_item", json_boolean(total_items(f) < ASSESS_MAX_ITEMS));
    set(m, o, "can_remove", json_boolean(f->ndomains > 1));
    return o;
}

json_t *instrument_form_model(struct arena *a, const struct instrument_form *f,
                              instrument_form_get_fn error, void *ctx)
{
    struct model m = {a, error, ctx, 0, false};
    json_t *o = json_object(), *draft = form_draft(f);
    const char *text = dump(a, draft, JSON_COMPACT, NULL);

    json_decref(draft);
    set_s(&m, o, "draft", text);
    if (!text)
        m.oom = true;
    set(&m, o, "from", json_integer(f->from));
    set(&m, o, "open", json_integer((json_int_t)f->open + 1));
    set(&m, o, "about", about_fields(&m, f));
    set(&m, o, "bands", bands_model(&m, f));
    set(&m, o, "can_add_band", json_boolean(f->nbands < MAX_BANDS));
    set(&m, o, "domains", domain_list(&m, f));
    set(&m, o, "can_add_domain",
        json_boolean(f->ndomains < ASSESS_MAX_DOMAINS && total_items(f) < ASSESS_MAX_ITEMS));
    set(&m, o, "domain", open_domain(&m, f));
    set(&m, o, "too_many_fields", json_boolean(m.fields > FIELD_BUDGET));
    if (m.oom) {
        json_decref(o);
        return NULL;
    }
    return o;
}
