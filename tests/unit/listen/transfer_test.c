/* transfer_test.c: Pol.is and survey CSV imports, and the Pol.is/JSON exports
 *
 * Uses the real Pol.is export in ../shared/fixtures/polis/15-per-hour-seattle (CC BY 4.0:
 * "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed
 * under CC BY 4.0 with Attribution to The Computational Democracy Project. The data and more
 * information about how the data was collected can be found at the following link(s):
 * https://compdemocracy.org/case-studies/2014-seattle-15-per-hour"), found through
 * AHPHUB_FIXTURES (default ../shared/fixtures, from the repository root).
 *
 * Expected figures, from the files themselves: 54 comments; 339 participants (the 339
 * voter-ids of votes.csv are exactly the 339 rows of participants-votes.csv, and all 33
 * author-ids of comments.csv are among them, so authors add no one); 2,995 vote events that
 * collapse to 2,872 final votes (123 superseded), which equal the 2,872 non-blank cells of
 * participants-votes.csv one for one.
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "export/csv.h"
#include "listen/transfer.h"
#include "store/db.h"
#include "support/testapp.h"
#include "text/redact.h"

static struct app *app;
static struct db *db;
static int64_t facilitator;

/* ---- fixtures ---- */

enum { F_SUMMARY, F_COMMENTS, F_VOTES, F_PV, F_COUNT };
static const char *const fixture_names[F_COUNT] = {"summary.csv", "comments.csv", "votes.csv",
                                                   "participants-votes.csv"};
static struct buf fixture[F_COUNT];

static void load_fixtures(void)
{
    const char *root = getenv("AHPHUB_FIXTURES");
    if (!root || !*root)
        root = "../shared/fixtures";
    for (int i = 0; i < F_COUNT; i++) {
        char path[1024];
        char chunk[8192];
        size_t n;
        FILE *f;
        snprintf(path, sizeof path, "%s/polis/15-per-hour-seattle/%s", root, fixture_names[i]);
        f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "transfer_test: cannot open %s (set AHPHUB_FIXTURES)\n", path);
            exit(1);
        }
        buf_init(&fixture[i]);
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_append(&fixture[i], chunk, n);
        fclose(f);
        assert_false(buf_oom(&fixture[i]));
    }
}

static struct str fx(int i)
{
    return (struct str){fixture[i].data, fixture[i].len};
}

static struct polis_files seattle(void)
{
    struct polis_files f = {fx(F_SUMMARY), fx(F_COMMENTS), fx(F_VOTES), fx(F_PV)};
    return f;
}

static struct str slice(const char *s)
{
    return str_from(s);
}

/* ---- database helpers ---- */

#define NTABLES 7
static const char *const count_sql[NTABLES] = {
    "SELECT count(*) FROM listen_exercises",      "SELECT count(*) FROM listen_prompts",
    "SELECT count(*) FROM listen_participants",   "SELECT count(*) FROM listen_contributions",
    "SELECT count(*) FROM listen_votes",          "SELECT count(*) FROM listen_flags",
    "SELECT count(*) FROM listen_moderation_log",
};

static void count_rows(int64_t out[NTABLES])
{
    for (int i = 0; i < NTABLES; i++) {
        struct db_stmt *st = NULL;
        assert_int_equal(db_row(db, count_sql[i], &st, ""), APP_OK);
        out[i] = db_col_int(st, 0);
        db_finalize(st);
    }
}

static void assert_same_rows(const int64_t a[NTABLES], const int64_t b[NTABLES])
{
    for (int i = 0; i < NTABLES; i++)
        if (a[i] != b[i])
            fail_msg("%s: %" PRId64 " rows before, %" PRId64 " after", count_sql[i], a[i], b[i]);
}

