/* feedback.h: 360° feedback on a self-assessment — who may see what (the privacy rules), the
 * report, and the requests, invitations and answers in the database (domain code; no HTTP)
 *
 * A member asks raters — each in one group: their line manager, peers, direct reports,
 * others — to rate the behaviours of the framework version their submitted self-assessment
 * used, and to write two short answers (strengths; one thing to do differently). Raters need
 * no account: each gets a link whose token is stored only as its BLAKE2b hash. A request
 * takes answers until its closing date passes or the member closes it early; after that no
 * answer is accepted, and only then is there a report (so no figure can be differenced).
 *
 * THE RULES (feedback.c applies them; tests/unit/develop/feedback_test.c checks them over
 * random mixes of raters):
 *  1. Nothing is shown while the request is open.
 *  2. The line manager is shown separately, whatever the count; their form tells them so
 *     before they answer. Every other group is shown on its own only with >= 3 answers.
 *  3. Groups with 1 or 2 answers are folded together ("raters in groups too small to show").
 *     While that fold holds 1 or 2 answers, the smallest group shown on its own is folded in
 *     too, until it holds >= 3 or there is nothing left to fold. "All raters except you"
 *     (every answer, the manager's included) is shown only when the fold is empty or holds
 *     >= 3; so subtracting the groups shown from it reveals nothing about fewer than 3
 *     people. If the fold stays at 1 or 2, nothing of those answers is shown anywhere.
 *  4. Within a group shown, a behaviour's mean needs >= 3 ratings on the scale (the manager:
 *     1). The "all raters" mean of a behaviour needs >= 3 ratings, and the ratings it holds
 *     beyond those of the behaviour means shown for groups must be 0 or >= 3.
 *  5. A domain's figure for a group is the plain mean of that group's behaviour means shown
 *     in the domain: it is computed only from figures already shown, so it adds nothing.
 *  6. Free text goes under its group when the group is shown, under the fold when the fold
 *     is shown, and nowhere otherwise; each list in alphabetical order on its own (case set
 *     aside, then byte order; never the order of arrival, and never one order for both
 *     questions, which would pair a rater's two answers), as the rater's and the member's
 *     pages say. Text is redacted as Listen contributions are (text/redact.h) before it is
 *     stored; the original is never kept.
 *  7. Counts: while open, the member sees how many they invited per group and how many have
 *     answered in all only once that is 0 or >= 3 ("fewer than 3 so far" otherwise); never
 *     per group, so an answer cannot be tied to the one person who was asked in a group.
 *     After closing, counts are shown for the cells shown only. Reminders go to "everyone
 *     who has not answered", chosen by the server; the member is never told who that is.
 *  8. Nothing stored links an answer to a rater: answers carry the request, the group and a
 *     random key, and no invitation id, time or sequence (nor, on SQLite, an order of
 *     arrival: the tables are stored by that key, migration 0045); the invitation loses its
 *     email and the submitting browser's draft in the transaction that stores the answer
 *     (migrations 0024, 0043). Once the request closes, the addresses still waiting and
 *     unsubmitted drafts are forgotten too (when the member closes it, or at the next
 *     `ahphub remind` after its date), so which addresses were waiting cannot tell who
 *     answered either.
 *  9. The member holds every rater's link (they may copy it to the rater), so the link alone
 *     shows nothing a rater saved, nor whether anything was: every browser keeps its own
 *     draft of a link (migration 0043), keyed by the hash of a random key it holds (a cookie,
 *     rater_pages.c), and is shown, and submits, only what it saved itself. The member who
 *     opens a link in a browser of their own sees their own saves there, whatever the rater
 *     has done. The first submission stands; a later one, from any browser, is taken with
 *     the same thanks and dropped. A submission deletes only the submitting browser's draft:
 *     other browsers' drafts of the link stay until the request closes (rule 8), since
 *     deleting them would tell a browser that saved there (the member's, say) that the link
 *     has been answered. And the link does not say whether it has been answered: while the
 *     request is open an answered link shows the form, keeps drafts and takes a submission
 *     as above; a reminder replaces every link of the request, answered or not; once closed
 *     every link shows the same closed page. So the start page tells every rater alike that
 *     a submitted answer needs nothing more. Telling only the browser that submitted (a
 *     cookie) was tried and withdrawn: on a shared ward computer the member could open each
 *     link there and see which one says so. Since any holder of a link can start drafts from
 *     new browsers, a network client may start only FEEDBACK_DRAFTS_PER_HOUR an hour, across
 *     every link (draft_limit.c), and a browser may keep drafts on FEEDBACK_DRAFTS_PER_BROWSER
 *     links at once: never a cap per link, whose refusal would tell the member that someone
 *     had taken one of its places. An API client that keeps no cookie sends its
 *     answers with the submission instead (feedback_submit_answers), which keeps no draft and
 *     is taken, or dropped, as any other submission.
 * 10. Asking an address again is refused in the same words whether or not it has answered:
 *     the request keeps a hash of each address asked (migration 0031), which names no answer.
 * What the rules cannot stop: a member who invites addresses of their own as raters knows
 * those answers and so narrows a group; likewise a member who submits through a rater's link
 * answers in that rater's place (the first submission stands), and once the count of answers
 * is shown (3 or more) sees from it whether that rater had answered. Their own address is refused,
 * an address is asked once per request, and a link refuses the member when they are logged in, but
 * the threshold protects raters from a curious member, not from one who answers as a fake rater.
 * Nor can the hourly limit on new drafts be private to one person: everyone behind one network
 * address shares it, so a member on the rater's network who starts drafts until refused (600
 * of them) may learn that someone there started one that hour (never on which link, nor
 * whether anything was sent). The limit per browser counts that browser's own drafts only.
 *
 * Reminders: the member can remind everyone who has not answered (once a day); `ahphub
 * remind`, run daily from cron or a systemd timer (docs/deployment.md), reminds once when a
 * request closes within FEEDBACK_REMIND_BEFORE. A reminder carries a new link (the token is
 * only stored hashed, so the old one cannot be mailed again): the old link stops working and
 * what the rater saved is kept. The links of those who have answered are replaced too, and
 * sent to nobody (rule 9).
 */
