/* oidc_token_fuzz.c: libFuzzer target for oidc_token_verify, the ID token parser and verifier
 *
 * The input is taken as a token, checked against a fixed JWKS (the unit test's keys) at a
 * fixed time. Beyond "no crash, no leak": the answer is APP_OK, APP_E_UNAUTH with a reason, or
 * APP_E_NOMEM, and an accepted token has every claim the sign-in reads. The seeds are the unit
 * test's vectors, so mutations reach the signature and claim checks, not only the header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "account/oidc.h"
#include "core/arena.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char JWKS[] =
    "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec-1\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"},{"
    "\"kty\":\"R"
    "SA\",\"use\":\"sig\",\"kid\":\"fixed-1\",\"n\":\"jX3gcz-FSYKdid4KBMqUs1vfuHbqufaPzQSFPoKmnAY"
    "fvHNbaR2CT-FVQjTobspe4UtXZ5BY8B7Dxm9mW8gZcVhh3qn0s8pAYQDfTPoTxXJtL8HZZq5yg_sFCxR"
    "k69zfz3dcarj7pImYexnR8K18dwf8YcC--ovMHcOWqzl5LCVRCZot7craXHQTleNm2PgtLcP5TkRlDj4"
    "jrU7fJoAICZqefzdO7QzygRMi239U_hTUH-yfvpH7I1bVr3oS5yeo9ZBL4mG_QyYTleovXSUmQanwDVa"
    "XGbUfLSCkPA7hvodkmpnkXdjMcN5Mjz0hxYFwrP4Kbzw9Bk9ehRomdYU0dQ\",\"e\":\"AQAB\"},{\"kty\":"
    "\"RSA\",\"use\":\"sig\",\"kid\":\"small-1\",\"n\":\"z6diBh9iH2R1bO8R5bMKYMtUYNxXyor3kC1ea796_"
    "df6CvempwMAfjvfkwpRC3vrYrO0Rw_qyZCPmGpG7dJA5Xd6qXcKQm_fQsr0QHB8R52zAEMyAY_9gAmK_"
    "w9QbRUZqeMK1TqpBPd__QK6NQ5I_rn61P8mtFUrPAJ9WRQefKs\",\"e\":\"AQAB\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *jwks;
    const struct oidc_expect exp = {"https://login.example.test/tenant-1/v2.0", "client-1",
                                    "nonce-1", 1800000000};
    struct oidc_claims cl;
    enum oidc_fail why = OIDC_OK;
    struct arena *a;
    char *tok;
    int rc;
    if (!jwks && !(jwks = json_loads(JWKS, 0, NULL)))
        abort();
    a = arena_new();
    tok = malloc(size + 1);
    if (!a || !tok)
        goto done;
    memcpy(tok, data, size);
    tok[size] = '\0';
    rc = oidc_token_verify(tok, jwks, &exp, a, &cl, &why);
    if (rc == APP_OK && (why != OIDC_OK || !cl.subject || !*cl.subject || !cl.email || !cl.name))
        abort();
    if (rc == APP_E_UNAUTH && (why <= OIDC_OK || why >= OIDC_FAIL_COUNT))
        abort();
    if (rc != APP_OK && rc != APP_E_UNAUTH && rc != APP_E_NOMEM)
        abort();
done:
    free(tok);
    arena_free(a);
    return 0;
}
