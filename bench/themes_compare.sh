#!/usr/bin/env bash
# bench/themes_compare.sh: ahphub's theme pipeline against scikit-learn on the same short texts
#
# For each size N in BENCH_SIZES (default "10000 100000 1000000"), writes N short texts
# sampled from a labelled corpus (build/bench/themes_compare --gen: 8-25 consecutive words of a
# paragraph of one of five licences in /usr/share/common-licenses, labelled by the licence,
# fixed seed; see bench/themes_compare.c), then runs on that one file:
#   ahphub        build/bench/themes_compare FILE K: themes_fit (tokenise -> TF-IDF -> NMF ->
#                 labels, memberships, coherence, representatives), k = K
#   scikit-learn  bench/themes_compare.py FILE K: TfidfVectorizer + NMF + top terms, k = K
# Each side times its pipeline in its own process with the texts already in memory (file
# reading, process start and imports are excluded on both), and scores the NMI of each text's
# strongest component against its licence (geometric normalisation on both sides). Prints:
#   {"bench":"themes_vs_sklearn","texts":N,"system":"ahphub","k":K,"seconds":S,"nmi":X,...}
#   {"bench":"themes_vs_sklearn","texts":N,"system":"scikit-learn","k":K,"seconds":S,"nmi":X,...}
#   {"bench":"themes_vs_sklearn","texts":N,"speedup":R,"nmi_ahphub":X,"nmi_sklearn":Y,
#    "target_speedup":5,"target_nmi_gap":-0.02,"met":true|false}
# Target (issue "Listen analysis"): ahphub >= 5x faster than scikit-learn, with NMI no worse
# than scikit-learn's - 0.02. scikit-learn is skipped at a size when it took more than 120 s at
# the size before (a "skipped" line says so), since each size is 10x the last.
#
# Settings: BENCH_SIZES, BENCH_K (default 5, one per licence), BENCH_ROUNDS (default 1; the
# median of R runs in each process), BENCH_SEED (default 1: themes_fit's seed and NMF's
# random_state), BENCH_SKLEARN_LIMIT (the 120 s above), B (build directory, default build) or
# BIN (the C program). python3-sklearn (Debian's; PyPI is not used) is installed with apt-get when
# missing: only this benchmark needs it, so scripts/deps does not install it. It runs under
# /usr/bin/python3, since `python3` on PATH may be another interpreter without Debian's
# packages.
#
# What is the same on both sides: the texts, k, the stop-word list (data/stopwords-en.txt),
# unigrams + bigrams, min_df 2 and max_df 0.8 on every term, sublinear tf (1 + ln tf), smooth
# idf (ln((1 + n)/(1 + df)) + 1), l2-normalised rows, NNDSVDa start from a randomised SVD, then
# coordinate descent (HALS, scikit-learn's "cd" solver) on the Frobenius loss with no
# regularisation, max_iter 200, tol 1e-4, a fixed seed.
# What differs, because the two pipelines are built differently (none of it is tuned here):
#  - Tokens: ahphub NFKC-normalises and case-folds, keeps letter/digit runs with inner
#    apostrophes, drops pure numbers and one-character tokens and a possessive 's.
#    scikit-learn lower-cases and takes \b\w\w+\b (numbers kept, "don't" -> "don").
#  - Stemming: ahphub counts Snowball English stems ("licensed", "licensing" -> "licens");
#    scikit-learn counts surface words. A stemming analyser in Python would be a different,
#    much slower scikit-learn pipeline, so stock TfidfVectorizer is measured.
#  - Stop words: the same list; scikit-learn's copy also holds the pieces its tokeniser makes
#    of listed contractions ("don"), so both remove the same words.
#  - Bigrams: ahphub pairs adjacent non-stop tokens within a phrase (a stop word or clause
#    punctuation between them prevents the bigram); scikit-learn removes stop words and then
#    pairs whatever tokens are left, across punctuation, so it has more (and noisier) bigrams.
#  - SVD for NNDSVDa: both randomised subspace iteration with 10 extra columns and 7 power
#    iterations; ahphub on the smaller side only (Cholesky QR), scikit-learn on both (LU).
#  - Stopping: ahphub stops when an iteration lowers ||X - WH|| by less than tol times the
#    starting error; scikit-learn when the projected-gradient violation falls below tol times
#    the first iteration's. Iterations run are printed (n_iter) for scikit-learn.
#  - Output: ahphub also computes memberships, NPMI coherence per theme and representative
#    texts with a near-duplicate check; scikit-learn only the top 10 terms per component.
#  - Threads: ahphub runs in one thread. scikit-learn's cd solver and scipy's sparse products
#    are single-threaded; NumPy's BLAS may use both cores for the dense steps (left as is).
#
# The issue states the target for 100,000 texts; 10k and 1M show how time grows, and the
# script prints its verdict ("met") at every size so that nothing is hidden.
# Figures after issue 19 (subspace-iteration SVD, k-means refinement of the themes; k = 5,
# seed 1, BENCH_ROUNDS=3, 2 cores shared with four other builds, load average about 5):
#   10k texts: ahphub 0.061 s, NMI 0.210; scikit-learn 0.277 s, NMI 0.191 (4.5x)
#   100k:      ahphub 0.607 s, NMI 0.199; scikit-learn 2.07 s,  NMI 0.201 (3.4x)
# The NMI rose (0.193 -> 0.210, 0.186 -> 0.199); the refinement costs about 12% of the time
# at k = 5, and the SVD (k + 10 columns, 7 power iterations) about 45%. The figures below are
# the earlier ones, kept for the record.
# Latest figures (2 shared cores, quiet; scikit-learn 1.2.1; k = 5, seed 1; BENCH_ROUNDS=3
# for 10k and 100k, 1 for 1M):
#   10k texts: ahphub 0.055 s, NMI 0.193; scikit-learn 0.366 s, NMI 0.191 (6.7x)
#   100k:      ahphub 0.505 s, NMI 0.186; scikit-learn 3.32 s,  NMI 0.201 (6.6x)
#   1M:        ahphub 4.79 s,  NMI 0.160; scikit-learn 33.4 s,  NMI 0.204 (7.0x)
# (Before HALS swept four rows at once and gram() lost its branch, 100k took 0.69-0.86 s,
# 4.7-5.2x.) So both parts of the target are met at 100k and 10k; at 1M the speed is, the NMI
# (0.044 below scikit-learn's) is not.
# Why 1M fails (measured later, k = 5, seed 1, texts from 10k to 1M; NMF's result does not
# depend on the seed, since the SVD start is accurate): the vocabulary stops growing at 100k
# (2,042 terms at 100k and at 1M), yet NMI falls from 0.186 (100k) to 0.140 (200k) and
# 0.158-0.160 (300k-1M) as NMF settles in another optimum of nearly the same features; run to
# convergence (tol 1e-12) it is 0.198 at 100k and 0.155-0.157 from 200k to 1M, so the early
# stop (9-13 iterations against scikit-learn's 46-60) is not the cause. The stemmer is:
#   feature variant (ahphub otherwise unchanged)    10k    100k   200k-700k     1M
#   Snowball stems (as shipped)                     0.193  0.186  0.140-0.160   0.160
#   bigrams across stop words (sklearn's rule)      0.173  0.167  -             0.176
#   ... and across punctuation as well              0.176  0.162  -             0.159
#   Porter2's inflectional steps only (0,1a-c,5)    0.166  0.165  0.181-0.186   0.185
#   no stemming                                     0.197  0.199  0.196-0.197   0.196
#   plural-only S-stemmer (Harman 1991)             0.203  0.215  0.198-0.214   0.209
# and ahphub's NMF on scikit-learn's own matrix gives 0.195 (100k) and 0.189 (1M). Bigrams that
# skip stop words make it worse, not better. Stemming less fixes 1M, but neither variant was
# adopted: with no stemming the top terms repeat ("waiting list", "waiting lists", "lists");
# with the S-stemmer, themes_test's automatic k on the licence paragraphs picks 4 themes and
# its NMI margin over chance falls from 0.28 to 0.19 (below the 0.20 asserted). A change of
# stemmer is a product decision, left open.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_SIZES:-"10000 100000 1000000"}
k=${BENCH_K:-5}
rounds=${BENCH_ROUNDS:-1}
seed=${BENCH_SEED:-1}
B=${B:-build}
bin=${BIN:-$B/bench/themes_compare}
py=/usr/bin/python3
skip_after=${BENCH_SKLEARN_LIMIT:-120}

