/* redact_test.c: what the Listen redactor removes, what it must leave alone, and its invariants */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "text/redact.h"

#define EM  "[email removed]"
#define PH  "[phone number removed]"
#define NH  "[NHS number removed]"
#define PC  "[postcode removed]"
#define WEB "[web address removed]"

struct rcase {
    const char *in;
    const char *out; /* NULL: must come through unchanged */
    unsigned found;
};

/* Redacts in and checks the text, the kinds, and that a second pass changes nothing. */
static void check_case(const struct rcase *c)
{
    struct buf b = BUF_INIT, again = BUF_INIT;
    const char *want = c->out ? c->out : c->in;
    unsigned found = 0xdead, found2 = 0xdead;
    int rc;

    rc = redact_text(c->in, strlen(c->in), &b, &found);
    assert_int_equal(rc, 0);
    buf_putc(&b, '\0'); /* an empty result still needs a string to compare */
    if (strcmp(b.data, want) != 0 || found != c->found)
        print_error("in:    \"%s\"\nwant:  \"%s\" (found %#x)\ngot:   \"%s\" (found %#x)\n", c->in,
                    want, c->found, b.data, found);
    assert_string_equal(b.data, want);
    assert_int_equal(found, c->found);

    rc = redact_text(b.data, strlen(b.data), &again, &found2);
    assert_int_equal(rc, 0);
    buf_putc(&again, '\0');
    assert_string_equal(again.data, b.data);
    assert_int_equal(found2, 0);
    buf_free(&b);
    buf_free(&again);
}

static void check_table(const struct rcase *cases, size_t count)
{
    for (size_t k = 0; k < count; k++)
        check_case(&cases[k]);
}

#define CHECK_TABLE(t) check_table(t, sizeof(t) / sizeof((t)[0]))

/* ---- NHS numbers ---------------------------------------------------------------------------- */

static void test_nhs_number_valid(void **state)
{
    static const char *const good[] = {"9434765919", "4010232137", "4505577104", "1234567881",
                                       "4857773457", "6401570253", "0123456789", "0000000000"};
    /* Wrong check digits, a check that works out as 10 (never issued), and non-digits. */
    static const char *const bad[] = {"9434765918", "9434765910", "4010232136",
                                      "1234567880", "4000000080", "4000000081",
                                      "943476591a", "94347 5919", "----------"};
    (void)state;
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++)
        assert_true(nhs_number_valid(good[k]));
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        assert_false(nhs_number_valid(bad[k]));
}

static void test_nhs_numbers(void **state)
{
    static const struct rcase cases[] = {
        {"9434765919", NH, REDACT_NHS_NUMBER},
        {"NHS no. 943 476 5919.", "NHS no. " NH ".", REDACT_NHS_NUMBER},
        {"943-476-5919", NH, REDACT_NHS_NUMBER},
        {"4010232137 is mine", NH " is mine", REDACT_NHS_NUMBER},
        {"(4505577104)", "(" NH ")", REDACT_NHS_NUMBER},
        {"ref:4857773457,", "ref:" NH ",", REDACT_NHS_NUMBER},
        {"my number is 123 456 7881 thanks", "my number is " NH " thanks", REDACT_NHS_NUMBER},
        {"6401570253\n", NH "\n", REDACT_NHS_NUMBER},
        {"it’s 4857773457— ok", "it’s " NH "— ok", REDACT_NHS_NUMBER},
        /* looks like a phone number too: the NHS rule is first */
        {"0123456789", NH, REDACT_NHS_NUMBER},
        {"943 476 5919 and 401-023-2137", NH " and " NH, REDACT_NHS_NUMBER},
        /* invalid check digits */
        {"9434765918", NULL, 0},
        {"943 476 5918", NULL, 0},
        {"4000000080", NULL, 0},
        /* fails the check but is a phone number */
        {"0700900120", PH, REDACT_PHONE},
        /* part of longer digit runs */
        {"19434765919", NULL, 0},
        {"94347659190", NULL, 0},
        {"943 476 59190", NULL, 0},
        /* not the 3-3-4 shape */
        {"943 476-5919", NULL, 0},
        {"943  476 5919", NULL, 0},
        {"94 3476 5919", NULL, 0},
        {"943.476.5919", NULL, 0},
        {"9434 765 919", NULL, 0},
        {"1.9434765919", NULL, 0},
        {"3,943 476 5919", NULL, 0},
    };
    (void)state;
    CHECK_TABLE(cases);
}

/* ---- phone numbers -------------------------------------------------------------------------- */

