/* template_fuzz.c: libFuzzer target rendering arbitrary bytes as a template
 *
 * The input is compiled and rendered against a fixed model that has every kind of value,
 * with a few partials registered (one recursive). Beyond the sanitizers' checks it asserts
 * the engine's contract: a failed render leaves the buffer as it found it, only the
 * documented codes come back, and output is never produced from an oom buffer.
 */
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "web/template.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tpl_set *set;
static json_t *model;

static const char model_json[] =
    "{\"name\": \"Ann <a href='x'>&\", \"n\": 3, \"neg\": -12, \"r\": 2.5, \"big\": 1e300,"
    " \"t\": true, \"f\": false, \"z\": null, \"e\": \"\", \"zero\": 0,"
    " \"html\": \"<b>bold</b>\", \"empty\": [], \"obj\": {},"
    " \"items\": [{\"name\": \"a\"}, {\"name\": \"b\", \"kids\": [{\"name\": \"c\", \"kids\": "
    "[]}]}],"
    " \"user\": {\"name\": \"Bo\", \"address\": {\"city\": \"Leeds\"}},"
    " \"xs\": [1, \"two\", 3.5, true, null, [], {}, [1, [2]]],"
    " \"kids\": [{\"kids\": [{\"kids\": []}]}]}";

static void setup(void)
{
    log_set_quiet(1);
    if (tpl_set_new(NULL, &set) || tpl_set_add(set, "partials/item", "<li>{{name}}</li>") ||
        tpl_set_add(set, "partials/tree", "({{#kids}}{{> partials/tree}}{{/kids}})") ||
        tpl_set_add(set, "partials/self", "{{> partials/self}}") ||
        tpl_set_add(set, "layout", "<main>\n  {{{body}}}\n</main>\n"))
        abort();
    model = json_loads(model_json, 0, NULL);
    if (!model)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf b = BUF_INIT;
    int rc;
    if (!set)
        setup();
    rc = tpl_render_string(set, (const char *)data, size, model, &b);
    switch (rc) {
    case APP_OK:
        if (buf_oom(&b))
            abort();
        break;
    case APP_E_INVALID:
    case APP_E_NOTFOUND:
    case APP_E_TOOBIG:
        if (b.len != 0)
            abort();
        break;
    case APP_E_NOMEM:
        break;
    default:
        abort();
    }
    buf_free(&b);
    return 0;
}
