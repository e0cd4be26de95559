/* cv_test.c: tests for the non-medical CV (src/develop/cv.c and its three writers)
 *
 * The CV is built from entries in memory, then each download is read back by a real reader:
 * the PDF by poppler (`pdfinfo` says it is tagged, `pdfinfo -struct-text` dumps its
 * structure in reading order, `pdftotext` its words), the Word document by pandoc (to
 * Markdown, where Word's heading styles become #-headings and the Title style the document's
 * title, and to plain text), and JSON Resume by a validator written from the JSON Resume
 * schema (jsonresume.org/schema, resume-schema v1.0.0): the network is not reachable from
 * the tests, so the schema's rules for the sections we write and the ones we do not —
 * top-level properties (no others allowed), each section an array of objects, every field's
 * type, ISO 8601 dates by the schema's own pattern, arrays of strings — are copied here as a
 * table. The validator is itself tested on broken documents, so it cannot pass everything.
 * Tests skip, saying so, where poppler or pandoc is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "develop/cv.h"

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"; /* as tests/lsan.supp says */
}

static struct develop_entry entries[] = {
    {1, 7, "role", "Band 5 speech and language therapist", "Northgate Hospitals", 1536000000,
     1627000000, "Acute and stroke rotations.", "", "", true, 0, 0},
    {2, 7, "role", "Band 6 speech and language therapist", "Riverside Trust", 1630454400, 0,
     "Caseload of 45 children.\n\n- Supervise two therapists\n- Lead the early language "
     "pathway",
     "", "", true, 0, 0},
    {3, 7, "project", "Cutting waits for a first appointment", "Riverside Trust", 1704067200,
     1732924800, "Median wait fell from **18 weeks** to 11 weeks. <b>not html</b>",
     "project-management,quality-improvement", "ahp-clinical-leadership:vision", true, 0, 0},
    {4, 7, "project", "Joint clinics with health visitors", "Local authority", 1680307200,
     1701302400,
     "Agreed aims with three managers.\n\n# What I did\n\n3. Mapped the referrals\n4. Ran the "
     "pilot\n   - weekly huddles\n   - shared notes\n\n## What changed\n\n- Fewer missed "
     "visits\n- A shared plan",
     "stakeholder-engagement", "", true, 0, 0},
    {5, 7, "training", "Mary Seacole Programme", "NHS Leadership Academy", 1706745600, 1722470400,
     "", "", "", true, 0, 0},
    {6, 7, "achievement", "Quality improvement award", "Riverside Trust", 1733011200, 0,
     "Highly commended.", "quality-improvement", "", true, 0, 0},
    {7, 7, "feedback", "What my team said", "360 feedback", 1740787200, 0,
     "Others rated me higher on system thinking.", "leadership", "", true, 0, 0},
    {8, 7, "reflection", "Private reflection", "", 1735689600, 0, "Not for the CV.", "leadership",
     "", false, 0, 0},
    {9, 7, "project", "Online therapy groups", "Riverside Trust", 1651363200, 1675209600,
     "Moved two groups online.\n\n1. Chose a platform\n2. Trained the team", "digital,teaching", "",
     true, 0, 0},
};
#define NENTRIES (sizeof entries / sizeof *entries)

static const struct develop_cv_profile profile = {
    "Speech and language therapist, children's services",
    "I lead improvement in a children's team & want a team lead post.", 0};

static struct develop_cv build(struct arena *a)
{
    struct develop_cv cv;
    assert_int_equal(
        develop_cv_build(a, "Sam Okafor", "sam@example.test", &profile, entries, NENTRIES, &cv), 0);
    return cv;
}

static const struct develop_cv_group *group(const struct develop_cv *cv, const char *code)
{
    for (size_t g = 0; g < DEVELOP_CV_GROUPS; g++)
        if (!strcmp(cv->groups[g].code, code))
            return &cv->groups[g];
    fail();
    return NULL;
}

