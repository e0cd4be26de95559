/* health.c: the operators' routes — /healthz for the load balancer, /metrics for Prometheus
 *
 * Raw routes (R_RAW): no session, no layout, plain text, never cached.
 */
#include "app.h"
#include "core/err.h"
#include "http/handler.h"
#include "http/metrics.h"
#include "store/db.h"

int page_site_healthz(struct ctx *c)
{
    static const char ok[] = "ok\n", down[] = "database unavailable\n";
    struct db *db = db_pool_get(c->app->pool);
    struct db_stmt *st = NULL;
    int rc = db_row(db, "SELECT 1", &st, "");
    db_finalize(st);
    db_pool_put(c->app->pool, db);
    if (rc) {
        metrics_db_error(c->app->metrics);
        rc = resp_bytes(c, 503, "text/plain; charset=utf-8", down, sizeof down - 1);
    } else {
        rc = resp_bytes(c, 200, "text/plain; charset=utf-8", ok, sizeof ok - 1);
    }
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
