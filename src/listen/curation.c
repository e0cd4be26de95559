/* curation.c: facilitators' edits to an exercise's themes, and their application to a run
 *
 * Edits live in listen_theme_edits, one row per theme, named by the theme's key (its top
 * terms). Applying them is matching keys by term overlap (see curation.h), then renaming,
 * hiding, merging (members united, sizes and agreement counted again under the disclosure
 * rule) and pinning quotes. Splitting is done by the analysis run itself (runs.c), which
 * fits two themes to the members of a theme marked split.
 */
#include "listen/curation.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"
#include "text/disclosure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { AUD_CITIZEN, AUD_AHP, AUD_STAFF, AUD_UNSAID, AUD_N };
#define MATCH_AT 0.5

int listen_theme_stats(struct arena *a, struct listen_theme *t)
{
    uint32_t counts[AUD_N] = {0};
    struct disclosure_cell cells[AUD_N], total;
    struct disclosure_stat agree;
    int64_t ag = 0, d = 0, p = 0;
    char text[DISCLOSURE_TEXT_MAX];
    for (size_t i = 0; i < t->nmembers; i++) {
        const struct listen_member *m = &t->members[i];
        counts[m->audience >= 0 && m->audience < AUD_N ? m->audience : AUD_UNSAID]++;
        ag += m->agree;
        d += m->disagree;
        p += m->pass;
    }
    if (disclosure_breakdown(AUD_N, counts, NULL, cells, &total))
        return APP_E_NOMEM;
    for (int k = 0; k < AUD_N; k++)
        if (disclosure_format(&cells[k], text, sizeof text) ||
            !(t->by_audience[k] = arena_strdup(a, text)))
            return APP_E_NOMEM;
    /* agreement over the votes cast (passes aside); 7 votes or fewer say nothing */
    if (disclosure_mean((uint64_t)(ag + d), ag + d ? 100.0 * (double)ag / (double)(ag + d) : 0,
                        NULL, &agree) ||
        disclosure_stat_format(&agree, 0, text, sizeof text))
        return APP_E_NOMEM;
    t->agree_hidden = agree.suppressed;
    if (!(t->size = disclosure_count_text(a, t->nmembers)) ||
        !(t->agree_percent = arena_strdup(a, text)) ||
        !(t->votes = disclosure_count_text(a, (uint64_t)(ag + d + p))))
        return APP_E_NOMEM;
    return APP_OK;
}

double listen_key_overlap(const struct listen_strs *a, const struct listen_strs *b)
{
    size_t common = 0, i, j;
    for (i = 0; i < a->n; i++)
        for (j = 0; j < b->n; j++)
            if (!strcmp(a->v[i], b->v[j])) {
                common++;
                break;
            }
    return a->n + b->n - common ? (double)common / (double)(a->n + b->n - common) : 0;
}

/* Keys are stored as JSON text; a key that does not read back is an empty one (it then
 * matches nothing, which is the safe reading). */