static void model_groups_entries_by_skill(void **state)
{
    struct arena *a = arena_new();
    struct develop_cv cv;
    const struct develop_cv_group *g;
    (void)state;

    cv = build(a);
    assert_int_equal(cv.nchosen, 8); /* the private reflection is left out */
    /* the career: the current role first */
    assert_int_equal(cv.ncareer, 2);
    assert_string_equal(cv.career[0].entry->title, "Band 6 speech and language therapist");
    assert_string_equal(cv.career[0].dates, "September 2021 to present");
    assert_string_equal(cv.career[1].dates, "September 2018 to July 2021");
    /* each entry under the first of its skills, referred to from the others */
    g = group(&cv, "project-management");
    assert_int_equal(g->n, 1);
    assert_string_equal(g->items[0].entry->title, "Cutting waits for a first appointment");
    assert_string_equal(g->items[0].skill_names, "Project management, Quality improvement");
    /* raw HTML is left out, as the page's Markdown leaves it out */
    assert_string_equal(g->items[0].text, "Median wait fell from 18 weeks to 11 weeks. not html");
    g = group(&cv, "quality-improvement");
    assert_int_equal(g->n, 1);
    assert_string_equal(g->items[0].entry->title, "Quality improvement award");
    assert_int_equal(g->nalso, 1);
    assert_string_equal(g->also[0].item->entry->title, "Cutting waits for a first appointment");
    assert_string_equal(g->also[0].group, "Project management");
    g = group(&cv, "teaching");
    assert_int_equal(g->n, 1);
    g = group(&cv, "digital"); /* shown only by an entry under teaching */
    assert_int_equal(g->n, 0);
    assert_int_equal(g->nalso, 1);
    assert_string_equal(g->also[0].group, "Teaching");
    assert_int_equal(group(&cv, "leadership")->n, 1); /* the feedback */
    assert_int_equal(group(&cv, "research")->n, 0);
    assert_int_equal(group(&cv, "training")->n, 1);
    assert_int_equal(group(&cv, "other")->n, 0);
    /* and its blocks, for the PDF and Word: headings, lists with their numbers and depths */
    g = group(&cv, "stakeholder-engagement");
    {
        const struct develop_cv_item *it = &g->items[0];
        static const struct {
            enum develop_block_kind kind;
            int level, depth, list, number;
            const char *text;
        } want[] = {
            {DEVELOP_BLOCK_PARA, 0, 0, 0, 0, "Agreed aims with three managers."},
            {DEVELOP_BLOCK_HEADING, 1, 0, 0, 0, "What I did"},
            {DEVELOP_BLOCK_ITEM, 0, 0, 1, 3, "Mapped the referrals"},
            {DEVELOP_BLOCK_ITEM, 0, 0, 1, 4, "Ran the pilot"},
            {DEVELOP_BLOCK_ITEM, 0, 1, 2, 0, "weekly huddles"},
            {DEVELOP_BLOCK_ITEM, 0, 1, 2, 0, "shared notes"},
            {DEVELOP_BLOCK_HEADING, 2, 0, 0, 0, "What changed"},
            {DEVELOP_BLOCK_ITEM, 0, 0, 3, 0, "Fewer missed visits"},
            {DEVELOP_BLOCK_ITEM, 0, 0, 3, 0, "A shared plan"},
        };
        assert_int_equal(it->nblocks, sizeof want / sizeof *want);
        for (size_t i = 0; i < it->nblocks; i++) {
            assert_int_equal(it->blocks[i].kind, want[i].kind);
            assert_int_equal(it->blocks[i].level, want[i].level);
            assert_int_equal(it->blocks[i].depth, want[i].depth);
            assert_int_equal(it->blocks[i].list, want[i].list);
            assert_int_equal(it->blocks[i].number, want[i].number);
            assert_int_equal(it->blocks[i].ordered, want[i].number > 0);
            assert_string_equal(it->blocks[i].text, want[i].text);
        }
    }
    /* Markdown becomes plain text with bullets */
    assert_string_equal(cv.career[0].text, "Caseload of 45 children.\n\u2022 Supervise two "
                                           "therapists\n\u2022 Lead the early language pathway");
    arena_free(a);
}

