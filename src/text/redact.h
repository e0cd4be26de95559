/* redact.h: find and remove personal data in free text before anyone else sees it
 *
 * Kinds: email addresses, UK phone numbers, NHS numbers that pass the modulus-11 check,
 * UK postcodes and URLs. Each is replaced by a visible marker such as "[email removed]" so
 * readers know something was there. Pure functions: no I/O, no global state, thread-safe.
 */
#ifndef AHP_REDACT_H
#define AHP_REDACT_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

enum redact_kind {
    REDACT_EMAIL = 1 << 0,
    REDACT_PHONE = 1 << 1,
    REDACT_NHS_NUMBER = 1 << 2,
    REDACT_POSTCODE = 1 << 3,
    REDACT_URL = 1 << 4,
};

/* Appends s (n bytes of UTF-8) to out with every personal datum replaced by its marker.
 * *found (may be NULL) receives the OR of the kinds replaced. Returns 0 or APP_E_NOMEM. */
int redact_text(const char *s, size_t n, struct buf *out, unsigned *found);

/* "email address", "phone number", "NHS number", "postcode", "web address": for moderators. */
const char *redact_kind_name(enum redact_kind kind);

/* True when the 10 digits form a valid NHS number (modulus 11 check digit). */
bool nhs_number_valid(const char digits[10]);

#endif