#ifndef AHP_DEVELOP_FEEDBACK_H
#define AHP_DEVELOP_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/develop.h"

struct arena;
struct db;
struct link_mailer;

#define FEEDBACK_MIN_GROUP     3                  /* answers a group needs to be shown */
#define FEEDBACK_MAX_RATERS    40                 /* invitations per request */
#define FEEDBACK_TEXT_MAX      1000               /* characters of each free-text answer */
#define FEEDBACK_MAX_DAYS      90                 /* the latest closing date, from today */
#define FEEDBACK_REMIND_BEFORE (3 * 24 * 60 * 60) /* the automatic reminder */
#define FEEDBACK_REMIND_GAP    (24 * 60 * 60)     /* between a member's reminders */
#define FEEDBACK_MARGIN        0.5                /* scale points: a blind spot or strength */
/* New drafts (a browser's first save on a link) one network client may start in an hour
 * (draft_limit.c), across every link. One rater starts one, or two on a second device; but a
 * trust's staff may all reach us from one address (its network's), and a reminder or a team's
 * round of 360° can set hundreds of them answering in the same hour. At 30 one member holding
 * one link could use the hour up for everyone there; at 600 that takes 600 new browsers an
 * hour, and the count is only the guard against floods (a client that discards its cookie
 * stores at most 600 drafts an hour, under 1.3 MB of comments), with the cap per browser
 * below keeping each browser to a few. */
#define FEEDBACK_DRAFTS_PER_HOUR 600
/* Links on which one browser (its key, the cookie) may keep an unsubmitted draft at once:
 * a draft ends when that browser submits it or the request closes. A rater has a handful of
 * requests open at most; a shared ward computer used by several raters still fits. It counts
 * only what that browser saved itself, so a refusal tells nothing about anyone else's link
 * (a cap per link would: feedback_draft_save). */
#define FEEDBACK_DRAFTS_PER_BROWSER 20

/* The rater groups. */
enum feedback_group { FG_MANAGER, FG_PEER, FG_REPORT, FG_OTHER, FG_COUNT };
/* The cells of a report: the four groups, and all raters except the member. The text of
 * the fold is kept under FC_ALL. */
enum feedback_cell { FC_MANAGER, FC_PEER, FC_REPORT, FC_OTHER, FC_ALL, FC_COUNT };

/* "manager", "peer", "report", "other" (the stored codes) and back (-1 when none). */
const char *feedback_group_code(enum feedback_group g);
int feedback_group_parse(const char *code);
/* "Line manager", "Peers", "Direct reports", "Others", "All raters except you". */
const char *feedback_cell_title(enum feedback_cell c);

