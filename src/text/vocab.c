/* vocab.c: stop words, and the vocabulary of stems and bigrams with document frequencies
 *
 * One pass over the corpus with two small open-addressing hash tables (linear probing,
 * power-of-two sizes, ids assigned in order of first insertion so iteration is
 * deterministic): one interns surface forms (each distinct token is looked up in the stop
 * list and stemmed once, which makes stemming nearly free on real corpora where a few
 * thousand words cover most tokens), one maps 64-bit keys (pairs of ids) for bigrams. Per
 * document the term ids are sorted and run-length counted into a global triplet list; after
 * the pass the document frequencies decide which terms survive and the triplets are
 * renumbered into the final CSR matrix.
 *
 * Stop words are matched on the folded surface form, before stemming, as scikit-learn does;
 * the list is tokenised with the same tokeniser, so "it's" in the list matches "It’s" in text.
 */
#include "text/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/stem.h"

/* ---- hash tables ------------------------------------------------------------------------ */

static int grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 64;
    void *q;
    if (need <= *cap)
        return APP_OK;
    while (c < need)
        c *= 2;
    q = realloc(*p, c * elem);
    if (!q)
        return APP_E_NOMEM;
    *p = q;
    *cap = c;
    return APP_OK;
}

/* Two parallel arrays sharing one capacity *cap. */
static int grow2(void **a, size_t ea, void **b, size_t eb, size_t *cap, size_t need)
{
    size_t c = *cap;
    int rc;
    if (need <= *cap)
        return APP_OK;
    if ((rc = grow_array(a, &c, need, ea)) != APP_OK)
        return rc;
    c = *cap;
    if ((rc = grow_array(b, &c, need, eb)) != APP_OK)
        return rc;
    *cap = c;
    return APP_OK;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a, then a final mix for the low bits */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    return h ^ (h >> 33);
}

static uint64_t hash_u64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

/* Strings to dense ids. Slots hold id + 1 (0 = empty). */
struct strmap {
    uint32_t *slot;
    size_t nslot;
    size_t n, cap;   /* ids */
    size_t *off;     /* into pool */
    uint32_t *len;
    char *pool;
    size_t pool_len, pool_cap;
};

static void strmap_free(struct strmap *m)
{
    free(m->slot);
    free(m->off);
    free(m->len);
    free(m->pool);
    memset(m, 0, sizeof *m);
}

static const char *strmap_str(const struct strmap *m, uint32_t id)
{
    return m->pool + m->off[id];
}

static long strmap_find(const struct strmap *m, const char *s, size_t n)
{
    size_t mask, i;
    if (!m->nslot)
        return -1;
    mask = m->nslot - 1;
    for (i = hash_bytes(s, n) & mask; m->slot[i]; i = (i + 1) & mask) {
        uint32_t id = m->slot[i] - 1;
        if (m->len[id] == n && memcmp(m->pool + m->off[id], s, n) == 0)
            return id;
    }
    return -1;
}

static int strmap_rehash(struct strmap *m, size_t nslot)
{
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return APP_E_NOMEM;
    for (size_t id = 0; id < m->n; id++) {
        size_t i = hash_bytes(m->pool + m->off[id], m->len[id]) & (nslot - 1);
        while (slot[i])
            i = (i + 1) & (nslot - 1);
        slot[i] = (uint32_t)id + 1;
    }
    free(m->slot);
    m->slot = slot;
    m->nslot = nslot;
    return APP_OK;
}