if ! dpkg-query -W -f='${Status}' python3-sklearn 2>/dev/null |
  grep -q "install ok installed"; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "bench/themes_compare.sh: installing python3-sklearn (only this benchmark needs it)" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends python3-sklearn >/dev/null
fi
if ! $py -c "import sklearn"; then
  echo "bench/themes_compare.sh: $py cannot import sklearn" >&2
  exit 1
fi
[ -x "$bin" ] || make -s B="$B" "$bin"

tmp=$(mktemp -d /tmp/ahphub-themes-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# field NAME JSON: the number after "NAME": in a one-line JSON object.
field() { sed -n "s/.*\"$1\":\([-0-9.eE+]*\).*/\1/p" <<<"$2"; }

prev_sk=0
for n in $sizes; do
  corpus=$tmp/texts-$n.tsv
  "$bin" --gen "$n" "$corpus"
  ah=$("$bin" -r "$rounds" -s "$seed" "$corpus" "$k")
  echo "$ah"
  if awk -v s="$prev_sk" -v m="$skip_after" 'BEGIN { exit !(s > m) }'; then
    echo "{\"bench\":\"themes_vs_sklearn\",\"texts\":$n,\"system\":\"scikit-learn\",\"k\":$k,\"skipped\":\"took ${prev_sk} s at the previous size (limit ${skip_after} s)\"}"
    rm -f "$corpus"
    continue
  fi
  sk=$($py bench/themes_compare.py -r "$rounds" --seed "$seed" "$corpus" "$k")
  echo "$sk"
  prev_sk=$(field seconds "$sk")
  awk -v n="$n" -v ta="$(field seconds "$ah")" -v ts="$prev_sk" -v na="$(field nmi "$ah")" \
    -v ns="$(field nmi "$sk")" 'BEGIN {
      r = ta > 0 ? ts / ta : 0
      met = (r >= 5 && na >= ns - 0.02) ? "true" : "false"
      printf "{\"bench\":\"themes_vs_sklearn\",\"texts\":%d,\"speedup\":%.2f,\"nmi_ahphub\":%.4f,\"nmi_sklearn\":%.4f,\"target_speedup\":5,\"target_nmi_gap\":-0.02,\"met\":%s}\n", n, r, na, ns, met
    }'
  rm -f "$corpus"
done
