/* smtp.h: one message handed to an SMTP server through libcurl, and what the server said
 *
 * No database and no outbox here: the sender (sender.c) and `ahphub mail test` call this
 * with a message already rendered, and decide from the outcome what to record.
 */
#ifndef AHP_MAIL_SMTP_H
#define AHP_MAIL_SMTP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app_config;

/* Where and how to send. Strings are borrowed. */
struct mail_smtp {
    const char *url;  /* "smtps://host:465" (TLS from the start) or "smtp://host:587"
                       * (STARTTLS when the server offers it) */
    const char *user; /* NULL or "": no AUTH */
    const char *password;
    const char *from; /* the envelope and From address */
    bool require_tls; /* smtp:// on loopback: refuse to send unless STARTTLS succeeds */
    long timeout;     /* seconds for the whole exchange, and at most for each answer */
};

struct mail_message {
    const char *to, *subject, *text, *html;
    const char *message_key; /* the Message-ID's left part, the same on every attempt */
    int64_t date;            /* unix time for the Date header */
};

enum mail_outcome {
    MAIL_SENT,      /* the server took the message (250 after the data) */
    MAIL_TEMPORARY, /* try again later: no connection, a timeout, TLS, login, any 4xx */
    MAIL_PERMANENT, /* the server refused the recipient or the message with 5xx */
    MAIL_UNKNOWN,   /* the connection ended (or was stopped) after the message went out and
                     * before the server's answer: it may or may not have arrived */
};

#define MAIL_DETAIL_MAX 400

/* Lets another thread abandon a send at once. mail_stop_now() sets the flag and shuts the
 * connection down, so that every wait ends, even the one for the answer to the message's data,
 * which libcurl does not interrupt for its progress callback. init before use, destroy
 * after; mail_stop_requested(NULL) is false. */
struct mail_stop {
    atomic_bool stop;
    pthread_mutex_t mu;
    int fd; /* the connection in use, or -1; under mu */
};
void mail_stop_init(struct mail_stop *st);
void mail_stop_destroy(struct mail_stop *st);
void mail_stop_now(struct mail_stop *st);
bool mail_stop_requested(struct mail_stop *st);

/* Fills s from the configuration: url, user and password as configured, from as
 * cfg->mail_from or "ahphub@<host of base_url>" (written into from_buf, n bytes),
 * require_tls, and a 60-second timeout. base_url is the one app_init() settled. */
void mail_smtp_from_config(const struct app_config *cfg, const char *base_url, struct mail_smtp *s,
                           char *from_buf, size_t n);

/* Sends m through s. *outcome says what happened; detail (MAIL_DETAIL_MAX bytes) gets one
 * line for people: the server's last reply on success ("250 2.0.0 Ok: queued as 1234"),
 * otherwise what went wrong and the server's reply if it gave one. It never holds the
 * password. stop (may be NULL) abandons the exchange when mail_stop_now() is called: the
 * outcome is then MAIL_TEMPORARY if none of the message had gone out, else MAIL_UNKNOWN
 * (detail MAIL_ERR_STOPPED). Returns 0, or APP_E_INVALID when the recipient, sender or
 * subject could break a header or an SMTP command (nothing is sent; *outcome is
 * MAIL_PERMANENT), or APP_E_NOMEM. */
int mail_smtp_send(const struct mail_smtp *s, const struct mail_message *m, struct mail_stop *stop,
                   enum mail_outcome *outcome, char *detail);

/* libcurl's global set-up, before the first send, while no other thread is sending; each
 * call is matched by one mail_smtp_global_cleanup() (libcurl counts them). Returns 0 or
 * APP_E_NOMEM. */
int mail_smtp_global_init(void);
void mail_smtp_global_cleanup(void);

/* Whether a message to url may go only over TLS: always for smtps://, and for smtp:// unless
 * the server is on this machine (a relay on loopback often offers no STARTTLS) and require
 * is false. Elsewhere an attacker on the path could strip STARTTLS and read the password and
 * every link in the mail. */
bool mail_smtp_tls_required(const char *url, bool require);

#endif
