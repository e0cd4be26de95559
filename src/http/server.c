/* server.c: libmicrohttpd glue
 *
 * libmicrohttpd calls the access handler several times per request: first with no upload
 * (headers are in), then once per body chunk, then once more with nothing to say it is done.
 * The per-request state (arena, parsed request, response) is created earlier still, in the
 * URI-log callback, because that is the only place the raw request target — query string
 * included — is visible; the query is then parsed by our own form parser like a body is.
 * The state is freed in the completion callback, which also writes the access-log line and
 * the metrics. The log line has the route, status and duration: no address, no query string.
 *
 * Connections are libmicrohttpd's: its thread pool listens, accepts and enforces the
 * connection limit (MHD_OPTION_CONNECTION_LIMIT, shared out between the workers; a worker at
 * its share stops accepting, so clients beyond the limit wait in the kernel's backlog).
 * Each worker runs libmicrohttpd's poll() loop, not its epoll one: the epoll loop takes up to
 * ten new connections per wake-up, so a burst of clients (wrk's 64 at once) could leave one
 * worker with none and another with half, and the requests queued on the crowded one set the
 * tail latency; the poll loop takes one per wake-up, and every worker wakes. poll() scans a
 * worker's own connections each turn, a few hundred at most under the default limit.
 *
 * Header deadline. libmicrohttpd's idle timeout restarts with every byte received, so a
 * client sending one header byte a second would hold a connection (and, at the limit, keep
 * everyone else in the backlog) for as long as it liked; 0.9.75 has no deadline for a whole
 * request head. So every connection is watched from the moment it is accepted (NOTIFY_CONNECTION
 * STARTED) until its headers are complete (the access handler's first call); after a response
 * it is watched again until the next request's headers are in. A reaper thread shuts down the
 * socket of any connection watched for longer than cfg.header_timeout; libmicrohttpd then reads
 * end-of-file and closes it as if the client had gone. The socket stays open until
 * NOTIFY_CLOSED has taken its entry off the list, under the same lock, so the reaper never
 * touches a descriptor that has been closed and reused. Bodies are not watched: once the
 * headers are in, only the idle timeout and the size limits apply.
 */
#include "http/server.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "http/metrics.h"
#include "http/router.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* One open connection, on the server's list from NOTIFY_STARTED to NOTIFY_CLOSED. */
struct conn_watch {
    struct conn_watch *prev, *next;
    int fd;
    bool waiting;          /* no complete request head since `since` */
    struct timespec since; /* accepted, or the last response finished */
};

struct server {
    struct MHD_Daemon *daemon;
    struct app *app;
    int port;
    /* the header deadline: lock guards watched and stopping */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct conn_watch *watched;
    double header_timeout; /* seconds; copied at start, the reaper's only setting */
    bool stopping;
    bool reaping; /* the reaper thread was started and must be joined */
    pthread_t reaper;
};

struct conn_req {
    struct arena *arena;
    struct req req;
    struct resp resp;
    struct buf body;
    const char *uri;
    struct timespec start;
    size_t route_idx;
    int header_count;
    bool started;
};

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void watch_set(struct server *s, struct MHD_Connection *conn, bool waiting)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn_watch *w = ci ? ci->socket_context : NULL;
    if (!w)
        return; /* the deadline is off */
    pthread_mutex_lock(&s->lock);
    w->waiting = waiting;
    clock_gettime(CLOCK_MONOTONIC, &w->since);
    pthread_mutex_unlock(&s->lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    struct conn_watch *w = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci)
            return;
        w = calloc(1, sizeof *w);
        if (!w) {
            /* a connection with no deadline is what the deadline is for: refuse it */
            shutdown(ci->connect_fd, SHUT_RDWR);
            return;
        }
        w->fd = ci->connect_fd;
        w->waiting = true;
        clock_gettime(CLOCK_MONOTONIC, &w->since);
        pthread_mutex_lock(&s->lock);
        w->next = s->watched;
        if (s->watched)
            s->watched->prev = w;
        s->watched = w;
        pthread_mutex_unlock(&s->lock);
        *socket_context = w;
        return;
    }
    if (!w)
        return;
    pthread_mutex_lock(&s->lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        s->watched = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&s->lock);
    free(w);
    *socket_context = NULL;
}

