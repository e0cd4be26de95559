/* app.c: building and tearing down the application (config, pool, migrations, templates) */
#include "app.h"
#include "account/account.h"
#include "account/oidc.h"
#include "account/links.h"
#include "core/hourly_count.h"
#include "listen/listen.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/str.h"
#include "http/handler.h"
#include "http/metrics.h"
#include "store/db.h"
#include "store/migrate.h"
#include "assess/results.h"
#include "assess/round.h"
#include "develop/catalogue.h" /* Develop: the starter catalogue */
#include "develop/feedback.h"
#include "develop/self.h"
#include "web/dispatch.h"
#include "web/render.h"
#include "web/template.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    char *end;
    long x;
    if (!v || !*v)
        return def;
    x = strtol(v, &end, 10);
    return *end ? def : x;
}

/* A secret from NAME, or from the file named by NAME_FILE (the way container platforms and
 * systemd credentials hand secrets over, so they stay out of the process environment).
 * The file's contents are read once, with one trailing newline dropped, and kept for the
 * life of the process; NULL when neither is set or the file cannot be read (logged). */
static const char *secret_from_env(const char *name)
{
    static char *kept[4];
    static int nkept;
    char fname[96];
    const char *v = getenv(name), *path;
    FILE *f;
    char *text = NULL;
    size_t cap = 0;
    ssize_t n;
    if (v && *v)
        return v;
    snprintf(fname, sizeof fname, "%s_FILE", name);
    path = getenv(fname);
    if (!path || !*path || nkept >= (int)(sizeof kept / sizeof kept[0]))
        return NULL;
    f = fopen(path, "r");
    if (!f) {
        log_error("msg=\"cannot read secret file\" var=%s", fname);
        return NULL;
    }
    n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    if (n <= 0) {
        free(text);
        return NULL;
    }
    if (text[n - 1] == '\n')
        text[n - 1] = '\0';
    kept[nkept++] = text;
    return text;
}

void app_config_defaults(struct app_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen = env_or("AHPHUB_LISTEN", "127.0.0.1:8080");
    cfg->db_url = env_or("AHPHUB_DB", "sqlite:data/ahphub.db");
    cfg->threads = (int)env_long("AHPHUB_THREADS", 4);
    cfg->dev_dir = getenv("AHPHUB_DEV_DIR");
    cfg->behind_tls = env_long("AHPHUB_BEHIND_TLS", 0) != 0;
    cfg->max_body = (size_t)env_long("AHPHUB_MAX_BODY", 10L * 1024 * 1024);
    cfg->max_header = (size_t)env_long("AHPHUB_MAX_HEADER", 16 * 1024);
    cfg->conn_timeout = (int)env_long("AHPHUB_CONN_TIMEOUT", 30);
    cfg->header_timeout = (int)env_long("AHPHUB_HEADER_TIMEOUT", 10);
    cfg->max_conns = (int)env_long("AHPHUB_MAX_CONNS", 1000);
    cfg->session_ttl = (int)env_long("AHPHUB_SESSION_TTL", 12 * 3600);
    cfg->login_max_fails = (int)env_long("AHPHUB_LOGIN_MAX_FAILS", 5);
    cfg->login_lock_secs = (int)env_long("AHPHUB_LOGIN_LOCK_SECS", 15 * 60);
    cfg->contact_email = getenv("AHPHUB_CONTACT_EMAIL");
    cfg->demo = env_long("AHPHUB_DEMO", 0) != 0;
    cfg->trust_proxy = env_long("AHPHUB_TRUST_PROXY", 0) != 0;
    cfg->min_free_mb = env_long("AHPHUB_MIN_FREE_MB", 64);
    cfg->base_url = getenv("AHPHUB_BASE_URL");
    cfg->smtp_url = getenv("AHPHUB_SMTP_URL");
    cfg->smtp_user = getenv("AHPHUB_SMTP_USER");
    cfg->smtp_password = secret_from_env("AHPHUB_SMTP_PASSWORD");
    cfg->mail_from = getenv("AHPHUB_MAIL_FROM");
    cfg->smtp_require_tls = env_long("AHPHUB_SMTP_REQUIRE_TLS", 0) != 0;
    cfg->oidc_issuer = getenv("AHPHUB_OIDC_ISSUER");
    cfg->oidc_client_id = getenv("AHPHUB_OIDC_CLIENT_ID");
    cfg->oidc_client_secret = secret_from_env("AHPHUB_OIDC_CLIENT_SECRET");
    cfg->oidc_name = env_or("AHPHUB_OIDC_NAME", "Sign in with your organisation's account");
}

bool app_sends_mail(const struct app_config *cfg)
{
    return cfg->smtp_url && *cfg->smtp_url;
}

const char *app_config_check(const struct app_config *cfg)
{
    if (cfg->demo)
        return NULL;
    if (!cfg->contact_email || !*cfg->contact_email)
        return "set AHPHUB_CONTACT_EMAIL to the address people can write to about "
               "accessibility and their data (the accessibility statement and privacy notice "
               "give it), or serve with --demo for a demonstration";
    if (!strchr(cfg->contact_email, '@'))
        return "AHPHUB_CONTACT_EMAIL must be an email address, like "
               "ahphub-support@example.nhs.uk";
    return NULL;
}

