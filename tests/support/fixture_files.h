/* fixture_files.h: reading the shared Pol.is conversations in tests and benchmarks — a file
 * whole, a number from a CSV cell, and lookups in sorted ids (tests and bench only)
 *
 * The opinion-group test, the groups benchmark and the carry benchmark each read the same
 * exports; these are the small pieces they have in common, so the three read them alike.
 */
#ifndef AHP_FIXTURE_FILES_H
#define AHP_FIXTURE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

/* The file at path, NUL-terminated, in a malloc'd buffer (*len bytes, the NUL not counted);
 * NULL when it cannot be read or memory runs out. */
char *fixture_slurp(const char *path, size_t *len);

/* A CSV cell as a whole number, spaces trimmed; false for anything else. */
bool fixture_int(struct str s, int64_t *out);

/* qsort's comparison of int64_t. */
int fixture_cmp_i64(const void *a, const void *b);

/* The index of key in the ascending v[0..n-1], or -1. */
long fixture_find_i64(const int64_t *v, size_t n, int64_t key);

/* calloc that ends the program with a message when memory runs out (benchmarks). */
void *fixture_xcalloc(size_t n, size_t size);

#endif
