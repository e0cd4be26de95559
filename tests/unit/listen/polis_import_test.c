/* polis_import_test.c: the Pol.is importer on a hand-made export without votes.csv, and on
 * every real conversation in ../shared/fixtures/polis
 *
 * The hand-made directory (tests/unit/listen/polis_pv_only, described in its README.md) pins
 * what the real exports need: final votes read from participants-votes.csv when votes.csv is
 * absent, columns found by header name (an xid column before group-id), a moderated-out
 * comment with its text removed kept as rejected with its votes, and an author with no row.
 *
 * The shared conversations are public Pol.is exports (CC BY 4.0: "Data was gathered using the
 * Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
 * Attribution to The Computational Democracy Project"; each folder's summary.csv names its
 * conversation's url; see ../shared/fixtures/polis/SOURCE.md). Each one must import, and the
 * stored figures must equal what its files hold: one contribution per comments.csv row, one
 * participant per id found as a participants-votes row, a voter or an author, and one vote per
 * non-blank cell of participants-votes.csv (the final votes, which votes.csv's event log
 * collapses to as well). Found through AHPHUB_FIXTURES (default ../shared/fixtures, from the
 * repository root); the test is skipped, saying so, when the folder is absent.
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/csv.h"
#include "listen/transfer.h"
#include "store/db.h"
#include "support/testapp.h"

#define HAND_MADE "tests/unit/listen/polis_pv_only"

static struct app *app;
static struct db *db;

enum { F_SUMMARY, F_COMMENTS, F_VOTES, F_PV, F_COUNT };
static const char *const names[F_COUNT] = {"summary.csv", "comments.csv", "votes.csv",
                                           "participants-votes.csv"};

/* Reads dir's four files; a missing one is left empty. */
static void read_dir(const char *dir, struct buf out[F_COUNT])
{
    for (int i = 0; i < F_COUNT; i++) {
        char path[1024], chunk[8192];
        size_t n;
        FILE *f;
        buf_init(&out[i]);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!(f = fopen(path, "rb")))
            continue;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_append(&out[i], chunk, n);
        fclose(f);
        assert_false(buf_oom(&out[i]));
    }
}

static void free_dir(struct buf b[F_COUNT])
{
    for (int i = 0; i < F_COUNT; i++)
        buf_free(&b[i]);
}

static struct polis_files files_of(struct buf b[F_COUNT])
{
    struct polis_files f = {{b[F_SUMMARY].data, b[F_SUMMARY].len},
                            {b[F_COMMENTS].data, b[F_COMMENTS].len},
                            {b[F_VOTES].data, b[F_VOTES].len},
                            {b[F_PV].data, b[F_PV].len}};
    return f;
}

