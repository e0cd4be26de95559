/* redact.h: find and remove personal data in free text before anyone else sees it
 *
 * Kinds: email addresses (written out too: "jane dot doe at nhs dot net"), UK phone numbers,
 * NHS numbers that pass the modulus-11 check, UK postcodes and web addresses (bare domains
 * such as "bit.ly/x" too). Each is replaced by a visible marker such as "[email removed]" so
 * readers know something was there. Matching reads a normalised view of the text (NFKC-like
 * forms, format characters such as zero-width spaces dropped), so full-width digits or a
 * hidden joiner do not hide a datum; everything outside a marker is copied unchanged.
 * Pure functions: no I/O, no global state, thread-safe.
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

/* Appends s (n bytes of UTF-8) to out with every personal datum replaced by its marker; the
 * bytes between markers are s's own, so with nothing found out receives s exactly. Bytes that
 * are not UTF-8 are copied as they are. *found (may be NULL) receives the OR of the kinds
 * replaced. Returns 0, or APP_E_NOMEM when out (or the view of a non-ASCII text, freed
 * before return) could not grow. */
int redact_text(const char *s, size_t n, struct buf *out, unsigned *found);

/* Appends s (n bytes) to out with the words of every marker redact_text writes left out
 * ("call [phone number removed] today" -> "call [] today"; matched as redact_text matches
 * them, case aside), so that counting the words of redacted text (theme analysis) never counts
 * "phone", "number" or "removed" for the data taken out. The brackets stay, so the words
 * either side are still two phrases. Returns 0, or APP_E_NOMEM when out could not grow. */
int redact_strip_markers(const char *s, size_t n, struct buf *out);

/* "email address", "phone number", "NHS number", "postcode", "web address": for moderators. */
const char *redact_kind_name(enum redact_kind kind);

/* True when the 10 digits form a valid NHS number (modulus 11 check digit). */
bool nhs_number_valid(const char digits[10]);

#endif
