/* disclosure.c: NHS Digital's disclosure rule (1–7 hidden, rounding to 5, secondary suppression)
 *
 * Single counts and statistics are simple thresholds. Tables need secondary suppression, and
 * this file does it with an exact audit rather than the usual line-by-line rule of thumb,
 * because the rule of thumb ("every row and column has 0 or at least 2 hidden cells") lets
 * leaks through: in the row [1, 1, 50] with total 52 both hidden cells have two companions,
 * yet 52 − 50 = 2 = 1 + 1 pins both, since a hidden cell is known to be at least 1 (zeros
 * are always shown).
 *
 * The model. A table with its row totals R_i, column totals C_j and grand total G is a
 * circulation on a graph with a node per row, a node per column and two margin nodes T_r
 * and T_c: edge row_i → col_j carries the cell x_ij, col_j → T_r carries C_j, T_r → T_c
 * carries G and T_c → row_i carries R_i. Flow is conserved at every node exactly because
 * the totals are sums. The attacker knows every shown edge's value exactly (we ignore
 * rounding, which only adds uncertainty), knows every hidden edge is a whole number ≥ 1, and
 * nothing more (not which hidden cells are primary). A hidden edge x can then take another
 * value iff some feasible change moves it; the difference of two feasible tables is a
 * circulation on hidden edges, which splits into simple cycles each of which is itself a
 * feasible change of ±1. So x is safe iff it lies on a cycle in the residual graph: every
 * hidden edge u → v gives the arc u → v (it may grow) and, when its value is ≥ 2, the arc
 * v → u (it may shrink). x is PINNED iff there is no path v → u (growing x) and, when x ≥ 2,
 * no path u → v (shrinking it), in that graph without x's own arcs. The same test covers
 * totals, which are edges like the cells.
 *
 * The algorithm. Primary suppression hides every edge whose value is 1..threshold. Then each
 * hidden edge in order (cells row-major, then column totals, row totals, grand total) is
 * audited; a pinned one is unpinned by hiding the cheapest set of shown non-zero edges that
 * closes a cycle through it: Dijkstra over the graph in which hidden arcs cost 0 and a shown
 * non-zero edge costs its value in either direction (it is > threshold ≥ 7, so once hidden
 * it can shrink as well as grow). The path's shown edges become secondary. In a row with one
 * hidden cell this picks the smallest other non-zero cell of the row when that closes the
 * cycle through the column totals, and the row total when nothing cheaper does; in a 2-D
 * table it finds the usual rectangle (a hidden block of 2 × 2 cells) when that is cheapest.
 * Hiding only adds arcs, so a safe edge stays safe, and the newly hidden edges lie on the
 * cycle just made, so one pass suffices; a second pass re-audits everything as a safety net
 * (a failure there is APP_E_INTERNAL). A path always exists, because the cycle
 * row_i → col_j → T_r → T_c → row_i through any non-zero cell is made of non-zero edges.
 * Zeros are never hidden: an attacker assumes a hidden cell is ≥ 1, and a true zero
 * discloses nobody. Ties go to the smaller cost, then the lower node number, and arcs are
 * relaxed in edge order, so the result is deterministic.
 *
 * Costs: auditing one edge is a depth-first search that tries the direct step to its goal
 * at every node, so a safe edge is usually cleared in a few steps (a 2 × 2 rectangle, or a
 * cycle through the margins), and every edge on a cycle found is marked safe for good. A
 * pinned edge costs a full search, O(cells), and a Dijkstra, O(cells · log cells). Measured
 * (-O2, random counts, a third 1..7): 14 × 220 in about 1 ms, 256 × 256 and 1 × 65,536 in
 * under 10 ms, 14 × 4,000 with a hundred secondary suppressions in about 0.3 s.
 *
 * Limits: this protects each table against exact recovery of a hidden cell or total from
 * its own shown cells and totals. It does not protect against combining several published
 * tables over the same people (a profession × region table and a profession × band table,
 * or two rounds), nor does it promise wide intervals: an attacker may learn that a hidden
 * cell is 1 or 2. Cost is the total count hidden, not the number of cells; the result is a
 * good suppression, not necessarily the minimal one (that problem is NP-hard).
 */