/* The first column of the first row of sql with $1 = id. */
static int64_t q1(const char *sql, int64_t id)
{
    struct db_stmt *st = NULL;
    int64_t v;
    assert_int_equal(db_row(db, sql, &st, "i", id), APP_OK);
    v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

static int64_t import_seattle(struct import_report *rep)
{
    struct polis_files f = seattle();
    int64_t ex = 0;
    int rc = listen_import_polis(db, &f, NULL, facilitator, &ex, rep);
    if (rc)
        fail_msg("import failed (%s): %s", app_err_name(rc), rep->nerrors ? rep->errors[0] : "");
    assert_true(ex > 0);
    return ex;
}

typedef int (*export_fn)(struct db *, int64_t, struct buf *);

static void export_to(export_fn fn, int64_t ex, struct buf *out)
{
    buf_init(out);
    assert_int_equal(fn(db, ex, out), APP_OK);
    assert_false(buf_oom(out));
}

static size_t count_lines(const struct buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

/* ---- (participant, comment, vote) triples ---- */

struct triple {
    int64_t p, c, v;
};

static int cmp_triple(const void *a, const void *b)
{
    const struct triple *x = a, *y = b;
    if (x->p != y->p)
        return (x->p > y->p) - (x->p < y->p);
    if (x->c != y->c)
        return (x->c > y->c) - (x->c < y->c);
    return (x->v > y->v) - (x->v < y->v);
}

/* Every non-blank cell of a participants-votes.csv, by header name. */
static struct triple *pv_cells(struct str data, size_t *n)
{
    struct csv_reader r;
    struct csv_record rec;
    struct triple *t = NULL;
    int64_t *cids;
    size_t cap = 0, width;
    int pcol;
    bool got;
    *n = 0;
    csv_open(&r, data.p, data.len);
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    pcol = csv_column(&rec, "participant");
    assert_true(pcol >= 0);
    width = rec.nfields;
    cids = calloc(width, sizeof *cids);
    for (size_t i = 0; i < width; i++)
        if (!parse_int64(rec.fields[i], &cids[i]))
            cids[i] = -1;
    while (csv_next(&r, &rec, &got, NULL, 0) == APP_OK && got) {
        int64_t p;
        assert_true(parse_int64(csv_get(&rec, pcol), &p));
        for (size_t i = 0; i < width; i++) {
            int64_t v;
            if (cids[i] < 0 || (int)i == pcol || !rec.fields[i].len)
                continue;
            assert_true(parse_int64(rec.fields[i], &v));
            if (*n == cap) {
                cap = cap ? 2 * cap : 1024;
                t = realloc(t, cap * sizeof *t);
                assert_non_null(t);
            }
            t[(*n)++] = (struct triple){p, cids[i], v};
        }
    }
    csv_close(&r);
    free(cids);
    qsort(t, *n, sizeof *t, cmp_triple);
    return t;
}

/* Every stored vote of the exercise, as (pseudonym, source_id, vote). */
static struct triple *db_votes(int64_t ex, size_t *n)
{
    static const char sql[] =
        "SELECT p.pseudonym, c.source_id, v.vote FROM listen_votes v "
        "JOIN listen_contributions c ON c.id = v.contribution_id "
        "JOIN listen_participants p ON p.id = v.participant_id WHERE c.exercise_id = $1";
    struct db_stmt *st = NULL;
    struct triple *t = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    assert_int_equal(db_prepare_bind(db, sql, &st, "i", ex), APP_OK);
    while ((rc = db_step(st)) == DB_ROW) {
        struct triple x;
        assert_true(parse_int64(slice(db_col_text(st, 0)), &x.p));
        assert_true(parse_int64(slice(db_col_text(st, 1)), &x.c));
        x.v = db_col_int(st, 2);
        if (*n == cap) {
            cap = cap ? 2 * cap : 1024;
            t = realloc(t, cap * sizeof *t);
            assert_non_null(t);
        }
        t[(*n)++] = x;
    }
    assert_int_equal(rc, DB_DONE);
    db_finalize(st);
    qsort(t, *n, sizeof *t, cmp_triple);
    return t;
}

/* ---- setup ---- */

static int setup(void **state)
{
    (void)state;
    load_fixtures();
    app = testapp_new();
    db = db_pool_get(app->pool);
    facilitator =
        testapp_user(app, "importer@example.test", "facilitator", "a long enough password");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < F_COUNT; i++)
        buf_free(&fixture[i]);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

/* ---- Pol.is import ---- */

static void test_import_seattle(void **state)
{
    static const char sql_comment[] =
        "SELECT c.created_at, c.status, c.body, p.pseudonym, c.prompt_id FROM "
        "listen_contributions c JOIN listen_participants p ON p.id = c.participant_id "
        "WHERE c.exercise_id = $1 AND c.source_id = $2";
    static const char sql_vote[] =
        "SELECT v.vote, v.created_at, v.updated_at FROM listen_votes v "
        "JOIN listen_contributions c ON c.id = v.contribution_id "
        "JOIN listen_participants p ON p.id = v.participant_id "
        "WHERE c.exercise_id = $1 AND c.source_id = $2 AND p.pseudonym = $3";
    static const char sql_exercise[] =
        "SELECT title, status, moderation, summary_md, created_by, opens_at, closes_at "
        "FROM listen_exercises WHERE id = $1";
    struct import_report rep;
    struct db_stmt *st = NULL;
    struct triple *want, *got;
    size_t nwant, ngot;
    int64_t before[NTABLES], after[NTABLES], ex;
    (void)state;
    count_rows(before);
    ex = import_seattle(&rep);
    assert_int_equal(rep.nerrors, 0);
    assert_int_equal(rep.comments, 54);
    assert_int_equal(rep.participants, 339);
    assert_int_equal(rep.votes, 2872);
    assert_int_equal(rep.skipped, 2995 - 2872);
    count_rows(after);
    assert_int_equal(after[0] - before[0], 1);
    assert_int_equal(after[1] - before[1], 1);
    assert_int_equal(after[2] - before[2], 339);
    assert_int_equal(after[3] - before[3], 54);
    assert_int_equal(after[4] - before[4], 2872);

    /* The exercise: named after the topic, closed, attributed. */
    assert_int_equal(db_row(db, sql_exercise, &st, "i", ex), APP_OK);
    assert_string_equal(db_col_text(st, 0), "$15/hour");
    assert_string_equal(db_col_text(st, 1), "closed");
    assert_string_equal(db_col_text(st, 2), "post");
    assert_non_null(strstr(db_col_text(st, 3), "How do you think the new minimum wage law"));
    assert_non_null(strstr(db_col_text(st, 3), LISTEN_POLIS_ATTRIBUTION));
    assert_non_null(strstr(db_col_text(st, 3), "https://pol.is/2demo"));
    assert_int_equal(db_col_int(st, 4), facilitator);
    assert_int_equal(db_col_int(st, 5), 1403054214); /* the first comment and vote */
    assert_int_equal(db_col_int(st, 6), 1550057363); /* the last vote */
    db_finalize(st);

    /* Imported participants have no token and no attributes. */
    assert_int_equal(q1("SELECT count(*) FROM listen_participants WHERE exercise_id = $1 AND "
                        "token_hash IS NULL AND audience = '' AND profession = '' AND "
                        "region = ''",
                        ex),
                     339);
    /* moderated 1 / 0 / -1 */
    assert_int_equal(q1("SELECT count(*) FROM listen_contributions WHERE exercise_id = $1 "
                        "AND status = 'approved'",
                        ex),
                     30);
    assert_int_equal(q1("SELECT count(*) FROM listen_contributions WHERE exercise_id = $1 "
                        "AND status = 'pending'",
                        ex),
                     1);
    assert_int_equal(q1("SELECT count(*) FROM listen_contributions WHERE exercise_id = $1 "
                        "AND status = 'rejected'",
                        ex),
                     23);
    /* The denormalised counts agree with the votes. */
    assert_int_equal(
        q1("SELECT count(*) FROM listen_contributions c WHERE c.exercise_id = $1 AND ("
           "c.vote_count <> (SELECT count(*) FROM listen_votes v WHERE v.contribution_id = c.id)"
           " OR c.agree_count <> (SELECT count(*) FROM listen_votes v WHERE "
           "v.contribution_id = c.id AND v.vote = 1) OR c.disagree_count <> (SELECT count(*) "
           "FROM listen_votes v WHERE v.contribution_id = c.id AND v.vote = -1) OR "
           "c.pass_count <> (SELECT count(*) FROM listen_votes v WHERE v.contribution_id = c.id "
           "AND v.vote = 0))",
           ex),
        0);
    assert_int_equal(
        q1("SELECT sum(vote_count) FROM listen_contributions WHERE exercise_id = $1", ex), 2872);

    /* One comment in full: line 3 of comments.csv. */
    assert_int_equal(db_row(db, sql_comment, &st, "it", ex, "48"), APP_OK);
    assert_int_equal(db_col_int(st, 0), 1403067224);
    assert_string_equal(db_col_text(st, 1), "approved");
    assert_string_equal(db_col_text(st, 2),
                        "Businesses, small or large, shouldn't be able to pay workers anything "
                        "below a livable wage. Why should we subsidize businesses that depend on "
                        "inadequate wages? If a business's product is good, then this shouldn't "
                        "be a challenge.");
    assert_string_equal(db_col_text(st, 3), "215");
    assert_true(db_col_int(st, 4) > 0);
    db_finalize(st);
    /* A body ending in a line break keeps it. */
    assert_int_equal(db_row(db,
                            "SELECT body FROM listen_contributions WHERE exercise_id = $1 "
                            "AND body LIKE 'This will lead to robots.%'",
                            &st, "i", ex),
                     APP_OK);
    assert_string_equal(db_col_text(st, 0), "This will lead to robots. \n");
    db_finalize(st);

    /* Voter 229 on comment 0: -1 (line 61), -1, then 1 and 1: the last event wins; the vote
     * was first cast at the first event's time. */
    assert_int_equal(db_row(db, sql_vote, &st, "itt", ex, "0", "229"), APP_OK);
    assert_int_equal(db_col_int(st, 0), 1);
    assert_int_equal(db_col_int(st, 1), 1407387151);
    assert_int_equal(db_col_int(st, 2), 1437166464);
    db_finalize(st);
    /* Voter 58 on comment 25: -1, -1, 0. */
    assert_int_equal(db_row(db, sql_vote, &st, "itt", ex, "25", "58"), APP_OK);
    assert_int_equal(db_col_int(st, 0), 0);
    db_finalize(st);

    /* Every non-blank cell of participants-votes.csv is the stored final vote, and there is
     * no stored vote without a cell. */
    want = pv_cells(fx(F_PV), &nwant);
    got = db_votes(ex, &ngot);
    assert_int_equal(nwant, 2872);
    assert_int_equal(ngot, 2872);
    for (size_t i = 0; i < nwant; i++)
        if (cmp_triple(&want[i], &got[i]))
            fail_msg("participant %" PRId64 " comment %" PRId64 ": file says %" PRId64
                     ", database %" PRId64 " (participant %" PRId64 " comment %" PRId64 ")",
                     want[i].p, want[i].c, want[i].v, got[i].v, got[i].p, got[i].c);
    free(want);
    free(got);
}

static void test_import_title_and_pv_only(void **state)
{
    /* Without votes.csv the votes come from participants-votes.csv: the same 2,872 final
     * votes, so the same participants-votes.csv comes out. Without summary.csv the title
     * argument names the exercise. */
    struct polis_files only_pv = {{NULL, 0}, fx(F_COMMENTS), {NULL, 0}, fx(F_PV)};
    struct import_report rep;
    struct buf a, b;
    struct db_stmt *st = NULL;
    int64_t ex1, ex2 = 0;
    (void)state;
    ex1 = import_seattle(&rep);
    assert_int_equal(listen_import_polis(db, &only_pv, "Minimum wage", 0, &ex2, &rep), APP_OK);
    assert_int_equal(rep.votes, 2872);
    assert_int_equal(rep.participants, 339);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(db_row(db,
                            "SELECT title, summary_md, created_by FROM listen_exercises "
                            "WHERE id = $1",
                            &st, "i", ex2),
                     APP_OK);
    assert_string_equal(db_col_text(st, 0), "Minimum wage");
    assert_string_equal(db_col_text(st, 1), "Imported from Pol.is. " LISTEN_POLIS_ATTRIBUTION);
    assert_true(db_col_null(st, 2));
    db_finalize(st);
    assert_string_equal(
        "Comments imported from Pol.is",
        (db_row(db, "SELECT text FROM listen_prompts WHERE exercise_id = $1", &st, "i", ex2),
         db_col_text(st, 0)));
    db_finalize(st);
    export_to(listen_export_participants_votes, ex1, &a);
    export_to(listen_export_participants_votes, ex2, &b);
    assert_string_equal(a.data, b.data);
    buf_free(&a);
    buf_free(&b);
}

/* ---- exports ---- */

static void test_export_formats(void **state)
{
    struct import_report rep;
    struct buf comments, votes, pv, summary, js;
    struct csv_reader r;
    struct csv_record rec;
    json_t *root, *v;
    json_error_t jerr;
    bool got;
    int64_t ex;
    (void)state;
    ex = import_seattle(&rep);

    export_to(listen_export_comments, ex, &comments);
    csv_open(&r, comments.data, comments.len);
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    assert_int_equal(rec.nfields, 8);
    {
        size_t rows = 0;
        while (csv_next(&r, &rec, &got, NULL, 0) == APP_OK && got)
            rows++;
        assert_int_equal(rows, 30); /* the fixture's 30 accepted comments of 54 */
    }
    csv_close(&r);
    assert_true(str_starts_with((struct str){comments.data, comments.len},
                                "timestamp,datetime,comment-id,author-id,agrees,disagrees,"
                                "moderated,comment-body\n"));
    /* Comment 0 by participant 0: the last line of the fixture's comments (01:16:54 UTC), on
     * its day. */
    assert_non_null(strstr(comments.data, "\n1403049600000,Wed Jun 18 00:00:00 UTC 2014,0,0,"));
    /* Comment 13 ("Hello.") was rejected, comment 53 never moderated: neither is published. */
    assert_null(strstr(comments.data, "Hello."));
    assert_null(strstr(comments.data, "Not sure I believe any of this"));
    assert_null(strstr(comments.data, ",-1,"));
    assert_null(strstr(comments.data, ",0,Not"));

    export_to(listen_export_votes, ex, &votes);
    assert_int_equal(count_lines(&votes), 1 + 2848); /* the final votes on those 30 */
    assert_true(str_starts_with((struct str){votes.data, votes.len},
                                "timestamp,datetime,comment-id,voter-id,vote\n"
                                "1403049600000,Wed Jun 18 00:00:00 UTC 2014,0,0,0\n"));

    export_to(listen_export_participants_votes, ex, &pv);
    /* the 337 who wrote a shown comment or voted on one: the public copy has nothing of the
     * fixture's 2 others (transfer.h) */
    assert_int_equal(count_lines(&pv), 1 + 337);
    assert_true(str_starts_with((struct str){pv.data, pv.len},
                                "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,"
                                "1,2,3,"));
    /* Participant 0 wrote 13 comments and passed on all 13, as in the fixture. */
    assert_non_null(strstr(pv.data, "\n0,,13,13,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,"));
    {
        /* The fixture's final votes on the published comments, participants renumbered
         * 0..336 in the order of their Pol.is ids (participant 0 keeps its number). */
        size_t n1, n2;
        struct triple *a = pv_cells(fx(F_PV), &n1),
                      *b = pv_cells((struct str){pv.data, pv.len}, &n2);
        assert_int_equal(n1, 2872);
        assert_int_equal(n2, 2848);
        qsort(a, n1, sizeof *a, cmp_triple);
        for (size_t i = 0; i < n2; i++)
            if (b[i].p == 0 && !bsearch(&b[i], a, n1, sizeof *a, cmp_triple))
                fail_msg("participant 0's vote on comment %" PRId64 " is not the fixture's",
                         b[i].c);
        free(a);
        free(b);
    }

    export_to(listen_export_summary, ex, &summary);
    assert_true(str_starts_with((struct str){summary.data, summary.len},
                                "topic,$15/hour\nurl,\nviews,337\nvoters,337\n"
                                "voters-in-conv,337\ncommenters,18\ncomments,30\ngroups,\n"
                                "conversation-description,"));
    assert_non_null(strstr(summary.data, LISTEN_POLIS_ATTRIBUTION));

    export_to(listen_export_json, ex, &js);
    root = json_loadb(js.data, js.len, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "format")), "ahphub-listen/1");
    assert_int_equal(json_array_size(json_object_get(root, "contributions")), 30);
    assert_int_equal(json_array_size(json_object_get(root, "participants")), 337);
    assert_int_equal(json_array_size(json_object_get(root, "votes")), 2848);
    assert_int_equal(json_array_size(json_object_get(root, "prompts")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(root, "exercise"), "title")), "$15/hour");
    v = json_object_get(root, "attribution");
    assert_non_null(strstr(json_string_value(v), LISTEN_POLIS_ATTRIBUTION));
    assert_non_null(strstr(json_string_value(v), "Imported from Pol.is"));
    v = json_array_get(json_object_get(root, "contributions"), 0);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 0);
    assert_null(json_object_get(v, "original"));
    assert_int_equal(json_integer_value(json_object_get(v, "prompt")), 0);
    assert_true(json_is_null(json_object_get(v, "parent")));
    json_decref(root);

    assert_int_equal(listen_export_comments(db, 999999, &js), APP_E_NOTFOUND);
    assert_int_equal(listen_export_json(db, 999999, &js), APP_E_NOTFOUND);
    buf_free(&comments);
    buf_free(&votes);
    buf_free(&pv);
    buf_free(&summary);
    buf_free(&js);
}

