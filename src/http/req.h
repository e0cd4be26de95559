/* req.h: a parsed HTTP request, its declared fields, and the per-request context
 *
 * A request is built either by server.c (from libmicrohttpd) or by loopback.c (tests), then
 * handed to the pipeline (app->dispatch, web/dispatch.c). Everything in it lives in the request's
 * arena. Handlers see only the fields their route declares (routes.def); each was checked for type,
 * presence, length and UTF-8 before the handler runs, and the problems found are in req->errors for
 * the handler to show with the error-summary pattern.
 */
#ifndef AHP_REQ_H
#define AHP_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

struct arena;
struct app;
struct db;

enum http_method { M_GET, M_POST, M_PUT, M_PATCH, M_DELETE, M_HEAD, M_OTHER };

/* Field types: what the value must look like. */
enum field_type {
    F_TEXT,     /* one line: trimmed, no control characters */
    F_LONGTEXT, /* may contain newlines (CR LF normalised to LF) */
    F_PASSWORD, /* kept exactly as typed, never echoed back into a page */
    F_EMAIL,    /* lower-cased, one @, a dot in the domain */
    F_INT,      /* a whole number */
    F_BOOL,     /* checkbox: present and "1"/"on"/"true"/"yes" is true */
    F_TOKEN,    /* opaque ASCII token: letters, digits, '-', '_', '.' */
    F_FILE,     /* multipart upload; value is the file's bytes */
    F_JSON,     /* a JSON array or object, taken only in a JSON body: the handler reads it
                 * from req->json; never a form field, so a text value is refused */
};

/* A field's required column: OPTIONAL or REQUIRED, with LIST added when a JSON body may also
 * send it as a list, which its handler reads from req->json (a form sends the same as text). A
 * list for any other field but an F_JSON one is refused by name, as nothing would read it; so
 * is true or false for any but an F_BOOL one. */
enum { OPTIONAL = 0, REQUIRED = 1, LIST = 2 };

struct field_spec {
    const char *name;
    enum field_type type;
    int required;      /* OPTIONAL or REQUIRED, | LIST */
    size_t max;        /* characters (text) or bytes (files) */
    const char *label; /* "your email address": used as "Enter your email address" */
};

struct kv {
    const char *name;
    const char *value;
    size_t len;
};

struct field_error {
    const char *field;   /* the field's name, for the anchor link #field */
    const char *message; /* shown to the user */
};

struct upload {
    const char *field, *filename, *content_type;
    const char *data;
    size_t len;
};

struct req {
    struct arena *arena;
    enum http_method method;
    const char *method_name;
    const char *path; /* decoded path without the query string; for /api/v1/x this is /x */
    const char *raw_path;
    const char *query; /* raw query string or "" */
    bool api;          /* path was under /api/v1/: answer JSON, bodies are JSON */
    struct kv *headers;
    size_t nheaders;
    struct kv *cookies;
    size_t ncookies;
    struct kv *params; /* named path segments, e.g. :id */
    size_t nparams;
    struct kv *fields; /* declared fields only, validated */
    size_t nfields;
    struct field_error *errors;
    size_t nerrors;
    struct kv *typed; /* refused values as typed (see req_typed), never acted on */
    size_t ntyped;
    struct upload *uploads;
    size_t nuploads;
    const char *body;
    size_t body_len;
    bool body_too_big;
    /* An app_err the socket side found before the request could be dispatched (a request
     * line that does not decode, a Content-Length over the limit, no memory for the body):
     * dispatch() then only answers it. 0 otherwise. */
    int refused;
    json_t *json; /* parsed JSON body (API), owned: decref'd with the arena */
    /* The network client as a keyed hash (never the address itself): rate limits only. */
    unsigned char client_key[16];
    bool has_client;
};

/* Fills r's method, path, query and api flag from the request line. The URI is the raw
 * request target ("/api/v1/x?y=1"). Returns APP_E_INVALID for targets that are not a
 * decodable UTF-8 absolute path. */
int req_start(struct req *r, struct arena *a, const char *method, const char *uri);

/* Header value by case-insensitive name, or NULL. */
const char *req_header(const struct req *r, const char *name);
/* Cookie value by name, or NULL. */
const char *req_cookie(const struct req *r, const char *name);
/* Named path segment, or NULL. */
const char *req_param(const struct req *r, const char *name);
/* Declared, validated field value, or NULL when absent (or invalid). */
const char *req_field(const struct req *r, const char *name);
/* What was typed into a declared field, for showing the form again: the validated value, or
 * the value the request layer refused (too long, a bad address ...) with control characters
 * other than tab and newline left out, so a user who typed 2,001 characters gets them back
 * to shorten. NULL when absent, for passwords and files, and for text that is not UTF-8.
 * Never act on it: a refused value is not a value (req_field says NULL). */
