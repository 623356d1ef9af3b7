#!/usr/bin/env bash
# Lighthouse on the search page with a query, as a reader on a desktop and on a phone sees it
# (goal: performance >= 95 and CLS < 0.05; accessibility and best practices >= 95 too; SEO is
# not a goal for an offline study site). A benchmark, not a test: scores vary with the
# machine and its load, so each form factor is measured RUNS times and every run is printed
# with the median.
#
#   benches/lighthouse.sh                 # builds the sample site with target/release/gongdu
#   GONGDU=target/debug/gongdu RUNS=5 KEEP=/tmp/lh-reports benches/lighthouse.sh
#
# Lighthouse 12 comes from npm: LIGHTHOUSE names a binary, else target/npm/ is used and
# `npm install --prefix target/npm lighthouse@12` fills it when it is missing. Chromium is the
# system's (CHROME_PATH, default /usr/bin/chromium). The site is served by Python's
# http.server on loopback, so no live-reload script of `gongdu serve` is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

GONGDU=${GONGDU:-target/release/gongdu}
RUNS=${RUNS:-3}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
PORT=${PORT:-8737}

if [ -z "${LIGHTHOUSE:-}" ]; then
  LIGHTHOUSE=target/npm/node_modules/.bin/lighthouse
  if [ ! -x "$LIGHTHOUSE" ]; then
    npm install --prefix target/npm --no-audit --no-fund --silent lighthouse@12
  fi
fi
if [ ! -x "$GONGDU" ]; then
  cargo build --release --quiet
  GONGDU=target/release/gongdu
fi
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$GONGDU" build --quiet --output "$work/site"
python3 -m http.server --bind 127.0.0.1 --directory "$work/site" "$PORT" >/dev/null 2>&1 &
server=$!
sleep 1

url="http://127.0.0.1:$PORT/search/index.html?q=%E5%B7%A5%E4%BC%9A"
echo "$(date -u +%Y-%m-%dT%H:%MZ) $("$LIGHTHOUSE" --version 2>/dev/null | sed 's/^/lighthouse /') $url"
for form in desktop mobile; do
  preset=()
  [ "$form" = desktop ] && preset=(--preset=desktop)
  for run in $(seq 1 "$RUNS"); do
    "$LIGHTHOUSE" "$url" "${preset[@]}" --quiet --output=json --output-path="$work/$form-$run.json" \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
  done
  python3 - "$form" "$work"/"$form"-*.json <<'PY'
import json, statistics, sys
form, paths = sys.argv[1], sys.argv[2:]
rows = []
for path in paths:
    report = json.load(open(path))
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    rows.append((scores["performance"], scores["accessibility"], scores["best-practices"],
                 audits["cumulative-layout-shift"]["numericValue"],
                 audits["largest-contentful-paint"]["numericValue"] / 1000,
                 audits["total-blocking-time"]["numericValue"]))
def show(label, r):
    print(f"{form:8} {label:6} performance {r[0]:3.0f}  accessibility {r[1]:3.0f}  "
          f"best-practices {r[2]:3.0f}  CLS {r[3]:.3f}  LCP {r[4]:.1f} s  TBT {r[5]:.0f} ms")
for i, r in enumerate(rows, 1):
    show(f"run {i}", r)
show("median", [statistics.median(c) for c in zip(*rows)])
PY
  if [ -n "${KEEP:-}" ]; then
    mkdir -p "$KEEP" && cp "$work"/"$form"-*.json "$KEEP"/
  fi
done
