/* template.h: a small Mustache subset rendering jansson view models to HTML
 *
 * Syntax: {{name}} (HTML-escaped), {{{name}}} and {{&name}} (raw: only for HTML the program
 * produced itself), {{#name}}…{{/name}} (section), {{^name}}…{{/name}} (inverted section),
 * {{> partials/name}} (partial), {{! comment }}, dotted names {{user.name}} and {{.}} for the
 * current element. Delimiter changes ({{=<% %>=}}) are not supported.
 *
 * Names are looked up from the innermost section's value outwards to the model (Mustache
 * semantics); in a dotted name only the first part is looked up that way and the rest must
 * be found inside it. A section is skipped for false, null, a missing name, an empty array,
 * an empty string and 0; an array repeats it once per element, anything else renders it once
 * with the value pushed as the innermost context. Strings render as they are (escaped),
 * integral numbers as integers, other numbers with %g, booleans as true/false; null, missing
 * names, objects and arrays render nothing.
 *
 * Because lookup walks outwards, a recursive partial ({{#kids}}{{> tree}}{{/kids}}) stops
 * only where each node has its own falsy "kids" ([] or false): a leaf without the key finds
 * its parent's and recurses until the partial depth limit (APP_E_INVALID).
 *
 * A section, inverted section, closing, comment or partial tag alone on its line (only
 * spaces or tabs around it) takes the whole line with it, so block tags leave no blank lines.
 * Partials are not re-indented.
 *
 * Limits, each an error rather than a crash: sections nested 64 deep in one template,
 * partials nested 16 deep, names of 128 bytes, and, against runaway loops, 10 million node
 * visits and 64 MiB of output per render.
 */
#ifndef AHP_TEMPLATE_H
#define AHP_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

struct buf;

/* A set of named templates ("layout", "account/login", "partials/error_summary"), compiled
 * on first use and cached. Safe to render from many threads at once; tpl_set_add() and
 * tpl_set_preload() may also run concurrently with renders. */
struct tpl_set;

/* Creates a set whose templates are loaded by name: "account/login" is the embedded file
 * "templates/account/login.html" (src/core/embed.h), compiled once and kept. With dev_dir
 * non-NULL (development mode), the file <dev_dir>/templates/account/login.html is read from
 * disk and compiled on every render instead, so an edited template shows on reload.
 * dev_dir is copied. Returns 0 or APP_E_NOMEM; on success *out is the caller's, to free with
 * tpl_set_free(). */
int tpl_set_new(const char *dev_dir, struct tpl_set **out);

/* Frees the set and every template compiled in it. No render may be running. NULL is
 * allowed. */
void tpl_set_free(struct tpl_set *set);

/* Registers an in-memory template under name (letters, digits, '_', '-', with '/' between
 * segments). It takes precedence over the loader and over an earlier template of the same
 * name (in development mode too). text is compiled now and copied. Meant for tests and
 * built-in fallbacks. Returns 0, APP_E_INVALID (bad name, or a syntax error, logged with the
 * line) or APP_E_NOMEM. */
int tpl_set_add(struct tpl_set *set, const char *name, const char *text);

/* Compiles every embedded template (every templates/NAME.html and NAME.txt) now and checks that each partial it
 * names exists, so a broken template stops the program at start rather than a page later.
 * Returns 0, APP_E_INVALID (syntax error), APP_E_NOTFOUND (missing partial) or APP_E_NOMEM;
 * the problem is logged with the template name and line. In development mode the templates
 * are read from disk and checked but not kept. */
int tpl_set_preload(struct tpl_set *set);

/* Renders template name with the view model (normally a JSON object; NULL renders every
 * name as missing) and appends the result to b. The model is only read; the caller keeps it.
 * Returns:
 *   0               success;
 *   APP_E_NOTFOUND  no template or partial of that name;
 *   APP_E_INVALID   a syntax error, or partials nested too deep (logged with template name
 *                   and line);
 *   APP_E_TOOBIG    the render exceeded the node-visit or output limit;
 *   APP_E_NOMEM     out of memory (including b already being oom);
 *   APP_E_IO        development mode only: the template file could not be read.
 * On any error b is restored to its length on entry (unless it is oom). */
int tpl_render(struct tpl_set *set, const char *name, json_t *model, struct buf *b);

/* A raw variable filled by the caller: where the template says {{{NAME}}}, fill() appends to
 * b instead of a model value being copied in. A layout renders its page this way, straight
 * into the response, rather than the page being rendered into a string first. fill()'s
 * non-zero return ends the render with that error. */
struct tpl_slot {
    const char *name;
    int (*fill)(void *arg, struct buf *b);
    void *arg;
};

/* tpl_render() with a slot (NULL: none). */
int tpl_render_slot(struct tpl_set *set, const char *name, json_t *model, struct buf *b,
                    const struct tpl_slot *slot);

/* Plain text (the text part of a mail): renders templates/NAME.txt, where {{name}} is NOT
 * HTML-escaped (there is no HTML to break out of) and {{> partial}} names the partial's .txt
 * file. Text templates are compiled, cached, preloaded and checked like HTML ones; the same
 * name may have both. Errors as tpl_render(); slot as tpl_render_slot() (may be NULL). */
int tpl_render_text(struct tpl_set *set, const char *name, json_t *model, struct buf *b,
                    const struct tpl_slot *slot);

/* Like tpl_render(), for the len bytes of template text given directly (tests, fuzzing, one-off
 * snippets). Partials are resolved through set; set may be NULL, and then any partial that
 * is actually rendered gives APP_E_NOTFOUND. text need not be NUL-terminated. */
int tpl_render_string(struct tpl_set *set, const char *text, size_t len, json_t *model,
                      struct buf *b);

#endif
