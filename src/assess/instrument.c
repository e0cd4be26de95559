/* instrument.c: assessment instruments — reading and checking their JSON form, writing it back,
 * and the answer-string helpers
 *
 * An instrument arrives as a file in data/instruments/ or from an admin's edit, so every field
 * is checked here, once, and every later step (scoring, benchmarks, pages) trusts the struct.
 * A mistake is reported as one sentence naming the place by position and id ("domain 2
 * (\"ai\"), item 3 (\"ai-3\"): …") because the person reading it is editing a long JSON file by
 * hand. Unknown fields are rejected, not ignored: a misspelt "wieght" silently falling back to
 * the default would skew every score without anyone noticing.
 *
 * Every item kind is reduced here to a list of scored options (see assess.h), so this is the
 * only file that knows the fixed labels of agree, maturity and yesno items. The JSON written by
 * assess_instrument_json() leaves those fixed options out again and omits fields equal to their
 * defaults, so it reads like the hand-written files and parses back to an equal instrument.
 *
 * The document is parsed with jansson into a temporary tree that is freed before returning;
 * every string kept is copied into the caller's arena. Before jansson sees it, the document's
 * size and bracket depth are bounded, because jansson's own nesting limit is far above anything
 * an instrument needs.
 */
#include "assess/assess.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A large instrument (400 items with help text and options) is a few hundred kilobytes. */
#define MAX_DOC_BYTES (4u << 20)
/* instrument → domains → domain → items → item → options → option is 7 levels. */
#define MAX_DEPTH      10
#define MAX_BANDS      20
#define ID_MAX         40
#define TITLE_MAX      200
#define TEXT_MAX       500
#define LABEL_MAX      200
#define LONG_MAX_CHARS 5000

static const char *const method_names[] = {"percent", "mean5", "levels"};
static const char *const kind_names[] = {"agree", "maturity", "yesno", "bands", "choice"};

/* The fixed options of the kinds whose options the program supplies. Maturity items take their
 * labels from the instrument's level descriptors and these scores. */
static const char *const agree_labels[] = {"Strongly disagree", "Disagree",
                                           "Neither agree nor disagree", "Agree", "Strongly agree"};
static const double five_scores[] = {0, 25, 50, 75, 100};
static const char *const yesno_labels[] = {"No", "Yes"};
static const double yesno_scores[] = {0, 100};

const char *assess_method_name(enum assess_method m)
{
    return (unsigned)m < 3 ? method_names[m] : "percent";
}

int assess_method_parse(const char *s, enum assess_method *out)
{
    for (int i = 0; s && i < 3; i++)
        if (!strcmp(s, method_names[i])) {
            *out = (enum assess_method)i;
            return APP_OK;
        }
    return APP_E_INVALID;
}

const char *assess_kind_name(enum assess_kind k)
{
    return (unsigned)k < 5 ? kind_names[k] : "agree";
}

static int kind_parse(const char *s, enum assess_kind *out)
{
    for (int i = 0; s && i < 5; i++)
        if (!strcmp(s, kind_names[i])) {
            *out = (enum assess_kind)i;
            return APP_OK;
        }
    return APP_E_INVALID;
}

const char *assess_method_explain(enum assess_method m)
{
    switch (m) {
    case AM_MEAN5:
        return "Each answer counts as 1 to 5 (the lowest option 1, the highest 5). A domain's "
               "score is the weighted mean of its answered questions, and the overall score is "
               "the weighted mean of all answered questions; a percentage is shown alongside, "
               "where 1 is 0% and 5 is 100%. Unanswered questions are left out.";
    case AM_LEVELS:
        return "Each question belongs to a level from 1 to 5 and is met when the answer is at "
               "least its threshold (usually \"Agree\", level 4 or \"Yes\"). A domain reaches a "
               "level when the required share of the answered questions at that level and at "
               "every level below it are met; its percentage is the level reached out of 5. The "
               "overall score is the weighted mean of the domains' percentages. Unanswered "
               "questions are left out.";
    case AM_PERCENT:
    default:
        return "Each answer counts as a percentage (the lowest option 0%, the highest 100%). A "
               "domain's score is the weighted mean of its answered questions, and the overall "
               "score is the weighted mean of the domains' scores. Unanswered questions are left "
               "out, and a domain with no answers is left out of the overall score.";
    }
}

