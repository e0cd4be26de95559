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
#include "core/hourly_count.h"

#include <string.h>

#define PER_CLIENT  10
#define PER_ADDRESS 3

int reset_limit_take(struct hourly_count *counts, const unsigned char client[16], const char *email,
                     int64_t now)
{
    const struct hourly_key keys[] = {{"client", client, 16, PER_CLIENT},
                                      {"address", email, strlen(email), PER_ADDRESS}};
    return hourly_count_take(counts, keys, 2, now);
}
