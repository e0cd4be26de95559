/* redact_fuzz.c: libFuzzer target for the personal-data redactor and its invariants
 *
 * Any bytes must come back with no crash and no read past the end, and: nothing found means
 * nothing changed; every kind reported has its marker in the output; a second pass over the
 * output finds nothing and changes nothing (the redactor judges boundaries by what it wrote,
 * so this holds by design); and valid UTF-8 stays valid UTF-8 (no sequence is split).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "text/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int contains(const char *hay, size_t n, const char *needle)
{
    size_t len = strlen(needle);
    for (size_t i = 0; i + len <= n; i++)
        if (memcmp(hay + i, needle, len) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned kinds[] = {REDACT_EMAIL, REDACT_PHONE, REDACT_NHS_NUMBER, REDACT_POSTCODE,
                                     REDACT_URL};
    static const char *const markers[] = {"[email removed]", "[phone number removed]",
                                          "[NHS number removed]", "[postcode removed]",
                                          "[web address removed]"};
    struct buf out = BUF_INIT, again = BUF_INIT;
    unsigned found = 0, found2 = 0;
    /* A copy of exactly size bytes, so ASan catches any read past the end. */
    char *in = malloc(size ? size : 1);

    if (!in)
        return 0;
    if (size)
        memcpy(in, data, size);
    if (redact_text(in, size, &out, &found) != 0)
        abort(); /* only running out of memory may fail */
    if (found & ~0x1fu)
        abort();
    if (!found && (out.len != size || (size && memcmp(out.data, in, size) != 0)))
        abort();
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if ((found & kinds[k]) && !contains(out.data, out.len, markers[k]))
            abort();
    if (redact_text(out.data, out.len, &again, &found2) != 0 || found2 != 0 ||
        again.len != out.len || (out.len && memcmp(again.data, out.data, out.len) != 0))
        abort();
    if (utf8_valid((const char *)data, size) && !utf8_valid(out.data ? out.data : "", out.len))
        abort();
    buf_free(&out);
    buf_free(&again);
    free(in);
    return 0;
}
