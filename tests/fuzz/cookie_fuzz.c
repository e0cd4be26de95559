/* cookie_fuzz.c: libFuzzer target for the Cookie header parser */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    char *h = malloc(size + 1);
    struct kv *kv;
    size_t n;
    if (a && h) {
        memcpy(h, data, size);
        h[size] = '\0'; /* headers arrive NUL-terminated from libmicrohttpd */
        cookie_parse(a, h, &kv, &n);
    }
    free(h);
    arena_free(a);
    return 0;
}
