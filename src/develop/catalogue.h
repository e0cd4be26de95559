/* catalogue.h: the shared catalogue of development activities — the model and its checks
 * (catalogue.c), reading and writing activities (catalogue_db.c), and CSV in and out with the
 * starter catalogue (catalogue_csv.c); domain code, no HTTP
 *
 * An activity is one way to develop as a leader, of a kind seed 003 names (a course,
 * mentoring, coaching, networking, action learning, a quality improvement project, on the
 * job as a stretch assignment or shadowing, self-directed learning), with who provides it,
 * how it runs (mode), how long it takes, what it costs, where (a region or national), a link,
 * and the areas it develops: domains of leadership frameworks and of Assess instruments,
 * named by the stable codes and ids of their latest versions. Plans and recommendations will
 * point at activities, so an activity is retired, never deleted.
 *
 * Every way in (a form, a JSON body, a CSV row) gives the same text fields, checked by one
 * function, so the three give the same activity and the same messages.
 */
#ifndef AHP_DEVELOP_CATALOGUE_H
#define AHP_DEVELOP_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct assess_version_cache;
struct buf;
struct db;

#define DEVELOP_TITLE_MAX       150 /* characters */
#define DEVELOP_PROVIDER_MAX    150
#define DEVELOP_DESCRIPTION_MAX 1000
#define DEVELOP_DURATION_MAX    100
#define DEVELOP_LINK_MAX        500
#define DEVELOP_HOURS_MAX       10000  /* hours */
#define DEVELOP_POUNDS_MAX      100000 /* pounds */
#define DEVELOP_NATIONAL        "national"

/* A code and its name as pages show it. */
struct develop_choice {
    const char *code, *name;
};
extern const struct develop_choice develop_activity_kinds[]; /* course … self-directed */
extern const size_t develop_activity_kinds_count;
extern const struct develop_choice develop_activity_modes[]; /* in-person … self-paced */
extern const size_t develop_activity_modes_count;
extern const struct develop_choice develop_activity_costs[]; /* free, paid, employer */
extern const size_t develop_activity_costs_count;
/* The name of code in a list, or NULL. */
const char *develop_choice_name(const struct develop_choice *list, size_t n, const char *code);

/* One area an activity develops. */
struct develop_area {
    bool assess;        /* false: a framework's domain; true: an Assess instrument's */
    const char *code;   /* the framework's or instrument's code */
    const char *domain; /* the domain's id */
};

struct develop_activity {
    int64_t id; /* 0 until stored */
    const char *title, *kind, *provider, *description, *mode;
    const char *duration; /* free text, "" when none */
    int64_t hours_x100;   /* hours × 100; 0 when not given */
    const char *cost;     /* "free", "paid" or "employer" */
    int64_t cost_pence;   /* > 0 when paid, else 0 */
    const char *region;   /* DEVELOP_NATIONAL or a region code */
    const char *link;     /* an http or https URL, "" when none */
    struct develop_area *areas;
    size_t nareas;
    bool active;
    int64_t created_by, updated_by; /* 0 when unknown (an account since deleted) */
    int64_t created_at, updated_at;
};

/* An activity as typed: any field may be NULL (as empty). Areas are written
 * "code:domain-id", several separated by ';', ',' or white space. cost is "free", "paid" or
 * "employer" (or their names), or an amount, which means paid; cost_pounds the amount when
 * cost is "paid". status is "active" (the default) or "retired". */
struct develop_activity_input {
    const char *title, *kind, *provider, *description, *mode, *duration, *hours;
    const char *cost, *cost_pounds, *region, *link, *framework_domains, *assess_domains;
    const char *status;
};

/* A problem with one field: its name as in the input ("framework_domains") and a sentence. */
struct develop_field_error {
    const char *field, *message;
};

/* The areas that may be named: the latest version of every framework and every Assess
 * instrument, with their domains in order. */
struct develop_area_source {
    bool assess;
    const char *code, *title;
    const char **ids, **titles; /* ndomains each */
    size_t ndomains;
};
struct develop_area_sources {
    struct develop_area_source *list;
    size_t n;
};

/* ---- the model (catalogue.c) ---- */
/* Loads every framework's and instrument's latest version into sources (arena). cache may be
 * NULL. Returns 0, APP_E_NOMEM or a database error. */
int develop_area_sources_load(struct db *db, struct assess_version_cache *cache, struct arena *a,
                              struct develop_area_sources *out);
/* The source with this code (frameworks when assess is false), or NULL. */
const struct develop_area_source *develop_area_source_find(const struct develop_area_sources *s,
                                                           bool assess, const char *code);
/* The domain's title, or NULL when the source has no such domain. */
const char *develop_area_title(const struct develop_area_sources *s, const struct develop_area *ar);

/* Checks in against sources and fills out (strings in the arena; id, created and updated
 * are left 0). Kinds, modes, costs and regions are matched by code or by name, in any case.
 * Returns 0, APP_E_INVALID with every problem found in *errs (arena, *nerrs of them, in the
 * order of the fields), or APP_E_NOMEM. */
