/* framework.c: leadership frameworks — reading and checking their JSON form, writing it back
 *
 * A framework arrives as a file in data/frameworks/ or from an admin's paste or upload, so
 * every field is checked here once and every later step (pages, scoring) trusts the struct.
 * A mistake is one sentence that starts with its place as a path into the document, counted
 * from 0 as JSON tools count ("domains[2].behaviours[4]: the statement is empty"), because
 * the admin reading it is editing a long JSON text by hand. Unknown fields are rejected: a
 * misspelt "importance" silently dropped would change what members are asked.
 *
 * jansson parses into a temporary tree freed before returning; every string kept is copied
 * into the caller's arena. The document's size and bracket depth are bounded first.
 */
#include "develop/develop.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_DOC_BYTES (1u << 20)
#define MAX_DEPTH     8 /* framework → domains → domain → behaviours → behaviour is 5 */
#define ID_MAX        40
#define TITLE_MAX     200
#define TEXT_MAX      500
#define LONG_MAX      5000

static const char *const kind_names[] = {"levels", "frequency"};

const char *develop_scale_kind_name(enum develop_scale_kind k)
{
    return (unsigned)k < 2 ? kind_names[k] : "levels";
}

/* ---- reading ----------------------------------------------------------------------------- */

struct parse {
    struct arena *a;
    const char **why;
};

static int nomem(struct parse *p)
{
    if (p->why)
        *p->why = "There was not enough memory to read the framework";
    return APP_E_NOMEM;
}

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
    if (p->why && !(*p->why = arena_strdup(p->a, msg)))
        return nomem(p);
    return APP_E_INVALID;
}

/* At most 40 bytes of s for a message (s is valid UTF-8). */
static int shown_len(const char *s)
{
    return utf8_prefix_len(s, 40);
}

static int check_keys(struct parse *p, const char *where, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char list[300];
        size_t used = 0;
        bool ok = false;
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
        return fail(p, where, "unknown field \"%.*s\" (the fields here are: %s)", shown_len(key),
                    key, list);
    }
    return APP_OK;
}

/* A string field copied into the arena; "" when absent and not required. what names it in
 * the message ("the statement"). */
static int get_str(struct parse *p, const char *where, json_t *obj, const char *key,
                   const char *what, bool required, size_t max_chars, const char **out)
{
    json_t *v = json_object_get(obj, key);
    size_t chars;
    if (!v) {
        if (required)
            return fail(p, where, "%s is missing (\"%s\")", what, key);
        *out = "";
        return APP_OK;
    }
    if (!json_is_string(v))
        return fail(p, where, "%s (\"%s\") must be text in quotes", what, key);
    if (required && str_blank(json_string_value(v)))
        return fail(p, where, "%s is empty", what);
    chars = utf8_count(json_string_value(v), json_string_length(v));
    if (chars > max_chars)
        return fail(p, where, "%s is %zu characters long; at most %zu are allowed", what, chars,
                    max_chars);
    *out = arena_strndup(p->a, json_string_value(v), json_string_length(v));
    return *out ? APP_OK : nomem(p);
}

static int get_id(struct parse *p, const char *where, json_t *obj, const char **out)
{
    json_t *v = json_object_get(obj, "id");
    if (!json_is_string(v) || !id_valid(json_string_value(v), ID_MAX))
        return fail(p, where,
                    "the id must be 1 to %d characters of a-z, 0-9 and - (it names this in "
                    "every version of the framework)",
                    ID_MAX);
    *out = arena_strdup(p->a, json_string_value(v));
    return *out ? APP_OK : nomem(p);
}

static int get_list(struct parse *p, const char *where, json_t *obj, const char *key,
                    const char *what, size_t min, size_t max, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    size_t n;
    if (!v)
        return fail(p, where, "%s are missing (\"%s\")", what, key);
    if (!json_is_array(v))
        return fail(p, where, "%s (\"%s\") must be a list in [ ]", what, key);
    n = json_array_size(v);
    if (n < min || n > max)
        return fail(p, where, "there must be from %zu to %zu %s; there are %zu", min, max, what, n);
    *out = v;
    return APP_OK;
}

