/* json_fuzz.c: libFuzzer target for JSON request bodies (depth scan + jansson) */
#include <stdint.h>

#include "http/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = NULL;
    const char *why;
    if (json_body_parse((const char *)data, size, 16, &j, &why) == 0)
        json_decref(j);
    return 0;
}
