/* template.c: compiles Mustache-subset templates into node lists and renders them
 *
 * A template compiles to one flat array of nodes (text, escaped variable, raw variable,
 * section, inverted section, partial). A section node records the index just past its last
 * child, so rendering walks the array and recurses only into sections and partials; comments
 * and closing tags leave no node. Nodes point into the template text, which is either static
 * (embedded files) or owned by the compiled template.
 *
 * A set caches compiled templates in a fixed table of hash chains. A compiled template is
 * immutable and lives until tpl_set_free(), and chains only ever grow at the head, so
 * renders read them without a lock (acquire loads pairing with the writer's release store);
 * a mutex only serialises writers. Two threads that miss the same name at once may both
 * compile it; the second finds the first's under the lock and drops its own. A newer entry
 * for a name shadows an older one, which is how tpl_set_add() overrides the loader.
 *
 * In development mode nothing from disk is cached in the set: each render reads what it
 * needs and keeps it in a per-render list (so a partial in a loop is read once per render),
 * freed when the render ends.
 *
 * Recursion is bounded by construction: sections nest at most MAX_NEST deep in one template
 * (checked when compiling) and partials at most MAX_PARTIAL_DEPTH deep (checked when
 * rendering), which also bounds the context stack. Time and output are bounded by
 * MAX_STEPS and MAX_OUTPUT, since 64 nested sections over two-element arrays would otherwise
 * take 2^64 steps.
 */
#include "web/template.h"
#include "web/html.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NEST          64
#define MAX_PARTIAL_DEPTH 16
#define MAX_NAME          128
#define MAX_STEPS         10000000UL
#define MAX_OUTPUT        ((size_t)64 << 20)
#define MAX_FILE          ((size_t)4 << 20)
/* The root, then up to MAX_NEST section values in the page and in each nested partial. */
#define CTX_MAX     (MAX_NEST * (MAX_PARTIAL_DEPTH + 1) + 1)
#define NBUCKETS    256
#define STRING_NAME "(string)"

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
    enum node_kind kind;
    unsigned line;
    const char *s; /* the text, or the name; points into the template text */
    size_t len;
    size_t end; /* sections: index of the first node after the section's children */
};

struct tpl {
    struct tpl *next; /* hash chain or per-render list; set before publication */
    char *name;       /* the key: "account/login", or "mail/invite.txt" for a text template */
    size_t name_len;
    char *owned; /* the text, when the template owns it (copied, or read from disk) */
    struct node *nodes;
    size_t n;
};

struct tpl_set {
    char *dev_dir;
    pthread_mutex_t lock; /* serialises writers; readers walk the chains without it */
    _Atomic(struct tpl *) buckets[NBUCKETS];
};

struct render {
    struct tpl_set *set;
    struct buf *b;
    size_t start; /* b->len on entry: the rollback point and the base of the output cap */
    unsigned long steps;
    int partial_depth;
    struct tpl *dev; /* development mode: templates read during this render */
    const struct tpl_slot *slot;
    size_t slot_len;
    bool text; /* plain text: {{name}} is not escaped and partials are NAME.txt */
    size_t nctx;
    json_t *ctx[CTX_MAX];
};

struct parser {
    const struct tpl *tpl; /* for its name in messages */
    const char *t;
    size_t len;
    size_t lpos; /* lines have been counted up to here */
    unsigned line;
    struct node *nodes;
    size_t n, cap;
    size_t open[MAX_NEST]; /* indexes of the open section nodes */
    size_t depth;
};

/* ---- names ------------------------------------------------------------------------------ */

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* Segments of name characters separated by sep ('.' in value names, '/' in template names),
 * none empty. Template names thereby hold no dot, so no "..": they are safe in a path. */
static bool valid_name(const char *s, size_t n, char sep)
{
    bool empty = true;
    size_t i;
    if (n == 0 || n > MAX_NAME)
        return false;
    if (sep == '.' && n == 1 && s[0] == '.')
        return true;
    for (i = 0; i < n; i++) {
        if (s[i] == sep) {
            if (empty)
                return false;
            empty = true;
        } else if (name_char(s[i])) {
            empty = false;
        } else {
            return false;
        }
    }
    return !empty;
}