/* Interns s[0..n): *id is its id, *isnew says whether it was just added. */
static int strmap_intern(struct strmap *m, const char *s, size_t n, uint32_t *id, bool *isnew)
{
    long f = strmap_find(m, s, n);
    int rc;

    *isnew = false;
    if (f >= 0) {
        *id = (uint32_t)f;
        return APP_OK;
    }
    if (m->n >= 0x7fffffffu)
        return APP_E_TOOBIG;
    if ((m->n + 1) * 2 > m->nslot &&
        (rc = strmap_rehash(m, m->nslot ? m->nslot * 2 : 1024)) != APP_OK)
        return rc;
    if ((rc = grow2((void **)&m->off, sizeof *m->off, (void **)&m->len, sizeof *m->len, &m->cap,
                    m->n + 1)) != APP_OK)
        return rc;
    if ((rc = grow_array((void **)&m->pool, &m->pool_cap, m->pool_len + n + 1, 1)) != APP_OK)
        return rc;
    memcpy(m->pool + m->pool_len, s, n);
    m->pool[m->pool_len + n] = '\0';
    m->off[m->n] = m->pool_len;
    m->len[m->n] = (uint32_t)n;
    m->pool_len += n + 1;
    *id = (uint32_t)m->n++;
    *isnew = true;
    {
        size_t i = hash_bytes(s, n) & (m->nslot - 1);
        while (m->slot[i])
            i = (i + 1) & (m->nslot - 1);
        m->slot[i] = *id + 1;
    }
    return APP_OK;
}

/* 64-bit keys to dense ids. */
struct u64map {
    uint32_t *slot;
    size_t nslot;
    uint64_t *key;
    size_t n, cap;
};

static void u64map_free(struct u64map *m)
{
    free(m->slot);
    free(m->key);
    memset(m, 0, sizeof *m);
}

static int u64map_intern(struct u64map *m, uint64_t k, uint32_t *id, bool *isnew)
{
    size_t i;
    int rc;

    *isnew = false;
    if (m->nslot) {
        for (i = hash_u64(k) & (m->nslot - 1); m->slot[i]; i = (i + 1) & (m->nslot - 1))
            if (m->key[m->slot[i] - 1] == k) {
                *id = m->slot[i] - 1;
                return APP_OK;
            }
    }
    if (m->n >= 0x7fffffffu)
        return APP_E_TOOBIG;
    if ((m->n + 1) * 2 > m->nslot) {
        size_t nslot = m->nslot ? m->nslot * 2 : 1024;
        uint32_t *slot = calloc(nslot, sizeof *slot);
        if (!slot)
            return APP_E_NOMEM;
        for (size_t j = 0; j < m->n; j++) {
            i = hash_u64(m->key[j]) & (nslot - 1);
            while (slot[i])
                i = (i + 1) & (nslot - 1);
            slot[i] = (uint32_t)j + 1;
        }
        free(m->slot);
        m->slot = slot;
        m->nslot = nslot;
    }
    if ((rc = grow_array((void **)&m->key, &m->cap, m->n + 1, sizeof *m->key)) != APP_OK)
        return rc;
    m->key[m->n] = k;
    *id = (uint32_t)m->n++;
    *isnew = true;
    for (i = hash_u64(k) & (m->nslot - 1); m->slot[i]; i = (i + 1) & (m->nslot - 1))
        ;
    m->slot[i] = *id + 1;
    return APP_OK;
}

/* ---- stop words ------------------------------------------------------------------------- */

struct stopwords {
    struct strmap words;
};

int stopwords_parse(const char *text, size_t len, struct stopwords **out)
{
    struct stopwords *sw = calloc(1, sizeof *sw);
    struct tokens tk = {0};
    size_t i = 0;
    int rc = APP_E_NOMEM;

    *out = NULL;
    if (!sw)
        goto done;
    while (i < len) {
        const char *line = text + i, *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        i += n + (nl != NULL);
        while (n && (line[0] == ' ' || line[0] == '\t')) {
            line++;
            n--;
        }
        if (!n || line[0] == '#')
            continue;
        if ((rc = tokenise(&tk, line, n)) != APP_OK)
            goto done;
        for (size_t k = 0; k < tk.n; k++) {
            uint32_t id;
            bool isnew;
            if ((rc = strmap_intern(&sw->words, tokens_str(&tk, k), tk.v[k].len, &id,
                                    &isnew)) != APP_OK)
                goto done;
        }
    }
    *out = sw;
    sw = NULL;
    rc = APP_OK;
done:
    tokens_free(&tk);
    stopwords_free(sw);
    return rc;
}

int stopwords_load(const char *path, struct stopwords **out)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = APP_E_IO;

    *out = NULL;
    if (!f)
        goto done;
    for (;;) {
        size_t got;
        if (len + 4096 > cap) {
            char *t = realloc(text, cap ? cap * 2 : 8192);
            if (!t) {
                rc = APP_E_NOMEM;
                goto done;
            }
            text = t;
            cap = cap ? cap * 2 : 8192;
        }
        got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        goto done;
    rc = stopwords_parse(text, len, out);
done:
    if (f)
        fclose(f);
    free(text);
    return rc;
}

