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
static const char *const audience_keys[AUD_N] = {"citizen", "ahp", "staff", "not_said"};

#define MATCH_AT 0.5

static json_t *count_json(uint64_t n)
{
    struct disclosure_cell c = disclosure_count(n, NULL);
    char text[DISCLOSURE_TEXT_MAX];
    return disclosure_format(&c, text, sizeof text) ? NULL : json_string(text);
}

int listen_theme_stats(json_t *theme)
{
    const json_t *members = json_object_get(theme, "members"), *m;
    uint32_t counts[AUD_N] = {0};
    struct disclosure_cell cells[AUD_N], total;
    struct disclosure_stat agree;
    int64_t a = 0, d = 0, p = 0;
    char text[DISCLOSURE_TEXT_MAX];
    json_t *by = json_object();
    size_t i;
    if (!by)
        return APP_E_NOMEM;
    json_array_foreach(members, i, m)
    {
        json_int_t aud = json_integer_value(json_array_get(m, 1));
        counts[aud >= 0 && aud < AUD_N ? aud : AUD_UNSAID]++;
        a += json_integer_value(json_array_get(m, 2));
        d += json_integer_value(json_array_get(m, 3));
        p += json_integer_value(json_array_get(m, 4));
    }
    if (disclosure_breakdown(AUD_N, counts, NULL, cells, &total))
        goto nomem;
    for (int k = 0; k < AUD_N; k++)
        if (disclosure_format(&cells[k], text, sizeof text) ||
            json_object_set_new(by, audience_keys[k], json_string(text)))
            goto nomem;
    /* agreement over the votes cast (passes aside); 7 votes or fewer say nothing */
    if (disclosure_mean((uint64_t)(a + d), a + d ? 100.0 * (double)a / (double)(a + d) : 0, NULL,
                        &agree) ||
        disclosure_stat_format(&agree, 0, text, sizeof text))
        goto nomem;
    if (json_object_set_new(theme, "by_audience", by) ||
        json_object_set_new(theme, "size", count_json(json_array_size(members))) ||
        json_object_set_new(theme, "agree_percent", json_string(text)) ||
        json_object_set_new(theme, "agree_hidden", json_boolean(agree.suppressed)) ||
        json_object_set_new(theme, "votes", count_json((uint64_t)(a + d + p))))
        return APP_E_NOMEM;
    return APP_OK;
nomem:
    json_decref(by);
    return APP_E_NOMEM;
}

double listen_key_overlap(const json_t *a, const json_t *b)
{
    size_t na = json_array_size(a), nb = json_array_size(b), common = 0, i, j;
    for (i = 0; i < na; i++)
        for (j = 0; j < nb; j++)
            if (json_equal(json_array_get(a, i), json_array_get(b, j))) {
                common++;
                break;
            }
    return na + nb - common ? (double)common / (double)(na + nb - common) : 0;
}

static void key_release(void *p)
{
    json_decref(p);
}

/* Keys are stored as JSON text; a key that does not read back is an empty one (it then
 * matches nothing, which is the safe reading). */
