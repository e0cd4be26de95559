/* instrument_fuzz.c: libFuzzer target for assess_instrument_parse and the JSON it writes back
 *
 * Beyond "no crash, no leak", every document that parses must write back JSON that parses
 * again to the same shape, and its blank answer string must be valid for it; a difference
 * aborts, so the fuzzer reports it like a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct assess_instrument ins, again;
    const char *why = NULL;
    json_t *j = NULL;
    char *text = NULL;
    if (!a)
        return 0;
    if (assess_instrument_parse(a, (const char *)data, size, &ins, &why) != 0) {
        if (!why)
            abort(); /* every refusal says why */
        goto done;
    }
    if (!assess_answers_valid(&ins, assess_answers_blank(a, &ins)))
        abort();
    j = assess_instrument_json(&ins);
    text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (!text)
        goto done;
    if (assess_instrument_parse(a, text, strlen(text), &again, &why) != 0)
        abort();
    if (again.nitems != ins.nitems || again.ndomains != ins.ndomains ||
        again.nbands != ins.nbands || again.method != ins.method ||
        again.level_share != ins.level_share || strcmp(again.code, ins.code))
        abort();
    for (size_t d = 0; d < ins.ndomains; d++)
        if (again.domains[d].first != ins.domains[d].first ||
            again.domains[d].weight != ins.domains[d].weight)
            abort();

done:
    free(text);
    json_decref(j);
    arena_free(a);
    return 0;
}
