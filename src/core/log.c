/* log.c: structured log lines on stderr */
#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

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

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    char line[2048], ts[32];
    struct tm tm;
    time_t now;
    va_list ap;
    int n;
    if ((int)level < atomic_load(&min_level) || atomic_load(&quiet))
        return;
    now = time(NULL);
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    n = snprintf(line, sizeof line, "ts=%s level=%s ", ts, names[level]);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