#include "text/disclosure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"

enum { SHOWN = 0, PRIMARY = 1, SECONDARY = 2 };

#define NO_EDGE UINT32_MAX

uint32_t disclosure_threshold(const struct disclosure_opts *opts)
{
    if (!opts || opts->threshold < DISCLOSURE_MIN_THRESHOLD)
        return DISCLOSURE_MIN_THRESHOLD;
    return opts->threshold;
}

uint64_t disclosure_round5(uint64_t n)
{
    uint64_t down = n - n % 5;
    /* UINT64_MAX is itself a multiple of 5, so rounding up never wraps */
    return n % 5 >= 3 ? down + 5 : down;
}

static bool rounding(const struct disclosure_opts *opts)
{
    return opts ? opts->round : true;
}

static struct disclosure_cell hidden_cell(int how)
{
    struct disclosure_cell c = {0, false, how == PRIMARY, how == SECONDARY};
    return c;
}

struct disclosure_cell disclosure_count(uint64_t n, const struct disclosure_opts *opts)
{
    struct disclosure_cell c = {0, true, false, false};

    if (n >= 1 && n <= disclosure_threshold(opts))
        return hidden_cell(PRIMARY);
    c.value = rounding(opts) ? disclosure_round5(n) : n;
    return c;
}

int disclosure_mean(uint64_t n_people, double value, const struct disclosure_opts *opts,
                    struct disclosure_stat *out)
{
    if (!out)
        return APP_E_INVALID;
    memset(out, 0, sizeof *out);
    if (n_people == 0)
        return 0; /* a statistic over nobody: nothing to show, nothing hidden */
    if (n_people <= disclosure_threshold(opts)) {
        out->suppressed = true;
        return 0;
    }
    if (!isfinite(value))
        return APP_E_INVALID;
    out->shown = true;
    out->value = value;
    return 0;
}

/* ---- the table as a circulation ------------------------------------------------------- */

struct heap_entry {
    uint64_t dist;
    uint32_t node;
};

struct graph {
    size_t rows, cols;
    uint32_t nnodes, nedges;
    uint64_t *val;       /* true value of each edge */
    unsigned char *sup;  /* SHOWN, PRIMARY or SECONDARY */
    uint32_t *from, *to; /* edge endpoints */
    uint32_t *adj_start; /* nnodes + 1: node n's incident edges are adj[adj_start[n] ..] */
    uint32_t *adj;       /* 2 × nedges edge numbers, each node's in ascending order */
    /* scratch for searches */
    uint32_t *stack;         /* nnodes */
    uint32_t *cursor;        /* nnodes: the depth-first search's place in each list */
    uint32_t *via;           /* nnodes: the edge by which the search reached a node */
    unsigned char *safe;     /* nedges: hidden and known to lie on a residual cycle */
    uint32_t *mark;          /* nnodes: == stamp when visited by the current search */
    uint32_t stamp;          /* a new one per search saves clearing mark[] each time */
    unsigned char *seen;     /* nnodes */
    uint64_t *dist;          /* nnodes */
    uint32_t *pred;          /* nnodes: the edge by which Dijkstra reached a node */
    struct heap_entry *heap; /* 2 × nedges + 1: one push per relaxation, stale ones skipped */
};

/* Edge numbers: cells row-major, then column totals, row totals, grand total. Node numbers:
 * rows, then columns, then T_r, T_c. */
static uint32_t edge_cell(const struct graph *g, size_t i, size_t j)
{
    return (uint32_t)(i * g->cols + j);
}
static uint32_t edge_col_total(const struct graph *g, size_t j)
{
    return (uint32_t)(g->rows * g->cols + j);
}
static uint32_t edge_row_total(const struct graph *g, size_t i)
{
    return (uint32_t)(g->rows * g->cols + g->cols + i);
}
static uint32_t edge_grand(const struct graph *g)
{
    return (uint32_t)(g->rows * g->cols + g->cols + g->rows);
}

static void add_edge(struct graph *g, uint32_t e, uint32_t from, uint32_t to, uint64_t val)
{
    g->from[e] = from;
    g->to[e] = to;
    g->val[e] = val;
}