static uint32_t hash_name(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* ---- compiling ---------------------------------------------------------------------------- */

static void tpl_free_one(struct tpl *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->owned);
    free(t->nodes);
    free(t);
}

static void tpl_free_list(struct tpl *t)
{
    while (t) {
        struct tpl *next = t->next;
        tpl_free_one(t);
        t = next;
    }
}

static int syntax_error(const struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int syntax_error(const struct parser *p, unsigned line, const char *fmt, ...)
{
    char reason[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    log_error("msg=template_syntax_error template=%s line=%u reason=\"%s\"", p->tpl->name, line,
              reason);
    return APP_E_INVALID;
}

/* The line number at pos; positions asked for never go backwards. */
static unsigned line_at(struct parser *p, size_t pos)
{
    const char *s = p->t + p->lpos, *e = p->t + pos, *nl;
    while (s < e && (nl = memchr(s, '\n', (size_t)(e - s)))) {
        p->line++;
        s = nl + 1;
    }
    p->lpos = pos;
    return p->line;
}

static int add_node(struct parser *p, enum node_kind kind, unsigned line, const char *s, size_t len)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        struct node *nodes;
        if (cap > SIZE_MAX / sizeof *nodes)
            return APP_E_NOMEM;
        nodes = realloc(p->nodes, cap * sizeof *nodes);
        if (!nodes)
            return APP_E_NOMEM;
        p->nodes = nodes;
        p->cap = cap;
    }
    p->nodes[p->n++] = (struct node){kind, line, s, len, 0};
    return APP_OK;
}

/* A block tag is standalone when only spaces or tabs share its line. Then *ws is where that
 * leading whitespace starts and *next is just past the line's end (newline included).
 * pos is where the pending text starts: a tag ending there shares the line unless a
 * standalone tag before it consumed the newline. */
static bool standalone(const char *t, size_t len, size_t pos, size_t ts, size_t te, size_t *ws,
                       size_t *next)
{
    size_t i = ts, j = te;
    while (i > pos && (t[i - 1] == ' ' || t[i - 1] == '\t'))
        i--;
    if (i > 0 && t[i - 1] != '\n')
        return false;
    while (j < len && (t[j] == ' ' || t[j] == '\t'))
        j++;
    if (j + 1 < len && t[j] == '\r' && t[j + 1] == '\n')
        j += 2;
    else if (j < len && t[j] == '\n')
        j++;
    else if (j != len)
        return false;
    *ws = i;
    *next = j;
    return true;
}