/* ---- readers ---- */

static bool have(const char *tool)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    if (system(cmd) == 0)
        return true;
    fprintf(stderr, "cv_test: %s not found; skipping the test that reads its output\n", tool);
    return false;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    buf_putc(&b, '\0');
    return buf_detach(&b, NULL);
}

/* Runs tool (a format with the input file, then the output file) over the bytes in b, saved
 * with suffix; returns what it wrote (to free). */
static char *read_back(const struct buf *b, const char *suffix, const char *tool)
{
    char in[64], out[80], cmd[400], *s;
    int fd;
    snprintf(in, sizeof in, "/tmp/cv_test-XXXXXX%s", suffix);
    fd = mkstemps(in, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
    close(fd);
    snprintf(out, sizeof out, "%s.out", in);
    snprintf(cmd, sizeof cmd, tool, in, out);
    assert_int_equal(system(cmd), 0);
    s = slurp(out);
    unlink(in);
    unlink(out);
    assert_non_null(s);
    return s;
}

static void in_order(const char *s, const char *const *needles, size_t n)
{
    const char *at = s;
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(at, needles[i]);
        if (!p)
            fprintf(stderr, "not found in order: \"%s\"\n", needles[i]);
        assert_non_null(p);
        at = p + strlen(needles[i]);
    }
}

static void pdf_is_tagged_and_reads_back(void **state)
{
    static const char *const tree[] = {
        "Document", "H1 (block)", "\"Sam Okafor\"", "P (block)",
        "Speech and language therapist, children's services", "H2 (block)", "\"Profile\"",
        "H2 (block)", "\"Clinical career\"", "Table (block)", "TR", "TH", "/Scope /Column",
        "\"Dates\"", "TR", "TD", "H3 (block)", "\"Band 6 speech and language therapist\"",
        "Supervise two therapists", "H2 (block)", "\"Stakeholder engagement\"", "H3 (block)",
        "\"Joint clinics with health visitors\"",
        /* the entry's own headings and lists */
        "H4 (block)", "\"What I did\"", "L (block)", "LI (block)", "Lbl (block)", "\"3.\"",
        "LBody (block)", "\"Mapped the referrals\"", "\"4.\"", "\"Ran the pilot\"",
        "L (block)", /* inside the item's LBody */
        "LI (block)", "\"weekly huddles\"", "H5 (block)", "\"What changed\"", "L (block)",
        "LI (block)", "\"Fewer missed visits\"", "H2 (block)", "\"Project management\"",
        "H2 (block)", "\"Quality improvement\"", "Also showing", "L (block)", "LI (block)",
        "H2 (block)", "\"Training and qualifications\"", "L (block)", "LI (block)",
        "Mary Seacole Programme"};
    struct arena *a = arena_new();
    struct develop_cv cv;
    struct buf b = BUF_INIT;
    char *info, *dump, *text;
    (void)state;

    cv = build(a);
    assert_int_equal(develop_cv_pdf(&cv, 1740787200, &b), 0);
    assert_memory_equal(b.data, "%PDF-", 5);
    if (!have("pdfinfo") || !have("pdftotext")) {
        buf_free(&b);
        arena_free(a);
        skip();
    }
    info = read_back(&b, ".pdf", "pdfinfo %s > %s 2>&1");
    assert_non_null(strstr(info, "Tagged:          yes"));
    assert_non_null(strstr(info, "Title:           Sam Okafor"));
    assert_non_null(strstr(info, "Author:          Sam Okafor"));
    assert_null(strstr(info, "Syntax Error"));
    dump = read_back(&b, ".pdf", "pdfinfo -struct-text %s > %s 2>&1");
    text = read_back(&b, ".pdf", "pdftotext -q -raw -enc UTF-8 %s %s");
    assert_non_null(strstr(text, "Cutting waits for a first appointment"));
    assert_non_null(strstr(text, "Median wait fell from 18 weeks"));
    assert_non_null(strstr(text, "11 weeks. not html"));
    assert_null(strstr(text, "<b>"));
    assert_non_null(strstr(text, "September 2021 to present"));
    assert_null(strstr(text, "Private reflection"));
    /* the structure: headings in order, the career as a table, lists for bullets */
    in_order(dump, tree, sizeof tree / sizeof *tree);
    assert_null(strstr(dump, "Private reflection"));
    /* the language and the title shown, which poppler does not print */
    assert_non_null(memmem(b.data, b.len, "/Lang (en-GB)", 13));
    assert_non_null(memmem(b.data, b.len, "/DisplayDocTitle true", 21));
    free(info);
    free(dump);
    free(text);
    buf_free(&b);
    arena_free(a);
}

