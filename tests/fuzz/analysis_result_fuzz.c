/* analysis_result_fuzz.c: libFuzzer target for listen_analysis_parse and the JSON it writes back
 *
 * Beyond "no crash, no leak", a refusal must be APP_E_INVALID (or APP_E_NOMEM), and a
 * document that parses must write back JSON that parses again and writes back the same text:
 * what the store and the pages make of a result never drifts between reading and writing.
 * A difference aborts, so the fuzzer reports it like a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The result as compact JSON text (malloc'd), or NULL when out of memory. */
static char *written(const struct listen_analysis *r)
{
    json_t *j = NULL;
    char *text;
    if (listen_analysis_json(r, &j))
        return NULL;
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct listen_analysis r, again;
    char *one = NULL, *two = NULL;
    int rc;
    if (!a)
        return 0;
    rc = listen_analysis_parse(a, (const char *)data, size, &r);
    if (rc) {
        if (rc != APP_E_INVALID && rc != APP_E_NOMEM)
            abort();
        goto done;
    }
    if (!(one = written(&r)))
        goto done;
    if (listen_analysis_parse(a, one, strlen(one), &again) || !(two = written(&again)))
        abort();
    if (strcmp(one, two))
        abort();
done:
    free(one);
    free(two);
    arena_free(a);
    return 0;
}
