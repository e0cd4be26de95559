/* health.c: the operators' routes — /healthz (alive) and /readyz (takes writes) for the load
 * balancer, /metrics for Prometheus
 *
 * Raw routes (R_RAW): no session, no layout, plain text, never cached.
 */
#include "app.h"
#include "core/err.h"
#include "http/handler.h"
#include "http/metrics.h"
#include "store/db.h"
#include "store/probe.h"

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Liveness: the process answers. It asks nothing of the database, so a balancer or a
 * supervisor never restarts a server because its database is slow or full: /readyz says
 * whether to send it work. */
int page_site_healthz(struct ctx *c)
{
    static const char ok[] = "ok\n";
    return resp_bytes(c, 200, "text/plain; charset=utf-8", ok, sizeof ok - 1);
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
    return resp_bytes(c, why ? 503 : 200, "text/plain; charset=utf-8", text, (size_t)n);
}

int page_site_metrics(struct ctx *c)
{
    buf_reset(&c->resp->body);
    metrics_write(c->app->metrics, &c->resp->body);
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    c->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return APP_OK;
}
