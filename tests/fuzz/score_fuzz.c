/* score_fuzz.c: libFuzzer target for the mentoring profile reader (src/connect/score.c)
 *
 * Arbitrary input is read as a mentee file and as a mentor file. Oracles: an error always
 * comes with a message naming the file; a success gives people with a non-empty id, a band
 * in range and a line within the input; and every pair of a mentee and a mentor read from
 * the same bytes can be scored and explained without a crash, with a score that is a whole
 * number of points.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "connect/match.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct score_people side[2];
    bool ok[2];
    char err[512];
    if (!a)
        return 0;
    for (int w = 0; w < 2; w++) {
        int rc = score_read_people(a, w == 1, "f.csv", (const char *)data, size, &side[w], err,
                                   sizeof err);
        ok[w] = rc == APP_OK;
        if (rc == APP_E_INVALID && strncmp(err, "f.csv:", 6) != 0)
            __builtin_trap();
        for (size_t i = 0; ok[w] && i < side[w].n; i++) {
            const struct score_person *p = &side[w].p[i];
            if (!*p->id || p->band < 1 || p->band > 12 || p->line < 2)
                __builtin_trap();
        }
    }
    if (ok[0] && ok[1])
        for (size_t i = 0; i < side[0].n && i < 20; i++)
            for (size_t j = 0; j < side[1].n && j < 20; j++) {
                struct buf b = BUF_INIT;
                int64_t s = 0;
                if (score_pair(&side[0].p[i], &side[1].p[j], &s) == SCORE_ALLOWED &&
                    (s <= 0 || s % MATCH_SCALE))
                    __builtin_trap();
                score_why(&side[0].p[i], &side[1].p[j], &b);
                buf_free(&b);
            }
    arena_free(a);
    return 0;
}