static void docx_reads_back_with_headings(void **state)
{
    static const char *const md[] = {
        "title: Sam Okafor", "# Profile", "I lead improvement in a children",
        "team & want a team lead post.", "# Clinical career",
        "Band 6 speech and language therapist", "## Band 6 speech and language therapist",
        "# Stakeholder engagement", "## Joint clinics with health visitors",
        /* the entry's own headings, under its title */
        "\n### What I did\n",
        /* a real numbered list from 3, with a list inside */
        "\n3.  Mapped the referrals\n", "\n4.  Ran the pilot\n", "\n    -   weekly huddles\n",
        "\n    -   shared notes\n", "\n#### What changed\n", "\n-   Fewer missed visits\n",
        "\n-   A shared plan\n", "# Project management", "## Cutting waits for a first appointment",
        "# Quality improvement", "Also showing Quality improvement",
        "\n-   Cutting waits for a first appointment (under",
        /* the next numbered list starts again at 1 */
        "## Online therapy groups", "\n1.  Chose a platform\n", "\n2.  Trained the team\n",
        "# Training and qualifications", "## Mary Seacole Programme"};
    struct arena *a = arena_new();
    struct develop_cv cv;
    struct buf b = BUF_INIT;
    char *markdown, *plain;
    (void)state;

    cv = build(a);
    assert_int_equal(develop_cv_docx(&cv, 1740787200, &b), 0);
    assert_memory_equal(b.data, "PK\x03\x04", 4);
    if (!have("pandoc")) {
        buf_free(&b);
        arena_free(a);
        skip();
    }
    markdown = read_back(&b, ".docx", "pandoc -s -f docx -t markdown --wrap=none %s -o %s");
    in_order(markdown, md, sizeof md / sizeof *md);
    assert_null(strstr(markdown, "Private reflection"));
    /* no list is typed: a bullet or a number as text would be read back escaped */
    assert_null(strstr(markdown, "\u2022"));
    assert_null(strstr(markdown, "\\."));
    plain = read_back(&b, ".docx", "pandoc -f docx -t plain --wrap=none %s -o %s");
    assert_non_null(strstr(plain, "Median wait fell from 18 weeks to 11 weeks. not html"));
    assert_non_null(strstr(plain, "Supervise two therapists"));
    assert_non_null(strstr(plain, "Dates"));
    assert_non_null(strstr(plain, "Riverside Trust"));
    free(markdown);
    free(plain);
    buf_free(&b);
    arena_free(a);
}

/* One entry holding two bulleted lists (a change of marker starts a new list in Markdown), a
 * paragraph, a numbered list whose second item holds two lists, and right after it a bulleted
 * list again: six lists, each of its own. */
static struct develop_entry two_lists[] = {
    {1, 7, "project", "Audit of referrals", "Riverside Trust", 1704067200, 0,
     "- Gathered data\n- Met the leads\n* Star one\n\n"
     "Then we changed the form.\n\n"
     "1. Drafted it\n2. Tested it\n   - with the leads\n   1) with parents\n   2) with teachers\n"
     "3. Launched it\n* One more\n",
     "quality-improvement", "", true, 0, 0},
};