static void test_phone_numbers(void **state)
{
    static const struct rcase cases[] = {
        {"07700 900123", PH, REDACT_PHONE},
        {"+44 7700 900123", PH, REDACT_PHONE},
        {"(020) 7946 0018", PH, REDACT_PHONE},
        {"0161-496-0000", PH, REDACT_PHONE},
        {"0800 123 4567", PH, REDACT_PHONE},
        {"+44 (0)20 7946 0018", PH, REDACT_PHONE},
        {"+44(0)20 7946 0018", PH, REDACT_PHONE},
        {"+44 07700 900123", PH, REDACT_PHONE},
        {"0044 20 7946 0018", PH, REDACT_PHONE},
        {"+447700900123", PH, REDACT_PHONE},
        {"07700900123", PH, REDACT_PHONE},
        {"020.7946.0018", PH, REDACT_PHONE},
        {"(01632)960001", PH, REDACT_PHONE},
        {"016977 2345", PH, REDACT_PHONE}, /* nine national digits */
        {"Tel: 0161 496 0000.", "Tel: " PH ".", REDACT_PHONE},
        {"(07700 900123)", "(" PH ")", REDACT_PHONE},
        {"Call 07700 900123 2 times", "Call " PH " 2 times", REDACT_PHONE},
        {"ring 0161 496 0000 at 10:30", "ring " PH " at 10:30", REDACT_PHONE},
        {"07700 900123—ask for Jo", PH "—ask for Jo", REDACT_PHONE},
        {"07700 900123 or 0800 123 4567", PH " or " PH, REDACT_PHONE},
        /* not phone numbers */
        {"2019", NULL, 0},
        {"in 2019 and 2020", NULL, 0},
        {"0123 4567", NULL, 0},
        {"0161 496", NULL, 0},
        {"0800", NULL, 0},
        {"0770090012345", NULL, 0},     /* too long */
        {"+33 1 23 45 67 89", NULL, 0}, /* not UK */
        {"+44 20 79", NULL, 0},
        {"0 7700 900123", NULL, 0}, /* a lone leading digit */
        {"00 7700 900123", NULL, 0},
        {"£1,000,000", NULL, 0},
        {"£0.50 each", NULL, 0},
        {"01/02/2019", NULL, 0},
        {"01.02.2019", NULL, 0},
        {"01-02-2019 10:30", NULL, 0},
        {"01 02 2019 10:30", NULL, 0},
        {"01.02.2019 10.30", NULL, 0},
        {"07700 900-123", NULL, 0},  /* mixed separators: not one number */
        {"Tel07700900123", NULL, 0}, /* glued to a word: documented limit */
        {"0.0123456780", NULL, 0},   /* the fraction of one number */
        {"p=0.01234567891", NULL, 0},
        {"1,07700900123", NULL, 0},
    };
    (void)state;
    CHECK_TABLE(cases);
}

/* ---- postcodes ------------------------------------------------------------------------------ */

static void test_postcodes(void **state)
{
    static const struct rcase cases[] = {
        {"M1 1AE", PC, REDACT_POSTCODE},
        {"SW1A 1AA", PC, REDACT_POSTCODE},
        {"sw1a 1aa", PC, REDACT_POSTCODE},
        {"SW1A1AA", PC, REDACT_POSTCODE},
        {"M11AE", PC, REDACT_POSTCODE},
        {"EC1A 1BB", PC, REDACT_POSTCODE},
        {"W1A 0AX", PC, REDACT_POSTCODE},
        {"B33 8TH", PC, REDACT_POSTCODE},
        {"CR2 6XH", PC, REDACT_POSTCODE},
        {"DN55 1PT", PC, REDACT_POSTCODE},
        {"GIR 0AA", PC, REDACT_POSTCODE},
        {"gir0aa", PC, REDACT_POSTCODE},
        {"I live in LS1 4AP.", "I live in " PC ".", REDACT_POSTCODE},
        {"(B1 1BB)", "(" PC ")", REDACT_POSTCODE},
        {"M1 1AE, M2 3BB", PC ", " PC, REDACT_POSTCODE},
        /* not postcodes */
        {"NHS", NULL, 0},
        {"COVID19", NULL, 0},
        {"the A1 road", NULL, 0},
        {"A4 paper and B12 vitamins", NULL, 0},
        {"SW1A1AAB", NULL, 0},
        {"XSW1A 1AA", NULL, 0},
        {"M1 1AEx", NULL, 0},
        {"SW1A 1AA2", NULL, 0},
        {"M1  1AE", NULL, 0},
        {"meet at10 2pm", NULL, 0}, /* M is never an inward letter */
        {"QA1 1AA", NULL, 0},       /* Q never starts a postcode */
        {"M1 1CA", NULL, 0},
        {"caféM1 1AE", NULL, 0},
    };
    (void)state;
    CHECK_TABLE(cases);
}

