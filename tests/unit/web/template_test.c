/* template_test.c: tests for src/web/template.c (the Mustache-subset template engine) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "web/template.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Parses JSON written with ' for " (so models read easily in C); a literal apostrophe in
 * the data is \u0027. */
static json_t *model(const char *js)
{
    char *copy = strdup(js), *p;
    json_error_t err;
    json_t *m;
    assert_non_null(copy);
    for (p = copy; *p; p++)
        if (*p == '\'')
            *p = '"';
    m = json_loads(copy, 0, &err);
    if (!m)
        fail_msg("bad test model: %s: %s", err.text, js);
    free(copy);
    return m;
}

/* Renders text against m through set and returns the code; *out is the malloc'd output. */
static int render_m(struct tpl_set *set, const char *text, json_t *m, char **out)
{
    struct buf b = BUF_INIT;
    int rc = tpl_render_string(set, text, strlen(text), m, &b);
    *out = buf_detach(&b, NULL);
    return rc;
}

static void check_m(struct tpl_set *set, const char *text, json_t *m, const char *want)
{
    char *got;
    assert_int_equal(render_m(set, text, m, &got), APP_OK);
    assert_string_equal(got, want);
    free(got);
}

static void check(struct tpl_set *set, const char *text, const char *js, const char *want)
{
    json_t *m = js ? model(js) : NULL;
    check_m(set, text, m, want);
    json_decref(m);
}

/* Expects the render to fail with rc and to leave a buffer's earlier content as it was. */
static void check_fails(struct tpl_set *set, const char *text, const char *js, int rc)
{
    json_t *m = js ? model(js) : NULL;
    struct buf b = BUF_INIT;
    buf_puts(&b, "before|");
    assert_int_equal(tpl_render_string(set, text, strlen(text), m, &b), rc);
    assert_false(buf_oom(&b));
    assert_string_equal(b.data, "before|");
    buf_free(&b);
    json_decref(m);
}

static struct tpl_set *new_set(void)
{
    struct tpl_set *set = NULL;
    assert_int_equal(tpl_set_new(NULL, &set), APP_OK);
    assert_non_null(set);
    return set;
}

/* ---- values and escaping ------------------------------------------------------------------ */

static void plain_text_passes_through(void **state)
{
    (void)state;
    check(NULL, "", "{}", "");
    check(NULL, "no tags at all, just { and } and }}", "{}", "no tags at all, just { and } and }}");
    check(NULL, "a\nb\r\n", NULL, "a\nb\r\n");
}