/* ---- reading ----------------------------------------------------------------------------- */

struct parse {
    struct arena *a;
    const char **why;
};

/* Sets *why to "<where>: <message>" and returns APP_E_INVALID. */
__attribute__((format(printf, 3, 4))) static int fail(struct parse *p, const char *where,
                                                      const char *fmt, ...)
{
    char msg[640];
    int n = snprintf(msg, sizeof msg, "%s: ", where);
    va_list ap;
    if (n < 0 || (size_t)n >= sizeof msg)
        n = 0;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    if (p->why) {
        *p->why = arena_strdup(p->a, msg);
        if (!*p->why) {
            *p->why = "There was not enough memory to read the instrument";
            return APP_E_NOMEM;
        }
    }
    return APP_E_INVALID;
}

static int nomem(struct parse *p)
{
    if (p->why)
        *p->why = "There was not enough memory to read the instrument";
    return APP_E_NOMEM;
}

/* At most 40 bytes of s for a message (s is valid UTF-8). */
static int shown_len(const char *s)
{
    return utf8_prefix_len(s, 40);
}

/* Rejects any key of obj not in allowed (NULL-terminated), naming the fields that are. */
static int check_keys(struct parse *p, const char *where, const char *what, json_t *obj,
                      const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        char list[300];
        size_t used = 0;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(key, allowed[i]);
        if (ok)
            continue;
        list[0] = '\0';
        for (size_t i = 0; allowed[i] && used < sizeof list; i++) {
            int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", allowed[i]);
            if (n < 0)
                break;
            used += (size_t)n;
        }
        return fail(p, where, "unknown field \"%.*s\" (%s may have: %s)", shown_len(key), key, what,
                    list);
    }
    return APP_OK;
}

/* A string field copied into the arena: "" when absent and not required. */
static int get_str(struct parse *p, const char *where, json_t *obj, const char *key, bool required,
                   size_t max_chars, const char **out)
{
    json_t *v = json_object_get(obj, key);
    const char *s;
    size_t len, chars;
    if (!v) {
        if (required)
            return fail(p, where, "\"%s\" is required", key);
        *out = "";
        return APP_OK;
    }
    if (!json_is_string(v))
        return fail(p, where, "\"%s\" must be a string", key);
    s = json_string_value(v);
    len = json_string_length(v);
    if (required && str_blank(s))
        return fail(p, where, "\"%s\" must not be empty", key);
    chars = utf8_count(s, len);
    if (chars > max_chars)
        return fail(p, where, "\"%s\" is %zu characters long; at most %zu are allowed", key, chars,
                    max_chars);
    *out = arena_strndup(p->a, s, len);
    return *out ? APP_OK : nomem(p);
}

/* A number field in [lo, hi] ((lo, hi] when lo_open), def when absent and not required. */
static int get_num(struct parse *p, const char *where, json_t *obj, const char *key, bool required,
                   double def, double lo, bool lo_open, double hi, double *out, bool *present)
{
    json_t *v = json_object_get(obj, key);
    double x;
    if (present)
        *present = v != NULL;
    if (!v) {
        if (required)
            return fail(p, where, "\"%s\" is required", key);
        *out = def;
        return APP_OK;
    }
    if (!json_is_number(v))
        return fail(p, where, "\"%s\" must be a number", key);
    x = json_number_value(v);
    if (!isfinite(x) || (lo_open ? x <= lo : x < lo) || x > hi) {
        if (lo_open)
            return fail(p, where, "\"%s\" must be more than %g and at most %g", key, lo, hi);
        return fail(p, where, "\"%s\" must be from %g to %g", key, lo, hi);
    }
    *out = x;
    return APP_OK;
}

