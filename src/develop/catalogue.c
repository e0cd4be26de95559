/* catalogue.c: a development activity's fields — their names, the check every way in goes
 * through, and the text they are written back as
 *
 * The check collects every problem rather than stopping at the first, so a form or a CSV row
 * shows all its mistakes at once. Areas are checked against the latest version of each
 * framework and instrument: an id an admin has since taken out of a framework cannot be
 * given to a new activity, while activities stored earlier keep theirs.
 */
#include "develop/catalogue.h"
#include "account/account.h"
#include "assess/round.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "develop/self.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct develop_choice develop_activity_kinds[] = {
    {"course", "Course"},
    {"mentoring", "Mentoring"},
    {"coaching", "Coaching"},
    {"networking", "Networking"},
    {"action-learning", "Action learning"},
    {"qi-project", "Quality improvement project"},
    {"stretch-assignment", "Stretch assignment (on the job)"},
    {"shadowing", "Shadowing (on the job)"},
    {"self-directed", "Self-directed learning"},
};
const size_t develop_activity_kinds_count =
    sizeof develop_activity_kinds / sizeof develop_activity_kinds[0];

const struct develop_choice develop_activity_modes[] = {
    {"in-person", "In person"},
    {"online", "Online"},
    {"blended", "Blended"},
    {"self-paced", "Self-paced"},
};
const size_t develop_activity_modes_count =
    sizeof develop_activity_modes / sizeof develop_activity_modes[0];

const struct develop_choice develop_activity_costs[] = {
    {"free", "Free"},
    {"paid", "Paid"},
    {"employer", "Funded by employer"},
};
const size_t develop_activity_costs_count =
    sizeof develop_activity_costs / sizeof develop_activity_costs[0];

const char *develop_choice_name(const struct develop_choice *list, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(list[i].code, code))
            return list[i].name;
    return NULL;
}

/* The code given as a code or a name, any case; NULL when neither. */
static const char *choice_code(const struct develop_choice *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(list[i].code, s) || !strcasecmp(list[i].name, s))
            return list[i].code;
    return NULL;
}

/* ---- where areas come from ---- */

static int add_source(struct arena *a, struct develop_area_sources *out, size_t *cap, bool assess,
                      const char *code, const char *title, size_t n)
{
    struct develop_area_source *s;
    if (!(out->list = arena_grow(a, out->list, out->n + 1, cap, sizeof *out->list)))
        return APP_E_NOMEM;
    s = &out->list[out->n++];
    s->assess = assess;
    s->code = code;
    s->title = title;
    s->ndomains = n;
    s->ids = arena_calloc(a, n ? n : 1, sizeof *s->ids);
    s->titles = arena_calloc(a, n ? n : 1, sizeof *s->titles);
    return s->ids && s->titles ? APP_OK : APP_E_NOMEM;
}

int develop_area_sources_load(struct db *db, struct assess_version_cache *cache, struct arena *a,
                              struct develop_area_sources *out)
{
    struct develop_version_info *fv;
    struct assess_version_info *iv;
    size_t nf, ni, cap = 0;
    int rc;
    out->list = NULL;
    out->n = 0;
    if ((rc = develop_version_latest(db, a, &fv, &nf)))
        return rc;
    for (size_t i = 0; i < nf; i++) {
        struct develop_framework fw;
        struct develop_area_source *s;
        if ((rc = develop_version_load(db, a, fv[i].id, &fw)) ||
            (rc = add_source(a, out, &cap, false, fw.code, fw.title, fw.ndomains)))
            return rc;
        s = &out->list[out->n - 1];
        for (size_t d = 0; d < fw.ndomains; d++) {
            s->ids[d] = fw.domains[d].id;
            s->titles[d] = fw.domains[d].title;
        }
    }
    if ((rc = assess_version_latest(db, a, &iv, &ni)))
        return rc;
    for (size_t i = 0; i < ni; i++) {
        struct assess_instrument ins;
        struct develop_area_source *s;
        if ((rc = assess_version_load(db, cache, a, iv[i].id, &ins)) ||
            (rc = add_source(a, out, &cap, true, ins.code, ins.title, ins.ndomains)))
            return rc;
        s = &out->list[out->n - 1];
        for (size_t d = 0; d < ins.ndomains; d++) {
            s->ids[d] = ins.domains[d].id;
            s->titles[d] = ins.domains[d].title;
        }
    }
    return APP_OK;
}