static int64_t q1(const char *sql, int64_t id)
{
    struct db_stmt *st = NULL;
    int64_t v;
    assert_int_equal(db_row(db, sql, &st, "i", id), APP_OK);
    v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

static void print_report(const char *what, const struct import_report *rep)
{
    for (int i = 0; i < rep->nerrors; i++)
        fprintf(stderr, "%s: %s\n", what, rep->errors[i]);
}

/* ---- the hand-made export ---- */

static void test_pv_only_dir(void **state)
{
    static const char sql_counts[] =
        "SELECT c.vote_count * 1000000 + c.agree_count * 10000 + c.disagree_count * 100 + "
        "c.pass_count FROM listen_contributions c WHERE c.exercise_id = $1 AND c.source_id = ";
    struct buf b[F_COUNT];
    struct polis_files f;
    struct import_report rep;
    struct db_stmt *st = NULL;
    int64_t ex = 0;
    char sql[512];
    (void)state;
    read_dir(HAND_MADE, b);
    assert_true(b[F_COMMENTS].len > 0 && b[F_PV].len > 0);
    assert_int_equal(b[F_VOTES].len, 0);
    f = files_of(b);
    if (listen_import_polis(db, &f, NULL, 0, &ex, &rep) != APP_OK)
        print_report(HAND_MADE, &rep);
    assert_true(ex > 0);
    assert_int_equal(rep.nerrors, 0);
    assert_int_equal(rep.comments, 4);
    assert_int_equal(rep.participants, 5);
    assert_int_equal(rep.votes, 11);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(q1("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                        "c.id = v.contribution_id WHERE c.exercise_id = $1",
                        ex),
                     11);
    /* Per comment: votes, agrees, disagrees, passes, counted from the cells. */
    snprintf(sql, sizeof sql, "%s'0'", sql_counts);
    assert_int_equal(q1(sql, ex), 4030100);
    snprintf(sql, sizeof sql, "%s'1'", sql_counts);
    assert_int_equal(q1(sql, ex), 4010201);
    snprintf(sql, sizeof sql, "%s'2'", sql_counts);
    assert_int_equal(q1(sql, ex), 2020000);
    snprintf(sql, sizeof sql, "%s'3'", sql_counts);
    assert_int_equal(q1(sql, ex), 1000001);
    /* The moderated-out comment without text is kept, rejected, empty. */
    assert_int_equal(db_row(db,
                            "SELECT status, body FROM listen_contributions WHERE exercise_id = $1 "
                            "AND source_id = '3'",
                            &st, "i", ex),
                     APP_OK);
    assert_string_equal(db_col_text(st, 0), "rejected");
    assert_string_equal(db_col_text(st, 1), "");
    db_finalize(st);
    st = NULL;
    /* The quoted body is read whole; the author without a row is a participant. */
    assert_int_equal(q1("SELECT count(*) FROM listen_contributions WHERE exercise_id = $1 AND "
                        "body = 'A stop by the \"new\" clinic' AND status = 'pending'",
                        ex),
                     1);
    assert_int_equal(q1("SELECT count(*) FROM listen_participants WHERE exercise_id = $1 AND "
                        "pseudonym = '9'",
                        ex),
                     1);
    /* Participant 4's votes: -1 on comment 0, 1 on comment 1, nothing else. */
    assert_int_equal(q1("SELECT sum((CAST(c.source_id AS INTEGER) + 1) * 10 * v.vote) FROM "
                        "listen_votes v JOIN listen_contributions c ON c.id = v.contribution_id "
                        "JOIN listen_participants p ON p.id = v.participant_id WHERE "
                        "c.exercise_id = $1 AND p.pseudonym = '4'",
                        ex),
                     -10 + 20);
    free_dir(b);
}

static void test_empty_body_must_be_rejected(void **state)
{
    /* Only a comment that is not shown may have lost its text (moderated -1, or 0 as the
     * facilitators' copy of our exports writes one waiting for moderation): one that is
     * shown needs it. */
    static const char comments[] =
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1600000000000,x,0,1,0,0,1,Fine\n"
        "1600000000000,x,1,1,0,0,1,\n"
        "1600000000000,x,2,1,0,0,0,  \n"
        "1600000000000,x,3,1,0,0,-1,\n";
    static const char pv[] = "participant,group-id,0,3\n1,,1,1\n";
    struct polis_files f = {{NULL, 0}, str_from(comments), {NULL, 0}, str_from(pv)};
    struct import_report rep;
    int64_t ex = 0;
    (void)state;
    assert_int_equal(listen_import_polis(db, &f, NULL, 0, &ex, &rep), APP_E_INVALID);
    assert_int_equal(ex, 0);
    assert_int_equal(rep.nerrors, 1);
    assert_string_equal(rep.errors[0], "comments.csv line 3: comment-body is empty");
    assert_int_equal(rep.comments + rep.participants + rep.votes, 0);
}

/* The language is guessed from the comments as they are stored, without redaction's markers:
 * a German conversation whose comments were redacted before it was exported, and so carry
 * many "[phone number removed]", is still German. Counted with the markers' words, German
 * stop words would be under the guess's 15% of the words, and it would be English. */
static void test_markers_do_not_sway_the_language(void **state)
{
#define MARKERS                                                                                    \
    " [phone number removed] [email removed] [web address removed] [NHS number removed] "          \
    "[postcode removed]"
#define MANY MARKERS MARKERS MARKERS
    static const char comments[] =
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1600000000000,x,0,1,0,0,1,\"Ich bin f\xc3\xbcr mehr Termine am Abend" MANY "\"\n"
        "1600000000000,x,1,2,0,0,1,\"Das ist nicht so gut" MANY "\"\n"
        "1600000000000,x,2,3,0,0,1,\"Wir haben es mit der Praxis versucht" MANY "\"\n"
        "1600000000000,x,3,1,0,0,1,\"Sie hat mich an die Klinik verwiesen, aber es war zu "
        "weit" MANY "\"\n";
#undef MANY
#undef MARKERS
    static const char pv[] = "participant,group-id,0,1,2,3\n1,,1,1,1,1\n";
    struct polis_files f = {{NULL, 0}, str_from(comments), {NULL, 0}, str_from(pv)};
    struct import_report rep;
    struct db_stmt *st = NULL;
    int64_t ex = 0;
    (void)state;
    if (listen_import_polis(db, &f, NULL, 0, &ex, &rep) != APP_OK)
        print_report("markers", &rep);
    assert_true(ex > 0);
    assert_string_equal(rep.language, "de");
    assert_string_equal(rep.language_source, "comments");
    assert_int_equal(db_row(db, "SELECT language FROM listen_exercises WHERE id = $1", &st, "i", ex),
                     APP_OK);
    assert_string_equal(db_col_text(st, 0), "de");
    db_finalize(st);
    /* what is stored keeps its markers: only the guess leaves them out */
    assert_int_equal(q1("SELECT count(*) FROM listen_contributions WHERE exercise_id = $1 AND "
                        "body LIKE '%[phone number removed]%'",
                        ex),
                     4);
}

/* ---- every shared conversation ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

struct expect {
    int64_t comments, votes, participants;
    int64_t *ids;
    size_t nids, cap;
};

static void add_id(struct expect *e, struct str s)
{
    char tmp[32];
    if (!s.len || s.len >= sizeof tmp)
        return;
    memcpy(tmp, s.p, s.len);
    tmp[s.len] = '\0';
    if (e->nids == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 1024;
        e->ids = realloc(e->ids, e->cap * sizeof *e->ids);
        assert_non_null(e->ids);
    }
    e->ids[e->nids++] = strtoll(tmp, NULL, 10);
}

/* Walks file's rows: the header goes to fn with row -1, then each row. */
static void each_row(struct buf *file,
                     void (*fn)(struct expect *, const struct csv_record *,
                                const struct csv_record *, long),
                     struct expect *e)
{
    struct csv_reader r;
    struct csv_record rec, hdr;
    bool got;
    char err[128];
    long row = 0;
    struct csv_reader r2;
    /* A record's fields belong to its reader and change with the next record, so the header
     * is held by a second reader of the same bytes that is not moved on. */
    assert_int_equal(csv_open(&r2, file->data, file->len), 0);
    assert_int_equal(csv_next(&r2, &hdr, &got, err, sizeof err), 0);
    assert_true(got);
    assert_int_equal(csv_open(&r, file->data, file->len), 0);
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), 0);
    while (csv_next(&r, &rec, &got, err, sizeof err) == 0 && got)
        fn(e, &hdr, &rec, row++);
    csv_close(&r);
    csv_close(&r2);
}