static int get_array(struct parse *p, const char *where, json_t *obj, const char *key,
                     bool required, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = v;
    if (!v)
        return required ? fail(p, where, "\"%s\" is required", key) : APP_OK;
    if (!json_is_array(v))
        return fail(p, where, "\"%s\" must be a list", key);
    return APP_OK;
}

static int fixed_options(struct parse *p, struct assess_item *it, const char *const *labels,
                         const double *scores, size_t n)
{
    it->options = arena_calloc(p->a, n, sizeof *it->options);
    if (!it->options)
        return nomem(p);
    for (size_t i = 0; i < n; i++) {
        it->options[i].label = labels[i];
        it->options[i].score = scores[i];
    }
    it->noptions = n;
    return APP_OK;
}

static int parse_levels(struct parse *p, const char *where, json_t *levels, struct assess_item *it)
{
    static const char *const none[ASSESS_LEVELS];
    int rc = APP_OK;
    if (!levels || json_array_size(levels) != ASSESS_LEVELS)
        return fail(p, where,
                    "a maturity item needs exactly 5 level descriptors in \"levels\", from "
                    "level 1 to level 5");
    if ((rc = fixed_options(p, it, none, five_scores, ASSESS_LEVELS)))
        return rc;
    for (size_t i = 0; i < ASSESS_LEVELS; i++) {
        json_t *v = json_array_get(levels, i);
        const char *s;
        size_t chars;
        if (!json_is_string(v) || str_blank(json_string_value(v)))
            return fail(p, where, "level descriptor %zu must be a non-empty string", i + 1);
        s = json_string_value(v);
        chars = utf8_count(s, json_string_length(v));
        if (chars > TEXT_MAX)
            return fail(p, where,
                        "level descriptor %zu is %zu characters long; at most %d are allowed",
                        i + 1, chars, TEXT_MAX);
        it->options[i].label = arena_strndup(p->a, s, json_string_length(v));
        if (!it->options[i].label)
            return nomem(p);
    }
    return APP_OK;
}

static int parse_options(struct parse *p, const char *where, json_t *options,
                         struct assess_item *it)
{
    static const char *const keys[] = {"label", "score", NULL};
    size_t n = options ? json_array_size(options) : 0;
    int rc = APP_OK;
    if (!options)
        return fail(p, where, "a %s item needs \"options\": a list of {\"label\", \"score\"}",
                    assess_kind_name(it->kind));
    if (n < 2 || n > ASSESS_MAX_OPTIONS)
        return fail(p, where, "a %s item needs from 2 to %d options; it has %zu",
                    assess_kind_name(it->kind), ASSESS_MAX_OPTIONS, n);
    it->options = arena_calloc(p->a, n, sizeof *it->options);
    if (!it->options)
        return nomem(p);
    it->noptions = n;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(options, i);
        char here[320];
        snprintf(here, sizeof here, "%s, option %zu", where, i + 1);
        if (!json_is_object(o))
            return fail(p, here, "an option must be an object {\"label\", \"score\"}");
        if ((rc = check_keys(p, here, "an option", o, keys)) ||
            (rc = get_str(p, here, o, "label", true, LABEL_MAX, &it->options[i].label)) ||
            (rc =
                 get_num(p, here, o, "score", true, 0, 0, false, 100, &it->options[i].score, NULL)))
            return rc;
    }
    return APP_OK;
}

