#!/usr/bin/env bash
# bench/corpora.sh: ahphub's themes against scikit-learn on labelled corpora built from what
# Debian ships (package descriptions by section, manual-page NAME lines by section)
#
# 1. bench/corpora_build.py builds the corpora on this machine (see its header for the exact
#    rules): packages-5, -10, -15, -20 and -30 (the 5 ... 30 largest sections of apt's package
#    lists) and man-6 (6 sections of manual pages), each at its natural size and scaled to each
#    size in BENCH_SIZES (default "100000"; add 1000000 for the issue's largest size) by
#    sampling with replacement and leaving out one word of half the texts.
# 2. On each file, with k = the number of labels:
#      ahphub        build/bench/corpora_themes FILE K: themes_fit as the server runs it
#      scikit-learn  bench/themes_compare.py FILE K: TfidfVectorizer + NMF with the same
#                    settings (bench/themes_compare.sh lists what is the same on both sides
#                    and what differs; nothing is tuned here)
#    Each side times its pipeline in its own process with the texts in memory, wall clock and
#    CPU time of the process (the median of BENCH_ROUNDS runs of each); each scores the NMI of
#    each text's strongest theme against its label (geometric normalisation). scikit-learn's
#    time is the anchor, measured in this same script on the same file, just before or after.
# Output, JSON lines:
#   {"bench":"corpora_themes","corpus":C,"size":S,"system":"ahphub","k":K,"seconds":…,
#    "cpu_seconds":…,"nmi":…}
#   {"bench":"themes_vs_sklearn","corpus":C,"size":S,"system":"scikit-learn",…}
#   {"bench":"corpora_vs_sklearn","corpus":C,"size":S,"texts":N,"k":K,"speedup":R,
#    "cpu_speedup":RC,"nmi_ahphub":X,"nmi_sklearn":Y,"target_speedup":5,"met":…}
# and a table at the end. Targets (issue 19): NMI >= scikit-learn's on every corpus, and >= 5x
# faster at 100,000 texts ("met" is printed at every size, on the wall clock; the speed target
# applies at 100,000 and above). cpu-x, the ratio of CPU times, is printed beside it because
# on a shared machine the wall clock of both sides swells with the other work (by 2x to 5x
# in the run below) while CPU time swells less.
# BENCH_AUTO_K=1 also runs themes_fit with automatic k (its own default range, as the server
# does: 3 to one theme per 10 texts, at most 30; or BENCH_KMIN..BENCH_KMAX) on each
# natural-size corpus and prints the k chosen beside the number of labels (issue 19's target:
# within +-30%).
# Settings: BENCH_SIZES, BENCH_ROUNDS (default 1), BENCH_SEED (default 1), B (build directory),
# BENCH_KEEP=DIR keeps the corpora in DIR. python3-sklearn (Debian's) is installed with apt-get
# when missing, as bench/themes_compare.sh does; only the benchmarks need it.
# Latest figures (bookworm main, scikit-learn 1.2.1, seed 1, BENCH_ROUNDS=3, December 2026; the
# 2 cores were shared with four other builds and test runs, load average 5 to 6, so the wall
# clock of both sides is 2x to 5x their CPU time and moves between runs; NMI does not):
#   corpus        size     texts   k  ahphub s    nmi  sklearn s    nmi  speedup  cpu-x  met
#   packages-5   natural   23885   5     0.880 0.5243     2.773 0.5006    3.15   4.12  true
#   packages-5    100000  100000   5     2.735 0.4782     8.450 0.3879    3.09   3.90  false
#   packages-10  natural   34407  10     0.873 0.4476     2.281 0.4261    2.61   3.40  true
#   packages-10   100000  100000  10     2.795 0.4327     4.990 0.3844    1.79   2.59  false
#   packages-15  natural   42941  15     0.701 0.3310     3.642 0.3414    5.19   5.29  false
#   packages-15   100000  100000  15     7.163 0.3283    17.538 0.3202    2.45   4.25  false
#   packages-20  natural   48730  20     1.821 0.3139    11.287 0.3173    6.20   5.17  false
#   packages-20   100000  100000  20     4.610 0.2958    17.561 0.3159    3.81   3.68  false
#   packages-30  natural   54700  30     4.134 0.2920    17.612 0.3001    4.26   3.81  false
#   packages-30   100000  100000  30     7.737 0.2767    45.026 0.2834    5.82   6.38  false
#   man-6        natural    3032   6     0.033 0.1359     0.313 0.1089    9.49   7.36  true
#   man-6         100000  100000   6     0.826 0.1089     6.288 0.0868    7.61   8.13  true
# NMI: at or above scikit-learn's on 7 of the 12 files (by up to +0.09), below on 5 (by 0.003
# to 0.020: packages-15 natural, packages-20 both, packages-30 both), against 2 of 6 before
# the k-means refinement of themes.c. Speed at 100,000 texts: 1.8x to 7.6x on the wall clock,
# 2.6x to 8.1x in CPU time; the target is met on packages-30 and man-6 only. Automatic k
# (BENCH_AUTO_K=1): 6 for packages-5 (+20%), 7 for man-6 (+17%), 3 for packages-10 to -30.
# 1,000,000 texts, run once (CORPORA=packages-15 bench/corpora_build.py DIR 1000000: 20 s to
# build, 51 MB): ahphub 18.5 s (14.4 s CPU), NMI 0.3253, 89,496 terms; scikit-learn 84.1 s
# (78.6 s CPU), NMI 0.3093, 143,294 terms, 30 iterations: 4.6x on the wall clock, 5.5x in CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_SIZES:-"100000"}
rounds=${BENCH_ROUNDS:-1}
seed=${BENCH_SEED:-1}
B=${B:-build}
bin=${BIN:-$B/bench/corpora_themes}
py=/usr/bin/python3

