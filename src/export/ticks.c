/* ticks.c: round numbers for a chart's axis (see ticks.h) */
#include "export/ticks.h"

#include <math.h>
#include <stddef.h>

double nice_ticks(double max, int intervals, double min_top, double *step)
{
    static const double mult[] = {1, 2, 2.5, 3, 4, 5, 6, 8};
    double want, mag, s = 1;
    if (!isfinite(max) || max < 0)
        max = 0;
    if (!isfinite(min_top) || min_top < 0)
        min_top = 0;
    if (intervals < 1)
        intervals = 1;
    if (max < min_top)
        max = min_top;
    want = max / intervals;
    if (want < 1)
        want = 1; /* the scales count things: whole-number steps */
    mag = pow(10, floor(log10(want)));
    s = 10 * mag;
    for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
        double c = mult[i] * mag;
        if (mult[i] == 2.5 && mag < 10)
            continue; /* 2.5 steps would print halves under 25 */
        if (c >= want - 1e-9 * want) {
            s = c;
            break;
        }
    }
    if (step)
        *step = s;
    return s * intervals < 1 ? 1 : s * intervals;
}