static int parse(struct parser *p)
{
    const char *t = p->t;
    size_t len = p->len, pos = 0;
    int rc = APP_OK;
    while (pos < len) {
        const char *open = memmem(t + pos, len - pos, "{{", 2), *close;
        size_t ts, te, cs, ce, text_end, next;
        unsigned line;
        char sigil = 0;
        struct node *o;
        if (!open) {
            if ((rc = add_node(p, N_TEXT, line_at(p, pos), t + pos, len - pos)))
                goto done;
            break;
        }
        ts = (size_t)(open - t);
        line = line_at(p, ts);
        if (ts + 2 < len && t[ts + 2] == '{') {
            close = memmem(t + ts + 3, len - ts - 3, "}}}", 3);
            sigil = '{';
            cs = ts + 3;
            te = close ? (size_t)(close - t) + 3 : 0;
        } else {
            close = memmem(t + ts + 2, len - ts - 2, "}}", 2);
            cs = ts + 2;
            te = close ? (size_t)(close - t) + 2 : 0;
            if (close && cs < (size_t)(close - t) && memchr("#^/>!&=", t[cs], 7))
                sigil = t[cs++];
        }
        if (!close) {
            rc = syntax_error(p, line, "unclosed tag");
            goto done;
        }
        ce = (size_t)(close - t);
        if (sigil == '=') {
            rc = syntax_error(p, line, "delimiter changes are not supported");
            goto done;
        }
        if (sigil != '!') {
            while (cs < ce && (t[cs] == ' ' || t[cs] == '\t'))
                cs++;
            while (ce > cs && (t[ce - 1] == ' ' || t[ce - 1] == '\t'))
                ce--;
            if (cs == ce) {
                rc = syntax_error(p, line, "empty tag name");
                goto done;
            }
            if (!valid_name(t + cs, ce - cs, sigil == '>' ? '/' : '.')) {
                rc = syntax_error(p, line, "invalid name in tag (letters, digits, _ and - only)");
                goto done;
            }
        }
        if (!(sigil && memchr("#^/>!", sigil, 5) &&
              standalone(t, len, pos, ts, te, &text_end, &next))) {
            text_end = ts;
            next = te;
        }
        if (text_end > pos && (rc = add_node(p, N_TEXT, line, t + pos, text_end - pos)))
            goto done;
        switch (sigil) {
        case '!':
            break;
        case '#':
        case '^':
            if (p->depth == MAX_NEST) {
                rc = syntax_error(p, line, "sections nested deeper than %d", MAX_NEST);
                goto done;
            }
            p->open[p->depth++] = p->n;
            rc = add_node(p, sigil == '#' ? N_SECTION : N_INVERTED, line, t + cs, ce - cs);
            break;
        case '/':
            if (p->depth == 0) {
                rc = syntax_error(p, line, "{{/%.*s}} closes no open section", (int)(ce - cs),
                                  t + cs);
                goto done;
            }
            o = &p->nodes[p->open[p->depth - 1]];
            if (o->len != ce - cs || memcmp(o->s, t + cs, o->len) != 0) {
                rc = syntax_error(p, line, "{{/%.*s}} does not match {{%c%.*s}} opened at line %u",
                                  (int)(ce - cs), t + cs, o->kind == N_SECTION ? '#' : '^',
                                  (int)o->len, o->s, o->line);
                goto done;
            }
            o->end = p->n;
            p->depth--;
            break;
        case '>':
            rc = add_node(p, N_PARTIAL, line, t + cs, ce - cs);
            break;
        case '{':
        case '&':
            rc = add_node(p, N_RAW, line, t + cs, ce - cs);
            break;
        default:
            rc = add_node(p, N_VAR, line, t + cs, ce - cs);
            break;
        }
        if (rc)
            goto done;
        pos = next;
    }
    if (p->depth > 0) {
        const struct node *u = &p->nodes[p->open[p->depth - 1]];
        rc = syntax_error(p, u->line, "{{%c%.*s}} is never closed",
                          u->kind == N_SECTION ? '#' : '^', (int)u->len, u->s);
    }
done:
    return rc;
}

/* Compiles len bytes of text into *out, named name (n bytes) for messages and lookups.
 * owned, if not NULL, is the malloc'd block holding text; it passes to the template, or is
 * freed on failure. Returns 0, APP_E_INVALID (logged) or APP_E_NOMEM. */
static int compile(const char *name, size_t n, const char *text, size_t len, char *owned,
                   struct tpl **out)
{
    struct parser p = {0};
    struct tpl *t;
    int rc = APP_E_NOMEM;
    t = calloc(1, sizeof *t);
    if (!t) {
        free(owned);
        goto done;
    }
    t->owned = owned;
    t->name = malloc(n + 1);
    if (!t->name)
        goto done;
    memcpy(t->name, name, n);
    t->name[n] = '\0';
    t->name_len = n;
    p.tpl = t;
    p.t = text;
    p.len = len;
    p.line = 1;
    rc = parse(&p);
    if (rc)
        goto done;
    t->nodes = p.nodes;
    t->n = p.n;
    p.nodes = NULL;
    *out = t;
    t = NULL;
done:
    free(p.nodes);
    tpl_free_one(t);
    return rc;
}

/* ---- the set -------------------------------------------------------------------------------- */

static struct tpl *set_find(struct tpl_set *set, const char *name, size_t n)
{
    struct tpl *t;
    t = atomic_load_explicit(&set->buckets[hash_name(name, n) % NBUCKETS], memory_order_acquire);
    for (; t; t = t->next)
        if (t->name_len == n && memcmp(t->name, name, n) == 0)
            return t;
    return NULL;
}