static void test_round_trip(void **state)
{
    /* export → import → export gives the same files, byte for byte. */
    static const export_fn fns[] = {listen_export_summary, listen_export_comments,
                                    listen_export_votes, listen_export_participants_votes};
    static const char *const names[] = {"summary.csv", "comments.csv", "votes.csv",
                                        "participants-votes.csv"};
    struct import_report rep;
    struct buf first[4], second[4], third[4];
    struct polis_files f;
    int64_t ex, ex2 = 0, ex3 = 0;
    (void)state;
    ex = import_seattle(&rep);
    for (int i = 0; i < 4; i++)
        export_to(fns[i], ex, &first[i]);
    f = (struct polis_files){{first[0].data, first[0].len},
                             {first[1].data, first[1].len},
                             {first[2].data, first[2].len},
                             {first[3].data, first[3].len}};
    assert_int_equal(listen_import_polis(db, &f, NULL, facilitator, &ex2, &rep), APP_OK);
    assert_int_equal(rep.comments, 30);
    assert_int_equal(rep.participants, 337);
    assert_int_equal(rep.votes, 2848);
    assert_int_equal(rep.skipped, 0);
    for (int i = 0; i < 4; i++) {
        export_to(fns[i], ex2, &second[i]);
        if (first[i].len != second[i].len || memcmp(first[i].data, second[i].data, first[i].len))
            fail_msg("%s changed in the round trip", names[i]);
    }
    /* And once more, from the re-imported exercise. */
    f = (struct polis_files){{second[0].data, second[0].len},
                             {second[1].data, second[1].len},
                             {second[2].data, second[2].len},
                             {second[3].data, second[3].len}};
    assert_int_equal(listen_import_polis(db, &f, NULL, facilitator, &ex3, &rep), APP_OK);
    for (int i = 0; i < 4; i++) {
        export_to(fns[i], ex3, &third[i]);
        assert_int_equal(first[i].len, third[i].len);
        assert_memory_equal(first[i].data, third[i].data, first[i].len);
    }
    for (int i = 0; i < 4; i++) {
        buf_free(&first[i]);
        buf_free(&second[i]);
        buf_free(&third[i]);
    }
}

/* ---- malformed input ---- */

struct bad_case {
    const char *what;
    const char *comments, *votes, *pv;
    const char *error; /* the first error reported */
};

#define CH "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
#define C1 "1403054214174,x,0,0,1,0,1,First comment\n"
#define C2 "1403054218578,x,1,1,0,1,-1,\"Second, with a comma\"\n"
#define VH "timestamp,datetime,comment-id,voter-id,vote\n"
#define PH "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"

