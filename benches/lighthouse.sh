#!/usr/bin/env bash
# Lighthouse on the search page with a query, as a reader on a desktop and on a phone sees it
# (goal: performance >= 95 and CLS < 0.05; accessibility and best practices too; SEO is not
# a goal for an offline study site). A benchmark, not a test: scores vary with the machine.
#
#   benches/lighthouse.sh                 # builds the sample site with target/release/gongdu
#   GONGDU=target/debug/gongdu LIGHTHOUSE=/path/to/lighthouse benches/lighthouse.sh
#
# Lighthouse comes from npm (`npm install lighthouse@12`, or npx fetches it); Chromium from
# the system (CHROME_PATH, default /usr/bin/chromium). The site is served by Python's
# http.server on loopback, so no live-reload script of `gongdu serve` is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

GONGDU=${GONGDU:-target/release/gongdu}
LIGHTHOUSE=${LIGHTHOUSE:-npx --yes lighthouse@12}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
PORT=${PORT:-8737}

if [ ! -x "$GONGDU" ]; then
  cargo build --release --quiet
  GONGDU=target/release/gongdu
fi
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$GONGDU" build --quiet --output "$work/site"
python3 -m http.server --bind 127.0.0.1 --directory "$work/site" "$PORT" >/dev/null 2>&1 &
server=$!
sleep 1

url="http://127.0.0.1:$PORT/search/index.html?q=%E5%B7%A5%E4%BC%9A"
for form in desktop mobile; do
  preset=()
  [ "$form" = desktop ] && preset=(--preset=desktop)
  $LIGHTHOUSE "$url" "${preset[@]}" --quiet --output=json --output-path="$work/$form.json" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
  python3 - "$form" "$work/$form.json" <<'PY'
import json, sys
form, path = sys.argv[1], sys.argv[2]
report = json.load(open(path))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
audits = report["audits"]
cls = audits["cumulative-layout-shift"]["numericValue"]
lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
tbt = audits["total-blocking-time"]["numericValue"]
print(f"{form:8} performance {scores['performance']:3}  accessibility {scores['accessibility']:3}  "
      f"best-practices {scores['best-practices']:3}  CLS {cls:.3f}  LCP {lcp:.1f} s  TBT {tbt:.0f} ms")
PY
done