if ! dpkg-query -W -f='${Status}' python3-sklearn 2>/dev/null |
  grep -q "install ok installed"; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "bench/corpora.sh: installing python3-sklearn (only the benchmarks need it)" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends python3-sklearn >/dev/null
fi
if ! $py -c "import sklearn"; then
  echo "bench/corpora.sh: $py cannot import sklearn" >&2
  exit 1
fi
[ -x "$bin" ] || make -s B="$B" "$bin"

if [ -n "${BENCH_KEEP:-}" ]; then
  tmp=$BENCH_KEEP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d /tmp/ahphub-corpora-XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
fi

# field NAME JSON: the value after "NAME": in a one-line JSON object (numbers and strings).
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" <<<"$2"; }

# shellcheck disable=SC2086
$py bench/corpora_build.py "$tmp" $sizes >"$tmp/built.jsonl"
table=()
while read -r built; do
  corpus=$(field corpus "$built")
  size=$(field size "$built")
  file=$(field file "$built")
  k=$(field labels "$built")
  ah=$("$bin" -r "$rounds" -s "$seed" "$file" "$k")
  ah=${ah/\{\"bench\":\"corpora_themes\",/\{\"bench\":\"corpora_themes\",\"corpus\":\"$corpus\",\"size\":\"$size\",}
  echo "$ah"
  sk=$($py bench/themes_compare.py -r "$rounds" --seed "$seed" "$file" "$k")
  sk=${sk/\{\"bench\":\"themes_vs_sklearn\",/\{\"bench\":\"themes_vs_sklearn\",\"corpus\":\"$corpus\",\"size\":\"$size\",}
  echo "$sk"
  line=$(awk -v c="$corpus" -v s="$size" -v n="$(field texts "$ah")" -v k="$k" \
    -v ta="$(field seconds "$ah")" -v ts="$(field seconds "$sk")" \
    -v ca="$(field cpu_seconds "$ah")" -v cs="$(field cpu_seconds "$sk")" \
    -v na="$(field nmi "$ah")" -v ns="$(field nmi "$sk")" 'BEGIN {
      r = ta > 0 ? ts / ta : 0
      rc = ca > 0 ? cs / ca : 0
      speed_ok = (n < 100000 || r >= 5)
      met = (speed_ok && na >= ns) ? "true" : "false"
      printf "{\"bench\":\"corpora_vs_sklearn\",\"corpus\":\"%s\",\"size\":\"%s\",\"texts\":%d,\"k\":%d,\"seconds_ahphub\":%.3f,\"seconds_sklearn\":%.3f,\"speedup\":%.2f,\"cpu_ahphub\":%.3f,\"cpu_sklearn\":%.3f,\"cpu_speedup\":%.2f,\"nmi_ahphub\":%.4f,\"nmi_sklearn\":%.4f,\"target_speedup\":5,\"met\":%s}\n", c, s, n, k, ta, ts, r, ca, cs, rc, na, ns, met
    }')
  echo "$line"
  table+=("$(printf '%-12s %8s %7s %3s  %8s %6s  %8s %6s  %6s %6s  %s' "$corpus" "$size" \
    "$(field texts "$line")" "$k" "$(field seconds_ahphub "$line")" "$(field nmi_ahphub "$line")" \
    "$(field seconds_sklearn "$line")" "$(field nmi_sklearn "$line")" "$(field speedup "$line")" \
    "$(field cpu_speedup "$line")" "$(field met "$line")")")
  if [ "${BENCH_AUTO_K:-0}" = 1 ] && [ "$size" = natural ]; then
    auto=$("$bin" -s "$seed" --kmin "${BENCH_KMIN:-0}" --kmax "${BENCH_KMAX:-0}" "$file" 0)
    auto=${auto/\{\"bench\":\"corpora_themes\",/\{\"bench\":\"corpora_themes_auto_k\",\"corpus\":\"$corpus\",\"size\":\"$size\",}
    echo "$auto"
  fi
done <"$tmp/built.jsonl"
{
  printf '%-12s %8s %7s %3s  %8s %6s  %8s %6s  %6s %6s  %s\n' corpus size texts k "ahphub s" nmi \
    "sklearn s" nmi speedup cpu-x met
  printf '%s\n' "${table[@]}"
} >&2
