/* timing.h: the clocks and the median every benchmark reports by, in one place
 *
 * Each benchmark used to carry its own copy of these few lines, and copies drift: one read
 * the clock in seconds, another took the median of a different element. Kept here so every
 * figure in bench/ is measured the same way. Static inline in a header, not a .c file,
 * because the Makefile builds each bench/NAME.c into a program of its own (a bench/timing.c
 * would be taken for a benchmark without a main).
 */
#ifndef AHP_BENCH_TIMING_H
#define AHP_BENCH_TIMING_H

#include <stddef.h>
#include <stdlib.h>
#include <time.h>

/* Wall-clock seconds from an arbitrary start (CLOCK_MONOTONIC: never steps back). */
static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This process's CPU seconds, all its threads: beside the wall clock on a shared machine. */
static inline double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort's comparison for doubles, smallest first. */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the n (> 0) values in v, which it sorts: the middle one, the upper middle
 * when n is even. */
static inline double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

#endif