static int parse_item(struct parse *p, const struct assess_instrument *ins, const char *dwhere,
                      size_t pos, json_t *o, struct assess_item *it)
{
    static const char *const keys[] = {"id",    "kind",   "text",   "help",    "weight",
                                       "level", "met_at", "levels", "options", NULL};
    char where[256];
    const char *kind;
    json_t *v, *levels, *options;
    int rc = APP_OK;

    snprintf(where, sizeof where, "%s, item %zu", dwhere, pos + 1);
    if (!json_is_object(o))
        return fail(p, where, "an item must be an object");
    v = json_object_get(o, "id");
    if (!json_is_string(v) || !id_valid(json_string_value(v), ID_MAX))
        return fail(p, where,
                    "\"id\" must be 1 to %d characters of a-z, 0-9 and - (it names the item "
                    "in every version of the instrument)",
                    ID_MAX);
    it->id = arena_strdup(p->a, json_string_value(v));
    if (!it->id)
        return nomem(p);
    snprintf(where, sizeof where, "%s, item %zu (\"%s\")", dwhere, pos + 1, it->id);

    if ((rc = check_keys(p, where, "an item", o, keys)) ||
        (rc = get_str(p, where, o, "kind", true, ID_MAX, &kind)))
        return rc;
    if (kind_parse(kind, &it->kind))
        return fail(p, where,
                    "\"kind\" must be agree, maturity, yesno, bands or choice, not \"%.*s\"",
                    shown_len(kind), kind);
    if ((rc = get_str(p, where, o, "text", true, TEXT_MAX, &it->text)) ||
        (rc = get_str(p, where, o, "help", false, LONG_MAX_CHARS, &it->help)) ||
        (rc = get_num(p, where, o, "weight", false, 1, 0, true, 100, &it->weight, NULL)) ||
        (rc = get_num(p, where, o, "met_at", false, 75, 0, false, 100, &it->met_at, NULL)) ||
        (rc = get_array(p, where, o, "levels", false, &levels)) ||
        (rc = get_array(p, where, o, "options", false, &options)))
        return rc;

    v = json_object_get(o, "level");
    if (v) {
        json_int_t l = json_is_integer(v) ? json_integer_value(v) : 0;
        if (l < 1 || l > ASSESS_LEVELS)
            return fail(p, where, "\"level\" must be a whole number from 1 to 5");
        it->level = (int)l;
    } else if (ins->method == AM_LEVELS)
        return fail(p, where, "under the levels method every item needs a \"level\" from 1 to 5");

    switch (it->kind) {
    case AK_MATURITY:
        if (options)
            return fail(p, where,
                        "a maturity item takes 5 level descriptors in \"levels\", not "
                        "\"options\"");
        return parse_levels(p, where, levels, it);
    case AK_BANDS:
    case AK_CHOICE:
        if (levels)
            return fail(p, where, "only a maturity item has \"levels\"; a %s item has \"options\"",
                        kind);
        return parse_options(p, where, options, it);
    case AK_AGREE:
    case AK_YESNO:
    default:
        if (levels || options)
            return fail(p, where,
                        "%s %s item has fixed options, so it takes neither \"levels\" nor "
                        "\"options\"",
                        it->kind == AK_AGREE ? "an" : "a", kind);
        if (it->kind == AK_YESNO)
            return fixed_options(p, it, yesno_labels, yesno_scores, 2);
        return fixed_options(p, it, agree_labels, five_scores, 5);
    }
}

static int parse_domain(struct parse *p, struct assess_instrument *ins, size_t pos, json_t *o,
                        struct assess_domain *d)
{
    static const char *const keys[] = {"id",       "title", "description", "weight",
                                       "baseline", "items", NULL};
    char where[128];
    json_t *v, *items;
    int rc = APP_OK;

    snprintf(where, sizeof where, "domain %zu", pos + 1);
    if (!json_is_object(o))
        return fail(p, where, "a domain must be an object");
    v = json_object_get(o, "id");
    if (!json_is_string(v) || !id_valid(json_string_value(v), ID_MAX))
        return fail(p, where, "\"id\" must be 1 to %d characters of a-z, 0-9 and -", ID_MAX);
    d->id = arena_strdup(p->a, json_string_value(v));
    if (!d->id)
        return nomem(p);
    snprintf(where, sizeof where, "domain %zu (\"%s\")", pos + 1, d->id);
    for (size_t i = 0; i < pos; i++)
        if (!strcmp(ins->domains[i].id, d->id))
            return fail(p, where, "the id \"%s\" is already used by domain %zu", d->id, i + 1);

