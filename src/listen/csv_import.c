/* csv_import.c: survey answers from any CSV (one text column, optional audience,
 * profession and region columns) read into an import plan and written as a new exercise */
#include "listen/import.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"

#include <string.h>
#include <time.h>

/* ---- generic survey CSV ----------------------------------------------------------------- */

/* Lower-case ASCII with runs of white space made one space and the ends trimmed, into out
 * (NUL-terminated, truncated to outlen - 1). */
static void fold(struct str s, char *out, size_t outlen)
{
    size_t j = 0;
    bool space = false;
    for (size_t i = 0; i < s.len && j + 1 < outlen; i++) {
        char c = s.p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = j > 0;
            continue;
        }
        if (space && j + 2 < outlen)
            out[j++] = ' ';
        space = false;
        out[j++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out[j] = '\0';
}

static const char *audience_code(struct str s)
{
    static const struct {
        const char *text, *code;
    } words[] = {
        {"citizen", "citizen"},
        {"citizens", "citizen"},
        {"member of the public", "citizen"},
        {"members of the public", "citizen"},
        {"a member of the public", "citizen"},
        {"public", "citizen"},
        {"patient", "citizen"},
        {"patient or carer", "citizen"},
        {"carer", "citizen"},
        {"service user", "citizen"},
        {"ahp", "ahp"},
        {"ahps", "ahp"},
        {"allied health professional", "ahp"},
        {"allied health professionals", "ahp"},
        {"an allied health professional", "ahp"},
        {"staff", "staff"},
        {"other health and care staff", "staff"},
        {"health and care staff", "staff"},
        {"other staff", "staff"},
        {"nhs staff", "staff"},
    };
    char f[64];
    fold(s, f, sizeof f);
    while (*f && f[strlen(f) - 1] == '.')
        f[strlen(f) - 1] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(f, words[i].text))
            return words[i].code;
    return "";
}

/* The code of the item whose code or name is s (ignoring case and extra spaces), or "". */
static const char *ref_code(const struct ref_item *items, size_t n, struct str s)
{
    char f[96], g[96];
    fold(s, f, sizeof f);
    if (!*f)
        return "";
    for (size_t i = 0; i < n; i++) {
        fold(str_from(items[i].code), g, sizeof g);
        if (!strcmp(f, g))
            return items[i].code;
        fold(str_from(items[i].name), g, sizeof g);
        if (!strcmp(f, g))
            return items[i].code;
    }
    return "";
}

/* Reports that the column wanted is missing, listing the ones there are. */
static void report_columns(struct import_report *rep, const struct csv_record *hdr,
                           const char *what, const char *want)
{
    char list[IMPORT_ERROR_LEN];
    size_t j = 0;
    list[0] = '\0';
    for (size_t i = 0; i < hdr->nfields && j + 1 < sizeof list; i++) {
        int k = snprintf(list + j, sizeof list - j, "%s\"%s\"", i ? ", " : "", hdr->fields[i].p);
        if (k < 0)
            break;
        j += (size_t)k;
    }
    if (j >= sizeof list)
        j = sizeof list - 1;
    list[j] = '\0';
    import_report_add(rep, "line %zu: there is no %s column \"%s\"; the columns are: %s", hdr->line,
                      what, want, list);
}

