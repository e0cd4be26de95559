/* static.c: the files built into the binary (NHS.UK frontend, our css and js, the favicon)
 *
 * Served straight from the embedded bytes with an ETag, so a browser revalidates with one
 * 304 instead of downloading them again.
 */
#include "core/embed.h"
#include "core/err.h"
#include "http/handler.h"

#include <stdio.h>
#include <string.h>

static const char *mime_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

static int send_embedded(struct ctx *c, const char *name)
{
    const struct embed_file *f;
    char key[256];
    const char *inm;
    char etag[32];
    if (snprintf(key, sizeof key, "assets/%s", name) >= (int)sizeof key || strstr(name, ".."))
        return APP_E_NOTFOUND;
    f = embed_find(key);
    if (!f)
        return APP_E_NOTFOUND;
    /* The binary is the version: the ETag is the file's size and a cheap hash of its bytes. */
    {
        unsigned long h = 5381;
        for (size_t i = 0; i < f->len; i += 1 + f->len / 4096)
            h = h * 33 + f->data[i];
        snprintf(etag, sizeof etag, "\"%zx-%lx\"", f->len, h);
    }
    if (resp_header(c, "ETag", etag) ||
        resp_header(c, "Cache-Control", "public, max-age=3600"))
        return APP_E_NOMEM;
    inm = req_header(c->req, "If-None-Match");
    c->resp->content_type = mime_type(name);
    if (inm && !strcmp(inm, etag)) {
        c->resp->status = 304;
        return APP_OK;
    }
    c->resp->static_data = f->data;
    c->resp->static_len = f->len;
    c->resp->status = 200;
    return APP_OK;
}

int page_site_asset(struct ctx *c)
{
    return send_embedded(c, req_param(c->req, "path"));
}

int page_site_favicon(struct ctx *c)
{
    return send_embedded(c, "images/favicon.ico");
}
