#!/usr/bin/env bash
# `gongdu mirror serve` against nginx on the same built site, with the same load generator
# (wrk), in the same run, taking turns: for each URL and each round, nginx then gongdu, so
# that whatever else the machine is doing weighs on both alike. Prints requests per second
# and p99 latency of each, and gongdu's share of nginx's requests per second (goal ≥ 0.8).
#
#   benches/mirror_serve.sh                 (needs nginx and wrk: apt-get install nginx wrk)
#   ROUNDS=5 DURATION=10s CONNECTIONS=64 benches/mirror_serve.sh
#
# Both servers get the same resources: nginx runs 2 worker processes, gongdu's runtime has
# 2 worker threads; neither writes an access log; both send precompressed twins when asked
# (wrk asks for none). The site is this repository's own sample site, built into a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
NGINX_PORT=${NGINX_PORT:-18480}
GONGDU_PORT=${GONGDU_PORT:-18481}

for tool in nginx wrk; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
  command -v "$tool" >/dev/null 2>&1 || { echo "needs $tool: apt-get install -y nginx wrk" >&2; exit 2; }
done

# GONGDU=path/to/gongdu skips the release build (to try the script itself).
if [ -z "${GONGDU:-}" ]; then
  cargo build --release --quiet
  GONGDU=target/release/gongdu
fi
work=$(mktemp -d)
nginx_pid="" gongdu_pid=""
cleanup() {
  [ -n "$gongdu_pid" ] && kill "$gongdu_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$GONGDU" build --root . --output "$work/site" --quiet
site="$work/site"
# nginx's workers drop root's rights when started by root: let them read the site.
chmod -R a+rX "$work"

mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log error;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 10s;
  gzip_static on;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $site;
    autoindex off;
    location / { try_files \$uri \$uri/index.html =404; }
  }
}
EOF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
"$GONGDU" mirror serve "$site" --listen "127.0.0.1:$GONGDU_PORT" >/dev/null &
gongdu_pid=$!

for port in "$NGINX_PORT" "$GONGDU_PORT"; do
  for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.1
  done
done

# A page, an article deep in the site, a stylesheet: what a phone asks for most.
article=$(cd "$site" && find ./education -mindepth 2 -name index.html | sort | head -1 | sed 's|^\./||')
css=$(cd "$site" && find . -name '*.css' | sort | head -1 | sed 's|^\./||')
paths=("" "$article" "$css")

# wrk's report → "requests_per_second p99_ms"
measure() {
  local out rps p99 unit
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
  if echo "$out" | grep -q "Non-2xx"; then echo "errors from $1" >&2; echo "$out" >&2; exit 1; fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  unit=${p99//[0-9.]/}
  p99=${p99%"$unit"}
  case "$unit" in
    us) p99=$(awk -v v="$p99" 'BEGIN {print v / 1000}') ;;
    s) p99=$(awk -v v="$p99" 'BEGIN {print v * 1000}') ;;
  esac
  echo "$rps $p99"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds, nginx then gongdu in turn"
printf '%-44s %12s %10s %12s %10s %7s\n' path "nginx req/s" "p99 ms" "gongdu req/s" "p99 ms" ratio
total_nginx=0 total_gongdu=0
for path in "${paths[@]}"; do
  n_sum=0 g_sum=0 n_p99=0 g_p99=0
  for _ in $(seq "$ROUNDS"); do
    read -r rps p99 < <(measure "http://127.0.0.1:$NGINX_PORT/$path")
    n_sum=$(awk -v a="$n_sum" -v b="$rps" 'BEGIN {print a + b}')
    n_p99=$(awk -v a="$n_p99" -v b="$p99" 'BEGIN {print (b > a) ? b : a}')
    read -r rps p99 < <(measure "http://127.0.0.1:$GONGDU_PORT/$path")
    g_sum=$(awk -v a="$g_sum" -v b="$rps" 'BEGIN {print a + b}')
    g_p99=$(awk -v a="$g_p99" -v b="$p99" 'BEGIN {print (b > a) ? b : a}')
  done
  n=$(awk -v s="$n_sum" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}')
  g=$(awk -v s="$g_sum" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}')
  total_nginx=$(awk -v a="$total_nginx" -v b="$n" 'BEGIN {print a + b}')
  total_gongdu=$(awk -v a="$total_gongdu" -v b="$g" 'BEGIN {print a + b}')
  printf '%-44s %12s %10s %12s %10s %7.2f\n' "/${path:0:43}" "$n" "$n_p99" "$g" "$g_p99" \
    "$(awk -v g="$g" -v n="$n" 'BEGIN {print g / n}')"
done
echo "(req/s: mean of the rounds; p99: the worst round's)"
printf 'overall gongdu / nginx requests per second: %.2f (goal ≥ 0.80)\n' \
  "$(awk -v g="$total_gongdu" -v n="$total_nginx" 'BEGIN {print g / n}')"
