/* jalloc.h: jansson's memory comes from the request's arena while a request runs
 *
 * A page builds a view model of dozens of small JSON values and frees them all at the end;
 * with malloc that is a third of the work of a page. jalloc_install() points jansson at
 * allocation functions that take memory from the current thread's request arena (set with
 * jalloc_use() by the dispatcher) and fall back to malloc when none is set. Each block carries
 * a tag saying where it came from, so a value made outside a request (a shared cache) is
 * freed with free() whenever it dies, and arena memory is never passed to free().
 *
 * Rule: a JSON value made while an arena is in use must not outlive the request. Code that
 * builds long-lived JSON during a request brackets it with jalloc_use(NULL) … jalloc_use(prev).
 */
#ifndef AHP_JALLOC_H
#define AHP_JALLOC_H

struct arena;

/* Installs the allocation functions (once, before any JSON value exists). */
void jalloc_install(void);
/* Makes a the current thread's source for JSON memory (NULL: malloc). Returns the previous. */
struct arena *jalloc_use(struct arena *a);

#endif