/* Allocates the graph and fills it from the counts. Returns 0 or APP_E_NOMEM (the caller
 * frees with graph_free() either way). */
static int graph_build(struct graph *g, size_t rows, size_t cols, const uint32_t *counts)
{
    size_t nn = rows + cols + 2, ne = rows * cols + rows + cols + 1;
    uint32_t tr = (uint32_t)(rows + cols), tc = tr + 1, *fill = NULL;
    uint64_t grand = 0;
    int rc = APP_E_NOMEM;

    g->rows = rows;
    g->cols = cols;
    g->nnodes = (uint32_t)nn;
    g->nedges = (uint32_t)ne;
    g->val = calloc(ne, sizeof *g->val);
    g->sup = calloc(ne, sizeof *g->sup);
    g->from = calloc(ne, sizeof *g->from);
    g->to = calloc(ne, sizeof *g->to);
    g->adj_start = calloc(nn + 1, sizeof *g->adj_start);
    g->adj = calloc(2 * ne, sizeof *g->adj);
    g->stack = calloc(nn, sizeof *g->stack);
    g->cursor = calloc(nn, sizeof *g->cursor);
    g->via = calloc(nn, sizeof *g->via);
    g->safe = calloc(ne, sizeof *g->safe);
    g->mark = calloc(nn, sizeof *g->mark);
    g->seen = calloc(nn, sizeof *g->seen);
    g->dist = calloc(nn, sizeof *g->dist);
    g->pred = calloc(nn, sizeof *g->pred);
    g->heap = calloc(2 * ne + 1, sizeof *g->heap);
    fill = calloc(nn, sizeof *fill);
    if (!g->val || !g->sup || !g->from || !g->to || !g->adj_start || !g->adj || !g->stack ||
        !g->cursor || !g->via || !g->safe || !g->mark || !g->seen || !g->dist || !g->pred ||
        !g->heap || !fill)
        goto done;

    for (size_t i = 0; i < rows; i++) {
        uint64_t rsum = 0;
        for (size_t j = 0; j < cols; j++) {
            uint64_t v = counts[i * cols + j];
            add_edge(g, edge_cell(g, i, j), (uint32_t)i, (uint32_t)(rows + j), v);
            rsum += v;
        }
        add_edge(g, edge_row_total(g, i), tc, (uint32_t)i, rsum);
    }
    for (size_t j = 0; j < cols; j++) {
        uint64_t csum = 0;
        for (size_t i = 0; i < rows; i++)
            csum += counts[i * cols + j];
        add_edge(g, edge_col_total(g, j), (uint32_t)(rows + j), tr, csum);
        grand += csum;
    }
    add_edge(g, edge_grand(g), tr, tc, grand);

    /* incidence lists, filled in edge order so every list is ascending */
    for (uint32_t e = 0; e < ne; e++) {
        g->adj_start[g->from[e] + 1]++;
        g->adj_start[g->to[e] + 1]++;
    }
    for (size_t n = 0; n < nn; n++)
        g->adj_start[n + 1] += g->adj_start[n];
    for (uint32_t e = 0; e < ne; e++) {
        g->adj[g->adj_start[g->from[e]] + fill[g->from[e]]++] = e;
        g->adj[g->adj_start[g->to[e]] + fill[g->to[e]]++] = e;
    }
    rc = 0;
done:
    free(fill);
    return rc;
}

static void graph_free(struct graph *g)
{
    free(g->val);
    free(g->sup);
    free(g->from);
    free(g->to);
    free(g->adj_start);
    free(g->adj);
    free(g->stack);
    free(g->cursor);
    free(g->via);
    free(g->safe);
    free(g->mark);
    free(g->seen);
    free(g->dist);
    free(g->pred);
    free(g->heap);
    memset(g, 0, sizeof *g);
}

/* The node at the other end of edge e, when e may be crossed from node n in the residual
 * graph: always along the edge, against it only when its value is ≥ 2 (it may shrink and
 * stay ≥ 1). NO_EDGE when e cannot be crossed from n. */
