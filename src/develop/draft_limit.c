/* draft_limit.c: how many new 360° drafts a network client may start — in this process's
 * memory, per client, in one-hour windows
 *
 * Anyone holding a rater's link can save through it, and each browser that does keeps a draft
 * of its own (feedback.h, rule 9): a script that throws its cookie away each time would store
 * a new draft of up to two comments of FEEDBACK_TEXT_MAX characters with every save, until
 * the request closes. A cap per link cannot stop that without leaking: a link that refused a
 * new draft would tell the member, who holds every link, that someone (the rater) had taken
 * one of its places. So the count is per network client, across every link, and only a draft
 * that does not exist yet counts: a browser saving again on a link it has a draft on is never
 * refused, nor is anything already saved ever lost.
 *
 * What the count can still say: it is shared by everyone behind one address (a trust's
 * network, say). A member on the same network as a rater could start drafts of their own
 * until refused, and from a refusal sooner than FEEDBACK_DRAFTS_PER_HOUR learn that someone
 * there started a draft this hour, on some link of some request: never which link, nor
 * whether anything was submitted. And since everyone there shares it, one person could use
 * the hour up for all of them. So the limit is set far above what a trust's raters need in an
 * hour (FEEDBACK_DRAFTS_PER_HOUR, 600): a guard against floods, not a quota, which takes
 * hundreds of new browsers an hour to probe or to exhaust. What keeps an ordinary browser
 * to a few drafts is the cap per browser key (FEEDBACK_DRAFTS_PER_BROWSER, in
 * feedback_draft_save): it counts only that browser's own drafts, so it tells nothing of
 * anyone else's. A save counted here that then fails (refused by that cap, closed, a
 * database error) gives its count back, so a failure does not use up the hour.
 *
 * Counted as the reset limit is (core/hourly_count.h): clients only as keyed hashes, in
 * memory, per server process.
 */
#include "develop/feedback.h"
#include "core/hourly_count.h"

int feedback_draft_limit_take(struct hourly_count *counts, const unsigned char client[16],
                              int64_t now)
{
    const struct hourly_key key = {"client", client, 16, FEEDBACK_DRAFTS_PER_HOUR};
    return hourly_count_take(counts, &key, 1, now);
}

void feedback_draft_limit_give(struct hourly_count *counts, const unsigned char client[16],
                               int64_t now)
{
    const struct hourly_key key = {"client", client, 16, FEEDBACK_DRAFTS_PER_HOUR};
    hourly_count_give(counts, &key, 1, now);
}