struct list_seen {
    size_t indent; /* of its L line: a nested list's is deeper */
    size_t items;  /* LI directly in it */
};

/* Every L in a pdfinfo -struct-text dump, in order, with the LI directly inside it: poppler
 * indents each element two spaces under its parent, so nesting is read from the indentation,
 * never from where lines of text wrap. Returns how many there are (at most max). */
static size_t lists_in(const char *dump, struct list_seen *out, size_t max)
{
    size_t n = 0;
    for (const char *line = dump; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        size_t ind = strspn(line, " ");
        if (strncmp(line + ind, "L (block)", 9) || n == max)
            continue;
        out[n].indent = ind;
        out[n].items = 0;
        for (const char *l = strchr(line, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
            size_t li = strspn(l + 1, " ");
            if (li <= ind)
                break;
            if (li == ind + 2 && !strncmp(l + 1 + li, "LI (block)", 10))
                out[n].items++;
        }
        n++;
    }
    return n;
}

static void pdf_keeps_each_list_apart(void **state)
{
    struct arena *a = arena_new();
    struct develop_cv cv;
    struct buf b = BUF_INIT;
    struct list_seen l[8];
    char *dump;
    (void)state;

    assert_int_equal(develop_cv_build(a, "Sam Okafor", "", NULL, two_lists, 1, &cv), 0);
    assert_int_equal(develop_cv_pdf(&cv, 1740787200, &b), 0);
    if (!have("pdfinfo")) {
        buf_free(&b);
        arena_free(a);
        skip();
    }
    dump = read_back(&b, ".pdf", "pdfinfo -struct-text %s > %s 2>&1");
    assert_int_equal(lists_in(dump, l, 8), 6);
    /* the bullets, the other bullets, then (after the paragraph) the numbers */
    assert_int_equal(l[0].items, 2);
    assert_int_equal(l[1].items, 1);
    assert_int_equal(l[1].indent, l[0].indent);
    assert_int_equal(l[2].items, 3);
    assert_int_equal(l[2].indent, l[0].indent);
    /* inside "Tested it": a bulleted list, then a "1)" list */
    assert_true(l[3].indent > l[2].indent);
    assert_int_equal(l[3].items, 1);
    assert_int_equal(l[4].indent, l[3].indent);
    assert_int_equal(l[4].items, 2);
    /* the bullet straight after the numbers */
    assert_int_equal(l[5].indent, l[0].indent);
    assert_int_equal(l[5].items, 1);
    in_order(dump,
             (const char *const[]){"\"Gathered data\"", "\"Star one\"",
                                   "\"Then we changed the form.\"", "\"1.\"", "\"Drafted it\"",
                                   "\"with the leads\"", "\"1)\"", "\"with parents\"", "\"2)\"",
                                   "\"3.\"", "\"One more\""},
             11);
    free(dump);
    buf_free(&b);
    arena_free(a);
}

static void docx_keeps_each_list_apart(void **state)
{
    struct arena *a = arena_new();
    struct develop_cv cv;
    struct buf b = BUF_INIT;
    char *markdown;
    (void)state;

    assert_int_equal(develop_cv_build(a, "Sam Okafor", "", NULL, two_lists, 1, &cv), 0);
    assert_int_equal(develop_cv_docx(&cv, 1740787200, &b), 0);
    if (!have("pandoc")) {
        buf_free(&b);
        arena_free(a);
        skip();
    }
    markdown = read_back(&b, ".docx", "pandoc -s -f docx -t markdown --wrap=none %s -o %s");
    /* pandoc writes a comment between two lists of one kind that would otherwise read as one */
    in_order(markdown,
             (const char *const[]){"\n-   Gathered data\n", "\n-   Met the leads\n", "\n<!-- -->\n",
                                   "\n-   Star one\n", "\nThen we changed the form.\n",
                                   "\n1.  Drafted it\n", "\n2.  Tested it\n",
                                   "\n    -   with the leads\n",
                                   /* the list inside the item starts again at 1 */
                                   "\n    1.  with parents\n", "\n    2.  with teachers\n",
                                   "\n3.  Launched it\n", "\n-   One more\n"},
             12);
    free(markdown);
    buf_free(&b);
    arena_free(a);
}

/* ---- JSON Resume, schema v1.0.0 ---- */

enum jt { T_STR, T_DATE, T_EMAIL, T_URI, T_STRS, T_OBJ, T_PROFILES };

struct prop {
    const char *name;
    enum jt type;
};

/* The properties of each section's items (the schema allows others on items). */
static const struct prop WORK[] = {{"name", T_STR},        {"location", T_STR},
                                   {"description", T_STR}, {"position", T_STR},
                                   {"url", T_URI},         {"startDate", T_DATE},
                                   {"endDate", T_DATE},    {"summary", T_STR},
                                   {"highlights", T_STRS}, {NULL, 0}};
static const struct prop VOLUNTEER[] = {
    {"organization", T_STR}, {"position", T_STR}, {"url", T_URI},         {"startDate", T_DATE},
    {"endDate", T_DATE},     {"summary", T_STR},  {"highlights", T_STRS}, {NULL, 0}};
static const struct prop EDUCATION[] = {
    {"institution", T_STR}, {"url", T_URI},        {"area", T_STR},
    {"studyType", T_STR},   {"startDate", T_DATE}, {"endDate", T_DATE},
    {"score", T_STR},       {"courses", T_STRS},   {NULL, 0}};
static const struct prop AWARDS[] = {
    {"title", T_STR}, {"date", T_DATE}, {"awarder", T_STR}, {"summary", T_STR}, {NULL, 0}};
static const struct prop CERTIFICATES[] = {
    {"name", T_STR}, {"date", T_DATE}, {"url", T_URI}, {"issuer", T_STR}, {NULL, 0}};
static const struct prop PUBLICATIONS[] = {{"name", T_STR},         {"publisher", T_STR},
                                           {"releaseDate", T_DATE}, {"url", T_URI},
                                           {"summary", T_STR},      {NULL, 0}};
static const struct prop SKILLS[] = {
    {"name", T_STR}, {"level", T_STR}, {"keywords", T_STRS}, {NULL, 0}};
static const struct prop LANGUAGES[] = {{"language", T_STR}, {"fluency", T_STR}, {NULL, 0}};
static const struct prop INTERESTS[] = {{"name", T_STR}, {"keywords", T_STRS}, {NULL, 0}};
static const struct prop REFERENCES[] = {{"name", T_STR}, {"reference", T_STR}, {NULL, 0}};
static const struct prop PROJECTS[] = {{"name", T_STR},
                                       {"description", T_STR},
                                       {"highlights", T_STRS},
                                       {"keywords", T_STRS},
                                       {"startDate", T_DATE},
                                       {"endDate", T_DATE},
                                       {"url", T_URI},
                                       {"roles", T_STRS},
                                       {"entity", T_STR},
                                       {"type", T_STR},
                                       {NULL, 0}};
static const struct prop BASICS[] = {
    {"name", T_STR},          {"label", T_STR}, {"image", T_STR},   {"email", T_EMAIL},
    {"phone", T_STR},         {"url", T_URI},   {"summary", T_STR}, {"location", T_OBJ},
    {"profiles", T_PROFILES}, {NULL, 0}};
static const struct prop LOCATION[] = {{"address", T_STR}, {"postalCode", T_STR},
                                       {"city", T_STR},    {"countryCode", T_STR},
                                       {"region", T_STR},  {NULL, 0}};
static const struct prop PROFILE[] = {
    {"network", T_STR}, {"username", T_STR}, {"url", T_URI}, {NULL, 0}};
static const struct prop META[] = {
    {"canonical", T_URI}, {"version", T_STR}, {"lastModified", T_STR}, {NULL, 0}};

static const struct {
    const char *name;
    const struct prop *items; /* NULL: an object (basics, meta) or "$schema" */
} TOP[] = {
    {"$schema", NULL},
    {"basics", BASICS},
    {"work", WORK},
    {"volunteer", VOLUNTEER},
    {"education", EDUCATION},
    {"awards", AWARDS},
    {"certificates", CERTIFICATES},
    {"publications", PUBLICATIONS},
    {"skills", SKILLS},
    {"languages", LANGUAGES},
    {"interests", INTERESTS},
    {"references", REFERENCES},
    {"projects", PROJECTS},
    {"meta", META},
};

/* The schema's iso8601 definition. */
static bool is_date(const char *s)
{
    static regex_t re;
    static bool made;
    if (!made) {
        assert_int_equal(regcomp(&re,
                                 "^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|"
                                 "[1-2][0-9]{3})$",
                                 REG_EXTENDED | REG_NOSUB),
                         0);
        made = true;
    }
    return regexec(&re, s, 0, NULL, 0) == 0;
}

static int check_object(json_t *o, const struct prop *props, const char *where, bool closed);

/* 0 when v is of type t; else prints why and returns 1. */
static int check_value(json_t *v, enum jt t, const char *where)
{
    const char *s = json_string_value(v);
    switch (t) {
    case T_STR:
        if (s)
            return 0;
        break;
    case T_DATE:
        if (s && is_date(s))
            return 0;
        break;
    case T_EMAIL: /* format "email": one @ with text on both sides */
        if (s && strchr(s, '@') && s[0] != '@' && strchr(s, '@')[1] && !strchr(s, ' '))
            return 0;
        break;
    case T_URI:
        if (s && strstr(s, ":") && !strchr(s, ' '))
            return 0;
        break;
    case T_STRS:
        if (json_is_array(v)) {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) if (!json_is_string(x)) goto bad;
            return 0;
        }
        break;
    case T_OBJ:
        if (json_is_object(v))
            return check_object(v, LOCATION, where, false);
        break;
    case T_PROFILES:
        if (json_is_array(v)) {
            size_t i;
            json_t *x;
            int bad = 0;
            json_array_foreach(v, i, x) bad +=
                json_is_object(x) ? check_object(x, PROFILE, where, false) : 1;
            return bad;
        }
        break;
    }
bad:
    fprintf(stderr, "json resume: %s has the wrong type\n", where);
    return 1;
}

