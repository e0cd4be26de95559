/* arena.c: region allocator with cleanup callbacks
 *
 * Blocks are chained; a request that stays small lives in the first 8 KiB block, allocated
 * with the arena header. Requests larger than a quarter of the block size get a block of
 * their own so that one big body does not waste the tail of the current block.
 */
#include "arena.h"
#include "err.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *arg;
};

struct arena {
    struct block *head;
    struct cleanup *cleanups;
    size_t total;
};

static atomic_long fail_countdown;

void arena_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

/* True when the test hook says this allocation must fail. */
static int should_fail(void)
{
    long v = atomic_load(&fail_countdown);
    while (v > 0) {
        if (v == 1)
            return 1; /* stays at 1: every later allocation fails too */
        if (atomic_compare_exchange_weak(&fail_countdown, &v, v - 1))
            return 0;
    }
    return 0;
}

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->size = size;
    b->next = NULL;
    b->used = 0;
    return b;
}

struct arena *arena_new(void)
{
    struct arena *a;
    if (should_fail())
        return NULL;
    a = malloc(sizeof(*a));
    if (!a)
        return NULL;
    a->head = block_new(ARENA_BLOCK);
    if (!a->head) {
        free(a);
        return NULL;
    }
    a->cleanups = NULL;
    a->total = 0;
    return a;
}

void arena_free(struct arena *a)
{
    struct block *b, *nb;
    struct cleanup *c, *nc;
    if (!a)
        return;
    for (c = a->cleanups; c; c = nc) {
        nc = c->next;
        c->fn(c->arg);
    }
    for (b = a->head; b; b = nb) {
        nb = b->next;
        free(b);
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    struct block *b = a->head, *nb;
    size_t need;
    if (should_fail())
        return NULL;
    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need == 0)
        need = ARENA_ALIGN;
    if (b->size - b->used >= need) {
        void *p = b->data + b->used;
        b->used += need;
        a->total += need;
        return p;
    }
    if (need > ARENA_BLOCK / 4) {
        /* A block of its own, linked behind the head so the head keeps its free tail. */
        nb = block_new(need);
        if (!nb)
            return NULL;
        nb->used = need;
        nb->next = b->next;
        b->next = nb;
        a->total += need;
        return nb->data;
    }
    nb = block_new(ARENA_BLOCK);
    if (!nb)
        return NULL;
    nb->next = b;
    a->head = nb;
    nb->used = need;
    a->total += need;
    return nb->data;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return NULL;
    p = arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p;
    if (n == SIZE_MAX)
        return NULL;
    p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *arena_grow(struct arena *a, void *arr, size_t need, size_t *cap, size_t size)
{
    size_t ncap = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return arr;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    q = arena_calloc(a, ncap, size);
    if (!q)
        return NULL;
    if (arr && *cap)
        memcpy(q, arr, *cap * size);
    *cap = ncap;
    return q;
}

int arena_on_free(struct arena *a, void (*fn)(void *), void *arg)
{
    struct cleanup *c = arena_alloc(a, sizeof(*c));
    if (!c)
        return APP_E_NOMEM;
    c->fn = fn;
    c->arg = arg;
    c->next = a->cleanups;
    a->cleanups = c;
    return APP_OK;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
