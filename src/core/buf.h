/* buf.h: growable malloc-backed byte buffer with sticky out-of-memory
 *
 * Appends never fail loudly: after the first failed allocation the buffer is marked oom,
 * later appends do nothing, and the owner checks buf_oom() once at the end (the SQLite idea).
 * The data is always NUL-terminated when len > 0 or after any append, so it can be
 * passed to C string functions. Response bodies are built here and handed to
 * libmicrohttpd with buf_detach().
 */
#ifndef AHP_BUF_H
#define AHP_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data; /* malloc'd, owned by the buffer until buf_detach() */
    size_t len;
    size_t cap;
    bool oom;
};

#define BUF_INIT {NULL, 0, 0, false}

void buf_init(struct buf *b);
/* Frees the data; the buffer is empty and usable again. */
void buf_free(struct buf *b);
/* Keeps the memory, forgets the contents. */
void buf_reset(struct buf *b);
/* Makes room for n more bytes. Returns 0 or APP_E_NOMEM (and sets oom). */
int buf_reserve(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n bytes at p to the struct buf data points at; 0, or -1 once out of memory (which
 * stops the dump). The shape of jansson's json_dump_callback, so JSON is written straight
 * into a buffer without an intermediate string. */
int buf_append_cb(const char *p, size_t n, void *data);
/* True if any append failed since init/reset. */
bool buf_oom(const struct buf *b);
/* Hands the data to the caller (who frees it with free()) and empties the buffer. Returns
 * NULL if the buffer is oom (and frees it). An empty buffer yields a malloc'd "". */
char *buf_detach(struct buf *b, size_t *len);

#endif
