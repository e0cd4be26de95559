#!/usr/bin/env bash
# tests/run.sh: the whole suite behind `make check`
#
# 1. unit tests (cmocka), the storage tests on SQLite;  2. HTTP tests on SQLite;
# 3. storage and HTTP tests on a throw-away PostgreSQL (scripts/pg-temp);
# 4. browser tests (playwright-core + Debian chromium + axe-core);
# 5. unit and HTTP tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Each cmocka binary reports in TAP; a binary that dies mid-way counts as one more failure.
# The last line is "N passed, N failed"; the exit status is non-zero on any failure.
set -u
cd "$(dirname "$0")/.."

pass=0
fail=0
skip=0
failed_names=()
tmp=$(mktemp -d /tmp/ahphub-check-XXXXXX)
pgdir=$tmp/pg
pg_url=""

cleanup() {
  if [ -n "$pg_url" ]; then scripts/pg-temp stop "$pgdir" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Runs one cmocka binary; label says which pass it belongs to.
run_cmocka() {
  local label=$1 bin=$2
  shift 2
  local out rc p f s planned
  out=$(env CMOCKA_MESSAGE_OUTPUT=TAP "$@" "$bin" 2>"$tmp/stderr")
  rc=$?
  p=$(grep -c '^ok ' <<<"$out")
  s=$(grep -c '^not ok .*# SKIP' <<<"$out")
  f=$(($(grep -c '^not ok ' <<<"$out") - s))
  planned=$(grep -m1 -oE '^1\.\.[0-9]+' <<<"$out" | cut -c4-)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1 # crashed, or a sanitizer stopped it
  elif [ -n "$planned" ] && [ $((p + f + s)) -lt "$planned" ]; then
    f=$((planned - p - s))
  fi
  pass=$((pass + p))
  fail=$((fail + f))
  skip=$((skip + s))
  printf '%-10s %-40s %3d passed, %d failed%s\n' "$label" "${bin#*/tests/}" "$p" "$f" \
    "$([ "$s" -gt 0 ] && echo ", $s skipped")"
  if [ "$f" -ne 0 ]; then
    failed_names+=("$label ${bin#*/tests/}")
    grep '^not ok ' <<<"$out" | sed 's/^/    /'
    tail -n 30 "$tmp/stderr" | sed 's/^/    | /'
  fi
}

uses_db() { case $1 in */tests/unit/assess/*|*/tests/unit/store/*|*/tests/unit/account/*|*/tests/unit/listen/*|*/tests/unit/develop/*|*/tests/http/*) return 0 ;; esac; return 1; }

run_suite() { # label build-dir
  local label=$1 b=$2 t
  for t in $(find "$b/tests/unit" "$b/tests/http" -type f -perm -u+x 2>/dev/null | sort); do
    run_cmocka "$label" "$t" AHPHUB_TEST_DB="sqlite:$tmp/$label-$(basename "$t").db"
  done
  if [ -n "$pg_url" ]; then
    for t in $(find "$b/tests/unit" "$b/tests/http" -type f -perm -u+x 2>/dev/null | sort); do
      uses_db "$t" && run_cmocka "$label-pg" "$t" AHPHUB_TEST_DB="$pg_url"
    done
  fi
}

echo "== build"
# the benchmarks are built too (not run), so a change that breaks one fails here
if ! make -s -j2 test-bins bench-bins >"$tmp/build.log" 2>&1; then
  cat "$tmp/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== PostgreSQL"
if pg_url=$(scripts/pg-temp start "$pgdir" 2>"$tmp/pg.log"); then
  echo "throw-away cluster at ${pg_url%%\?*}"
else
  cat "$tmp/pg.log"
  pg_url=""
  fail=$((fail + 1))
  failed_names+=("postgres: could not start a throw-away cluster")
fi

echo "== unit and HTTP tests"
run_suite unit build

echo "== browser tests"
if [ -f tests/browser/run.mjs ]; then
  out=$(node tests/browser/run.mjs 2>&1)
  rc=$?
  echo "$out" | tail -n 40
  last=$(tail -n 1 <<<"$out")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    pass=$((pass + BASH_REMATCH[1]))
    fail=$((fail + BASH_REMATCH[2]))
    [ "${BASH_REMATCH[2]}" -ne 0 ] && failed_names+=("browser")
    if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then fail=$((fail + 1)); fi
  else
    fail=$((fail + 1))
    failed_names+=("browser: runner did not report")
  fi
fi

echo "== sanitizers (ASan + UBSan)"
if make -s asan >"$tmp/asan.log" 2>&1; then
  # fontconfig keeps a small cache for the life of the process that LeakSanitizer reports
  # (tests/lsan.supp says why); GLib's slice allocator would hide our own leaks from it.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp G_SLICE=always-malloc G_DEBUG=gc-friendly \
    run_suite asan build/asan
else
  cat "$tmp/asan.log"
  fail=$((fail + 1))
  failed_names+=("asan build")
fi

if [ ${#failed_names[@]} -gt 0 ]; then
  echo "== failures"
  printf '  %s\n' "${failed_names[@]}"
fi
if [ "$skip" -gt 0 ]; then
  echo "$pass passed, $fail failed, $skip skipped"
else
  echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
