/* portfolio_tags_fuzz.c: libFuzzer target for the portfolio's readers of member text: the
 * tags of an entry (develop_tags_normalise) and its Markdown made plain text
 * (develop_markdown_plain)
 *
 * The first byte chooses skills or leadership areas; the rest is the text. Beyond "no crash,
 * no leak": a refusal is APP_E_INVALID naming the word, or APP_E_NOMEM; tags that are read
 * are read again to the same text (the stored form is its own normal form) and pass
 * develop_entry_check(); plain text from valid UTF-8 is valid UTF-8. A difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "develop/portfolio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct develop_behaviour beh[] = {{"b", "I do."}};
static struct develop_domain doms[] = {{"system", "System and context", "", beh, 1, 0},
                                       {"vision", "Vision and direction", "", beh, 1, 1}};
static struct develop_framework fw = {.code = "ahp-clinical-leadership", .domains = doms,
                                      .ndomains = 2};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    const struct develop_framework *f;
    const char *out = NULL, *again = NULL, *bad = NULL, *plain;
    char *text;
    int rc;

    if (!a || size < 1) {
        arena_free(a);
        return 0;
    }
    f = data[0] & 1 ? &fw : NULL;
    text = arena_strndup(a, (const char *)data + 1, size - 1);
    if (!text)
        goto done;
    rc = develop_tags_normalise(a, text, f, &out, &bad);
    if (rc == APP_E_INVALID && !bad)
        abort();
    if (rc && rc != APP_E_INVALID && rc != APP_E_NOMEM)
        abort();
    if (!rc) {
        struct develop_entry e = {0};
        struct develop_field_error errs[4];
        if (develop_tags_normalise(a, out, f, &again, &bad) || strcmp(out, again))
            abort();
        e.kind = "project";
        e.title = "t";
        e.context = e.body = "";
        e.skills = f ? "" : out;
        e.domains = f ? out : "";
        if (develop_entry_check(&e, &fw, errs, 4))
            abort();
    }
    plain = develop_markdown_plain(a, text);
    if (plain && utf8_valid(text, strlen(text)) && !utf8_valid(plain, strlen(plain)))
        abort();
done:
    arena_free(a);
    return 0;
}