    if ((rc = check_keys(p, where, "a domain", o, keys)) ||
        (rc = get_str(p, where, o, "title", true, TITLE_MAX, &d->title)) ||
        (rc = get_str(p, where, o, "description", false, LONG_MAX_CHARS, &d->description)) ||
        (rc = get_num(p, where, o, "weight", false, 1, 0, true, 100, &d->weight, NULL)) ||
        (rc = get_num(p, where, o, "baseline", false, 0, 0, false, 100, &d->baseline,
                      &d->has_baseline)) ||
        (rc = get_array(p, where, o, "items", true, &items)))
        return rc;
    d->nitems = json_array_size(items);
    if (d->nitems == 0)
        return fail(p, where, "a domain needs at least one item");
    if (d->nitems > ASSESS_MAX_ITEMS - ins->nitems)
        return fail(p, where, "the instrument has more than %d items", ASSESS_MAX_ITEMS);
    d->first = ins->nitems;
    d->items = arena_calloc(p->a, d->nitems, sizeof *d->items);
    if (!d->items)
        return nomem(p);
    for (size_t i = 0; i < d->nitems; i++)
        if ((rc = parse_item(p, ins, where, i, json_array_get(items, i), &d->items[i])))
            return rc;
    ins->nitems += d->nitems;
    return APP_OK;
}

static int parse_bands(struct parse *p, json_t *bands, struct assess_instrument *ins)
{
    static const char *const keys[] = {"from", "name", "description", NULL};
    int rc = APP_OK;
    ins->nbands = bands ? json_array_size(bands) : 0;
    if (ins->nbands > MAX_BANDS)
        return fail(p, "the instrument", "at most %d bands are allowed; there are %zu", MAX_BANDS,
                    ins->nbands);
    ins->bands = arena_calloc(p->a, ins->nbands, sizeof *ins->bands);
    if (!ins->bands)
        return nomem(p);
    for (size_t i = 0; i < ins->nbands; i++) {
        json_t *o = json_array_get(bands, i);
        struct assess_band *b = &ins->bands[i];
        char where[32];
        snprintf(where, sizeof where, "band %zu", i + 1);
        if (!json_is_object(o))
            return fail(p, where, "a band must be an object {\"from\", \"name\"}");
        if ((rc = check_keys(p, where, "a band", o, keys)) ||
            (rc = get_num(p, where, o, "from", true, 0, 0, false, 100, &b->from, NULL)) ||
            (rc = get_str(p, where, o, "name", true, LABEL_MAX, &b->name)) ||
            (rc = get_str(p, where, o, "description", false, LONG_MAX_CHARS, &b->description)))
            return rc;
        if (i == 0 && b->from != 0)
            return fail(p, where, "the first band must start from 0");
        if (i > 0 && b->from <= ins->bands[i - 1].from)
            return fail(p, where,
                        "bands must be in ascending order: \"from\" %g is not above the "
                        "previous band's %g",
                        b->from, ins->bands[i - 1].from);
    }
    return APP_OK;
}

/* Item ids name an item across versions, so two items may never share one. */
static int check_unique_items(struct parse *p, const struct assess_instrument *ins)
{
    for (size_t d = 0; d < ins->ndomains; d++)
        for (size_t i = 0; i < ins->domains[d].nitems; i++) {
            const struct assess_item *it = &ins->domains[d].items[i];
            for (size_t d2 = 0; d2 <= d; d2++)
                for (size_t i2 = 0; i2 < (d2 == d ? i : ins->domains[d2].nitems); i2++)
                    if (!strcmp(ins->domains[d2].items[i2].id, it->id)) {
                        char where[160];
                        snprintf(where, sizeof where, "domain %zu (\"%s\"), item %zu (\"%s\")",
                                 d + 1, ins->domains[d].id, i + 1, it->id);
                        return fail(p, where,
                                    "the id \"%s\" is already used by domain %zu (\"%s\"), item "
                                    "%zu; item ids must be unique in the instrument",
                                    it->id, d2 + 1, ins->domains[d2].id, i2 + 1);
                    }
        }
    return APP_OK;
}

