/* form.c: urlencoded and multipart form parsing, and validation against declared fields
 *
 * Parsing only splits and decodes; form_validate() is where a value becomes trusted: only
 * names a route declares survive, each is checked for UTF-8, presence, length and shape, and
 * the problems are collected (not returned one at a time) so a page can list them all in its
 * error summary.
 */
#include "http/req.h"
#include "core/arena.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Grows an arena array of kv by doubling; arenas cannot realloc, so the old copy is left. */
static int kv_push(struct arena *a, struct kv **arr, size_t *n, size_t *cap, struct kv item)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        struct kv *p = arena_alloc(a, ncap * sizeof *p);
        if (!p)
            return APP_E_NOMEM;
        if (*n)
            memcpy(p, *arr, *n * sizeof *p);
        *arr = p;
        *cap = ncap;
    }
    (*arr)[(*n)++] = item;
    return APP_OK;
}

int form_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max_fields,
                          struct kv **out, size_t *nout)
{
    size_t i = 0, cap = 0;
    int rc = APP_OK;
    *out = NULL;
    *nout = 0;
    while (i < n) {
        size_t start = i, eq = (size_t)-1, klen, vlen;
        char *k, *v;
        struct kv item;
        while (i < n && s[i] != '&') {
            if (s[i] == '=' && eq == (size_t)-1)
                eq = i;
            i++;
        }
        if (i == start) { /* empty pair: "a=1&&b=2" */
            i++;
            continue;
        }
        if (*nout >= max_fields) {
            rc = APP_E_TOOBIG;
            goto done;
        }
        if (eq == (size_t)-1)
            eq = i;
        k = arena_alloc(a, eq - start + 1);
        v = arena_alloc(a, i > eq ? i - eq : 1);
        if (!k || !v) {
            rc = APP_E_NOMEM;
            goto done;
        }
        klen = url_decode(s + start, eq - start, k, true);
        vlen = eq < i ? url_decode(s + eq + 1, i - eq - 1, v, true) : 0;
        if (klen == (size_t)-1 || vlen == (size_t)-1) {
            rc = APP_E_INVALID;
            goto done;
        }
        k[klen] = '\0';
        v[vlen] = '\0';
        if (!utf8_valid(k, klen) || !utf8_valid(v, vlen)) {
            rc = APP_E_INVALID;
            goto done;
        }
        item.name = k;
        item.value = v;
        item.len = vlen;
        rc = kv_push(a, out, nout, &cap, item);
        if (rc)
            goto done;
        i++;
    }
done:
    return rc;
}

const char *form_multipart_boundary(struct arena *a, const char *ct)
{
    const char *p;
    size_t n;
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
        return NULL;
    p = strcasestr(ct, "boundary=");
    if (!p)
        return NULL;
    p += 9;
    if (*p == '"') {
        const char *e = strchr(p + 1, '"');
        if (!e)
            return NULL;
        n = (size_t)(e - p - 1);
        p++;
    } else {
        n = strcspn(p, "; \t");
    }
    if (n == 0 || n > 70)
        return NULL;
    return arena_strndup(a, p, n);
}

static const char *memmem_str(const char *h, size_t hn, const char *needle, size_t nn)
{
    return memmem(h, hn, needle, nn);
}

/* Extracts a quoted parameter (name="…") from a Content-Disposition header value. */
static char *disposition_param(struct arena *a, const char *line, size_t n, const char *param)
{
    size_t plen = strlen(param);
    for (size_t i = 0; i + plen + 2 <= n; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
            strncasecmp(line + i, param, plen) == 0 && line[i + plen] == '=' &&
            line[i + plen + 1] == '"') {
            const char *v = line + i + plen + 2, *end = memchr(v, '"', n - (size_t)(v - line));
            if (!end)
                return NULL;
            return arena_strndup(a, v, (size_t)(end - v));
        }
    }
    return NULL;
}

