/* rand.h: randomness for tokens (kernel CSPRNG) and for analyses (seeded, reproducible) */
#ifndef AHP_RAND_H
#define AHP_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Fills p with n bytes from the kernel's CSPRNG (getrandom). Returns 0 or APP_E_IO. */
int rand_bytes(void *p, size_t n);
/* n characters of [a-z2-9] without the look-alikes l, o, 0, 1 (5 bits each: 10 give ~50 bits,
 * short enough to read out, too many to guess), then a NUL: out holds n + 1 bytes. For
 * public slugs and link codes. Returns 0 or APP_E_IO. */
int rand_slug(char *out, size_t n);

/* A small deterministic generator (xoshiro256**) for sampling and shuffles that must be
 * reproducible from a seed. Never for secrets. */
struct rng {
    uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [0, 1). */
double rng_double(struct rng *r);

#endif