/* ---- the report (feedback.c: pure) ---- */

/* One submitted answer: ratings for each behaviour of the framework in order (1…npoints,
 * DEVELOP_NOT_RATED or DEVELOP_NO_CHANCE), and the two redacted texts ("" when none). */
struct feedback_response {
    enum feedback_group group;
    const int *ratings;
    const char *strengths, *differently;
};

/* A figure: shown or not; when shown, its mean and how many it was made of (ratings for a
 * behaviour, behaviour means for a domain). */
struct feedback_figure {
    bool shown;
    int n;
    double mean;
};

struct feedback_report {
    size_t ndomains, nbehaviours;
    bool cell_shown[FC_COUNT];
    int cell_n[FC_COUNT];              /* answers in a cell shown; 0 when not shown */
    bool folded[FG_COUNT];             /* groups whose answers went to the fold */
    bool fold_shown;                   /* the fold's text is shown under FC_ALL */
    struct feedback_figure *behaviour; /* [b * FC_COUNT + cell] */
    struct feedback_figure *domain;    /* [d * FC_COUNT + cell] */
    struct develop_result *self;       /* the member's own results per domain */
    const struct develop_answer *self_answers;
    /* free text shown, per cell, each list in byte order (rule 6) */
    const char **strengths[FC_COUNT], **differently[FC_COUNT];
    size_t nstrengths[FC_COUNT], ndifferently[FC_COUNT];
};

/* Builds the report of n responses (in any order: it does not show) against
 * fw and the member's own answers (fw->nbehaviours), applying the rules above. Everything is
 * allocated in a. Returns 0, APP_E_NOMEM or APP_E_INVALID (NULL arguments). */
int feedback_report_build(struct arena *a, const struct develop_framework *fw,
                          const struct develop_answer *self, const struct feedback_response *r,
                          size_t n, struct feedback_report *out);
/* The figure for behaviour b (or domain d) in cell c. */
const struct feedback_figure *feedback_behaviour(const struct feedback_report *r, size_t b,
                                                 enum feedback_cell c);
const struct feedback_figure *feedback_domain(const struct feedback_report *r, size_t d,
                                              enum feedback_cell c);
/* The member's own mean for behaviour b, 0 when they did not rate it on the scale. */
int feedback_self_rating(const struct feedback_report *r, size_t b);

/* ---- requests and answers in the database (feedback_db.c) ---- */

struct feedback_request {
    int64_t id, user_id, self_id, framework_id;
    int64_t created_at, closes_at, closed_at, reminded_at;
    bool closed;           /* closed early, or closes_at has passed (as of the `now` read) */
    int64_t closed_on;     /* when it closed (closed_at, or closes_at), 0 while open */
    int invited[FG_COUNT]; /* invitations per group */
    int answered;          /* submitted answers in all (pages apply rule 7) */
};

/* One rater to invite. */
struct feedback_rater {
    const char *email; /* lower-case, checked */
    enum feedback_group group;
};
/* An invitation made: its email and group, and the token (64 hex digits) of its link, to
 * show once. */
struct feedback_link {
    const char *email;
    enum feedback_group group;
    char token[65];
};

/* Opens a request on self-assessment self_id of user_id, closing at closes_at (the first
 * moment closed), and invites n raters (n may be 0) as feedback_invite() does, in one
 * transaction; audits "develop_feedback_requested". APP_E_NOTFOUND when the self-assessment
 * is not theirs, APP_E_CONFLICT when it is not submitted, APP_E_INVALID for a closing time not
 * after now or beyond FEEDBACK_MAX_DAYS, or raters as feedback_invite() refuses them (*why
 * then says which, in the arena). */
int feedback_request_create(struct db *db, struct arena *a, const struct link_mailer *m,
                            int64_t user_id, int64_t self_id, int64_t closes_at,
                            const struct feedback_rater *raters, size_t n, int64_t now, int64_t *id,
                            struct feedback_link *links, const char **why);
/* Invites n raters to open request id of user_id: for each an invitation row, a link and the
 * mail that carries it (templates/mail/feedback_invite), all or nothing; links (n of them)
 * receive the tokens. APP_E_CONFLICT when the request is closed; APP_E_INVALID when an
 * address is the member's own, is asked twice, or is already waiting for an answer on this
 * request, or when the request would have over FEEDBACK_MAX_RATERS; *why then names it. */