/* True when s nests brackets deeper than max (strings skipped). */
static bool too_deep(const char *s, size_t n, size_t max)
{
    size_t depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"')
            in_str = true;
        else if (c == '{' || c == '[') {
            if (++depth > max)
                return true;
        } else if ((c == '}' || c == ']') && depth)
            depth--;
    }
    return false;
}

int assess_instrument_parse(struct arena *a, const char *json, size_t len,
                            struct assess_instrument *out, const char **why)
{
    static const char *const keys[] = {"code",    "title",       "description",     "audience",
                                       "method",  "level_share", "baseline_source", "bands",
                                       "domains", "id",          "version",         NULL};
    struct parse p = {a, why};
    struct assess_instrument ins;
    json_error_t err;
    json_t *root = NULL, *bands, *domains;
    const char *method;
    int rc = APP_OK;

    memset(&ins, 0, sizeof ins);
    if (why)
        *why = NULL;
    if (!a || !out || (!json && len)) {
        rc = APP_E_INVALID;
        if (why)
            *why = "No instrument was given";
        goto done;
    }
    if (len > MAX_DOC_BYTES) {
        rc = fail(&p, "the instrument", "the document is %zu bytes; at most %u are allowed", len,
                  MAX_DOC_BYTES);
        goto done;
    }
    if (!utf8_valid(json, len)) {
        rc = fail(&p, "the instrument", "the document is not valid UTF-8 text");
        goto done;
    }
    if (too_deep(json, len, MAX_DEPTH)) {
        rc = fail(&p, "the instrument", "the document nests lists and objects too deeply");
        goto done;
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        /* jansson's message may quote the input; only printable ASCII of it is repeated. */
        char text[sizeof err.text];
        size_t i = 0;
        for (; err.text[i] && i + 1 < sizeof text; i++)
            text[i] = err.text[i] >= 0x20 && err.text[i] < 0x7f ? err.text[i] : '?';
        text[i] = '\0';
        rc = fail(&p, "the instrument", "the document is not valid JSON (line %d, column %d: %s)",
                  err.line, err.column, text);
        goto done;
    }
    if (!json_is_object(root)) {
        rc = fail(&p, "the instrument", "the document must be a JSON object");
        goto done;
    }
    if ((rc = check_keys(&p, "the instrument", "the instrument", root, keys)))
        goto done;

    if (!json_is_string(json_object_get(root, "code")) ||
        !id_valid(json_string_value(json_object_get(root, "code")), ID_MAX)) {
        rc = fail(&p, "the instrument", "\"code\" must be 1 to %d characters of a-z, 0-9 and -",
                  ID_MAX);
        goto done;
    }
    if ((rc = get_str(&p, "the instrument", root, "code", true, ID_MAX, &ins.code)) ||
        (rc = get_str(&p, "the instrument", root, "title", true, TITLE_MAX, &ins.title)) ||
        (rc = get_str(&p, "the instrument", root, "description", false, LONG_MAX_CHARS,
                      &ins.description)) ||
        (rc = get_str(&p, "the instrument", root, "audience", true, ID_MAX, &ins.audience)) ||
        (rc = get_str(&p, "the instrument", root, "method", true, ID_MAX, &method)) ||
        (rc = get_str(&p, "the instrument", root, "baseline_source", false, LONG_MAX_CHARS,
                      &ins.baseline_source)) ||
        (rc = get_num(&p, "the instrument", root, "level_share", false, 1, 0, true, 1,
                      &ins.level_share, NULL)))
        goto done;
    if (strcmp(ins.audience, "individual") && strcmp(ins.audience, "team") &&
        strcmp(ins.audience, "organisation")) {
        rc = fail(&p, "the instrument",
                  "\"audience\" must be individual, team or organisation, not \"%.*s\"",
                  shown_len(ins.audience), ins.audience);
        goto done;
    }
    if (assess_method_parse(method, &ins.method)) {
        rc = fail(&p, "the instrument", "\"method\" must be percent, mean5 or levels, not \"%.*s\"",
                  shown_len(method), method);
        goto done;
    }

