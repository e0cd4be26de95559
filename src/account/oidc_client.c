/* oidc_client.c: the identity provider over HTTPS — discovery, its keys, the code exchange
 *
 * The discovery document ({issuer}/.well-known/openid-configuration) is fetched at the first
 * sign-in and kept for a day; its issuer must equal the configured one, or a document served
 * for another tenant could point us at keys we must not trust. The JWKS is kept in memory
 * and fetched again when a token names a key it lacks (the provider rotated its keys), at
 * most once a minute, so tokens with made-up key ids cannot make us hammer the provider.
 *
 * One mutex guards the cache and is held across those fetches: they are rare, and holding it
 * means a burst of sign-ins after a rotation costs the provider one request, not one each.
 * The code exchange runs outside it. The JWKS is handed to verifiers as a counted reference
 * (jansson's counts are atomic), so a refetch never frees keys a verifier is reading.
 *
 * Every request has a connect and a total timeout, follows no redirects, reads at most
 * RESPONSE_MAX bytes, and goes to https:// with certificates verified by libcurl; plain
 * http:// is accepted only for a loopback host, which only tests use. Nothing received or
 * sent (codes, tokens, the client secret) is logged.
 */
#include "account/oidc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RESPONSE_MAX     (512 * 1024)
#define CONNECT_TIMEOUT  5L
#define TOTAL_TIMEOUT    10L
#define DISCOVERY_TTL    (24 * 3600)
#define JWKS_REFETCH_GAP 60

struct oidc_client {
    char *issuer, *client_id, *client_secret;
    pthread_mutex_t mu;
    /* From discovery; NULL until it succeeded. */
    char *authorize_ep, *token_ep, *jwks_uri;
    int64_t discovered_at;
    json_t *jwks;
    int64_t jwks_refetched_at; /* the last refetch for an unknown key */
};

bool oidc_url_allowed(const char *url)
{
    static const char *const loopback[] = {"http://127.0.0.1", "http://localhost", "http://[::1]"};
    if (!url)
        return false;
    if (!strncmp(url, "https://", 8))
        return url[8] != '\0';
    /* the loopback host, then only a port (digits) before the path: "http://localhost:@x/"
     * names another host, which libcurl would reach over plain HTTP */
    for (size_t i = 0; i < sizeof loopback / sizeof loopback[0]; i++) {
        size_t n = strlen(loopback[i]);
        const char *p = url + n;
        if (strncmp(url, loopback[i], n) != 0)
            continue;
        if (*p == ':') {
            const char *d = ++p;
            while (*p >= '0' && *p <= '9')
                p++;
            if (p == d)
                return false;
        }
        return *p == '/' || *p == '\0';
    }
    return false;
}

int oidc_client_new(const char *issuer, const char *client_id, const char *client_secret,
                    struct oidc_client **out)
{
    struct oidc_client *oc;
    *out = NULL;
    if (!oidc_url_allowed(issuer) || !client_id || !*client_id || !client_secret)
        return APP_E_INVALID;
    oc = calloc(1, sizeof *oc);
    if (!oc)
        return APP_E_NOMEM;
    oc->issuer = strdup(issuer);
    oc->client_id = strdup(client_id);
    oc->client_secret = strdup(client_secret);
    if (!oc->issuer || !oc->client_id || !oc->client_secret ||
        pthread_mutex_init(&oc->mu, NULL) != 0) {
        free(oc->issuer);
        free(oc->client_id);
        free(oc->client_secret);
        free(oc);
        return APP_E_NOMEM;
    }
    /* Once per process, before any thread uses libcurl (app_init runs single-threaded). */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        oidc_client_free(oc);
        return APP_E_INTERNAL;
    }
    *out = oc;
    return APP_OK;
}

void oidc_client_free(struct oidc_client *oc)
{
    if (!oc)
        return;
    pthread_mutex_destroy(&oc->mu);
    free(oc->issuer);
    free(oc->client_id);
    if (oc->client_secret) {
        memset(oc->client_secret, 0, strlen(oc->client_secret));
        free(oc->client_secret);
    }
    free(oc->authorize_ep);
    free(oc->token_ep);
    free(oc->jwks_uri);
    json_decref(oc->jwks);
    free(oc);
    curl_global_cleanup();
}

static size_t on_body(char *p, size_t size, size_t n, void *data)
{
    struct buf *b = data;
    size_t len = size * n;
    if (b->len + len > RESPONSE_MAX)
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    buf_append(b, p, len);
    return buf_oom(b) ? 0 : len;
}

/* GET url, or POST form (when not NULL), into body. APP_OK with *status the HTTP status,
 * APP_E_IO when nothing usable came back (logged without the body), APP_E_NOMEM. */
