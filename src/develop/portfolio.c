/* portfolio.c: the rules of a portfolio entry — kinds, skills, areas, checks and Markdown
 *
 * No HTTP and no SQL: portfolio_pages.c reads forms into a struct develop_entry and asks
 * develop_entry_check() what is wrong, naming the field; portfolio_db.c stores it.
 */
#include "develop/portfolio.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct develop_code_name develop_entry_kinds[] = {
    {"reflection", "Reflection", "What happened, what you learnt and what you will do next"},
    {"achievement", "Achievement", "An award, a result or a milestone"},
    {"project", "Project", "A piece of work with an aim, such as a quality improvement project"},
    {"role", "Role", "A post you held: your clinical career and any leadership roles"},
    {"training", "Training", "A course, a qualification or a programme"},
    {"feedback", "Feedback received", "What colleagues, patients or a 360 said about you"},
};
const size_t develop_entry_kinds_count = sizeof develop_entry_kinds / sizeof *develop_entry_kinds;

const struct develop_code_name develop_skills[] = {
    {"leadership", "Leadership", "Leading people or a team, setting direction"},
    {"stakeholder-engagement", "Stakeholder engagement",
     "Working with patients, partners, managers and commissioners"},
    {"project-management", "Project management", "Planning and delivering a piece of work"},
    {"quality-improvement", "Quality improvement", "Measuring and improving a service"},
    {"teaching", "Teaching", "Teaching, supervising, mentoring or coaching others"},
    {"digital", "Digital", "Digital services, data and technology"},
    {"research", "Research", "Research, evaluation and using evidence"},
};
const size_t develop_skills_count = sizeof develop_skills / sizeof *develop_skills;

const char *develop_code_name(const struct develop_code_name *list, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(list[i].code, code))
            return list[i].name;
    return NULL;
}

bool develop_tag_has(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !memcmp(p, code, n))
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* Lower-cases and trims word (n bytes) into out (size bytes). */
static void fold(const char *w, size_t n, char *out, size_t size)
{
    size_t k = 0;
    while (n && (*w == ' ' || *w == '\t'))
        w++, n--;
    while (n && (w[n - 1] == ' ' || w[n - 1] == '\t' || w[n - 1] == '\r'))
        n--;
    for (size_t i = 0; i < n && k + 1 < size; i++)
        out[k++] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    out[k] = '\0';
}

/* Whether word (folded) names item: its code, or its name in any case. */
static bool names(const char *word, const char *code, const char *name)
{
    char n[200];
    fold(name, strlen(name), n, sizeof n);
    return !strcmp(word, code) || !strcmp(word, n);
}

int develop_tags_normalise(struct arena *a, const char *text, const struct develop_framework *fw,
                           const char **out, const char **bad)
{
    size_t count = fw ? fw->ndomains : develop_skills_count;
    bool *on = arena_calloc(a, count ? count : 1, sizeof *on);
    struct buf b = BUF_INIT;
    int rc = APP_OK;

    *out = "";
    *bad = NULL;
    if (!on)
        return APP_E_NOMEM;
    for (const char *p = text ? text : ""; *p;) {
        size_t len = strcspn(p, ",;\n");
        char word[200];
        bool found = false;
        fold(p, len, word, sizeof word);
        if (*word) {
            for (size_t i = 0; i < count && !found; i++) {
                if (fw) {
                    const struct develop_domain *d = &fw->domains[i];
                    char full[200];
                    snprintf(full, sizeof full, "%s:%s", fw->code, d->id);
                    found = names(word, d->id, d->title) || !strcmp(word, full);
                } else {
                    found = names(word, develop_skills[i].code, develop_skills[i].name);
                }
                if (found)
                    on[i] = true;
            }
            if (!found) {
                *bad = arena_strndup(a, p, len);
                return *bad ? APP_E_INVALID : APP_E_NOMEM;
            }
        }
        p += len;
        if (*p)
            p++;
    }
    for (size_t i = 0; i < count; i++) {
        if (!on[i])
            continue;
        if (b.len)
            buf_putc(&b, ',');
        if (fw)
            buf_printf(&b, "%s:%s", fw->code, fw->domains[i].id);
        else
            buf_puts(&b, develop_skills[i].code);
    }
    buf_putc(&b, '\0');
    if (buf_oom(&b) || !(*out = arena_strdup(a, b.data)))
        rc = APP_E_NOMEM;
    buf_free(&b);
    return rc;
}