/* Every quarter second, shuts the sockets whose request head is overdue. */
static void *reap(void *arg)
{
    struct server *s = arg;
    const double deadline = s->header_timeout;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        struct timespec now, until;
        clock_gettime(CLOCK_MONOTONIC, &now);
        for (struct conn_watch *w = s->watched; w; w = w->next) {
            if (w->waiting && (double)(now.tv_sec - w->since.tv_sec) +
                                      (double)(now.tv_nsec - w->since.tv_nsec) / 1e9 >=
                                  deadline) {
                shutdown(w->fd, SHUT_RDWR);
                w->waiting = false;
            }
        }
        until = now;
        until.tv_nsec += 250 * 1000 * 1000;
        if (until.tv_nsec >= 1000 * 1000 * 1000) {
            until.tv_sec++;
            until.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&s->wake, &s->lock, &until);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct conn_req *cr = calloc(1, sizeof *cr);
    (void)cls;
    (void)conn;
    if (!cr)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &cr->start);
    cr->arena = arena_new();
    if (cr->arena)
        cr->uri = arena_strdup(cr->arena, uri);
    cr->route_idx = routes_count;
    return cr; /* an arena failure is answered with 500 on the first access call */
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *k,
                                    const char *v)
{
    (void)kind;
    (void)k;
    (void)v;
    ((struct conn_req *)cls)->header_count++;
    return MHD_YES;
}

static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind, const char *k,
                                   const char *v)
{
    struct conn_req *cr = cls;
    struct kv *h = &cr->req.headers[cr->req.nheaders];
    (void)kind;
    if (cr->req.nheaders >= (size_t)cr->header_count)
        return MHD_NO;
    h->name = arena_strdup(cr->arena, k);
    h->value = arena_strdup(cr->arena, v ? v : "");
    if (!h->name || !h->value)
        return MHD_NO;
    h->len = strlen(h->value);
    cr->req.nheaders++;
    return MHD_YES;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct conn_req *cr)
{
    struct MHD_Response *mr;
    struct resp *rs = &cr->resp;
    enum MHD_Result ret;
    if (rs->static_data) {
        mr = MHD_create_response_from_buffer(rs->static_len, (void *)rs->static_data,
                                             MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len;
        char *data = buf_detach(&rs->body, &len);
        if (!data) {
            static char oops[] = "Sorry, there is a problem with the service.\n";
            rs->status = 500;
            rs->content_type = "text/plain; charset=utf-8";
            mr = MHD_create_response_from_buffer(sizeof oops - 1, oops, MHD_RESPMEM_PERSISTENT);
        } else {
            mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
            if (!mr)
                free(data);
        }
    }
    if (!mr)
        return MHD_NO;
    if (rs->content_type)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
    for (size_t i = 0; i < rs->nheaders; i++)
        MHD_add_response_header(mr, rs->headers[i].name, rs->headers[i].value);
    ret = MHD_queue_response(conn, (unsigned)(rs->status ? rs->status : 500), mr);
    MHD_destroy_response(mr);
    return ret;
}

/* The client for rate limits: the socket's address or, behind a trusted proxy, the last
 * address the proxy appended to X-Forwarded-For. Only its keyed hash is kept. */
static void client_key(struct server *s, struct MHD_Connection *conn, struct conn_req *cr)
{
    char text[INET6_ADDRSTRLEN] = "";
    if (s->app->cfg.trust_proxy) {
        const char *xff = req_header(&cr->req, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            struct str t = str_trim(str_from(last ? last + 1 : xff));
            req_set_client(&cr->req, t.p, t.len);
            return;
        }
    }
    {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        const struct sockaddr *sa = ci ? ci->client_addr : NULL;
        if (sa && sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
        else if (sa && sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text,
                      sizeof text);
    }
    if (text[0])
        req_set_client(&cr->req, text, strlen(text));
}

/* Answers a request refused before its body was read (request line or size problems): the
 * pipeline turns err into the usual error page or JSON. */
static enum MHD_Result answer_early(struct server *s, struct MHD_Connection *conn,
                                    struct conn_req *cr, int err)
{
    cr->req.refused = err;
    s->app->dispatch(s->app, &cr->req, &cr->resp, &cr->route_idx);
    return send_resp(conn, cr);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    struct server *s = cls;
    struct conn_req *cr = *con_cls;
    (void)url;
    (void)version;
    if (!cr || !cr->arena || !cr->uri)
        return MHD_NO; /* out of memory before anything could be answered */
    if (!cr->started) {
        const char *cl;
        cr->started = true;
        watch_set(s, conn, false); /* the headers are in */
        buf_init(&cr->body);
        if (req_start(&cr->req, cr->arena, method, cr->uri))
            return answer_early(s, conn, cr, APP_E_INVALID);
        MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, cr);
        cr->req.headers = arena_alloc(cr->arena, ((size_t)cr->header_count + 1) *
                                                     sizeof *cr->req.headers);
        if (!cr->req.headers)
            return MHD_NO;
        MHD_get_connection_values(conn, MHD_HEADER_KIND, copy_header, cr);
        client_key(s, conn, cr);
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->app->cfg.max_body)
            return answer_early(s, conn, cr, APP_E_TOOBIG);
        return MHD_YES;
    }
    if (*upload_size) {
        if (cr->body.len + *upload_size > s->app->cfg.max_body)
            cr->req.body_too_big = true;
        else
            buf_append(&cr->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (buf_oom(&cr->body))
        return answer_early(s, conn, cr, APP_E_NOMEM);
    cr->req.body = cr->body.data ? cr->body.data : "";
    cr->req.body_len = cr->body.len;
    s->app->dispatch(s->app, &cr->req, &cr->resp, &cr->route_idx);
    return send_resp(conn, cr);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct conn_req *cr = *con_cls;
    double secs;
    watch_set(s, conn, true); /* the next request's head is due within the deadline */
    if (!cr)
        return;
    secs = since(&cr->start);
    if (cr->started) {
        int status = cr->resp.status ? cr->resp.status : 500;
        const char *route = cr->route_idx < routes_count ? routes[cr->route_idx].name : "none";
        metrics_observe(s->app->metrics, cr->route_idx, status, secs);
        log_access(cr->req.method_name ? cr->req.method_name : "-", route, status,
                   (long long)(secs * 1e6), toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    }
    buf_free(&cr->body);
    buf_free(&cr->resp.body);
    arena_free(cr->arena);
    free(cr);
    *con_cls = NULL;
}

/* "127.0.0.1:8080", "0.0.0.0:80", "[::1]:8080", ":8080" (all IPv4 interfaces). */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
    char host[64];
    const char *colon = strrchr(spec, ':');
    long port;
    char *end;
    memset(ss, 0, sizeof *ss);
    if (!colon || (size_t)(colon - spec) >= sizeof host)
        return APP_E_INVALID;
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || end == colon + 1)
        return APP_E_INVALID;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    if (host[0] == '[') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        size_t hl = strlen(host);
        if (hl < 2 || host[hl - 1] != ']')
            return APP_E_INVALID;
        host[hl - 1] = '\0';
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return APP_E_INVALID;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        if (!host[0])
            a4->sin_addr.s_addr = htonl(INADDR_ANY);
        else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
            return APP_E_INVALID;
    }
    return APP_OK;
}

