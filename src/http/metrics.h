/* metrics.h: request counters and latency histogram, exposed in Prometheus text format */
#ifndef AHP_METRICS_H
#define AHP_METRICS_H

#include <stddef.h>

#include "core/buf.h"

struct metrics;

/* Counters for nroutes routes (+1 slot for requests that matched none). NULL when OOM. */
struct metrics *metrics_new(size_t nroutes);
void metrics_free(struct metrics *m);
/* Records one finished request. route_idx == nroutes means "no route". Lock-free. */
void metrics_observe(struct metrics *m, size_t route_idx, int status, double seconds);
/* Counts a database failure seen by a request. */
void metrics_db_error(struct metrics *m);
/* Writes the Prometheus text exposition; route names come from the route table. */
void metrics_write(struct metrics *m, struct buf *b);

#endif