static int parse_scale(struct parse *p, json_t *o, struct develop_scale *s)
{
    static const char *const keys[] = {"kind", "points", "no_chance", NULL};
    static const char *const pkeys[] = {"label", "description", NULL};
    const char *kind;
    json_t *points;
    int rc;
    if (!json_is_object(o))
        return fail(p, "scale", "the scale must be an object { } with \"kind\" and \"points\"");
    if ((rc = check_keys(p, "scale", o, keys)) ||
        (rc = get_str(p, "scale", o, "kind", "the kind of scale", true, ID_MAX, &kind)))
        return rc;
    if (!strcmp(kind, "levels"))
        s->kind = DSK_LEVELS;
    else if (!strcmp(kind, "frequency"))
        s->kind = DSK_FREQUENCY;
    else
        return fail(p, "scale", "the kind of scale must be levels or frequency, not \"%.*s\"",
                    shown_len(kind), kind);
    if ((rc = get_list(p, "scale", o, "points", "points on the scale", 2, DEVELOP_MAX_POINTS,
                       &points)) ||
        (rc = get_str(p, "scale", o, "no_chance", "the \"no chance\" answer", false, TITLE_MAX,
                      &s->no_chance)))
        return rc;
    if (json_object_get(o, "no_chance") && str_blank(s->no_chance))
        return fail(p, "scale", "the \"no chance\" answer is empty");
    if (*s->no_chance && s->kind != DSK_FREQUENCY)
        return fail(p, "scale",
                    "only a frequency scale may have a \"no chance\" answer; a level describes "
                    "where you are, not what you have had the chance to show");
    s->npoints = json_array_size(points);
    if (!(s->points = arena_calloc(p->a, s->npoints, sizeof *s->points)))
        return nomem(p);
    for (size_t i = 0; i < s->npoints; i++) {
        json_t *po = json_array_get(points, i);
        char where[40];
        snprintf(where, sizeof where, "scale.points[%zu]", i);
        if (!json_is_object(po))
            return fail(p, where, "a point must be an object { } with a \"label\"");
        if ((rc = check_keys(p, where, po, pkeys)) ||
            (rc = get_str(p, where, po, "label", "the label", true, TITLE_MAX,
                          &s->points[i].label)) ||
            (rc = get_str(p, where, po, "description", "the description", s->kind == DSK_LEVELS,
                          TEXT_MAX, &s->points[i].description)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->points[j].label, s->points[i].label))
                return fail(p, where, "the label \"%.*s\" is already used by scale.points[%zu]",
                            shown_len(s->points[i].label), s->points[i].label, j);
    }
    return APP_OK;
}

static int parse_importance(struct parse *p, json_t *o, struct develop_importance *imp)
{
    static const char *const keys[] = {"question", "points", NULL};
    json_t *points;
    int rc;
    if (!o || json_is_null(o)) {
        imp->enabled = false;
        imp->question = "";
        return APP_OK;
    }
    if (!json_is_object(o))
        return fail(p, "importance",
                    "the importance rating must be an object { } with \"question\" and "
                    "\"points\", or null for none");
    if ((rc = check_keys(p, "importance", o, keys)) ||
        (rc = get_str(p, "importance", o, "question", "the question", true, TITLE_MAX,
                      &imp->question)) ||
        (rc = get_list(p, "importance", o, "points", "points", 2, DEVELOP_MAX_POINTS, &points)))
        return rc;
    imp->enabled = true;
    imp->npoints = json_array_size(points);
    if (!(imp->points = arena_calloc(p->a, imp->npoints, sizeof *imp->points)))
        return nomem(p);
    for (size_t i = 0; i < imp->npoints; i++) {
        json_t *v = json_array_get(points, i);
        char where[40];
        size_t chars;
        snprintf(where, sizeof where, "importance.points[%zu]", i);
        if (!json_is_string(v) || str_blank(json_string_value(v)))
            return fail(p, where, "a point must be a label in quotes, not empty");
        chars = utf8_count(json_string_value(v), json_string_length(v));
        if (chars > TITLE_MAX)
            return fail(p, where, "the label is %zu characters long; at most %d are allowed", chars,
                        TITLE_MAX);
        if (!(imp->points[i] = arena_strdup(p->a, json_string_value(v))))
            return nomem(p);
    }
    return APP_OK;
}

