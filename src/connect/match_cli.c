/* match_cli.c: `ahphub match` — profiles or scores from CSV files, an optimal assignment out
 *
 * The command reads whole files, builds the matcher's problem (match.h) and writes CSV with
 * the project's writer. Mentees and mentors are numbered in the order of their ids, so the
 * assignment, ties included, does not depend on the order of rows in the files; output rows
 * follow the mentees' order in the input, which is what a lead expects to see.
 *
 * Every message about the input names the file and line. Exit status: 0 done, 2 bad usage
 * or input, 1 anything else (out of memory, a file that cannot be written).
 */
#include "connect/match_cli.h"
#include "connect/match.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/csv.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_INPUT 2
#define EXIT_FAIL  1

static void usage(FILE *f)
{
    fputs("usage: ahphub match --mentees FILE --mentors FILE [--out FILE] [--alternatives FILE]\n"
          "       ahphub match --scores FILE [--capacity FILE]\n",
          f);
}

/* The whole file in the arena, NUL-terminated; NULL after printing why not. */
static char *read_all(struct arena *a, const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    struct buf b = BUF_INIT;
    char chunk[65536], *out = NULL;
    size_t got;
    if (!f) {
        fprintf(stderr, "ahphub match: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, got);
    if (ferror(f))
        fprintf(stderr, "ahphub match: cannot read %s: %s\n", path, strerror(errno));
    else if (buf_oom(&b) || !(out = arena_strndup(a, b.data ? b.data : "", b.len)))
        fprintf(stderr, "ahphub match: out of memory reading %s\n", path);
    else
        *n = b.len;
    fclose(f);
    buf_free(&b);
    return out;
}

/* Writes b to path, or to standard output when path is NULL. 0, or EXIT_FAIL after saying
 * why. */
static int write_out(const char *path, const struct buf *b)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    int rc = 0;
    if (!f || (b->len && fwrite(b->data, 1, b->len, f) != b->len))
        rc = EXIT_FAIL;
    if (path && f && fclose(f) != 0)
        rc = EXIT_FAIL;
    if (!path && fflush(stdout) != 0)
        rc = EXIT_FAIL;
    if (rc)
        fprintf(stderr, "ahphub match: cannot write %s\n", path ? path : "the output");
    return rc;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* ids sorted and without repeats: the canonical numbering */
static size_t unique_sorted(const char **ids, size_t n)
{
    size_t k = 0;
    if (n)
        qsort(ids, n, sizeof *ids, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (!k || strcmp(ids[k - 1], ids[i]) != 0)
            ids[k++] = ids[i];
    return k;
}

static uint32_t index_of(const char **ids, size_t n, const char *id)
{
    const char **hit = bsearch(&id, ids, n, sizeof *ids, cmp_str);
    return hit ? (uint32_t)(hit - ids) : UINT32_MAX;
}

static void summary(const struct match_result *r, size_t m)
{
    char t[32];
    fprintf(stderr, "ahphub match: matched %zu of %zu mentees, total score %s\n", r->matched, m,
            match_format_score(r->total, t, sizeof t));
}

/* ---- --scores FILE [--capacity FILE] ---------------------------------------------------- */

struct score_row {
    const char *mentee, *mentor;
    int64_t score;
    size_t line;
    uint32_t i, j;
};

static int by_pair(const void *x, const void *y)
{
    const struct score_row *a = x, *b = y;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* True when the score text s, read as v thousandths, had more than three decimals that
 * were not zeros (so v is rounded). s is a number match_parse_score() took: |value| ≤ 10^4,
 * so value · 1000 is within 10^7 of zero and a double holds it to far better than 10^-6. */
static bool rounded(const char *s, int64_t v)
{
    return fabs(strtod(s, NULL) * MATCH_SCALE - (double)v) > 1e-6;
}

/* Reads the rows mentee,mentor,score into arena copies; a first row whose score is not a
 * number is a header. *nrounded counts the scores rounded to thousandths. */
static int read_scores(struct arena *a, const char *file, struct score_row **rows, size_t *n,
                       size_t *nrounded)
{
    struct csv_reader rd;
    struct csv_record rec;
    size_t len = 0, cap = 0;
    char *data = read_all(a, file, &len), err[200] = "";
    bool got, first = true;
    int rc = EXIT_INPUT;
    *rows = NULL;
    *n = 0;
    if (!data)
        return EXIT_INPUT;
    csv_open(&rd, data, len);
    while (csv_next(&rd, &rec, &got, err, sizeof err) == APP_OK && got) {
        struct score_row *r;
        struct str sc = str_trim(csv_get(&rec, 2));
        char *scs = arena_strndup(a, sc.p ? sc.p : "", sc.len);
        int64_t v;
        if (!scs)
            goto nomem;
        if (first && rec.nfields == 3 && !match_parse_score(scs, &v)) {
            first = false; /* a header: its score column is not a number */
            continue;
        }
        first = false;
        if (rec.nfields != 3) {
            fprintf(stderr, "%s:%zu: expected 3 fields (mentee,mentor,score), found %zu\n", file,
                    rec.line, rec.nfields);
            goto done;
        }
        if (!match_parse_score(scs, &v)) {
            fprintf(stderr, "%s:%zu: score \"%s\" is not a number from -10000 to 10000\n", file,
                    rec.line, scs);
            goto done;
        }
        if (!(*rows = arena_grow(a, *rows, *n + 1, &cap, sizeof **rows)))
            goto nomem;
        r = &(*rows)[*n];
        r->mentee = str_dup(a, str_trim(rec.fields[0]));
        r->mentor = str_dup(a, str_trim(rec.fields[1]));
        r->score = v;
        r->line = rec.line;
        *nrounded += rounded(scs, v);
        if (!r->mentee || !r->mentor)
            goto nomem;
        if (!*r->mentee || !*r->mentor) {
            fprintf(stderr, "%s:%zu: the %s id is empty\n", file, rec.line,
                    *r->mentee ? "mentor" : "mentee");
            goto done;
        }
        (*n)++;
    }
    if (err[0]) {
        fprintf(stderr, "%s:%s\n", file, err + (strncmp(err, "line ", 5) ? 0 : 5));
        goto done;
    }
    rc = 0;
    goto done;
nomem:
    fprintf(stderr, "ahphub match: out of memory\n");
    rc = EXIT_FAIL;
done:
    csv_close(&rd);
    return rc;
}

/* Fills cap (one per mentor id, default 1) from a file of mentor,capacity rows. */
static int read_capacity(struct arena *a, const char *file, const char **mentors, size_t n,
                         uint32_t *cap)
{
    struct csv_reader rd;
    struct csv_record rec;
    size_t len = 0, *seen = arena_calloc(a, n ? n : 1, sizeof *seen);
    char *data = seen ? read_all(a, file, &len) : NULL, err[200] = "";
    bool got, first = true;
    int rc = EXIT_INPUT;
    if (!data)
        return seen ? EXIT_INPUT : EXIT_FAIL;
    csv_open(&rd, data, len);
    while (csv_next(&rd, &rec, &got, err, sizeof err) == APP_OK && got) {
        struct str id = str_trim(csv_get(&rec, 0)), cs = str_trim(csv_get(&rec, 1));
        char *ids = str_dup(a, id);
        int64_t c;
        uint32_t j;
        bool num = parse_int64(cs, &c);
        if (!ids) {
            fprintf(stderr, "ahphub match: out of memory\n");
            rc = EXIT_FAIL;
            goto done;
        }
        if (first && rec.nfields == 2 && !num) {
            first = false;
            continue;
        }
        first = false;
        if (rec.nfields != 2) {
            fprintf(stderr, "%s:%zu: expected 2 fields (mentor,capacity), found %zu\n", file,
                    rec.line, rec.nfields);
            goto done;
        }
        if (!*ids) {
            fprintf(stderr, "%s:%zu: the mentor id is empty\n", file, rec.line);
            goto done;
        }
        if (!num || c < 0 || c > MATCH_CAPACITY_MAX) {
            fprintf(stderr, "%s:%zu: capacity \"%.*s\" is not a whole number from 0 to %d\n", file,
                    rec.line, (int)cs.len, cs.p ? cs.p : "", MATCH_CAPACITY_MAX);
            goto done;
        }
        j = index_of(mentors, n, ids);
        if (j == UINT32_MAX)
            continue; /* a mentor nobody may be matched with: nothing to do */
        if (seen[j]) {
            fprintf(stderr, "%s:%zu: mentor \"%s\" already has a capacity on line %zu\n", file,
                    rec.line, ids, seen[j]);
            goto done;
        }
        seen[j] = rec.line;
        cap[j] = (uint32_t)c;
    }
    if (err[0]) {
        fprintf(stderr, "%s:%s\n", file, err + (strncmp(err, "line ", 5) ? 0 : 5));
        goto done;
    }
    rc = 0;
done:
    csv_close(&rd);
    return rc;
}

struct seen {
    size_t line;
    uint32_t i;
};

static int by_line(const void *x, const void *y)
{
    const struct seen *a = x, *b = y;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int run_scores(struct arena *a, const char *scores, const char *capfile)
{
    struct score_row *rows;
    struct match_pair *pairs;
    struct match_result r = {0};
    struct buf out = BUF_INIT;
    struct csv_writer w;
    const char **mentees, **mentors;
    size_t nrows, m, n, *first_line, nrounded = 0;
    uint32_t *cap, *order;
    char t[32];
    int rc = read_scores(a, scores, &rows, &nrows, &nrounded);
    if (rc)
        return rc;
    rc = EXIT_FAIL;
    mentees = arena_alloc(a, (nrows ? nrows : 1) * sizeof *mentees);
    mentors = arena_alloc(a, (nrows ? nrows : 1) * sizeof *mentors);
    pairs = arena_alloc(a, (nrows ? nrows : 1) * sizeof *pairs);
    if (!mentees || !mentors || !pairs)
        goto nomem;
    for (size_t e = 0; e < nrows; e++) {
        mentees[e] = rows[e].mentee;
        mentors[e] = rows[e].mentor;
    }
    m = unique_sorted(mentees, nrows);
    n = unique_sorted(mentors, nrows);
    cap = arena_alloc(a, (n ? n : 1) * sizeof *cap);
    first_line = arena_alloc(a, (m ? m : 1) * sizeof *first_line);
    order = arena_alloc(a, (m ? m : 1) * sizeof *order);
    if (!cap || !first_line || !order)
        goto nomem;
    for (size_t j = 0; j < n; j++)
        cap[j] = 1;
    for (size_t i = 0; i < m; i++)
        first_line[i] = SIZE_MAX;
    for (size_t e = 0; e < nrows; e++) {
        rows[e].i = index_of(mentees, m, rows[e].mentee);
        rows[e].j = index_of(mentors, n, rows[e].mentor);
        if (rows[e].line < first_line[rows[e].i])
            first_line[rows[e].i] = rows[e].line;
    }
    qsort(rows, nrows, sizeof *rows, by_pair);
    for (size_t e = 0; e < nrows; e++) {
        if (e && rows[e].i == rows[e - 1].i && rows[e].j == rows[e - 1].j) {
            fprintf(stderr, "%s:%zu: the pair %s,%s is already given on line %zu\n", scores,
                    rows[e].line, rows[e].mentee, rows[e].mentor, rows[e - 1].line);
            return EXIT_INPUT;
        }
        pairs[e] = (struct match_pair){rows[e].i, rows[e].j, rows[e].score};
    }
    if (capfile && (rc = read_capacity(a, capfile, mentors, n, cap)))
        return rc;
    rc = EXIT_FAIL;
    {
        struct match_problem p = {m, n, cap, pairs, nrows};
        int err = match_solve(&p, &r);
        if (err) {
            fprintf(stderr, "ahphub match: the assignment could not be computed (%s)\n",
                    app_err_name(err));
            goto done;
        }
    }
    /* rows in the order mentees first appear in the file: by that line */
    {
        struct seen *sv = arena_alloc(a, (m ? m : 1) * sizeof *sv);
        if (!sv)
            goto nomem;
        for (size_t i = 0; i < m; i++)
            sv[i] = (struct seen){first_line[i], (uint32_t)i};
        if (m)
            qsort(sv, m, sizeof *sv, by_line);
        for (size_t i = 0; i < m; i++)
            order[i] = sv[i].i;
    }
    csv_writer_init(&w, &out);
    for (size_t k = 0; k < m; k++) {
        uint32_t i = order[k];
        if (r.mentor[i] < 0)
            continue;
        csv_write_text(&w, mentees[i]);
        csv_write_text(&w, mentors[r.mentor[i]]);
        csv_write_cstr(&w, match_format_score(r.score[i], t, sizeof t));
        csv_end_row(&w);
    }
    csv_write_cstr(&w, "total");
    csv_write_cstr(&w, match_format_score(r.total, t, sizeof t));
    csv_end_row(&w);
    if (buf_oom(&out))
        goto nomem;
    if ((rc = write_out(NULL, &out)))
        goto done;
    summary(&r, m);
    if (nrounded)
        fprintf(stderr,
                "ahphub match: %zu score%s had more than three decimals, rounded to the nearest "
                "0.001; the assignment is optimal for the scores as rounded and printed\n",
                nrounded, nrounded == 1 ? "" : "s");
    for (size_t k = 0; k < m; k++)
        if (r.mentor[order[k]] < 0)
            fprintf(stderr, "  unmatched %s: %s\n", mentees[order[k]],
                    match_reason_text(r.reason[order[k]]));
    rc = 0;
    goto done;
nomem:
    fprintf(stderr, "ahphub match: out of memory\n");
    rc = EXIT_FAIL;
done:
    match_result_free(&r);
    buf_free(&out);
    return rc;
}

/* ---- --mentees FILE --mentors FILE ------------------------------------------------------ */

static int by_person_id(const void *x, const void *y)
{
    const struct score_person *const *a = x, *const *b = y;
    return strcmp((*a)->id, (*b)->id);
}

/* The reason for an unmatched mentee; for "no allowed mentor", how many mentors each rule
 * ruled out, so the lead knows what to relax. */
static void reason_text(struct buf *b, enum match_reason why, const size_t *ruled)
{
    const char *sep = " (";
    buf_puts(b, match_reason_text(why));
    if (why != MATCH_NO_PAIR)
        return;
    for (int k = SCORE_SAME_PERSON; k < SCORE_RULE_COUNT; k++)
        if (ruled[k]) {
            buf_printf(b, "%s%s: %zu", sep, score_rule_text((enum score_rule)k), ruled[k]);
            sep = "; ";
        }
    if (*sep == ';')
        buf_putc(b, ')');
}

static int run_profiles(struct arena *a, const char *fe, const char *fo, const char *outfile,
                        const char *altfile)
{
    static const char *const head[] = {"mentee_id",   "mentee_name", "mentor_id",
                                       "mentor_name", "score",       "why"};
    static const char *const ahead[] = {"mentee_id",   "mentee_name", "rank", "mentor_id",
                                        "mentor_name", "score",       "why"};
    struct score_people es, os;
    struct score_person **e, **o;
    struct match_pair *pairs = NULL;
    struct match_result r = {0};
    struct buf out = BUF_INIT, alt = BUF_INIT, why = BUF_INIT;
    struct csv_writer w, wa;
    size_t len, npairs = 0, pcap = 0, *ruled, *pos;
    uint32_t *cap;
    char *data, err[512], t[32];
    int rc = EXIT_INPUT, e_rc;

    if (!(data = read_all(a, fe, &len)))
        return EXIT_INPUT;
    if ((e_rc = score_read_people(a, false, fe, data, len, &es, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return e_rc == APP_E_INVALID ? EXIT_INPUT : EXIT_FAIL;
    }
    if (!(data = read_all(a, fo, &len)))
        return EXIT_INPUT;
    if ((e_rc = score_read_people(a, true, fo, data, len, &os, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return e_rc == APP_E_INVALID ? EXIT_INPUT : EXIT_FAIL;
    }
    rc = EXIT_FAIL;
    /* canonical numbering: by id */
    e = arena_alloc(a, (es.n ? es.n : 1) * sizeof *e);
    o = arena_alloc(a, (os.n ? os.n : 1) * sizeof *o);
    cap = arena_alloc(a, (os.n ? os.n : 1) * sizeof *cap);
    pos = arena_alloc(a, (es.n ? es.n : 1) * sizeof *pos);
    ruled = arena_calloc(a, (es.n ? es.n : 1) * SCORE_RULE_COUNT, sizeof *ruled);
    if (!e || !o || !cap || !pos || !ruled)
        goto nomem;
    for (size_t i = 0; i < es.n; i++)
        e[i] = &es.p[i];
    for (size_t j = 0; j < os.n; j++)
        o[j] = &os.p[j];
    if (es.n)
        qsort(e, es.n, sizeof *e, by_person_id);
    if (os.n)
        qsort(o, os.n, sizeof *o, by_person_id);
    for (size_t i = 0; i < es.n; i++)
        pos[e[i] - es.p] = i; /* file row → canonical index */
    for (size_t j = 0; j < os.n; j++)
        cap[j] = o[j]->capacity;
    for (size_t i = 0; i < es.n; i++)
        for (size_t j = 0; j < os.n; j++) {
            int64_t s;
            enum score_rule rule = score_pair(e[i], o[j], &s);
            ruled[i * SCORE_RULE_COUNT + rule]++;
            if (rule != SCORE_ALLOWED)
                continue;
            if (!(pairs = arena_grow(a, pairs, npairs + 1, &pcap, sizeof *pairs)))
                goto nomem;
            pairs[npairs++] = (struct match_pair){(uint32_t)i, (uint32_t)j, s};
        }
    {
        struct match_problem p = {es.n, os.n, cap, pairs, npairs};
        int err2 = match_solve(&p, &r);
        if (err2) {
            fprintf(stderr, "ahphub match: the assignment could not be computed (%s)\n",
                    app_err_name(err2));
            goto done;
        }
    }
    csv_writer_init(&w, &out);
    csv_writer_init(&wa, &alt);
    for (size_t k = 0; k < 6; k++)
        csv_write_cstr(&w, head[k]);
    csv_end_row(&w);
    for (size_t k = 0; k < 7; k++)
        csv_write_cstr(&wa, ahead[k]);
    csv_end_row(&wa);
    for (size_t f = 0; f < es.n; f++) {
        size_t i = pos[f];
        const struct score_person *me = e[i];
        buf_reset(&why);
        csv_write_text(&w, me->id);
        csv_write_text(&w, me->name);
        if (r.mentor[i] >= 0) {
            const struct score_person *mo = o[r.mentor[i]];
            csv_write_text(&w, mo->id);
            csv_write_text(&w, mo->name);
            csv_write_cstr(&w, match_format_score(r.score[i], t, sizeof t));
            score_why(me, mo, &why);
        } else {
            csv_write_cstr(&w, "");
            csv_write_cstr(&w, "");
            csv_write_cstr(&w, "");
            buf_puts(&why, "unmatched: ");
            reason_text(&why, r.reason[i], &ruled[i * SCORE_RULE_COUNT]);
        }
        csv_write_text(&w, why.data ? why.data : "");
        csv_end_row(&w);
        for (size_t k = 0; k < r.nalt[i]; k++) {
            const struct match_alt *x = &r.alt[i * MATCH_ALTERNATIVES + k];
            buf_reset(&why);
            score_why(me, o[x->mentor], &why);
            csv_write_text(&wa, me->id);
            csv_write_text(&wa, me->name);
            csv_write_int(&wa, (int64_t)k + 1);
            csv_write_text(&wa, o[x->mentor]->id);
            csv_write_text(&wa, o[x->mentor]->name);
            csv_write_cstr(&wa, match_format_score(x->score, t, sizeof t));
            csv_write_text(&wa, why.data ? why.data : "");
            csv_end_row(&wa);
        }
    }
    if (buf_oom(&out) || buf_oom(&alt) || buf_oom(&why))
        goto nomem;
    if ((rc = write_out(outfile, &out)) || (altfile && (rc = write_out(altfile, &alt))))
        goto done;
    summary(&r, es.n);
    for (size_t f = 0; f < es.n; f++) {
        size_t i = pos[f];
        if (r.mentor[i] >= 0)
            continue;
        buf_reset(&why);
        reason_text(&why, r.reason[i], &ruled[i * SCORE_RULE_COUNT]);
        if (buf_oom(&why))
            goto nomem;
        fprintf(stderr, "  unmatched %s: %s\n", e[i]->id, why.data);
    }
    rc = 0;
    goto done;
nomem:
    fprintf(stderr, "ahphub match: out of memory\n");
    rc = EXIT_FAIL;
done:
    match_result_free(&r);
    buf_free(&out);
    buf_free(&alt);
    buf_free(&why);
    return rc;
}

int connect_match_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"mentees", required_argument, NULL, 'e'}, {"mentors", required_argument, NULL, 'o'},
        {"out", required_argument, NULL, 'O'},     {"alternatives", required_argument, NULL, 'A'},
        {"scores", required_argument, NULL, 's'},  {"capacity", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *fe = NULL, *fo = NULL, *out = NULL, *alt = NULL, *sc = NULL, *capf = NULL;
    struct arena *a;
    int ch, rc;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'e':
            fe = optarg;
            break;
        case 'o':
            fo = optarg;
            break;
        case 'O':
            out = optarg;
            break;
        case 'A':
            alt = optarg;
            break;
        case 's':
            sc = optarg;
            break;
        case 'c':
            capf = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_INPUT;
        }
    }
    if (optind < argc || (sc && (fe || fo || out || alt)) || (!sc && (!fe || !fo || capf))) {
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!(a = arena_new())) {
        fprintf(stderr, "ahphub match: out of memory\n");
        return EXIT_FAIL;
    }
    rc = sc ? run_scores(a, sc, capf) : run_profiles(a, fe, fo, out, alt);
    arena_free(a);
    return rc;
}
