/* html_sections.c: a page of prose read back from the program's own HTML into sections
 *
 * A single pass over the tags, with no tree: the templates this reads close every element
 * they open, and nest blocks only as HTML allows (a list inside a section, cells inside rows),
 * so a small state machine is enough. Text is gathered only inside a heading, a paragraph, a
 * list item, a table cell or a caption; everything else (navigation, a back link) is skipped.
 */
#include "web/html_sections.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum target { T_NONE, T_H1, T_HEADING, T_PARA, T_ITEM, T_CELL, T_CAPTION };

struct reader {
    json_t *out, *sections;
    json_t *top;     /* the current H2's section, or NULL */
    json_t *content; /* where blocks go: the intro, or the current section's content */
    json_t *links;   /* the links of the block being read, or NULL */
    json_t *list;    /* the items of the list being read, or NULL */
    json_t *table, *row;
    bool in_head; /* in a table's thead */
    enum target target;
    int level;
    char id[64];
    struct buf text;
    size_t link_at; /* where the open link's text starts, SIZE_MAX when none */
    char href[512];
    bool oom;
};

static void put(struct reader *r, json_t *arr, json_t *v)
{
    if (!v || !arr || json_array_append_new(arr, v))
        r->oom = true;
}

static void set(struct reader *r, json_t *obj, const char *key, json_t *v)
{
    if (!v || !obj || json_object_set_new(obj, key, v))
        r->oom = true;
}

/* The text gathered, trimmed, as a JSON string; the buffer emptied. */
static json_t *take_text(struct reader *r)
{
    size_t s = 0, e = r->text.len;
    json_t *v;
    while (s < e && r->text.data[s] == ' ')
        s++;
    while (e > s && r->text.data[e - 1] == ' ')
        e--;
    v = json_stringn(e > s ? r->text.data + s : "", e - s);
    buf_reset(&r->text);
    return v;
}

static void text_char(struct reader *r, char ch)
{
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
        if (r->text.len && r->text.data[r->text.len - 1] != ' ')
            buf_putc(&r->text, ' ');
        return;
    }
    buf_putc(&r->text, ch);
}

/* Decodes the entity at s (after '&', n bytes left) into the text; returns the bytes it
 * took, 0 when it is none (the '&' is then text). */
static size_t entity(struct reader *r, const char *s, size_t n)
{
    static const struct {
        const char *name;
        const char *utf8;
    } named[] = {{"amp;", "&"},  {"lt;", "<"},   {"gt;", ">"},  {"quot;", "\""},
                 {"apos;", "'"}, {"nbsp;", " "}, {"#39;", "'"}, {"#x27;", "'"},
                 {"#x2F;", "/"}, {"#x3D;", "="}, {"#x60;", "`"}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t k = strlen(named[i].name);
        if (k <= n && !strncasecmp(s, named[i].name, k)) {
            for (const char *p = named[i].utf8; *p; p++)
                text_char(r, *p);
            return k;
        }
    }
    return 0;
}

