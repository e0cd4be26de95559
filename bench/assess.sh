#!/usr/bin/env bash
# bench/assess.sh: a round's benchmark with 70,000 responses — on PostgreSQL, and as a page
# under wrk
#
# 1. build/bench/assess_db_bench against a throw-away PostgreSQL (scripts/pg-temp): the whole
#    benchmark of the round read from the database (`make bench` runs the same binary on
#    SQLite by itself).
# 2. The benchmark page of that round, served by `ahphub serve` from a SQLite database with the
#    same 70,000 responses, to a logged-in member under wrk (64 connections, 2 threads,
#    BENCH_SECONDS s, BENCH_ROUNDS rounds, medians), against nginx serving a saved copy of the
#    same page as a static file (the anchor, in the same script with the same settings).
# Target (issue "Assess"): ≤ 100 ms for the benchmark on both engines; the page at p99 ≤ 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${BENCH_SECONDS:-20}
rounds=${BENCH_ROUNDS:-3}
bin=build/ahphub
bench=build/bench/assess_db_bench
for t in wrk nginx curl; do
  command -v $t >/dev/null || { echo "bench/assess.sh: $t is missing (scripts/deps installs it)" >&2; exit 1; }
done
[ -x $bin ] || make -s all
[ -x $bench ] || make -s $bench

tmp=$(mktemp -d /tmp/ahphub-bench-assess-XXXXXX)
pids=()
pg_started=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$pg_started" ] && scripts/pg-temp stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- 1. PostgreSQL ----
if pg_url=$(scripts/pg-temp start "$tmp/pg" 2>"$tmp/pg.log"); then
  pg_started=1
  $bench --db "$pg_url"
else
  echo "bench/assess.sh: no PostgreSQL cluster could be started; skipping that engine" >&2
  cat "$tmp/pg.log" >&2
fi

# ---- 2. the page under wrk ----
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
ngx_port=$(free_port)
db="sqlite:$tmp/bench.db"
$bench --db "$db" --keep >/dev/null 2>"$tmp/slug"
slug=$(tail -1 "$tmp/slug")
echo "bench password 1234" | $bin user add bench@example.test --role member --name "Bench User" --db "$db" >/dev/null
$bin serve --db "$db" --listen "127.0.0.1:$app_port" --threads 4 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$app_port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf -c "$tmp/jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.test","password":"bench password 1234"}' \
  "http://127.0.0.1:$app_port/api/v1/login" >/dev/null
session=$(awk '$6=="ahp_session"{print $7}' "$tmp/jar")
csrf=$(awk '$6=="ahp_csrf"{print $7}' "$tmp/jar")
cookie="Cookie: ahp_session=$session; ahp_csrf=$csrf"
page="/assess/$slug/benchmarks"
mkdir -p "$tmp/www"
first=$(curl -sf -o "$tmp/www/page.html" -w '%{time_total}' -H "$cookie" "http://127.0.0.1:$app_port$page")
grep -q "70,000 responses" "$tmp/www/page.html" || { echo "bench/assess.sh: the page did not render" >&2; exit 1; }

cat >"$tmp/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$ngx_port;
    location = $page { default_type text/html; alias $tmp/www/page.html; }
  }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ngx_port$page" >/dev/null && break; sleep 0.1; done

run_wrk() {
  wrk -t2 -c64 -d"${secs}s" --latency -H "$cookie" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%s %s %s\n", rps, p50, p99 }'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: >"$tmp/app.txt"
: >"$tmp/ngx.txt"
for r in $(seq "$rounds"); do
  run_wrk "http://127.0.0.1:$app_port$page" >>"$tmp/app.txt"
  run_wrk "http://127.0.0.1:$ngx_port$page" >>"$tmp/ngx.txt"
done
for who in app ngx; do
  rps=$(cut -d' ' -f1 "$tmp/$who.txt" | median)
  p50=$(cut -d' ' -f2 "$tmp/$who.txt" | median)
  p99=$(cut -d' ' -f3 "$tmp/$who.txt" | median)
  eval "${who}_rps=$rps ${who}_p50=$p50 ${who}_p99=$p99"
done
size=$(wc -c <"$tmp/www/page.html")
printf '{"bench":"assess_page","server":"ahphub","responses":70000,"bytes":%s,"first_view_s":%s,"req_per_s":%s,"p50_ms":%s,"p99_ms":%s,"target_p99_ms":50,"rounds":%s,"seconds":%s}\n' \
  "$size" "$first" "$app_rps" "$app_p50" "$app_p99" "$rounds" "$secs"
printf '{"bench":"assess_page","server":"nginx (same HTML, static file)","req_per_s":%s,"p50_ms":%s,"p99_ms":%s,"rounds":%s,"seconds":%s}\n' \
  "$ngx_rps" "$ngx_p50" "$ngx_p99" "$rounds" "$secs"