static size_t chars(const char *s)
{
    return s ? utf8_count(s, strlen(s)) : 0;
}

static void add(struct develop_field_error *errs, size_t max, size_t *n, const char *field,
                const char *message)
{
    if (*n < max) {
        errs[*n].field = field;
        errs[*n].message = message;
    }
    (*n)++;
}

size_t develop_entry_check(const struct develop_entry *e, const struct develop_framework *fw,
                           struct develop_field_error *errs, size_t max)
{
    size_t n = 0;

    if (!develop_code_name(develop_entry_kinds, develop_entry_kinds_count, e->kind))
        add(errs, max, &n, "kind", "Choose what kind of entry this is");
    if (!e->title || !*e->title)
        add(errs, max, &n, "title", "Enter a title");
    else if (chars(e->title) > DEVELOP_ENTRY_TITLE_MAX)
        add(errs, max, &n, "title", "Title must be 150 characters or fewer");
    if (chars(e->context) > DEVELOP_ENTRY_CONTEXT_MAX)
        add(errs, max, &n, "context", "Organisation or context must be 150 characters or fewer");
    if (e->ended_on && !e->started_on)
        add(errs, max, &n, "start", "Enter a start date, or leave the end date empty");
    else if (e->ended_on && e->ended_on < e->started_on)
        add(errs, max, &n, "end", "End date must be the same as or after the start date");
    if (chars(e->body) > DEVELOP_ENTRY_BODY_MAX)
        add(errs, max, &n, "body", "What you did and learnt must be 10,000 characters or fewer");
    for (const char *p = e->skills; p && *p;) {
        const char *end = strchr(p, ',');
        char code[64];
        size_t len = end ? (size_t)(end - p) : strlen(p);
        snprintf(code, sizeof code, "%.*s", (int)(len < 63 ? len : 63), p);
        if (!develop_code_name(develop_skills, develop_skills_count, code)) {
            add(errs, max, &n, "skills", "Choose skills from the list");
            break;
        }
        p = end ? end + 1 : NULL;
    }
    for (const char *p = e->domains; p && *p;) {
        const char *end = strchr(p, ','), *colon;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool ok = false;
        colon = memchr(p, ':', len);
        if (fw && colon && (size_t)(colon - p) == strlen(fw->code) &&
            !memcmp(p, fw->code, (size_t)(colon - p)))
            for (size_t d = 0; d < fw->ndomains && !ok; d++)
                ok = strlen(fw->domains[d].id) == len - (size_t)(colon - p) - 1 &&
                     !memcmp(colon + 1, fw->domains[d].id, len - (size_t)(colon - p) - 1);
        if (!ok) {
            add(errs, max, &n, "domains", "Choose leadership areas from the list");
            break;
        }
        p = end ? end + 1 : NULL;
    }
    return n;
}

/* A list item's marker: "3. " in a numbered list (counting from the list's start, with its
 * own delimiter), a bullet otherwise, so a CV keeps the numbers its writer gave. */
