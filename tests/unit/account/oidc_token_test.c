/* oidc_token_test.c: the ID token verifier (account/oidc_token.c) on fixed vectors
 *
 * The key pair and tokens below were made once with Python's cryptography package and are
 * kept as text, so the test needs no provider and no clock: "now" is passed in. The JWKS
 * holds an EC key (skipped: we verify RS256 only), the 2048-bit RSA key "fixed-1" that signed
 * the tokens, and a 1024-bit RSA key "small-1", too short to be trusted. Also here: the URL
 * rule for provider endpoints and the domain-name rule for the admin's list (account/oidc*.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "account/oidc.h"
#include "core/arena.h"
#include "core/err.h"

#define ISSUER "https://login.example.test/tenant-1/v2.0"
#define NOW    1800000000 /* between the tokens' iat (1799999000) and exp (1800003600) */

/* generated once by a throw-away script: a 2048-bit and a 1024-bit RSA key */
static const char JWKS[] =
    "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec-1\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"},{"
    "\"kty\":\"RSA\",\"use\":"
    "\"sig\",\"kid\":\"fixed-1\",\"n\":\"jX3gcz-FSYKdid4KBMqUs1vfuHbqufaPzQSFPoKmnAYfvHNbaR2CT-"
    "FVQjTobsp"
    "e4UtXZ5BY8B7Dxm9mW8gZcVhh3qn0s8pAYQDfTPoTxXJtL8HZZq5yg_sFCxRk69zfz3dcarj7pImYexnR8K18dwf8Y"
    "cC--ovMHcOWqzl5LCVRCZot7craXHQTleNm2PgtLcP5TkRlDj4jrU7fJoAICZqefzdO7QzygRMi239U_hTUH-yfvpH"
    "7I1bVr3oS5yeo9ZBL4mG_QyYTleovXSUmQanwDVaXGbUfLSCkPA7hvodkmpnkXdjMcN5Mjz0hxYFwrP4Kbzw9Bk9eh"
    "RomdYU0dQ\",\"e\":\"AQAB\"},{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"small-1\",\"n\":"
    "\"z6diBh9iH2R1bO8R5bMKY"
    "MtUYNxXyor3kC1ea796_df6CvempwMAfjvfkwpRC3vrYrO0Rw_qyZCPmGpG7dJA5Xd6qXcKQm_fQsr0QHB8R52zAEM"
    "yAY_9gAmK_w9QbRUZqeMK1TqpBPd__QK6NQ5I_rn61P8mtFUrPAJ9WRQefKs\",\"e\":\"AQAB\"}]}";
static const char VALID[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "n0.Bzdm4-21aDJ3TT3Og-Bp80nrKyyKlrmjGH2GZXBOUzUHQRoBsxulelBsKhk8rIS5O4Nsb3CEJbIdmsCha3iZ4E9"
    "iQggGetZzXv8hjzB7zNYdsUc3QQnY1mYMwDvKah2N1hai9uB_DgKb7l3ehkBbvWHMJYdS-IEAiHEMHgXIbxsefhsSt"
    "uNCoK5zEthQ3-XCd8KOtrdenjZfvoy-yc7odSyuaQVBIkNcDwCRTM2rYRKCa4mMsYdJP6in-yaDZVRA4BjVIlt31Sn"
    "EMHMQOpLQB7NgO1kVXUMYd5yTdWw818HBpmbcpRMM7hE61OwPnR-u2os4XPQJb-sCcoG9_nFhXw";
static const char FLIPPED[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "n0.Bzdm4-21aDJ3TTzOg-Bp80nrKyyKlrmjGH2GZXBOUzUHQRoBsxulelBsKhk8rIS5O4Nsb3CEJbIdmsCha3iZ4E9"
    "iQggGetZzXv8hjzB7zNYdsUc3QQnY1mYMwDvKah2N1hai9uB_DgKb7l3ehkBbvWHMJYdS-IEAiHEMHgXIbxsefhsSt"
    "uNCoK5zEthQ3-XCd8KOtrdenjZfvoy-yc7odSyuaQVBIkNcDwCRTM2rYRKCa4mMsYdJP6in-yaDZVRA4BjVIlt31Sn"
    "EMHMQOpLQB7NgO1kVXUMYd5yTdWw818HBpmbcpRMM7hE61OwPnR-u2os4XPQJb-sCcoG9_nFhXw";
static const char HS256[] =
    "eyJhbGciOiJIUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "n0.EQaOFSybYjLTdUz2mUYEnHZUwxe26BnMKLj3VA06Lfo";
static const char NONE[] =
    "eyJhbGciOiJub25lIiwia2lkIjoiZml4ZWQtMSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLmV4Y"
    "W1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiOjE"
    "3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1lI"
    "joiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrIn0"
    ".";
static const char UNKNOWN_KID[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6Im90aGVyLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "n0.FuhucJLIgbm1LKyEVwFFDT6-gepLRC7a9HZ2lI8p40sh4ZwQZF-uTe2BlhjCpkP7ah-qtR5oVbUuu3SHY07j8VY"
    "ex3BGyweuqxijxSUo924dLj12nZkKia80iFaLQeSsChHgJYgR5zz-ILlwyGA5E-Pl55Q4dXRvpyPkntUES4IDiZuqz"
    "7l9xyKSugUd7PzSZBfy1QbxjohSUTznhi1pvmVNYumKsEApEpzR-KZGQYEWYWCKG4DawL1l6au-IY08esIhgoE5vnA"
    "K4cLthPnHAu0tRf-ksx6gli5ffPGWcqrXX4GANAXkN86I1jv6kvs3N6w_fv9Hn3A841WDXFRziA";
static const char SMALL_KEY[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6InNtYWxsLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "n0.Akp-4BvLUr__HVyrY-nh0Yhh85ObjcwcZNFnpKlqXFGGDRBHU50PiiCq8YLj0CdOo38SuzmBfcoIjC7A16RatP7"
    "3jXn_imWvUYqEiQwrTEZjHzf4OHSVuVWSR0ylTfLOO4weNFNGRlgmIOiLD8mU6mOe8mnY2vz8eNFpKszscUM";
static const char MULTI_AUD[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjpbImNsaWVudC0xIiwiYXBpLTIiXSwic3ViIjoic3ViamVjd"
    "C0xIiwiaWF0IjoxNzk5OTk5MDAwLCJuYmYiOjE3OTk5OTkwMDAsImV4cCI6MTgwMDAwMzYwMCwibm9uY2UiOiJub25"
    "jZS0xIiwibmFtZSI6IkZpeGVkIFBlcnNvbiIsInByZWZlcnJlZF91c2VybmFtZSI6IkZpeGVkLlBlcnNvbkBFeGFtc"
    "GxlLk5IUy51ayIsImF6cCI6ImNsaWVudC0xIiwiZW1haWwiOiJQZXJzb25AVHJ1c3QuTkhTLnRlc3QiLCJlbWFpbF9"
    "2ZXJpZmllZCI6dHJ1ZX0.MImcdO7QbKidTq2Su0Arrv0ocU9I1UbMM0fObxBikyW5P8JAMNDIPQMb4bCG1JzgyzJDs"
    "YVKTgUhlq-8Hyf4MU37GpHNRHuJRDpBrrnBtX_vY0E5QtJBTtyVqiXoEa53sVhhnwkR0wAkVfSdVOR-VMKfxBS1hkR"
    "Aj3m3qgbb7635MuY_zWsAX5iOGSSeLe5GXTGzrzsIZimEYE8ZBxg_j7-Ax0fO56Z1j67ngdBcacC2mv1lgSnRIGzPt"
    "ljAL-yl6FwASTUWPx3zGAStKX5GVrpEPEclY61LQ1yMgOm42sX5726X-4O0RHBLW-KudVQVyMreK9UKRjc-hcMEjPz"
    "drw";
static const char MULTI_AUD_NO_AZP[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjpbImNsaWVudC0xIiwiYXBpLTIiXSwic3ViIjoic3ViamVjd"
    "C0xIiwiaWF0IjoxNzk5OTk5MDAwLCJuYmYiOjE3OTk5OTkwMDAsImV4cCI6MTgwMDAwMzYwMCwibm9uY2UiOiJub25"
    "jZS0xIiwibmFtZSI6IkZpeGVkIFBlcnNvbiIsInByZWZlcnJlZF91c2VybmFtZSI6IkZpeGVkLlBlcnNvbkBFeGFtc"
    "GxlLk5IUy51ayJ9.Gsd7NgQ6481lQqcZQoUgXtaYGlMXzYe3cznzCGV8KtD830gq_DAYEyzSisqT9NME40PvmJR8RD"
    "wHd6dn1Mum6tZX-yhEOe51ojeKAsqLpNqdyPhQLLzpOTruNqDLXTaYuah4q81g1UeOmfEkfDnLJ6WLnXowXcQEdEQw"
    "lzL3g2QdoFl_kJKI9RuBR1pdSRDgb1lfrBSzQx0k2SkPbacYcCM_Ri1Zc8lidTpx6HVwptO4FpElgOLHEatCQCP1aw"
    "COeG9dTjipK8kZhUr5syI709UPnfb4hePjx3bM0iiK7OEoWVndwvGCP2VwujMoM-UedPsgkRAaxKiaKm-FwPlU_g";
static const char WRONG_AZP[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "iwiYXpwIjoic29tZW9uZS1lbHNlIn0.InoeMXTIOdtKjvxg7V0RxFaWWYTH_RKO-wcxik-7ENk018POxxW5gEwJauc"
    "v_RVZeTLKBIi81DcEVGrDEJAhOdWH_evPY2J8mvXTfhi1qEy6NwSRz7pUUYBWAwOejUpDCqzPsrqlOLQ3xePpIkpS0"
    "E_mHsNbSlSVODZBXxIgdslJuH4QJRR15atjhkBQEu84HBDfmtOX8iwwivmQELuels8dWzRlKTDXZIxb1WAVRJyR-uI"
    "1ImcxT1LsbEn1ABPjV9wlDYCcy5yQQwchh3RyBor49ajjiZWY17DJsiKBP_X9UboW7eobPnAxSEZ6gfSobIcaUKbUm"
    "e4Tq8vjAmpjBw";
static const char DUPLICATE[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJub25jZSI6Im5vbmNlLTEiLCJuYW1"
    "lIjoiRml4ZWQgUGVyc29uIiwicHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrI"
    "iwic3ViIjoic3ViamVjdC0yIn0.MPl9PrsbFEqp6mQDvI1Yt0b6pCfqBK5YZUN3fZfIBQNNNborwgzqtWW43svMK2i"
    "4tUKXzjl_CmYi9N_6vJOr2HnlOzeKm8NJz70MGXzmMKdO6rJc-wVCaLslBM7BUSa3yl5U5aNdq44tc6gIYW1qv22Ga"
    "CSnPqJg-c5TiCYOwz0AXpgP9MK59HPX5r35VqorujTE9pJpzIGtLR8C9mf7ilzQzJQnB5VrVSRdHmSbFK3BIK6Pz1N"
    "pbjb63Ioq8I0g4D2d593ptAQ2w2BCTJtc65CkjWatb4TbqfAiXb-kfmgilSj55AfjPv_ebL_esF49CjprYIBFn42kb"
    "qG3DgKtag";
static const char NO_NONCE[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZpeGVkLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV"
    "4YW1wbGUudGVzdC90ZW5hbnQtMS92Mi4wIiwiYXVkIjoiY2xpZW50LTEiLCJzdWIiOiJzdWJqZWN0LTEiLCJpYXQiO"
    "jE3OTk5OTkwMDAsIm5iZiI6MTc5OTk5OTAwMCwiZXhwIjoxODAwMDAzNjAwLCJuYW1lIjoiRml4ZWQgUGVyc29uIiw"
    "icHJlZmVycmVkX3VzZXJuYW1lIjoiRml4ZWQuUGVyc29uQEV4YW1wbGUuTkhTLnVrIn0.CQO9JK8hwcfHswV_BTBsE"
    "5kyheJL0WNyurtoN9riCbbOec7XNHiEKP-2G6uKfPty4XdJTb5JaLIKkIZ_zryGat76NspcBD-DsoPvf4Jo8qAD7Xt"
    "uQKFpBsqwJLgFBIzjRAZrm6spXpS6cY5p7IZCOIfom-EQ4_R7GQD36wTvD4TwqB3q4XMhujVnS8uYmIOHoCwQhy6BB"
    "RtD_IdXWmjjPRsLGPjTeMU3tH3chn4iBL0PoJLms5G8UgxoG7i0PXekqGETS_V8QGnS-GHWRKmK6XJskzaUltVW0Ss"
    "WgUDJmHBMGXYexHvrkUsDkWfhbUtFxlNefUUN3E2FcHKkaQJHiA";

static struct arena *a;
static json_t *jwks;

static int setup(void **state)
{
    (void)state;
    a = arena_new();
    jwks = json_loads(JWKS, 0, NULL);
    return a && jwks ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(jwks);
    arena_free(a);
    return 0;
}

/* Verifies tok as client-1 expecting nonce-1 at now; returns the reason (OIDC_OK when valid). */
static enum oidc_fail check_at(const char *tok, const char *issuer, const char *client,
                               const char *nonce, int64_t now, struct oidc_claims *cl)
{
    struct oidc_expect exp = {issuer, client, nonce, now};
    struct oidc_claims scratch;
    enum oidc_fail why = OIDC_OK;
    int rc = oidc_token_verify(tok, jwks, &exp, a, cl ? cl : &scratch, &why);
    assert_int_equal(rc, why == OIDC_OK ? APP_OK : APP_E_UNAUTH);
    return why;
}

static enum oidc_fail check(const char *tok)
{
    return check_at(tok, ISSUER, "client-1", "nonce-1", NOW, NULL);
}

static void test_valid_token(void **state)
{
    struct oidc_claims cl;
    (void)state;
    assert_int_equal(check_at(VALID, ISSUER, "client-1", "nonce-1", NOW, &cl), OIDC_OK);
    assert_string_equal(cl.subject, "subject-1");
    /* no email claim (as from Entra ID): preferred_username, lower-cased, not verified */
    assert_string_equal(cl.email, "fixed.person@example.nhs.uk");
    assert_false(cl.email_verified);
    assert_string_equal(cl.name, "Fixed Person");
    /* several audiences with azp ours; email and email_verified given */
    assert_int_equal(check_at(MULTI_AUD, ISSUER, "client-1", "nonce-1", NOW, &cl), OIDC_OK);
    assert_string_equal(cl.email, "person@trust.nhs.test");
    assert_true(cl.email_verified);
}

static void test_signature_and_algorithm(void **state)
{
    (void)state;
    assert_int_equal(check(FLIPPED), OIDC_E_SIGNATURE);
    assert_int_equal(check(HS256), OIDC_E_ALG);
    assert_int_equal(check(NONE), OIDC_E_ALG);
    assert_int_equal(check(UNKNOWN_KID), OIDC_E_KEY);
    assert_int_equal(check(SMALL_KEY), OIDC_E_KEY);
    /* the valid token against a JWKS without its key */
    {
        json_t *empty = json_loads("{\"keys\":[]}", 0, NULL);
        struct oidc_expect exp = {ISSUER, "client-1", "nonce-1", NOW};
        struct oidc_claims cl;
        enum oidc_fail why;
        assert_int_equal(oidc_token_verify(VALID, empty, &exp, a, &cl, &why), APP_E_UNAUTH);
        assert_int_equal(why, OIDC_E_KEY);
        json_decref(empty);
    }
}

static void test_claims(void **state)
{
    (void)state;
    assert_int_equal(check_at(VALID, ISSUER "/", "client-1", "nonce-1", NOW, NULL), OIDC_E_ISSUER);
    assert_int_equal(check_at(VALID, ISSUER, "client-2", "nonce-1", NOW, NULL), OIDC_E_AUDIENCE);
    assert_int_equal(check(MULTI_AUD_NO_AZP), OIDC_E_AUDIENCE);
    assert_int_equal(check(WRONG_AZP), OIDC_E_AUDIENCE);
    assert_int_equal(check_at(VALID, ISSUER, "client-1", "nonce-2", NOW, NULL), OIDC_E_NONCE);
    assert_int_equal(check_at(VALID, ISSUER, "client-1", "nonce-", NOW, NULL), OIDC_E_NONCE);
    assert_int_equal(check(NO_NONCE), OIDC_E_NONCE);
    /* exp is 1800003600: expired at that second and after */
    assert_int_equal(check_at(VALID, ISSUER, "client-1", "nonce-1", 1800003599, NULL), OIDC_OK);
    assert_int_equal(check_at(VALID, ISSUER, "client-1", "nonce-1", 1800003600, NULL),
                     OIDC_E_EXPIRED);
    /* iat and nbf are 1799999000: up to five minutes ahead of our clock is allowed */
    assert_int_equal(check_at(VALID, ISSUER, "client-1", "nonce-1", 1799999000 - OIDC_SKEW, NULL),
                     OIDC_OK);
    assert_int_equal(
        check_at(VALID, ISSUER, "client-1", "nonce-1", 1799999000 - OIDC_SKEW - 1, NULL),
        OIDC_E_NOT_YET);
}

static void test_malformed(void **state)
{
    static const char *const bad[] = {
        "", "abc", "a.b", "a.b.c.d", "!!!.???.***", "e30.e30.", /* {} header: no alg */
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum oidc_fail why = check(bad[i]);
        assert_true(why == OIDC_E_MALFORMED || why == OIDC_E_ALG);
    }
    assert_int_equal(check(DUPLICATE), OIDC_E_MALFORMED); /* "sub" twice */
    assert_int_equal(check(NULL), OIDC_E_MALFORMED);
}

static void test_url_rule(void **state)
{
    (void)state;
    assert_true(oidc_url_allowed("https://login.microsoftonline.com/t/v2.0"));
    assert_true(oidc_url_allowed("http://127.0.0.1:4444"));
    assert_true(oidc_url_allowed("http://localhost/x"));
    assert_true(oidc_url_allowed("http://[::1]:80/"));
    assert_false(oidc_url_allowed("http://login.example.test"));
    assert_false(oidc_url_allowed("http://127.0.0.1.evil.test/"));
    assert_false(oidc_url_allowed("http://localhost.evil.test/"));
    /* user-info makes the loopback name a user name and the host another one */
    assert_false(oidc_url_allowed("http://localhost:@idp.example/"));
    assert_false(oidc_url_allowed("http://127.0.0.1:x@evil.test/"));
    assert_false(oidc_url_allowed("http://127.0.0.1:80@evil.test/"));
    assert_false(oidc_url_allowed("ftp://x"));
    assert_false(oidc_url_allowed("https://"));
    assert_false(oidc_url_allowed(NULL));
}

static void test_domain_rule(void **state)
{
    (void)state;
    assert_true(oidc_domain_valid("nhs.net"));
    assert_true(oidc_domain_valid("nhs-trust.nhs.uk"));
    assert_true(oidc_domain_valid("a1.b2.c3"));
    assert_false(oidc_domain_valid("nhs"));
    assert_false(oidc_domain_valid("NHS.net"));
    assert_false(oidc_domain_valid(".nhs.net"));
    assert_false(oidc_domain_valid("nhs.net."));
    assert_false(oidc_domain_valid("nhs..net"));
    assert_false(oidc_domain_valid("-nhs.net"));
    assert_false(oidc_domain_valid("nhs-.net"));
    assert_false(oidc_domain_valid("nhs.net/x"));
    assert_false(oidc_domain_valid("user@nhs.net"));
    assert_false(oidc_domain_valid(""));
    assert_false(oidc_domain_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_token), cmocka_unit_test(test_signature_and_algorithm),
        cmocka_unit_test(test_claims),      cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_url_rule),    cmocka_unit_test(test_domain_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
