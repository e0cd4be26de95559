/* framework_fuzz.c: libFuzzer target for develop_framework_parse and the JSON it writes back
 *
 * Beyond "no crash, no leak", every refusal must say why, and every document that parses must
 * write back JSON that parses again to the same shape, and score without reading past its
 * answers; a difference aborts, so the fuzzer reports it like a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "develop/develop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct develop_framework fw, again;
    struct develop_answer *ans;
    struct develop_result *r;
    const char *why = NULL;
    json_t *j = NULL;
    char *text = NULL;
    if (!a)
        return 0;
    if (develop_framework_parse(a, (const char *)data, size, &fw, &why) != 0) {
        if (!why)
            abort(); /* every refusal says why */
        goto done;
    }
    ans = arena_calloc(a, fw.nbehaviours, sizeof *ans);
    r = arena_calloc(a, fw.ndomains, sizeof *r);
    if (!ans || !r)
        goto done;
    for (size_t i = 0; i < fw.nbehaviours; i++) {
        ans[i].rating = (int)(i % (fw.scale.npoints + 2)) - 1;
        ans[i].note = "";
    }
    if (develop_score(&fw, ans, r) != 0)
        abort();
    for (size_t d = 0; d < fw.ndomains; d++)
        if (r[d].scored && (r[d].percent < 0 || r[d].percent > 100))
            abort();
    j = develop_framework_json(&fw);
    text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (!text)
        goto done;
    if (develop_framework_parse(a, text, strlen(text), &again, &why) != 0)
        abort();
    if (again.nbehaviours != fw.nbehaviours || again.ndomains != fw.ndomains ||
        again.scale.npoints != fw.scale.npoints || again.scale.kind != fw.scale.kind ||
        again.importance.npoints != fw.importance.npoints || strcmp(again.code, fw.code) ||
        strcmp(again.scale.no_chance, fw.scale.no_chance))
        abort();
    for (size_t d = 0; d < fw.ndomains; d++)
        if (again.domains[d].first != fw.domains[d].first)
            abort();

done:
    free(text);
    json_decref(j);
    arena_free(a);
    return 0;
}
