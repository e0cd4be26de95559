/* smoke_test.c: the real server on a loopback socket — the libmicrohttpd glue itself
 *
 * Everything else is tested through the in-process loopback; this suite checks what only a
 * socket shows: the query string reaching the parser, body limits announced by
 * Content-Length and streamed without it, oversized headers, concurrent connections, the
 * connection limit, the header deadline, the listening socket (IPv6, a port already taken),
 * and a clean stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "http/server.h"
#include "support/testapp.h"

static struct app *app;
static struct server *srv;
static int port;

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    app->cfg.listen = "127.0.0.1:0";
    app->cfg.threads = 2;
    app->cfg.max_header = 8 * 1024;
    if (server_start(app, &srv))
        return -1;
    port = server_port(srv);
    return port > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    server_stop(srv);
    testapp_free(app);
    return 0;
}

/* A connected socket to 127.0.0.1:p, or -1. No assertions: client threads call it too. */
static int dial(int p)
{
    struct sockaddr_in a = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)p);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Sends raw bytes, reads the whole answer (Connection: close) into out. Returns the status. */
static int exchange(const char *req, size_t len, char *out, size_t cap)
{
    int fd = dial(port), status = -1;
    size_t got = 0;
    ssize_t n;
    if (fd < 0)
        goto done;
    for (size_t off = 0; off < len;) {
        n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer and close before reading everything */
        off += (size_t)n;
    }
    while (got + 1 < cap && (n = recv(fd, out + got, cap - got - 1, 0)) > 0)
        got += (size_t)n;
    out[got] = '\0';
    if (sscanf(out, "HTTP/1.%*d %d", &status) != 1)
        status = -1;
done:
    if (fd >= 0)
        close(fd);
    return status;
}

static int get(const char *path, const char *extra, char *out, size_t cap)
{
    size_t cap_req = strlen(path) + (extra ? strlen(extra) : 0) + 128;
    char *req = malloc(cap_req);
    int n, status;
    assert_non_null(req);
    n = snprintf(req, cap_req, "GET %s HTTP/1.1\r\nHost: localhost\r\n%sConnection: close\r\n\r\n",
                 path, extra ? extra : "");
    assert_true(n > 0 && (size_t)n < cap_req);
    status = exchange(req, (size_t)n, out, cap);
    free(req);
    return status;
}

static void test_health_and_headers(void **state)
{
    static char out[65536];
    (void)state;
    assert_int_equal(get("/healthz", NULL, out, sizeof out), 200);
    assert_non_null(strstr(out, "\r\n\r\nok\n"));
    assert_int_equal(get("/", NULL, out, sizeof out), 200);
    assert_non_null(strstr(out, "Content-Security-Policy: default-src 'self'"));
    assert_non_null(strstr(out, "Set-Cookie: ahp_csrf="));
    assert_non_null(strstr(out, "HttpOnly; SameSite=Lax"));
    assert_int_equal(get("/nope", "Accept: application/json\r\n", out, sizeof out), 404);
    assert_non_null(strstr(out, "\"error\":\"not_found\""));
}

static void test_query_string_reaches_parser(void **state)
{
    static char out[65536];
    (void)state;
    assert_int_equal(get("/api/v1/login?next=%2Faccount", NULL, out, sizeof out), 200);
    assert_non_null(strstr(out, "\"next\":\"/account\""));
    assert_int_equal(get("/api/v1/login?next=%zz", NULL, out, sizeof out), 400);
}

static void test_body_limits(void **state)
{
    static char out[65536];
    char req[512];
    int n;
    (void)state;
    n = snprintf(req, sizeof req,
                 "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 999999999\r\nConnection: close\r\n\r\n{");
    assert_int_equal(exchange(req, (size_t)n, out, sizeof out), 413);
    assert_non_null(strstr(out, "too_large"));
    /* no Content-Length: chunked, over the limit while streaming */
    {
        size_t big = 80 * 1024, off;
        char *r = malloc(big + 512);
        assert_non_null(r);
        off = (size_t)snprintf(r, 512,
                               "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                               "application/json\r\nTransfer-Encoding: chunked\r\n"
                               "Connection: close\r\n\r\n%zx\r\n",
                               big);
        memset(r + off, ' ', big);
        off += big;
        memcpy(r + off, "\r\n0\r\n\r\n", 7);
        off += 7;
        assert_int_equal(exchange(r, off, out, sizeof out), 413);
        free(r);
    }
}

