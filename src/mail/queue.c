/* queue.c: mail_queue() — a message rendered from its two templates and put in the outbox
 *
 * Both parts are rendered now, at queueing, so the message is fixed by the change that made
 * it (a later edit of a template or of the data changes nothing already queued) and the
 * sender needs neither templates nor the caller's data. The plain-text part is rendered in
 * the template engine's text mode (no HTML escaping); the HTML part is escaped as any page.
 */
#include "mail/mail.h"
#include "mail/store.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "store/db.h"
#include "web/render.h"
#include "web/template.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#define MAX_NAME 64

bool mail_address_ok(const char *to)
{
    size_t n = to ? strlen(to) : 0;
    const char *at;
    if (n < 3 || n > MAIL_ADDRESS_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)to[i];
        /* line breaks would start a new header or SMTP command; the rest would break the
         * address out of "To: <…>" */
        if (ch < 0x21 || ch == 0x7f || strchr("<>,;\"()[]\\", ch))
            return false;
    }
    at = strrchr(to, '@');
    return at && at != to && at[1] && strchr(to, '@') == at;
}

bool mail_subject_ok(const char *subject)
{
    size_t n = subject ? strlen(subject) : 0;
    if (n == 0 || n > MAIL_SUBJECT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)subject[i] < 0x20 || subject[i] == 0x7f)
            return false;
    return true;
}

static bool name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

struct part {
    const struct buf *b;
};

static int fill_part(void *arg, struct buf *b)
{
    const struct part *p = arg;
    buf_append(b, p->b->data, p->b->len);
    return APP_OK;
}

/* Renders mail/NAME (text or HTML) and puts it in the mail layout of the same kind. */
static int render_part(struct tpl_set *tpl, const char *tname, bool text, json_t *m,
                       struct buf *out)
{
    struct buf inner = BUF_INIT;
    struct part p = {&inner};
    struct tpl_slot slot = {"body", fill_part, &p};
    int rc;
    rc = text ? tpl_render_text(tpl, tname, m, &inner, NULL) : tpl_render(tpl, tname, m, &inner);
    if (rc)
        goto done;
    buf_putc(&inner, '\0'); /* data is non-NULL even for an empty part */
    inner.len--;
    rc = text ? tpl_render_text(tpl, "mail/layout", m, out, &slot)
              : tpl_render_slot(tpl, "mail/layout", m, out, &slot);
done:
    buf_free(&inner);
    return rc;
}

int mail_render(struct tpl_set *tpl, const char *name, json_t *model, struct buf *text,
                struct buf *html)
{
    char tname[sizeof "mail/" + MAX_NAME];
    json_t *m = NULL;
    int rc;
    if (!name_ok(name))
        return APP_E_NOTFOUND;
    if (!json_is_object(model) ||
        !mail_subject_ok(json_string_value(json_object_get(model, "subject"))))
        return APP_E_INVALID;
    snprintf(tname, sizeof tname, "mail/%s", name);
    /* a shallow copy: the caller's model is only read */
    m = json_copy(model);
    if (!m || json_object_set_new(m, "service_name", json_string(SERVICE_NAME))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = render_part(tpl, tname, true, m, text);
    if (!rc)
        rc = render_part(tpl, tname, false, m, html);
    if (!rc && (buf_oom(text) || buf_oom(html)))
        rc = APP_E_NOMEM;
done:
    json_decref(m);
    return rc;
}

int mail_queue(struct db *db, struct tpl_set *tpl, const char *to, const char *name, json_t *model,
               int64_t *id)
{
    return mail_queue_about(db, tpl, to, name, "", 0, model, id);
}

int mail_withdraw(struct db *db, const char *topic)
{
    return topic && *topic ? db_run(db, SQL_MAIL_WITHDRAW, "t", topic) : APP_E_INVALID;
}

int mail_queue_about(struct db *db, struct tpl_set *tpl, const char *to, const char *name,
                     const char *topic, int64_t expires_at, json_t *model, int64_t *id)
{
    struct buf text = BUF_INIT, html = BUF_INIT;
    unsigned char raw[16];
    char key[33];
    int64_t got = 0;
    int rc;
    if (!mail_address_ok(to))
        return APP_E_INVALID;
    rc = mail_render(tpl, name, model, &text, &html);
    if (rc)
        goto done;
    if ((rc = rand_bytes(raw, sizeof raw)))
        goto done;
    sodium_bin2hex(key, sizeof key, raw, sizeof raw);
    rc = db_run_int(db, SQL_MAIL_INSERT, &got, "ttttttiti", name, to,
                    json_string_value(json_object_get(model, "subject")), text.data, html.data, key,
                    (int64_t)time(NULL), topic ? topic : "", expires_at);
    if (rc) {
        log_error("msg=\"mail not queued\" kind=%s err=%s", name, app_err_name(rc));
        goto done;
    }
    if (id)
        *id = got;
    mail_sender_wake();
done:
    buf_free(&text);
    buf_free(&html);
    return rc;
}