int feedback_invite(struct db *db, struct arena *a, const struct link_mailer *m, int64_t user_id,
                    int64_t id, const struct feedback_rater *raters, size_t n, int64_t now,
                    struct feedback_link *links, const char **why);
/* The request id if it is user_id's (APP_E_NOTFOUND otherwise), with its counts. */
int feedback_request_get(struct db *db, int64_t id, int64_t user_id, int64_t now,
                         struct feedback_request *out);
/* user_id's requests, newest first. */
int feedback_request_list(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                          struct feedback_request **out, size_t *n);
/* Closes an open request now, forgetting the addresses still waiting and unsubmitted drafts
 * (rule 8); audits "develop_feedback_closed". APP_E_CONFLICT when it is closed already. */
int feedback_request_close(struct db *db, int64_t id, int64_t user_id, int64_t now);
/* Deletes a request with every invitation and answer; audits "develop_feedback_deleted".
 * Closing and deleting withdraw the request's mail (feedback_mail_withdraw). */
int feedback_request_delete(struct db *db, int64_t id, int64_t user_id);
/* Deletes every invitation and reminder of request id from the mail outbox, sent or not: they
 * name the member to the raters, and serve nothing once the request has ended. Inside the
 * caller's transaction (account deletion calls it for each of the member's requests). */
int feedback_mail_withdraw(struct db *db, int64_t id);
/* Reminds every rater of request id who has not answered: a new link each, by mail. *sent
 * receives how many. APP_E_CONFLICT when the request is closed, APP_E_FORBIDDEN when m says
 * no mail server is set up (the new links could not reach anyone and the old ones would stop
 * working), APP_E_LIMIT (a reminder was sent less than FEEDBACK_REMIND_GAP ago). */
int feedback_remind(struct db *db, const struct link_mailer *m, int64_t id, int64_t user_id,
                    int64_t now, int *sent);
/* The automatic reminder: for each open request closing within FEEDBACK_REMIND_BEFORE that
 * has not had it, reminds its raters who have not answered, once. *sent: mails queued. Then
 * forgets the addresses and drafts of every request that has closed (rule 8), and on
 * PostgreSQL rewrites the answer tables in the order of their random key (feedback_db.c). */
int feedback_remind_due(struct db *db, const struct link_mailer *m, int64_t now, int *sent);

/* What a rater's link opens. */
struct feedback_invitation {
    int64_t id, request_id, framework_id;
    enum feedback_group group;
    bool used;          /* submitted already */
    bool closed;        /* the request takes no more answers */
    int64_t closes_at;  /* the first moment closed (closed early: that time) */
    const char *member; /* the member's name, for "How does Sam …" */
    int64_t member_id;  /* the member's account: they may not answer their own request */
};
/* Finds an invitation by its link's token (64 hex digits). APP_E_NOTFOUND when none (or the
 * token is not a token). A used or closed one is found, with used / closed set. */
int feedback_invitation_find(struct db *db, struct arena *a, const char *token, int64_t now,
                             struct feedback_invitation *out);
/* Drafts (rule 9) are per invitation and per browser: key_hash is the hash of the browser's
 * key (64 hex digits). The ratings it saved so far, fw->nbehaviours of them in framework
 * order (arena); DEVELOP_NOT_RATED where none. */
int feedback_draft_ratings(struct db *db, struct arena *a, const struct develop_framework *fw,
                           int64_t invitation_id, const char *key_hash, int **out);
/* The two texts it saved so far ("" when none), into the arena. */
int feedback_draft_texts(struct db *db, struct arena *a, int64_t invitation_id,
                         const char *key_hash, const char **strengths, const char **differently);
/* Saves the ratings of one domain (ratings: that domain's nbehaviours; domain >= ndomains
 * saves none) and, when strengths is not NULL, the two texts, as browser key_hash's draft.
 * APP_E_CONFLICT when the request has closed or no link has the token (nothing stored);
 * pages find the invitation first to tell these apart. An answered link saves as an
 * unanswered one does (rule 9). APP_E_LIMIT (nothing stored) when the save would start a
 * draft and the browser keeps drafts on FEEDBACK_DRAFTS_PER_BROWSER links already: the count
 * is of key_hash's own drafts only, so the refusal says nothing of what others saved (a cap
 * per link would tell the member, who holds the link, that someone had saved on it). The count
 * and the draft it lets in are one step on both engines, so saves by one browser at the same
 * moment cannot pass the cap (feedback_db.c, browser_room). */