static const struct bad_case bad_cases[] = {
    {"comment id not a number", CH C1 "1403054218578,x,one,1,0,1,1,Body\n", VH, NULL,
     "comments.csv line 3: comment-id is not a number"},
    {"duplicate comment id", CH C1 C2 "1403054218578,x,1,2,0,1,1,Again\n", VH, NULL,
     "comments.csv line 4: comment-id 1 was already used on line 3"},
    {"missing column", "timestamp,comment-id,author-id,moderated\n1,0,0,1\n", VH, NULL,
     "comments.csv line 1: there is no comment-body column"},
    {"unterminated quote", CH C1 C2 "1403054218578,x,2,1,0,1,1,\"never closed\n3,x,3,1,0,0,1,x\n",
     VH, NULL, "comments.csv line 4: unterminated quoted field"},
    {"invalid UTF-8", CH C1 "1403054218578,x,1,1,0,1,1,caf\xe9\n", VH, NULL,
     "comments.csv line 3: not UTF-8 text (in a spreadsheet, save the file as CSV UTF-8)"},
    {"moderated out of range", CH C1 "1403054218578,x,1,1,0,1,2,Body\n", VH, NULL,
     "comments.csv line 3: moderated is not -1, 0 or 1"},
    {"empty body", CH C1 "1403054218578,x,1,1,0,1,1,\"  \"\n", VH, NULL,
     "comments.csv line 3: comment-body is empty"},
    {"shown comment without author", CH C1 "1403054218578,x,1,,0,1,1,Body\n", VH, NULL,
     "comments.csv line 3: author-id is empty"},
    {"no comments", CH, VH, NULL, "comments.csv: there are no comments"},
    {"empty comments file", "", VH, NULL, "comments.csv is required"},
    {"no votes at all", CH C1, NULL, NULL, "votes.csv or participants-votes.csv is required"},
    {"unknown comment in votes", CH C1 C2, VH "1,x,0,5,1\n2,x,9,5,1\n", NULL,
     "votes.csv line 3: comment-id 9 is not in comments.csv"},
    {"vote out of range", CH C1 C2, VH "1,x,0,5,2\n", NULL,
     "votes.csv line 2: vote is not -1, 0 or 1"},
    {"ragged votes row", CH C1 C2, VH "1,x,0,5,1\n2,x,1,5\n", NULL,
     "votes.csv line 3: 4 fields where the header has 5"},
    {"bad voter", CH C1 C2, VH "1,x,0,-5,1\n", NULL, "votes.csv line 2: voter-id is not a number"},
    {"bad timestamp", CH C1 C2, VH "soon,x,0,5,1\n", NULL,
     "votes.csv line 2: timestamp is not a time in milliseconds"},
    {"stray quote in votes", CH C1 C2, VH "1,x,0,5,1\n2,x,1,5\"x,1\n", NULL,
     "votes.csv line 3: quote inside an unquoted field"},
    {"pv cell", CH C1 C2, NULL, PH "5,,0,1,1,0,1,\n6,,0,1,0,0,,yes\n",
     "participants-votes.csv line 3: the vote on comment 1 is not blank, -1, 0 or 1"},
    {"pv repeated participant", CH C1 C2, NULL, PH "5,,0,1,1,0,1,\n5,,0,1,0,0,,1\n",
     "participants-votes.csv line 3: participant 5 was already on line 2"},
    {"pv unknown comment column", CH C1 C2, NULL, "participant,group-id,0,1,7\n5,,1,,\n",
     "participants-votes.csv line 1: column 7 is not a comment-id in comments.csv"},
    {"pv without participant column", CH C1 C2, NULL, "group-id,0,1\n,1,1\n",
     "participants-votes.csv line 1: there is no participant column"},
};

static void test_malformed_polis(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        struct polis_files f = {{NULL, 0}, slice(c->comments), slice(c->votes), slice(c->pv)};
        struct import_report rep;
        int64_t before[NTABLES], after[NTABLES], ex = 7;
        int rc;
        count_rows(before);
        rc = listen_import_polis(db, &f, NULL, facilitator, &ex, &rep);
        count_rows(after);
        if (rc != APP_E_INVALID || rep.nerrors < 1 || strcmp(rep.errors[0], c->error))
            fail_msg("%s: got %s, \"%s\"; want \"%s\"", c->what, app_err_name(rc),
                     rep.nerrors ? rep.errors[0] : "", c->error);
        assert_int_equal(ex, 0);
        assert_int_equal(rep.comments + rep.participants + rep.votes, 0);
        assert_same_rows(before, after);
    }
}

static void test_malformed_fixture(void **state)
{
    /* The real files, damaged: line numbers are physical lines, and comments.csv has
     * comments that span several lines, so comment 30 (the 31st record) is on line 39. */
    struct buf votes = BUF_INIT, comments = BUF_INIT;
    struct import_report rep;
    struct polis_files f;
    int64_t before[NTABLES], after[NTABLES], ex;
    const char *hit;
    size_t line = 1;
    (void)state;
    for (size_t i = 0; i < fixture[F_VOTES].len; i++) {
        char ch = fixture[F_VOTES].data[i];
        if (line == 1500 && ch == '\n')
            buf_puts(&votes, "7"); /* 1,6033,1 becomes a vote of 17 */
        buf_putc(&votes, ch);
        line += ch == '\n';
    }
    hit = strstr(fixture[F_COMMENTS].data, "WIB 2014,30,");
    assert_non_null(hit);
    buf_append(&comments, fixture[F_COMMENTS].data, (size_t)(hit - fixture[F_COMMENTS].data));
    buf_puts(&comments, "WIB 2014,3O,");
    buf_puts(&comments, hit + strlen("WIB 2014,30,"));

    count_rows(before);
    f = (struct polis_files){fx(F_SUMMARY), fx(F_COMMENTS), {votes.data, votes.len}, fx(F_PV)};
    assert_int_equal(listen_import_polis(db, &f, NULL, facilitator, &ex, &rep), APP_E_INVALID);
    assert_int_equal(rep.nerrors, 1);
    assert_string_equal(rep.errors[0], "votes.csv line 1500: vote is not -1, 0 or 1");

    f = (struct polis_files){fx(F_SUMMARY), {comments.data, comments.len}, fx(F_VOTES), fx(F_PV)};
    assert_int_equal(listen_import_polis(db, &f, NULL, facilitator, &ex, &rep), APP_E_INVALID);
    assert_string_equal(rep.errors[0], "comments.csv line 39: comment-id is not a number");
    /* …and the votes on the comment that could not be read are reported too. */
    assert_non_null(strstr(rep.errors[1], "is not in comments.csv"));
    count_rows(after);
    assert_same_rows(before, after);
    buf_free(&votes);
    buf_free(&comments);
}

static void test_many_errors(void **state)
{
    /* More problems than the report keeps: the first ones are listed, the rest counted. */
    struct buf votes = BUF_INIT;
    struct import_report rep;
    struct polis_files f;
    int64_t ex;
    (void)state;
    buf_puts(&votes, VH);
    for (int i = 0; i < 30; i++)
        buf_printf(&votes, "%d,x,0,%d,5\n", i, i);
    f = (struct polis_files){{NULL, 0}, slice(CH C1), {votes.data, votes.len}, {NULL, 0}};
    assert_int_equal(listen_import_polis(db, &f, NULL, 0, &ex, &rep), APP_E_INVALID);
    assert_int_equal(rep.nerrors, IMPORT_MAX_ERRORS);
    assert_int_equal(rep.more, 30 - IMPORT_MAX_ERRORS);
    assert_string_equal(rep.errors[0], "votes.csv line 2: vote is not -1, 0 or 1");
    assert_string_equal(rep.errors[19], "votes.csv line 21: vote is not -1, 0 or 1");
    buf_free(&votes);
}

static void test_last_vote_wins(void **state)
{
    /* By timestamp; equal timestamps by file order. */
    static const char votes[] = VH "300,x,0,5,1\n"
                                   "100,x,0,5,-1\n" /* older, though later in the file */
                                   "200,x,1,5,1\n"
                                   "200,x,1,5,-1\n" /* same time: the later line wins */
                                   "200,x,1,6,0\n";
    struct polis_files f = {{NULL, 0}, slice(CH C1 C2), slice(votes), {NULL, 0}};
    struct import_report rep;
    struct triple *t;
    size_t n;
    int64_t ex;
    (void)state;
    assert_int_equal(listen_import_polis(db, &f, NULL, 0, &ex, &rep), APP_OK);
    assert_int_equal(rep.votes, 3);
    assert_int_equal(rep.skipped, 2);
    assert_int_equal(rep.participants, 4); /* authors 0 and 1, voters 5 and 6 */
    t = db_votes(ex, &n);
    assert_int_equal(n, 3);
    assert_true(t[0].p == 5 && t[0].c == 0 && t[0].v == 1);
    assert_true(t[1].p == 5 && t[1].c == 1 && t[1].v == -1);
    assert_true(t[2].p == 6 && t[2].c == 1 && t[2].v == 0);
    free(t);
}

static void test_fault_rolls_back(void **state)
{
    /* The database failing at any point of the import leaves no row behind. */
    static const long at[] = {1, 2, 3, 5, 50, 400, 3000};
    struct polis_files f = seattle();
    (void)state;
    log_set_quiet(1);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        struct import_report rep;
        int64_t before[NTABLES], after[NTABLES], ex = 7;
        int rc;
        count_rows(before);
        db_fault_after(at[i]);
        rc = listen_import_polis(db, &f, NULL, facilitator, &ex, &rep);
        db_fault_after(0);
        count_rows(after);
        assert_int_equal(rc, APP_E_DB);
        assert_int_equal(ex, 0);
        assert_true(rep.nerrors == 1 && strstr(rep.errors[0], "nothing was imported"));
        assert_same_rows(before, after);
        assert_false(db_in_tx(db));
    }
    log_set_quiet(0);
}

/* ---- export rules on an exercise made in place ---- */

static const char sql_ins_part[] =
    "INSERT INTO listen_participants (exercise_id, token_hash, pseudonym, audience, created_at) "
    "VALUES ($1, $2, $3, $4, 1) RETURNING id";