bool stopwords_has(const struct stopwords *sw, const char *w, size_t n)
{
    return sw && strmap_find(&sw->words, w, n) >= 0;
}

size_t stopwords_count(const struct stopwords *sw)
{
    return sw ? sw->words.n : 0;
}

void stopwords_free(struct stopwords *sw)
{
    if (!sw)
        return;
    strmap_free(&sw->words);
    free(sw);
}

/* ---- vocabulary ------------------------------------------------------------------------- */

#define NONE UINT32_MAX

struct build {
    struct strmap sur, stems;
    uint32_t *sur_stem;  /* stem id of each surface, NONE for stop words */
    uint64_t *sur_cnt;
    size_t sur_cap;
    uint32_t *stem_df;
    size_t stem_cap;
    struct u64map bi, bisur; /* (stem, stem) -> bigram; (surface, surface) -> bigram surface */
    uint32_t *bi_df;
    size_t bi_cap;
    uint32_t *bisur_bi;
    uint64_t *bisur_cnt;
    size_t bisur_cap;
    uint32_t *codes; /* one document's term codes: id * 2 (+1 for a bigram) */
    size_t ncodes, codes_cap;
    uint32_t *tcode, *ttf; /* all (code, tf) pairs, document by document */
    size_t nt, t_cap;
    size_t *rowptr;
};

