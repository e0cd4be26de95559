/* role.h: the roles people have and who is acting in a request
 *
 * Shared vocabulary: the request pipeline (http/handler.h) carries the acting user, and the
 * account domain (account/account.h) stores roles and fills in who logged in. Neither needs
 * the other's header for it.
 */
#ifndef AHP_ROLE_H
#define AHP_ROLE_H

#include <stdbool.h>
#include <stdint.h>

/* Ordered: each role may do everything the ones below it may. */
enum role { ROLE_NONE = 0, ROLE_MEMBER = 1, ROLE_FACILITATOR = 2, ROLE_ADMIN = 3 };

/* Who is making the request, when someone is logged in (or presented an API token). The
 * strings belong to whoever filled it in (the request's arena, for the pipeline). */
struct user_ctx {
    int64_t id;
    int64_t session_id; /* 0 when authenticated by an API token */
    const char *email;
    const char *display_name;
    enum role role;
    bool via_token;
};

#endif