static int key_parse(struct arena *a, const char *text, struct listen_strs *out)
{
    json_t *k = *text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    int rc = APP_OK;
    out->n = 0;
    if (!(out->v = arena_calloc(a, json_array_size(k) + 1, sizeof *out->v))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    json_array_foreach(k, i, v)
    {
        if (!json_is_string(v)) {
            out->n = 0; /* not a key */
            goto done;
        }
        if (!(out->v[i] = arena_strndup(a, json_string_value(v), json_string_length(v)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    out->n = json_array_size(k);
done:
    json_decref(k);
    return rc;
}

int listen_curation_load(struct db *db, struct arena *a, int64_t exercise_id,
                         struct listen_theme_edit **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct listen_theme_edit *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_LE_LIST, &st, "i", exercise_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct listen_theme_edit *e;
        const char *pins = db_col_text(st, 6), *merged = db_col_text(st, 5);
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list))) {
            rc = APP_E_NOMEM;
            break;
        }
        e = &list[(*n)++];
        memset(e, 0, sizeof *e);
        e->id = db_col_int(st, 0);
        e->label = arena_strdup(a, db_col_text(st, 2));
        e->hidden = db_col_int(st, 3) != 0;
        e->split = db_col_int(st, 4) != 0;
        for (const char *p = pins; *p && e->npins < LISTEN_PINS_MAX;) {
            char *end;
            long long v = strtoll(p, &end, 10);
            if (end == p)
                break;
            if (v > 0)
                e->pins[e->npins++] = (int64_t)v;
            p = *end == ',' ? end + 1 : end;
        }
        rc = key_parse(a, db_col_text(st, 1), &e->key);
        if (!rc && *merged)
            rc = key_parse(a, merged, &e->merged_into);
        if (!rc && !e->label)
            rc = APP_E_NOMEM;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int listen_curation_dump(const struct listen_theme_edit *edits, size_t n, char **out)
{
    json_t *arr = json_array(), *o, *pins;
    int rc = APP_E_NOMEM;
    *out = NULL;
    if (!arr)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const struct listen_theme_edit *e = &edits[i];
        if (!(pins = json_array()))
            goto done;
        for (size_t k = 0; k < e->npins; k++)
            if (json_array_append_new(pins, json_integer((json_int_t)e->pins[k]))) {
                json_decref(pins);
                goto done;
            }
        /* json_pack takes the key and pins whatever happens; arr then takes o */
        o = json_pack("{s:o, s:s, s:b, s:b, s:o}", "key", listen_strs_json(&e->key), "label",
                      e->label ? e->label : "", "hidden", e->hidden, "split", e->split, "pins",
                      pins);
        if (!o || json_array_append_new(arr, o) ||
            (e->merged_into.v &&
             json_object_set_new(o, "merged_into", listen_strs_json(&e->merged_into))))
            goto done;
    }
    if ((*out = json_dumps(arr, JSON_COMPACT)))
        rc = APP_OK;
done:
    json_decref(arr);
    return rc;
}

int listen_curation_parse(struct arena *a, const char *text, struct listen_theme_edit **out,
                          size_t *n)
{
    json_t *arr = json_loads(text, 0, NULL), *o, *pin;
    struct listen_theme_edit *list = NULL;
    size_t i, k;
    int rc = json_is_array(arr) ? APP_OK : APP_E_INVALID;
    *out = NULL;
    *n = 0;
    if (!rc && !(list = arena_calloc(a, json_array_size(arr) + 1, sizeof *list)))
        rc = APP_E_NOMEM;
    for (i = 0; !rc && i < json_array_size(arr); i++) {
        struct listen_theme_edit *e = &list[i];
        const json_t *label, *pins, *into;
        o = json_array_get(arr, i);
        label = json_object_get(o, "label");
        pins = json_object_get(o, "pins");
        into = json_object_get(o, "merged_into");
        if (!json_is_string(label) || !json_is_boolean(json_object_get(o, "hidden")) ||
            !json_is_boolean(json_object_get(o, "split")) || !json_is_array(pins) ||
            json_array_size(pins) > LISTEN_PINS_MAX) {
            rc = APP_E_INVALID;
            break;
        }
        if (!(e->label = arena_strndup(a, json_string_value(label), json_string_length(label)))) {
            rc = APP_E_NOMEM;
            break;
        }
        e->hidden = json_is_true(json_object_get(o, "hidden"));
        e->split = json_is_true(json_object_get(o, "split"));
        json_array_foreach(pins, k, pin)
        {
            if (!json_is_integer(pin) || json_integer_value(pin) <= 0) {
                rc = APP_E_INVALID;
                break;
            }
            e->pins[e->npins++] = (int64_t)json_integer_value(pin);
        }
        if (!rc)
            rc = listen_strs_parse(a, json_object_get(o, "key"), &e->key);
        if (!rc && into)
            rc = listen_strs_parse(a, into, &e->merged_into);
    }
    if (!rc) {
        *out = list;
        *n = json_array_size(arr);
    }
    json_decref(arr);
    return rc;
}

/* For each theme, the edit that goes to it (or -1): the best overlap at MATCH_AT or more,
 * greedily from the strongest pair down, so no theme takes two edits and no edit two themes. */
void listen_curation_match(const struct listen_theme *themes, size_t nt,
                           const struct listen_theme_edit *edits, size_t n, int *edit_of)
{
    bool *used = calloc(n + 1, sizeof *used);
    for (size_t t = 0; t < nt; t++)
        edit_of[t] = -1;
    if (!used)
        return;
    for (;;) {
        double best = MATCH_AT - 1e-9;
        size_t bt = 0, be = 0;
        bool found = false;
        for (size_t t = 0; t < nt; t++) {
            if (edit_of[t] >= 0)
                continue;
            for (size_t e = 0; e < n; e++) {
                double o;
                if (used[e])
                    continue;
                o = listen_key_overlap(&themes[t].key, &edits[e].key);
                if (o > best) {
                    best = o;
                    bt = t;
                    be = e;
                    found = true;
                }
            }
        }
        if (!found)
            break;
        edit_of[bt] = (int)be;
        used[be] = true;
    }
    free(used);
}

/* The index of the theme whose key best matches key (at MATCH_AT or more), or -1. */
static int theme_for_key(const struct listen_analysis *r, const struct listen_strs *key)
{
    double best = MATCH_AT - 1e-9;
    int found = -1;
    for (size_t t = 0; t < r->nthemes; t++) {
        double o = listen_key_overlap(&r->themes[t].key, key);
        if (o > best) {
            best = o;
            found = (int)t;
        }
    }
    return found;
}

/* Unites the members of from into into (by contribution id) and counts again. */
static int merge_members(struct arena *a, struct listen_theme *into,
                         const struct listen_theme *from)
{
    struct listen_member *all;
    size_t n;
    if (!into->members || !from->members)
        return APP_OK;
    if (!(all = arena_calloc(a, into->nmembers + from->nmembers + 1, sizeof *all)))
        return APP_E_NOMEM;
    memcpy(all, into->members, into->nmembers * sizeof *all);
    n = into->nmembers;
    for (size_t i = 0; i < from->nmembers; i++) {
        bool have = false;
        for (size_t j = 0; j < into->nmembers && !have; j++)
            have = into->members[j].id == from->members[i].id;
        if (!have)
            all[n++] = from->members[i];
    }
    into->members = all;
    into->nmembers = n;
    return listen_theme_stats(a, into);
}

/* Adds the quotes of from to to (room for 3), up to 3 in all, leaving out any already there
 * or pinned. */
static void append_unpinned(struct listen_strs *to, const struct listen_strs *from,
                            const struct listen_pin *pinned, size_t npinned)
{
    for (size_t i = 0; i < from->n && to->n < 3; i++) {
        bool dup = false;
        for (size_t j = 0; j < to->n; j++)
            dup |= !strcmp(to->v[j], from->v[i]);
        for (size_t j = 0; j < npinned; j++)
            dup |= !strcmp(pinned[j].text, from->v[i]);
        if (!dup)
            to->v[to->n++] = from->v[i];
    }
}

/* Lists the pinned contributions (they lead the theme's quotes) and keeps them out of the
 * citizens' and professionals' quotes, so none is shown twice. */
static int apply_pins(struct db *db, struct arena *a, int64_t exercise_id, struct listen_theme *th,
                      const struct listen_theme_edit *e)
{
    struct listen_pin *pinned = arena_calloc(a, e->npins + 1, sizeof *pinned);
    struct listen_strs cit = {arena_calloc(a, 4, sizeof(char *)), 0};
    struct listen_strs pro = {arena_calloc(a, 4, sizeof(char *)), 0};
    size_t np = 0;
    int rc = pinned && cit.v && pro.v ? APP_OK : APP_E_NOMEM;
    for (size_t k = 0; !rc && k < e->npins; k++) {
        struct db_stmt *st = NULL;
        int r = db_row(db, SQL_LE_PIN_TEXT, &st, "ii", e->pins[k], exercise_id);
        if (r == APP_OK) {
            /* listed once, first, in pinned; the two sides then leave it out */
            pinned[np].id = e->pins[k];
            if (!(pinned[np++].text = arena_strdup(a, db_col_text(st, 0))))
                rc = APP_E_NOMEM;
        } else if (r != APP_E_NOTFOUND) { /* a pin on a contribution since hidden: left out */
            rc = r;
        }
        db_finalize(st);
    }
    if (rc)
        return rc;
    /* then the computed quotes not already pinned, keeping at most 3 a side */
    append_unpinned(&cit, &th->quotes_citizens, pinned, np);
    append_unpinned(&pro, &th->quotes_professionals, pinned, np);
    th->pinned = pinned;
    th->npinned = np;
    th->quotes_citizens = cit;
    th->quotes_professionals = pro;
    return APP_OK;
}

int listen_curation_apply(struct db *db, struct arena *a, int64_t exercise_id,
                          struct listen_analysis *r, const struct listen_theme_edit *edits,
                          size_t n, bool for_report)
{
    size_t nt = r->nthemes, kept = 0;
    int *edit_of = arena_calloc(a, nt + 1, sizeof *edit_of);
    bool *drop = arena_calloc(a, nt + 1, sizeof *drop);
    int rc = edit_of && drop ? APP_OK : APP_E_NOMEM;
    /* first, what was taken back since the run is quoted nowhere (unshown.c) */
    if (rc || (rc = listen_analysis_forget_unshown(db, a, exercise_id, r)))
        goto done;
    listen_curation_match(r->themes, nt, edits, n, edit_of);
    /* merges first, so a renamed target shows its new name over the united members */
    for (size_t t = 0; !rc && t < nt; t++) {
        const struct listen_theme_edit *e = edit_of[t] >= 0 ? &edits[edit_of[t]] : NULL;
        int into;
        if (!e || !e->merged_into.v)
            continue;
        into = theme_for_key(r, &e->merged_into);
        if (into < 0 || (size_t)into == t)
            continue; /* the target is gone from this run: the theme stands alone */
        rc = merge_members(a, &r->themes[into], &r->themes[t]);
        r->themes[t].merged_into = r->themes[into].label;
        drop[t] = true;
    }
    for (size_t t = 0; !rc && t < nt; t++) {
        const struct listen_theme_edit *e = edit_of[t] >= 0 ? &edits[edit_of[t]] : NULL;
        struct listen_theme *th = &r->themes[t];
        th->curated = true;
        th->edited = e != NULL;
        th->hidden = e && e->hidden;
        th->split_requested = e && e->split;
        if (!e)
            continue;
        if (*e->label) {
            th->computed_label = th->label;
            if (!(th->label = arena_strdup(a, e->label)))
                rc = APP_E_NOMEM;
        }
        if (!rc && e->npins)
            rc = apply_pins(db, a, exercise_id, th, e);
        if (e->hidden)
            drop[t] = true;
    }
    if (rc || !for_report)
        goto done;
    for (size_t t = 0; t < nt; t++)
        if (!drop[t])
            r->themes[kept++] = r->themes[t];
    r->nthemes = kept;
done:
    return rc;
}

/* The comma list of pins, after adding or removing one. */
static void pins_text(struct buf *b, const struct listen_theme_edit *e, int64_t add, int64_t remove)
{
    size_t n = 0;
    for (size_t i = 0; i < e->npins; i++)
        if (e->pins[i] != remove && e->pins[i] != add) {
            buf_printf(b, "%s%lld", n++ ? "," : "", (long long)e->pins[i]);
        }
    if (add > 0 && n < LISTEN_PINS_MAX)
        buf_printf(b, "%s%lld", n ? "," : "", (long long)add);
    buf_putc(b, '\0');
}

/* A key as it is stored: a compact JSON array, ASCII only. */
static int key_text(const struct listen_strs *key, struct buf *b)
{
    json_t *arr = listen_strs_json(key);
    int rc = APP_E_NOMEM;
    if (!arr || json_dump_callback(arr, buf_append_cb, b, JSON_COMPACT | JSON_ENSURE_ASCII))
        goto done;
    buf_putc(b, '\0');
    rc = buf_oom(b) ? APP_E_NOMEM : APP_OK;
done:
    json_decref(arr);
    return rc;
}

int listen_curation_edit(struct db *db, int64_t exercise_id, const struct listen_strs *key,
                         const char *action, const char *value, const struct listen_strs *into,
                         int64_t contribution, int64_t by)
{
    struct arena *a = arena_new();
    struct listen_theme_edit *edits = NULL, cur;
    struct buf keyb = BUF_INIT, intob = BUF_INIT, pins = BUF_INIT;
    size_t n = 0;
    int found = -1, rc;
    double best = MATCH_AT - 1e-9;
    if (!a)
        return APP_E_NOMEM;
    if (!key || key->n == 0 || !action) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = listen_curation_load(db, a, exercise_id, &edits, &n)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        double o = listen_key_overlap(key, &edits[i].key);
        if (o > best) {
            best = o;
            found = (int)i;
        }
    }
    if (found >= 0) {
        cur = edits[found];
    } else {
        memset(&cur, 0, sizeof cur);
        cur.label = "";
    }
    if (!strcmp(action, "rename")) {
        if (!value || strlen(value) > 150) {
            rc = APP_E_INVALID;
            goto done;
        }
        cur.label = value;
    } else if (!strcmp(action, "hide") || !strcmp(action, "show")) {
        cur.hidden = action[0] == 'h';
    } else if (!strcmp(action, "split") || !strcmp(action, "unsplit")) {
        cur.split = action[0] == 's';
    } else if (!strcmp(action, "merge")) {
        if (!into || !into->n || listen_key_overlap(into, key) >= 1) {
            rc = APP_E_INVALID;
            goto done;
        }
        cur.merged_into = *into;
    } else if (!strcmp(action, "unmerge")) {
        cur.merged_into = (struct listen_strs){NULL, 0};
    } else if (!strcmp(action, "pin") || !strcmp(action, "unpin")) {
        if (contribution <= 0) {
            rc = APP_E_INVALID;
            goto done;
        }
    } else {
        rc = APP_E_INVALID;
        goto done;
    }
    pins_text(&pins, &cur, !strcmp(action, "pin") ? contribution : 0,
              !strcmp(action, "unpin") ? contribution : 0);
    if ((rc = key_text(key, &keyb)))
        goto done;
    if (cur.merged_into.v && (rc = key_text(&cur.merged_into, &intob)))
        goto done;
    if (buf_oom(&pins)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* The edit follows the theme: its key becomes the theme's current one. */
    if (found >= 0)
        rc = db_run(db, SQL_LE_UPDATE, "iittiittIi", cur.id, exercise_id, keyb.data, cur.label,
                    (int64_t)cur.hidden, (int64_t)cur.split, intob.data ? intob.data : "",
                    pins.data, by, (int64_t)time(NULL));
    else
        rc = db_run(db, SQL_LE_INSERT, "ittiittIi", exercise_id, keyb.data, cur.label,
                    (int64_t)cur.hidden, (int64_t)cur.split, intob.data ? intob.data : "",
                    pins.data, by, (int64_t)time(NULL));
done:
    buf_free(&keyb);
    buf_free(&intob);
    buf_free(&pins);
    arena_free(a);
    return rc;
}

/* Shared by the analysis (every term) and the report. */
const char *listen_terms_join(struct arena *a, const struct listen_strs *terms, size_t max)
{
    struct buf b = BUF_INIT;
    const char *r;
    for (size_t i = 0; i < terms->n && (!max || i < max); i++) {
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, terms->v[i]);
    }
    r = buf_oom(&b) ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

/* The actions page's (the first few terms of a theme in its view model). */
json_t *listen_terms_text(const json_t *terms, size_t max)
{
    struct buf b = BUF_INIT;
    const json_t *t;
    size_t i;
    json_t *r;
    json_array_foreach(terms, i, t)
    {
        if (max && i == max)
            break;
        if (!json_is_string(t))
            continue;
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, json_string_value(t));
    }
    r = buf_oom(&b) ? NULL : json_stringn(b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}