static void test_header_limit(void **state)
{
    static char out[65536];
    char *extra = malloc(20000);
    (void)state;
    assert_non_null(extra);
    memcpy(extra, "X-Big: ", 7);
    memset(extra + 7, 'a', 19000);
    memcpy(extra + 19007, "\r\n", 3);
    assert_int_equal(get("/", extra, out, sizeof out), 431);
    free(extra);
}

static void *client(void *arg)
{
    static __thread char out[65536];
    int *ok = arg;
    for (int i = 0; i < 25; i++)
        *ok += get("/healthz", NULL, out, sizeof out) == 200;
    return NULL;
}

static void test_concurrent_connections(void **state)
{
    pthread_t t[6];
    int ok[6] = {0};
    (void)state;
    for (int i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, client, &ok[i]);
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(ok[i], 25);
    }
}

static void test_access_log_is_private(void **state)
{
    static char out[65536];
    char path[] = "/tmp/ahphub-log-XXXXXX", logbuf[4096] = "";
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    FILE *f;
    (void)state;
    assert_true(fd >= 0 && saved >= 0);
    log_set_level(LOG_INFO);
    dup2(fd, STDERR_FILENO);
    assert_int_equal(get("/login?next=%2Fsecret-query-value", NULL, out, sizeof out), 200);
    usleep(200 * 1000); /* the line is written when the connection completes */
    dup2(saved, STDERR_FILENO);
    log_set_level(LOG_WARN);
    close(saved);
    f = fdopen(fd, "r");
    rewind(f);
    fread(logbuf, 1, sizeof logbuf - 1, f);
    fclose(f);
    unlink(path);
    assert_non_null(strstr(logbuf, "route=account_login_form status=200"));
    assert_null(strstr(logbuf, "secret-query-value"));
    assert_null(strstr(logbuf, "127.0.0.1"));
    assert_null(strstr(logbuf, "next="));
}

/* A second server on the same app, with its own listen address and connection limit. */
static int start_extra(const char *listen, int max_conns, struct server **out)
{
    struct app_config saved = app->cfg;
    int rc;
    app->cfg.listen = listen;
    app->cfg.max_conns = max_conns;
    app->cfg.threads = 2;
    rc = server_start(app, out);
    app->cfg = saved;
    return rc;
}

static int connect_to(int p)
{
    int fd = dial(p);
    assert_true(fd >= 0);
    return fd;
}