static uint32_t residual_step(const struct graph *g, uint32_t e, uint32_t n)
{
    if (g->from[e] == n)
        return g->to[e];
    return g->val[e] >= 2 ? g->from[e] : NO_EDGE;
}

/* The edge joining nodes n and m, or NO_EDGE: the layout makes this arithmetic. */
static uint32_t edge_between(const struct graph *g, uint32_t n, uint32_t m)
{
    uint32_t rows = (uint32_t)g->rows, cols = (uint32_t)g->cols, tr = rows + cols, tc = tr + 1;

    if (n > m) {
        uint32_t t = n;
        n = m;
        m = t;
    }
    if (n < rows && m >= rows && m < tr)
        return edge_cell(g, n, m - rows);
    if (n < rows && m == tc)
        return edge_row_total(g, n);
    if (n >= rows && n < tr && m == tr)
        return edge_col_total(g, n - rows);
    if (n == tr && m == tc)
        return edge_grand(g);
    return NO_EDGE;
}

/* The hidden edge by which the residual graph steps straight from n to m, or NO_EDGE. */
static uint32_t direct_arc(const struct graph *g, uint32_t n, uint32_t m, uint32_t skip)
{
    uint32_t e = edge_between(g, n, m);

    if (e == NO_EDGE || e == skip || g->sup[e] == SHOWN || residual_step(g, e, n) != m)
        return NO_EDGE;
    return e;
}

/* Marks safe the edges of the cycle a search closed: the path on stack[0 .. top) (each node
 * entered by via[]), then last from the top node to the destination; the caller's own edge
 * closes it. Every hidden edge on a residual cycle is safe, since the rest of the cycle is
 * its path round, and stays safe, since hiding more only adds arcs. */
static void mark_cycle(struct graph *g, size_t top, uint32_t last)
{
    g->safe[last] = 1;
    for (size_t k = 1; k < top; k++)
        g->safe[g->via[g->stack[k]]] = 1;
}

/* True when the residual graph of the hidden edges, without edge skip, has a path src → dst
 * (src ≠ dst); skip joins dst to src, and the edges of the cycle so found are marked safe.
 * Depth-first, going deep at once rather than queueing a node's whole list, and trying the
 * direct step to dst first at every node: a safe cell is nearly always on a short cycle (a
 * 2 × 2 rectangle, or through the margins), which this finds in a few steps even when the
 * margin nodes have thousands of neighbours. */
static bool residual_path(struct graph *g, uint32_t src, uint32_t dst, uint32_t skip)
{
    size_t top = 0;
    uint32_t stamp, e;

    if (++g->stamp == 0) { /* wrapped: old marks could collide */
        memset(g->mark, 0, g->nnodes * sizeof *g->mark);
        g->stamp = 1;
    }
    stamp = g->stamp;
    g->mark[src] = stamp;
    g->cursor[src] = g->adj_start[src];
    g->stack[top++] = src;
    if ((e = direct_arc(g, src, dst, skip)) != NO_EDGE) {
        mark_cycle(g, top, e);
        return true;
    }
    while (top > 0) {
        uint32_t n = g->stack[top - 1], m, last;
        if (g->cursor[n] == g->adj_start[n + 1]) {
            top--; /* every edge of n tried */
            continue;
        }
        e = g->adj[g->cursor[n]++];
        if (e == skip || g->sup[e] == SHOWN)
            continue;
        m = residual_step(g, e, n);
        if (m == NO_EDGE || m == dst || g->mark[m] == stamp)
            continue; /* a step to dst was tried when n was entered */
        g->mark[m] = stamp;
        g->via[m] = e;
        g->cursor[m] = g->adj_start[m];
        g->stack[top++] = m;
        if ((last = direct_arc(g, m, dst, skip)) != NO_EDGE) {
            mark_cycle(g, top, last);
            return true;
        }
    }
    return false;
}

/* True when hidden edge x can take only its true value (see the opening comment). */
static bool pinned(struct graph *g, uint32_t x)
{
    if (g->safe[x])
        return false;                                /* found on the cycle of an earlier search */
    if (residual_path(g, g->to[x], g->from[x], x) || /* x can grow */
        (g->val[x] >= 2 && residual_path(g, g->from[x], g->to[x], x))) { /* or shrink */
        g->safe[x] = 1;
        return false;
    }
    return true;
}