static void item_marker(struct buf *b, cmark_node *item)
{
    cmark_node *list = cmark_node_parent(item);
    int n;
    if (!list || cmark_node_get_list_type(list) != CMARK_ORDERED_LIST) {
        buf_puts(b, "\u2022 ");
        return;
    }
    n = cmark_node_get_list_start(list);
    for (cmark_node *p = cmark_node_previous(item); p; p = cmark_node_previous(p))
        n++;
    buf_printf(b, "%d%c ", n, cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.');
}

/* After a link's text (written from offset from): its address in brackets, as a printed CV
 * cannot be clicked; left out when the text already is the address (an autolink), and unless
 * it is a web or mail address (a script or a file on someone's computer means nothing on
 * paper). An image's address is never printed: the page shows its description only. */
static void link_address(struct buf *b, size_t from, const char *url)
{
    size_t n = b->len - from, u;
    if (!url || !*url || b->oom)
        return;
    if (strncasecmp(url, "https://", 8) && strncasecmp(url, "http://", 7) &&
        strncasecmp(url, "mailto:", 7))
        return;
    u = strlen(url);
    if (!strncasecmp(url, "mailto:", 7) && u - 7 == n && !memcmp(b->data + from, url + 7, n))
        return;
    if (u == n && !memcmp(b->data + from, url, n))
        return;
    buf_printf(b, " (%s)", url);
}

/* Appends the plain text of root and everything in it to b. */
static void plain_of(struct buf *b, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    size_t link_at[8], nlinks = 0; /* where each open link's text starts (links nest in images) */

    if (!it) {
        b->oom = true;
        return;
    }
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        const char *lit;
        if (ev == CMARK_EVENT_ENTER) {
            switch (t) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
                lit = cmark_node_get_literal(node);
                buf_puts(b, lit ? lit : "");
                break;
            case CMARK_NODE_CODE_BLOCK:
                lit = cmark_node_get_literal(node);
                if (b->len && b->data[b->len - 1] != '\n')
                    buf_putc(b, '\n');
                buf_puts(b, lit ? lit : "");
                break;
            case CMARK_NODE_SOFTBREAK:
                buf_putc(b, ' ');
                break;
            case CMARK_NODE_LINEBREAK:
                buf_putc(b, '\n');
                break;
            case CMARK_NODE_ITEM:
                if (b->len && b->data[b->len - 1] != '\n')
                    buf_putc(b, '\n');
                item_marker(b, node);
                break;
            case CMARK_NODE_LINK:
            case CMARK_NODE_IMAGE:
                if (nlinks < sizeof link_at / sizeof *link_at)
                    link_at[nlinks] = b->len;
                nlinks++;
                break;
            default:
                break;
            }
        } else if (ev == CMARK_EVENT_EXIT && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
            nlinks--;
            if (nlinks < sizeof link_at / sizeof *link_at && t == CMARK_NODE_LINK)
                link_address(b, link_at[nlinks], cmark_node_get_url(node));
        } else if (ev == CMARK_EVENT_EXIT &&
                   (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) && b->len &&
                   b->data[b->len - 1] != '\n') {
            buf_putc(b, '\n'); /* a list item's paragraph ran on from its bullet */
        }
    }
    cmark_iter_free(it);
}