static int check_object(json_t *o, const struct prop *props, const char *where, bool closed)
{
    const char *key;
    json_t *v;
    int bad = 0;
    json_object_foreach(o, key, v)
    {
        size_t i;
        for (i = 0; props[i].name && strcmp(props[i].name, key); i++)
            ;
        if (props[i].name)
            bad += check_value(v, props[i].type, key);
        else if (closed) {
            fprintf(stderr, "json resume: %s.%s is not in the schema\n", where, key);
            bad++;
        }
    }
    return bad;
}

/* The number of ways doc breaks the schema (0: valid). */
static int resume_errors(json_t *doc)
{
    const char *key;
    json_t *v;
    int bad = 0;
    if (!json_is_object(doc))
        return 1;
    json_object_foreach(doc, key, v)
    {
        size_t t;
        for (t = 0; t < sizeof TOP / sizeof *TOP && strcmp(TOP[t].name, key); t++)
            ;
        if (t == sizeof TOP / sizeof *TOP) { /* additionalProperties: false */
            fprintf(stderr, "json resume: top-level %s is not in the schema\n", key);
            bad++;
        } else if (!strcmp(key, "$schema")) {
            bad += check_value(v, T_URI, key);
        } else if (!strcmp(key, "basics") || !strcmp(key, "meta")) {
            bad += json_is_object(v) ? check_object(v, TOP[t].items, key, false) : 1;
        } else if (!json_is_array(v)) {
            fprintf(stderr, "json resume: %s is not an array\n", key);
            bad++;
        } else {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) bad +=
                json_is_object(x) ? check_object(x, TOP[t].items, key, false) : 1;
        }
    }
    return bad;
}