/* The caller holds set->lock. */
static void set_insert_locked(struct tpl_set *set, struct tpl *t)
{
    _Atomic(struct tpl *) *head = &set->buckets[hash_name(t->name, t->name_len) % NBUCKETS];
    t->next = atomic_load_explicit(head, memory_order_relaxed);
    atomic_store_explicit(head, t, memory_order_release);
}

int tpl_set_new(const char *dev_dir, struct tpl_set **out)
{
    struct tpl_set *set;
    size_t i;
    int rc = APP_E_NOMEM;
    set = calloc(1, sizeof *set);
    if (!set)
        goto done;
    if (dev_dir && !(set->dev_dir = strdup(dev_dir)))
        goto done;
    if (pthread_mutex_init(&set->lock, NULL) != 0)
        goto done;
    for (i = 0; i < NBUCKETS; i++)
        atomic_init(&set->buckets[i], NULL);
    *out = set;
    set = NULL;
    rc = APP_OK;
done:
    if (set) {
        free(set->dev_dir);
        free(set);
    }
    return rc;
}

void tpl_set_free(struct tpl_set *set)
{
    size_t i;
    if (!set)
        return;
    for (i = 0; i < NBUCKETS; i++)
        tpl_free_list(atomic_load_explicit(&set->buckets[i], memory_order_relaxed));
    pthread_mutex_destroy(&set->lock);
    free(set->dev_dir);
    free(set);
}

int tpl_set_add(struct tpl_set *set, const char *name, const char *text)
{
    size_t n = strlen(name), len = strlen(text);
    struct tpl *t;
    char *copy;
    int rc;
    if (!valid_name(name, n, '/')) {
        log_error("msg=template_invalid_name reason=\"tpl_set_add needs letters, digits, _ and "
                  "- separated by /\"");
        return APP_E_INVALID;
    }
    copy = malloc(len + 1);
    if (!copy)
        return APP_E_NOMEM;
    memcpy(copy, text, len + 1);
    rc = compile(name, n, copy, len, copy, &t);
    if (rc)
        return rc;
    pthread_mutex_lock(&set->lock);
    set_insert_locked(set, t);
    pthread_mutex_unlock(&set->lock);
    return APP_OK;
}

/* Reads a whole file into a malloc'd, NUL-terminated block. */
static int read_file(const char *path, char **out, size_t *outlen)
{
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t got;
    FILE *f;
    int rc = APP_OK;
    f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT || errno == ENOTDIR ? APP_E_NOTFOUND : APP_E_IO;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, got);
        if (b.len > MAX_FILE) {
            rc = APP_E_TOOBIG;
            goto done;
        }
    }
    if (ferror(f)) {
        rc = APP_E_IO;
        goto done;
    }
    *out = buf_detach(&b, outlen);
    if (!*out)
        rc = APP_E_NOMEM;
done:
    fclose(f);
    buf_free(&b);
    return rc;
}

/* name is the key (NAME, or NAME.txt for a text template): the file is templates/NAME.html
 * or templates/NAME.txt. */
