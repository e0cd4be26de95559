/* demo.h: the demonstration listening exercise for `ahphub demo` */
#ifndef AHP_LISTEN_DEMO_H
#define AHP_LISTEN_DEMO_H

#include <stdint.h>

struct db;

/* Creates, once, an open exercise on what a strategy for the allied health professions
 * should focus on, with generated contributions, replies and votes from synthetic
 * participants across audiences. *created is 1 when it was made now, 0 when it existed. */
int listen_demo(struct db *db, int64_t facilitator, int *created);

#endif
