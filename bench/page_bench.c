/* page_bench.c: in-process cost of rendering pages, through the loopback (no sockets)
 *
 * Separates the program's own work per request from the network and libmicrohttpd: prints
 * one JSON line per page with requests per second on one thread, and the same for /healthz
 * as the anchor (the cheapest route through the same pipeline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testapp.h"
#include "timing.h"

static double run(struct test_client *tc, const char *uri, int n)
{
    double t0 = now_s();
    for (int i = 0; i < n; i++)
        if (tc_get(tc, uri) != 200) {
            fprintf(stderr, "page_bench: %s answered %d\n", uri, tc->res.status);
            exit(1);
        }
    return n / (now_s() - t0);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    struct app *app = testapp_new();
    struct test_client tc;
    const char *only = getenv("BENCH_PAGE");
    const char *pages[] = {"/healthz", "/", "/account", "/admin/users"};
    testapp_user(app, "bench@example.test", "admin", "bench password 1234");
    tc_init(&tc, app);
    if (tc_login(&tc, "bench@example.test", "bench password 1234") != 303)
        return 1;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (only && strcmp(only, pages[i]) != 0)
            continue;
        run(&tc, pages[i], n / 10); /* warm caches */
        printf("{\"bench\":\"page\",\"page\":\"%s\",\"req_per_s_one_thread\":%.0f,\"n\":%d}\n",
               pages[i], run(&tc, pages[i], n), n);
    }
    tc_free(&tc);
    testapp_free(app);
    return 0;
}
