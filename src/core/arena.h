/* arena.h: region allocator; everything a request allocates dies with its arena
 *
 * An arena hands out memory from large blocks and frees them all at once in arena_free().
 * Non-memory resources (prepared statements, temporary files) register a cleanup with
 * arena_on_free(); cleanups run in reverse order of registration, before the blocks go.
 * An arena is used by one thread at a time.
 */
#ifndef AHP_ARENA_H
#define AHP_ARENA_H

#include <stddef.h>

struct arena;

/* A new empty arena. Returns NULL when out of memory. Free it with arena_free(). */
struct arena *arena_new(void);

/* Runs the cleanups, then frees every block and the arena itself. NULL is allowed. */
void arena_free(struct arena *a);

/* n bytes aligned for any type, owned by the arena. Returns NULL when out of memory
 * (or when the test hook arena_fail_after() says so). n == 0 returns a valid pointer. */
void *arena_alloc(struct arena *a, size_t n);

/* Like arena_alloc(), zero-filled, with overflow checking of count * size. */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/* A NUL-terminated copy of the first n bytes of s (s need not be terminated). */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* A copy of the NUL-terminated string s; NULL in gives NULL out. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into arena memory. Returns NULL when out of memory. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An arena array that can hold at least `need` elements of `size` bytes: arr itself when
 * *cap suffices, else a new zeroed copy with doubled capacity (*cap updated; the old one is
 * left to the arena). NULL when out of memory (arr is unchanged and still valid). */
void *arena_grow(struct arena *a, void *arr, size_t need, size_t *cap, size_t size);

/* Registers fn(arg) to run when the arena is freed. Returns 0, or APP_E_NOMEM (in which
 * case fn has NOT been called and the caller still owns arg). */
int arena_on_free(struct arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far (for metrics and tests). */
size_t arena_used(const struct arena *a);

/* Test hook: the nth allocation from now (1-based) and every later one fail, across all
 * arenas and threads; 0 turns failures off. Used by fault tests to prove clean error paths. */
void arena_fail_after(long n);

#endif
