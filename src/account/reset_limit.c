/* reset_limit.c: how often password reset links may be asked for — per network client and
 * per email address, in this process's memory
 *
 * A request for a reset link costs nobody a password guess, so login_throttle (which counts
 * failures and locks, doubling) does not fit: here every request counts, in one-hour
 * windows. Per client it stops one machine from mailing links to many addresses; per address
 * it stops many machines from flooding one person's inbox. Both counts must be kept for
 * addresses that have no account too, or the limit itself would tell which addresses do —
 * which is why they live in memory (core/hourly_count.h, as keyed hashes) and not in the
 * database (account rows exist only for known addresses).
 */
#include "account/links.h"
#include "core/err.h"
#include "core/hourly_count.h"

#include <stdlib.h>
#include <string.h>

#define PER_CLIENT  10
#define PER_ADDRESS 3

struct reset_limit {
    struct hourly_count *counts;
};

int reset_limit_new(struct reset_limit **out)
{
    struct reset_limit *l = calloc(1, sizeof *l);
    int rc;
    *out = NULL;
    if (!l)
        return APP_E_NOMEM;
    if ((rc = hourly_count_new(&l->counts))) {
        free(l);
        return rc;
    }
    *out = l;
    return APP_OK;
}

void reset_limit_free(struct reset_limit *l)
{
    if (!l)
        return;
    hourly_count_free(l->counts);
    free(l);
}

int reset_limit_take(struct reset_limit *l, const unsigned char client[16], const char *email,
                     int64_t now)
{
    const struct hourly_key keys[] = {{"client", client, 16, PER_CLIENT},
                                      {"address", email, strlen(email), PER_ADDRESS}};
    return hourly_count_take(l->counts, keys, 2, now);
}

int64_t reset_limit_wait(int64_t now)
{
    return hourly_count_wait(now);
}
