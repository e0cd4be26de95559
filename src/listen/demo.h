/* demo.h: the demonstration listening exercise for `ahphub demo` */
#ifndef AHP_LISTEN_DEMO_H
#define AHP_LISTEN_DEMO_H

#include <stdint.h>

struct db;

/* Creates, once, an open exercise on what a strategy for the allied health professions
 * should focus on, with generated contributions, replies and votes from synthetic
 * participants across audiences. *created is 1 when it was made now, 0 when it existed. */
int listen_demo(struct db *db, int64_t facilitator, int *created);
/* Creates, once, a second exercise whose results are published (demo_results.c): closed,
 * analysed, its report published and three actions recorded against its themes. Called by
 * listen_demo(). *created as there. */
int listen_demo_results(struct db *db, int64_t facilitator, int *created);
/* Creates, once, a closed exercise in German, analysed (demo_language.c): what an exercise's
 * language does to its themes and pages. Called by listen_demo(). *created as there. */
int listen_demo_language(struct db *db, int64_t facilitator, int *created);

#endif