static const char sql_ins_contrib[] =
    "INSERT INTO listen_contributions (exercise_id, prompt_id, parent_id, participant_id, body, "
    "original, redactions, status, hidden, source_id, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
static const char sql_ins_vote[] =
    "INSERT INTO listen_votes (contribution_id, participant_id, vote, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5)";

/* Runs an INSERT … RETURNING id and stores the id in out. */
#define INSERT(out, sql, ...) assert_int_equal(db_run_int(db, sql, &(out), __VA_ARGS__), APP_OK)

static void test_export_rules(void **state)
{
    /* Only shown contributions and the votes on them are exported (withdrawn, rejected and
     * hidden ones are not, see also test_export_shown_only); a reply whose parent is not
     * exported has no parent; a source id is kept unless another comment already has that
     * number; the original text never leaves; participants are numbered in id order. */
    static const export_fn fns[] = {listen_export_comments, listen_export_votes,
                                    listen_export_participants_votes};
    struct buf out[3], again[3], js;
    struct polis_files f;
    struct import_report rep;
    struct buf want = BUF_INIT;
    int64_t ex, prompt, pa, pb, pc, c1, c2, c3, c4, c5, c6, ex2 = 0;
    json_t *root, *list;
    (void)state;
    INSERT(ex,
           "INSERT INTO listen_exercises (slug, title, status, moderation, created_at, "
           "updated_at) VALUES ('rules-test', 'Rules', 'open', 'pre', 1, 1) RETURNING id",
           "");
    INSERT(prompt,
           "INSERT INTO listen_prompts (exercise_id, position, text) VALUES ($1, 0, 'Q') "
           "RETURNING id",
           "i", ex);
    INSERT(pa, sql_ins_part, "ittt", ex, "hash-a", "Pa", "ahp");
    INSERT(pb, sql_ins_part, "ittt", ex, "hash-b", "Pb", "citizen");
    INSERT(pc, sql_ins_part, "ittt", ex, "hash-c", "Pc", "");
    INSERT(c1, sql_ins_contrib,
           "iIIitttti"
           "ti",
           ex, prompt, (int64_t)0, pa, "Mail me at [email removed]", "Mail me at sam@example.org",
           "email address", "approved", (int64_t)0, "", (int64_t)1000);
    INSERT(c2, sql_ins_contrib,
           "iIIitttti"
           "ti",
           ex, prompt, (int64_t)0, pb, "Taken back", NULL, "", "withdrawn", (int64_t)0, "",
           (int64_t)1001);
    INSERT(c3, sql_ins_contrib,
           "iIIitttti"
           "ti",
           ex, prompt, c2, pc, "Reply to what was taken back", NULL, "", "approved", (int64_t)0, "",
           (int64_t)1002);
    INSERT(c4, sql_ins_contrib,
           "iIIitttti"
           "ti",
           ex, prompt, (int64_t)0, pa, "Rejected", NULL, "", "rejected", (int64_t)0, "",
           (int64_t)1003);
    /* c5 claims c1's id as its source id; c6's source id is not written the way we write
     * numbers, so it is not kept. */
    {
        char src[24];
        snprintf(src, sizeof src, "%" PRId64, c1);
        INSERT(c5, sql_ins_contrib,
               "iIIitttti"
               "ti",
               ex, prompt, (int64_t)0, pb, "Waiting, \"quoted\"", NULL, "", "approved", (int64_t)0,
               src, (int64_t)1004);
    }
    (void)c5; /* exported under c1's number: see below */
    INSERT(c6, sql_ins_contrib,
           "iIIitttti"
           "ti",
           ex, prompt, c1, pc, "A reply", NULL, "", "approved", (int64_t)0, "007", (int64_t)1005);
    assert_int_equal(db_run(db, sql_ins_vote, "iiiii", c2, pa, (int64_t)1, (int64_t)1, (int64_t)5),
                     APP_OK);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c1, pb, (int64_t)-1, (int64_t)1, (int64_t)2000), APP_OK);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c1, pc, (int64_t)1, (int64_t)1, (int64_t)2000), APP_OK);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c3, pa, (int64_t)0, (int64_t)1, (int64_t)1500), APP_OK);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c6, pb, (int64_t)1, (int64_t)1, (int64_t)1999), APP_OK);
    for (int i = 0; i < 3; i++)
        export_to(fns[i], ex, &out[i]);

    /* Comment ids: c5 → c1's number, c3 and c6 keep theirs, c1 → above every id in use. */
    buf_printf(&want,
               "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,"
               "comment-body\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",1,0,0,1,\"Waiting, "
               "\"\"quoted\"\"\"\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",2,0,0,1,Reply to what was "
               "taken back\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",2,1,0,1,A reply\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",0,1,1,1,Mail me at [email "
               "removed]\n",
               c1, c3, c6, c6 + 1);
    (void)c4; /* rejected: in no file */
    assert_string_equal(out[0].data, want.data);
    buf_reset(&want);
    buf_printf(&want,
               "timestamp,datetime,comment-id,voter-id,vote\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",0,0\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",1,1\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",1,-1\n"
               "0,Thu Jan 01 00:00:00 UTC 1970,%" PRId64 ",2,1\n",
               c3, c6, c6 + 1, c6 + 1);
    assert_string_equal(out[1].data, want.data);
    buf_reset(&want);
    buf_printf(&want,
               "participant,group-id,n-comments,n-votes,n-agree,n-disagree,%" PRId64 ",%" PRId64
               ",%" PRId64 ",%" PRId64 "\n"
               "0,,1,1,0,0,,0,,\n"
               "1,,1,2,1,1,,,1,-1\n"
               "2,,2,1,1,0,,,,1\n",
               c1, c3, c6, c6 + 1);
    assert_string_equal(out[2].data, want.data);

    /* JSON: the same numbering, the withdrawn parent gone, the shown parent kept. */
    export_to(listen_export_json, ex, &js);
    assert_null(strstr(js.data, "sam@example.org"));
    assert_null(strstr(js.data, "Taken back"));
    assert_null(strstr(js.data, "Rejected"));
    assert_null(strstr(js.data, "\"original\""));
    assert_null(strstr(js.data, "\"attribution\"")); /* a source id, but not from Pol.is */
    root = json_loads(js.data, 0, NULL);
    assert_non_null(root);
    list = json_object_get(root, "contributions");
    assert_int_equal(json_array_size(list), 4);
    assert_true(json_is_null(json_object_get(json_array_get(list, 1), "parent")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 2), "parent")),
                     c6 + 1);
    assert_true(json_is_false(json_object_get(json_array_get(list, 1), "hidden")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "status")),
                        "approved");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "redactions")),
                        "email address");
    assert_int_equal(json_array_size(json_object_get(root, "votes")), 4);
    /* one "ahp" among three participants: too few to say so */
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "participants"), 0), "audience")),
                        "");
    json_decref(root);
    buf_free(&js);

    /* And the files round-trip through an import. */
    f = (struct polis_files){
        {NULL, 0}, {out[0].data, out[0].len}, {out[1].data, out[1].len}, {out[2].data, out[2].len}};
    assert_int_equal(listen_import_polis(db, &f, "Rules again", 0, &ex2, &rep), APP_OK);
    for (int i = 0; i < 3; i++) {
        export_to(fns[i], ex2, &again[i]);
        assert_string_equal(out[i].data, again[i].data);
        buf_free(&out[i]);
        buf_free(&again[i]);
    }
    buf_free(&want);
}

/* ---- what a public export may hold ---- */

static const char sql_ins_exercise[] =
    "INSERT INTO listen_exercises (slug, title, summary_md, status, moderation, opens_at, "
    "closes_at, created_at, updated_at) VALUES ($1, $2, $3, 'published', 'post', $4, $5, $6, $6) "
    "RETURNING id";
static const char sql_ins_person[] =
    "INSERT INTO listen_participants (exercise_id, token_hash, pseudonym, audience, profession, "
    "region, created_at) VALUES ($1, NULL, $2, $3, $4, $5, 1) RETURNING id";

/* A published exercise with one prompt; *prompt receives the prompt's id. */
static int64_t new_exercise(const char *title, const char *summary, int64_t when, int64_t *prompt)
{
    static int n;
    char slug[32];
    int64_t ex;
    snprintf(slug, sizeof slug, "public-%d", ++n);
    INSERT(ex, sql_ins_exercise, "tttiii", slug, title, summary, when, when + 7 * 86400 + 1, when);
    INSERT(*prompt,
           "INSERT INTO listen_prompts (exercise_id, position, text) VALUES ($1, 0, 'Q') "
           "RETURNING id",
           "i", ex);
    return ex;
}