int listen_import_csv(struct db *db, const char *data, size_t n, const struct csv_import_opts *o,
                      int64_t created_by, int64_t *exercise_id, struct import_report *rep)
{
    static const char *const what[] = {"text", "audience", "profession", "region"};
    struct import_report spare;
    struct arena *a = arena_new();
    struct csv_reader r;
    struct csv_record rec;
    struct plan pl = {0};
    size_t cap_parts = 0, cap_contribs = 0, width = 0, row = 0;
    const char *names[4];
    int col[4] = {-1, -1, -1, -1};
    int64_t now = (int64_t)time(NULL);
    bool got;
    int rc = APP_OK;
    if (!rep)
        rep = &spare;
    memset(rep, 0, sizeof *rep);
    if (exercise_id)
        *exercise_id = 0;
    csv_open(&r, data, n);
    if (!a) {
        rc = APP_E_NOMEM;
        goto done;
    }
    names[0] = o->text_column;
    names[1] = o->audience_column;
    names[2] = o->profession_column;
    names[3] = o->region_column;
    if (!names[0] || !*names[0]) {
        import_report_add(rep, "choose the column that holds the text");
        goto done;
    }
    if ((rc = import_next_record(&r, &rec, &got, "", rep)))
        goto done;
    if (!got) {
        import_report_add(rep, "the file is empty");
        goto done;
    }
    width = rec.nfields;
    for (int i = 0; i < 4; i++) {
        if (!names[i] || !*names[i])
            continue;
        if ((col[i] = csv_column_loose(&rec, names[i])) < 0)
            report_columns(rep, &rec, what[i], names[i]);
    }
    if (import_report_failed(rep))
        goto done;
    {
        struct str h = str_trim(rec.fields[col[0]]);
        if (!(pl.prompt = arena_strndup(a, h.p, h.len))) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    while ((rc = import_next_record(&r, &rec, &got, "", rep)) == APP_OK && got) {
        struct str text = csv_get(&rec, col[0]);
        struct plan_part *pp;
        struct plan_contrib *pc;
        row++;
        if (rec.nfields > width) {
            import_report_add(rep, "line %zu: %zu fields where the header has %zu", rec.line,
                              rec.nfields, width);
            continue;
        }
        while (text.len && strchr(" \t\r\n", text.p[0])) {
            text.p++;
            text.len--;
        }
        while (text.len && strchr(" \t\r\n", text.p[text.len - 1]))
            text.len--;
        if (!text.len) {
            rep->skipped++;
            continue;
        }
        pl.parts = arena_grow(a, pl.parts, pl.nparts + 1, &cap_parts, sizeof *pl.parts);
        pl.contribs =
            arena_grow(a, pl.contribs, pl.ncontribs + 1, &cap_contribs, sizeof *pl.contribs);
        if (!pl.parts || !pl.contribs) {
            rc = APP_E_NOMEM;
            goto done;
        }
        pp = &pl.parts[pl.nparts];
        pc = &pl.contribs[pl.ncontribs];
        pp->pseudonym = arena_printf(a, "row-%zu", row);
        pp->audience = col[1] >= 0 ? audience_code(csv_get(&rec, col[1])) : "";
        pp->profession =
            col[2] >= 0 ? ref_code(professions, professions_count, csv_get(&rec, col[2])) : "";
        pp->region = col[3] >= 0 ? ref_code(regions, regions_count, csv_get(&rec, col[3])) : "";
        pp->created_at = now;
        pc->part = pl.nparts;
        pc->text.p = arena_strndup(a, text.p, text.len);
        pc->text.len = text.len;
        pc->status = "approved";
        pc->source_id = "";
        pc->created_at = now;
        if (!pp->pseudonym || !pc->text.p) {
            rc = APP_E_NOMEM;
            goto done;
        }
        pl.nparts++;
        pl.ncontribs++;
    }
    if (rc)
        goto done;
    if (pl.ncontribs == 0 && !import_report_failed(rep))
        import_report_add(rep, "no row has any text in the column \"%s\"", names[0]);
    if (import_report_failed(rep))
        goto done;
    pl.title = str_trim(str_from(o->title)).len ? o->title : "Imported responses";
    pl.summary_md = "";
    pl.opens_at = pl.closes_at = 0;
    rc = import_plan_write(db, &pl, created_by, exercise_id, rep);
done:
    csv_close(&r);
    arena_free(a);
    if (rc == APP_OK && import_report_failed(rep))
        rc = APP_E_INVALID;
    if (rc != APP_OK) {
        rep->comments = rep->participants = rep->votes = rep->skipped = 0;
        if (rc == APP_E_NOMEM && !import_report_failed(rep))
            import_report_add(rep, "out of memory; nothing was imported");
    }
    return rc;
}
