/* log_test.c: the log line format (src/core/log.c), and the access line */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

static char captured[8192];

/* Runs fn with stderr sent to a temporary file, and keeps what it wrote in `captured`. */
static void capture(void (*fn)(void))
{
    char path[] = "/tmp/ahphub-logtest-XXXXXX";
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    ssize_t n;
    assert_true(fd >= 0 && saved >= 0);
    dup2(fd, STDERR_FILENO);
    fn();
    dup2(saved, STDERR_FILENO);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    n = read(fd, captured, sizeof captured - 1);
    captured[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

/* Everything after the timestamp, line by line. */
static const char *after_ts(const char *line)
{
    const char *sp = strchr(line, ' ');
    assert_non_null(sp);
    assert_int_equal(strncmp(line, "ts=", 3), 0);
    assert_int_equal(sp - line, (long)strlen("ts=2026-11-21T10:00:00Z"));
    return sp + 1;
}

static void write_access_lines(void)
{
    log_set_level(LOG_INFO);
    log_access("GET", "site_home", 200, 0, false);
    log_access("POST", "account_login", 303, 1234567, false);
    log_access("GET", "listen_show", 500, 45, true);
    log_set_level(LOG_WARN);
    log_access("GET", "site_home", 200, 1, false); /* below the level: nothing */
}

static void access_lines(void **state)
{
    char *lines[8], *save = NULL;
    int n = 0;
    (void)state;
    capture(write_access_lines);
    for (char *l = strtok_r(captured, "\n", &save); l && n < 8; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    assert_int_equal(n, 3);
    assert_string_equal(after_ts(lines[0]),
                        "level=info msg=access method=GET route=site_home status=200 ms=0.000");
    assert_string_equal(after_ts(lines[1]), "level=info msg=access method=POST "
                                            "route=account_login status=303 ms=1234.567");
    assert_string_equal(after_ts(lines[2]), "level=info msg=access method=GET "
                                            "route=listen_show status=500 ms=0.045 aborted=1");
}

static void write_long_line(void)
{
    static char route[4000];
    memset(route, 'r', sizeof route - 1);
    log_set_level(LOG_INFO);
    log_access("GET", route, 200, 1, false);
    log_set_level(LOG_WARN);
}

static void long_values_are_cut_not_overrun(void **state)
{
    (void)state;
    capture(write_long_line);
    assert_true(strlen(captured) <= 2048); /* the line buffer, newline included */
    assert_int_equal(captured[strlen(captured) - 1], '\n');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(access_lines),
        cmocka_unit_test(long_values_are_cut_not_overrun),
    };
    return cmocka_run_group_tests_name("core/log", tests, NULL, NULL);
}
