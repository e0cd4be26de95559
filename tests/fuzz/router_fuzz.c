/* router_fuzz.c: libFuzzer target for request-target decoding and route matching */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/req.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "POST", "DELETE", "HEAD"};
    struct arena *a = arena_new();
    char *uri = malloc(size + 1);
    struct req r;
    const struct route *rt;
    const char *allow;
    if (a && uri && size) {
        memcpy(uri, data + 1, size - 1);
        uri[size - 1] = '\0';
        if (req_start(&r, a, methods[data[0] & 3], uri) == 0)
            router_match(&r, r.method, r.path, &rt, &allow);
    }
    free(uri);
    arena_free(a);
    return 0;
}