static int http_fetch(const char *url, const char *form, struct buf *body, long *status)
{
    CURL *h;
    CURLcode cc;
    struct curl_slist *hdrs = NULL;
    int rc = APP_E_IO;
    *status = 0;
    if (!oidc_url_allowed(url)) {
        log_warn("msg=\"oidc: refused an endpoint that is not https\"");
        return APP_E_IO;
    }
    h = curl_easy_init();
    hdrs = curl_slist_append(NULL, "Accept: application/json");
    if (!h || !hdrs) {
        rc = APP_E_NOMEM;
        goto done;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, TOTAL_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ahphub");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    if (form) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
    }
    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        log_warn("msg=\"oidc: provider request failed\" reason=\"%s\"", curl_easy_strerror(cc));
        goto done;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    rc = buf_oom(body) ? APP_E_NOMEM : APP_OK;
done:
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return rc;
}

/* A JSON object from a 200 answer at url, or NULL (logged). */
static json_t *fetch_json(const char *url)
{
    struct buf b = BUF_INIT;
    long status;
    json_t *j = NULL;
    if (http_fetch(url, NULL, &b, &status) == APP_OK) {
        if (status == 200)
            j = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(j)) {
            log_warn("msg=\"oidc: provider answered without a JSON object\" status=%ld", status);
            json_decref(j);
            j = NULL;
        }
    }
    buf_free(&b);
    return j;
}

static char *dup_member(const json_t *doc, const char *name)
{
    const char *s = json_string_value(json_object_get(doc, name));
    return s && oidc_url_allowed(s) ? strdup(s) : NULL;
}

/* Discovery, if not done in the last DISCOVERY_TTL seconds. Caller holds oc->mu. */
static int discover_locked(struct oidc_client *oc, int64_t now)
{
    struct buf url = BUF_INIT;
    const char *iss;
    char *ae = NULL, *te = NULL, *ju = NULL;
    json_t *doc;
    size_t n = strlen(oc->issuer);
    int rc = APP_E_IO;
    if (oc->authorize_ep && now - oc->discovered_at < DISCOVERY_TTL)
        return APP_OK;
    buf_append(&url, oc->issuer, oc->issuer[n - 1] == '/' ? n - 1 : n);
    buf_puts(&url, "/.well-known/openid-configuration");
    if (buf_oom(&url)) {
        buf_free(&url);
        return APP_E_NOMEM;
    }
    doc = fetch_json(url.data);
    buf_free(&url);
    if (!doc)
        goto keep_old;
    iss = json_string_value(json_object_get(doc, "issuer"));
    if (!iss || strcmp(iss, oc->issuer) != 0) {
        log_warn("msg=\"oidc: discovery names another issuer\"");
        json_decref(doc);
        goto keep_old;
    }
    ae = dup_member(doc, "authorization_endpoint");
    te = dup_member(doc, "token_endpoint");
    ju = dup_member(doc, "jwks_uri");
    json_decref(doc);
    if (!ae || !te || !ju) {
        log_warn("msg=\"oidc: discovery lacks an https endpoint\"");
        free(ae);
        free(te);
        free(ju);
        goto keep_old;
    }
    free(oc->authorize_ep);
    free(oc->token_ep);
    free(oc->jwks_uri);
    oc->authorize_ep = ae;
    oc->token_ep = te;
    oc->jwks_uri = ju;
    oc->discovered_at = now;
    return APP_OK;
keep_old:
    /* A provider briefly down after a day: what it said yesterday still holds. */
    return oc->authorize_ep ? APP_OK : rc;
}

/* Fetches the JWKS into the cache. Caller holds oc->mu. */
static int fetch_jwks_locked(struct oidc_client *oc)
{
    json_t *jwks = fetch_json(oc->jwks_uri);
    if (!jwks || !json_is_array(json_object_get(jwks, "keys"))) {
        json_decref(jwks);
        return APP_E_IO;
    }
    json_decref(oc->jwks);
    oc->jwks = jwks;
    return APP_OK;
}

/* The cached JWKS as a new reference (fetched if there is none yet); with refetch set, fetched
 * again first unless that was done in the last JWKS_REFETCH_GAP seconds. NULL when none can
 * be had. */
static json_t *jwks_get(struct oidc_client *oc, bool refetch, int64_t now)
{
    json_t *j;
    pthread_mutex_lock(&oc->mu);
    if (refetch && now - oc->jwks_refetched_at >= JWKS_REFETCH_GAP) {
        oc->jwks_refetched_at = now;
        (void)fetch_jwks_locked(oc); /* on failure the old keys stay */
    } else if (!oc->jwks) {
        (void)fetch_jwks_locked(oc);
    }
    j = json_incref(oc->jwks);
    pthread_mutex_unlock(&oc->mu);
    return j;
}

/* Percent-encodes s for a query string or form body (RFC 3986 unreserved kept). */
static void form_escape(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            buf_putc(b, (char)ch);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[ch >> 4]);
            buf_putc(b, hex[ch & 15]);
        }
    }
}

static void add_param(struct buf *b, const char *name, const char *value)
{
    if (b->len && b->data[b->len - 1] != '?')
        buf_putc(b, '&');
    buf_puts(b, name);
    buf_putc(b, '=');
    form_escape(b, value);
}

