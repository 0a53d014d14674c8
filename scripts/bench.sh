#!/usr/bin/env bash
# Whole-program benchmark: hprofscan against its peers on one big heap dump.
#
#   scripts/bench.sh [--no-generate] [-o OUTDIR]
#
#   --no-generate  never generate the dump; fail if it is missing
#   -o OUTDIR      where results go (default bench-out/results): results.md (the table),
#                  raw/<tool>.<run>.{out,err} (outputs, stderr, /usr/bin/time -v reports)
#
# Steps: builds hprofscan (cargo build --profile profiling: the release code with symbols and
# line tables for perf; target/profiling/hprofscan) and measures a copy of it (HS_COPY, default
# bench-out/hprofscan, so that a concurrent rebuild cannot swap the binary mid-run); installs the peers with
# ../shared/peers/setup.sh (idempotent; SKIP_JVM_HPROF=1); generates bench-out/big.hprof with
# testdata/bench/BigHeap.java under -Xmx6g if it is missing (2.7 GB, 47 M objects); warms the
# page cache; runs every tool under /usr/bin/time -v (wall seconds from a nanosecond clock
# around the run, max RSS from time -v) and prints a markdown table: median wall time and
# max of max RSS over the runs, with the targets (MISSED next to a missed one).
#
#   hprofscan histogram   vs  hprof-slurp --top 20      targets: wall ratio <= 0.6, RSS <= 400 MB
#   hprofscan dominators  vs  hprof-analyzer -v         targets: <= 15 s, <= 2.5 GB, >= 8x faster
#                             (the hprofscan row is skipped, with a note, while the
#                             subcommand does not exist)
#   hprofscan leaks       vs  hprof-analyzer -v         targets (issue #16): <= 8 s, <= 1.2 GB,
#                             >= 10x faster, RSS <= hprof-analyzer's
#   hprofscan info --format json, once (also gives the object count)
#
# Env: RUNS (default 3) runs per hprofscan/slurp measurement; PEER_RUNS (default RUNS) runs of
# hprof-analyzer, cut to 1 when its first run takes longer than PEER_MAX_SECS (default 180);
# SKIP_ANALYZER=1 leaves hprof-analyzer out; BENCH_DUMP (default bench-out/big.hprof);
# HS_COPY (default bench-out/hprofscan) where the measured copy of the binary goes;
# BENCH_XMX (default 6g) heap of the generator JVM.
# MB and GB are decimal (10^6, 10^9 bytes). Exits 0 even when a target is missed; non-zero
# only when a step or a tool fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PEERS="$ROOT/../shared/peers"
PEER_BIN="$PEERS/bin-root/bin"
BENCH_OUT="$ROOT/bench-out"
OUT="$BENCH_OUT/results"
DUMP="${BENCH_DUMP:-$BENCH_OUT/big.hprof}"
RUNS="${RUNS:-3}"
PEER_RUNS="${PEER_RUNS:-$RUNS}"
PEER_MAX_SECS="${PEER_MAX_SECS:-180}"
XMX="${BENCH_XMX:-6g}"
GENERATE=1

usage() { sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --no-generate) GENERATE=0; shift ;;
        -o) [ $# -ge 2 ] || { usage >&2; exit 2; }; OUT="$2"; shift 2 ;;
        -o*) OUT="${1#-o}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

log() { echo "[bench] $(date +%T) $*" >&2; }
die() { echo "[bench] ERROR: $*" >&2; exit 1; }

# ---- prerequisites -----------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (/usr/bin/time is missing)"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y time
fi
command -v jq > /dev/null || die "jq is needed"

log "building hprofscan (cargo build --profile profiling)"
(cd "$ROOT" && cargo build --profile profiling -p hprofscan)
[ -x "$ROOT/target/profiling/hprofscan" ] || die "target/profiling/hprofscan not built"
# Measure a private copy, so that a concurrent rebuild cannot swap the binary mid-run.
mkdir -p "$BENCH_OUT"
HS="${HS_COPY:-$BENCH_OUT/hprofscan}"
mkdir -p "$(dirname "$HS")"
cp "$ROOT/target/profiling/hprofscan" "$HS.tmp" && mv "$HS.tmp" "$HS"

