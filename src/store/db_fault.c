/* db_fault.c: test hook that makes the nth database call fail
 *
 * A global countdown shared by every connection and thread, the same idea as
 * arena_fail_after(): once it reaches the nth call, that call and all later ones fail until
 * the test turns it off, so a fault test can walk n = 1, 2, … over an operation and prove
 * each failure point leaves nothing half-written. It costs one atomic load when off.
 */
#include "db.h"

#include <limits.h>
#include <stdatomic.h>

static atomic_long fault_countdown;

void db_fault_after(long n)
{
    atomic_store(&fault_countdown, n > 0 ? n : 0);
}

bool db_fault_hit(void)
{
    long v = atomic_load(&fault_countdown);
    while (v > 0) {
        if (v == 1)
            return true; /* stays at 1: every later call fails too */
        if (atomic_compare_exchange_weak(&fault_countdown, &v, v - 1))
            return false;
    }
    return false;
}

/* Counting is a countdown that never reaches 1: LONG_MAX less what is left is the count. */
void db_fault_count_start(void)
{
    atomic_store(&fault_countdown, LONG_MAX);
}

long db_fault_count(void)
{
    long v = atomic_load(&fault_countdown);
    return v > 0 ? LONG_MAX - v : 0;
}