static bool heap_less(struct heap_entry a, struct heap_entry b)
{
    return a.dist < b.dist || (a.dist == b.dist && a.node < b.node);
}

static void heap_push(struct graph *g, size_t *len, uint64_t dist, uint32_t node)
{
    size_t i = (*len)++;
    g->heap[i] = (struct heap_entry){dist, node};
    while (i > 0 && heap_less(g->heap[i], g->heap[(i - 1) / 2])) {
        struct heap_entry t = g->heap[i];
        g->heap[i] = g->heap[(i - 1) / 2];
        g->heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

/* Pops the least (dist, node) entry; len > 0. */
static struct heap_entry heap_pop(struct graph *g, size_t *len)
{
    struct heap_entry top = g->heap[0];
    size_t i = 0;

    g->heap[0] = g->heap[--*len];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *len && heap_less(g->heap[l], g->heap[m]))
            m = l;
        if (r < *len && heap_less(g->heap[r], g->heap[m]))
            m = r;
        if (m == i)
            break;
        struct heap_entry t = g->heap[i];
        g->heap[i] = g->heap[m];
        g->heap[m] = t;
        i = m;
    }
    return top;
}

/* Dijkstra from src to dst without edge skip: hidden edges cost 0 where the residual graph
 * allows them, shown non-zero edges cost their value either way, shown zeros are closed.
 * Returns the cost (UINT64_MAX when dst is unreachable); pred[] then holds the path. */
static uint64_t cheapest_path(struct graph *g, uint32_t src, uint32_t dst, uint32_t skip)
{
    size_t len = 0;

    for (uint32_t n = 0; n < g->nnodes; n++) {
        g->dist[n] = UINT64_MAX;
        g->pred[n] = NO_EDGE;
    }
    memset(g->seen, 0, g->nnodes);
    g->dist[src] = 0;
    heap_push(g, &len, 0, src);
    while (len > 0) {
        uint32_t n = heap_pop(g, &len).node;
        if (g->seen[n])
            continue; /* a stale entry: the node was settled by a cheaper one */
        g->seen[n] = 1;
        if (n == dst)
            break;
        for (uint32_t k = g->adj_start[n]; k < g->adj_start[n + 1]; k++) {
            uint32_t e = g->adj[k], m;
            uint64_t cost;
            if (e == skip)
                continue;
            if (g->sup[e] != SHOWN) {
                m = residual_step(g, e, n);
                cost = 0;
            } else if (g->val[e] > 0) {
                m = g->from[e] == n ? g->to[e] : g->from[e];
                cost = g->val[e];
            } else {
                continue;
            }
            if (m == NO_EDGE || g->seen[m])
                continue;
            /* a simple path holds cells summing to at most G < 2^48 and at most five
             * totals, each ≤ G: no overflow */
            if (g->dist[n] + cost < g->dist[m]) {
                g->dist[m] = g->dist[n] + cost;
                g->pred[m] = e;
                heap_push(g, &len, g->dist[m], m);
            }
        }
    }
    return g->dist[dst];
}

/* Hides the shown edges on the path Dijkstra left from src to dst. Returns how many. */
static size_t hide_path(struct graph *g, uint32_t src, uint32_t dst)
{
    size_t hidden = 0;

    for (uint32_t n = dst; n != src;) {
        uint32_t e = g->pred[n];
        if (g->sup[e] == SHOWN) {
            g->sup[e] = SECONDARY;
            hidden++;
        }
        n = g->from[e] == n ? g->to[e] : g->from[e];
    }
    return hidden;
}

/* Unpins hidden edge x by the cheaper of closing a cycle along which x grows or (when x ≥ 2)
 * shrinks; growing wins ties. Returns 0 or APP_E_INTERNAL when no path exists. */