static int parse_domain(struct parse *p, size_t k, json_t *o, struct develop_domain *d,
                        size_t first)
{
    static const char *const keys[] = {"id", "title", "description", "behaviours", NULL};
    static const char *const bkeys[] = {"id", "statement", NULL};
    char where[40];
    json_t *list;
    int rc;
    snprintf(where, sizeof where, "domains[%zu]", k);
    if (!json_is_object(o))
        return fail(p, where, "a domain must be an object { } with an id, a title and behaviours");
    if ((rc = check_keys(p, where, o, keys)) || (rc = get_id(p, where, o, &d->id)) ||
        (rc = get_str(p, where, o, "title", "the title", true, TITLE_MAX, &d->title)) ||
        (rc = get_str(p, where, o, "description", "the description", false, LONG_MAX,
                      &d->description)) ||
        (rc = get_list(p, where, o, "behaviours", "behaviours", 1, DEVELOP_MAX_BEHAVIOURS, &list)))
        return rc;
    d->first = first;
    d->nbehaviours = json_array_size(list);
    if (!(d->behaviours = arena_calloc(p->a, d->nbehaviours, sizeof *d->behaviours)))
        return nomem(p);
    for (size_t i = 0; i < d->nbehaviours; i++) {
        json_t *b = json_array_get(list, i);
        char here[64];
        snprintf(here, sizeof here, "domains[%zu].behaviours[%zu]", k, i);
        if (!json_is_object(b))
            return fail(p, here, "a behaviour must be an object { } with an id and a statement");
        if ((rc = check_keys(p, here, b, bkeys)) ||
            (rc = get_id(p, here, b, &d->behaviours[i].id)) ||
            (rc = get_str(p, here, b, "statement", "the statement", true, TEXT_MAX,
                          &d->behaviours[i].statement)))
            return rc;
    }
    return APP_OK;
}