/* The value of attribute name in the tag's attributes (a .. b) into out; false when absent. */
static bool attr(const char *a, const char *b, const char *name, char *out, size_t size)
{
    size_t k = strlen(name);
    for (const char *p = a; p + k + 1 < b; p++) {
        const char *q;
        char quote;
        size_t n;
        if (strncasecmp(p, name, k) || p[k] != '=' || (p > a && p[-1] != ' ' && p[-1] != '\n'))
            continue;
        quote = p[k + 1];
        if (quote != '"' && quote != '\'')
            continue;
        q = memchr(p + k + 2, quote, (size_t)(b - (p + k + 2)));
        if (!q)
            return false;
        n = (size_t)(q - (p + k + 2));
        if (n >= size)
            n = size - 1;
        memcpy(out, p + k + 2, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

/* A block ends: a paragraph, or a list, with the links read in it. */
static void block(struct reader *r, json_t *b)
{
    if (b && r->links && json_array_size(r->links))
        set(r, b, "links", json_incref(r->links));
    json_decref(r->links);
    r->links = NULL;
    put(r, r->content, b);
}

static void heading_end(struct reader *r)
{
    json_t *s = json_object();
    set(r, s, "heading", take_text(r));
    set(r, s, "level", json_integer(r->level));
    if (*r->id)
        set(r, s, "id", json_string(r->id));
    set(r, s, "content", json_array());
    if (r->level <= 2 || !r->top) {
        if (r->level <= 2) {
            set(r, s, "sections", json_array());
            r->top = s;
        }
        put(r, r->sections, json_incref(s));
    } else {
        put(r, json_object_get(r->top, "sections"), json_incref(s));
    }
    r->content = json_object_get(s, "content");
    json_decref(s);
}

static void tag(struct reader *r, const char *name, size_t n, bool closing, const char *a,
                const char *b)
{
#define IS(s) (n == sizeof s - 1 && !strncasecmp(name, s, n))
    if (IS("br")) {
        text_char(r, ' ');
        return;
    }
    if (!closing) {
        if (IS("h1") && r->target == T_NONE)
            r->target = T_H1;
        else if (n == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '2' && name[1] <= '6' &&
                 r->target == T_NONE) {
            r->target = T_HEADING;
            r->level = name[1] - '0';
            if (!attr(a, b, "id", r->id, sizeof r->id))
                *r->id = '\0';
        } else if (IS("p") && r->target == T_NONE)
            r->target = T_PARA;
        else if ((IS("ul") || IS("ol")) && !r->list) {
            r->list = json_array();
            if (!r->list)
                r->oom = true;
        } else if (IS("li") && r->list && r->target == T_NONE)
            r->target = T_ITEM;
        else if (IS("table") && !r->table) {
            r->table = json_object();
            set(r, r->table, "type", json_string("table"));
            set(r, r->table, "caption", json_string(""));
            set(r, r->table, "header", json_array());
            set(r, r->table, "rows", json_array());
        } else if (IS("caption") && r->table && r->target == T_NONE)
            r->target = T_CAPTION;
        else if (IS("thead"))
            r->in_head = true;
        else if (IS("tr") && r->table) {
            json_decref(r->row);
            r->row = json_array();
        } else if ((IS("th") || IS("td")) && r->row && r->target == T_NONE)
            r->target = T_CELL;
        else if (IS("a") && r->target != T_NONE && r->target != T_H1) {
            r->link_at = r->text.len;
            if (!attr(a, b, "href", r->href, sizeof r->href))
                r->link_at = SIZE_MAX;
        }
        return;
    }
    if (IS("a") && r->link_at != SIZE_MAX) {
        size_t s = r->link_at, e = r->text.len;
        json_t *l = json_object();
        while (s < e && r->text.data[s] == ' ')
            s++;
        while (e > s && r->text.data[e - 1] == ' ')
            e--;
        if (!r->links && !(r->links = json_array()))
            r->oom = true;
        set(r, l, "text", json_stringn(e > s ? r->text.data + s : "", e - s));
        set(r, l, "href", json_string(r->href));
        put(r, r->links, l);
        r->link_at = SIZE_MAX;
    } else if (IS("h1") && r->target == T_H1) {
        buf_reset(&r->text);
        r->target = T_NONE;
    } else if (n == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '2' && name[1] <= '6' &&
               r->target == T_HEADING) {
        heading_end(r);
        r->target = T_NONE;
    } else if (IS("p") && r->target == T_PARA) {
        json_t *p = json_object();
        set(r, p, "type", json_string("paragraph"));
        set(r, p, "text", take_text(r));
        block(r, p);
        r->target = T_NONE;
    } else if (IS("li") && r->target == T_ITEM) {
        put(r, r->list, take_text(r));
        r->target = T_NONE;
    } else if ((IS("ul") || IS("ol")) && r->list) {
        json_t *l = json_object();
        set(r, l, "type", json_string("list"));
        set(r, l, "items", r->list);
        r->list = NULL;
        block(r, l);
    } else if (IS("caption") && r->target == T_CAPTION) {
        set(r, r->table, "caption", take_text(r));
        r->target = T_NONE;
    } else if (IS("thead"))
        r->in_head = false;
    else if ((IS("th") || IS("td")) && r->target == T_CELL) {
        put(r, r->row, take_text(r));
        r->target = T_NONE;
    } else if (IS("tr") && r->row) {
        if (r->in_head)
            set(r, r->table, "header", r->row);
        else
            put(r, json_object_get(r->table, "rows"), r->row);
        r->row = NULL;
    } else if (IS("table") && r->table) {
        put(r, r->content, r->table);
        r->table = NULL;
    }
#undef IS
}

json_t *html_sections(const char *html, size_t len)
{
    struct reader r = {0};
    json_t *intro = json_array();
    size_t i = 0;

    r.out = json_object();
    r.sections = json_array();
    r.content = intro;
    r.link_at = SIZE_MAX;
    buf_init(&r.text);
    set(&r, r.out, "intro", intro);
    set(&r, r.out, "sections", r.sections);
    while (i < len && !r.oom) {
        if (html[i] == '<') {
            const char *end = memchr(html + i, '>', len - i), *name = html + i + 1, *a;
            bool closing = false;
            size_t n = 0;
            if (!end)
                break;
            if (!strncmp(html + i, "<!--", 4)) {
                const char *c = strstr(html + i, "-->");
                i = c ? (size_t)(c - html) + 3 : len;
                continue;
            }
            if (*name == '/') {
                closing = true;
                name++;
            }
            while (name + n < end && name[n] != ' ' && name[n] != '\n' && name[n] != '/')
                n++;
            a = name + n;
            tag(&r, name, n, closing, a, end);
            i = (size_t)(end - html) + 1;
        } else if (r.target == T_NONE) {
            i++;
        } else if (html[i] == '&') {
            size_t k = entity(&r, html + i + 1, len - i - 1);
            if (!k)
                text_char(&r, '&');
            i += 1 + k;
        } else {
            text_char(&r, html[i]);
            i++;
        }
    }
    if (buf_oom(&r.text))
        r.oom = true;
    buf_free(&r.text);
    json_decref(r.links);
    json_decref(r.list);
    json_decref(r.row);
    json_decref(r.table);
    if (r.oom) {
        json_decref(r.out);
        return NULL;
    }
    return r.out;
}