const char *req_typed(const struct req *r, const char *name);
/* Declared F_INT field, or def when absent/invalid. */
int64_t req_field_int(const struct req *r, const char *name, int64_t def);
/* Declared F_BOOL field. */
bool req_field_bool(const struct req *r, const char *name);
/* Adds an error for field (message copied into the arena). Returns APP_E_NOMEM on failure. */
int req_add_error(struct req *r, const char *field, const char *message);
/* req_add_error(), but a message already given for field (by the form layer's generic check,
 * say "An answer must be 2 characters or fewer") gives way to this one, which the handler
 * knows to describe the field better. Returns APP_E_NOMEM on failure. */
int req_replace_error(struct req *r, const char *field, const char *message);
/* The field's error message, or NULL. */
const char *req_error(const struct req *r, const char *field);

/* Which of a request's members req_refuse_members() walks. */
enum req_members {
    REQ_BODY_MEMBERS, /* a JSON body's members, by key, whatever their value (null too): a
                       * form's fields are not walked */
    REQ_FIELDS,       /* the declared fields the request layer kept, a form's or a JSON
                       * body's (a value it refused, or a JSON null, is not among them) */
};

/* Refuses the members of a family (those named prefix, then the rest: "item.<question id>")
 * whose rest names nothing the handler knows. A route declares a family in routes.def
 * ("item.*"), and the request layer checks each member's name and value, but only the handler
 * knows which questions, areas or entries there are. For each member of which, in the
 * request's order, check(ctx, r->arena, rest, &why) answers APP_OK with why NULL when rest
 * names something known, APP_OK with why the message to refuse it with (copied), or an
 * error, which stops the walk and is returned; a refusal goes under the member's own name,
 * where a problem the request layer found with it already stands (req_add_error). Returns
 * 0, APP_E_NOMEM or check's error. */
int req_refuse_members(struct req *r, const char *prefix, enum req_members which,
                       int (*check)(void *ctx, struct arena *a, const char *rest, const char **why),
                       void *ctx);

/* Sets r->client_key from the client's address (text, as the socket or proxy gave it). The
 * key is a BLAKE2b MAC under a random key made when the process starts and never stored, so
 * the same address maps to the same key within this process and to nothing outside it. */
void req_set_client(struct req *r, const char *addr, size_t n);

/* Parses application/x-www-form-urlencoded (or a query string) into kv pairs in the arena.
 * Returns 0, APP_E_INVALID (bad %-escape, not UTF-8), APP_E_TOOBIG (> max_fields), NOMEM. */
int form_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max_fields,
                          struct kv **out, size_t *nout);
/* Parses multipart/form-data with the given boundary. Text parts become kv pairs, parts with
 * a filename become uploads. Same return codes. */
int form_parse_multipart(struct arena *a, const char *body, size_t n, const char *boundary,
                         size_t max_fields, struct kv **out, size_t *nout, struct upload **up,
                         size_t *nup);
/* The boundary parameter of a multipart Content-Type, or NULL. */
const char *form_multipart_boundary(struct arena *a, const char *content_type);
/* Parses a Cookie header ("a=1; b=2"). Malformed pairs are skipped, never fatal. */
int cookie_parse(struct arena *a, const char *header, struct kv **out, size_t *nout);
/* Parses a JSON body: an object, at most max_depth levels of nesting. Returns 0 with *out
 * owned by the caller, APP_E_INVALID (with a short reason in *why), or APP_E_TOOBIG. */
int json_body_parse(const char *s, size_t n, size_t max_depth, json_t **out, const char **why);

/* A date field: "2026-11-30" gives the unix time at 00:00 UTC that day, "" or NULL gives 0
 * (no date). false when it is not a date; whether the year makes sense is the caller's to
 * say. */
bool form_date(const char *s, int64_t *out);

/* The declaration in specs of the field called name: its own, or that of the family
 * ("prefix*", see form_validate) whose rule the name meets; NULL when none declares it. The
 * one lookup by which validation, the order of the error summary and the signed-out page
 * (web/signed_out.h) find a field's type, label and place on the page. */
const struct field_spec *form_field_spec(const struct field_spec *specs, const char *name);

/* Refuses the members of a JSON body obj that specs does not declare (by name or as a
 * family member, form_field_spec) and that are not in also (a NULL-terminated list of names
 * every route takes, such as the CSRF token's): an error in r->errors names each, and
 * *nunknown counts them, with the members that declare a field not of type F_JSON but send
 * it as an object, or as a list when it is not declared LIST either (which nothing would
 * read), or as true or false when it is not F_BOOL (which would reach it as 1 or 0). What a
 * client sent is never dropped unseen: a
 * JSON body is checked whole before its route's handler runs. Returns APP_E_NOMEM or 0. */
int form_refuse_unknown(struct req *r, const struct field_spec *specs, const char *const *also,
                        json_t *obj, size_t *nunknown);

/* Validates raw values against specs: copies declared fields into r->fields and records
 * errors in r->errors. Undeclared names are dropped (form_refuse_unknown has refused them
 * already in a JSON body; a page's form may carry a button's name or the CSRF token). A spec
 * whose name ends in '*' ("item.*") declares a family: every field named with that prefix
 * (then up to 64 of [A-Za-z0-9._-]) is checked with the family's type and length and kept
 * under its own name; a family is never required. */
int form_validate(struct req *r, const struct field_spec *specs, const struct kv *raw, size_t nraw);

#endif