int form_parse_multipart(struct arena *a, const char *body, size_t n, const char *boundary,
                         size_t max_fields, struct kv **out, size_t *nout, struct upload **up,
                         size_t *nup)
{
    char delim[80];
    size_t dlen, cap = 0, upcap = 0, nparts = 0;
    const char *p, *end = body + n;
    int rc = APP_OK;
    *out = NULL;
    *nout = 0;
    *up = NULL;
    *nup = 0;
    dlen = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
    if (dlen >= sizeof delim)
        return APP_E_INVALID;
    p = memmem_str(body, n, delim, dlen);
    if (!p)
        return APP_E_INVALID;
    p += dlen;
    for (;;) {
        const char *hdr_end, *next, *data;
        char *name = NULL, *filename = NULL, *ctype = NULL;
        size_t datalen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            rc = APP_E_INVALID;
            goto done;
        }
        p += 2;
        hdr_end = memmem_str(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hdr_end) {
            rc = APP_E_INVALID;
            goto done;
        }
        /* Part headers, one per line. */
        for (const char *line = p; line < hdr_end;) {
            const char *eol = memmem_str(line, (size_t)(hdr_end + 2 - line), "\r\n", 2);
            size_t ln = eol ? (size_t)(eol - line) : (size_t)(hdr_end - line);
            if (ln > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                name = disposition_param(a, line, ln, "name");
                filename = disposition_param(a, line, ln, "filename");
            } else if (ln > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
                struct str v = str_trim((struct str){line + 13, ln - 13});
                ctype = str_dup(a, v);
            }
            line += ln + 2;
        }
        data = hdr_end + 4;
        {
            char sep[84];
            size_t slen = (size_t)snprintf(sep, sizeof sep, "\r\n%s", delim);
            next = memmem_str(data, (size_t)(end - data), sep, slen);
            if (!next) {
                rc = APP_E_INVALID;
                goto done;
            }
            datalen = (size_t)(next - data);
            p = next + slen;
        }
        if (!name) {
            rc = APP_E_INVALID;
            goto done;
        }
        if (++nparts > max_fields) {
            rc = APP_E_TOOBIG;
            goto done;
        }
        if (filename) {
            struct upload u = {name, filename, ctype ? ctype : "application/octet-stream", data,
                               datalen};
            if (*nup == upcap) {
                size_t ncap = upcap ? upcap * 2 : 4;
                struct upload *np = arena_alloc(a, ncap * sizeof *np);
                if (!np) {
                    rc = APP_E_NOMEM;
                    goto done;
                }
                if (*nup)
                    memcpy(np, *up, *nup * sizeof *np);
                *up = np;
                upcap = ncap;
            }
            (*up)[(*nup)++] = u;
        } else {
            struct kv item;
            char *v = arena_strndup(a, data, datalen);
            if (!v) {
                rc = APP_E_NOMEM;
                goto done;
            }
            if (!utf8_valid(v, datalen) || !utf8_valid(name, strlen(name))) {
                rc = APP_E_INVALID;
                goto done;
            }
            item.name = name;
            item.value = v;
            item.len = datalen;
            rc = kv_push(a, out, nout, &cap, item);
            if (rc)
                goto done;
        }
    }
done:
    return rc;
}

/* ---- validation ----------------------------------------------------------------------------- */

static bool is_truthy(const char *v)
{
    return !strcmp(v, "1") || !strcasecmp(v, "on") || !strcasecmp(v, "true") ||
           !strcasecmp(v, "yes");
}

static bool email_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n), *dot;
    size_t i;
    if (!at || at == s || memchr(at + 1, '@', n - (size_t)(at - s) - 1))
        return false;
    dot = memchr(at + 1, '.', n - (size_t)(at - s) - 1);
    if (!dot || dot == at + 1 || dot == s + n - 1)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == 127)
            return false;
    }
    return true;
}

/* The field's label with a capital first letter, for the start of a message. */
static const char *label_cap(struct arena *a, const struct field_spec *f)
{
    char *s = arena_strdup(a, f->label && f->label[0] ? f->label : "the answer");
    if (s && s[0] >= 'a' && s[0] <= 'z')
        s[0] = (char)(s[0] - 32);
    return s ? s : "The answer";
}

/* Checks and normalises one value: the message for the user, or NULL if fine. Running out
 * of memory is reported as OOM_MSG so it is not mistaken for a valid value. */