static void build_free(struct build *b)
{
    strmap_free(&b->sur);
    strmap_free(&b->stems);
    u64map_free(&b->bi);
    u64map_free(&b->bisur);
    free(b->sur_stem);
    free(b->sur_cnt);
    free(b->stem_df);
    free(b->bi_df);
    free(b->bisur_bi);
    free(b->bisur_cnt);
    free(b->codes);
    free(b->tcode);
    free(b->ttf);
    free(b->rowptr);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Documents are short, so their code lists are too: insertion sort below this length, which
 * beats qsort's indirect comparisons there; qsort above, so a long document stays
 * O(n log n). Both give the same order (keys are compared whole). */
#define SHORT_SORT 48

static void sort_u32(uint32_t *a, size_t n)
{
    if (n > SHORT_SORT) {
        qsort(a, n, sizeof *a, cmp_u32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static int push_code(struct build *b, uint32_t code)
{
    int rc = grow_array((void **)&b->codes, &b->codes_cap, b->ncodes + 1, sizeof *b->codes);
    if (rc == APP_OK)
        b->codes[b->ncodes++] = code;
    return rc;
}

/* Surface id of token k, creating it (stop-word check and stem) when new. */
static int surface_of(struct build *b, const struct tokens *tk, size_t k,
                      const struct vocab_options *opt, struct stemmer *st, uint32_t *sid)
{
    const char *w = tokens_str(tk, k);
    size_t n = tk->v[k].len;
    bool isnew;
    int rc;

    if ((rc = strmap_intern(&b->sur, w, n, sid, &isnew)) != APP_OK || !isnew)
        return rc;
    if ((rc = grow2((void **)&b->sur_stem, sizeof *b->sur_stem, (void **)&b->sur_cnt,
                    sizeof *b->sur_cnt, &b->sur_cap, b->sur.n)) != APP_OK)
        return rc;
    b->sur_cnt[*sid] = 0;
    b->sur_stem[*sid] = NONE;
    if (!stopwords_has(opt->stop, w, n)) {
        const char *s;
        size_t sl;
        uint32_t stem;
        if ((rc = stemmer_stem(st, w, n, &s, &sl)) != APP_OK ||
            (rc = strmap_intern(&b->stems, s, sl, &stem, &isnew)) != APP_OK)
            return rc;
        if (isnew) {
            if ((rc = grow_array((void **)&b->stem_df, &b->stem_cap, b->stems.n,
                                 sizeof *b->stem_df)) != APP_OK)
                return rc;
            b->stem_df[stem] = 0;
        }
        b->sur_stem[*sid] = stem;
    }
    return APP_OK;
}

static int bigram_of(struct build *b, uint32_t s1, uint32_t s2, uint32_t sid1, uint32_t sid2,
                     uint32_t *bid)
{
    uint32_t bs;
    bool isnew;
    int rc;

    if ((rc = u64map_intern(&b->bi, (uint64_t)s1 << 32 | s2, bid, &isnew)) != APP_OK)
        return rc;
    if (isnew) {
        if ((rc = grow_array((void **)&b->bi_df, &b->bi_cap, b->bi.n, sizeof *b->bi_df)) !=
            APP_OK)
            return rc;
        b->bi_df[*bid] = 0;
    }
    if ((rc = u64map_intern(&b->bisur, (uint64_t)sid1 << 32 | sid2, &bs, &isnew)) != APP_OK)
        return rc;
    if (isnew) {
        if ((rc = grow2((void **)&b->bisur_bi, sizeof *b->bisur_bi, (void **)&b->bisur_cnt,
                        sizeof *b->bisur_cnt, &b->bisur_cap, b->bisur.n)) != APP_OK)
            return rc;
        b->bisur_bi[bs] = *bid;
        b->bisur_cnt[bs] = 0;
    }
    b->bisur_cnt[bs]++;
    return APP_OK;
}

/* Tokenises document d and appends its (code, tf) pairs. */
static int count_doc(struct build *b, struct tokens *tk, const struct text_span *d,
                     const struct vocab_options *opt, struct stemmer *st)
{
    uint32_t prev = NONE;
    size_t i, j;
    int rc;

    if ((rc = tokenise(tk, d->s, d->len)) != APP_OK)
        return rc;
    b->ncodes = 0;
    for (size_t k = 0; k < tk->n; k++) {
        uint32_t sid, stem;
        if ((rc = surface_of(b, tk, k, opt, st, &sid)) != APP_OK)
            return rc;
        stem = b->sur_stem[sid];
        if (tk->v[k].brk)
            prev = NONE;
        if (stem == NONE) {
            prev = NONE;
            continue;
        }
        b->sur_cnt[sid]++;
        if ((rc = push_code(b, stem * 2)) != APP_OK)
            return rc;
        if (opt->bigrams && prev != NONE) {
            uint32_t bid;
            if ((rc = bigram_of(b, b->sur_stem[prev], stem, prev, sid, &bid)) != APP_OK ||
                (rc = push_code(b, bid * 2 + 1)) != APP_OK)
                return rc;
        }
        prev = sid;
    }
    if (b->ncodes > 1) /* one code or none is already in order */
        sort_u32(b->codes, b->ncodes);
    for (i = 0; i < b->ncodes; i = j) {
        uint32_t c = b->codes[i];
        for (j = i + 1; j < b->ncodes && b->codes[j] == c; j++)
            ;
        if ((rc = grow2((void **)&b->tcode, sizeof *b->tcode, (void **)&b->ttf, sizeof *b->ttf,
                        &b->t_cap, b->nt + 1)) != APP_OK)
            return rc;
        b->tcode[b->nt] = c;
        b->ttf[b->nt++] = (uint32_t)(j - i);
        if (c & 1)
            b->bi_df[c >> 1]++;
        else
            b->stem_df[c >> 1]++;
    }
    return APP_OK;
}

struct colval {
    uint32_t col;
    double val;
};

static int cmp_colval(const void *a, const void *b)
{
    uint32_t x = ((const struct colval *)a)->col, y = ((const struct colval *)b)->col;
    return (x > y) - (x < y);
}

/* A row's entries by column (columns within a row are distinct); as sort_u32. */
static void sort_colval(struct colval *a, size_t n)
{
    if (n > SHORT_SORT) {
        qsort(a, n, sizeof *a, cmp_colval);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct colval x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1].col > x.col; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Better surface: more uses, then the smaller string, so the choice never depends on order. */
static bool better(uint64_t cnt, const char *s, uint64_t best_cnt, const char *best)
{
    return !best || cnt > best_cnt || (cnt == best_cnt && strcmp(s, best) < 0);
}

static int finish(struct build *b, size_t ndocs, const struct vocab_options *opt,
                  struct vocab *v, struct sparse *counts)
{
    double maxdf = (opt->max_df > 0 ? opt->max_df : 1.0) * (double)ndocs;
    size_t mindf = opt->min_df ? opt->min_df : 1, nuni = 0, nbi = 0, pool_len = 0, nnz = 0;
    uint32_t *stem_new = NULL, *bi_new = NULL, *sur_best = NULL, *bisur_best = NULL;
    struct colval *row = NULL;
    size_t row_cap = 0;
    int rc = APP_E_NOMEM;

    stem_new = malloc((b->stems.n + 1) * sizeof *stem_new);
    bi_new = malloc((b->bi.n + 1) * sizeof *bi_new);
    sur_best = malloc((b->stems.n + 1) * sizeof *sur_best);
    bisur_best = malloc((b->bi.n + 1) * sizeof *bisur_best);
    if (!stem_new || !bi_new || !sur_best || !bisur_best)
        goto done;
    for (size_t s = 0; s < b->stems.n; s++) {
        bool keep = b->stem_df[s] >= mindf && (double)b->stem_df[s] <= maxdf;
        stem_new[s] = keep ? (uint32_t)nuni++ : NONE;
        sur_best[s] = NONE;
    }
    for (size_t s = 0; s < b->bi.n; s++) {
        bool keep = b->bi_df[s] >= mindf && (double)b->bi_df[s] <= maxdf;
        bi_new[s] = keep ? (uint32_t)(nuni + nbi++) : NONE;
        bisur_best[s] = NONE;
    }
    for (uint32_t sid = 0; sid < b->sur.n; sid++) {
        uint32_t s = b->sur_stem[sid];
        if (s == NONE || stem_new[s] == NONE)
            continue;
        if (better(b->sur_cnt[sid], strmap_str(&b->sur, sid),
                   sur_best[s] == NONE ? 0 : b->sur_cnt[sur_best[s]],
                   sur_best[s] == NONE ? NULL : strmap_str(&b->sur, sur_best[s])))
            sur_best[s] = sid;
    }
    for (uint32_t bs = 0; bs < b->bisur.n; bs++) {
        uint32_t g = b->bisur_bi[bs], cur = bisur_best[g];
        if (bi_new[g] == NONE)
            continue;
        if (cur == NONE || b->bisur_cnt[bs] > b->bisur_cnt[cur])
            bisur_best[g] = bs;
        else if (b->bisur_cnt[bs] == b->bisur_cnt[cur]) {
            /* Compare "a b" strings part by part: first words, then second words. */
            uint64_t kb = b->bisur.key[bs], kc = b->bisur.key[cur];
            int c = strcmp(strmap_str(&b->sur, (uint32_t)(kb >> 32)),
                           strmap_str(&b->sur, (uint32_t)(kc >> 32)));
            if (c == 0)
                c = strcmp(strmap_str(&b->sur, (uint32_t)kb), strmap_str(&b->sur, (uint32_t)kc));
            if (c < 0)
                bisur_best[g] = bs;
        }
    }
    /* Strings: key and label of every kept term, in one pool. */
    for (size_t s = 0; s < b->stems.n; s++)
        if (stem_new[s] != NONE)
            pool_len += b->stems.len[s] + 1 + b->sur.len[sur_best[s]] + 1;
    for (size_t g = 0; g < b->bi.n; g++)
        if (bi_new[g] != NONE) {
            uint64_t k = b->bi.key[g], ks = b->bisur.key[bisur_best[g]];
            pool_len += b->stems.len[k >> 32] + b->stems.len[(uint32_t)k] + 2;
            pool_len += b->sur.len[ks >> 32] + b->sur.len[(uint32_t)ks] + 2;
        }
    v->n = nuni + nbi;
    v->nunigrams = nuni;
    v->t = calloc(v->n + 1, sizeof *v->t);
    v->pool = malloc(pool_len + 1);
    if (!v->t || !v->pool)
        goto done;
    {
        char *p = v->pool;
#define PUT(str, len)                                                                          \
    do {                                                                                       \
        memcpy(p, (str), (len));                                                               \
        p += (len);                                                                            \
    } while (0)
        for (size_t s = 0; s < b->stems.n; s++) {
            struct vocab_term *t;
            uint32_t sid = sur_best[s];
            if (stem_new[s] == NONE)
                continue;
            t = &v->t[stem_new[s]];
            t->key = p;
            PUT(strmap_str(&b->stems, (uint32_t)s), b->stems.len[s] + 1);
            t->label = p;
            PUT(strmap_str(&b->sur, sid), b->sur.len[sid] + 1);
            t->df = b->stem_df[s];
        }
        for (size_t g = 0; g < b->bi.n; g++) {
            struct vocab_term *t;
            uint64_t k = b->bi.key[g], ks;
            uint32_t a, c;
            if (bi_new[g] == NONE)
                continue;
            ks = b->bisur.key[bisur_best[g]];
            t = &v->t[bi_new[g]];
            t->bigram = true;
            t->df = b->bi_df[g];
            a = (uint32_t)(k >> 32);
            c = (uint32_t)k;
            t->key = p;
            PUT(strmap_str(&b->stems, a), b->stems.len[a]);
            PUT(" ", 1);
            PUT(strmap_str(&b->stems, c), b->stems.len[c] + 1);
            a = (uint32_t)(ks >> 32);
            c = (uint32_t)ks;
            t->label = p;
            PUT(strmap_str(&b->sur, a), b->sur.len[a]);
            PUT(" ", 1);
            PUT(strmap_str(&b->sur, c), b->sur.len[c] + 1);
        }
#undef PUT
    }
    /* The matrix: renumber, drop pruned terms, sort each row by the new column. */
    for (size_t q = 0; q < b->nt; q++) {
        uint32_t c = b->tcode[q];
        nnz += ((c & 1) ? bi_new[c >> 1] : stem_new[c >> 1]) != NONE;
    }
    if ((rc = sparse_alloc(counts, ndocs, v->n, nnz)) != APP_OK)
        goto done;
    rc = APP_E_NOMEM;
    nnz = 0;
    for (size_t d = 0; d < ndocs; d++) {
        size_t m = 0;
        for (size_t q = b->rowptr[d]; q < b->rowptr[d + 1]; q++) {
            uint32_t c = b->tcode[q], id = (c & 1) ? bi_new[c >> 1] : stem_new[c >> 1];
            if (id == NONE)
                continue;
            if (grow_array((void **)&row, &row_cap, m + 1, sizeof *row) != APP_OK)
                goto done;
            row[m].col = id;
            row[m++].val = b->ttf[q];
        }
        if (m > 1)
            sort_colval(row, m);
        for (size_t q = 0; q < m; q++) {
            counts->col[nnz] = row[q].col;
            counts->val[nnz++] = row[q].val;
        }
        counts->rowptr[d + 1] = nnz;
    }
    rc = APP_OK;
done:
    free(stem_new);
    free(bi_new);
    free(sur_best);
    free(bisur_best);
    free(row);
    return rc;
}

int vocab_build(const struct text_span *docs, size_t ndocs, const struct vocab_options *opt,
                struct vocab *v, struct sparse *counts)
{
    struct build b;
    struct tokens tk = {0};
    struct stemmer *st = NULL;
    int rc;

    memset(&b, 0, sizeof b);
    memset(v, 0, sizeof *v);
    memset(counts, 0, sizeof *counts);
    if (opt->max_df < 0 || opt->max_df > 1) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = stemmer_new_lang(opt->language, &st)) != APP_OK)
        goto done;
    b.rowptr = calloc(ndocs + 1, sizeof *b.rowptr);
    if (!b.rowptr) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t d = 0; d < ndocs; d++) {
        if ((rc = count_doc(&b, &tk, &docs[d], opt, st)) != APP_OK)
            goto done;
        b.rowptr[d + 1] = b.nt;
    }
    rc = finish(&b, ndocs, opt, v, counts);
done:
    if (rc != APP_OK) {
        vocab_free(v);
        sparse_free(counts);
    }
    build_free(&b);
    tokens_free(&tk);
    stemmer_free(st);
    return rc;
}

long vocab_find(const struct vocab *v, const char *key)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->t[i].key, key) == 0)
            return (long)i;
    return -1;
}

void vocab_free(struct vocab *v)
{
    free(v->t);
    free(v->pool);
    memset(v, 0, sizeof *v);
}
