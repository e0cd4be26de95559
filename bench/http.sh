#!/usr/bin/env bash
# bench/http.sh: a dynamic page against nginx serving the same page as a static file
#
# Starts `ahphub serve` on demonstration data and nginx (Debian's nginx-light) on loopback,
# saves two logged-in pages as static files for nginx, then runs wrk with identical settings
# (64 connections, 2 threads, BENCH_SECONDS s) against each page from both servers,
# BENCH_ROUNDS times, alternating. Pages:
#   /         the home page: reads the session and queries the user (two indexed queries)
#   /account  the heaviest account page: session, user, API tokens, organisations, 14 KB
# Prints one JSON line per page and server with the medians of req/s, p50 and p99, and one
# line per page with the ratio.
# Target (issue "Platform core"): ahphub >= 0.5 x nginx req/s, ahphub p99 <= 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${BENCH_SECONDS:-20}
threads=${BENCH_THREADS:-4}
rounds=${BENCH_ROUNDS:-3}
bin=build/ahphub
for t in wrk nginx curl; do
  command -v $t >/dev/null || { echo "bench/http.sh: $t is missing (scripts/deps installs it)" >&2; exit 1; }
done
[ -x $bin ] || make -s all

tmp=$(mktemp -d /tmp/ahphub-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
ngx_port=$(free_port)
db="sqlite:$tmp/bench.db"

$bin demo --db "$db" --logins "$tmp/logins.txt" >/dev/null 2>&1
echo "bench password 1234" | $bin user add bench@example.test --role member --name "Bench User" --db "$db" >/dev/null
$bin serve --db "$db" --listen "127.0.0.1:$app_port" --threads "$threads" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$app_port/healthz" >/dev/null && break; sleep 0.1; done

curl -sf -c "$tmp/jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.test","password":"bench password 1234"}' \
  "http://127.0.0.1:$app_port/api/v1/login" >/dev/null
session=$(awk '$6=="ahp_session"{print $7}' "$tmp/jar")
csrf=$(awk '$6=="ahp_csrf"{print $7}' "$tmp/jar")
cookie="Cookie: ahp_session=$session; ahp_csrf=$csrf"
mkdir -p "$tmp/www"
curl -sf -H "$cookie" "http://127.0.0.1:$app_port/" >"$tmp/www/home.html"
curl -sf -H "$cookie" "http://127.0.0.1:$app_port/account" >"$tmp/www/account.html"
for f in home account; do
  grep -q "Bench User" "$tmp/www/$f.html" || { echo "bench/http.sh: /$f did not render for the session" >&2; exit 1; }
done

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
    location = / { default_type text/html; alias $tmp/www/home.html; }
    location = /account { default_type text/html; alias $tmp/www/account.html; }
  }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ngx_port/account" >/dev/null && break; sleep 0.1; done

# wrk's output → "req_per_s p50_ms p99_ms"
run_wrk() {
  wrk -t2 -c64 -d"${secs}s" --latency -H "$cookie" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%s %s %s\n", rps, p50, p99 }'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

for page in / /account; do
  name=${page#/}; name=${name:-home}
  : >"$tmp/app-$name.txt"
  : >"$tmp/ngx-$name.txt"
  for r in $(seq "$rounds"); do
    run_wrk "http://127.0.0.1:$app_port$page" >>"$tmp/app-$name.txt"
    run_wrk "http://127.0.0.1:$ngx_port$page" >>"$tmp/ngx-$name.txt"
  done
  for who in app ngx; do
    rps=$(cut -d' ' -f1 "$tmp/$who-$name.txt" | median)
    p50=$(cut -d' ' -f2 "$tmp/$who-$name.txt" | median)
    p99=$(cut -d' ' -f3 "$tmp/$who-$name.txt" | median)
    eval "${who}_rps=$rps ${who}_p50=$p50 ${who}_p99=$p99"
  done
  printf '{"bench":"http","page":"%s","server":"ahphub","req_per_s":%s,"p50_ms":%s,"p99_ms":%s,"rounds":%s,"seconds":%s}\n' \
    "$page" "$app_rps" "$app_p50" "$app_p99" "$rounds" "$secs"
  printf '{"bench":"http","page":"%s","server":"nginx (same HTML, static file)","req_per_s":%s,"p50_ms":%s,"p99_ms":%s,"rounds":%s,"seconds":%s}\n' \
    "$page" "$ngx_rps" "$ngx_p50" "$ngx_p99" "$rounds" "$secs"
  awk -v pg="$page" -v a="$app_rps" -v n="$ngx_rps" -v p="$app_p99" 'BEGIN {
    printf "{\"bench\":\"http\",\"page\":\"%s\",\"ratio_ahphub_to_nginx\":%.3f,\"target_ratio\":0.5,\"ahphub_p99_ms\":%s,\"target_p99_ms\":15}\n", pg, a/n, p }'
done
