/* fixture_files.c: reading the shared Pol.is conversations (fixture_files.h) */
#include "fixture_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fixture_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = malloc((size_t)n + 1);
        if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        }
        if (b) {
            b[n] = '\0';
            *len = (size_t)n;
        }
    }
    fclose(f);
    return b;
}

bool fixture_int(struct str s, int64_t *out)
{
    char tmp[32], *end;
    s = str_trim(s);
    if (!s.len || s.len >= sizeof tmp)
        return false;
    memcpy(tmp, s.p, s.len);
    tmp[s.len] = '\0';
    *out = strtoll(tmp, &end, 10);
    return *end == '\0';
}

int fixture_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

long fixture_find_i64(const int64_t *v, size_t n, int64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == key ? (long)lo : -1;
}

void *fixture_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}
