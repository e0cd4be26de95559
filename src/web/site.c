/* site.c: the home page, static assets, health, metrics and the service's own info pages */
#include "app.h"
#include "account/account.h"
#include "core/embed.h"
#include "core/err.h"
#include "http/handler.h"
#include "http/metrics.h"
#include "store/db.h"
#include "store/probe.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int page_site_home(struct ctx *c)
{
    /* Only modules that exist are listed; each later module adds itself here. The model is
     * built with jobj(), not json_pack(), which parses its format on every call: this is the
     * busiest page. */
    json_t *m, *me;
    int rc = account_home_summary(c, &me);
    if (rc)
        return rc;
    m = jobj(json_object(), "title",
             json_string_nocheck("Clinical leadership for the allied health professions"));
    m = jobj(m, "logged_in", jbool(c->user != NULL));
    if (me)
        m = jobj(m, "me", me);
    return render(c, 200, "site/home", m);
}

int page_site_accessibility(struct ctx *c)
{
    return render(c, 200, "site/accessibility",
                  json_pack("{s:s}", "title", "Accessibility statement"));
}

int page_site_privacy(struct ctx *c)
{
    return render(c, 200, "site/privacy", json_pack("{s:s}", "title", "Privacy notice"));
}

/* Liveness: the process answers. It asks nothing of the database, so a balancer or a
 * supervisor never restarts a server because its database is slow or full: /readyz says
 * whether to send it work. */
int page_site_healthz(struct ctx *c)
{
    static const char ok[] = "ok\n";
    int rc = resp_bytes(c, 200, "text/plain; charset=utf-8", ok, sizeof ok - 1);
    return rc ? rc : resp_header(c, "Cache-Control", "no-store");
}

/* Readiness: the database takes a write now and, under SQLite, its disk has room
 * (AHPHUB_MIN_FREE_MB). 503 with the reason otherwise, for the balancer and the operator. */
int page_site_readyz(struct ctx *c)
{
    struct db *db = db_pool_get(c->app->pool);
    uint64_t free_bytes = 0, want = (uint64_t)c->app->cfg.min_free_mb * 1024 * 1024;
    const char *why = NULL;
    char text[160];
    int rc = db_probe_write(db, (int64_t)time(NULL)), n;
    if (rc) {
        metrics_db_error(c->app->metrics);
        why = "the database does not take writes";
    } else if ((rc = db_free_bytes(db, &free_bytes)) == APP_OK && free_bytes < want) {
        why = "the database's disk is nearly full";
    } else if (rc && rc != APP_E_NOTFOUND) {
        why = "the database's disk cannot be checked";
    }
    db_pool_put(c->app->pool, db);
    if (why)
        n = snprintf(text, sizeof text, "not ready: %s\n", why);
    else
        n = snprintf(text, sizeof text, "ready\n");
    rc = resp_bytes(c, why ? 503 : 200, "text/plain; charset=utf-8", text, (size_t)n);
    return rc ? rc : resp_header(c, "Cache-Control", "no-store");
}

int page_site_metrics(struct ctx *c)
{
    buf_reset(&c->resp->body);
    metrics_write(c->app->metrics, &c->resp->body);
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    c->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return resp_header(c, "Cache-Control", "no-store");
}

static const char *mime_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

static int send_embedded(struct ctx *c, const char *name)
{
    const struct embed_file *f;
    char key[256];
    const char *inm;
    char etag[32];
    if (snprintf(key, sizeof key, "assets/%s", name) >= (int)sizeof key || strstr(name, ".."))
        return APP_E_NOTFOUND;
    f = embed_find(key);
    if (!f)
        return APP_E_NOTFOUND;
    /* The binary is the version: the ETag is the file's size and a cheap hash of its bytes. */
    {
        unsigned long h = 5381;
        for (size_t i = 0; i < f->len; i += 1 + f->len / 4096)
            h = h * 33 + f->data[i];
        snprintf(etag, sizeof etag, "\"%zx-%lx\"", f->len, h);
    }
    if (resp_header(c, "ETag", etag) ||
        resp_header(c, "Cache-Control", "public, max-age=3600"))
        return APP_E_NOMEM;
    inm = req_header(c->req, "If-None-Match");
    c->resp->content_type = mime_type(name);
    if (inm && !strcmp(inm, etag)) {
        c->resp->status = 304;
        return APP_OK;
    }
    c->resp->static_data = f->data;
    c->resp->static_len = f->len;
    c->resp->status = 200;
    return APP_OK;
}

int page_site_asset(struct ctx *c)
{
    return send_embedded(c, req_param(c->req, "path"));
}

int page_site_favicon(struct ctx *c)
{
    return send_embedded(c, "images/favicon.ico");
}