const struct develop_area_source *develop_area_source_find(const struct develop_area_sources *s,
                                                           bool assess, const char *code)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->list[i].assess == assess && !strcmp(s->list[i].code, code))
            return &s->list[i];
    return NULL;
}

const char *develop_area_title(const struct develop_area_sources *s, const struct develop_area *ar)
{
    const struct develop_area_source *src = develop_area_source_find(s, ar->assess, ar->code);
    for (size_t d = 0; src && d < src->ndomains; d++)
        if (!strcmp(src->ids[d], ar->domain))
            return src->titles[d];
    return NULL;
}

/* ---- the check ---- */

struct checker {
    struct arena *a;
    struct develop_field_error *errs;
    size_t n, cap;
    int oom;
};

static void fail(struct checker *k, const char *field, const char *msg)
{
    if (!msg || !(k->errs = arena_grow(k->a, k->errs, k->n + 1, &k->cap, sizeof *k->errs))) {
        k->oom = 1;
        return;
    }
    k->errs[k->n].field = field;
    k->errs[k->n++].message = msg;
}

/* s trimmed of white space at both ends, as an arena copy ("" for NULL). */
static const char *trimmed(struct checker *k, const char *s)
{
    const char *e;
    char *out;
    if (!s)
        s = "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    if (!(out = arena_strndup(k->a, s, (size_t)(e - s))))
        k->oom = 1;
    return out ? out : "";
}

/* A text field: required or not, at most max characters, no control characters but line
 * breaks where lines are allowed. */
static const char *text(struct checker *k, const char *field, const char *raw, bool required,
                        size_t max, bool lines, const char *what, const char *name)
{
    const char *s = trimmed(k, raw);
    size_t n = strlen(s);
    if (!*s) {
        if (required)
            fail(k, field, arena_printf(k->a, "Enter %s", what));
        return s;
    }
    if (!utf8_valid(s, n)) {
        fail(k, field, arena_printf(k->a, "Enter %s as plain text", what));
        return s;
    }
    if (utf8_count(s, n) > max) {
        fail(k, field, arena_printf(k->a, "%s must be %zu characters or fewer", name, max));
        return s;
    }
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) {
            fail(k, field, arena_printf(k->a, "Enter %s without control characters", what));
            break;
        }
    return s;
}

/* A number of pounds or hours with at most two decimals ("12", "1.5", "£1,250.00"), as
 * hundredths; false when it is not one. */
static bool hundredths(const char *s, bool pounds, int64_t *out)
{
    int64_t v = 0;
    int decimals = -1, digits = 0;
    if (pounds && !strncmp(s, "\xc2\xa3", 2)) /* £ */
        s += 2;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            /* room for this digit and the two decimals still to come: no figure this
             * large is meant, and a wrapped one would pass the range check */
            if (decimals >= 2 || v > INT64_MAX / 1000)
                return false;
            v = v * 10 + (*s - '0');
            digits++;
            if (decimals >= 0)
                decimals++;
        } else if (*s == '.' && decimals < 0 && digits) {
            decimals = 0;
        } else if (*s == ',' && pounds && decimals < 0 && digits) {
            continue;
        } else {
            return false;
        }
    }
    if (!digits || decimals == 0)
        return false;
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
        v *= 10;
    *out = v;
    return true;
}

static bool link_valid(const char *s)
{
    const char *host;
    if (!strncasecmp(s, "https://", 8))
        host = s + 8;
    else if (!strncasecmp(s, "http://", 7))
        host = s + 7;
    else
        return false;
    if (!*host || *host == '/' || *host == '.' || *host == ':')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
            (unsigned char)*p == 0x7f)
            return false;
    return true;
}

