/* home.c: the "Your development" part of a member's home page: the latest submitted
 * self-assessment and the one in progress, read by owner like every Develop page */
#include "develop/home.h"
#include "develop/pages.h"
#include "app.h"
#include "core/err.h"
#include "web/render.h"

json_t *develop_home_json(struct ctx *c, int *rc)
{
    struct develop_self *list;
    size_t n;
    json_t *o;
    bool have_latest = false, have_draft = false;
    if ((*rc = develop_self_list(c->db, c->arena, c->user->id, &list, &n)))
        return NULL;
    o = json_object();
    /* the list has the draft first, then the submitted ones newest first */
    for (size_t i = 0; o && i < n; i++) {
        if (!list[i].submitted_at && !have_draft) {
            have_draft = true;
            o = jobj(o, "draft", develop_page_self_json(&list[i]));
        } else if (list[i].submitted_at && !have_latest) {
            have_latest = true;
            o = jobj(o, "latest", develop_page_self_json(&list[i]));
        }
    }
    return jobj(o, "none", jbool(!have_draft && !have_latest));
}
