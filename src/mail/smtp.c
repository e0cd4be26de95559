/* smtp.c: one message to an SMTP server through libcurl (SMTPS, or SMTP with STARTTLS)
 *
 * The message is a MIME multipart/alternative (text, then HTML: the last part a mail
 * program can show is the one it prefers) built with curl_mime, each part quoted-printable
 * so long lines and UTF-8 survive any relay. The headers (Date, From, To, Subject encoded per
 * RFC 2047 when it is not ASCII, Message-ID; libcurl adds MIME-Version) are ours; every value
 * in them has been checked for line breaks, so nothing can add a header or a recipient.
 *
 * What went wrong decides what the sender does next, so the exchange is followed through
 * libcurl's debug callback: the last command sent (only its verb: AUTH's continuation lines
 * carry the credentials and are never kept), whether any of the message's data went out,
 * and the server's last reply line. A 5xx to RCPT TO, DATA or the data itself is permanent;
 * everything else (no connection, TLS, a refused login, a 5xx to MAIL FROM, which is how a
 * server asks for a login, and any 4xx) is worth trying again. Losing the connection after
 * the data went out and before the server's answer leaves the outcome unknown: the message
 * may have been delivered, so it is not sent again.
 */
#include "mail/smtp.h"
#include "mail/mail.h"
#include "app.h"
#include "core/err.h"
#include "web/render.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_KEPT 300

struct exchange {
    char last_in[LINE_MAX_KEPT]; /* the server's last reply line */
    char last_cmd[12];           /* the verb of our last command */
    /* The first refusal (4xx or 5xx) and the command it answered: libcurl says QUIT after
     * it, and "221 Bye" is not what anyone needs to read. */
    char err_in[LINE_MAX_KEPT];
    char err_cmd[12];
    int err_code;
    bool data_out;
    struct mail_stop *stop;
};

void mail_stop_init(struct mail_stop *st)
{
    atomic_init(&st->stop, false);
    pthread_mutex_init(&st->mu, NULL);
    st->fd = -1;
}

void mail_stop_destroy(struct mail_stop *st)
{
    pthread_mutex_destroy(&st->mu);
}

void mail_stop_now(struct mail_stop *st)
{
    atomic_store(&st->stop, true);
    pthread_mutex_lock(&st->mu);
    if (st->fd >= 0)
        shutdown(st->fd, SHUT_RDWR); /* the sending thread closes it */
    pthread_mutex_unlock(&st->mu);
}

bool mail_stop_requested(struct mail_stop *st)
{
    return st && atomic_load(&st->stop);
}

/* libcurl's socket, made here so mail_stop_now() can shut it down. The descriptor is only
 * ever shut down under the lock while it is still this connection's, never after close. */
static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct mail_stop *st = arg;
    int fd;
    (void)purpose;
    if (mail_stop_requested(st))
        return CURL_SOCKET_BAD;
    fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
    if (fd < 0)
        return CURL_SOCKET_BAD;
    pthread_mutex_lock(&st->mu);
    st->fd = fd;
    pthread_mutex_unlock(&st->mu);
    return fd;
}

static int close_socket(void *arg, curl_socket_t fd)
{
    struct mail_stop *st = arg;
    pthread_mutex_lock(&st->mu);
    if (st->fd == fd)
        st->fd = -1;
    pthread_mutex_unlock(&st->mu);
    return close(fd);
}

/* Writes the line for people into detail, cut at MAIL_DETAIL_MAX bytes (a server's long
 * answer is cut, which is fine: the start says what happened). */
static void say(char *detail, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(char *detail, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, MAIL_DETAIL_MAX, fmt, ap);
    va_end(ap);
}

int mail_smtp_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? APP_OK : APP_E_NOMEM;
}

void mail_smtp_global_cleanup(void)
{
    curl_global_cleanup();
}

/* The host of a URL ("https://hub.example.nhs.uk:8443/x" → "hub.example.nhs.uk"). */
static void url_host(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://"), *e;
    size_t len;
    p = p ? p + 3 : url;
    if (*p == '[') { /* an IPv6 literal has no name to send mail from */
        snprintf(out, n, "localhost");
        return;
    }
    e = p + strcspn(p, ":/?#");
    len = (size_t)(e - p);
    snprintf(out, n, "%.*s", (int)len, p);
}

void mail_smtp_from_config(const struct app_config *cfg, const char *base_url, struct mail_smtp *s,
                           char *from_buf, size_t n)
{
    memset(s, 0, sizeof *s);
    s->url = cfg->smtp_url && *cfg->smtp_url ? cfg->smtp_url : NULL;
    s->user = cfg->smtp_user;
    s->password = cfg->smtp_password;
    s->require_tls = cfg->smtp_require_tls;
    s->timeout = 60;
    if (cfg->mail_from && *cfg->mail_from) {
        snprintf(from_buf, n, "%s", cfg->mail_from);
    } else {
        char host[256];
        url_host(base_url ? base_url : "", host, sizeof host);
        /* an address literal such as 127.0.0.1 is no mail domain */
        if (!*host || strspn(host, "0123456789.") == strlen(host))
            snprintf(host, sizeof host, "localhost");
        snprintf(from_buf, n, "ahphub@%s", host);
    }
    s->from = from_buf;
}

