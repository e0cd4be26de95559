/* buf.c: growable byte buffer */
#include "buf.h"
#include "err.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void buf_free(struct buf *b)
{
    free(b->data);
    buf_init(b);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->oom = false;
    if (b->data)
        b->data[0] = '\0';
}

int buf_reserve(struct buf *b, size_t n)
{
    size_t want, cap;
    char *p;
    if (b->oom)
        return APP_E_NOMEM;
    if (n > SIZE_MAX - b->len - 1)
        goto fail;
    want = b->len + n + 1; /* room for the terminating NUL */
    if (want <= b->cap)
        return APP_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        goto fail;
    b->data = p;
    b->cap = cap;
    return APP_OK;
fail:
    b->oom = true;
    return APP_E_NOMEM;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    buf_append(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

bool buf_oom(const struct buf *b)
{
    return b->oom;
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p;
    if (b->oom) {
        buf_free(b);
        if (len)
            *len = 0;
        return NULL;
    }
    if (!b->data) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
        if (len)
            *len = 0;
        return p;
    }
    p = b->data;
    if (len)
        *len = b->len;
    buf_init(b);
    return p;
}

int buf_append_cb(const char *p, size_t n, void *data)
{
    buf_append(data, p, n);
    return buf_oom(data) ? -1 : 0;
}
