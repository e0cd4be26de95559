/* rand.c: CSPRNG bytes and a seeded xoshiro256** generator */
#include "rand.h"
#include "err.h"

#include <errno.h>
#include <sys/random.h>

int rand_bytes(void *p, size_t n)
{
    unsigned char *c = p;
    while (n) {
        ssize_t got = getrandom(c, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return APP_E_IO;
        }
        c += got;
        n -= (size_t)got;
    }
    return APP_OK;
}

int rand_slug(char *out, size_t n)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    unsigned char raw[64];
    int rc;
    if (n > sizeof raw)
        return APP_E_INVALID;
    if ((rc = rand_bytes(raw, n)))
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[raw[i] % 32];
    out[n] = '\0';
    return 0;
}

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
    do
        v = rng_next(r);
    while (v >= limit);
    return v % n;
}

double rng_double(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}