int oidc_client_authorize_url(struct oidc_client *oc, struct arena *a, const char *redirect_uri,
                              const char *state, const char *nonce, const char *challenge,
                              const char **url, enum oidc_fail *why)
{
    struct buf b = BUF_INIT;
    int rc;
    *url = NULL;
    *why = OIDC_OK;
    pthread_mutex_lock(&oc->mu);
    rc = discover_locked(oc, (int64_t)time(NULL));
    if (!rc) {
        buf_puts(&b, oc->authorize_ep);
        buf_putc(&b, strchr(oc->authorize_ep, '?') ? '&' : '?');
    }
    pthread_mutex_unlock(&oc->mu);
    if (rc) {
        *why = OIDC_E_UNREACHABLE;
        goto done;
    }
    add_param(&b, "response_type", "code");
    add_param(&b, "client_id", oc->client_id);
    add_param(&b, "redirect_uri", redirect_uri);
    add_param(&b, "scope", "openid email profile");
    add_param(&b, "state", state);
    add_param(&b, "nonce", nonce);
    add_param(&b, "code_challenge", challenge);
    add_param(&b, "code_challenge_method", "S256");
    if (buf_oom(&b) || !(*url = arena_strndup(a, b.data, b.len)))
        rc = APP_E_NOMEM;
done:
    buf_free(&b);
    return rc;
}

/* The id_token of the token endpoint's answer to this code, malloc'd into *id_token. */
static int exchange(struct oidc_client *oc, const char *code, const char *redirect_uri,
                    const char *verifier, char **id_token, enum oidc_fail *why)
{
    struct buf form = BUF_INIT, body = BUF_INIT;
    char *ep = NULL;
    json_t *j = NULL;
    const char *tok;
    long status;
    int rc;
    *id_token = NULL;
    pthread_mutex_lock(&oc->mu);
    rc = discover_locked(oc, (int64_t)time(NULL));
    if (!rc && !(ep = strdup(oc->token_ep)))
        rc = APP_E_NOMEM;
    pthread_mutex_unlock(&oc->mu);
    if (rc) {
        *why = OIDC_E_UNREACHABLE;
        goto done;
    }
    add_param(&form, "grant_type", "authorization_code");
    add_param(&form, "code", code);
    add_param(&form, "redirect_uri", redirect_uri);
    add_param(&form, "client_id", oc->client_id);
    add_param(&form, "client_secret", oc->client_secret);
    add_param(&form, "code_verifier", verifier);
    if (buf_oom(&form)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = http_fetch(ep, form.data, &body, &status);
    if (rc) {
        *why = OIDC_E_UNREACHABLE;
        goto done;
    }
    /* 400/401: the code, verifier or secret was refused (RFC 6749 §5.2); anything else that
     * is not a 200 is the provider in trouble. */
    if (status != 200) {
        log_warn("msg=\"oidc: token endpoint refused the code\" status=%ld", status);
        *why = status == 400 || status == 401 ? OIDC_E_CODE : OIDC_E_UNREACHABLE;
        rc = APP_E_IO;
        goto done;
    }
    j = json_loadb(body.data ? body.data : "", body.len, JSON_REJECT_DUPLICATES, NULL);
    tok = json_string_value(json_object_get(j, "id_token"));
    if (!tok) {
        log_warn("msg=\"oidc: token endpoint answered without an id_token\"");
        *why = OIDC_E_UNREACHABLE;
        rc = APP_E_IO;
        goto done;
    }
    *id_token = strdup(tok);
    rc = *id_token ? APP_OK : APP_E_NOMEM;
done:
    json_decref(j);
    if (form.data)
        memset(form.data, 0, form.len);
    buf_free(&form);
    buf_free(&body);
    free(ep);
    return rc;
}

int oidc_client_finish(struct oidc_client *oc, struct arena *a, const char *code,
                       const char *redirect_uri, const char *verifier, const char *nonce,
                       int64_t now, struct oidc_claims *out, enum oidc_fail *why)
{
    struct oidc_expect exp = {oc->issuer, oc->client_id, nonce, now};
    char *id_token = NULL;
    json_t *jwks = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    *why = OIDC_OK;
    rc = exchange(oc, code, redirect_uri, verifier, &id_token, why);
    if (rc)
        goto done;
    jwks = jwks_get(oc, false, now);
    if (!jwks) {
        *why = OIDC_E_UNREACHABLE;
        rc = APP_E_IO;
        goto done;
    }
    rc = oidc_token_verify(id_token, jwks, &exp, a, out, why);
    if (rc == APP_E_UNAUTH && *why == OIDC_E_KEY) {
        /* The provider may have rotated its keys since we fetched them. */
        json_decref(jwks);
        jwks = jwks_get(oc, true, now);
        if (jwks)
            rc = oidc_token_verify(id_token, jwks, &exp, a, out, why);
    }
done:
    if (id_token) {
        memset(id_token, 0, strlen(id_token));
        free(id_token);
    }
    json_decref(jwks);
    return rc;
}