int feedback_draft_save(struct db *db, const struct develop_framework *fw, const char *token,
                        const char *key_hash, int64_t now, size_t domain, const int *ratings,
                        const char *strengths, const char *differently);
/* *held: whether browser key_hash has a draft (ratings or texts) on invitation_id. A save
 * that would start one counts against the network client's limit (below); one that adds to
 * it never does. */
int feedback_draft_held(struct db *db, int64_t invitation_id, const char *key_hash, bool *held);

/* ---- new drafts per network client (draft_limit.c; the limit per browser is in
 * feedback_draft_save) ----
 * Counted in this process's memory, per client as a keyed hash, in one-hour windows, in
 * counts of their own (struct app's feedback_drafts, core/hourly_count.h); see draft_limit.c
 * for why per client and not per link. Counts one new draft of client (req.client_key);
 * APP_E_LIMIT when the client has started FEEDBACK_DRAFTS_PER_HOUR this hour (then it is not
 * counted; hourly_count_wait() says how long). A save that then fails gives its count back
 * (feedback_draft_limit_give, with the same now). */
struct hourly_count;
int feedback_draft_limit_take(struct hourly_count *counts, const unsigned char client[16],
                              int64_t now);
void feedback_draft_limit_give(struct hourly_count *counts, const unsigned char client[16],
                               int64_t now);

/* Submits browser key_hash's draft: in one transaction, checks the request is open, and when
 * the invitation is unused stores the answer (texts redacted) under a random key with the
 * request and group only, deletes that draft and clears the invitation's email. When it was
 * used already the draft is deleted and nothing stored, and APP_OK returned all the same
 * (rule 9), after the same work (redaction, the inserts, rolled back), so that it takes as
 * long; those inserts write blanks of the answer's lengths, so its words and ratings reach no
 * file of the database (a rolled-back row stays in PostgreSQL's files until vacuum).
 * APP_E_CONFLICT when closed, APP_E_INVALID when the draft rates nothing on the
 * scale. */
int feedback_submit(struct db *db, const char *token, const char *key_hash, int64_t now);
/* Submits answers sent whole instead of a draft (an API client that keeps no cookie): ratings
 * for every behaviour of fw in framework order, and the two texts ("" when none), checked as a
 * save checks them (APP_E_INVALID, as when nothing is rated on the scale). Then as
 * feedback_submit: in one transaction, when the invitation is unused the answer is stored
 * (texts redacted, only the ratings given) and the invitation used; when it was used already
 * nothing is stored, after the same work, and APP_OK returned all the same (rule 9). key_hash (may
 * be NULL): the submitting browser, whose draft on the link, if any, is deleted either way.
 * APP_E_CONFLICT when closed. */
int feedback_submit_answers(struct db *db, const struct develop_framework *fw, const char *token,
                            const char *key_hash, int64_t now, const int *ratings,
                            const char *strengths, const char *differently);

/* The responses of request id in their stored random order, for feedback_report_build
 * (ratings against fw). Only for a closed request: APP_E_CONFLICT while open. */
int feedback_responses(struct db *db, struct arena *a, const struct develop_framework *fw,
                       const struct feedback_request *req, struct feedback_response **out,
                       size_t *n);
/* Loads request id of user_id with its framework version, the member's own answers and the
 * report (closed requests only: APP_E_CONFLICT while open). */
int feedback_report_load(struct db *db, struct arena *a, int64_t id, int64_t user_id, int64_t now,
                         struct feedback_request *req, struct develop_framework *fw,
                         struct feedback_report *out);

/* For the plan recommender: the member's latest closed request, per domain of its
 * framework version, their own mean and the others' ("all raters except you") mean — only
 * where the rules above show it. *n receives fw's domain count and *request_id the request
 * (0 and *n = 0 when the member has no closed request). Arena-owned. */
struct feedback_domain_gap {
    const char *domain_id, *title;
    bool self_scored;
    double self_mean;
    bool others_shown;
    double others_mean; /* "all raters except you"; valid when others_shown */
    int others_n;       /* answers in that cell */
};
int develop_feedback_domain_gaps(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                                 struct feedback_domain_gap **out, size_t *n, int64_t *request_id);

/* Demonstration data: for user_id's latest submitted self-assessment, a closed request
 * answered by a line manager, 4 peers, 3 direct reports and 2 others (folded), and an open
 * one with raters still to answer. *made is 1 when created; nothing when they have one. */
int feedback_demo(struct db *db, int64_t user_id, int64_t now, int *made);

#endif
