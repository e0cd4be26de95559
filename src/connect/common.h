/* common.h: the two small types every part of Connect shares — a coded choice with its
 * name (topics, roles, bands) and an error on a form field — so mentoring and interest groups
 * read and report the same way. */
#ifndef AHP_CONNECT_COMMON_H
#define AHP_CONNECT_COMMON_H

/* One choice of a fixed list: its stored code and the name pages show. */
struct connect_choice {
    const char *code, *name;
};

/* A refusal on one field of a form: the field's name and the message for the person. */
struct connect_field_error {
    const char *field, *message;
};

#endif
