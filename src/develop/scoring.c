/* scoring.c: a self-assessment's result per domain
 *
 * Results are never stored: pages recompute them from the ratings against the framework
 * version the self-assessment was started on, so a result can never disagree with the
 * answers beside it. "No chance to show this" and unrated behaviours are both missing: they
 * leave the mean alone rather than pulling it towards zero, and a domain where nothing was
 * rated has no result, which a page shows as "not rated" and a comparison skips.
 */
#include "develop/develop.h"
#include "core/err.h"

#include <string.h>

int develop_score(const struct develop_framework *fw, const struct develop_answer *answers,
                  struct develop_result *out)
{
    double top;
    if (!fw || !out)
        return APP_E_INVALID;
    top = (double)fw->scale.npoints;
    for (size_t d = 0; d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        struct develop_result *r = &out[d];
        double sum = 0;
        memset(r, 0, sizeof *r);
        r->behaviours = (int)dm->nbehaviours;
        for (size_t i = 0; answers && i < dm->nbehaviours; i++) {
            int v = answers[dm->first + i].rating;
            if (v == DEVELOP_NO_CHANCE && *fw->scale.no_chance)
                r->no_chance++;
            if (v < 1 || v > (int)fw->scale.npoints)
                continue;
            sum += v;
            r->answered++;
        }
        if (!r->answered)
            continue;
        r->scored = true;
        r->mean = sum / r->answered;
        r->percent = top > 1 ? (r->mean - 1) / (top - 1) * 100 : 0;
    }
    return APP_OK;
}
