#!/usr/bin/env bash
# Scaling benchmark (issue #16): `hprofscan leaks` and hprof-analyzer on generated dumps of
# several sizes, time and memory per object at each.
#
#   scripts/scaling.sh [-o CSV] [--svg FILE]
#
#   -o CSV      where the measurements go (default bench-out/scaling/scaling.csv; one row per
#               run; the file is rewritten)
#   --svg FILE  the plot written from the CSV (default docs/scaling.svg)
#
# For each size in SIZES: writes a dump with the generator (target/release/gendump, seed SEED)
# into SCALE_DIR, warms the page cache, then runs, interleaved, `hprofscan leaks --format json
# --progress never` RUNS times and hprof-analyzer once (only at the sizes in ANALYZER_SIZES),
# each under /usr/bin/time -v (wall from a nanosecond clock around the run, max RSS from time
# -v), checks that `leaks` names the planted leak with the generator's entry count, and deletes
# the dump (KEEP=1 keeps it). Then prints a markdown table (medians per size) and writes the
# plot with scripts/scaling-plot.py.
#
# Env: SIZES (objects; default "6000000 12000000 24000000 48000000"), RUNS (hprofscan runs per
# size, default 2), ANALYZER_SIZES (default: every size; "none" skips hprof-analyzer), SEED
# (default 1), SCALE_DIR (default ${TMPDIR:-/tmp}/hprofscan-scaling: needs about 75 bytes per
# object of the largest size free), KEEP (1: keep the dumps).
# Builds with `cargo build --release -p hprofscan -p gendump` and measures copies of the two
# binaries (bench-out/scaling/bin/), so that a concurrent rebuild cannot swap them mid-run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PEERS="$ROOT/../shared/peers"
ANALYZER="$PEERS/bin-root/bin/hprof-analyzer"
OUTDIR="$ROOT/bench-out/scaling"
CSV="$OUTDIR/scaling.csv"
SVG="$ROOT/docs/scaling.svg"
SIZES="${SIZES:-6000000 12000000 24000000 48000000}"
RUNS="${RUNS:-2}"
ANALYZER_SIZES="${ANALYZER_SIZES:-$SIZES}"
SEED="${SEED:-1}"
SCALE_DIR="${SCALE_DIR:-${TMPDIR:-/tmp}/hprofscan-scaling}"

