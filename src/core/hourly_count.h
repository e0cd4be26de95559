/* hourly_count.h: counts per key in one-hour windows, in this process's memory — what the
 * rate limits on asking for password reset links (account/reset_limit.c) and on starting
 * 360° drafts (develop/draft_limit.c) share
 *
 * Keys (a network client, an email address) are kept only as keyed hashes under a key made
 * at start and never stored, so nothing counted reaches disk or log, and keys that match no
 * row of the database (an address with no account) are counted like any other. Each server
 * process counts on its own (behind a balancer of N, N times a limit), and a full table
 * reuses its oldest window: a guard against floods, not an exact quota. Thread-safe.
 */
#ifndef AHP_CORE_HOURLY_COUNT_H
#define AHP_CORE_HOURLY_COUNT_H

#include <stddef.h>
#include <stdint.h>

struct hourly_count;

/* One key and its limit: kind keeps keys of different kinds apart ("client", "address"). */
struct hourly_key {
    const char *kind;
    const void *data;
    size_t len;
    int max; /* counts allowed in one hour */
};

int hourly_count_new(struct hourly_count **out);
void hourly_count_free(struct hourly_count *h);
/* Counts one for each of keys[0..n) (n at most 4) in the hour of now, unless one of them has
 * had its max this hour: then APP_E_LIMIT, and nothing is counted. */
int hourly_count_take(struct hourly_count *h, const struct hourly_key *keys, size_t n, int64_t now);
/* Gives back what hourly_count_take() counted for keys[0..n) at now (a take whose work then
 * failed): one less for each, in that hour only, never below 0. */
void hourly_count_give(struct hourly_count *h, const struct hourly_key *keys, size_t n,
                       int64_t now);
/* Seconds until the counts start afresh (the end of the current hour), for a refusal to say
 * how long to wait. */
int64_t hourly_count_wait(int64_t now);

#endif
