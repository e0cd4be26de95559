/* demo_cohort.c: the demonstration cohort — a leadership programme's few thousand members
 *
 * Develop's programme-lead view needs a cohort large enough for the disclosure rule to show
 * something, and Connect needs hundreds of mentors and mentees; real-sized demo data is what
 * makes `make run` show those pages with content. The members are accounts without a
 * password (nobody can log in as them), named from two short lists so the names read as
 * people's, spread over the professions and the demo organisations with a fixed generator,
 * so every run of `ahphub demo` makes the same people. All in one transaction: a database
 * that fails half way keeps nothing, and the next run starts again.
 */
#include <stdio.h>
#include <time.h>

#include "account/account.h"
#include "account/cohort.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

static const char *const first[] = {
    "Aisha", "Ben", "Chloe", "Daniel", "Efua", "Fiona", "Gareth", "Hui", "Imran", "Jess",
    "Kwame", "Laura", "Mohammed", "Niamh", "Olu", "Parveen", "Rhys", "Siobhan", "Tariq",
    "Una", "Vikram", "Wendy", "Yusuf", "Zoe", "Amara", "Callum", "Deepa", "Ewan", "Grace",
    "Hamza", "Isla", "Jamal", "Katie", "Liam", "Megan", "Nadia", "Owen", "Priti", "Ruth",
    "Sean", "Tanya", "Usman", "Vera", "Will", "Yasmin", "Aled", "Bethan", "Cerys"};
static const char *const last[] = {
    "Adeyemi", "Begum", "Campbell", "Davies", "Edwards", "Fraser", "Gill", "Hughes", "Iqbal",
    "Johnson", "Kaur", "Lewis", "Murphy", "Nwosu", "O'Brien", "Patel", "Quinn", "Roberts",
    "Singh", "Thomas", "Usher", "Vaughan", "Wilson", "Young", "Ahmed", "Bell", "Chen",
    "Doyle", "Evans", "Fletcher", "Grant", "Hussain", "Jenkins", "Khan", "Lloyd", "Mensah",
    "Nolan", "Okoro", "Price", "Rahman", "Shaw", "Taylor", "Walsh", "Wright", "Yates"};

#define N_FIRST (sizeof first / sizeof first[0])
#define N_LAST  (sizeof last / sizeof last[0])
#define MAX_ORGS 16

/* A small fixed generator (xorshift64): the same people on every machine. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Lower-case ASCII letters of s, for the address. */
static void slug(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            out[n++] = (char)(*s | 0x20);
    out[n] = '\0';
}

int account_demo_cohort(struct db *db, const char *name, int n, int64_t *id, int *made)
{
    struct arena *a = arena_new();
    struct db_stmt *st = NULL;
    int64_t org_id[MAX_ORGS], now = (int64_t)time(NULL), cohort_id = 0;
    const char *org_region[MAX_ORGS];
    size_t n_orgs = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int rc;
    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)))
        goto done;
    rc = db_row(db, SQL_COHORT_BY_NAME, &st, "t", name);
    if (rc == APP_OK) {
        *id = db_col_int(st, 0);
        rc = db_commit(db);
        goto done;
    }
    if (rc != APP_E_NOTFOUND)
        goto done;
    db_finalize(st);
    st = NULL;
    if ((rc = db_prepare(db, SQL_COHORT_DEMO_ORGS, &st)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW && n_orgs < MAX_ORGS) {
        org_id[n_orgs] = db_col_int(st, 0);
        if (!(org_region[n_orgs++] = arena_strdup(a, db_col_text(st, 1)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc != DB_DONE && rc != DB_ROW)
        goto done;
    db_finalize(st);
    st = NULL;
    if (!n_orgs) { /* account_demo() makes them first */
        rc = APP_E_NOTFOUND;
        goto done;
    }
    if ((rc = db_run_int(db, SQL_COHORT_INSERT, &cohort_id, "ttIi", name,
                         "Members of the demonstration leadership programme, across the "
                         "professions and the demonstration organisations.",
                         (int64_t)0, now)))
        goto done;
    for (int i = 0; i < n; i++) {
        const char *f = first[next(&seed) % N_FIRST], *l = last[next(&seed) % N_LAST];
        /* "other" (the last profession) is left out: a demo cohort is of the 14 professions */
        const char *prof = professions[next(&seed) % (professions_count - 1)].code;
        size_t o = (size_t)(next(&seed) % n_orgs);
        char email[128], fs[32], ls[32], display[96];
        int64_t uid = 0;
        slug(fs, sizeof fs, f);
        slug(ls, sizeof ls, l);
        snprintf(email, sizeof email, "%s.%s.%04d@demo.ahphub.test", fs, ls, i + 1);
        snprintf(display, sizeof display, "%s %s", f, l);
        if ((rc = db_run_int(db, SQL_COHORT_DEMO_USER, &uid, "ttttIi", email, display, prof,
                             org_region[o], org_id[o], now)) ||
            (rc = db_run(db, SQL_COHORT_ADD, "iii", cohort_id, uid, now)))
            goto done;
    }
    if ((rc = db_commit(db)))
        goto done;
    *id = cohort_id;
    *made = 1;
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}