static const char OOM_MSG[] = "";
static const char *or_oom(const char *m)
{
    return m ? m : OOM_MSG;
}
static const char *check_value(struct arena *a, const struct field_spec *f, const char **val,
                               size_t *len)
{
    const char *v = *val;
    size_t n = *len, chars;
    if (f->type == F_JSON) /* its arrays and objects are read from the JSON, never as text */
        return or_oom(arena_printf(a, "%s must be sent as a JSON list or object", label_cap(a, f)));
    if (f->type == F_FILE)
        return n > f->max
                   ? or_oom(arena_printf(a, "The file must be smaller than %zu KB", f->max / 1024))
                   : NULL;
    if (!utf8_valid(v, n))
        return "Enter plain text only";
    if (f->type == F_TEXT || f->type == F_EMAIL || f->type == F_INT || f->type == F_TOKEN) {
        struct str t = str_trim((struct str){v, n});
        for (size_t i = 0; i < t.len; i++) {
            unsigned char c = (unsigned char)t.p[i];
            if (c < 0x20 || c == 0x7f)
                return "Enter text on one line, without special characters";
        }
        v = t.p;
        n = t.len;
    } else if (f->type == F_LONGTEXT) {
        char *o = arena_alloc(a, n + 1);
        size_t j = 0;
        if (!o)
            return OOM_MSG;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)v[i];
            if (c == '\r') {
                if (i + 1 < n && v[i + 1] == '\n')
                    continue;
                c = '\n';
            } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
                return "Remove the special characters from the text";
            }
            o[j++] = (char)c;
        }
        o[j] = '\0';
        v = o;
        n = j;
    }
    chars = utf8_count(v, n);
    /* words typed for a number are told it is a number, not how many characters it may have */
    if (f->type == F_INT && n && !parse_int64((struct str){v, n}, &(int64_t){0}))
        return or_oom(arena_printf(a, "%s must be a whole number", label_cap(a, f)));
    if (f->max && chars > f->max)
        return or_oom(
            arena_printf(a, "%s must be %zu characters or fewer", label_cap(a, f), f->max));
    switch (f->type) {
    case F_EMAIL: {
        char *low = arena_strndup(a, v, n);
        if (!low)
            return OOM_MSG;
        for (size_t i = 0; i < n; i++)
            if (low[i] >= 'A' && low[i] <= 'Z')
                low[i] = (char)(low[i] + 32);
        if (n && !email_ok(low, n))
            return "Enter an email address in the correct format, like name@example.nhs.uk";
        v = low;
        break;
    }
    case F_TOKEN:
        for (size_t i = 0; i < n; i++) {
            char c = v[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.'))
                return "The link or code is not valid";
        }
        break;
    default:
        break;
    }
    *val = v;
    *len = n;
    return NULL;
}

static bool field_is_family(const struct field_spec *f)
{
    size_t n = strlen(f->name);
    return n > 1 && f->name[n - 1] == '*';
}

/* A family ("item.*") declares fields whose names are data, such as one answer per question
 * of an instrument: every raw field with the prefix is checked with the family's type and
 * length and kept under its own name. The last value wins when a name repeats; the name
 * itself is bounded by the prefix plus 64 characters of [A-Za-z0-9._-]. */
