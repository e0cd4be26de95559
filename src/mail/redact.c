/* redact.c: taking the secrets out of a message once nobody needs to read them
 *
 * Mail carries links that act for the reader (set a password, reset one): a 256-bit token as
 * 64 hex digits in the path. Until a message is delivered the outbox must keep it; after
 * that, anyone who reads the outbox (an admin on /admin/mail, whoever holds a backup) could
 * use the link in the recipient's place. So the sender takes the tokens out of the stored
 * bodies the moment the server has the message, and the outbox page hides them while a mail
 * server is set up. Without one (a demonstration) the outbox is the only way a link can be
 * followed, and they are shown.
 */
#include "mail/mail.h"
#include "core/arena.h"
#include "core/buf.h"

#include <ctype.h>
#include <string.h>

#define TOKEN_DIGITS 64

static bool hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

const char *mail_redact_links(struct arena *a, const char *text)
{
    struct buf b = BUF_INIT;
    const char *p = text, *out;
    if (!text)
        return NULL;
    while (*p) {
        size_t n = 0;
        while (hex(p[n]))
            n++;
        /* a run of exactly 64 hex digits: a token, not part of a longer hex string */
        if (n == TOKEN_DIGITS && (p == text || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[n])) {
            buf_puts(&b, MAIL_REDACTED);
        } else {
            buf_append(&b, p, n ? n : 1);
        }
        p += n ? n : 1;
    }
    out = buf_oom(&b) ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return out;
}
