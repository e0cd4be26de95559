/* catalogue_row_fuzz.c: libFuzzer target for the check of a catalogue activity
 * (develop_activity_check) on the fields of one CSV row, as the import gives them
 *
 * The input is a CSV file; each record's fields fill the activity's text fields in the
 * import's column order (without the id). Beyond "no crash, no leak", a refusal must be
 * APP_E_INVALID with at least one message naming a field, or APP_E_NOMEM; and an activity
 * that passes must write back as text (develop_activity_text) that passes again and writes
 * back the same text, so an export always imports unchanged. A difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "develop/catalogue.h"
#include "export/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fw_ids[] = {"system", "vision", "equality"};
static const char *fw_titles[] = {"System", "Vision", "Equality"};
static const char *in_ids[] = {"leadership", "data"};
static const char *in_titles[] = {"Digital leadership", "Data"};
static struct develop_area_source list[] = {
    {false, "ahp-clinical-leadership", "AHP clinical leadership", fw_ids, fw_titles, 3},
    {true, "ahp-digital-capability", "AHP digital capability", in_ids, in_titles, 2},
};
static const struct develop_area_sources sources = {list, 2};

static const char *field(struct arena *a, const struct csv_record *rec, int i)
{
    struct str v = csv_get(rec, i);
    return arena_strndup(a, v.p ? v.p : "", v.len);
}

static int same(const char *x, const char *y)
{
    return !strcmp(x ? x : "", y ? y : "");
}

static void one(struct arena *a, const struct csv_record *rec)
{
    struct develop_activity_input in = {0}, t1, t2;
    struct develop_activity act, again;
    struct develop_field_error *errs;
    size_t n;
    int rc;
    in.title = field(a, rec, 0);
    in.kind = field(a, rec, 1);
    in.provider = field(a, rec, 2);
    in.description = field(a, rec, 3);
    in.mode = field(a, rec, 4);
    in.duration = field(a, rec, 5);
    in.hours = field(a, rec, 6);
    in.cost = field(a, rec, 7);
    in.region = field(a, rec, 8);
    in.link = field(a, rec, 9);
    in.framework_domains = field(a, rec, 10);
    in.assess_domains = field(a, rec, 11);
    in.status = field(a, rec, 12);
    in.cost_pounds = field(a, rec, 13);
    rc = develop_activity_check(a, &sources, &in, &act, &errs, &n);
    if (rc == APP_E_NOMEM)
        return;
    if (rc == APP_E_INVALID) {
        if (!n || !errs[0].field || !errs[0].message || !*errs[0].message)
            abort();
        return;
    }
    if (rc || develop_activity_text(a, &act, &t1))
        abort();
    if (develop_activity_check(a, &sources, &t1, &again, &errs, &n) ||
        develop_activity_text(a, &again, &t2))
        abort();
    if (!same(t1.title, t2.title) || !same(t1.kind, t2.kind) || !same(t1.hours, t2.hours) ||
        !same(t1.cost, t2.cost) || !same(t1.cost_pounds, t2.cost_pounds) ||
        !same(t1.region, t2.region) || !same(t1.link, t2.link) ||
        !same(t1.framework_domains, t2.framework_domains) ||
        !same(t1.assess_domains, t2.assess_domains) || !same(t1.status, t2.status) ||
        !same(t1.description, t2.description))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct csv_reader r;
    struct csv_record rec;
    bool got;
    if (!a)
        return 0;
    csv_open(&r, (const char *)data, size);
    while (!csv_next(&r, &rec, &got, NULL, 0) && got)
        one(a, &rec);
    csv_close(&r);
    arena_free(a);
    return 0;
}