/* ---- email addresses ------------------------------------------------------------------------ */

static void test_emails(void **state)
{
    static const struct rcase cases[] = {
        {"name@example.nhs.uk,", EM ",", REDACT_EMAIL},
        {"name@example.nhs.uk.", EM ".", REDACT_EMAIL},
        {"john.smith@nhs.net", EM, REDACT_EMAIL},
        {"write to a.b+tag@example.co.uk.", "write to " EM ".", REDACT_EMAIL},
        {"(jo_bloggs%x@mail.example.org)", "(" EM ")", REDACT_EMAIL},
        {"Email:JOHN@EXAMPLE.COM!", "Email:" EM "!", REDACT_EMAIL},
        {"...me@x.org", "..." EM, REDACT_EMAIL},
        {"jöhn@müller.de", EM, REDACT_EMAIL},
        {"a@b.com.123", EM ".123", REDACT_EMAIL},
        {"me@x.io?", EM "?", REDACT_EMAIL},
        {"<first-last@my-trust.nhs.uk>", "<" EM ">", REDACT_EMAIL},
        {"07700900123@x.com", EM, REDACT_EMAIL},
        {"me@x.com07700900123", EM PH, REDACT_EMAIL | REDACT_PHONE},
        {"a@b.com and c@d.org", EM " and " EM, REDACT_EMAIL},
        /* not email addresses */
        {"foo@bar", NULL, 0},
        {"foo@bar.", NULL, 0},
        {"user@localhost", NULL, 0},
        {"a@b.c", NULL, 0},
        {"x@.com", NULL, 0},
        {"a@b.1com", NULL, 0},
        {"email me @ 3pm", NULL, 0},
        {"@nhs.net", NULL, 0},
        {"@@", NULL, 0},
    };
    (void)state;
    CHECK_TABLE(cases);
}

/* ---- web addresses -------------------------------------------------------------------------- */

static void test_urls(void **state)
{
    static const struct rcase cases[] = {
        {"https://example.com/page.", WEB ".", REDACT_URL},
        {"http://x.org/a?b=c,", WEB ",", REDACT_URL},
        {"(see https://en.wikipedia.org/wiki/Foo_(bar))", "(see " WEB ")", REDACT_URL},
        {"(see https://example.com/x)!", "(see " WEB ")!", REDACT_URL},
        {"www.example.co.uk!", WEB "!", REDACT_URL},
        {"WWW.EXAMPLE.COM", WEB, REDACT_URL},
        {"Visit HTTPS://X.COM/A/B;", "Visit " WEB ";", REDACT_URL},
        {"<https://x.org>", "<" WEB ">", REDACT_URL},
        {"\"http://x.org/y\"", "\"" WEB "\"", REDACT_URL},
        {"example.com/page", WEB, REDACT_URL},
        {"see nhs.uk/conditions?", "see " WEB "?", REDACT_URL},
        {"my-trust.nhs.uk/jobs/123.", WEB ".", REDACT_URL},
        {"http://a@b.com", WEB, REDACT_URL},
        {"https://x.org/été ok", WEB " ok", REDACT_URL},
        /* not web addresses */
        {"example.com", NULL, 0},
        {"http://", NULL, 0},
        {"http:// x", NULL, 0},
        {"https://...", NULL, 0},
        {"www.", NULL, 0},
        {"awww.cute", NULL, 0},
        {"e.g. this and/or that", NULL, 0},
        {"example.xyz/page", NULL, 0},
        {"1.5/2", NULL, 0},
        {"sub..example.com/", NULL, 0},
    };
    (void)state;
    CHECK_TABLE(cases);
}

/* ---- mixed text and text that must survive -------------------------------------------------- */