static int64_t new_person(int64_t ex, const char *aud, const char *prof, const char *region)
{
    static int n;
    char pseudonym[16];
    int64_t id;
    snprintf(pseudonym, sizeof pseudonym, "P%06d", ++n);
    INSERT(id, sql_ins_person, "itttt", ex, pseudonym, aud, prof, region);
    return id;
}

static int64_t new_contrib(int64_t ex, int64_t prompt, int64_t part, const char *body,
                           const char *status, int hidden, int64_t when)
{
    int64_t id;
    INSERT(id, sql_ins_contrib, "iIIittttiti", ex, prompt, (int64_t)0, part, body, NULL, "", status,
           (int64_t)hidden, "", when);
    return id;
}

/* Every export of ex, in the order of export_names. */
static const export_fn all_exports[] = {listen_export_summary, listen_export_comments,
                                        listen_export_votes, listen_export_participants_votes,
                                        listen_export_json};
static const char *const export_names[] = {"summary.csv", "comments.csv", "votes.csv",
                                           "participants-votes.csv", "exercise.json"};
#define NEXPORTS 5

static void test_export_shown_only(void **state)
{
    /* A public export holds the contributions the exercise page shows (approved, not hidden
     * by flags, not withdrawn) and the votes on those, nothing else: a rejected or held
     * contribution was never published, and its author may be named in it. */
    static const char *const unshown[] = {"Nurse Jane Doe on ward 7 should be sacked",
                                          "Held for a moderator", "Hidden by flags", "Taken back"};
    static const char *const status[] = {"rejected", "pending", "approved", "withdrawn"};
    struct buf out[NEXPORTS];
    int64_t ex, prompt, author, voter, shown, c;
    json_t *root;
    (void)state;
    ex = new_exercise("Shown only", "", 86400, &prompt);
    author = new_person(ex, "", "", "");
    voter = new_person(ex, "", "", "");
    shown = new_contrib(ex, prompt, author, "Shown to everyone", "approved", 0, 86400);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", shown, voter, (int64_t)1, (int64_t)86400, (int64_t)86400),
        APP_OK);
    for (int i = 0; i < 4; i++) {
        c = new_contrib(ex, prompt, author, unshown[i], status[i], i == 2, 86400);
        /* votes of -1 only on what is not shown, so a -1 anywhere is one of them */
        assert_int_equal(db_run(db, sql_ins_vote, "iiiii", c, voter, (int64_t)-1, (int64_t)86400,
                                (int64_t)86400),
                         APP_OK);
    }
    for (int i = 0; i < NEXPORTS; i++) {
        export_to(all_exports[i], ex, &out[i]);
        for (int k = 0; k < 4; k++)
            if (strstr(out[i].data, unshown[k]))
                fail_msg("%s holds \"%s\"", export_names[i], unshown[k]);
        if (i >= 1 && i <= 3 && strstr(out[i].data, ",-1"))
            fail_msg("%s holds a vote on a contribution that is not shown", export_names[i]);
    }
    assert_non_null(strstr(out[0].data, "\ncomments,1\n"));
    assert_non_null(strstr(out[0].data, "\nvoters,1\n"));
    assert_int_equal(count_lines(&out[1]), 2);
    assert_non_null(strstr(out[1].data, ",1,0,1,Shown to everyone\n")); /* moderated: 1 */
    assert_int_equal(count_lines(&out[2]), 2);
    assert_non_null(strstr(out[3].data, "\n1,,0,1,1,0,1\n")); /* one comment column */
    root = json_loads(out[4].data, 0, NULL);
    assert_non_null(root);
    assert_int_equal(json_array_size(json_object_get(root, "contributions")), 1);
    assert_int_equal(json_array_size(json_object_get(root, "votes")), 1);
    json_decref(root);
    for (int i = 0; i < NEXPORTS; i++)
        buf_free(&out[i]);
}

/* The attribute of participant i in exercise.json. */
static const char *json_attr(json_t *root, size_t i, const char *key)
{
    json_t *p = json_array_get(json_object_get(root, "participants"), i);
    assert_non_null(p);
    return json_string_value(json_object_get(p, key));
}

static void test_export_attributes_need_a_crowd(void **state)
{
    /* Audience, profession and region are published for a participant only when more
     * participants than the disclosure threshold (7) share all three, else all three are
     * blank: the only podiatrist, and the one dietitian in London (though there are 9
     * dietitians and 9 people in London), could otherwise be picked out with everything
     * they wrote and voted. Only participants with something in the export (a shown
     * contribution or a vote on one) count, and only they show attributes: of eight
     * radiographers in London only one has anything published, so a group of eight would
     * name its author all the same. */
    static const struct {
        int n, active; /* the first `active` write or vote, the others are only rejected */
        const char *aud, *prof, *region;
        bool shown;
    } groups[] = {
        {8, 8, "ahp", "physiotherapist", "london", true},
        {7, 7, "ahp", "physiotherapist", "north-west", false},
        {8, 8, "ahp", "dietitian", "north-west", true},
        {1, 1, "ahp", "dietitian", "london", false},
        {1, 1, "ahp", "podiatrist", "london", false},
        {8, 8, "citizen", "", "", true},
        {2, 2, "citizen", "", "south-west", false},
        {8, 1, "staff", "radiographer", "london", false},
        {9, 8, "ahp", "paramedic", "london", true},
    };
    struct buf js, pv;
    int64_t ex, prompt, first = 0;
    size_t k = 0;
    json_t *root;
    (void)state;
    ex = new_exercise("Attributes", "", 86400, &prompt);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        for (int i = 0; i < groups[g].n; i++) {
            int64_t p = new_person(ex, groups[g].aud, groups[g].prof, groups[g].region), c;
            if (i >= groups[g].active) {
                new_contrib(ex, prompt, p, "Rejected", "rejected", 0, 86400);
            } else if (i % 2 == 0) { /* every group's first member writes */
                c = new_contrib(ex, prompt, p, "Something to say", "approved", 0, 86400);
                first = first ? first : c;
            } else {
                assert_int_equal(db_run(db, sql_ins_vote, "iiiii", first, p, (int64_t)1,
                                        (int64_t)86400, (int64_t)86400),
                                 APP_OK);
            }
        }
    export_to(listen_export_json, ex, &js);
    export_to(listen_export_participants_votes, ex, &pv);
    assert_null(strstr(js.data, "podiatrist"));
    assert_null(strstr(pv.data, "podiatrist"));
    assert_null(strstr(pv.data, "dietitian"));
    assert_null(strstr(js.data, "south-west"));
    assert_null(strstr(js.data, "radiographer"));
    root = json_loads(js.data, 0, NULL);
    assert_non_null(root);
    /* only participants with something in the export are in it (transfer.h) */
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        for (int i = 0; i < groups[g].active; i++, k++) {
            const char *aud = json_attr(root, k, "audience"),
                       *prof = json_attr(root, k, "profession"),
                       *region = json_attr(root, k, "region");
            assert_non_null(aud);
            assert_non_null(prof);
            assert_non_null(region);
            if (groups[g].shown) {
                assert_string_equal(aud, groups[g].aud);
                assert_string_equal(prof, groups[g].prof);
                assert_string_equal(region, groups[g].region);
            } else if (*aud || *prof || *region) {
                fail_msg("participant %zu shows \"%s\", \"%s\", \"%s\" from a group of %d", k, aud,
                         prof, region, groups[g].n);
            }
        }
    assert_int_equal(json_array_size(json_object_get(root, "participants")), k);
    json_decref(root);
    buf_free(&js);
    buf_free(&pv);
}

/* Fails unless every number under a key ending in "_at" in v is a whole day. */
static void check_days(json_t *v, const char *key)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) check_days(x, k);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) check_days(x, key);
    } else if (key && strlen(key) > 3 && !strcmp(key + strlen(key) - 3, "_at")) {
        assert_true(json_is_integer(v));
        if (json_integer_value(v) % 86400)
            fail_msg("%s is %lld, not a whole day", key, (long long)json_integer_value(v));
    }
}

/* Fails unless the timestamp and datetime columns of every row of a Pol.is file are whole
 * days; returns the number of rows. */
static size_t check_csv_days(const struct buf *b, const char *name)
{
    struct csv_reader r;
    struct csv_record rec;
    size_t rows = 0;
    int ts, dt;
    bool got;
    csv_open(&r, b->data, b->len);
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    ts = csv_column(&rec, "timestamp");
    dt = csv_column(&rec, "datetime");
    assert_true(ts >= 0 && dt >= 0);
    while (csv_next(&r, &rec, &got, NULL, 0) == APP_OK && got) {
        int64_t ms;
        rows++;
        assert_true(parse_int64(csv_get(&rec, ts), &ms));
        if (ms % 86400000 || !strstr(csv_get(&rec, dt).p, " 00:00:00 UTC "))
            fail_msg("%s line %zu: %s, %s is not a whole day", name, rec.line, csv_get(&rec, ts).p,
                     csv_get(&rec, dt).p);
    }
    csv_close(&r);
    return rows;
}