static int unpin(struct graph *g, uint32_t x)
{
    uint64_t grow = cheapest_path(g, g->to[x], g->from[x], x), shrink = UINT64_MAX;

    if (g->val[x] >= 2)
        shrink = cheapest_path(g, g->from[x], g->to[x], x);
    if (grow == UINT64_MAX && shrink == UINT64_MAX)
        return APP_E_INTERNAL;
    if (shrink < grow) {
        /* pred[] already holds the shrink search */
        hide_path(g, g->from[x], g->to[x]);
        return 0;
    }
    if (g->val[x] >= 2)
        cheapest_path(g, g->to[x], g->from[x], x); /* redo: pred[] holds the shrink search */
    hide_path(g, g->to[x], g->from[x]);
    return 0;
}

/* Marks hidden (secondary) the non-zero edges the caller wants hidden; a zero stays shown. */
static void force_hidden(struct graph *g, const struct disclosure_hide *hide)
{
    if (!hide)
        return;
    for (size_t i = 0; i < g->rows; i++) {
        for (size_t j = 0; hide->cells && j < g->cols; j++)
            if (hide->cells[i * g->cols + j] && g->val[edge_cell(g, i, j)] > 0)
                g->sup[edge_cell(g, i, j)] = SECONDARY;
        if (hide->row_totals && hide->row_totals[i] && g->val[edge_row_total(g, i)] > 0)
            g->sup[edge_row_total(g, i)] = SECONDARY;
    }
    for (size_t j = 0; hide->col_totals && j < g->cols; j++)
        if (hide->col_totals[j] && g->val[edge_col_total(g, j)] > 0)
            g->sup[edge_col_total(g, j)] = SECONDARY;
    if (hide->grand_total && g->val[edge_grand(g)] > 0)
        g->sup[edge_grand(g)] = SECONDARY;
}

/* Primary suppression, the caller's hidden edges, then secondary suppression on the built
 * graph. Returns 0 or APP_E_INTERNAL. */
static int suppress(struct graph *g, uint32_t threshold, const struct disclosure_hide *hide)
{
    force_hidden(g, hide);
    for (uint32_t e = 0; e < g->nedges; e++)
        if (g->val[e] >= 1 && g->val[e] <= threshold)
            g->sup[e] = PRIMARY;
    for (int pass = 0; pass < 2; pass++) {
        bool changed = false;
        for (uint32_t x = 0; x < g->nedges; x++) {
            if (g->sup[x] == SHOWN || !pinned(g, x))
                continue;
            if (pass == 1 || unpin(g, x) != 0 || pinned(g, x))
                return APP_E_INTERNAL; /* the safety net caught a bug */
            changed = true;
        }
        if (!changed)
            break;
    }
    return 0;
}

static struct disclosure_cell publish(const struct graph *g, uint32_t e, bool round)
{
    struct disclosure_cell c = {0, true, false, false};

    if (g->sup[e] != SHOWN)
        return hidden_cell(g->sup[e]);
    c.value = round ? disclosure_round5(g->val[e]) : g->val[e];
    return c;
}

/* Marks every output hidden, so a caller that ignores an error still discloses nothing. */
static void hide_all(size_t rows, size_t cols, struct disclosure_cell *cells,
                     struct disclosure_cell *row_totals, struct disclosure_cell *col_totals,
                     struct disclosure_cell *grand_total)
{
    struct disclosure_cell h = {0, false, false, false};

    if (cells)
        for (size_t k = 0; k < rows * cols; k++)
            cells[k] = h;
    if (row_totals)
        for (size_t i = 0; i < rows; i++)
            row_totals[i] = h;
    if (col_totals)
        for (size_t j = 0; j < cols; j++)
            col_totals[j] = h;
    if (grand_total)
        *grand_total = h;
}

int disclosure_table(size_t rows, size_t cols, const uint32_t *counts,
                     const struct disclosure_opts *opts, struct disclosure_cell *cells,
                     struct disclosure_cell *row_totals, struct disclosure_cell *col_totals,
                     struct disclosure_cell *grand_total)
{
    return disclosure_table_hiding(rows, cols, counts, opts, NULL, cells, row_totals, col_totals,
                                   grand_total);
}