# Another copy of setup.sh may be running (it is not safe to run two at once): wait for it.
while pgrep -f 'peers/setup\.sh' > /dev/null; do
    log "waiting for a running peers/setup.sh to finish"
    sleep 20
done
log "installing peers (../shared/peers/setup.sh)"
(cd "$ROOT" && SKIP_JVM_HPROF=1 bash ../shared/peers/setup.sh)
SLURP="$PEER_BIN/hprof-slurp"
ANALYZER="$PEER_BIN/hprof-analyzer"
[ -x "$SLURP" ] || die "$SLURP missing after setup.sh"
if [ "${SKIP_ANALYZER:-0}" != 1 ] && [ ! -x "$ANALYZER" ]; then
    die "$ANALYZER missing after setup.sh"
fi

# ---- the dump ----------------------------------------------------------------------------
GEN_NOTE=""
if [ ! -f "$DUMP" ]; then
    [ "$GENERATE" = 1 ] || die "$DUMP is missing (and --no-generate was given)"
    mkdir -p "$BENCH_OUT/classes" "$(dirname "$DUMP")"
    log "generating $DUMP (javac + java -Xmx$XMX BigHeap)"
    javac --release 17 -d "$BENCH_OUT/classes" "$ROOT/testdata/bench/BigHeap.java"
    tmp="${DUMP%.hprof}.partial.hprof"   # the MXBean wants the .hprof suffix
    rm -f "$tmp"
    g0=$(date +%s%N)
    java -Xmx"$XMX" -cp "$BENCH_OUT/classes" BigHeap "$tmp" | tee "$BENCH_OUT/big.gen.log" >&2
    g1=$(date +%s%N)
    mv "$tmp" "$DUMP"
    gen_secs=$(awk -v a="$g0" -v b="$g1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    echo "generation wall seconds (javac excluded): $gen_secs" >> "$BENCH_OUT/big.gen.log"
    GEN_NOTE="Dump generated by this run in $gen_secs s (java -Xmx$XMX BigHeap)."
    log "generated in $gen_secs s"
fi
DUMP_BYTES=$(stat -c %s "$DUMP")
DN="$(basename "$DUMP")"

mkdir -p "$OUT/raw"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
warm() { log "warming the page cache"; cat "$DUMP" > /dev/null; }

# parse a GNU time -v report -> max RSS in KB; cpu seconds (user + sys)
rss_kb() { awk -F': ' '/Maximum resident set size/ { r = $2 } END { print r + 0 }' "$1"; }
cpu_s() { awk -F': ' '/User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 } END { printf "%.2f", u + s }' "$1"; }

# measure NAME RUN OUTFILE CMD...: one timed run; sets LAST_WALL (s), LAST_CPU (s), LAST_RSS (KB).
measure() {
    local name="$1" run="$2" outf="$3"; shift 3
    local errf="$OUT/raw/$name.$run.err" tf="$OUT/raw/$name.$run.time" t0 t1 rc
    log "$name run $run: $*"
    t0=$(date +%s%N)
    set +e
    /usr/bin/time -v -o "$tf" "$@" > "$outf" 2> "$errf"
    rc=$?
    set -e
    t1=$(date +%s%N)
    if [ "$rc" -ne 0 ]; then
        echo "[bench] ERROR: $name failed (exit $rc): $*" >&2
        tail -n 20 "$errf" >&2 || true
        exit 1
    fi
    LAST_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    LAST_RSS=$(rss_kb "$tf")
    LAST_CPU=$(cpu_s "$tf")
    log "$name run $run: ${LAST_WALL} s wall, ${LAST_CPU} s cpu, max RSS $((LAST_RSS / 1024)) MiB"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# bench NAME N OUTFILE_PATTERN CMD...: N runs (OUTFILE_PATTERN: %d = run number, or /dev/null);
# sets MED_WALL (s), ALL_WALLS (text), MED_CPU (s), MAX_RSS (KB), NRUNS.
bench() {
    local name="$1" n="$2" outpat="$3"; shift 3
    local walls=() cpus=() rsss=() i outf
    warm
    for ((i = 1; i <= n; i++)); do
        # shellcheck disable=SC2059
        outf="$(printf "$outpat" "$i")"
        measure "$name" "$i" "$outf" "$@"
        walls+=("$LAST_WALL"); cpus+=("$LAST_CPU"); rsss+=("$LAST_RSS")
        if [ "$name" = hprof-analyzer ] && [ "$i" -eq 1 ] && [ "$n" -gt 1 ] &&
            awk -v w="$LAST_WALL" -v m="$PEER_MAX_SECS" 'BEGIN { exit !(w > m) }'; then
            log "$name took more than $PEER_MAX_SECS s: one run only"
            n=1
        fi
    done
    MED_WALL=$(median "${walls[@]}")
    MED_CPU=$(median "${cpus[@]}")
    ALL_WALLS=$(printf '%s\n' "${walls[@]}" | awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 }')
    MAX_RSS=$(maxof "${rsss[@]}")
    NRUNS=$n
}

# formatting helpers
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
secs() { awk -v s="$1" 'BEGIN { printf (s < 10 ? "%.2f s" : "%.1f s"), s }'; }
mb() { awk -v k="$1" 'BEGIN { b = k * 1024; if (b >= 1e9) printf "%.2f GB", b / 1e9; else printf "%.0f MB", b / 1e6 }'; }
# check VALUE OP LIMIT LABEL -> "LABEL: ok" / "LABEL: MISSED"
check() { if awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { exit !(op == "<=" ? v <= l : v >= l) }'; then echo "$4: ok"; else echo "$4: **MISSED**"; fi; }

ROWS=()
# row TOOL COMMAND TARGETS: a measured row from the last bench call
row() { ROWS+=("| $1 | $2 | $NRUNS | $(secs "$MED_WALL") | $ALL_WALLS | $(secs "$MED_CPU") | $(mb "$MAX_RSS") | $3 |"); }
# note_row TEXT VALUE TARGETS: a ratio or a skipped tool
note_row() { ROWS+=("| $1 | | | $2 | | | | $3 |"); }

# ---- info (once; also the object count) --------------------------------------------------
bench hprofscan-info 1 "$OUT/raw/hprofscan-info.%d.json" "$HS" info --format json --progress never "$DUMP"
OBJECTS=$(jq -r '.totals.objects' "$OUT/raw/hprofscan-info.1.json")
row "hprofscan info" "\`hprofscan info --format json --progress never $DN\`" ""

# ---- histogram vs hprof-slurp ------------------------------------------------------------
bench hprofscan-histogram "$RUNS" /dev/null "$HS" histogram "$DUMP" --progress never
HIST_WALL=$MED_WALL; HIST_RSS=$MAX_RSS
row "hprofscan histogram" "\`hprofscan histogram $DN --progress never > /dev/null\`" "$(check "$((HIST_RSS * 1024))" "<=" 400e6 "RSS ≤ 400 MB")"

bench hprof-slurp "$RUNS" "$OUT/raw/hprof-slurp.%d.out" "$SLURP" --top 20 "$DUMP"
SLURP_WALL=$MED_WALL
row "hprof-slurp 0.10.0" "\`hprof-slurp --top 20 $DN\`" ""
RATIO=$(awk -v a="$HIST_WALL" -v b="$SLURP_WALL" 'BEGIN { printf "%.2f", a / b }')
note_row "→ histogram: hprofscan / slurp wall" "**$RATIO**" "$(check "$RATIO" "<=" 0.6 "ratio ≤ 0.6")"

# Object count cross-check: slurp's instance + object array + primitive array sub-records.
SLURP_OBJECTS=$(awk -F': ' '/GC instance dump:|GC object array dump:|GC primitive array dump:/ { s += $2 } END { print s + 0 }' \
    "$OUT/raw/hprof-slurp.1.out")
if [ "$SLURP_OBJECTS" = "$OBJECTS" ]; then
    COUNT_NOTE="hprof-slurp counts the same number of objects (instance + object-array + primitive-array dumps)."
else
    COUNT_NOTE="**MISMATCH**: hprof-slurp counts $SLURP_OBJECTS objects (instance + object-array + primitive-array dumps), hprofscan $OBJECTS."
fi

# ---- dominators vs hprof-analyzer --------------------------------------------------------
DOM_NOTE=""
DOM_WALL=""
HS_HELP="$("$HS" --help)"
if grep -qE '^[[:space:]]+dominators([[:space:]]|$)' <<< "$HS_HELP"; then
    bench hprofscan-dominators "$RUNS" /dev/null "$HS" dominators "$DUMP" --progress never
    DOM_WALL=$MED_WALL
    row "hprofscan dominators" "\`hprofscan dominators $DN --progress never > /dev/null\`" \
        "$(check "$DOM_WALL" "<=" 15 "≤ 15 s"); $(check "$((MAX_RSS * 1024))" "<=" 2.5e9 "RSS ≤ 2.5 GB")"
else
    DOM_NOTE="\`hprofscan dominators\` does not exist yet (not in \`hprofscan --help\`): its row is skipped."
    note_row "hprofscan dominators (skipped: subcommand not implemented yet)" "–" "≤ 15 s, RSS ≤ 2.5 GB"
fi
bench hprofscan-leaks "$RUNS" /dev/null "$HS" leaks "$DUMP" --progress never
LEAKS_WALL=$MED_WALL; LEAKS_RSS=$MAX_RSS
row "hprofscan leaks" "\`hprofscan leaks $DN --progress never > /dev/null\`" \
    "$(check "$LEAKS_WALL" "<=" 8 "≤ 8 s"); $(check "$((LEAKS_RSS * 1024))" "<=" 1.2e9 "RSS ≤ 1.2 GB")"
if [ "${SKIP_ANALYZER:-0}" != 1 ]; then
    bench hprof-analyzer "$PEER_RUNS" "$OUT/raw/hprof-analyzer.%d.out" \
        "$ANALYZER" -v "$DUMP" "$OUT/raw/hprof-analyzer.json"
    AN_WALL=$MED_WALL
    row "hprof-analyzer 0.3.2" "\`hprof-analyzer -v $DN report.json\`" ""
    if [ -n "$DOM_WALL" ]; then
        SPEEDUP=$(awk -v a="$AN_WALL" -v b="$DOM_WALL" 'BEGIN { printf "%.1f", a / b }')
        note_row "→ dominators: hprof-analyzer / hprofscan wall" "**${SPEEDUP}x**" "$(check "$SPEEDUP" ">=" 8 "≥ 8x")"
    fi
    LSPEED=$(awk -v a="$AN_WALL" -v b="$LEAKS_WALL" 'BEGIN { printf "%.1f", a / b }')
    note_row "→ leaks: hprof-analyzer / hprofscan wall" "**${LSPEED}x**" "$(check "$LSPEED" ">=" 10 "≥ 10x")"
    LMEM=$(awk -v a="$LEAKS_RSS" -v b="$MAX_RSS" 'BEGIN { printf "%.2f", a / b }')
    note_row "→ leaks: hprofscan / hprof-analyzer max RSS" "**${LMEM}**" "$(check "$LMEM" "<=" 1 "≤ 1")"
else
    note_row "hprof-analyzer 0.3.2 (skipped: SKIP_ANALYZER=1)" "–" ""
fi

# ---- report ------------------------------------------------------------------------------
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then REV="$REV + uncommitted changes"; fi
{
    echo "## hprofscan benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) cores (nproc)${CPU:+, $CPU}, $MEM RAM; page cache warm; load average before / after the measurements: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the timings)"
    echo "- dump: \`$(basename "$DUMP")\`, $(awk -v b="$DUMP_BYTES" 'BEGIN { printf "%.2f GB", b / 1e9 }') ($DUMP_BYTES bytes), $(commas "$OBJECTS") objects (hprofscan info: totals.objects)"
    echo "- hprofscan $("$HS" --version | awk '{ print $NF }') (commit $REV); $("$SLURP" --version)$([ -x "$ANALYZER" ] && echo "; $("$ANALYZER" --version | head -n 1)")"
    echo "- wall: median of the runs (seconds); cpu: user + sys, median; RSS: max over the runs (GNU time -v; includes the pages of a memory-mapped dump that a tool keeps resident); MB/GB decimal"
    echo
    echo "| tool | command | runs | wall (median) | wall of each run | cpu (median) | max RSS | targets |"
    echo "|---|---|---:|---:|---|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "- Object count: $COUNT_NOTE"
    [ -z "$DOM_NOTE" ] || echo "- $DOM_NOTE"
    [ -z "$GEN_NOTE" ] || echo "- $GEN_NOTE"
    echo "- Raw outputs, stderr (hprof-analyzer's -v phase timings) and time -v reports: \`$OUT/raw/\`"
} > "$OUT/results.md"
cat "$OUT/results.md"
