/* app.h: the long-lived application: configuration, database pool, templates, secrets, metrics
 *
 * One struct app per process. Everything that outlives a request hangs off it and is freed by
 * app_free(), so the sanitizers report nothing at exit.
 */
#ifndef AHP_APP_H
#define AHP_APP_H

#include <stdbool.h>
#include <stddef.h>

struct db_pool;
struct tpl_set;
struct metrics;
struct req;
struct resp;
struct assess_version_cache;
struct ref_option_sets;
struct assess_results_cache;
struct listen_client_limits;
struct oidc_client;

struct app_config {
    const char *listen;   /* "127.0.0.1:8080" */
    const char *db_url;   /* "sqlite:data/ahphub.db" or "postgres://…" */
    int threads;          /* server worker threads, each with its own connection */
    const char *dev_dir;  /* --dev: read templates from this source tree on every render */
    bool behind_tls;      /* adds HSTS and Secure cookies */
    size_t max_body;      /* bytes; larger bodies get 413 */
    size_t max_header;    /* bytes of request line + headers; larger get 431 */
    int conn_timeout;     /* seconds a connection may stay idle */
    int header_timeout;   /* seconds to send a request's headers; 0 turns the deadline off */
    int max_conns;        /* concurrent connections */
    int session_ttl;      /* seconds a session lives without use */
    int login_max_fails;  /* failed logins by one client on one account before a lock */
    int login_lock_secs;  /* how long the first lock lasts (account/throttle.c) */
    const char *contact_email; /* shown on the accessibility and privacy pages; required to
                                * serve the public (app_config_check), except in demo mode */
    bool demo;                 /* --demo / AHPHUB_DEMO=1: a demonstration, not a public service */
    bool trust_proxy;          /* take the client address from X-Forwarded-For (rate limits) */
    long min_free_mb;          /* /readyz fails below this much free disk under SQLite */
    /* The address people reach the site at, for links in mail ("https://ahphub.example.nhs.uk",
     * no trailing slash). Defaults to http://<listen>. */
    const char *base_url;
    /* Mail (src/mail/): with smtp_url NULL nothing is sent and admins read the outbox in
     * the site. smtp_password comes from AHPHUB_SMTP_PASSWORD or the file named by
     * AHPHUB_SMTP_PASSWORD_FILE. */
    const char *smtp_url;      /* "smtps://smtp.example:465" or "smtp://host:587" (STARTTLS) */
    const char *smtp_user;
    const char *smtp_password;
    const char *mail_from;     /* the From address; defaults to "ahphub@<host of base_url>" */
    bool smtp_require_tls;     /* smtp://: send only over STARTTLS (AHPHUB_SMTP_REQUIRE_TLS=1) */
    /* Sign-in with the organisation's identity provider (account/oidc*.c): off while
     * oidc_issuer is NULL. The secret comes from AHPHUB_OIDC_CLIENT_SECRET or the file named
     * by AHPHUB_OIDC_CLIENT_SECRET_FILE. */
    const char *oidc_issuer;   /* "https://login.microsoftonline.com/<tenant>/v2.0" */
    const char *oidc_client_id;
    const char *oidc_client_secret;
    const char *oidc_name;     /* the button's words: "Sign in with NHSmail"; has a default */
};

struct app {
    struct app_config cfg;
    struct db_pool *pool;
    struct tpl_set *tpl;
    struct metrics *metrics;
    unsigned char secret[32]; /* keys CSRF tokens; shared by every server through the db */
    char base_url[300]; /* the base URL in use (cfg.base_url points here): as configured, or
                         * http://<listen> when it was not */
    /* What pages keep between requests, for this database: parsed instrument versions and
     * the benchmarks of the rounds being looked at (src/assess/versions.c, results.c). */
    struct assess_version_cache *assess_versions;
    /* The select options pages share, never changed once built (account/reference.c). */
    struct ref_option_sets *ref_options;
    struct assess_results_cache *assess_results;
    /* Listen's per-network-client limits, counted in this process (listen/ratelimit.c). */
    struct listen_client_limits *listen_limits;
    /* Failed password checks per network client, counted in this process (account/throttle.c). */
    struct login_throttle *login_throttle;
    /* The organisation's identity provider, when sign-in with it is configured
     * (account/oidc_client.c); NULL when cfg.oidc_issuer is. */
    struct oidc_client *oidc;
    /* Requests for password reset links per client and per address (account/reset_limit.c). */
    struct hourly_count *reset_limit;
    /* New 360° drafts per network client (develop/draft_limit.c). */
    struct hourly_count *feedback_drafts;
    /* The request pipeline (web/dispatch.c's dispatch()), set by app_init(): the socket side
     * in http/ hands it a read request without depending on the layers that answer it. */
    void (*dispatch)(struct app *app, struct req *r, struct resp *out, size_t *route_idx);
};

/* Fills cfg with defaults, then overrides from AHPHUB_* environment variables. */
void app_config_defaults(struct app_config *cfg);
/* Whether cfg is fit to serve the public: a public deployment must say whom to contact about
 * accessibility (AHPHUB_CONTACT_EMAIL, an address with an @), or its accessibility statement
 * is a dead end. Demo mode (cfg->demo) needs none. Returns NULL when fit, else a sentence for
 * the operator saying what to set (static). */
const char *app_config_check(const struct app_config *cfg);
/* Whether a mail server is set up (AHPHUB_SMTP_URL): without one, mail waits in the outbox
 * unsent, and what depends on mail reaching someone must say so or not happen. */
bool app_sends_mail(const struct app_config *cfg);
/* Opens the database pool (size cfg->threads + 1), applies migrations, loads the secret and
 * the templates. On failure everything opened is closed again. */
int app_init(struct app *app, const struct app_config *cfg);
void app_free(struct app *app);

#endif