/* Reads "code:domain" items of one source into out->areas. */
static void areas(struct checker *k, const struct develop_area_sources *sources, const char *field,
                  const char *raw, bool assess, struct develop_activity *out)
{
    const char *s = raw ? raw : "";
    const char *what = assess ? "instrument" : "framework";
    while (*s) {
        size_t n = strcspn(s, ";, \t\r\n");
        if (n) {
            char *item = arena_strndup(k->a, s, n), *colon;
            const struct develop_area_source *src;
            struct develop_area ar = {assess, NULL, NULL};
            size_t cap = out->nareas;
            if (!item) {
                k->oom = 1;
                return;
            }
            colon = strchr(item, ':');
            if (!colon || colon == item || !colon[1]) {
                fail(k, field,
                     arena_printf(k->a,
                                  "“%s” is not an area: write the %s’s code, a colon and the "
                                  "area’s id, like %s",
                                  item, what,
                                  assess ? "ahp-digital-capability:leadership"
                                         : "ahp-clinical-leadership:vision"));
            } else {
                *colon = '\0';
                ar.code = item;
                ar.domain = colon + 1;
                src = develop_area_source_find(sources, assess, ar.code);
                if (!src)
                    fail(k, field,
                         arena_printf(k->a, "“%s” is not the code of %s on AHP Hub", ar.code,
                                      assess ? "an assessment instrument"
                                             : "a leadership framework"));
                else if (!develop_area_title(sources, &ar))
                    fail(k, field,
                         arena_printf(k->a, "“%s” is not an area of %s", ar.domain, src->title));
                else {
                    bool dup = false;
                    for (size_t i = 0; i < out->nareas && !dup; i++)
                        dup = out->areas[i].assess == assess &&
                              !strcmp(out->areas[i].code, ar.code) &&
                              !strcmp(out->areas[i].domain, ar.domain);
                    if (!dup) {
                        out->areas =
                            arena_grow(k->a, out->areas, out->nareas + 1, &cap, sizeof *out->areas);
                        if (!out->areas) {
                            k->oom = 1;
                            return;
                        }
                        out->areas[out->nareas++] = ar;
                    }
                }
            }
        }
        s += n;
        if (*s)
            s++;
    }
}

static char *choice_list(struct arena *a, const struct develop_choice *list, size_t n)
{
    char *s = arena_strdup(a, "");
    for (size_t i = 0; s && i < n; i++)
        s = arena_printf(a, "%s%s%s", s, i ? (i + 1 == n ? " or " : ", ") : "", list[i].code);
    return s;
}