static void test_export_times_are_days(void **state)
{
    /* Every time in an export is the day (midnight UTC), so nobody's contribution or vote can
     * be matched to the second they were seen typing; and rows within a day are not ordered
     * by the time they came, which would say the same. */
    static const int64_t day = 20000 * INT64_C(86400); /* Fri Oct 04 2024 */
    struct buf out[NEXPORTS], want = BUF_INIT;
    int64_t ex, prompt, pa, pb, c1, c2;
    json_t *root;
    (void)state;
    ex = new_exercise("Times", "", day + 3600 + 17, &prompt);
    pa = new_person(ex, "", "", "");
    pb = new_person(ex, "", "", "");
    c1 = new_contrib(ex, prompt, pa, "Early", "approved", 0, day + 36000 + 41);
    c2 = new_contrib(ex, prompt, pb, "Late", "approved", 0, day + 86399);
    assert_int_equal(db_run(db, "UPDATE listen_contributions SET updated_at = $2 WHERE id = $1",
                            "ii", c1, day + 2 * 86400 + 5),
                     APP_OK);
    /* pb votes before pa on c1; the next day pa votes on c2 */
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c1, pb, (int64_t)1, day + 40000, day + 40000), APP_OK);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c1, pa, (int64_t)-1, day + 50000, day + 50001), APP_OK);
    assert_int_equal(
        db_run(db, sql_ins_vote, "iiiii", c2, pa, (int64_t)0, day + 86400 + 7, day + 86400 + 9),
        APP_OK);
    for (int i = 0; i < NEXPORTS; i++)
        export_to(all_exports[i], ex, &out[i]);
    assert_int_equal(check_csv_days(&out[1], "comments.csv"), 2);
    assert_int_equal(check_csv_days(&out[2], "votes.csv"), 3);
    buf_printf(&want,
               "timestamp,datetime,comment-id,voter-id,vote\n"
               "1728000000000,Fri Oct 04 00:00:00 UTC 2024,%" PRId64 ",0,-1\n"
               "1728000000000,Fri Oct 04 00:00:00 UTC 2024,%" PRId64 ",1,1\n"
               "1728086400000,Sat Oct 05 00:00:00 UTC 2024,%" PRId64 ",0,0\n",
               c1, c1, c2);
    assert_string_equal(out[2].data, want.data);
    root = json_loads(out[4].data, 0, NULL);
    assert_non_null(root);
    check_days(root, NULL);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(root, "exercise"), "created_at")), day);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(root, "contributions"), 0), "updated_at")),
                     day + 2 * 86400);
    json_decref(root);
    for (int i = 0; i < NEXPORTS; i++)
        buf_free(&out[i]);
    buf_free(&want);
}

static void test_export_formulas_neutralised(void **state)
{
    /* What people typed never reaches a spreadsheet as a formula: a comment body, a topic or
     * a description starting with = + - @, a tab or a carriage return is written with a
     * leading single quote, and an import takes the quote off again. */
    static const char *const evil[] = {"=HYPERLINK(\"http://x\",\"y\")",
                                       "+cmd|' /C calc'!A0",
                                       "@SUM(1+1)",
                                       "-2+3",
                                       "\t=1+1",
                                       "\r=1+1"};
    (void)state;
    for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
        struct buf summary, comments, votes, pv, quoted = BUF_INIT, redacted = BUF_INIT;
        unsigned kinds = 0;
        struct csv_reader r;
        struct csv_record rec;
        struct polis_files f;
        struct import_report rep;
        struct db_stmt *st = NULL;
        int64_t ex, ex2 = 0, prompt, p;
        bool got, topic = false, description = false;
        ex = new_exercise(evil[i], evil[i], 86400, &prompt);
        p = new_person(ex, "", "", "");
        new_contrib(ex, prompt, p, evil[i], "approved", 0, 86400);
        buf_printf(&quoted, "'%s", evil[i]);
        assert_int_equal(redact_text(evil[i], strlen(evil[i]), &redacted, &kinds), APP_OK);
        buf_putc(&redacted, '\0');
        export_to(listen_export_summary, ex, &summary);
        export_to(listen_export_comments, ex, &comments);
        export_to(listen_export_votes, ex, &votes);
        export_to(listen_export_participants_votes, ex, &pv);
        csv_open(&r, summary.data, summary.len);
        while (csv_next(&r, &rec, &got, NULL, 0) == APP_OK && got) {
            if (str_eq_cstr(csv_get(&rec, 0), "topic")) {
                assert_string_equal(csv_get(&rec, 1).p, quoted.data);
                topic = true;
            } else if (str_eq_cstr(csv_get(&rec, 0), "conversation-description")) {
                assert_string_equal(csv_get(&rec, 1).p, quoted.data);
                description = true;
            }
        }
        csv_close(&r);
        assert_true(topic && description);
        csv_open(&r, comments.data, comments.len);
        assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
        assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
        assert_true(got);
        assert_string_equal(csv_get(&rec, 7).p, quoted.data);
        csv_close(&r);
        /* back in through an import, the text is what was typed */
        f = (struct polis_files){{summary.data, summary.len},
                                 {comments.data, comments.len},
                                 {votes.data, votes.len},
                                 {pv.data, pv.len}};
        assert_int_equal(listen_import_polis(db, &f, "", 0, &ex2, &rep), APP_OK);
        assert_int_equal(db_row(db,
                                "SELECT e.title, c.body FROM listen_exercises e JOIN "
                                "listen_contributions c ON c.exercise_id = e.id WHERE e.id = $1",
                                &st, "i", ex2),
                         APP_OK);
        assert_string_equal(db_col_text(st, 0), evil[i]);
        assert_string_equal(db_col_text(st, 1), redacted.data); /* an import redacts */
        db_finalize(st);
        buf_free(&summary);
        buf_free(&comments);
        buf_free(&votes);
        buf_free(&pv);
        buf_free(&quoted);
        buf_free(&redacted);
    }
}

static void test_out_of_memory(void **state)
{
    /* Memory running out at any allocation of an import or export gives APP_E_NOMEM, leaves
     * no rows behind and leaks nothing (the ASan build checks that). */
    static const char votes[] = VH "1,x,0,5,1\n2,x,1,5,-1\n3,x,0,6,0\n";
    struct polis_files f = {slice("topic,T\n"), slice(CH C1 C2), slice(votes), {NULL, 0}};
    struct import_report rep;
    int64_t before[NTABLES], after[NTABLES], ex = 0;
    long n;
    int rc = APP_E_NOMEM;
    (void)state;
    count_rows(before);
    for (n = 1; rc == APP_E_NOMEM && n < 1000; n++) {
        arena_fail_after(n);
        rc = listen_import_polis(db, &f, NULL, 0, &ex, &rep);
        arena_fail_after(0);
        if (rc == APP_E_NOMEM) {
            count_rows(after);
            assert_same_rows(before, after);
            assert_int_equal(ex, 0);
            assert_true(rep.nerrors >= 1);
        }
    }
    assert_int_equal(rc, APP_OK);
    assert_true(n > 5); /* it did fail a few times first */
    rc = APP_E_NOMEM;
    for (n = 1; rc == APP_E_NOMEM && n < 1000; n++) {
        struct buf out = BUF_INIT;
        arena_fail_after(n);
        rc = listen_export_json(db, ex, &out);
        arena_fail_after(0);
        buf_free(&out);
    }
    assert_int_equal(rc, APP_OK);
    assert_true(n > 3);
}

/* ---- generic survey CSV ---- */

static const char survey[] =
    "\xEF\xBB\xBF"
    "Respondent,Which best describes you?,Your profession,NHS region,What matters most to you?\r\n"
    "1,Member of the public,,London,\"Shorter waits, and being listened to.\"\r\n"
    "2,Allied Health Professional,Physiotherapist,north-west,\"Time for CPD.\r\nAnd "
    "supervision.\"\r\n"
    "3,AHP,,Nowhere,   \r\n"
    "4,Other health and care staff,DIETITIAN,South West,Email me at jo.bloggs@example.com "
    "please\r\n"
    "5,Martian,Wizard,Mars,A view from elsewhere\r\n"
    "6,citizen\r\n";