static void json_resume_is_valid(void **state)
{
    struct arena *a = arena_new();
    struct develop_cv cv;
    json_t *r, *work, *x;
    (void)state;

    cv = build(a);
    r = develop_cv_json(&cv, 1740787200);
    assert_non_null(r);
    assert_int_equal(resume_errors(r), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "basics"), "name")),
                        "Sam Okafor");
    work = json_object_get(r, "work");
    assert_int_equal(json_array_size(work), 2);
    x = json_array_get(work, 0);
    assert_string_equal(json_string_value(json_object_get(x, "position")),
                        "Band 6 speech and language therapist");
    assert_string_equal(json_string_value(json_object_get(x, "startDate")), "2021-09-01");
    assert_null(json_object_get(x, "endDate")); /* current */
    assert_int_equal(json_array_size(json_object_get(r, "projects")), 3);
    assert_int_equal(json_array_size(json_object_get(r, "awards")), 1);
    assert_int_equal(json_array_size(json_object_get(r, "certificates")), 1);
    assert_int_equal(json_array_size(json_object_get(r, "references")), 1);
    /* skills: one per skill group that shows, keywords the entries' titles */
    assert_int_equal(json_array_size(json_object_get(r, "skills")), 6);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(r, "skills"), 0), "name")),
        "Leadership");
    {
        char *s = json_dumps(r, 0);
        assert_null(strstr(s, "Private reflection"));
        free(s);
    }

    /* the validator refuses what the schema refuses */
    json_object_set_new(x, "startDate", json_string("September 2021"));
    assert_int_equal(resume_errors(r), 1);
    json_object_set_new(x, "startDate", json_string("2021-09"));
    assert_int_equal(resume_errors(r), 0);
    json_object_set_new(r, "portfolio", json_array());
    assert_int_equal(resume_errors(r), 1);
    json_object_del(r, "portfolio");
    json_object_set_new(x, "highlights", json_pack("[i]", 3));
    assert_int_equal(resume_errors(r), 1);
    json_object_set_new(x, "highlights", json_array());
    json_object_set_new(json_object_get(r, "basics"), "email", json_string("not an email"));
    assert_int_equal(resume_errors(r), 1);
    json_object_set_new(r, "skills", json_object());
    assert_int_equal(resume_errors(r), 2);
    json_decref(r);
    arena_free(a);
}