int develop_activity_check(struct arena *a, const struct develop_area_sources *sources,
                           const struct develop_activity_input *in, struct develop_activity *out,
                           struct develop_field_error **errs, size_t *nerrs);
/* The activity as text fields, as the CSV and the edit form write it (arena; NULL strings
 * never). Checking the result gives an equal activity. */
int develop_activity_text(struct arena *a, const struct develop_activity *act,
                          struct develop_activity_input *out);
/* x / 100 with at most two decimals and no trailing zeros ("12.5", "150"), in the arena. */
const char *develop_hundredths_text(struct arena *a, int64_t x);

/* ---- reading and writing (catalogue_db.c) ---- */
struct develop_catalogue_filter {
    const char *q;      /* words in the title, provider or description; NULL or "" for any */
    const char *kind;   /* a kind's code, or NULL */
    const char *area;   /* "code:domain-id", or NULL */
    const char *region; /* a region's code (its activities and national ones), "national"
                         * (national ones only), or NULL */
    const char *mode;   /* a mode's code, or NULL */
    bool free_only;
    bool with_retired; /* curators see retired activities too */
};
/* One page of activities matching f, by title (without their areas), and how many match in
 * all. Strings in the arena. */
int develop_activity_list(struct db *db, struct arena *a, const struct develop_catalogue_filter *f,
                          int64_t offset, int64_t limit, struct develop_activity **out, size_t *n,
                          int64_t *total);
/* One activity with its areas (APP_E_NOTFOUND), retired or not. */
int develop_activity_get(struct db *db, struct arena *a, int64_t id, struct develop_activity *out);
/* Stores a checked activity as new, active unless act->active is false; *id is the new row.
 * One transaction. */
int develop_activity_create(struct db *db, const struct develop_activity *act, int64_t by,
                            int64_t now, int64_t *id);
/* Replaces the stored activity act->id with act, its areas and status included
 * (APP_E_NOTFOUND when there is no such activity). One transaction. */
int develop_activity_update(struct db *db, const struct develop_activity *act, int64_t by,
                            int64_t now);
/* Retires (active false) or restores an activity (APP_E_NOTFOUND). */
int develop_activity_set_active(struct db *db, int64_t id, bool active, int64_t by, int64_t now);
/* Every activity with its areas, retired ones included, by id (for the export). */
int develop_activity_all(struct db *db, struct arena *a, struct develop_activity **out, size_t *n);
/* How many activities are stored, retired ones included. */
int develop_activity_count(struct db *db, int64_t *n);
/* Writes an activity inside the caller's transaction: inserted when act->id is 0 (*id gets
 * the new id), else replaced (APP_E_NOTFOUND). For the import, which writes many at once. */
int develop_activity_write(struct db *db, const struct develop_activity *act, int64_t by,
                           int64_t now, int64_t *id);

/* ---- CSV (catalogue_csv.c) ---- */
#define DEVELOP_IMPORT_MAX_ERRORS 50
#define DEVELOP_IMPORT_ERROR_LEN  300

/* What an import did, or why it did nothing. The import clears it first. */
struct develop_import_report {
    int nerrors, more;
    /* "Row 4, kind: “lecture” is not a kind of activity: use one of …" */
    char errors[DEVELOP_IMPORT_MAX_ERRORS][DEVELOP_IMPORT_ERROR_LEN];
    int64_t created, updated;
};

/* The CSV columns, in the order the export writes them (docs/develop-catalogue.md). */
extern const char *const develop_catalogue_columns[];
extern const size_t develop_catalogue_columns_count;

/* Imports csv[0..len): a heading row, then one activity per row. A row with an id replaces
 * that activity; one without adds a new one. Every row is checked first, and nothing is
 * written unless every row is right: then all of them are, in one transaction. Rows are
 * numbered as a spreadsheet shows them (the heading is row 1). Returns 0, APP_E_INVALID (rep
 * lists the problems), APP_E_NOMEM or a database error (nothing written). */
int develop_catalogue_import(struct db *db, struct arena *a,
                             const struct develop_area_sources *sources, const char *csv,
                             size_t len, int64_t by, int64_t now,
                             struct develop_import_report *rep);
/* Appends every activity, retired ones included, to out as CSV with the import's columns,
 * by id, so an exported file imports back unchanged. Returns 0, APP_E_NOMEM or a database
 * error. */
int develop_catalogue_export(struct db *db, struct arena *a, struct buf *out);
/* Imports the starter catalogue shipped in data/catalogue/starter.csv when no activity is
 * stored yet. Run at start and by `ahphub demo`; idempotent. A starter row that no longer
 * fits the stored frameworks (an area taken out) leaves the catalogue empty, with the
 * reasons logged, rather than stopping the service from starting. */
int develop_catalogue_seed(struct db *db);

#endif
