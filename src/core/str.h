/* str.h: length-carrying string slices and the small text routines everything needs */
#ifndef AHP_STR_H
#define AHP_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* A view of bytes owned by someone else; not NUL-terminated in general. */
struct str {
    const char *p;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_from(const char *s); /* s NULL gives {NULL, 0} */
bool str_eq(struct str a, struct str b);
bool str_eq_cstr(struct str a, const char *b);
bool str_starts_with(struct str s, const char *prefix);
/* Case-insensitive ASCII comparison, for header names and tokens. */
bool str_eq_nocase(struct str a, const char *b);
/* Strips ASCII spaces and tabs from both ends. */
struct str str_trim(struct str s);
/* A NUL-terminated arena copy, or NULL when out of memory. */
char *str_dup(struct arena *a, struct str s);

/* True when the n bytes at s are well-formed UTF-8 (no overlongs, no surrogates, no
 * code points past U+10FFFF). NUL bytes are rejected too: text fields never carry them. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 (for "up to N characters" limits). */
size_t utf8_count(const char *s, size_t n);

/* Decodes %XX and (when plus is true) '+' as space, in place is not allowed: writes to out,
 * which must hold n bytes. Returns the decoded length, or (size_t)-1 on a malformed escape. */
size_t url_decode(const char *s, size_t n, char *out, bool plus);

/* Parses a whole decimal integer (optional leading '-'); false on anything else or overflow. */
bool parse_int64(struct str s, int64_t *out);

/* For documents read with errors named at their place (Assess instruments, Develop
 * frameworks): */
/* How many bytes of valid UTF-8 s to quote in a message, at most max, cut on a character
 * boundary. */
int utf8_prefix_len(const char *s, size_t max);
/* True for an id of 1 to max characters a-z, 0-9 and '-' (stable ids in documents). */
bool id_valid(const char *s, size_t max);
/* True when s is empty or only spaces, tabs and line breaks. */
bool str_blank(const char *s);

#endif