/* Keeps a line of the exchange: the server's replies whole, our commands by verb only. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
    static const char *const verbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
                                        "RCPT", "DATA", "QUIT",     "RSET"};
    struct exchange *x = arg;
    (void)h;
    if (type == CURLINFO_HEADER_IN) {
        size_t n = size;
        while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
            n--;
        if (n >= sizeof x->last_in)
            n = sizeof x->last_in - 1;
        for (size_t i = 0; i < n; i++)
            x->last_in[i] = (unsigned char)data[i] < 0x20 ? ' ' : data[i];
        x->last_in[n] = '\0';
        /* a reply is "NNN text" or "NNN-text"; continuation lines repeat the code */
        if (!x->err_code && n >= 3 && (data[0] == '4' || data[0] == '5') && data[1] >= '0' &&
            data[1] <= '9' && data[2] >= '0' && data[2] <= '9') {
            x->err_code = (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
            memcpy(x->err_in, x->last_in, n + 1);
            memcpy(x->err_cmd, x->last_cmd, sizeof x->err_cmd);
        }
    } else if (type == CURLINFO_HEADER_OUT) {
        for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
            size_t vl = strlen(verbs[i]);
            if (size >= vl && !strncmp(data, verbs[i], vl) &&
                (size == vl || data[vl] == ' ' || data[vl] == '\r' || data[vl] == '\n')) {
                snprintf(x->last_cmd, sizeof x->last_cmd, "%s", verbs[i]);
                break;
            }
        }
    } else if (type == CURLINFO_DATA_OUT && size > 0) {
        x->data_out = true;
    }
    return 0;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const struct exchange *x = arg;
    (void)dt, (void)dn, (void)ut, (void)un;
    return mail_stop_requested(x->stop) ? 1 : 0;
}

/* "Subject: …" with the subject as RFC 2047 encoded words when it is not ASCII: base64 of
 * at most 39 bytes each, cut between UTF-8 characters, folded onto lines of their own. */
static void subject_header(struct buf *b, const char *subject)
{
    size_t n = strlen(subject), i = 0;
    bool ascii = true;
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)subject[k] >= 0x80)
            ascii = false;
    buf_puts(b, "Subject: ");
    if (ascii) {
        buf_puts(b, subject);
        return;
    }
    while (i < n) {
        char b64[sodium_base64_ENCODED_LEN(39, sodium_base64_VARIANT_ORIGINAL)];
        size_t len = n - i > 39 ? 39 : n - i;
        /* do not split a character: back off continuation bytes */
        while (i + len < n && len > 1 && ((unsigned char)subject[i + len] & 0xC0) == 0x80)
            len--;
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)subject + i, len,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
        i += len;
    }
}

/* RFC 5322 date in UTC, with English names whatever the locale. */
static void date_header(struct buf *b, int64_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Appends one header (a whole line without its CRLF) to the list; false when out of memory. */
static bool add_header(struct curl_slist **list, struct buf *line)
{
    struct curl_slist *l;
    if (buf_oom(line))
        return false;
    l = curl_slist_append(*list, line->data);
    buf_reset(line);
    if (!l)
        return false;
    *list = l;
    return true;
}

/* A text part, its line ends made CRLF: quoted-printable keeps CRLF as line breaks and
 * would encode a bare LF as =0A, which some mail programs then show as one long line. */
static bool add_text_part(curl_mime *mime, const char *data, const char *type)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    struct buf crlf = BUF_INIT;
    bool ok;
    for (const char *p = data; *p; p++) {
        if (*p == '\n' && (p == data || p[-1] != '\r'))
            buf_putc(&crlf, '\r');
        buf_putc(&crlf, *p);
    }
    ok = part && !buf_oom(&crlf) &&
         curl_mime_data(part, crlf.data ? crlf.data : "", crlf.len) == CURLE_OK;
    buf_free(&crlf);
    return ok && curl_mime_type(part, type) == CURLE_OK &&
           curl_mime_encoder(part, "quoted-printable") == CURLE_OK;
}