/* The secret that signs CSRF tokens is made once and kept in the database, so every server
 * of a deployment shares it and restarts do not log forms out. */
static int load_secret(struct app *app, struct db *db)
{
    static const char ins[] = "INSERT INTO meta (key, value) VALUES ('secret', $1) "
                              "ON CONFLICT (key) DO NOTHING";
    static const char sel[] = "SELECT value FROM meta WHERE key = 'secret'";
    unsigned char raw[32];
    char hex[65];
    struct db_stmt *st = NULL;
    size_t bin_len;
    int rc = rand_bytes(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    rc = db_run(db, ins, "t", hex);
    if (rc)
        goto done;
    rc = db_row(db, sel, &st, "");
    if (rc) {
        rc = rc == APP_E_NOTFOUND ? APP_E_INTERNAL : rc;
        goto done;
    }
    if (sodium_hex2bin(app->secret, sizeof app->secret, db_col_text(st, 0), db_col_len(st, 0), NULL,
                       &bin_len, NULL) != 0 ||
        bin_len != sizeof app->secret) {
        rc = APP_E_INTERNAL;
        goto done;
    }
    rc = APP_OK;
done:
    db_finalize(st);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

int app_init(struct app *app, const struct app_config *cfg)
{
    struct db *db;
    int rc, applied = 0;
    memset(app, 0, sizeof *app);
    app->cfg = *cfg;
    app->dispatch = dispatch;
    /* the address links are made from, in mail and calendar files as on pages: as
     * configured, else the one the server listens on */
    if (!app->cfg.base_url || !*app->cfg.base_url)
        snprintf(app->base_url, sizeof app->base_url, "http://%s", cfg->listen);
    else
        snprintf(app->base_url, sizeof app->base_url, "%s", app->cfg.base_url);
    app->cfg.base_url = app->base_url;
    if (sodium_init() < 0)
        return APP_E_INTERNAL;
    rc = db_pool_new(cfg->db_url, cfg->threads + 1, &app->pool);
    if (rc)
        goto fail;
    db = db_pool_get(app->pool);
    rc = migrate_up(db, &applied);
    if (!rc)
        rc = load_secret(app, db);
    if (!rc) /* the instruments shipped in data/ are there from the first start */
        rc = assess_version_seed(db);
    if (!rc) /* ---- Develop: the shipped leadership frameworks, likewise ---- */
        rc = develop_version_seed(db);
    if (!rc) /* ---- Develop: the starter catalogue of activities, when there is none ---- */
        rc = develop_catalogue_seed(db);
    db_pool_put(app->pool, db);
    if (rc)
        goto fail;
    if (applied)
        log_info("msg=\"applied migrations\" count=%d", applied);
    rc = assess_version_cache_new(&app->assess_versions);
    if (!rc)
        rc = ref_option_sets_new(&app->ref_options);
    if (!rc)
        rc = assess_results_cache_new(&app->assess_results);
    if (!rc)
        rc = listen_client_limits_new(&app->listen_limits);
    if (!rc)
        rc = login_throttle_new(&app->login_throttle);
    if (!rc && cfg->oidc_issuer && *cfg->oidc_issuer) {
        rc = oidc_client_new(cfg->oidc_issuer, cfg->oidc_client_id, cfg->oidc_client_secret,
                             &app->oidc);
        if (rc == APP_E_INVALID)
            log_error("msg=\"sign-in with the organisation's account needs an https issuer, "
                      "AHPHUB_OIDC_CLIENT_ID and the client secret\"");
    }
    if (!rc)
        rc = hourly_count_new(&app->reset_limit);
    if (!rc)
        rc = hourly_count_new(&app->feedback_drafts);
    if (!rc)
        rc = tpl_set_new(cfg->dev_dir, &app->tpl);
    if (!rc)
        rc = tpl_set_preload(app->tpl);
    if (rc)
        goto fail;
    app->metrics = metrics_new(routes_count);
    if (!app->metrics) {
        rc = APP_E_NOMEM;
        goto fail;
    }
    return APP_OK;
fail:
    app_free(app);
    return rc;
}

void app_free(struct app *app)
{
    listen_client_limits_free(app->listen_limits);
    login_throttle_free(app->login_throttle);
    oidc_client_free(app->oidc);
    hourly_count_free(app->reset_limit);
    app->reset_limit = NULL;
    hourly_count_free(app->feedback_drafts);
    app->feedback_drafts = NULL;
    assess_results_cache_free(app->assess_results);
    assess_version_cache_free(app->assess_versions);
    ref_option_sets_free(app->ref_options);
    metrics_free(app->metrics);
    tpl_set_free(app->tpl);
    db_pool_free(app->pool);
    sodium_memzero(app->secret, sizeof app->secret);
    app->assess_results = NULL;
    app->listen_limits = NULL;
    app->login_throttle = NULL;
    app->oidc = NULL;
    app->assess_versions = NULL;
    app->ref_options = NULL;
    app->metrics = NULL;
    app->tpl = NULL;
    app->pool = NULL;
}