static void empty_cv_is_still_a_document(void **state)
{
    struct arena *a = arena_new();
    struct develop_cv cv;
    struct buf b = BUF_INIT;
    json_t *r;
    (void)state;

    assert_int_equal(develop_cv_build(a, "New Member", "", NULL, NULL, 0, &cv), 0);
    assert_int_equal(cv.nchosen, 0);
    assert_int_equal(develop_cv_pdf(&cv, 0, &b), 0);
    assert_memory_equal(b.data, "%PDF-", 5);
    buf_reset(&b);
    assert_int_equal(develop_cv_docx(&cv, 0, &b), 0);
    assert_memory_equal(b.data, "PK", 2);
    r = develop_cv_json(&cv, 0);
    assert_int_equal(resume_errors(r), 0);
    assert_int_equal(json_array_size(json_object_get(r, "work")), 0);
    json_decref(r);
    buf_free(&b);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_groups_entries_by_skill),
        cmocka_unit_test(pdf_is_tagged_and_reads_back),
        cmocka_unit_test(docx_reads_back_with_headings),
        cmocka_unit_test(pdf_keeps_each_list_apart),
        cmocka_unit_test(docx_keeps_each_list_apart),
        cmocka_unit_test(json_resume_is_valid),
        cmocka_unit_test(empty_cv_is_still_a_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