/* Sends a keep-alive GET /healthz; true when its answer arrives within ms. */
static bool healthz_answered(int fd, int ms)
{
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    char out[4096];
    size_t got = 0;
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    assert_int_equal(send(fd, req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)(sizeof req - 1));
    while (got + 1 < sizeof out && poll(&pf, 1, ms) == 1) {
        ssize_t n = recv(fd, out + got, sizeof out - got - 1, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        out[got] = '\0';
        if (strstr(out, "\r\n\r\nok\n"))
            return strncmp(out, "HTTP/1.1 200", 12) == 0;
    }
    return false;
}

/* At the limit a new client waits in the backlog, and is served when another leaves. */
static void test_connection_limit_waits(void **state)
{
    struct server *s2;
    int a, b, c;
    (void)state;
    assert_int_equal(start_extra("127.0.0.1:0", 2, &s2), APP_OK);
    a = connect_to(server_port(s2));
    b = connect_to(server_port(s2));
    assert_true(healthz_answered(a, 5000));
    assert_true(healthz_answered(b, 5000));
    c = connect_to(server_port(s2)); /* the kernel completes it; the server does not take it */
    assert_false(healthz_answered(c, 300));
    close(a);
    assert_true(healthz_answered(c, 5000)); /* the request sent above, answered now */
    assert_true(healthz_answered(b, 5000));
    close(b);
    close(c);
    server_stop(s2);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A slow client: a request line, then one header byte a second for at most 12 seconds.
 * closed_after is when the server closed the socket, or a negative number if it never did. */
struct trickler {
    pthread_t thread;
    int port;
    double closed_after;
};

static void *trickle(void *arg)
{
    static const char line[] = "GET /healthz HTTP/1.1\r\nX-Slow: ";
    struct trickler *t = arg;
    struct timespec t0;
    int fd = dial(t->port);
    t->closed_after = -1;
    if (fd < 0)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    send(fd, line, sizeof line - 1, MSG_NOSIGNAL);
    for (int i = 0; i < 12; i++) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        char c;
        if (poll(&pf, 1, 1000) == 1 && recv(fd, &c, 1, 0) <= 0) {
            t->closed_after = seconds_since(&t0);
            break;
        }
        if (send(fd, "a", 1, MSG_NOSIGNAL) != 1) {
            t->closed_after = seconds_since(&t0);
            break;
        }
    }
    close(fd);
    return NULL;
}

/* Clients trickling their headers fill the connection limit; the header deadline closes
 * them, so a normal client waiting in the backlog is served within a few seconds. Without
 * the deadline every trickled byte restarts the idle timeout and the client waits for as
 * long as the trickle lasts. */
static void test_header_deadline(void **state)
{
    static struct trickler slow[4]; /* static: a failed assertion leaves the threads running */
    struct server *s2;
    struct timespec t0;
    int saved = app->cfg.header_timeout, fd;
    (void)state;
    app->cfg.header_timeout = 2;
    assert_int_equal(start_extra("127.0.0.1:0", 4, &s2), APP_OK);
    app->cfg.header_timeout = saved;
    for (size_t i = 0; i < 4; i++) {
        slow[i].port = server_port(s2);
        assert_int_equal(pthread_create(&slow[i].thread, NULL, trickle, &slow[i]), 0);
    }
    usleep(500 * 1000); /* the four are accepted before the normal client connects */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fd = connect_to(server_port(s2));
    assert_true(healthz_answered(fd, 5000));
    assert_true(seconds_since(&t0) < 5);
    assert_true(healthz_answered(fd, 2000)); /* kept alive for a prompt next request */
    close(fd);
    for (size_t i = 0; i < 4; i++) {
        pthread_join(slow[i].thread, NULL);
        assert_true(slow[i].closed_after >= 1.5);
        assert_true(slow[i].closed_after < 5);
    }
    server_stop(s2);
}

/* SO_REUSEADDR only: a second server on a port in use fails instead of sharing it. */
static void test_port_in_use(void **state)
{
    char listen[32];
    struct server *s2 = NULL;
    (void)state;
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    assert_int_equal(start_extra(listen, 10, &s2), APP_E_IO);
    assert_null(s2);
    assert_int_equal(start_extra("127.0.0.1:http-ish", 10, &s2), APP_E_INVALID);
}

static void test_ipv6_listen(void **state)
{
    static char out[4096];
    struct sockaddr_in6 a = {0};
    struct server *s2;
    int fd, probe = socket(AF_INET6, SOCK_STREAM, 0);
    ssize_t n;
    size_t got = 0;
    (void)state;
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (probe < 0 || bind(probe, (struct sockaddr *)&a, sizeof a) != 0) {
        if (probe >= 0)
            close(probe);
        skip(); /* no IPv6 loopback on this machine */
    }
    close(probe);
    assert_int_equal(start_extra("[::1]:0", 10, &s2), APP_OK);
    a.sin6_port = htons((uint16_t)server_port(s2));
    fd = socket(AF_INET6, SOCK_STREAM, 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    send(fd, req, sizeof req - 1, MSG_NOSIGNAL);
    while (got + 1 < sizeof out && (n = recv(fd, out + got, sizeof out - got - 1, 0)) > 0)
        got += (size_t)n;
    out[got] = '\0';
    close(fd);
    server_stop(s2);
    assert_non_null(strstr(out, "HTTP/1.1 200"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_and_headers),
        cmocka_unit_test(test_query_string_reaches_parser),
        cmocka_unit_test(test_body_limits),
        cmocka_unit_test(test_header_limit),
        cmocka_unit_test(test_concurrent_connections),
        cmocka_unit_test(test_access_log_is_private),
        cmocka_unit_test(test_connection_limit_waits),
        cmocka_unit_test(test_header_deadline),
        cmocka_unit_test(test_port_in_use),
        cmocka_unit_test(test_ipv6_listen),
    };
    return cmocka_run_group_tests_name("http/smoke", tests, setup, teardown);
}
