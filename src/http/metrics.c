/* metrics.c: lock-free counters (C11 atomics), one row per route and status
 *
 * Statuses are counted in fixed slots, the ones this program answers with; anything else
 * lands in "other" so the array never grows at run time.
 */
#include "http/metrics.h"
#include "http/handler.h"

#include <stdatomic.h>
#include <stdlib.h>

static const int status_slots[] = {200, 201, 204, 303, 304, 400, 401, 403, 404,
                                   405, 409, 413, 415, 429, 431, 500, 503, 0};
#define NSTATUS (sizeof status_slots / sizeof status_slots[0])
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

struct metrics {
    size_t nroutes;
    atomic_ullong *counts; /* (nroutes + 1) * NSTATUS */
    atomic_ullong hist[NBUCKETS + 1];
    atomic_ullong sum_us;
    atomic_ullong db_errors;
};

struct metrics *metrics_new(size_t nroutes)
{
    struct metrics *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nroutes = nroutes;
    m->counts = calloc((nroutes + 1) * NSTATUS, sizeof *m->counts);
    if (!m->counts) {
        free(m);
        return NULL;
    }
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    free(m->counts);
    free(m);
}

void metrics_observe(struct metrics *m, size_t route_idx, int status, double seconds)
{
    size_t s, b;
    if (!m)
        return;
    if (route_idx > m->nroutes)
        route_idx = m->nroutes;
    for (s = 0; s < NSTATUS - 1 && status_slots[s] != status; s++)
        ;
    atomic_fetch_add_explicit(&m->counts[route_idx * NSTATUS + s], 1, memory_order_relaxed);
    for (b = 0; b < NBUCKETS && seconds > buckets[b]; b++)
        ;
    atomic_fetch_add_explicit(&m->hist[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_us, (unsigned long long)(seconds * 1e6),
                              memory_order_relaxed);
}

void metrics_db_error(struct metrics *m)
{
    if (m)
        atomic_fetch_add_explicit(&m->db_errors, 1, memory_order_relaxed);
}

void metrics_write(struct metrics *m, struct buf *b)
{
    unsigned long long total = 0, cum = 0;
    buf_puts(b, "# HELP ahphub_http_requests_total HTTP requests by route and status.\n"
                "# TYPE ahphub_http_requests_total counter\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        const char *name = r < m->nroutes ? routes[r].name : "unmatched";
        for (size_t s = 0; s < NSTATUS; s++) {
            unsigned long long v = atomic_load(&m->counts[r * NSTATUS + s]);
            if (!v)
                continue;
            if (status_slots[s])
                buf_printf(b, "ahphub_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                           name, status_slots[s], v);
            else
                buf_printf(b, "ahphub_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                           name, v);
        }
    }
    buf_puts(b, "# HELP ahphub_http_request_duration_seconds Time to answer a request.\n"
                "# TYPE ahphub_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= NBUCKETS; i++)
        total += atomic_load(&m->hist[i]);
    for (size_t i = 0; i < NBUCKETS; i++) {
        cum += atomic_load(&m->hist[i]);
        buf_printf(b, "ahphub_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[i],
                   cum);
    }
    buf_printf(b, "ahphub_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", total);
    buf_printf(b, "ahphub_http_request_duration_seconds_sum %.6f\n",
               (double)atomic_load(&m->sum_us) / 1e6);
    buf_printf(b, "ahphub_http_request_duration_seconds_count %llu\n", total);
    buf_printf(b, "# HELP ahphub_db_errors_total Database calls that failed.\n"
                  "# TYPE ahphub_db_errors_total counter\n"
                  "ahphub_db_errors_total %llu\n",
               atomic_load(&m->db_errors));
}