static void variables_are_escaped(void **state)
{
    json_t *m = json_pack("{s:s}", "t", "<script>alert('x') & \"y\"</script>");
    (void)state;
    check_m(NULL, "<p>{{t}}</p>", m,
            "<p>&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p>");
    check_m(NULL, "{{ t }}|{{\tt\t}}", m,
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;|"
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    json_decref(m);
}

/* A value must not be able to leave the quoted attribute it is rendered into. */
static void attribute_values_stay_inside_quotes(void **state)
{
    json_t *m = json_pack("{s:s}", "t", "\" onmouseover=\"x");
    (void)state;
    check_m(NULL, "<a title=\"{{t}}\">", m, "<a title=\"&quot; onmouseover=&quot;x\">");
    json_decref(m);
    m = json_pack("{s:s}", "t", "' onmouseover='x");
    check_m(NULL, "<a title='{{t}}'>", m, "<a title='&#39; onmouseover=&#39;x'>");
    json_decref(m);
}

static void raw_variables_are_not_escaped(void **state)
{
    json_t *m = json_pack("{s:s}", "h", "<b>bold & \"quoted\"</b>");
    (void)state;
    check_m(NULL, "{{{h}}}|{{& h }}|{{{ h }}}", m,
            "<b>bold & \"quoted\"</b>|<b>bold & \"quoted\"</b>|<b>bold & \"quoted\"</b>");
    json_decref(m);
}

static void scalars_render_as_text(void **state)
{
    (void)state;
    check(NULL, "{{i}} {{neg}} {{big}}", "{'i': 42, 'neg': -7, 'big': 9007199254740993}",
          "42 -7 9007199254740993");
    check(NULL, "{{r}} {{half}} {{z}} {{nz}} {{huge}} {{small}}",
          "{'r': 3.0, 'half': 2.5, 'z': 0.0, 'nz': -0.0, 'huge': 1e20, 'small': 0.000125}",
          "3 2.5 0 0 1e+20 0.000125");
    check(NULL, "[{{t}}] [{{f}}] [{{n}}] [{{missing}}] [{{o}}] [{{a}}]",
          "{'t': true, 'f': false, 'n': null, 'o': {'x': 1}, 'a': [1, 2]}",
          "[true] [false] [] [] [] []");
    check(NULL, "[{{x}}]", NULL, "[]");
}

/* ---- sections ------------------------------------------------------------------------------ */

static void sections_over_arrays_repeat(void **state)
{
    (void)state;
    check(NULL, "<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
          "{'items': [{'name': 'a'}, {'name': 'b<'}, {'name': 'c'}]}",
          "<ul><li>a</li><li>b&lt;</li><li>c</li></ul>");
    check(NULL, "{{#xs}}[{{.}}]{{/xs}}", "{'xs': ['a', 1, 2.5, true, '<']}",
          "[a][1][2.5][true][&lt;]");
    check(NULL, "{{#xs}}{{#.}}({{.}}){{/.}};{{/xs}}", "{'xs': [[1, 2], [], [3]]}", "(1)(2);;(3);");
}

static void sections_over_objects_push_context(void **state)
{
    (void)state;
    check(NULL, "{{#user}}{{name}} ({{role}}){{/user}}",
          "{'user': {'name': 'Ann', 'role': 'admin'}}", "Ann (admin)");
    check(NULL, "{{#user}}[{{name}}]{{/user}}", "{'user': {}}", "[]");
}

static void sections_on_scalars(void **state)
{
    (void)state;
    check(NULL, "{{#t}}yes{{/t}}{{#f}}no{{/f}}", "{'t': true, 'f': false}", "yes");
    check(NULL, "{{#n}}no{{/n}}{{#missing}}no{{/missing}}", "{'n': null}", "");
    check(NULL, "{{#e}}no{{/e}}{{#s}}<{{.}}>{{/s}}", "{'e': '', 's': 'hi'}", "<hi>");
    check(NULL, "{{#z}}no{{/z}}{{#zr}}no{{/zr}}{{#one}}{{.}}{{/one}}{{#r}}{{.}}{{/r}}",
          "{'z': 0, 'zr': 0.0, 'one': 1, 'r': 0.5}", "10.5");
    check(NULL, "{{#a}}no{{/a}}", "{'a': []}", "");
}

static void inverted_sections(void **state)
{
    (void)state;
    check(NULL, "{{^a}}none{{/a}}", "{'a': []}", "none");
    check(NULL, "{{^a}}none{{/a}}", "{'a': [1]}", "");
    check(NULL, "{{^f}}F{{/f}}{{^n}}N{{/n}}{{^m}}M{{/m}}{{^e}}E{{/e}}{{^z}}Z{{/z}}",
          "{'f': false, 'n': null, 'e': '', 'z': 0}", "FNMEZ");
    check(NULL, "{{^t}}no{{/t}}{{^o}}no{{/o}}{{^s}}no{{/s}}", "{'t': true, 'o': {}, 's': 'x'}", "");
    check(NULL, "{{#items}}<li>{{.}}</li>{{/items}}{{^items}}<p>No items</p>{{/items}}",
          "{'items': []}", "<p>No items</p>");
}

static void nested_sections_see_outer_names(void **state)
{
    (void)state;
    check(NULL, "{{#users}}{{name}}@{{org}};{{/users}}",
          "{'org': 'NHS', 'users': [{'name': 'a'}, {'name': 'b', 'org': 'own'}]}", "a@NHS;b@own;");
    check(NULL, "{{#a}}{{#b}}{{#c}}{{x}}{{y}}{{z}}{{/c}}{{/b}}{{/a}}",
          "{'x': 1, 'a': {'y': 2, 'b': [{'c': {'z': 3}}, {'c': {'z': 4, 'x': 9}}]}}", "123924");
    check(NULL, "{{#rows}}{{#cols}}{{r}}{{.}} {{/cols}}{{/rows}}",
          "{'cols': ['x', 'y'], 'rows': [{'r': 1}, {'r': 2}]}", "1x 1y 2x 2y ");
}

static void dotted_names(void **state)
{
    (void)state;
    check(NULL, "{{user.name}} {{user.address.city}}",
          "{'user': {'name': 'Ann', 'address': {'city': 'Leeds'}}}", "Ann Leeds");
    check(NULL, "[{{user.nope}}][{{nope.name}}][{{user.name.x}}]", "{'user': {'name': 'Ann'}}",
          "[][][]");
    check(NULL, "{{#user.address}}{{city}}{{/user.address}}",
          "{'user': {'address': {'city': 'York'}}}", "York");
    /* Only the first part walks outwards: b is found in a (a number), so b.c is missing even
     * though the root has b.c. */
    check(NULL, "{{#a}}[{{b.c}}]{{/a}}", "{'b': {'c': 'root'}, 'a': {'b': 1}}", "[]");
    check(NULL, "{{#a}}[{{b.c}}]{{/a}}", "{'b': {'c': 'root'}, 'a': {'x': 1}}", "[root]");
    check(NULL, "{{#a}}{{.}}{{/a}}", "{'a': 'x'}", "x");
}

static void comments_render_nothing(void **state)
{
    (void)state;
    check(NULL, "a{{! a comment with {{ and }and <b> }}b", "{}", "ab");
    check(NULL, "a{{!}}b", "{}", "ab");
}

static void standalone_tags_leave_no_blank_lines(void **state)
{
    (void)state;
    check(NULL, "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n",
          "{'items': ['a', 'b']}", "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
    check(NULL, "a\n{{! comment }}\nb\n", "{}", "a\nb\n");
    check(NULL, "{{^x}}\nnone\n{{/x}}\n", "{}", "none\n");
    check(NULL, "a\r\n\t{{#t}}\t\r\nb\r\n{{/t}}", "{'t': true}", "a\r\nb\r\n");
    /* not alone on the line: the whitespace stays */
    check(NULL, "a {{#t}}b{{/t}} c\n", "{'t': true}", "a b c\n");
    check(NULL, "{{x}} {{#t}}\nb\n{{/t}}\n", "{'x': 1, 't': true}", "1 \nb\n");
    /* variables are never standalone */
    check(NULL, "a\n  {{x}}\nb", "{'x': 1}", "a\n  1\nb");
}

/* ---- partials ---------------------------------------------------------------------------- */

static void partials_render_with_the_context_stack(void **state)
{
    struct tpl_set *set = new_set();
    (void)state;
    assert_int_equal(tpl_set_add(set, "partials/item", "<li>{{name}} of {{org}}</li>"), APP_OK);
    check(set, "<ul>{{#items}}{{> partials/item}}{{/items}}</ul>",
          "{'org': 'NHS', 'items': [{'name': 'a'}, {'name': 'b'}]}",
          "<ul><li>a of NHS</li><li>b of NHS</li></ul>");
    check(set, "{{>partials/item}}", "{'name': '<x>'}", "<li>&lt;x&gt; of </li>");
    /* standalone partial lines go too */
    check(set, "<ul>\n  {{> partials/item }}\n</ul>", "{'name': 'n'}", "<ul>\n<li>n of </li></ul>");
    tpl_set_free(set);
}

static void partials_not_found(void **state)
{
    struct tpl_set *set = new_set();
    (void)state;
    check_fails(NULL, "a{{> partials/x}}b", "{}", APP_E_NOTFOUND);
    check_fails(set, "a{{> partials/x}}b", "{}", APP_E_NOTFOUND);
    /* a partial in a section that is skipped is never looked up */
    check(NULL, "a{{#no}}{{> partials/x}}{{/no}}b", "{}", "ab");
    tpl_set_free(set);
}

static void later_add_overrides_earlier(void **state)
{
    struct tpl_set *set = new_set();
    (void)state;
    assert_int_equal(tpl_set_add(set, "p", "one"), APP_OK);
    check(set, "{{>p}}", "{}", "one");
    assert_int_equal(tpl_set_add(set, "p", "two"), APP_OK);
    check(set, "{{>p}}", "{}", "two");
    tpl_set_free(set);
}

static void recursive_partials_are_bounded(void **state)
{
    struct tpl_set *set = new_set();
    json_t *deep, *node;
    int i;
    (void)state;
    assert_int_equal(tpl_set_add(set, "self", "x{{> self}}"), APP_OK);
    check_fails(set, "{{> self}}", "{}", APP_E_INVALID);
    assert_int_equal(tpl_set_add(set, "ping", "{{> pong}}"), APP_OK);
    assert_int_equal(tpl_set_add(set, "pong", "{{> ping}}"), APP_OK);
    check_fails(set, "{{> ping}}", "{}", APP_E_INVALID);

    /* Recursion that the data ends is fine: a tree five deep renders. Each leaf says it has
     * no kids, or Mustache lookup would find its parent's kids and recurse until the limit. */
    assert_int_equal(tpl_set_add(set, "tree", "({{n}}{{#kids}}{{> tree}}{{/kids}})"), APP_OK);
    check(set, "{{> tree}}",
          "{'n': 1, 'kids': [{'n': 2, 'kids': [{'n': 3, 'kids': [{'n': 4, 'kids': [{'n': 5, "
          "'kids': []}]}]}]}, {'n': 6, 'kids': []}]}",
          "(1(2(3(4(5))))(6))");
    check_fails(set, "{{> tree}}", "{'n': 1, 'kids': [{'n': 2}]}", APP_E_INVALID);

    /* 16 levels of partials are allowed, the 17th is not. */
    deep = json_object();
    node = deep;
    for (i = 0; i < 16; i++) {
        json_t *kid = json_object();
        json_object_set_new(node, "kids", kid);
        node = kid;
    }
    json_object_set_new(node, "kids", json_false());
    {
        char *got;
        assert_int_equal(render_m(set, "{{#kids}}{{> tree}}{{/kids}}", deep, &got), APP_OK);
        free(got);
        assert_int_equal(render_m(set, "{{> tree}}", deep, &got), APP_E_INVALID);
        free(got);
    }
    json_decref(deep);
    tpl_set_free(set);
}

/* ---- malformed templates ------------------------------------------------------------------- */

static void malformed_templates_are_invalid(void **state)
{
    static const char *const bad[] = {
        "{{",
        "abc {{",
        "{{a",
        "{{a}",
        "{{a} }",
        "{{{a}}",
        "{{{a}} }",
        "{{!unclosed comment",
        "{{#a}}",
        "{{#a}}{{#b}}{{/b}}",
        "{{#a}}{{/b}}",
        "{{#a}}{{#b}}{{/a}}{{/b}}",
        "{{^a}}",
        "{{/a}}",
        "x{{#a}}{{/a}}{{/a}}",
        "{{}}",
        "{{ }}",
        "{{{}}}",
        "{{#}}{{/}}",
        "{{^ }}{{/ }}",
        "{{>}}",
        "{{&}}",
        "{{a b}}",
        "{{a..b}}",
        "{{.a}}",
        "{{a.}}",
        "{{..}}",
        "{{a/b}}",
        "{{a\nb}}",
        "{{\"x\"}}",
        "{{{#a}}}",
        "{{=<% %>=}}",
        "{{> ../etc/passwd}}",
        "{{> /abs}}",
        "{{> a//b}}",
        "{{> a.html}}",
        "{{> a b}}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *got;
        int rc = render_m(NULL, bad[i], NULL, &got);
        if (rc != APP_E_INVALID)
            fail_msg("template %zu \"%s\": got %d, want APP_E_INVALID", i, bad[i], rc);
        assert_string_equal(got, "");
        free(got);
    }
    check_fails(NULL, "some text {{#a}} more", "{'a': 1}", APP_E_INVALID);
}

static void nesting_limit(void **state)
{
    struct buf t = BUF_INIT;
    int i;
    (void)state;
    for (i = 0; i < 64; i++)
        buf_puts(&t, "{{#a}}");
    buf_puts(&t, "{{x}}");
    for (i = 0; i < 64; i++)
        buf_puts(&t, "{{/a}}");
    check(NULL, t.data, "{'a': true, 'x': 'deep'}", "deep");
    buf_reset(&t);
    for (i = 0; i < 65; i++)
        buf_puts(&t, "{{^a}}");
    for (i = 0; i < 65; i++)
        buf_puts(&t, "{{/a}}");
    check_fails(NULL, t.data, "{}", APP_E_INVALID);
    buf_free(&t);
}

/* Runaway loops stop with an error instead of running for ever: 40 nested sections over a
 * three-element array would be 3^40 renders of the innermost text. */
static void runaway_render_is_bounded(void **state)
{
    struct buf t = BUF_INIT;
    int i;
    (void)state;
    for (i = 0; i < 40; i++)
        buf_puts(&t, "{{#a}}");
    buf_puts(&t, "x");
    for (i = 0; i < 40; i++)
        buf_puts(&t, "{{/a}}");
    check_fails(NULL, t.data, "{'a': [1, 2, 3]}", APP_E_TOOBIG);
    buf_free(&t);
}

/* Reads what fn logs to stderr. */
static char *capture_stderr(void (*fn)(void))
{
    char path[] = "/tmp/tpl_test_log_XXXXXX";
    int fd = mkstemp(path), saved;
    struct buf out = BUF_INIT;
    char chunk[512];
    ssize_t got;
    assert_true(fd >= 0);
    fflush(stderr);
    saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    log_set_quiet(0);
    fn();
    log_set_quiet(1);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    while ((got = read(fd, chunk, sizeof chunk)) > 0)
        buf_append(&out, chunk, (size_t)got);
    close(fd);
    unlink(path);
    buf_putc(&out, '\0');
    return buf_detach(&out, NULL);
}

static struct tpl_set *log_set;

static void provoke_errors(void)
{
    char *got;
    assert_int_equal(render_m(NULL, "a\nb\n\n{{#open}}\nc", NULL, &got), APP_E_INVALID);
    free(got);
    assert_int_equal(tpl_set_add(log_set, "pages/bad", "ok\n{{#a}}\n{{/b}}\n"), APP_E_INVALID);
    assert_int_equal(render_m(log_set, "1\n2\n{{> partials/none}}", NULL, &got), APP_E_NOTFOUND);
    free(got);
}

static void errors_are_logged_with_name_and_line(void **state)
{
    char *log;
    (void)state;
    log_set = new_set();
    log = capture_stderr(provoke_errors);
    assert_non_null(strstr(log, "template=(string) line=4"));
    assert_non_null(strstr(log, "{{#open}} is never closed"));
    assert_non_null(strstr(log, "template=pages/bad line=3"));
    assert_non_null(strstr(log, "{{/b}} does not match {{#a}} opened at line 2"));
    assert_non_null(strstr(log, "template=(string) line=3 partial=partials/none"));
    free(log);
    tpl_set_free(log_set);
}

/* ---- the set -------------------------------------------------------------------------------- */

static void add_rejects_bad_names_and_syntax(void **state)
{
    struct tpl_set *set = new_set();
    (void)state;
    assert_int_equal(tpl_set_add(set, "", "x"), APP_E_INVALID);
    assert_int_equal(tpl_set_add(set, "../x", "x"), APP_E_INVALID);
    assert_int_equal(tpl_set_add(set, "a/", "x"), APP_E_INVALID);
    assert_int_equal(tpl_set_add(set, "a.html", "x"), APP_E_INVALID);
    assert_int_equal(tpl_set_add(set, "ok/name", "{{#x}}"), APP_E_INVALID);
    assert_int_equal(tpl_set_add(set, "ok/name", "fine {{x}}"), APP_OK);
    tpl_set_free(set);
}

static void render_by_name(void **state)
{
    struct tpl_set *set = new_set();
    struct buf b = BUF_INIT;
    json_t *m = model("{'title': 'Log in', 'who': 'A&B'}");
    (void)state;
    assert_int_equal(tpl_set_add(set, "account/login", "<h1>{{title}}</h1>{{> partials/who}}"),
                     APP_OK);
    assert_int_equal(tpl_set_add(set, "partials/who", "<p>{{who}}</p>"), APP_OK);
    assert_int_equal(tpl_render(set, "account/login", m, &b), APP_OK);
    assert_string_equal(b.data, "<h1>Log in</h1><p>A&amp;B</p>");
    assert_int_equal(tpl_render(set, "account/nope", m, &b), APP_E_NOTFOUND);
    assert_int_equal(tpl_render(set, "../account/login", m, &b), APP_E_NOTFOUND);
    assert_int_equal(tpl_render(set, "", m, &b), APP_E_NOTFOUND);
    assert_string_equal(b.data, "<h1>Log in</h1><p>A&amp;B</p>");
    buf_free(&b);
    json_decref(m);
    tpl_set_free(set);
}

/* The renderer's convention: the body is rendered first, then the layout with it as {{{body}}}. */
static void layout_convention(void **state)
{
    struct tpl_set *set = new_set();
    struct buf body = BUF_INIT, page = BUF_INIT;
    json_t *m = model("{'title': 'Home & away', 'items': ['x<y']}");
    (void)state;
    assert_int_equal(
        tpl_set_add(set, "layout", "<title>{{title}}</title>\n<main>\n{{{body}}}\n</main>\n"),
        APP_OK);
    assert_int_equal(tpl_set_add(set, "home", "{{#items}}<p>{{.}}</p>{{/items}}"), APP_OK);
    assert_int_equal(tpl_render(set, "home", m, &body), APP_OK);
    json_object_set_new(m, "body", json_stringn(body.data, body.len));
    assert_int_equal(tpl_render(set, "layout", m, &page), APP_OK);
    assert_string_equal(page.data,
                        "<title>Home &amp; away</title>\n<main>\n<p>x&lt;y</p>\n</main>\n");
    buf_free(&body);
    buf_free(&page);
    json_decref(m);
    tpl_set_free(set);
}

struct fill_arg {
    struct tpl_set *set;
    json_t *m;
    int calls;
};

static int fill_home(void *arg, struct buf *b)
{
    struct fill_arg *f = arg;
    f->calls++;
    return tpl_render(f->set, "home", f->m, b);
}

static int fill_fails(void *arg, struct buf *b)
{
    (void)arg;
    buf_puts(b, "half a page");
    return APP_E_TOOBIG;
}

/* The layout renders the page in place at its slot; other raw variables still come from the
 * model, and a failing fill fails the render and leaves the buffer as it was. */
static void layout_slot(void **state)
{
    struct tpl_set *set = new_set();
    struct buf page = BUF_INIT;
    json_t *m = model("{'title': 'Home & away', 'items': ['x<y'], 'raw': '<b>', 'body': 'no'}");
    struct fill_arg f = {set, m, 0};
    struct tpl_slot slot = {"body", fill_home, &f}, bad = {"body", fill_fails, NULL};
    (void)state;
    assert_int_equal(
        tpl_set_add(set, "layout",
                    "<title>{{title}}</title>{{{raw}}}\n{{{body}}}\n{{body}}|{{{bodyx}}}"),
        APP_OK);
    assert_int_equal(tpl_set_add(set, "home", "{{#items}}<p>{{.}}</p>{{/items}}"), APP_OK);
    assert_int_equal(tpl_render_slot(set, "layout", m, &page, &slot), APP_OK);
    assert_string_equal(page.data, "<title>Home &amp; away</title><b>\n<p>x&lt;y</p>\nno|");
    assert_int_equal(f.calls, 1);
    buf_reset(&page);
    buf_puts(&page, "kept");
    assert_int_equal(tpl_render_slot(set, "layout", m, &page, &bad), APP_E_TOOBIG);
    assert_string_equal(page.data, "kept");
    buf_free(&page);
    json_decref(m);
    tpl_set_free(set);
}

static void oom_buffer_is_reported(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;
    b.oom = true;
    assert_int_equal(tpl_render_string(NULL, "x", 1, NULL, &b), APP_E_NOMEM);
    buf_free(&b);
}

static void text_need_not_be_terminated(void **state)
{
    struct buf b = BUF_INIT;
    json_t *m = model("{'a': 'A', 'ab': 'AB'}");
    (void)state;
    assert_int_equal(tpl_render_string(NULL, "{{a}}{{ab}}", 5, m, &b), APP_OK);
    assert_string_equal(b.data, "A");
    buf_reset(&b);
    assert_int_equal(tpl_render_string(NULL, "{{a}}", 4, m, &b), APP_E_INVALID);
    assert_int_equal(tpl_render_string(NULL, NULL, 0, m, &b), APP_OK);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    json_decref(m);
}

/* Every embedded template compiles and names only partials that exist. */
static size_t embedded_names(char names[][160], size_t max);

static void embedded_templates_preload(void **state)
{
    struct tpl_set *set = new_set();
    static char names[512][160];
    size_t i, n;
    (void)state;
    assert_int_equal(tpl_set_preload(set), APP_OK);
    n = embedded_names(names, 512);
    for (i = 0; i < n; i++) {
        struct buf b = BUF_INIT;
        /* with no model every section is skipped, so only the template itself can fail */
        assert_int_equal(tpl_render(set, names[i], NULL, &b), APP_OK);
        buf_free(&b);
    }
    print_message("%zu embedded templates compiled\n", n);
    assert_int_equal(tpl_render(set, "no/such/template", NULL, &(struct buf)BUF_INIT),
                     APP_E_NOTFOUND);
    tpl_set_free(set);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Development mode reads templates from disk on every render. */
static void dev_mode_reads_from_disk(void **state)
{
    char dir[] = "/tmp/tpl_dev_XXXXXX", path[512];
    struct tpl_set *set = NULL;
    struct buf b = BUF_INIT;
    json_t *m = model("{'xs': [1, 2, 3], 'who': 'you'}");
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/templates", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/templates/partials", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/templates/page.html", dir);
    write_file(path, "hello {{who}}:{{#xs}}{{> partials/x}}{{/xs}}");
    snprintf(path, sizeof path, "%s/templates/partials/x.html", dir);
    write_file(path, "[{{.}}]");

    assert_int_equal(tpl_set_new(dir, &set), APP_OK);
    assert_int_equal(tpl_render(set, "page", m, &b), APP_OK);
    assert_string_equal(b.data, "hello you:[1][2][3]");

    /* an edit shows on the next render */
    write_file(path, "<{{.}}>");
    buf_reset(&b);
    assert_int_equal(tpl_render(set, "page", m, &b), APP_OK);
    assert_string_equal(b.data, "hello you:<1><2><3>");

    /* an added template still wins */
    assert_int_equal(tpl_set_add(set, "partials/x", "({{.}})"), APP_OK);
    buf_reset(&b);
    assert_int_equal(tpl_render(set, "page", m, &b), APP_OK);
    assert_string_equal(b.data, "hello you:(1)(2)(3)");

    /* a syntax error on disk is reported, not cached */
    snprintf(path, sizeof path, "%s/templates/page.html", dir);
    write_file(path, "broken {{#xs}}");
    buf_reset(&b);
    assert_int_equal(tpl_render(set, "page", m, &b), APP_E_INVALID);
    write_file(path, "fixed");
    assert_int_equal(tpl_render(set, "page", m, &b), APP_OK);
    assert_string_equal(b.data, "fixed");

    assert_int_equal(tpl_render(set, "nope", m, &b), APP_E_NOTFOUND);

    unlink(path);
    snprintf(path, sizeof path, "%s/templates/partials/x.html", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/templates/partials", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/templates", dir);
    rmdir(path);
    rmdir(dir);
    buf_free(&b);
    json_decref(m);
    tpl_set_free(set);
}

/* ---- threads -------------------------------------------------------------------------------- */

struct thread_arg {
    struct tpl_set *set;
    json_t *model;
    int failures;
};

#define THREAD_ROUNDS 2000

static void *render_loop(void *p)
{
    struct thread_arg *a = p;
    struct buf b = BUF_INIT;
    int i;
    for (i = 0; i < THREAD_ROUNDS; i++) {
        buf_reset(&b);
        if (tpl_render(a->set, "list", a->model, &b) != APP_OK ||
            strcmp(b.data, "<ul><li>a &amp; b</li><li>c</li></ul><p>2 items</p>") != 0)
            a->failures++;
    }
    buf_free(&b);
    return NULL;
}

/* Two threads render from one set and one model while a third adds templates to it. */
static void renders_from_two_threads(void **state)
{
    struct tpl_set *set = new_set();
    json_t *m = model("{'items': [{'name': 'a & b'}, {'name': 'c'}], 'count': 2}");
    struct thread_arg a = {set, m, 0}, b = {set, m, 0};
    pthread_t t1, t2;
    char name[32];
    int i;
    (void)state;
    assert_int_equal(tpl_set_add(set, "list",
                                 "<ul>{{#items}}{{> partials/li}}{{/items}}</ul>"
                                 "{{> partials/count}}"),
                     APP_OK);
    assert_int_equal(tpl_set_add(set, "partials/li", "<li>{{name}}</li>"), APP_OK);
    assert_int_equal(tpl_set_add(set, "partials/count", "<p>{{count}} items</p>"), APP_OK);
    assert_int_equal(pthread_create(&t1, NULL, render_loop, &a), 0);
    assert_int_equal(pthread_create(&t2, NULL, render_loop, &b), 0);
    for (i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "extra/t%d", i);
        assert_int_equal(tpl_set_add(set, name, "{{x}}"), APP_OK);
        if (i % 50 == 0) /* same text again: shadows the old one without changing output */
            assert_int_equal(tpl_set_add(set, "partials/li", "<li>{{name}}</li>"), APP_OK);
    }
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(a.failures, 0);
    assert_int_equal(b.failures, 0);
    json_decref(m);
    tpl_set_free(set);
}

/* Names of the embedded templates (without "templates/" and ".html"), up to max. */
static size_t embedded_names(char names[][160], size_t max)
{
    size_t i, n = 0;
    for (i = 0; i < embed_count && n < max; i++) {
        const char *p = embed_files[i].path;
        size_t len = strlen(p);
        if (strncmp(p, "templates/", 10) != 0 || len < 15 || strcmp(p + len - 5, ".html") != 0 ||
            len - 15 >= 160)
            continue;
        memcpy(names[n], p + 10, len - 15);
        names[n][len - 15] = '\0';
        n++;
    }
    return n;
}

/* A section or partial tag written with one brace ("{^statements}") is plain text to the
 * engine: the page shows it, and the section's content is always rendered. No embedded
 * template has one (one did: every opinion group said "no statement is shown" beside its
 * statements, on the analysis page and the public report). */
static void no_template_has_a_one_brace_tag(void **state)
{
    size_t bad = 0, seen = 0;
    (void)state;
    for (size_t i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        if (strncmp(f->path, "templates/", 10) != 0)
            continue;
        seen++;
        for (size_t k = 0; k + 1 < f->len; k++)
            if (f->data[k] == '{' && strchr("#^/>!", f->data[k + 1]) &&
                (k == 0 || f->data[k - 1] != '{')) {
                fprintf(stderr, "%s: a tag with one brace at byte %zu\n", f->path, k);
                bad++;
            }
    }
    assert_true(seen > 50);
    assert_int_equal(bad, 0);
}

/* Text mode (mail's plain-text parts): {{x}} is not escaped, partials are the .txt files,
 * and a name's text and HTML templates are two templates, cached apart. */
static void text_mode_does_not_escape(void **state)
{
    char dir[] = "/tmp/tpl_txt_XXXXXX", path[512];
    struct tpl_set *set = NULL, *emb = new_set();
    struct buf b = BUF_INIT;
    json_t *m = model("{'who': 'O\\u0027Brien & <Co>', 'button': {'url': 'https://x.test/a?b=1&c=2', "
                      "'text': 'Go'}, 'subject': 'S', 'to': 'a@b.test', 'when': 'today', "
                      "'service_name': 'AHP Hub'}");
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/templates", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/templates/m.txt", dir);
    write_file(path, "Hi {{who}}{{> p}}");
    snprintf(path, sizeof path, "%s/templates/m.html", dir);
    write_file(path, "<p>Hi {{who}}{{> p}}</p>");
    snprintf(path, sizeof path, "%s/templates/p.txt", dir);
    write_file(path, "!");
    snprintf(path, sizeof path, "%s/templates/p.html", dir);
    write_file(path, "<b>!</b>");
    assert_int_equal(tpl_set_new(dir, &set), APP_OK);
    assert_int_equal(tpl_render_text(set, "m", m, &b, NULL), APP_OK);
    assert_string_equal(b.data, "Hi O'Brien & <Co>!");
    buf_reset(&b);
    assert_int_equal(tpl_render(set, "m", m, &b), APP_OK);
    assert_string_equal(b.data, "<p>Hi O&#39;Brien &amp; &lt;Co&gt;<b>!</b></p>");
    assert_int_equal(tpl_render_text(set, "nope", m, &b, NULL), APP_E_NOTFOUND);
    tpl_set_free(set);
    for (const char *const *f = (const char *const[]){"m.txt", "m.html", "p.txt", "p.html", NULL};
         *f; f++) {
        snprintf(path, sizeof path, "%s/templates/%s", dir, *f);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/templates", dir);
    rmdir(path);
    rmdir(dir);

    /* the embedded mail templates: both kinds load from the binary, and are told apart */
    assert_int_equal(tpl_set_preload(emb), APP_OK);
    buf_reset(&b);
    assert_int_equal(tpl_render_text(emb, "mail/test", m, &b, NULL), APP_OK);
    assert_non_null(strstr(b.data, "Go:\nhttps://x.test/a?b=1&c=2\n"));
    assert_null(strstr(b.data, "<"));
    buf_reset(&b);
    assert_int_equal(tpl_render(emb, "mail/test", m, &b), APP_OK);
    assert_non_null(strstr(b.data, "href=\"https://x.test/a?b=1&amp;c=2\""));
    buf_free(&b);
    json_decref(m);
    tpl_set_free(emb);
}

static char race_names[64][160];
static size_t race_count;

static void *render_embedded(void *p)
{
    struct tpl_set *set = p;
    struct buf b = BUF_INIT;
    size_t i;
    intptr_t failures = 0;
    for (i = 0; i < race_count; i++)
        failures += tpl_render(set, race_names[i], NULL, &b) != APP_OK;
    buf_free(&b);
    return (void *)failures;
}

/* Two threads that miss the same embedded template at once both compile it; one copy is
 * kept and nothing leaks. Only meaningful once templates are embedded. */
static void embedded_first_use_from_two_threads(void **state)
{
    int round;
    (void)state;
    race_count = embedded_names(race_names, 64);
    for (round = 0; round < (race_count ? 200 : 1); round++) {
        struct tpl_set *set = new_set();
        pthread_t t1, t2;
        void *f1, *f2;
        assert_int_equal(pthread_create(&t1, NULL, render_embedded, set), 0);
        assert_int_equal(pthread_create(&t2, NULL, render_embedded, set), 0);
        pthread_join(t1, &f1);
        pthread_join(t2, &f2);
        assert_true(f1 == NULL && f2 == NULL);
        tpl_set_free(set);
    }
}

static int quiet(void **state)
{
    (void)state;
    log_set_quiet(1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_text_passes_through),
        cmocka_unit_test(no_template_has_a_one_brace_tag),
        cmocka_unit_test(variables_are_escaped),
        cmocka_unit_test(attribute_values_stay_inside_quotes),
        cmocka_unit_test(raw_variables_are_not_escaped),
        cmocka_unit_test(scalars_render_as_text),
        cmocka_unit_test(sections_over_arrays_repeat),
        cmocka_unit_test(sections_over_objects_push_context),
        cmocka_unit_test(sections_on_scalars),
        cmocka_unit_test(inverted_sections),
        cmocka_unit_test(nested_sections_see_outer_names),
        cmocka_unit_test(dotted_names),
        cmocka_unit_test(comments_render_nothing),
        cmocka_unit_test(standalone_tags_leave_no_blank_lines),
        cmocka_unit_test(partials_render_with_the_context_stack),
        cmocka_unit_test(partials_not_found),
        cmocka_unit_test(later_add_overrides_earlier),
        cmocka_unit_test(recursive_partials_are_bounded),
        cmocka_unit_test(malformed_templates_are_invalid),
        cmocka_unit_test(nesting_limit),
        cmocka_unit_test(runaway_render_is_bounded),
        cmocka_unit_test(errors_are_logged_with_name_and_line),
        cmocka_unit_test(add_rejects_bad_names_and_syntax),
        cmocka_unit_test(render_by_name),
        cmocka_unit_test(layout_convention),
        cmocka_unit_test(layout_slot),
        cmocka_unit_test(oom_buffer_is_reported),
        cmocka_unit_test(text_need_not_be_terminated),
        cmocka_unit_test(embedded_templates_preload),
        cmocka_unit_test(dev_mode_reads_from_disk),
        cmocka_unit_test(renders_from_two_threads),
        cmocka_unit_test(embedded_first_use_from_two_threads),
        cmocka_unit_test(text_mode_does_not_escape),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
