/* log.c: structured log lines on stderr */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = LOG_INFO;
static atomic_int quiet;

void log_set_level(enum log_level level)
{
    atomic_store(&min_level, (int)level);
}

void log_set_quiet(int q)
{
    atomic_store(&quiet, q);
}

/* "2026-11-21T10:00:00Z" into out (32 bytes). */
static void timestamp(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool enabled(enum log_level level)
{
    return (int)level >= atomic_load(&min_level) && !atomic_load(&quiet);
}

/* One write(2) per line: atomic for lines this short, and no stdio lock for the server's
 * threads to queue on. */
static void emit(const char *line, size_t len)
{
    (void)!write(STDERR_FILENO, line, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    char line[2048], ts[32];
    va_list ap;
    int n, m;
    size_t len;
    if (!enabled(level))
        return;
    timestamp(ts);
    n = snprintf(line, sizeof line, "ts=%s level=%s ", ts, names[level]);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    len = (size_t)n + (size_t)m;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    emit(line, len);
}

void log_access(const char *method, const char *route, int status, long long us, bool aborted)
{
    if (us < 0)
        us = 0;
    log_info("msg=access method=%s route=%s status=%d ms=%lld.%03lld%s", method, route,
             status < 0 ? 0 : status, us / 1000, us % 1000, aborted ? " aborted=1" : "");
}