static void test_csv_import(void **state)
{
    static const char sql_rows[] =
        "SELECT p.pseudonym, p.audience, p.profession, p.region, c.body, c.status, "
        "COALESCE(c.original, ''), c.redactions, p.token_hash IS NULL "
        "FROM listen_contributions c JOIN listen_participants p ON p.id = c.participant_id "
        "WHERE c.exercise_id = $1 ORDER BY c.id";
    static const char *const want[][8] = {
        {"row-1", "citizen", "", "london", "Shorter waits, and being listened to.", "approved", "",
         ""},
        {"row-2", "ahp", "physiotherapist", "north-west", "Time for CPD.\r\nAnd supervision.",
         "approved", "", ""},
        {"row-4", "staff", "dietitian", "south-west", NULL, "approved",
         "Email me at jo.bloggs@example.com please", NULL},
        {"row-5", "", "", "", "A view from elsewhere", "approved", "", ""},
    };
    struct csv_import_opts o = {" what matters most to you? ", "which best describes you?",
                                "Your Profession", "nhs region", "Survey 2025"};
    struct import_report rep;
    struct db_stmt *st = NULL;
    struct buf js = BUF_INIT;
    int64_t ex = 0, before[NTABLES], after[NTABLES];
    size_t i = 0;
    int rc;
    (void)state;
    count_rows(before);
    rc = listen_import_csv(db, survey, sizeof survey - 1, &o, facilitator, &ex, &rep);
    if (rc)
        fail_msg("%s: %s", app_err_name(rc), rep.nerrors ? rep.errors[0] : "");
    assert_int_equal(rep.comments, 4);
    assert_int_equal(rep.participants, 4);
    assert_int_equal(rep.votes, 0);
    assert_int_equal(rep.skipped, 2); /* row 3 is blank text, row 6 has no text cell */
    count_rows(after);
    assert_int_equal(after[3] - before[3], 4);
    assert_int_equal(after[2] - before[2], 4);

    assert_int_equal(db_prepare_bind(db, sql_rows, &st, "i", ex), APP_OK);
    while ((rc = db_step(st)) == DB_ROW) {
        assert_true(i < 4);
        for (int k = 0; k < 8; k++) {
            if (k == 4 && !want[i][4]) { /* redacted */
                assert_null(strstr(db_col_text(st, 4), "jo.bloggs"));
                assert_non_null(strstr(db_col_text(st, 4), "Email me at "));
                continue;
            }
            if (k == 7 && !want[i][7]) {
                assert_string_equal(db_col_text(st, 7), redact_kind_name(REDACT_EMAIL));
                continue;
            }
            if (strcmp(db_col_text(st, k), want[i][k]))
                fail_msg("row %zu column %d: \"%s\", want \"%s\"", i, k, db_col_text(st, k),
                         want[i][k]);
        }
        assert_int_equal(db_col_int(st, 8), 1);
        i++;
    }
    assert_int_equal(rc, DB_DONE);
    assert_int_equal(i, 4);
    db_finalize(st);
    assert_int_equal(db_row(db,
                            "SELECT e.title, p.text, e.status FROM listen_exercises e "
                            "JOIN listen_prompts p ON p.exercise_id = e.id WHERE e.id = $1",
                            &st, "i", ex),
                     APP_OK);
    assert_string_equal(db_col_text(st, 0), "Survey 2025");
    assert_string_equal(db_col_text(st, 1), "What matters most to you?");
    assert_string_equal(db_col_text(st, 2), "closed");
    db_finalize(st);

    /* Exports never carry the original; this exercise has no Pol.is attribution. */
    export_to(listen_export_json, ex, &js);
    assert_null(strstr(js.data, "jo.bloggs"));
    assert_null(strstr(js.data, "\"original\""));
    assert_null(strstr(js.data, "\"attribution\""));
    assert_non_null(strstr(js.data, "\"redactions\":\"email address\""));
    buf_free(&js);
    export_to(listen_export_comments, ex, &js);
    assert_null(strstr(js.data, "jo.bloggs"));
    buf_free(&js);
}

static void test_csv_import_errors(void **state)
{
    struct csv_import_opts o = {"Answer", NULL, NULL, NULL, NULL};
    struct import_report rep;
    int64_t before[NTABLES], after[NTABLES], ex;
    (void)state;
    count_rows(before);
    assert_int_equal(listen_import_csv(db, survey, sizeof survey - 1, &o, 0, &ex, &rep),
                     APP_E_INVALID);
    assert_string_equal(rep.errors[0],
                        "line 1: there is no text column \"Answer\"; the columns are: "
                        "\"Respondent\", \"Which best describes you?\", \"Your profession\", "
                        "\"NHS region\", \"What matters most to you?\"");
    o = (struct csv_import_opts){"What matters most to you?", "Role", NULL, NULL, NULL};
    assert_int_equal(listen_import_csv(db, survey, sizeof survey - 1, &o, 0, &ex, &rep),
                     APP_E_INVALID);
    assert_non_null(strstr(rep.errors[0], "there is no audience column \"Role\""));
    o = (struct csv_import_opts){NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(listen_import_csv(db, survey, sizeof survey - 1, &o, 0, &ex, &rep),
                     APP_E_INVALID);
    /* A broken row half way: nothing from the good rows before it is kept. */
    {
        static const char broken[] = "id,text\n1,fine\n2,also fine\n3,\"broken\n4,x\n";
        o = (struct csv_import_opts){"text", NULL, NULL, NULL, NULL};
        assert_int_equal(listen_import_csv(db, broken, sizeof broken - 1, &o, 0, &ex, &rep),
                         APP_E_INVALID);
        assert_string_equal(rep.errors[0], "line 4: unterminated quoted field");
    }
    {
        static const char wide[] = "id,text\n1,fine\n2,too,wide\n";
        assert_int_equal(listen_import_csv(db, wide, sizeof wide - 1, &o, 0, &ex, &rep),
                         APP_E_INVALID);
        assert_string_equal(rep.errors[0], "line 3: 3 fields where the header has 2");
    }
    {
        static const char blank[] = "id,text\n1,\n2,  \n";
        assert_int_equal(listen_import_csv(db, blank, sizeof blank - 1, &o, 0, &ex, &rep),
                         APP_E_INVALID);
        assert_string_equal(rep.errors[0], "no row has any text in the column \"text\"");
    }
    assert_int_equal(listen_import_csv(db, "", 0, &o, 0, &ex, &rep), APP_E_INVALID);
    assert_string_equal(rep.errors[0], "the file is empty");
    count_rows(after);
    assert_same_rows(before, after);
}

static void test_csv_round_trip(void **state)
{
    /* An exercise that did not come from Pol.is (no source ids, pseudonyms that are not
     * numbers) round-trips too, once it has been through the Pol.is format. */
    static const export_fn fns[] = {listen_export_comments, listen_export_votes,
                                    listen_export_participants_votes};
    struct csv_import_opts o = {"What matters most to you?", NULL, NULL, NULL, NULL};
    struct import_report rep;
    struct buf first[3], second[3];
    struct polis_files f;
    int64_t ex, ex2;
    (void)state;
    assert_int_equal(listen_import_csv(db, survey, sizeof survey - 1, &o, 0, &ex, &rep), APP_OK);
    for (int i = 0; i < 3; i++)
        export_to(fns[i], ex, &first[i]);
    f = (struct polis_files){{NULL, 0},
                             {first[0].data, first[0].len},
                             {first[1].data, first[1].len},
                             {first[2].data, first[2].len}};
    assert_int_equal(listen_import_polis(db, &f, NULL, 0, &ex2, &rep), APP_OK);
    assert_int_equal(rep.comments, 4);
    assert_int_equal(rep.participants, 4);
    for (int i = 0; i < 3; i++) {
        export_to(fns[i], ex2, &second[i]);
        assert_int_equal(first[i].len, second[i].len);
        assert_memory_equal(first[i].data, second[i].data, first[i].len);
        buf_free(&first[i]);
        buf_free(&second[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_seattle),
        cmocka_unit_test(test_import_title_and_pv_only),
        cmocka_unit_test(test_export_formats),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_export_rules),
        cmocka_unit_test(test_export_shown_only),
        cmocka_unit_test(test_export_attributes_need_a_crowd),
        cmocka_unit_test(test_export_times_are_days),
        cmocka_unit_test(test_export_formulas_neutralised),
        cmocka_unit_test(test_malformed_polis),
        cmocka_unit_test(test_malformed_fixture),
        cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_last_vote_wins),
        cmocka_unit_test(test_fault_rolls_back),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_csv_import),
        cmocka_unit_test(test_csv_import_errors),
        cmocka_unit_test(test_csv_round_trip),
    };
    return cmocka_run_group_tests_name("listen/transfer", tests, setup, teardown);
}
