/* pdf_tag_fuzz.c: libFuzzer target for the reader of PDF bytes in pdf_tag_amend()
 *
 * The input is taken as a finished PDF (the corpus starts from small tagged PDFs cairo
 * wrote) and amended with two figure texts. Beyond "no crash, no leak": the answer is 0,
 * APP_E_INTERNAL or APP_E_NOMEM; on failure the bytes are exactly as they were, and on
 * success they start with the original bytes and end with "%%EOF\n". A difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "export/pdf_tag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char a1[] = "First figure", a2[] = "Second figure, caf\xc3\xa9";
    char *alts[] = {a1, a2};
    struct pdf_tags t = {alts, 2, 2, 0};
    struct buf b = BUF_INIT;
    int rc;

    buf_append(&b, data, size);
    if (buf_oom(&b))
        return 0;
    rc = pdf_tag_amend(&b, 0, &t, "en-GB");
    if (rc == APP_OK) {
        if (b.len <= size || memcmp(b.data, data, size) || b.len < 6 ||
            memcmp(b.data + b.len - 6, "%%EOF\n", 6))
            abort();
    } else if (rc == APP_E_INTERNAL || rc == APP_E_NOMEM) {
        if (!buf_oom(&b) && (b.len != size || memcmp(b.data, data, size)))
            abort();
    } else {
        abort();
    }
    buf_free(&b);
    return 0;
}