static json_t *key_parse(struct arena *a, const char *text)
{
    json_t *k = *text ? json_loads(text, 0, NULL) : NULL;
    if (!k || !json_is_array(k)) {
        json_decref(k);
        k = json_array();
    }
    if (k && arena_on_free(a, key_release, k)) {
        json_decref(k);
        return NULL;
    }
    return k;
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
        e->key = key_parse(a, db_col_text(st, 1));
        e->label = arena_strdup(a, db_col_text(st, 2));
        e->hidden = db_col_int(st, 3) != 0;
        e->split = db_col_int(st, 4) != 0;
        e->merged_into = *merged ? key_parse(a, merged) : NULL;
        for (const char *p = pins; *p && e->npins < LISTEN_PINS_MAX;) {
            char *end;
            long long v = strtoll(p, &end, 10);
            if (end == p)
                break;
            if (v > 0)
                e->pins[e->npins++] = (int64_t)v;
            p = *end == ',' ? end + 1 : end;
        }
        rc = e->key && e->label && (!*merged || e->merged_into) ? APP_OK : APP_E_NOMEM;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

/* For each theme, the edit that goes to it (or -1): the best overlap at MATCH_AT or more,
 * greedily from the strongest pair down, so no theme takes two edits and no edit two themes. */
void listen_curation_match(const json_t *themes, const struct listen_theme_edit *edits, size_t n,
                           int *edit_of)
{
    size_t nt = json_array_size(themes);
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
            const json_t *key = json_object_get(json_array_get(themes, t), "key");
            if (edit_of[t] >= 0)
                continue;
            for (size_t e = 0; e < n; e++) {
                double o;
                if (used[e])
                    continue;
                o = listen_key_overlap(key, edits[e].key);
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
static int theme_for_key(const json_t *themes, const json_t *key)
{
    double best = MATCH_AT - 1e-9;
    int found = -1;
    size_t t;
    const json_t *th;
    json_array_foreach(themes, t, th)
    {
        double o = listen_key_overlap(json_object_get(th, "key"), key);
        if (o > best) {
            best = o;
            found = (int)t;
        }
    }
    return found;
}

/* Unites the members of from into into (by contribution id) and counts again. */
static int merge_members(json_t *into, const json_t *from)
{
    json_t *mi = json_object_get(into, "members"), *m;
    const json_t *mf = json_object_get(from, "members");
    size_t i, j;
    if (!mi || !mf)
        return APP_OK;
    json_array_foreach(mf, i, m)
    {
        json_int_t id = json_integer_value(json_array_get(m, 0));
        bool have = false;
        for (j = 0; j < json_array_size(mi) && !have; j++)
            have = json_integer_value(json_array_get(json_array_get(mi, j), 0)) == id;
        if (!have && json_array_append(mi, m))
            return APP_E_NOMEM;
    }
    return listen_theme_stats(into);
}

/* Adds the quotes of from to to, up to 3 in all, leaving out any already there or pinned. */
static int append_unpinned(json_t *to, const json_t *from, const json_t *pinned)
{
    size_t i;
    const json_t *q;
    json_array_foreach(from, i, q)
    {
        bool dup = false;
        if (json_array_size(to) >= 3)
            break;
        for (size_t j = 0; j < json_array_size(to); j++)
            dup |= json_equal(json_array_get(to, j), q);
        for (size_t j = 0; j < json_array_size(pinned); j++)
            dup |= json_equal(json_object_get(json_array_get(pinned, j), "text"), q);
        if (!dup && json_array_append(to, (json_t *)q))
            return APP_E_NOMEM;
    }
    return APP_OK;
}

/* Lists the pinned contributions (they lead the theme's quotes) and keeps them out of the
 * citizens' and professionals' quotes, so none is shown twice. */
static int apply_pins(struct db *db, int64_t exercise_id, json_t *th,
                      const struct listen_theme_edit *e)
{
    json_t *pinned = json_array(), *cit = json_array(), *pro = json_array();
    json_t *old_c = json_object_get(th, "quotes_citizens");
    json_t *old_p = json_object_get(th, "quotes_professionals");
    int rc = pinned && cit && pro ? APP_OK : APP_E_NOMEM;
    for (size_t k = 0; !rc && k < e->npins; k++) {
        struct db_stmt *st = NULL;
        int r = db_row(db, SQL_LE_PIN_TEXT, &st, "ii", e->pins[k], exercise_id);
        if (r == APP_OK) {
            /* listed once, first, in "pinned"; the two sides then leave it out */
            json_t *text = json_string(db_col_text(st, 0));
            if (!text || json_array_append_new(pinned, json_pack("{s:I, s:o}", "id",
                                                                 (json_int_t)e->pins[k], "text",
                                                                 text)))
                rc = APP_E_NOMEM;
        } else if (r != APP_E_NOTFOUND) { /* a pin on a contribution since hidden: left out */
            rc = r;
        }
        db_finalize(st);
    }
    /* then the computed quotes not already pinned, keeping at most 3 a side */
    if (!rc)
        rc = append_unpinned(cit, old_c, pinned);
    if (!rc)
        rc = append_unpinned(pro, old_p, pinned);
    if (!rc && (json_object_set_new(th, "pinned", pinned) ||
                json_object_set_new(th, "quotes_citizens", cit) ||
                json_object_set_new(th, "quotes_professionals", pro)))
        return APP_E_NOMEM;
    if (rc) {
        json_decref(pinned);
        json_decref(cit);
        json_decref(pro);
    }
    return rc;
}

int listen_curation_apply(struct db *db, int64_t exercise_id, json_t *themes,
                          const struct listen_theme_edit *edits, size_t n, bool for_report)
{
    size_t nt = json_array_size(themes);
    int *edit_of = calloc(nt + 1, sizeof *edit_of);
    bool *drop = calloc(nt + 1, sizeof *drop);
    int rc = edit_of && drop ? APP_OK : APP_E_NOMEM;
    if (rc)
        goto done;
    listen_curation_match(themes, edits, n, edit_of);
    /* merges first, so a renamed target shows its new name over the united members */
    for (size_t t = 0; !rc && t < nt; t++) {
        const struct listen_theme_edit *e = edit_of[t] >= 0 ? &edits[edit_of[t]] : NULL;
        json_t *th = json_array_get(themes, t);
        int into;
        if (!e || !e->merged_into)
            continue;
        into = theme_for_key(themes, e->merged_into);
        if (into < 0 || (size_t)into == t)
            continue; /* the target is gone from this run: the theme stands alone */
        rc = merge_members(json_array_get(themes, (size_t)into), th);
        if (!rc)
            rc = json_object_set_new(
                     th, "merged_into",
                     json_copy(json_object_get(json_array_get(themes, (size_t)into), "label")))
                     ? APP_E_NOMEM
                     : APP_OK;
        drop[t] = true;
    }
    for (size_t t = 0; !rc && t < nt; t++) {
        const struct listen_theme_edit *e = edit_of[t] >= 0 ? &edits[edit_of[t]] : NULL;
        json_t *th = json_array_get(themes, t);
        if (json_object_set_new(th, "edited", json_boolean(e != NULL)) ||
            json_object_set_new(th, "hidden", json_boolean(e && e->hidden)) ||
            json_object_set_new(th, "split_requested", json_boolean(e && e->split))) {
            rc = APP_E_NOMEM;
            break;
        }
        if (!e)
            continue;
        if (*e->label && (json_object_set(th, "computed_label", json_object_get(th, "label")) ||
                          json_object_set_new(th, "label", json_string(e->label))))
            rc = APP_E_NOMEM;
        if (!rc && e->npins)
            rc = apply_pins(db, exercise_id, th, e);
        if (e->hidden)
            drop[t] = true;
    }
    if (!rc && for_report)
        for (size_t t = nt; t-- > 0;)
            if (drop[t])
                json_array_remove(themes, t);
done:
    free(edit_of);
    free(drop);
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

static int key_text(const json_t *key, struct buf *b)
{
    if (json_dump_callback(key, buf_append_cb, b, JSON_COMPACT | JSON_ENSURE_ASCII))
        return APP_E_NOMEM;
    buf_putc(b, '\0');
    return buf_oom(b) ? APP_E_NOMEM : APP_OK;
}

int listen_curation_edit(struct db *db, int64_t exercise_id, const json_t *key, const char *action,
                         const char *value, const json_t *into, int64_t contribution, int64_t by)
{
    struct arena *a = arena_new();
    struct listen_theme_edit *edits = NULL, cur;
    struct buf keyb = BUF_INIT, intob = BUF_INIT, pins = BUF_INIT;
    size_t n = 0;
    int found = -1, rc;
    double best = MATCH_AT - 1e-9;
    if (!a)
        return APP_E_NOMEM;
    if (!json_is_array(key) || json_array_size(key) == 0 || !action) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = listen_curation_load(db, a, exercise_id, &edits, &n)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        double o = listen_key_overlap(key, edits[i].key);
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
        if (!json_is_array(into) || !json_array_size(into) || listen_key_overlap(into, key) >= 1) {
            rc = APP_E_INVALID;
            goto done;
        }
        cur.merged_into = (json_t *)into;
    } else if (!strcmp(action, "unmerge")) {
        cur.merged_into = NULL;
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
    if (cur.merged_into && (rc = key_text(cur.merged_into, &intob)))
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

/* Shared by the analysis (every term) and the actions page (the first few). */
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
