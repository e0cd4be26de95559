/* par.c: contiguous row ranges on a few threads (see par.h for when that is allowed)
 *
 * Threads are started per call rather than kept in a pool: a call is a pass over a matrix of
 * many thousand rows, milliseconds of work, so the ~20 microseconds of starting a thread do
 * not show, and nothing outlives the call (no shutdown to get right in the server, the CLI
 * or the tests).
 */
#include "text/par.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 4
#define MIN_ROWS    2048 /* below this a loop is too short to share */

struct part {
    par_fn fn;
    void *ctx;
    size_t lo, hi;
};

static void *run_part(void *arg)
{
    struct part *p = arg;
    p->fn(p->ctx, p->lo, p->hi);
    return NULL;
}

static pthread_once_t threads_once = PTHREAD_ONCE_INIT;
static int nthreads = 1;

static void threads_init(void)
{
    const char *env = getenv("AHPHUB_THREADS_TEXT");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int par_threads(void)
{
    pthread_once(&threads_once, threads_init);
    return nthreads;
}

void par_set_threads(int n)
{
    pthread_once(&threads_once, threads_init);
    nthreads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

void par_rows(size_t n, const size_t *cost, par_fn fn, void *ctx)
{
    struct part parts[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    int t = par_threads();
    size_t lo = 0;
    if (t < 2 || n < MIN_ROWS) {
        fn(ctx, 0, n);
        return;
    }
    for (int i = 0; i < t; i++) {
        size_t hi = n;
        if (i < t - 1) {
            if (cost) { /* the first row where the running cost reaches (i+1)/t of the total */
                size_t target = cost[0] + (cost[n] - cost[0]) / (size_t)t * (size_t)(i + 1);
                size_t a = lo, b = n;
                while (a < b) {
                    size_t mid = a + (b - a) / 2;
                    if (cost[mid] < target)
                        a = mid + 1;
                    else
                        b = mid;
                }
                hi = a;
            } else {
                hi = n / (size_t)t * (size_t)(i + 1);
            }
        }
        parts[i] = (struct part){fn, ctx, lo, hi};
        lo = hi;
    }
    for (int i = 1; i < t; i++)
        started[i] = pthread_create(&tid[i], NULL, run_part, &parts[i]) == 0;
    run_part(&parts[0]);
    for (int i = 1; i < t; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            run_part(&parts[i]); /* no thread to be had: do it here */
    }
}