    if ((rc = get_array(&p, "the instrument", root, "bands", false, &bands)) ||
        (rc = parse_bands(&p, bands, &ins)) ||
        (rc = get_array(&p, "the instrument", root, "domains", true, &domains)))
        goto done;
    ins.ndomains = json_array_size(domains);
    if (ins.ndomains == 0 || ins.ndomains > ASSESS_MAX_DOMAINS) {
        rc = fail(&p, "the instrument", "an instrument needs from 1 to %d domains; it has %zu",
                  ASSESS_MAX_DOMAINS, ins.ndomains);
        goto done;
    }
    ins.domains = arena_calloc(a, ins.ndomains, sizeof *ins.domains);
    if (!ins.domains) {
        rc = nomem(&p);
        goto done;
    }
    for (size_t i = 0; i < ins.ndomains; i++)
        if ((rc = parse_domain(&p, &ins, i, json_array_get(domains, i), &ins.domains[i])))
            goto done;
    if ((rc = check_unique_items(&p, &ins)))
        goto done;
    *out = ins;

done:
    json_decref(root);
    return rc;
}

/* ---- writing ----------------------------------------------------------------------------- */

/* Whole numbers are written as integers so the output reads like the hand-written files;
 * anything else as a real, which jansson prints with 17 digits and so reads back exactly. */
static json_t *jnum(double x)
{
    if (x == floor(x) && fabs(x) < 1e15)
        return json_integer((json_int_t)x);
    return json_real(x);
}

/* Adds key: value, taking the reference; false when value is NULL or adding failed. */
static bool put(json_t *obj, const char *key, json_t *value)
{
    return value && json_object_set_new(obj, key, value) == 0;
}

static bool push(json_t *arr, json_t *value)
{
    return value && json_array_append_new(arr, value) == 0;
}

static json_t *item_json(const struct assess_item *it)
{
    json_t *o = json_object(), *list = NULL;
    if (!o || !put(o, "id", json_string(it->id)) ||
        !put(o, "kind", json_string(assess_kind_name(it->kind))) ||
        !put(o, "text", json_string(it->text)))
        goto fail;
    if (it->help && *it->help && !put(o, "help", json_string(it->help)))
        goto fail;
    if (it->weight != 1 && !put(o, "weight", jnum(it->weight)))
        goto fail;
    if (it->level && !put(o, "level", json_integer(it->level)))
        goto fail;
    if (it->met_at != 75 && !put(o, "met_at", jnum(it->met_at)))
        goto fail;
    if (it->kind == AK_MATURITY || it->kind == AK_BANDS || it->kind == AK_CHOICE) {
        bool levels = it->kind == AK_MATURITY;
        list = json_array();
        if (!list)
            goto fail;
        for (size_t i = 0; i < it->noptions; i++) {
            json_t *opt;
            if (levels) {
                if (!push(list, json_string(it->options[i].label)))
                    goto fail;
                continue;
            }
            opt = json_object();
            if (!push(list, opt) || !put(opt, "label", json_string(it->options[i].label)) ||
                !put(opt, "score", jnum(it->options[i].score)))
                goto fail;
        }
        if (!put(o, levels ? "levels" : "options", list)) {
            list = NULL; /* json_object_set_new took it even on failure */
            goto fail;
        }
    }
    return o;
fail:
    json_decref(list);
    json_decref(o);
    return NULL;
}

static json_t *domain_json(const struct assess_domain *d)
{
    json_t *o = json_object(), *items = json_array();
    if (!o || !items || !put(o, "id", json_string(d->id)) ||
        !put(o, "title", json_string(d->title)))
        goto fail;
    if (d->description && *d->description && !put(o, "description", json_string(d->description)))
        goto fail;
    if (d->weight != 1 && !put(o, "weight", jnum(d->weight)))
        goto fail;
    if (d->has_baseline && !put(o, "baseline", jnum(d->baseline)))
        goto fail;
    for (size_t i = 0; i < d->nitems; i++)
        if (!push(items, item_json(&d->items[i])))
            goto fail;
    if (!put(o, "items", items)) {
        items = NULL;
        goto fail;
    }
    return o;
fail:
    json_decref(items);
    json_decref(o);
    return NULL;
}

