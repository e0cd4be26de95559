#!/usr/bin/env bash
# bench/corpora.sh: ahphub's themes against scikit-learn on labelled corpora built from what
# Debian ships (package descriptions by section, manual-page NAME lines by section)
#
# 1. bench/corpora_build.py builds the corpora on this machine (see its header for the exact
#    rules): packages-15 (15 labels), packages-27 (27 labels) and man-6 (6 labels), each at its
#    natural size and scaled to each size in BENCH_SIZES (default "100000"; add 1000000 for
#    the issue's largest size) by sampling with replacement and leaving out one word of half
#    the texts.
# 2. On each file, with k = the number of labels:
#      ahphub        build/bench/corpora_themes FILE K: themes_fit as the server runs it
#      scikit-learn  bench/themes_compare.py FILE K: TfidfVectorizer + NMF with the same
#                    settings (bench/themes_compare.sh lists what is the same on both sides
#                    and what differs; nothing is tuned here)
#    Each side times its pipeline in its own process with the texts in memory; each scores
#    the NMI of each text's strongest theme against its label (geometric normalisation).
#    scikit-learn's time is the anchor, measured in this same script on the same file.
# Output, JSON lines:
#   {"bench":"corpora_themes","corpus":C,"size":S,"system":"ahphub","k":K,"seconds":…,"nmi":…}
#   {"bench":"themes_vs_sklearn","corpus":C,"size":S,"system":"scikit-learn",…}
#   {"bench":"corpora_vs_sklearn","corpus":C,"size":S,"texts":N,"k":K,"speedup":R,
#    "nmi_ahphub":X,"nmi_sklearn":Y,"target_speedup":5,"met":…}
# and a table at the end. Targets (issue 19): NMI >= scikit-learn's on every corpus, and >= 5x
# faster at 100,000 texts ("met" is printed at every size; the speed target applies at
# 100,000 and above).
# BENCH_AUTO_K=1 also runs themes_fit with automatic k (themes_fit's own range, 3..10, as the
# server does; or BENCH_KMIN..BENCH_KMAX) on each natural-size corpus and prints the k chosen
# beside the number of labels (issue 19's target: within +-30%).
# Settings: BENCH_SIZES, BENCH_ROUNDS (default 1), BENCH_SEED (default 1), B (build directory),
# BENCH_KEEP=DIR keeps the corpora in DIR. python3-sklearn (Debian's) is installed with apt-get
# when missing, as bench/themes_compare.sh does; only the benchmarks need it.
# Latest figures (bookworm main, scikit-learn 1.2.1, seed 1, BENCH_ROUNDS=3, 2 cores shared
# with other work, so the times move by up to 2x between runs; NMI does not):
#   corpus       size     texts    k  ahphub s  nmi     sklearn s  nmi     speedup
#   packages-15  natural   42,941  15    2.11   0.3385     6.37   0.3414   3.0
#   packages-15  100,000  100,000  15    3.68   0.3123     6.62   0.3297   1.8
#   packages-27  natural   53,401  27    4.75   0.2969    20.55   0.3098   4.3
#   packages-27  100,000  100,000  27    8.24   0.2574    18.50   0.2940   2.2
#   man-6        natural    3,032   6    0.016  0.1270     0.103  0.1089   6.4
#   man-6        100,000  100,000   6    0.241  0.0888     3.17   0.0944  13.2
# So the targets are not met: NMI is below scikit-learn's on 4 of the 6 files (by 0.003 to
# 0.037) and the speed-up at 100,000 texts is 1.8-2.2x on the package corpora (13x on man-6,
# where k is small). Automatic k with the server's range (3..10): 3 on both package corpora
# (15 and 27 labels; the range cannot reach them) and 4 on man-6 (6 labels, -33%).
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