static void on_comment(struct expect *e, const struct csv_record *hdr, const struct csv_record *rec,
                       long row)
{
    (void)row;
    e->comments++;
    add_id(e, str_trim(csv_get(rec, csv_column(hdr, "author-id"))));
}

static void on_vote(struct expect *e, const struct csv_record *hdr, const struct csv_record *rec,
                    long row)
{
    (void)row;
    add_id(e, str_trim(csv_get(rec, csv_column(hdr, "voter-id"))));
}

static void on_pv(struct expect *e, const struct csv_record *hdr, const struct csv_record *rec,
                  long row)
{
    (void)row;
    add_id(e, str_trim(csv_get(rec, csv_column(hdr, "participant"))));
    for (size_t i = 0; i < hdr->nfields; i++) {
        struct str h = str_trim(hdr->fields[i]);
        size_t k = 0;
        while (k < h.len && h.p[k] >= '0' && h.p[k] <= '9')
            k++;
        if (h.len && k == h.len && i < rec->nfields && str_trim(rec->fields[i]).len)
            e->votes++;
    }
}

static void test_shared_conversations(void **state)
{
    const char *root = getenv("AHPHUB_FIXTURES");
    char dir[1024];
    struct dirent **list = NULL;
    int n, done = 0, without_votes = 0;
    (void)state;
    if (!root || !*root)
        root = "../shared/fixtures";
    snprintf(dir, sizeof dir, "%s/polis", root);
    n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr,
                "polis_import_test: %s is absent (set AHPHUB_FIXTURES); the shared "
                "conversations were not imported\n",
                dir);
        skip();
    }
    for (int i = 0; i < n; i++) {
        char sub[1300];
        struct buf b[F_COUNT];
        struct polis_files f;
        struct import_report rep;
        struct expect e = {0};
        int64_t ex = 0, np = 0;
        snprintf(sub, sizeof sub, "%s/%s", dir, list[i]->d_name);
        read_dir(sub, b);
        if (list[i]->d_name[0] == '.' || !b[F_COMMENTS].len) {
            free_dir(b);
            free(list[i]);
            continue;
        }
        each_row(&b[F_COMMENTS], on_comment, &e);
        if (b[F_VOTES].len)
            each_row(&b[F_VOTES], on_vote, &e);
        else
            without_votes++;
        each_row(&b[F_PV], on_pv, &e);
        qsort(e.ids, e.nids, sizeof *e.ids, cmp_i64);
        for (size_t k = 0; k < e.nids; k++)
            np += k == 0 || e.ids[k] != e.ids[k - 1];
        f = files_of(b);
        if (listen_import_polis(db, &f, NULL, 0, &ex, &rep) != APP_OK) {
            print_report(list[i]->d_name, &rep);
            fail_msg("%s did not import", list[i]->d_name);
        }
        if (rep.comments != e.comments || rep.votes != e.votes || rep.participants != np)
            fail_msg("%s: imported %" PRId64 " comments, %" PRId64 " participants, %" PRId64
                     " votes; the files hold %" PRId64 ", %" PRId64 ", %" PRId64,
                     list[i]->d_name, rep.comments, rep.participants, rep.votes, e.comments, np,
                     e.votes);
        assert_int_equal(q1("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                            "c.id = v.contribution_id WHERE c.exercise_id = $1",
                            ex),
                         e.votes);
        /* The language, guessed from the comments (no Pol.is export names it): the Austrian
         * Klimarat conversation is German, every other one English. */
        {
            const char *want = strncmp(list[i]->d_name, "austria", 7) ? "en" : "de";
            struct db_stmt *st = NULL;
            assert_int_equal(db_row(db, "SELECT language FROM listen_exercises WHERE id = $1",
                                    &st, "i", ex),
                             APP_OK);
            if (strcmp(db_col_text(st, 0), want) || strcmp(rep.language, want) ||
                strcmp(rep.language_source, "comments"))
                fail_msg("%s: language %s (%s, from %s), want %s", list[i]->d_name,
                         db_col_text(st, 0), rep.language, rep.language_source, want);
            db_finalize(st);
        }
        print_message("%s: %" PRId64 " comments, %" PRId64 " participants, %" PRId64
                      " votes, language %s%s\n",
                      list[i]->d_name, rep.comments, rep.participants, rep.votes, rep.language,
                      b[F_VOTES].len ? "" : " (from participants-votes.csv)");
        free(e.ids);
        free_dir(b);
        free(list[i]);
        done++;
    }
    free(list);
    assert_true(done >= 13);         /* Seattle and the twelve others */
    assert_true(without_votes >= 1); /* austria-climate has no votes.csv */
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pv_only_dir),
        cmocka_unit_test(test_empty_body_must_be_rejected),
        cmocka_unit_test(test_markers_do_not_sway_the_language),
        cmocka_unit_test(test_shared_conversations),
    };
    return cmocka_run_group_tests_name("listen/polis_import", tests, setup, teardown);
}