static void test_mixed(void **state)
{
    static const struct rcase cases[] = {
        {"Ring 07700 900123 or email jo@x.nhs.uk, NHS 943 476 5919, at M1 1AE; see "
         "https://x.org/a.",
         "Ring " PH " or email " EM ", NHS " NH ", at " PC "; see " WEB ".",
         REDACT_PHONE | REDACT_EMAIL | REDACT_NHS_NUMBER | REDACT_POSTCODE | REDACT_URL},
        {"Jo (jo@trust.nhs.uk, 0161 496 0000) lives at B33 8TH.",
         "Jo (" EM ", " PH ") lives at " PC ".", REDACT_EMAIL | REDACT_PHONE | REDACT_POSTCODE},
        {"07700900123SW1A 1AA", PH PC, REDACT_PHONE | REDACT_POSTCODE},
        {"café 07700 900123 naïve", "café " PH " naïve", REDACT_PHONE},
        {"line1\nM1 1AE\r\n07700900123\t", "line1\n" PC "\r\n" PH "\t",
         REDACT_POSTCODE | REDACT_PHONE},
    };
    static const char *const unchanged[] = {
        "",
        "£1,000,000",
        "It cost £12.50 on 01/02/2019 at 10:30.",
        "a 5 km walk, then 3.5 miles",
        "A&E was busy",
        "COVID-19 changed everything",
        "Band 7 physio, Band 8a OT",
        "Up to 2,000 characters",
        "In 2019, 45% of staff (n=1234) said yes",
        "Room 101, ward 7B, bay 3",
        "NHS 111 and 999",
        "ISBN 978-0-13-110362-7",
        "v1.2.3 released 2024-03-01",
        "UTF-8 café naïve — “quotes” 😀",
        "Allied health professions: AHPs, OTs & SLTs",
        "Ratio 3:1, score 10/10, 24/7 care",
        "[email removed] [phone number removed] [NHS number removed] [postcode removed] "
        "[web address removed]",
    };
    (void)state;
    CHECK_TABLE(cases);
    for (size_t k = 0; k < sizeof unchanged / sizeof unchanged[0]; k++) {
        struct rcase c = {unchanged[k], NULL, 0};
        check_case(&c);
    }
}

/* ---- the interface ------------------------------------------------------------------------- */

static void test_appends_and_found_optional(void **state)
{
    struct buf b = BUF_INIT;
    const char *in = "call 07700 900123";
    (void)state;
    buf_puts(&b, "> ");
    assert_int_equal(redact_text(in, strlen(in), &b, NULL), 0);
    assert_string_equal(b.data, "> call " PH);
    /* only n bytes are read: the rest of the number is outside */
    buf_reset(&b);
    assert_int_equal(redact_text(in, 10, &b, NULL), 0);
    assert_string_equal(b.data, "call 07700");
    buf_reset(&b);
    assert_int_equal(redact_text(NULL, 0, &b, NULL), 0);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_embedded_nul(void **state)
{
    struct buf b = BUF_INIT;
    static const char in[] = "a\0"
                             "07700900123\0b";
    static const char want[] = "a\0" PH "\0b";
    unsigned found;
    (void)state;
    assert_int_equal(redact_text(in, sizeof in - 1, &b, &found), 0);
    assert_int_equal(b.len, sizeof want - 1);
    assert_memory_equal(b.data, want, sizeof want - 1);
    assert_int_equal(found, REDACT_PHONE);
    buf_free(&b);
}

static void test_oom(void **state)
{
    struct buf b = BUF_INIT;
    unsigned found;
    (void)state;
    b.oom = true; /* as after a failed allocation */
    assert_int_equal(redact_text("M1 1AE", 6, &b, &found), APP_E_NOMEM);
    assert_int_equal(found, REDACT_POSTCODE);
    buf_free(&b);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(redact_kind_name(REDACT_EMAIL), "email address");
    assert_string_equal(redact_kind_name(REDACT_PHONE), "phone number");
    assert_string_equal(redact_kind_name(REDACT_NHS_NUMBER), "NHS number");
    assert_string_equal(redact_kind_name(REDACT_POSTCODE), "postcode");
    assert_string_equal(redact_kind_name(REDACT_URL), "web address");
    assert_non_null(redact_kind_name((enum redact_kind)0));
}

/* Inputs built to make a naive scanner go quadratic; each is a few hundred KB. */
static void test_pathological_inputs(void **state)
{
    static const char *const units[] = {"a.",    "a@", "a-",       "0 ",   "00 ",
                                        "+4",    "(0", "http://.", "www.", "x.com",
                                        "SW1A ", "é",  "..",       "@a.",  "1"};
    const size_t size = 300000;
    char *in = malloc(size);
    struct buf b = BUF_INIT;
    (void)state;
    assert_non_null(in);
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t len = strlen(units[u]);
        for (size_t k = 0; k < size; k++)
            in[k] = units[u][k % len];
        buf_reset(&b);
        assert_int_equal(redact_text(in, size, &b, NULL), 0);
        assert_true(b.len > 0);
    }
    free(in);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nhs_number_valid),
        cmocka_unit_test(test_nhs_numbers),
        cmocka_unit_test(test_phone_numbers),
        cmocka_unit_test(test_postcodes),
        cmocka_unit_test(test_emails),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_appends_and_found_optional),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_pathological_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
