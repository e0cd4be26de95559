/* embed.h: files compiled into the binary by tools/embed.c (templates, migrations, assets) */
#ifndef AHP_EMBED_H
#define AHP_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *path;          /* relative: "templates/layout.html", "assets/app.css" */
    const unsigned char *data; /* NUL-terminated after len bytes */
    size_t len;
};

/* Sorted by path; generated into build/gen/embed_data.c. */
extern const struct embed_file embed_files[];
extern const size_t embed_count;

/* The file at path, or NULL. Static storage; never freed. */
const struct embed_file *embed_find(const char *path);

#endif