usage() { sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        -o) [ $# -ge 2 ] || { usage >&2; exit 2; }; CSV="$2"; shift 2 ;;
        --svg) [ $# -ge 2 ] || { usage >&2; exit 2; }; SVG="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "scaling.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

log() { echo "[scaling] $(date +%T) $*" >&2; }
die() { echo "[scaling] ERROR: $*" >&2; exit 1; }

[ -x /usr/bin/time ] || die "/usr/bin/time is needed (Debian package time)"
command -v jq > /dev/null || die "jq is needed"

log "building (cargo build --release -p hprofscan -p gendump)"
(cd "$ROOT" && cargo build --release -p hprofscan -p gendump)
mkdir -p "$OUTDIR/bin" "$OUTDIR/raw" "$SCALE_DIR" "$(dirname "$CSV")"
for b in hprofscan gendump; do
    cp "$ROOT/target/release/$b" "$OUTDIR/bin/$b.tmp" && mv "$OUTDIR/bin/$b.tmp" "$OUTDIR/bin/$b"
done
HS="$OUTDIR/bin/hprofscan"
GEN="$OUTDIR/bin/gendump"

if [ "$ANALYZER_SIZES" != none ]; then
    while pgrep -f 'peers/setup\.sh' > /dev/null; do
        log "waiting for a running peers/setup.sh to finish"
        sleep 20
    done
    if ! "$ANALYZER" --version 2> /dev/null | grep -q 0.3.2; then
        log "installing peers (../shared/peers/setup.sh)"
        (cd "$ROOT" && SKIP_JVM_HPROF=1 bash "$PEERS/setup.sh")
    fi
    [ -x "$ANALYZER" ] || die "$ANALYZER missing"
fi

rss_kb() { awk -F': ' '/Maximum resident set size/ { r = $2 } END { print r + 0 }' "$1"; }
cpu_s() { awk -F': ' '/User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 } END { printf "%.2f", u + s }' "$1"; }

echo "tool,objects,dump_bytes,run,wall_s,cpu_s,max_rss_kb,ns_per_object,rss_bytes_per_object,load1" > "$CSV"

# measure TOOL OBJECTS BYTES RUN OUT CMD...: one timed run, one CSV row.
measure() {
    local tool="$1" objects="$2" bytes="$3" run="$4" out="$5"; shift 5
    local tf="$OUTDIR/raw/$tool.$objects.$run.time" ef="$OUTDIR/raw/$tool.$objects.$run.err" t0 t1 rc wall rss cpu load
    load=$(cut -d' ' -f1 /proc/loadavg)
    log "$tool ($objects objects) run $run: $*"
    t0=$(date +%s%N)
    set +e
    /usr/bin/time -v -o "$tf" "$@" > "$out" 2> "$ef"
    rc=$?
    set -e
    t1=$(date +%s%N)
    [ "$rc" -eq 0 ] || { tail -n 20 "$ef" >&2; die "$tool failed (exit $rc)"; }
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    rss=$(rss_kb "$tf")
    cpu=$(cpu_s "$tf")
    awk -v t="$tool" -v n="$objects" -v by="$bytes" -v r="$run" -v w="$wall" -v c="$cpu" -v m="$rss" -v l="$load" \
        'BEGIN { printf "%s,%s,%s,%s,%.3f,%.2f,%s,%.1f,%.1f,%s\n", t, n, by, r, w, c, m, w * 1e9 / n, m * 1024 / n, l }' >> "$CSV"
    log "$tool run $run: $wall s wall, $cpu s cpu, max RSS $((rss / 1024)) MiB"
}

for size in $SIZES; do
    dump="$SCALE_DIR/scale-$size.hprof"
    stats="$OUTDIR/raw/gendump.$size.json"
    log "generating $dump"
    measure gendump "$size" 0 1 "$stats" "$GEN" --objects "$size" --seed "$SEED" -o "$dump"
    objects=$(jq -r .objects "$stats")
    bytes=$(jq -r .bytes "$stats")
    entries=$(jq -r .leak.entries "$stats")
    # The generator's row: by its target size; the rest by the objects written.
    sed -i "\$s/^gendump,$size,0,/gendump,$objects,$bytes,/" "$CSV"
    log "dump: $objects objects, $bytes bytes; warming the page cache"
    cat "$dump" > /dev/null
    with_analyzer=0
    for s in $ANALYZER_SIZES; do [ "$s" = "$size" ] && with_analyzer=1; done
    for ((run = 1; run <= RUNS; run++)); do
        out="$OUTDIR/raw/hprofscan.$size.$run.json"
        measure hprofscan-leaks "$objects" "$bytes" "$run" "$out" "$HS" leaks "$dump" --format json --progress never
        got=$(jq -r '[.suspects[0].holder.class, .suspects[0].holder.field, .suspects[0].entries] | join(" ")' "$out")
        [ "$got" = "com.acme.shop.web.RequestTracker ACTIVE $entries" ] ||
            die "leaks did not name the planted leak first ($got; expected ACTIVE with $entries entries)"
        if [ "$run" -eq 1 ] && [ "$with_analyzer" = 1 ]; then
            measure hprof-analyzer "$objects" "$bytes" 1 "$OUTDIR/raw/hprof-analyzer.$size.out" \
                "$ANALYZER" -v "$dump" "$OUTDIR/raw/hprof-analyzer.$size.json"
        fi
    done
    [ "${KEEP:-0}" = 1 ] || rm -f "$dump"
done

python3 "$ROOT/scripts/scaling-plot.py" "$CSV" "$SVG"
python3 "$ROOT/scripts/scaling-plot.py" --table "$CSV"
log "CSV: $CSV; plot: $SVG"