static bool in_family(const struct field_spec *f, size_t plen, const char *name)
{
    size_t k, nlen = strlen(name);
    if (nlen <= plen || nlen > plen + 64 || strncmp(name, f->name, plen) != 0)
        return false;
    for (k = plen; k < nlen; k++) {
        char ch = name[k];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

const struct field_spec *form_field_spec(const struct field_spec *specs, const char *name)
{
    for (const struct field_spec *f = specs; f && f->name; f++)
        if (field_is_family(f) ? in_family(f, strlen(f->name) - 1, name) : !strcmp(name, f->name))
            return f;
    return NULL;
}

int form_refuse_unknown(struct req *r, const struct field_spec *specs, const char *const *also,
                        json_t *obj, size_t *nunknown)
{
    const char *key;
    json_t *v;
    *nunknown = 0;
    json_object_foreach(obj, key, v)
    {
        const char *const *a = also;
        const struct field_spec *f = form_field_spec(specs, key);
        const char *msg;
        if (f && f->type != F_JSON &&
            (json_is_object(v) || (json_is_array(v) && !(f->required & LIST)) ||
             (json_is_boolean(v) && f->type != F_BOOL))) {
            /* no field but an F_JSON one is read as an object, and none but those and the
             * LIST ones as a list: it would be passed over; and true or false is a checkbox's
             * answer, which would reach any other field as 1 or 0 (a meeting of 1 hour) */
            msg = arena_printf(r->arena, "%s must be %s", label_cap(r->arena, f),
                               f->required & LIST ? "text or a list"
                               : f->type == F_INT ? "a whole number"
                                                  : "text or a number");
            if (!msg || req_add_error(r, key, msg))
                return APP_E_NOMEM;
            (*nunknown)++;
            continue;
        }
        if (f)
            continue;
        while (a && *a && strcmp(*a, key) != 0)
            a++;
        if (a && *a)
            continue;
        msg = arena_printf(r->arena, "This request does not take a field named \"%s\"", key);
        if (!msg || req_add_error(r, key, msg))
            return APP_E_NOMEM;
        (*nunknown)++;
    }
    return APP_OK;
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Marks in last[] the raw fields of the family that are the last of their name, with a hash
 * set of names filled from the end: one pass, so a body of many repeated names costs time in
 * proportion to its size (a scan for a later repeat per field took quadratic time). */
static int mark_last(struct arena *a, const struct field_spec *f, size_t plen, const struct kv *raw,
                     size_t nraw, bool *last)
{
    size_t cap = 16, mask;
    const char **set;
    while (cap < 2 * nraw)
        cap *= 2;
    mask = cap - 1;
    if (!(set = arena_calloc(a, cap, sizeof *set)))
        return APP_E_NOMEM;
    for (size_t j = nraw; j-- > 0;) {
        const char *name = raw[j].name;
        size_t i;
        last[j] = false;
        if (!in_family(f, plen, name))
            continue;
        for (i = name_hash(name) & mask; set[i] && strcmp(set[i], name) != 0; i = (i + 1) & mask)
            ;
        if (!set[i]) {
            set[i] = name;
            last[j] = true;
        }
    }
    return APP_OK;
}

/* Keeps a refused value as typed, for req_typed: the form is shown again with it so nothing
 * typed is lost. Passwords are never echoed and files cannot be; text that is not UTF-8 is
 * not kept (it could not be shown); control characters other than tab and newline are left
 * out, as they would be from any page. */
static int keep_typed(struct req *r, const struct field_spec *f, const char *name, const char *val,
                      size_t len)
{
    char *t;
    size_t n = 0;
    if (f->type == F_PASSWORD || f->type == F_FILE || !utf8_valid(val, len))
        return APP_OK;
    if (!(t = arena_alloc(r->arena, len + 1)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)val[i];
        if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f)
            continue;
        t[n++] = (char)ch;
    }
    t[n] = '\0';
    r->typed[r->ntyped].name = name;
    r->typed[r->ntyped].value = t;
    r->typed[r->ntyped].len = n;
    r->ntyped++;
    return APP_OK;
}

static int validate_family(struct req *r, const struct field_spec *f, const struct kv *raw,
                           size_t nraw)
{
    size_t plen = strlen(f->name) - 1;
    bool *last = nraw ? arena_alloc(r->arena, nraw * sizeof *last) : NULL;
    int rc;
    if (nraw && !last)
        return APP_E_NOMEM;
    if ((rc = mark_last(r->arena, f, plen, raw, nraw, last)))
        return rc;
    for (size_t j = 0; j < nraw; j++) {
        const char *name = raw[j].name, *val = raw[j].value, *msg;
        size_t len = raw[j].len;
        if (!last[j])
            continue;
        msg = check_value(r->arena, f, &val, &len);
        if (msg == OOM_MSG)
            return APP_E_NOMEM;
        if (msg) {
            if ((rc = req_add_error(r, name, msg)) ||
                (rc = keep_typed(r, f, name, raw[j].value, raw[j].len)))
                return rc;
            continue;
        }
        if (len == 0)
            continue;
        r->fields[r->nfields].name = name;
        r->fields[r->nfields].value = val;
        r->fields[r->nfields].len = len;
        r->nfields++;
    }
    return APP_OK;
}

int form_validate(struct req *r, const struct field_spec *specs, const struct kv *raw, size_t nraw)
{
    size_t nspecs = 0, i, j;
    int rc = APP_OK;
    r->fields = NULL;
    r->typed = NULL;
    r->ntyped = 0;
    r->nfields = 0;
    if (!specs)
        return APP_OK;
    while (specs[nspecs].name)
        nspecs++;
    /* A family may take every raw value, so room for all of them besides the named ones. */
    r->fields = arena_calloc(r->arena, nspecs + nraw + 1, sizeof *r->fields);
    r->typed = arena_calloc(r->arena, nspecs + nraw + 1, sizeof *r->typed);
    r->ntyped = 0;
    if (!r->fields || !r->typed)
        return APP_E_NOMEM;
    for (i = 0; i < nspecs; i++) {
        const struct field_spec *f = &specs[i];
        const char *val = NULL, *msg;
        size_t len = 0;
        if (field_is_family(f)) {
            if ((rc = validate_family(r, f, raw, nraw)))
                return rc;
            continue;
        }
        if (f->type == F_FILE) {
            for (j = 0; j < r->nuploads; j++)
                if (!strcmp(r->uploads[j].field, f->name) && r->uploads[j].len) {
                    val = r->uploads[j].data;
                    len = r->uploads[j].len;
                    break;
                }
        } else {
            /* The last value wins when a name repeats, except that checkboxes are true if any
             * of their values is (a hidden "0" before the box is a common pattern). */
            for (j = 0; j < nraw; j++) {
                if (strcmp(raw[j].name, f->name) != 0)
                    continue;
                if (f->type == F_BOOL && val && is_truthy(val))
                    continue;
                val = raw[j].value;
                len = raw[j].len;
            }
        }
        if (val) {
            const char *typed = val;
            size_t typed_len = len;
            msg = check_value(r->arena, f, &val, &len);
            if (msg == OOM_MSG)
                return APP_E_NOMEM;
            if (msg) {
                if ((rc = req_add_error(r, f->name, msg)) ||
                    (rc = keep_typed(r, f, f->name, typed, typed_len)))
                    return rc;
                continue;
            }
            if (f->type == F_BOOL)
                val = is_truthy(val) ? "1" : "0";
        }
        if ((!val || len == 0) && f->type != F_BOOL) {
            if (f->required & REQUIRED) {
                const char *m =
                    f->type == F_FILE
                        ? arena_printf(r->arena, "Select %s", f->label ? f->label : "a file")
                        : arena_printf(r->arena, "Enter %s", f->label ? f->label : f->name);
                if (!m)
                    return APP_E_NOMEM;
                rc = req_add_error(r, f->name, m);
                if (rc)
                    return rc;
            }
            continue;
        }
        r->fields[r->nfields].name = f->name;
        r->fields[r->nfields].value = val ? val : "0";
        r->fields[r->nfields].len = val ? len : 1;
        r->nfields++;
    }
    return APP_OK;
}

bool form_date(const char *s, int64_t *out)
{
    struct tm tm = {0};
    char *end;
    *out = 0;
    if (!s || !*s)
        return true;
    end = strptime(s, "%Y-%m-%d", &tm);
    if (!end || *end || tm.tm_year < 1000 - 1900 || tm.tm_year > 9999 - 1900)
        return false;
    /* strptime takes any day up to 31 and timegm rolls it over ("2026-02-30" would be 2 March):
     * the date must come back from timegm as it was written. */
    {
        int mday = tm.tm_mday, mon = tm.tm_mon;
        time_t t = timegm(&tm);
        if (tm.tm_mday != mday || tm.tm_mon != mon)
            return false;
        *out = (int64_t)t;
    }
    return true;
}