static int load_dev(struct tpl_set *set, const char *name, size_t n, struct tpl **out)
{
    struct buf path = BUF_INIT;
    char *text = NULL;
    size_t len = 0;
    int rc;
    buf_printf(&path, "%s/templates/%.*s%s", set->dev_dir, (int)n, name,
               memchr(name, '.', n) ? "" : ".html");
    if (buf_oom(&path)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = read_file(path.data, &text, &len);
    if (rc) {
        if (rc != APP_E_NOTFOUND)
            log_error("msg=template_read_failed template=%.*s err=%s", (int)n, name,
                      app_err_name(rc));
        goto done;
    }
    rc = compile(name, n, text, len, text, out);
done:
    buf_free(&path);
    return rc;
}

/* The compiled template called name (n bytes, a valid template name), the HTML one or, with
 * text set, the plain-text one (templates/NAME.txt). A text template is kept under the key
 * "NAME.txt", which no HTML template's name can equal (names hold no dot). *out is
 * borrowed: it lives until tpl_set_free(), or for a development-mode file until *dev is
 * freed. Returns 0, APP_E_NOTFOUND (not logged), APP_E_INVALID (logged), APP_E_NOMEM,
 * APP_E_IO or APP_E_TOOBIG. */
static int get_template(struct tpl_set *set, struct tpl **dev, const char *name_in, size_t n_in,
                        bool text, struct tpl **out)
{
    const struct embed_file *f;
    struct tpl *t, *had;
    char path[sizeof "templates/" + MAX_NAME + sizeof ".html"];
    char key[MAX_NAME + sizeof ".txt"];
    const char *name = name_in;
    size_t n = n_in;
    int rc;
    if (!set)
        return APP_E_NOTFOUND;
    if (text) {
        if (n_in > MAX_NAME)
            return APP_E_NOTFOUND;
        memcpy(key, name_in, n_in);
        memcpy(key + n_in, ".txt", 4);
        name = key;
        n = n_in + 4;
    }
    if ((t = set_find(set, name, n)))
        goto found;
    if (set->dev_dir) {
        for (t = *dev; t; t = t->next)
            if (t->name_len == n && memcmp(t->name, name, n) == 0)
                goto found;
        rc = load_dev(set, name, n, &t);
        if (rc)
            return rc;
        t->next = *dev;
        *dev = t;
        goto found;
    }
    snprintf(path, sizeof path, "templates/%.*s%s", (int)n, name, text ? "" : ".html");
    f = embed_find(path);
    if (!f)
        return APP_E_NOTFOUND;
    rc = compile(name, n, (const char *)f->data, f->len, NULL, &t);
    if (rc)
        return rc;
    pthread_mutex_lock(&set->lock);
    had = set_find(set, name, n);
    if (had) {
        tpl_free_one(t);
        t = had;
    } else {
        set_insert_locked(set, t);
    }
    pthread_mutex_unlock(&set->lock);
found:
    *out = t;
    return APP_OK;
}

int tpl_set_preload(struct tpl_set *set)
{
    struct tpl *dev = NULL, *t, *p;
    size_t i, k;
    int rc = APP_OK;
    for (i = 0; i < embed_count; i++) {
        const char *path = embed_files[i].path, *name;
        size_t len = strlen(path), n;
        bool text;
        if (len < 15 || strncmp(path, "templates/", 10) != 0)
            continue;
        if (!strcmp(path + len - 5, ".html"))
            text = false;
        else if (!strcmp(path + len - 4, ".txt"))
            text = true;
        else
            continue;
        name = path + 10;
        n = len - 10 - (text ? 4 : 5);
        if (!valid_name(name, n, '/')) {
            log_error("msg=template_invalid_name path=%s", path);
            rc = APP_E_INVALID;
            goto done;
        }
        rc = get_template(set, &dev, name, n, text, &t);
        if (rc)
            goto done;
        for (k = 0; k < t->n; k++) {
            if (t->nodes[k].kind != N_PARTIAL)
                continue;
            rc = get_template(set, &dev, t->nodes[k].s, t->nodes[k].len, text, &p);
            if (rc == APP_E_NOTFOUND)
                log_error("msg=template_partial_missing template=%s line=%u partial=%.*s", t->name,
                          t->nodes[k].line, (int)t->nodes[k].len, t->nodes[k].s);
            if (rc)
                goto done;
        }
    }
done:
    tpl_free_list(dev);
    return rc;
}

/* ---- rendering ------------------------------------------------------------------------------ */

/* Mustache lookup: the first part of a dotted name from the innermost context outwards,
 * each later part inside the value found so far. NULL when missing. */
static json_t *lookup(const struct render *r, const char *s, size_t n)
{
    json_t *v = NULL;
    const char *dot;
    size_t i, off, end;
    if (n == 1 && s[0] == '.')
        return r->nctx ? r->ctx[r->nctx - 1] : NULL;
    dot = memchr(s, '.', n);
    end = dot ? (size_t)(dot - s) : n;
    for (i = r->nctx; i-- > 0;)
        if (json_is_object(r->ctx[i]) && (v = json_object_getn(r->ctx[i], s, end)))
            break;
    while (v && end < n) {
        off = end + 1;
        dot = memchr(s + off, '.', n - off);
        end = dot ? (size_t)(dot - s) : n;
        v = json_is_object(v) ? json_object_getn(v, s + off, end - off) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
    case JSON_TRUE:
        return true;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    default:
        return false;
    }
}

static void emit_value(struct buf *b, const json_t *v, bool escape)
{
    double x;
    if (!v)
        return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (escape)
            html_escape(b, json_string_value(v), json_string_length(v));
        else
            buf_append(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        x = json_real_value(v);
        /* integral values print without a fraction, up to where doubles stop being exact;
         * x + 0.0 turns -0 into 0 */
        if (isfinite(x) && x == trunc(x) && fabs(x) < 9007199254740992.0)
            buf_printf(b, "%.0f", x + 0.0);
        else
            buf_printf(b, "%g", x);
        break;
    case JSON_TRUE:
        buf_puts(b, "true");
        break;
    case JSON_FALSE:
        buf_puts(b, "false");
        break;
    default:
        break; /* null, objects and arrays have no text */
    }
}

/* Logs why rendering t stopped at node nd and returns rc, which ends the render. Not the
 * error page a user sees: that is render_error() in render.c. */
static int template_fail(const struct tpl *t, const struct node *nd, int rc, const char *reason)
{
    log_error("msg=template_render_failed template=%s line=%u err=%s reason=\"%s\"", t->name,
              nd->line, app_err_name(rc), reason);
    return rc;
}

static int render_nodes(struct render *r, const struct tpl *t, size_t i, size_t end);

static int render_pushed(struct render *r, const struct tpl *t, size_t i, json_t *v)
{
    int rc;
    if (r->nctx == CTX_MAX) /* the nesting limits make this unreachable */
        return template_fail(t, &t->nodes[i], APP_E_INTERNAL, "context stack overflow");
    r->ctx[r->nctx++] = v;
    rc = render_nodes(r, t, i + 1, t->nodes[i].end);
    r->nctx--;
    return rc;
}

static int render_section(struct render *r, const struct tpl *t, size_t i, json_t *v)
{
    size_t k, n;
    int rc = APP_OK;
    if (!json_is_array(v))
        return render_pushed(r, t, i, v);
    n = json_array_size(v);
    for (k = 0; k < n && !rc; k++)
        rc = render_pushed(r, t, i, json_array_get(v, k));
    return rc;
}

static int render_partial(struct render *r, const struct tpl *t, const struct node *nd)
{
    struct tpl *p;
    int rc;
    if (r->partial_depth >= MAX_PARTIAL_DEPTH)
        return template_fail(t, nd, APP_E_INVALID, "partials nested deeper than 16");
    rc = get_template(r->set, &r->dev, nd->s, nd->len, r->text, &p);
    if (rc == APP_E_NOTFOUND)
        log_error("msg=template_partial_missing template=%s line=%u partial=%.*s", t->name,
                  nd->line, (int)nd->len, nd->s);
    if (rc)
        return rc;
    r->partial_depth++;
    rc = render_nodes(r, p, 0, p->n);
    r->partial_depth--;
    return rc;
}

/* Renders nodes [i, end) of t. */
static int render_nodes(struct render *r, const struct tpl *t, size_t i, size_t end)
{
    int rc = APP_OK;
    while (i < end) {
        const struct node *nd = &t->nodes[i];
        size_t next = i + 1;
        json_t *v;
        if (++r->steps > MAX_STEPS) {
            rc = template_fail(t, nd, APP_E_TOOBIG, "over 10 million nodes visited");
            goto done;
        }
        switch (nd->kind) {
        case N_TEXT:
            buf_append(r->b, nd->s, nd->len);
            break;
        case N_RAW:
            if (r->slot && nd->len == r->slot_len && !memcmp(nd->s, r->slot->name, nd->len)) {
                rc = r->slot->fill(r->slot->arg, r->b);
                break;
            }
            /* fall through */
        case N_VAR:
            emit_value(r->b, lookup(r, nd->s, nd->len), nd->kind == N_VAR && !r->text);
            break;
        case N_SECTION:
            v = lookup(r, nd->s, nd->len);
            if (truthy(v))
                rc = render_section(r, t, i, v);
            next = nd->end;
            break;
        case N_INVERTED:
            if (!truthy(lookup(r, nd->s, nd->len)))
                rc = render_nodes(r, t, i + 1, nd->end);
            next = nd->end;
            break;
        case N_PARTIAL:
            rc = render_partial(r, t, nd);
            break;
        }
        if (rc)
            goto done;
        if (buf_oom(r->b)) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if (r->b->len - r->start > MAX_OUTPUT) {
            rc = template_fail(t, nd, APP_E_TOOBIG, "output over 64 MiB");
            goto done;
        }
        i = next;
    }
done:
    return rc;
}

static void render_init(struct render *r, struct tpl_set *set, json_t *model, struct buf *b)
{
    r->set = set;
    r->b = b;
    r->start = b->len;
    r->steps = 0;
    r->partial_depth = 0;
    r->dev = NULL;
    r->slot = NULL;
    r->slot_len = 0;
    r->text = false;
    r->nctx = 0;
    if (model)
        r->ctx[r->nctx++] = model;
}

/* Frees what the render loaded and, on failure, takes back what it wrote. */
static int render_finish(struct render *r, int rc)
{
    tpl_free_list(r->dev);
    r->dev = NULL;
    if (!rc && buf_oom(r->b))
        rc = APP_E_NOMEM;
    if (rc && !buf_oom(r->b) && r->b->data) {
        r->b->len = r->start;
        r->b->data[r->b->len] = '\0';
    }
    return rc;
}

int tpl_render(struct tpl_set *set, const char *name, json_t *model, struct buf *b)
{
    return tpl_render_slot(set, name, model, b, NULL);
}

/* The HTML or, with text set, the plain-text template name, rendered with an optional slot. */
static int render_named(struct tpl_set *set, const char *name, bool text, json_t *model,
                        struct buf *b, const struct tpl_slot *slot)
{
    struct render r;
    struct tpl *t;
    size_t n = strlen(name);
    int rc;
    render_init(&r, set, model, b);
    r.text = text;
    if (slot) {
        r.slot = slot;
        r.slot_len = strlen(slot->name);
    }
    if (buf_oom(b)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if (!valid_name(name, n, '/')) {
        log_error("msg=template_not_found reason=\"invalid template name\"");
        rc = APP_E_NOTFOUND;
        goto done;
    }
    rc = get_template(set, &r.dev, name, n, text, &t);
    if (rc == APP_E_NOTFOUND)
        log_error("msg=template_not_found template=%s%s", name, text ? ".txt" : "");
    if (rc)
        goto done;
    rc = render_nodes(&r, t, 0, t->n);
done:
    return render_finish(&r, rc);
}

int tpl_render_slot(struct tpl_set *set, const char *name, json_t *model, struct buf *b,
                    const struct tpl_slot *slot)
{
    return render_named(set, name, false, model, b, slot);
}

int tpl_render_text(struct tpl_set *set, const char *name, json_t *model, struct buf *b,
                    const struct tpl_slot *slot)
{
    return render_named(set, name, true, model, b, slot);
}

int tpl_render_string(struct tpl_set *set, const char *text, size_t len, json_t *model,
                      struct buf *b)
{
    struct render r;
    struct tpl *t = NULL;
    int rc;
    render_init(&r, set, model, b);
    if (buf_oom(b)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = compile(STRING_NAME, sizeof STRING_NAME - 1, text ? text : "", text ? len : 0, NULL, &t);
    if (rc)
        goto done;
    rc = render_nodes(&r, t, 0, t->n);
done:
    tpl_free_one(t);
    return render_finish(&r, rc);
}
