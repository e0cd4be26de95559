/* log.h: one-line structured log records on stderr
 *
 * Lines are "ts=2026-11-21T10:00:00Z level=info msg=..." followed by key=value pairs the
 * caller formats. Nothing personal is logged: no IP addresses, no query strings, no emails
 * in access lines. Thread-safe (one write per line).
 */
#ifndef AHP_LOG_H
#define AHP_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below this level are dropped. Default LOG_INFO. */
void log_set_level(enum log_level level);
/* Silences everything (tests that provoke errors on purpose). */
void log_set_quiet(int quiet);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The access line of one request, at info level: "msg=access method=GET route=NAME
 * status=200 ms=1.234", and " aborted=1" when the client went away first. */
void log_access(const char *method, const char *route, int status, long long us, bool aborted);

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