/* libmicrohttpd's own messages (a port already in use, a failed thread) into our log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char text[512];
    size_t n;
    (void)cls;
    vsnprintf(text, sizeof text, fmt, ap);
    n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '.'))
        text[--n] = '\0';
    log_error("msg=\"libmicrohttpd\" reason=\"%s\"", text);
}

/* Stops the daemon (which closes every connection, emptying the list) and then the reaper. */
static void server_free(struct server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    if (s->reaping) {
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_cond_signal(&s->wake);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->reaper, NULL);
    }
    while (s->watched) {
        struct conn_watch *w = s->watched;
        s->watched = w->next;
        free(w);
    }
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int server_start(struct app *app, struct server **out)
{
    struct sockaddr_storage ss;
    struct server *s = NULL;
    const union MHD_DaemonInfo *di;
    pthread_condattr_t ca;
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    unsigned threads = app->cfg.threads > 1 ? (unsigned)app->cfg.threads : 1;
    const unsigned limit = app->cfg.max_conns > 0 ? (unsigned)app->cfg.max_conns : 1;
    int rc;
    *out = NULL;
    if (parse_listen(app->cfg.listen, &ss)) {
        log_error("msg=\"bad listen address\" listen=%s", app->cfg.listen);
        return APP_E_INVALID;
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* The limit is shared out between the workers, and a worker with no share would never
     * accept: no more threads than connections. */
    if (threads > limit)
        threads = limit;
    s = calloc(1, sizeof *s);
    if (!s)
        return APP_E_NOMEM;
    s->app = app;
    /* the reaper's waits are on the monotonic clock, like the deadlines it compares */
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &ca);
    pthread_condattr_destroy(&ca);
    s->header_timeout = (double)app->cfg.header_timeout;
    if (app->cfg.header_timeout > 0) {
        if (pthread_create(&s->reaper, NULL, reap, s) != 0) {
            log_error("msg=\"could not start the header deadline thread\"");
            rc = APP_E_NOMEM;
            goto done;
        }
        s->reaping = true;
    }
    /* The logger comes first so that libmicrohttpd's complaints about the options after it
     * reach our log too. MHD binds with SO_REUSEADDR and not SO_REUSEPORT (MHD_OPTION_LISTENING_ADDRESS_REUSE
     * left at 0), so a second server on a port in use fails here and logs why through
     * mhd_log ("Address already in use") instead of sharing the clients. */
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        threads > 1 ? threads : 0, MHD_OPTION_CONNECTION_LIMIT, limit,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, s, MHD_OPTION_NOTIFY_CONNECTION,
        app->cfg.header_timeout > 0 ? on_connection : NULL, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.conn_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)app->cfg.max_header, MHD_OPTION_END);
    if (!s->daemon) {
        log_error("msg=\"could not start the server\" listen=%s", app->cfg.listen);
        rc = APP_E_IO;
        goto done;
    }
    di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? (int)di->port : 0;
    *out = s;
    s = NULL;
    rc = APP_OK;
done:
    server_free(s);
    return rc;
}

void server_stop(struct server *s)
{
    server_free(s);
}

int server_port(const struct server *s)
{
    return s->port;
}
