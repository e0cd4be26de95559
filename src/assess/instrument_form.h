/* instrument_form.h: an instrument as an editable form — the values as typed, the structural
 * edits (add or remove a band, domain, item or option), and the JSON the parser then checks
 *
 * The form is for admins who do not write JSON. It never checks an instrument itself: saving
 * turns the form into the JSON of docs/assess-instruments.md and hands it to
 * assess_instrument_parse(), so the form and a JSON upload can never disagree on what is valid.
 * Every value is kept as the text typed ("1.5", "", "abc"), so a form shown again after a
 * mistake or a structural edit loses nothing.
 *
 * A page shows the instrument's own fields, its bands, the list of domains and one domain
 * opened for editing; the whole instrument travels with the page as a "draft" (this struct as
 * JSON, in a hidden field). The request layer takes at most 200 fields, and a shipped
 * instrument has more than 400 values, so the domains cannot all be open at once.
 */
#ifndef AHP_INSTRUMENT_FORM_H
#define AHP_INSTRUMENT_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "assess/assess.h"

struct arena;

struct ifm_option {
    const char *label, *score;
};

struct ifm_item {
    const char *id, *kind, *text, *help, *weight, *level, *met_at;
    const char *levels[ASSESS_LEVELS]; /* maturity items' descriptors (kept for other kinds) */
    struct ifm_option *options;        /* bands and choice items */
    size_t noptions;
};

struct ifm_domain {
    const char *id, *title, *description, *weight, *baseline;
    struct ifm_item *items;
    size_t nitems;
};

struct ifm_band {
    const char *from, *name, *description;
};

/* Every string is non-NULL ("" when empty) and lives in the arena the form was made in. */
struct instrument_form {
    const char *code, *title, *description, *audience, *method, *level_share, *baseline_source;
    struct ifm_band *bands;
    size_t nbands;
    struct ifm_domain *domains;
    size_t ndomains;    /* at least 1 */
    size_t open;        /* the domain shown for editing, 0-based, < ndomains */
    int64_t from;       /* the stored version being edited; 0 for a new instrument */
    const char **shown; /* the names of the fields instrument_form_read read, as the page */
    size_t nshown;      /* showed them (none for a form made otherwise) */
};

/* Looks a submitted field up by name: its value, or NULL when absent or empty. */
typedef const char *(*instrument_form_get_fn)(void *ctx, const char *name);

/* A new instrument: one band from 0, one domain with one agree item, nothing else filled in.
 * Returns 0 or APP_E_NOMEM. */
int instrument_form_blank(struct arena *a, struct instrument_form *f);
/* The form of a stored instrument, numbers written as a person would type them. 0 or NOMEM. */
int instrument_form_from(struct arena *a, const struct assess_instrument *ins,
                         struct instrument_form *f);
/* The form as a page submitted it: the "draft" field gives the whole instrument, then the
 * fields the page showed (the instrument's, the bands', the open domain's) replace their
 * values. A field the request layer refused (typed(ctx, name) non-NULL) takes what was typed,
 * so the form shown again keeps the admin's edit beside the error; "" from typed (text that
 * cannot be shown) and a select (who answers, the method, an item's kind) keep the draft's.
 * A form read from a request with a refused field is for showing again only, never for
 * saving. Returns 0, APP_E_INVALID when the draft is missing or is not one this program wrote
 * (*why says so), or APP_E_NOMEM. */
int instrument_form_read(struct arena *a, instrument_form_get_fn get, instrument_form_get_fn typed,
                         void *ctx, struct instrument_form *f, const char **why);
/* Whether the page f was read from (instrument_form_read) showed a field called name: a JSON
 * client's "item_id.999", "band_from.9" or an option of an item whose kind takes none would
 * otherwise be passed over unseen. */
bool instrument_form_showed(const struct instrument_form *f, const char *name);
/* Applies a structural edit named by a button's value: "update", "open-D", "add-band",
 * "remove-band-B", "add-domain", "remove-domain", "add-item", "remove-item-I",
 * "add-option-I", "remove-option-I-K" (numbers 1-based; items are the open domain's). An edit
 * past a limit of the format is ignored, as the page offers no button for it. Returns 0,
 * APP_E_INVALID for an action it does not know, or APP_E_NOMEM. */
int instrument_form_act(struct arena *a, struct instrument_form *f, const char *action);
/* The instrument's JSON text, for assess_version_save(). Empty optional numbers are left out
 * (the parser's defaults apply); a number field holding something else gives APP_E_INVALID
 * with *why in the parser's words ("band 2: \"from\" must be a number"). *json is in the arena.
 */
int instrument_form_json(struct arena *a, const struct instrument_form *f, const char **json,
                         size_t *len, const char **why);
/* The name of the field a parser sentence is about ("item_text.3", "band_from.2", "code"),
 * for the error summary's link and the message beside the field; opens the domain it names
 * so that field is on the page. Never NULL: a sentence naming no field gives the nearest
 * heading's id ("domains"). Allocated in the arena (NULL only when out of memory). */
const char *instrument_form_error_field(struct arena *a, struct instrument_form *f,
                                        const char *why);
/* The page's view model (a new reference, NULL when out of memory): every field with its name,
 * label, hint, value and error (looked up by name through error(ctx, name), which may be
 * NULL), the structural buttons that apply, and the draft. */
json_t *instrument_form_model(struct arena *a, const struct instrument_form *f,
                              instrument_form_get_fn error, void *ctx);

#endif
