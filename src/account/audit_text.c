/* audit_text.c: the sentence for each audit event code (see audit_text.h)
 *
 * A pattern names the people with {actor} and {subject}; {role} is the new role of a role
 * change ("an admin"), read from its detail "old -> new", and {detail} the detail as it is.
 * An entry's actor is empty when nobody was logged in (a failed login), when the command
 * line did it (its detail then starts "command line"), or when the account that acted has
 * since been deleted; `nobody` is what the sentence says in the first case. The subject is
 * empty when there was no account (a login with an unknown address) or it was deleted: the
 * pattern `none` is used then, if the code has one.
 */
#include "account/audit_text.h"
#include "account/invite.h"
#include "core/arena.h"
#include "core/buf.h"

#include <string.h>

#define CLI "command line"

static const struct sentence {
    const char *code;
    const char *detail; /* this sentence only for this detail; NULL: any */
    const char *text;   /* with a subject */
    const char *none;   /* without one (NULL: text, with "a deleted account") */
    const char *nobody; /* {actor} when nobody was logged in */
} sentences[] = {
    {"login", NULL, "{subject} logged in", NULL, "Someone"},
    {"logout", NULL, "{subject} logged out", NULL, "Someone"},
    {"login_failed", "deactivated",
     "Someone tried to log in as {subject} with the right password, but the account is "
     "deactivated",
     NULL, "Someone"},
    {"login_failed", "organisation's sign-in: no email address",
     "Someone signed in with an organisation's account that has no email address, and was "
     "refused",
     "Someone signed in with an organisation's account that has no email address, and was "
     "refused",
     "Someone"},
    {"login_failed", "organisation's sign-in: domain not allowed",
     "Someone from an email domain that may not sign in here tried their organisation's "
     "account, and was refused",
     "Someone from an email domain that may not sign in here tried their organisation's "
     "account, and was refused",
     "Someone"},
    {"login_failed", NULL, "Someone tried to log in as {subject} with a wrong password",
     "Someone tried to log in with an email address that has no account", "Someone"},
    {"login_throttled", NULL,
     "Logging in was paused for a while for one network address after too many wrong "
     "passwords",
     "Logging in was paused for a while for one network address after too many wrong "
     "passwords",
     "Someone"},
    {"password_changed", NULL, "{subject} changed their password", NULL, "Someone"},
    {"api_token_created", NULL, "{subject} created an API token ({detail})", NULL, "Someone"},
    {"api_token_revoked", NULL, "{subject} revoked an API token", NULL, "Someone"},
    {"role_changed", NULL, "{actor} made {subject} {role}", NULL, "Someone"},
    {"user_created", NULL, "{actor} created an account for {subject}", NULL, "Someone"},
    {"user_invited", NULL, "{actor} invited {subject} as {role}", NULL, "Someone"},
    {"invite_resent", NULL, "{actor} sent {subject} a new invitation link", NULL, "Someone"},
    {"invite_accepted", NULL, "{subject} accepted their invitation and set a password", NULL,
     "Someone"},
    {"password_reset_requested", "not sent",
     "Someone asked for a password reset link for {subject}; none was sent, because the "
     "account is invited or deactivated",
     NULL, "Someone"},
    {"password_reset_requested", NULL, "Someone asked for a password reset link for {subject}",
     "Someone asked for a password reset link for an email address that has no account", "Someone"},
    {"password_reset", NULL, "{subject} reset their password", NULL, "Someone"},
    {"user_deactivated", NULL, "{actor} deactivated {subject}", NULL, "Someone"},
    {"user_reactivated", NULL, "{actor} reactivated {subject}", NULL, "Someone"},
    /* sign-in with the organisation's account (oidc.c) */
    {"oidc_linked", NULL, "{subject} linked their organisation's account and signed in with it",
     NULL, "Someone"},
    {"oidc_account_created", NULL,
     "{subject} signed in with their organisation's account for the first time, which made "
     "their account here",
     NULL, "Someone"},
    {"oidc_domain_added", NULL,
     "{actor} let people with an email address at {detail} sign in with their organisation's "
     "account",
     "{actor} let people with an email address at {detail} sign in with their organisation's "
     "account",
     "Someone"},
    {"oidc_domain_removed", NULL,
     "{actor} stopped people with an email address at {detail} signing in with their "
     "organisation's account",
     "{actor} stopped people with an email address at {detail} signing in with their "
     "organisation's account",
     "Someone"},
    /* organisations (org.c): the detail says what changed */
    {"org_created", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"org_renamed", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"org_merged", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    /* cohorts (cohort.c): the detail names the cohort */
    {"cohort_created", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"cohort_changed", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"cohort_deleted", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"cohort_members_added", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"cohort_member_removed", NULL, "{actor}: {detail} ({subject})", "{actor}: {detail}",
     "Someone"},
    /* Connect: mentoring rounds (connect/round.c): the detail names the round */
    {"connect_round_created", NULL, "{actor} created the matching round {detail}",
     "{actor} created the matching round {detail}", "Someone"},
    {"connect_round_run", NULL, "{actor} ran the matching round {detail}",
     "{actor} ran the matching round {detail}", "Someone"},
    /* ---- Connect: action learning sets (connect/set_db.c): the detail names the sets ---- */
    {"sets_split", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"sets_published", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"sets_deleted", NULL, "{actor}: {detail}", "{actor}: {detail}", "Someone"},
    {"set_member_moved", NULL, "{actor} moved {subject}: {detail}", "{actor}: {detail}", "Someone"},
    {"set_facilitator_changed", NULL, "{actor}: {detail} ({subject})", "{actor}: {detail}",
     "Someone"},
    {"set_member_left", NULL, "{actor} {detail}",
     "A member who has since closed their account {detail}", "Someone"},
    /* mail (mail/outbox.c) */
    {"mail_resent", NULL, "{actor} sent a failed message again ({detail})",
     "{actor} sent a failed message again ({detail})", "Someone"},
    /* ---- Connect: interest groups (connect/group.c, connect/thread.c) ---- */
    {"connect_group_created", NULL, "{actor} created the group {detail}",
     "{actor} created the group {detail}", "Someone"},
    {"connect_post_hidden", NULL, "{actor} hid a group {detail} as a moderator",
     "{actor} hid a group {detail} as a moderator", "Someone"},
    {"connect_post_kept", NULL, "{actor} kept a reported group {detail} as a moderator",
     "{actor} kept a reported group {detail} as a moderator", "Someone"},
    {"connect_moderator_added", NULL, "{actor} made {subject} a moderator of a group", NULL,
     "Someone"},
    {"connect_moderator_removed", NULL, "{actor} removed {subject} as a moderator of a group", NULL,
     "Someone"},
    /* connect/event.c */
    {"connect_event_changed", NULL, "{actor} changed the event {detail}",
     "{actor} changed the event {detail}", "Someone"},
    {"connect_event_cancelled", NULL, "{actor} cancelled the event {detail}",
     "{actor} cancelled the event {detail}", "Someone"},
    /* data rights (rights.c): the entry names nobody, by design */
    {"account_deleted", NULL, "A member deleted their account", "A member deleted their account",
     "Someone"},
    /* ---- Develop: 360° feedback (develop/feedback_db.c); never who answered ---- */
    {"develop_feedback_requested", NULL, "{subject} asked for 360° feedback", NULL, "Someone"},
    {"develop_feedback_closed", NULL, "{subject} closed a request for 360° feedback", NULL,
     "Someone"},
    {"develop_feedback_deleted", NULL,
     "{subject} deleted a request for 360° feedback with its answers", NULL, "Someone"},
};

static const struct sentence *find(const char *code, const char *detail)
{
    for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++)
        if (!strcmp(sentences[i].code, code) &&
            (!sentences[i].detail || (detail && !strcmp(sentences[i].detail, detail))))
            return &sentences[i];
    return NULL;
}