json_t *assess_instrument_json(const struct assess_instrument *ins)
{
    json_t *o, *bands = NULL, *domains = NULL;
    if (!ins || !(o = json_object()))
        return NULL;
    if (!put(o, "code", json_string(ins->code)) || !put(o, "title", json_string(ins->title)))
        goto fail;
    /* The version helps whoever reads an export; reading ignores it (it is the database's). */
    if (ins->version > 0 && !put(o, "version", json_integer(ins->version)))
        goto fail;
    if (ins->description && *ins->description &&
        !put(o, "description", json_string(ins->description)))
        goto fail;
    if (!put(o, "audience", json_string(ins->audience)) ||
        !put(o, "method", json_string(assess_method_name(ins->method))))
        goto fail;
    if ((ins->method == AM_LEVELS || ins->level_share != 1) &&
        !put(o, "level_share", jnum(ins->level_share)))
        goto fail;
    if (ins->baseline_source && *ins->baseline_source &&
        !put(o, "baseline_source", json_string(ins->baseline_source)))
        goto fail;
    if (!(bands = json_array()))
        goto fail;
    for (size_t i = 0; i < ins->nbands; i++) {
        const struct assess_band *b = &ins->bands[i];
        json_t *bo = json_object();
        if (!push(bands, bo) || !put(bo, "from", jnum(b->from)) ||
            !put(bo, "name", json_string(b->name)))
            goto fail;
        if (b->description && *b->description &&
            !put(bo, "description", json_string(b->description)))
            goto fail;
    }
    if (!put(o, "bands", bands)) {
        bands = NULL;
        goto fail;
    }
    bands = NULL;
    if (!(domains = json_array()))
        goto fail;
    for (size_t i = 0; i < ins->ndomains; i++)
        if (!push(domains, domain_json(&ins->domains[i])))
            goto fail;
    if (!put(o, "domains", domains)) {
        domains = NULL;
        goto fail;
    }
    return o;
fail:
    json_decref(bands);
    json_decref(domains);
    json_decref(o);
    return NULL;
}

/* ---- answers ----------------------------------------------------------------------------- */

int assess_answer_at(const char *answers, size_t len, size_t pos)
{
    char c;
    if (!answers || pos >= len)
        return -1;
    c = answers[pos];
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    return -1;
}

char assess_answer_char(int i)
{
    if (i >= 0 && i <= 9)
        return (char)('0' + i);
    if (i >= 10 && i < ASSESS_MAX_OPTIONS)
        return (char)('a' + i - 10);
    return ASSESS_UNANSWERED;
}

char *assess_answers_blank(struct arena *a, const struct assess_instrument *ins)
{
    char *s;
    if (!a || !ins)
        return NULL;
    s = arena_alloc(a, ins->nitems + 1);
    if (!s)
        return NULL;
    memset(s, ASSESS_UNANSWERED, ins->nitems);
    s[ins->nitems] = '\0';
    return s;
}

bool assess_answers_valid(const struct assess_instrument *ins, const char *answers)
{
    size_t pos = 0;
    if (!ins || !answers)
        return false;
    for (size_t d = 0; d < ins->ndomains; d++)
        for (size_t i = 0; i < ins->domains[d].nitems; i++, pos++) {
            char c = answers[pos];
            int k;
            if (c == '\0')
                return false; /* too short */
            if (c == ASSESS_UNANSWERED)
                continue;
            k = assess_answer_at(answers, pos + 1, pos);
            if (k < 0 || (size_t)k >= ins->domains[d].items[i].noptions)
                return false;
        }
    return answers[pos] == '\0';
}
