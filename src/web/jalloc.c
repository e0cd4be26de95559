/* jalloc.c: arena-backed allocation for jansson, with a tag per block */
#include "web/jalloc.h"
#include "core/arena.h"

#include <jansson.h>
#include <stdlib.h>

/* The tag sits in a 16-byte header so the block stays aligned for any type. */
#define HDR 16
enum { FROM_MALLOC = 0x6d616c6c, FROM_ARENA = 0x6172656e };

static _Thread_local struct arena *current;

static void *jmalloc(size_t n)
{
    unsigned char *p;
    if (n > (size_t)-1 - HDR)
        return NULL;
    p = current ? arena_alloc(current, n + HDR) : malloc(n + HDR);
    if (!p)
        return NULL;
    *(unsigned *)p = current ? FROM_ARENA : FROM_MALLOC;
    return p + HDR;
}

static void jfree(void *ptr)
{
    unsigned char *p;
    if (!ptr)
        return;
    p = (unsigned char *)ptr - HDR;
    if (*(unsigned *)p == FROM_MALLOC)
        free(p);
    /* arena blocks go when the request's arena is freed */
}

void jalloc_install(void)
{
    json_set_alloc_funcs(jmalloc, jfree);
}

struct arena *jalloc_use(struct arena *a)
{
    struct arena *prev = current;
    current = a;
    return prev;
}
