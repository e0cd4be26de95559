/* arena_test.c: the region allocator — alignment, big blocks, cleanups, failure injection */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/err.h"

static void test_alignment_and_reuse(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    assert_non_null(a);
    for (int i = 1; i < 200; i++) {
        char *p = arena_alloc(a, (size_t)i);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)i); /* ASan catches any overlap or overflow */
    }
    assert_true(arena_used(a) >= 199 * 200 / 2);
    arena_free(a);
}

static void test_large_allocations(void **state)
{
    struct arena *a = arena_new();
    char *small, *big, *after;
    (void)state;
    small = arena_alloc(a, 10);
    big = arena_alloc(a, 1 << 20);
    after = arena_alloc(a, 10);
    assert_non_null(small);
    assert_non_null(big);
    assert_non_null(after);
    memset(big, 1, 1 << 20);
    /* the big block does not waste the current block's tail */
    assert_true(after > small && after - small < 8192);
    assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
    arena_free(a);
}

static void test_strings(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    assert_string_equal(arena_strndup(a, "hello world", 5), "hello");
    assert_string_equal(arena_strdup(a, "x"), "x");
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_printf(a, "%d-%s", 42, "ok"), "42-ok");
    arena_free(a);
}

static int order[4], norder;
static void note(void *p)
{
    order[norder++] = (int)(intptr_t)p;
}

static void test_cleanups_run_in_reverse(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    norder = 0;
    assert_int_equal(arena_on_free(a, note, (void *)1), APP_OK);
    assert_int_equal(arena_on_free(a, note, (void *)2), APP_OK);
    assert_int_equal(arena_on_free(a, note, (void *)3), APP_OK);
    arena_free(a);
    assert_int_equal(norder, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[2], 1);
}

static void test_grow(void **state)
{
    struct arena *a = arena_new();
    size_t cap = 0;
    int *v = NULL;
    (void)state;
    for (int i = 0; i < 1000; i++) {
        int *nv = arena_grow(a, v, (size_t)i + 1, &cap, sizeof *v);
        assert_non_null(nv);
        v = nv;
        v[i] = i;
    }
    assert_true(cap >= 1000 && cap < 2048);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v[i], i); /* earlier elements survive every move */
    assert_ptr_equal(arena_grow(a, v, 10, &cap, sizeof *v), v); /* enough room: same array */
    arena_free(a);
}

static void test_fail_after(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    arena_fail_after(3);
    assert_non_null(arena_alloc(a, 8));
    assert_non_null(arena_alloc(a, 8));
    assert_null(arena_alloc(a, 8));
    assert_null(arena_alloc(a, 8)); /* and every later one */
    assert_int_equal(arena_on_free(a, note, NULL), APP_E_NOMEM);
    arena_fail_after(0);
    assert_non_null(arena_alloc(a, 8));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_reuse),
        cmocka_unit_test(test_large_allocations),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_cleanups_run_in_reverse),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_fail_after),
    };
    return cmocka_run_group_tests_name("core/arena", tests, NULL, NULL);
}