int develop_activity_check(struct arena *a, const struct develop_area_sources *sources,
                           const struct develop_activity_input *in, struct develop_activity *out,
                           struct develop_field_error **errs, size_t *nerrs)
{
    struct checker k = {a, NULL, 0, 0, 0};
    const char *s;
    memset(out, 0, sizeof *out);
    out->title =
        text(&k, "title", in->title, true, DEVELOP_TITLE_MAX, false, "the title", "The title");
    s = trimmed(&k, in->kind);
    if (!*s)
        fail(&k, "kind", "Choose the kind of activity");
    else if (!(out->kind = choice_code(develop_activity_kinds, develop_activity_kinds_count, s)))
        fail(&k, "kind",
             arena_printf(a, "“%s” is not a kind of activity: use %s", s,
                          choice_list(a, develop_activity_kinds, develop_activity_kinds_count)));
    out->provider = text(&k, "provider", in->provider, true, DEVELOP_PROVIDER_MAX, false,
                         "who provides it", "The provider");
    out->description = text(&k, "description", in->description, true, DEVELOP_DESCRIPTION_MAX, true,
                            "a short description", "The description");
    s = trimmed(&k, in->mode);
    if (!*s)
        fail(&k, "mode", "Choose how the activity runs: in person, online, blended or self-paced");
    else if (!(out->mode = choice_code(develop_activity_modes, develop_activity_modes_count, s)))
        fail(&k, "mode",
             arena_printf(a, "“%s” is not a way an activity runs: use %s", s,
                          choice_list(a, develop_activity_modes, develop_activity_modes_count)));
    out->duration = text(&k, "duration", in->duration, false, DEVELOP_DURATION_MAX, false,
                         "the duration", "The duration");
    s = trimmed(&k, in->hours);
    if (*s && (!hundredths(s, false, &out->hours_x100) || out->hours_x100 <= 0 ||
               out->hours_x100 > (int64_t)DEVELOP_HOURS_MAX * 100))
        fail(&k, "hours",
             arena_printf(a,
                          "Enter the hours as a number between 0.01 and %d, like 12 or 1.5, "
                          "or leave it empty",
                          DEVELOP_HOURS_MAX));
    /* cost: a choice, or an amount in the cost field itself (CSV) */
    s = trimmed(&k, in->cost);
    {
        const char *pounds = trimmed(&k, in->cost_pounds);
        int64_t p = 0;
        if (!*s && *pounds)
            s = "paid";
        if (!*s)
            fail(&k, "cost", "Choose what it costs: free, paid or funded by employer");
        else if (!strcasecmp(s, "funded by employer") || !strcasecmp(s, "employer"))
            out->cost = "employer";
        else if (!strcasecmp(s, "free"))
            out->cost = "free";
        else if (!strcasecmp(s, "paid")) {
            out->cost = "paid";
            if (!*pounds)
                fail(&k, "cost_pounds", "Enter the cost in pounds, like 150 or 149.99");
            else if (!hundredths(pounds, true, &p) || p <= 0 ||
                     p > (int64_t)DEVELOP_POUNDS_MAX * 100)
                fail(&k, "cost_pounds",
                     arena_printf(a,
                                  "Enter the cost in pounds as a number between 0.01 and %d, "
                                  "like 150 or 149.99",
                                  DEVELOP_POUNDS_MAX));
            out->cost_pence = p;
        } else if (hundredths(s, true, &p) && p > 0 && p <= (int64_t)DEVELOP_POUNDS_MAX * 100) {
            out->cost = "paid";
            out->cost_pence = p;
        } else {
            fail(&k, "cost",
                 arena_printf(a,
                              "“%s” is not a cost: use free, funded by employer, or an amount "
                              "in pounds such as 150",
                              s));
        }
        if (out->cost && strcmp(out->cost, "paid") && *pounds)
            fail(&k, "cost_pounds", "Leave the amount empty unless the activity is paid for");
    }
    s = trimmed(&k, in->region);
    if (!*s)
        fail(&k, "region", "Choose a region, or national");
    else if (!strcasecmp(s, DEVELOP_NATIONAL))
        out->region = DEVELOP_NATIONAL;
    else {
        for (size_t i = 0; i < regions_count && !out->region; i++)
            if (!strcasecmp(regions[i].code, s) || !strcasecmp(regions[i].name, s))
                out->region = regions[i].code;
        if (!out->region)
            fail(&k, "region",
                 arena_printf(a, "“%s” is not a region: use national or a region such as london",
                              s));
    }
    out->link = text(&k, "link", in->link, false, DEVELOP_LINK_MAX, false, "the link", "The link");
    if (*out->link && !link_valid(out->link))
        fail(&k, "link", "Enter the link as a web address starting with https:// or http://");
    areas(&k, sources, "framework_domains", in->framework_domains, false, out);
    areas(&k, sources, "assess_domains", in->assess_domains, true, out);
    s = trimmed(&k, in->status);
    if (!*s || !strcasecmp(s, "active"))
        out->active = true;
    else if (!strcasecmp(s, "retired"))
        out->active = false;
    else
        fail(&k, "status", arena_printf(a, "“%s” is not a status: use active or retired", s));
    *errs = k.errs;
    *nerrs = k.n;
    if (k.oom)
        return APP_E_NOMEM;
    return k.n ? APP_E_INVALID : APP_OK;
}

const char *develop_hundredths_text(struct arena *a, int64_t x)
{
    if (x % 100 == 0)
        return arena_printf(a, "%" PRId64, x / 100);
    if (x % 10 == 0)
        return arena_printf(a, "%" PRId64 ".%" PRId64, x / 100, (x % 100) / 10);
    return arena_printf(a, "%" PRId64 ".%02" PRId64, x / 100, x % 100);
}

static const char *area_text(struct arena *a, const struct develop_activity *act, bool assess)
{
    char *s = arena_strdup(a, "");
    for (size_t i = 0; s && i < act->nareas; i++)
        if (act->areas[i].assess == assess)
            s = arena_printf(a, "%s%s%s:%s", s, *s ? "; " : "", act->areas[i].code,
                             act->areas[i].domain);
    return s;
}

int develop_activity_text(struct arena *a, const struct develop_activity *act,
                          struct develop_activity_input *out)
{
    memset(out, 0, sizeof *out);
    out->title = act->title;
    out->kind = act->kind;
    out->provider = act->provider;
    out->description = act->description;
    out->mode = act->mode;
    out->duration = act->duration;
    out->hours = act->hours_x100 ? develop_hundredths_text(a, act->hours_x100) : "";
    out->cost = act->cost;
    out->cost_pounds = act->cost_pence ? develop_hundredths_text(a, act->cost_pence) : "";
    out->region = act->region;
    out->link = act->link;
    out->framework_domains = area_text(a, act, false);
    out->assess_domains = area_text(a, act, true);
    out->status = act->active ? "active" : "retired";
    return out->hours && out->cost_pounds && out->framework_domains && out->assess_domains
               ? APP_OK
               : APP_E_NOMEM;
}
