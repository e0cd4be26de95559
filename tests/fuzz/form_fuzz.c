/* form_fuzz.c: libFuzzer target for the urlencoded and multipart parsers and validation */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "http/req.h"

static const struct field_spec specs[] = {
    {"email", F_EMAIL, REQUIRED, 254, "your email address"},
    {"name", F_TEXT, OPTIONAL, 20, "your name"},
    {"notes", F_LONGTEXT, OPTIONAL, 200, "the notes"},
    {"n", F_INT, OPTIONAL, 10, "the number"},
    {"ok", F_BOOL, OPTIONAL, 5, "ok"},
    {"t", F_TOKEN, OPTIONAL, 20, "the token"},
    {"file", F_FILE, OPTIONAL, 100, "a file"},
    {NULL, 0, 0, 0, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct kv *kv;
    struct upload *up;
    size_t n, nup;
    struct req r;
    if (!a)
        return 0;
    memset(&r, 0, sizeof r);
    r.arena = a;
    if (size && data[0] & 1) {
        if (form_parse_multipart(a, (const char *)data + 1, size - 1, "b0undary", 50, &kv, &n,
                                 &up, &nup) == 0) {
            r.uploads = up;
            r.nuploads = nup;
            form_validate(&r, specs, kv, n);
        }
    } else if (form_parse_urlencoded(a, (const char *)data, size, 50, &kv, &n) == 0) {
        form_validate(&r, specs, kv, n);
    }
    arena_free(a);
    return 0;
}
