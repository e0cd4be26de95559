/* render.h: one view model, two representations — an NHS.UK page or JSON
 *
 * Handlers build a jansson object and call render(). Browsers get the template rendered
 * inside the layout; API clients (paths under /api/v1, or Accept: application/json) get the
 * same object as JSON. The JSON API therefore can never fall behind the pages.
 */
#ifndef AHP_RENDER_H
#define AHP_RENDER_H

#include <stdint.h>

#include <jansson.h>

#include "http/handler.h"

struct buf;

#define SERVICE_NAME "AHP Hub"

/* Renders model with template tpl ("account/show") at the given status. Takes ownership of
 * model (a new reference: json_object() straight into the call is fine). The field errors
 * of the request are added as "errors" (name → message) and "error_list", and the submitted
 * values of declared fields (never passwords) as "form". NULL model means APP_E_NOMEM. */
int render(struct ctx *c, int status, const char *tpl, json_t *model);
/* For pages whose body is the same for everyone who may see it (shared between requests):
 * render_body() renders template tpl with model (taken) into out, without the layout;
 * render_with_body() answers a browser with that body inside the layout, made for this
 * request (navigation, who is logged in, flash). The body template must then not use what
 * differs between people: csrf_token, current_user, flash. */
int render_body(struct ctx *c, const char *tpl, json_t *model, struct buf *out);
int render_with_body(struct ctx *c, int status, const char *title, const char *body, size_t len);

/* The error answer for err: an NHS-styled page or {"error": code, "message": …}. detail, if
 * not NULL, is a safe sentence for the user ("The JSON body is nested too deeply"). */
void render_error(struct ctx *c, int err, const char *detail);
/* render_error() with the page's title (and the API's message) given by the caller, for an
 * error the status's own words would misdescribe ("These benchmarks are not published yet"
 * rather than 409's "This has already been done"); detail is then the page's only
 * sentence under it. title NULL is render_error(). */
void render_error_as(struct ctx *c, int err, const char *title, const char *detail);
/* A 429 for a limit that lifts in secs seconds: sends Retry-After and says "<why> Wait 15
 * minutes, then try again." (the true wait, in minutes or hours), once, as the page's or the
 * JSON's message; forgot_link adds a link to reset a forgotten password. */
void render_limited(struct ctx *c, int64_t secs, const char *why, bool forgot_link);
/* The page's half of a 429 for a form whose input is kept: adds "<why> Wait 15 minutes, then
 * try again." as the error of field and sends Retry-After; the caller then shows the form
 * again with render(c, 429, ...), with what was typed. (An API call gets render_limited().)
 * Returns APP_OK or APP_E_NOMEM. */
int render_limited_field(struct ctx *c, int64_t secs, const char *why, const char *field);
/* Re-shows a form whose fields failed validation (status 400) or, for JSON, answers 400
 * with the field errors. model is taken as in render(). */
int render_invalid(struct ctx *c, const char *tpl, json_t *model);

/* Shows a one-off message on the next page this browser sees (after a redirect). code is
 * one of the fixed codes in render.c ("profile_saved", …); unknown codes show nothing. */
int flash_set(struct ctx *c, const char *code);

/* The model of partials/pagination: {page, pages, total, prev, next}, the links built from
 * base ("/admin/users?q=x" or "/listen/abc") with page=N appended and then fragment (NULL or
 * "#contributions"). NULL when out of memory. */
json_t *render_pagination(const char *base, int64_t page, int64_t per_page, int64_t total,
                          const char *fragment);

/* Small builders that keep handlers short. They return their first argument so calls nest;
 * a NULL anywhere makes the result NULL (checked once in render()). */
json_t *jset(json_t *obj, const char *key, json_t *value);
json_t *jstr(const char *s); /* NULL gives "" */
/* Sets obj[key] = value (taking value) and returns obj, so calls chain:
 * o = jobj(json_object(), "a", x); o = jobj(o, "b", y). key must be a constant ASCII name
 * (it is not UTF-8-checked). On any failure, or when obj is NULL, both are released and NULL
 * is returned, so one check after the last call covers the chain. */
json_t *jobj(json_t *obj, const char *key, json_t *value);
json_t *jint(long long v);
/* A unix time as a page writes a date, "21 November 2026", or "" for 0 (UTC). */
json_t *jdate(int64_t t);
/* The same as a date input's value, "2026-11-21", or "" for 0. */
json_t *jdate_input(int64_t t);
json_t *jbool(int v);

#endif