/* A line for people from what went wrong; no secrets can be in it (see the top). */
static void describe_failure(char *detail, CURLcode cc, const char *errbuf,
                             const struct exchange *x)
{
    const char *what = *errbuf ? errbuf : curl_easy_strerror(cc);
    if (x->err_code)
        say(detail, "%s; the server said: %s", what, x->err_in);
    else
        say(detail, "%s", what);
    for (char *p = detail; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
}

int mail_smtp_send(const struct mail_smtp *s, const struct mail_message *m, struct mail_stop *stop,
                   enum mail_outcome *outcome, char *detail)
{
    struct exchange x = {.stop = stop};
    struct curl_slist *rcpt = NULL, *headers = NULL;
    struct buf line = BUF_INIT;
    char errbuf[CURL_ERROR_SIZE] = "";
    const char *domain;
    curl_mime *mime = NULL;
    CURL *h = NULL;
    CURLcode cc;
    int rc = APP_E_NOMEM;
    *outcome = MAIL_TEMPORARY;
    detail[0] = '\0';
    if (!mail_address_ok(m->to) || !mail_address_ok(s->from) || !mail_subject_ok(m->subject)) {
        *outcome = MAIL_PERMANENT;
        snprintf(detail, MAIL_DETAIL_MAX,
                 "Not sent: the recipient, sender or subject is not valid in a mail header");
        return APP_E_INVALID;
    }
    domain = strrchr(s->from, '@') + 1;
    if (!(h = curl_easy_init()))
        goto done;

    /* the envelope */
    buf_printf(&line, "<%s>", m->to);
    if (buf_oom(&line) || !(rcpt = curl_slist_append(NULL, line.data)))
        goto done;
    buf_reset(&line);
    buf_printf(&line, "<%s>", s->from);
    if (buf_oom(&line))
        goto done;
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, line.data); /* copied by libcurl */
    buf_reset(&line);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     mail_smtp_tls_required(s->url, s->require_tls) ? (long)CURLUSESSL_ALL
                                                                    : (long)CURLUSESSL_TRY);
    if (s->user && *s->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, s->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, s->password ? s->password : "");
    }

    /* the headers */
    date_header(&line, m->date);
    if (!add_header(&headers, &line))
        goto done;
    buf_printf(&line, "From: %s <%s>", SERVICE_NAME, s->from);
    if (!add_header(&headers, &line))
        goto done;
    buf_printf(&line, "To: <%s>", m->to);
    if (!add_header(&headers, &line))
        goto done;
    subject_header(&line, m->subject);
    if (!add_header(&headers, &line))
        goto done;
    buf_printf(&line, "Message-ID: <%s@%s>", m->message_key, domain);
    if (!add_header(&headers, &line))
        goto done;

    /* the body: the alternatives straight under the message's own header */
    if (!(mime = curl_mime_init(h)))
        goto done;
    if (!add_text_part(mime, m->text, "text/plain; charset=utf-8") ||
        !add_text_part(mime, m->html, "text/html; charset=utf-8"))
        goto done;
    /* libcurl adds the boundary to a multipart Content-Type given here */
    buf_puts(&line, "Content-Type: multipart/alternative");
    if (!add_header(&headers, &line))
        goto done;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);

    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, s->timeout < 15 ? s->timeout : 15L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, s->timeout);
    /* each answer's wait too: libcurl waits up to 2 minutes for the reply to the data
     * whatever CURLOPT_TIMEOUT says */
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, s->timeout);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* for the debug callback; it prints nothing */
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
    if (stop) {
        curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
        curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, stop);
        curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
        curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, stop);
    }

    cc = curl_easy_perform(h);
    rc = APP_OK;
    if (cc == CURLE_OK) {
        *outcome = MAIL_SENT;
        say(detail, "%s", x.last_in[0] ? x.last_in : "250 OK");
        goto done;
    }
    describe_failure(detail, cc, errbuf, &x);
    if (cc == CURLE_OUT_OF_MEMORY) {
        rc = APP_E_NOMEM;
    } else if (x.err_code >= 500 &&
               (x.data_out || !strcmp(x.err_cmd, "RCPT") || !strcmp(x.err_cmd, "DATA"))) {
        *outcome = MAIL_PERMANENT;
    } else if (mail_stop_requested(stop)) {
        if (x.data_out && !x.err_code) {
            *outcome = MAIL_UNKNOWN; /* stopped while the server was taking the message */
            say(detail, "%s", MAIL_ERR_STOPPED);
        } else {
            say(detail, "The server was stopping; nothing was sent");
        }
    } else if (x.data_out && !x.err_code) {
        /* the message went out and no refusal came back: it may have arrived */
        *outcome = MAIL_UNKNOWN;
        say(detail,
            "The connection ended after the message was sent, before the server confirmed "
            "it (%s); it may or may not have arrived",
            *errbuf ? errbuf : curl_easy_strerror(cc));
    }
done:
    if (rc == APP_E_NOMEM && !detail[0])
        say(detail, "Out of memory; nothing was sent");
    curl_mime_free(mime);
    curl_slist_free_all(rcpt);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    buf_free(&line);
    return rc;
}

bool mail_smtp_tls_required(const char *url, bool require)
{
    static const char *const local[] = {"smtp://127.0.0.1", "smtp://localhost", "smtp://[::1]"};
    if (require || strncmp(url, "smtp://", 7) != 0)
        return true;
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
        size_t n = strlen(local[i]);
        if (!strncmp(url, local[i], n) && (url[n] == ':' || url[n] == '/' || url[n] == '\0'))
            return false;
    }
    return true;
}
