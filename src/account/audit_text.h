/* audit_text.h: the audit log in words — "Ali Khan made Jo Walsh an admin" — for the admin's
 * audit page
 *
 * One table in audit_text.c turns every event code the program writes (account_audit()
 * calls across src/) into a sentence pattern; tests/unit/account/audit_text_test.c walks
 * src/ and fails for a code with no sentence, so a new event cannot reach the page as a raw
 * code. The JSON keeps the raw code beside the sentence for programs.
 */
#ifndef AHP_ACCOUNT_AUDIT_TEXT_H
#define AHP_ACCOUNT_AUDIT_TEXT_H

#include <stdbool.h>

#include "account/account.h"

struct arena;

/* The entry as a sentence, in the arena; NULL only when out of memory. A code with no
 * sentence reads "Event <code>" (never hidden). */
const char *account_audit_sentence(struct arena *a, const struct audit_entry *e);
/* True when the code has a sentence of its own. */
bool account_audit_known(const char *code);

#endif