int disclosure_table_hiding(size_t rows, size_t cols, const uint32_t *counts,
                            const struct disclosure_opts *opts, const struct disclosure_hide *hide,
                            struct disclosure_cell *cells, struct disclosure_cell *row_totals,
                            struct disclosure_cell *col_totals, struct disclosure_cell *grand_total)
{
    struct graph g = {0};
    bool round = rounding(opts), sized = false;
    size_t max = hide && hide->max_cells ? hide->max_cells : DISCLOSURE_MAX_CELLS;
    int rc = APP_E_INVALID;

    if (max > DISCLOSURE_MAX_CELLS_WIDE)
        max = DISCLOSURE_MAX_CELLS_WIDE;
    if (rows == 0 || cols == 0)
        goto done;
    rc = APP_E_TOOBIG;
    /* each factor first, so the product cannot wrap */
    if (rows > max || cols > max || rows * cols > max)
        goto done;
    sized = true; /* from here on the outputs have the sizes the caller promised */
    rc = APP_E_INVALID;
    if (!counts || !cells)
        goto done;
    rc = graph_build(&g, rows, cols, counts);
    if (rc != 0)
        goto done;
    rc = suppress(&g, disclosure_threshold(opts), hide);
    if (rc != 0)
        goto done;

    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            cells[i * cols + j] = publish(&g, edge_cell(&g, i, j), round);
    if (row_totals)
        for (size_t i = 0; i < rows; i++)
            row_totals[i] = publish(&g, edge_row_total(&g, i), round);
    if (col_totals)
        for (size_t j = 0; j < cols; j++)
            col_totals[j] = publish(&g, edge_col_total(&g, j), round);
    if (grand_total)
        *grand_total = publish(&g, edge_grand(&g), round);
done:
    if (rc != 0 && sized)
        hide_all(rows, cols, cells, row_totals, col_totals, grand_total);
    graph_free(&g);
    return rc;
}

int disclosure_breakdown(size_t n, const uint32_t *counts, const struct disclosure_opts *opts,
                         struct disclosure_cell *cells, struct disclosure_cell *total)
{
    /* As a one-row table the column totals equal the cells, so assuming them published
     * costs nothing, and the grand total equals the row total. */
    return disclosure_table(1, n, counts, opts, cells, total, NULL, NULL);
}

/* ---- text ----------------------------------------------------------------------------- */

int disclosure_format(const struct disclosure_cell *c, char *out, size_t size)
{
    char digits[24], text[DISCLOSURE_TEXT_MAX];
    size_t nd = 0, len = 0;
    uint64_t v;

    if (!c || !out)
        return APP_E_INVALID;
    if (!c->shown) {
        text[len++] = '*';
    } else {
        v = c->value;
        do {
            digits[nd++] = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        /* digits are least significant first; a comma before every group of three */
        while (nd > 0) {
            text[len++] = digits[--nd];
            if (nd > 0 && nd % 3 == 0)
                text[len++] = ',';
        }
    }
    if (len + 1 > size) {
        if (size > 0)
            out[0] = '\0';
        return APP_E_TOOBIG;
    }
    memcpy(out, text, len);
    out[len] = '\0';
    return 0;
}

int disclosure_stat_format(const struct disclosure_stat *s, int decimals, char *out, size_t size)
{
    int n;

    if (!s || !out || decimals < 0 || decimals > 6)
        return APP_E_INVALID;
    if (s->suppressed)
        n = snprintf(out, size, "*");
    else if (!s->shown)
        n = snprintf(out, size, "%s", "");
    else
        n = snprintf(out, size, "%.*f", decimals, s->value);
    /* A small negative value rounds to "-0" (or "-0.0"): publish it as the zero it reads as. */
    if (n > 1 && (size_t)n < size && out[0] == '-' && strspn(out + 1, "0.") == (size_t)(n - 1)) {
        memmove(out, out + 1, (size_t)n);
        n--;
    }
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            out[0] = '\0';
        return APP_E_TOOBIG;
    }
    return 0;
}

const char *disclosure_count_text(struct arena *a, uint64_t n)
{
    struct disclosure_cell c = disclosure_count(n, NULL);
    char text[DISCLOSURE_TEXT_MAX];
    return disclosure_format(&c, text, sizeof text) ? NULL : arena_strdup(a, text);
}
