/* sets_input_fuzz.c: libFuzzer target for what a programme lead types into action learning
 * sets — the pasted keep-apart pairs and the day, month and year of a meeting
 *
 * Any bytes must give no crash and no read past the end, and: every pair read names two
 * different people of the cohort; a pair list is either read whole or refused with a
 * message; a date read is a whole day (00:00 UTC) whose fields, written back, read as the
 * same day.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/set.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct set_person people[] = {
        {1, "a@nhs.net", "A", "", "", 0, ""},
        {2, "b@nhs.net", "B", "", "", 0, ""},
        {3, "c.d@trust.nhs.uk", "C", "", "", 0, ""},
    };
    struct arena *a = arena_new();
    char *text = malloc(size + 1);
    struct connect_pair *pairs = NULL;
    size_t n = 0;
    struct set_why why = {0};
    int rc;
    if (!a || !text) {
        arena_free(a);
        free(text);
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    rc = connect_split_parse_pairs(a, text, people, 3, &pairs, &n, &why);
    if (rc == APP_OK) {
        for (size_t i = 0; i < n; i++)
            if (pairs[i].a == pairs[i].b || pairs[i].a < 1 || pairs[i].a > 3 || pairs[i].b < 1 ||
                pairs[i].b > 3)
                abort();
    } else if (rc == APP_E_INVALID && !why.message) {
        abort();
    }
    /* the same bytes split in thirds as a date's day, month and year, read by the rule every
     * date input shares (core/date.h) */
    {
        size_t third = size / 3;
        char *d = arena_strndup(a, text, third), *m = arena_strndup(a, text + third, third);
        char *y = arena_strndup(a, text + 2 * third, size - 2 * third);
        int64_t t = 0;
        if (d && m && y && !date_from_parts(d, m, y, &t) && t) {
            char dd[16], mm[16], yy[16];
            int64_t back = 0;
            int di, mi, yi;
            if (t % 86400)
                abort();
            date_to_parts(t, &di, &mi, &yi);
            snprintf(dd, sizeof dd, "%d", di);
            snprintf(mm, sizeof mm, "%d", mi);
            snprintf(yy, sizeof yy, "%d", yi);
            if (date_from_parts(dd, mm, yy, &back) || back != t)
                abort();
        }
    }
    arena_free(a);
    free(text);
    return 0;
}