/* Domain ids and behaviour ids name things across versions, so none may repeat. */
static int check_unique(struct parse *p, const struct develop_framework *fw)
{
    for (size_t d = 0; d < fw->ndomains; d++) {
        char where[64];
        for (size_t e = 0; e < d; e++)
            if (!strcmp(fw->domains[d].id, fw->domains[e].id)) {
                snprintf(where, sizeof where, "domains[%zu]", d);
                return fail(p, where, "the id \"%s\" is already used by domains[%zu]",
                            fw->domains[d].id, e);
            }
        for (size_t i = 0; i < fw->domains[d].nbehaviours; i++) {
            const char *id = fw->domains[d].behaviours[i].id;
            for (size_t d2 = 0; d2 <= d; d2++)
                for (size_t i2 = 0; i2 < (d2 == d ? i : fw->domains[d2].nbehaviours); i2++)
                    if (!strcmp(fw->domains[d2].behaviours[i2].id, id)) {
                        snprintf(where, sizeof where, "domains[%zu].behaviours[%zu]", d, i);
                        return fail(p, where,
                                    "the id \"%s\" is already used by "
                                    "domains[%zu].behaviours[%zu]; behaviour ids must be unique "
                                    "in the framework",
                                    id, d2, i2);
                    }
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

int develop_framework_parse(struct arena *a, const char *json, size_t len,
                            struct develop_framework *out, const char **why)
{
    static const char *const keys[] = {"code",       "title",   "description", "licence", "scale",
                                       "importance", "domains", "id",          "version", NULL};
    static const char *const top = "the framework";
    struct parse p = {a, why};
    struct develop_framework fw;
    json_error_t err;
    json_t *root = NULL, *domains;
    int rc = APP_OK;

    memset(&fw, 0, sizeof fw);
    if (why)
        *why = NULL;
    if (!a || !out || (!json && len)) {
        if (why)
            *why = "No framework was given";
        return APP_E_INVALID;
    }
    if (len > MAX_DOC_BYTES) {
        rc = fail(&p, top, "the text is %zu bytes; at most %u are allowed", len, MAX_DOC_BYTES);
        goto done;
    }
    if (!utf8_valid(json, len)) {
        rc = fail(&p, top, "the text is not valid UTF-8");
        goto done;
    }
    if (too_deep(json, len, MAX_DEPTH)) {
        rc = fail(&p, top, "the text nests lists and objects too deeply");
        goto done;
    }
    if (!(root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err))) {
        /* jansson's message may quote the input; only printable ASCII of it is repeated */
        char text[sizeof err.text];
        size_t i = 0;
        for (; err.text[i] && i + 1 < sizeof text; i++)
            text[i] = err.text[i] >= 0x20 && err.text[i] < 0x7f ? err.text[i] : '?';
        text[i] = '\0';
        rc = fail(&p, top, "the text is not valid JSON (line %d, column %d: %s)", err.line,
                  err.column, text);
        goto done;
    }
    if (!json_is_object(root)) {
        rc = fail(&p, top, "the text must be one JSON object { }");
        goto done;
    }
    if ((rc = check_keys(&p, top, root, keys)))
        goto done;
    if (!json_is_string(json_object_get(root, "code")) ||
        !id_valid(json_string_value(json_object_get(root, "code")), ID_MAX)) {
        rc = fail(&p, top, "the code must be 1 to %d characters of a-z, 0-9 and -", ID_MAX);
        goto done;
    }
    if ((rc = get_str(&p, top, root, "code", "the code", true, ID_MAX, &fw.code)) ||
        (rc = get_str(&p, top, root, "title", "the title", true, TITLE_MAX, &fw.title)) ||
        (rc = get_str(&p, top, root, "description", "the description", false, LONG_MAX,
                      &fw.description)) ||
        (rc = get_str(&p, top, root, "licence", "the licence or attribution", true, LONG_MAX,
                      &fw.licence)))
        goto done;
    if (!json_object_get(root, "scale")) {
        rc = fail(&p, top, "the scale is missing (\"scale\")");
        goto done;
    }
    if ((rc = parse_scale(&p, json_object_get(root, "scale"), &fw.scale)) ||
        (rc = parse_importance(&p, json_object_get(root, "importance"), &fw.importance)) ||
        (rc = get_list(&p, top, root, "domains", "domains", 1, DEVELOP_MAX_DOMAINS, &domains)))
        goto done;
    fw.ndomains = json_array_size(domains);
    if (!(fw.domains = arena_calloc(a, fw.ndomains, sizeof *fw.domains))) {
        rc = nomem(&p);
        goto done;
    }
    for (size_t k = 0; k < fw.ndomains; k++) {
        if ((rc = parse_domain(&p, k, json_array_get(domains, k), &fw.domains[k], fw.nbehaviours)))
            goto done;
        fw.nbehaviours += fw.domains[k].nbehaviours;
    }
    if ((rc = check_unique(&p, &fw)))
        goto done;
    *out = fw;
done:
    json_decref(root);
    return rc;
}

/* ---- writing ----------------------------------------------------------------------------- */

static bool put(json_t *obj, const char *key, json_t *value)
{
    return value && json_object_set_new(obj, key, value) == 0;
}

static bool push(json_t *arr, json_t *value)
{
    return value && json_array_append_new(arr, value) == 0;
}

static json_t *scale_json(const struct develop_scale *s)
{
    json_t *o = json_object(), *points = json_array();
    if (!o || !points || !put(o, "kind", json_string(develop_scale_kind_name(s->kind))))
        goto fail;
    for (size_t i = 0; i < s->npoints; i++) {
        json_t *po = json_object();
        if (!push(points, po) || !put(po, "label", json_string(s->points[i].label)))
            goto fail;
        if (*s->points[i].description &&
            !put(po, "description", json_string(s->points[i].description)))
            goto fail;
    }
    if (!put(o, "points", points)) {
        points = NULL;
        goto fail;
    }
    points = NULL;
    if (*s->no_chance && !put(o, "no_chance", json_string(s->no_chance)))
        goto fail;
    return o;
fail:
    json_decref(points);
    json_decref(o);
    return NULL;
}

static json_t *importance_json(const struct develop_importance *imp)
{
    json_t *o = json_object(), *points = json_array();
    if (!o || !points || !put(o, "question", json_string(imp->question)))
        goto fail;
    for (size_t i = 0; i < imp->npoints; i++)
        if (!push(points, json_string(imp->points[i])))
            goto fail;
    if (put(o, "points", points))
        return o;
    points = NULL;
fail:
    json_decref(points);
    json_decref(o);
    return NULL;
}

static json_t *domain_json(const struct develop_domain *d)
{
    json_t *o = json_object(), *list = json_array();
    if (!o || !list || !put(o, "id", json_string(d->id)) || !put(o, "title", json_string(d->title)))
        goto fail;
    if (*d->description && !put(o, "description", json_string(d->description)))
        goto fail;
    for (size_t i = 0; i < d->nbehaviours; i++) {
        json_t *b = json_object();
        if (!push(list, b) || !put(b, "id", json_string(d->behaviours[i].id)) ||
            !put(b, "statement", json_string(d->behaviours[i].statement)))
            goto fail;
    }
    if (put(o, "behaviours", list))
        return o;
    list = NULL;
fail:
    json_decref(list);
    json_decref(o);
    return NULL;
}

json_t *develop_framework_json(const struct develop_framework *fw)
{
    json_t *o, *domains = NULL;
    if (!fw || !(o = json_object()))
        return NULL;
    if (!put(o, "code", json_string(fw->code)) || !put(o, "title", json_string(fw->title)))
        goto fail;
    /* the version helps whoever reads a download; reading ignores it */
    if (fw->version > 0 && !put(o, "version", json_integer(fw->version)))
        goto fail;
    if (*fw->description && !put(o, "description", json_string(fw->description)))
        goto fail;
    if (!put(o, "licence", json_string(fw->licence)) || !put(o, "scale", scale_json(&fw->scale)))
        goto fail;
    if (fw->importance.enabled && !put(o, "importance", importance_json(&fw->importance)))
        goto fail;
    if (!(domains = json_array()))
        goto fail;
    for (size_t k = 0; k < fw->ndomains; k++)
        if (!push(domains, domain_json(&fw->domains[k])))
            goto fail;
    if (put(o, "domains", domains))
        return o;
    domains = NULL;
fail:
    json_decref(domains);
    json_decref(o);
    return NULL;
}

/* ---- lookups and checks ------------------------------------------------------------------ */

const struct develop_behaviour *develop_behaviour_find(const struct develop_framework *fw,
                                                       const char *id, size_t *pos)
{
    for (size_t d = 0; fw && id && d < fw->ndomains; d++)
        for (size_t i = 0; i < fw->domains[d].nbehaviours; i++)
            if (!strcmp(fw->domains[d].behaviours[i].id, id)) {
                if (pos)
                    *pos = fw->domains[d].first + i;
                return &fw->domains[d].behaviours[i];
            }
    return NULL;
}

const char *develop_answer_check(const struct develop_framework *fw,
                                 const struct develop_answer *ans)
{
    if (ans->rating == DEVELOP_NO_CHANCE && !*fw->scale.no_chance)
        return "Choose one of the answers on the scale";
    if (ans->rating < DEVELOP_NO_CHANCE || ans->rating > (int)fw->scale.npoints)
        return "Choose one of the answers on the scale";
    if (ans->importance < 0 || ans->importance > (int)fw->importance.npoints ||
        (ans->importance && !fw->importance.enabled))
        return "Choose how important this is from the list";
    if (ans->note && utf8_count(ans->note, strlen(ans->note)) > DEVELOP_NOTE_MAX)
        return "Your note must be 1000 characters or fewer";
    return NULL;
}