bool account_audit_known(const char *code)
{
    return find(code, NULL) != NULL;
}

/* The new role of a role change or invitation, with its article: the detail is
 * "member -> admin", "admin", or "command line: admin". */
static const char *role_of(const char *detail)
{
    const char *arrow = strstr(detail, "-> "), *colon = strstr(detail, ": ");
    const char *r = arrow ? arrow + 3 : colon ? colon + 2 : detail;
    enum role role = role_parse(r);
    return role == ROLE_NONE ? "a user with another role" : role_with_article(role);
}

const char *account_audit_sentence(struct arena *a, const struct audit_entry *e)
{
    const struct sentence *s = find(e->event, e->detail);
    const char *p, *start, *actor = e->actor, *subject = e->subject;
    struct buf b = BUF_INIT;
    char *out;
    if (!s)
        return arena_printf(a, "Event %s", e->event);
    if (!*actor)
        actor = !strncmp(e->detail, CLI, strlen(CLI)) ? "The command line"
                : s->nobody                           ? s->nobody
                                                      : "An account since deleted";
    p = !*subject && s->none ? s->none : s->text;
    if (!*subject)
        subject = "a deleted account";
    start = p;
    while (*p) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            buf_puts(&b, p);
            break;
        }
        buf_append(&b, p, (size_t)(open - p));
        if (!strncmp(open, "{actor}", 7))
            buf_puts(&b, actor);
        else if (!strncmp(open, "{subject}", 9))
            /* A sentence starts with a capital, also when it starts with "a deleted
             * account"; names and email addresses are written as they are. */
            buf_puts(&b, open == start && subject != e->subject ? "A deleted account" : subject);
        else if (!strncmp(open, "{role}", 6))
            buf_puts(&b, role_of(e->detail));
        else if (!strncmp(open, "{detail}", 8))
            buf_puts(&b, e->detail);
        p = close + 1;
    }
    out = buf_oom(&b) ? NULL : arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}