char *develop_markdown_plain(struct arena *a, const char *md)
{
    cmark_node *doc = cmark_parse_document(md ? md : "", md ? strlen(md) : 0, CMARK_OPT_DEFAULT);
    struct buf b = BUF_INIT;
    char *out;

    if (!doc)
        return NULL;
    plain_of(&b, doc);
    cmark_node_free(doc);
    while (b.len && b.data[b.len - 1] == '\n')
        b.len--;
    buf_putc(&b, '\0');
    out = buf_oom(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

/* ---- the body's blocks, for the CV's PDF and Word ---- */

struct blocks {
    struct arena *a;
    struct develop_block *v; /* malloc'd while they are gathered */
    size_t n, cap;
    int lists;
    bool oom;
};

/* A new block, zeroed, holding text (the first len bytes of text, trailing line breaks
 * dropped); NULL when out of memory. */
static struct develop_block *block_add(struct blocks *bs, enum develop_block_kind kind,
                                       const char *text, size_t len)
{
    struct develop_block *b;
    while (len && text[len - 1] == '\n')
        len--;
    if (bs->n == bs->cap) {
        size_t cap = bs->cap ? bs->cap * 2 : 16;
        struct develop_block *v = realloc(bs->v, cap * sizeof *v);
        if (!v) {
            bs->oom = true;
            return NULL;
        }
        bs->v = v;
        bs->cap = cap;
    }
    b = &bs->v[bs->n];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    if (!(b->text = arena_strndup(bs->a, text ? text : "", len))) {
        bs->oom = true;
        return NULL;
    }
    bs->n++;
    return b;
}

static void blocks_of(struct blocks *bs, cmark_node *parent, int depth);

/* A list's items, each followed by the items of the lists it holds, one level deeper. */
static void list_blocks(struct blocks *bs, cmark_node *list, int depth)
{
    int id = ++bs->lists, number = cmark_node_get_list_start(list);
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    char delim = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.';

    for (cmark_node *item = cmark_node_first_child(list); item && !bs->oom;
         item = cmark_node_next(item), number++) {
        struct buf t = BUF_INIT;
        struct develop_block *b;
        for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) == CMARK_NODE_LIST)
                continue;
            while (t.len && t.data[t.len - 1] == '\n')
                t.len--;
            if (t.len)
                buf_putc(&t, '\n');
            plain_of(&t, c);
        }
        if (buf_oom(&t))
            bs->oom = true;
        else if ((b = block_add(bs, DEVELOP_BLOCK_ITEM, t.data, t.len))) {
            b->depth = depth < DEVELOP_BLOCK_DEPTH ? depth : DEVELOP_BLOCK_DEPTH;
            b->list = id;
            b->ordered = ordered;
            b->number = ordered ? number : 0;
            b->delim = ordered ? delim : 0;
        }
        buf_free(&t);
        for (cmark_node *c = cmark_node_first_child(item); c && !bs->oom; c = cmark_node_next(c))
            if (cmark_node_get_type(c) == CMARK_NODE_LIST)
                list_blocks(bs, c, depth + 1);
    }
}

/* The blocks parent holds (a document or a quotation). */
static void blocks_of(struct blocks *bs, cmark_node *parent, int depth)
{
    for (cmark_node *n = cmark_node_first_child(parent); n && !bs->oom; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        struct buf b = BUF_INIT;
        struct develop_block *blk;
        switch (t) {
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HEADING:
            plain_of(&b, n);
            while (b.len && b.data[b.len - 1] == '\n')
                b.len--;
            if (buf_oom(&b))
                bs->oom = true;
            else if (b.len &&
                     (blk = block_add(
                          bs, t == CMARK_NODE_HEADING ? DEVELOP_BLOCK_HEADING : DEVELOP_BLOCK_PARA,
                          b.data, b.len)) &&
                     t == CMARK_NODE_HEADING)
                blk->level = cmark_node_get_heading_level(n);
            buf_free(&b);
            break;
        case CMARK_NODE_BLOCK_QUOTE:
            blocks_of(bs, n, depth);
            break;
        case CMARK_NODE_LIST:
            list_blocks(bs, n, depth);
            break;
        default: /* raw HTML, rules */
            break;
        }
    }
}

int develop_markdown_blocks(struct arena *a, const char *md, struct develop_block **out, size_t *n)
{
    cmark_node *doc = cmark_parse_document(md ? md : "", md ? strlen(md) : 0, CMARK_OPT_DEFAULT);
    struct blocks bs = {a, NULL, 0, 0, 0, false};
    int rc = APP_OK;

    *out = NULL;
    *n = 0;
    if (!doc)
        return APP_E_NOMEM;
    blocks_of(&bs, doc, 0);
    cmark_node_free(doc);
    if (!bs.oom && bs.n) {
        if ((*out = arena_calloc(a, bs.n, sizeof **out))) {
            memcpy(*out, bs.v, bs.n * sizeof **out);
            *n = bs.n;
        } else
            bs.oom = true;
    }
    if (bs.oom)
        rc = APP_E_NOMEM;
    free(bs.v);
    return rc;
}
