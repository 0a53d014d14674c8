#!/usr/bin/env bash
# Runs test programs at shifted wall clocks and compares what they print: a program whose
# counts depend on the time of day (or the date) fails its own check, or changes a number a
# test asserts, when CI regenerates it at another hour. Slow (a few seconds per run); not
# part of the tests.
#
#   scripts/clock-check.sh [SHIFT...] [-- CLASS...]
#
# SHIFTs are faketime offsets (default: +5h +11h +17h +23h); CLASSes are program classes
# (default: every program under testdata/programs/testdata/ that does day arithmetic). Each
# program runs once per clock with the JVM flags and arguments of its first dump spec, from a
# scratch directory, its dumps written there and deleted. Prints one line per program whose
# output (minus the "dumped" line) differs from the run at the real clock, and exits 1 if
# any does. Needs faketime (apt-get install faketime) and testdata/build/classes (run
# testdata/generate.sh first).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PROGRAMS="$REPO/testdata/programs/testdata"
CLASSES="$REPO/testdata/build/classes"
command -v faketime >/dev/null || { echo "clock-check: faketime is not installed" >&2; exit 2; }
[[ -d "$CLASSES" ]] || { echo "clock-check: no $CLASSES (run testdata/generate.sh)" >&2; exit 2; }

declare -a shifts=() classes=()
while [[ $# -gt 0 && "$1" != "--" ]]; do shifts+=("$1"); shift; done
[[ $# -gt 0 ]] && { shift; classes=("$@"); }
[[ ${#shifts[@]} -eq 0 ]] && shifts=(+5h +11h +17h +23h)
if [[ ${#classes[@]} -eq 0 ]]; then
    while IFS= read -r f; do classes+=("$(basename "$f" .java)"); done < <(
        grep -lE 'LocalDate|LocalDateTime|ZonedDateTime|[/%] DAY\b|86_?400_?000' "$PROGRAMS"/*.java | sort)
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# The programs run from a scratch root whose testdata/build is the real one: a series program
# writes its earlier stages under testdata/dumps/ itself (--series-dir), never into the real one.
ROOT="$TMP/root"
mkdir -p "$ROOT/testdata/dumps"
ln -s "$REPO/testdata/build" "$ROOT/testdata/build"
re_jvm='jvm="([^"]*)"'
re_args='args="([^"]*)"'

# Prints what program $1 prints at faketime offset $2 ("" for the real clock), minus the
# "dumped" line; its dump goes to $TMP and is deleted.
run_at() {
    local class=$1 shift_by=$2 spec jvm="" args=""
    spec="$(grep -m1 '^// hprofscan-dump:' "$PROGRAMS/$class.java" || true)"
    [[ -z "$spec" ]] && return 0
    [[ "$spec" =~ $re_jvm ]] && jvm="${BASH_REMATCH[1]}"
    [[ "$spec" =~ $re_args ]] && args="${BASH_REMATCH[1]}"
    [[ "$jvm" == *Use*GC* ]] || jvm="-XX:+UseG1GC $jvm"
    local -a cmd=(timeout 300 java $jvm -cp "$CLASSES" "testdata.$class" mxbean "$TMP/$class.hprof" $args)
    if [[ -n "$shift_by" ]]; then
        cmd=(timeout 300 env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$shift_by" "${cmd[@]:2}")
    fi
    (cd "$ROOT" && "${cmd[@]}" 2>&1 || echo "exit $?") | grep -v '^dumped ' || true
    rm -f "$TMP/$class.hprof" "$ROOT"/testdata/dumps/*
}

differ=0
for class in "${classes[@]}"; do
    base="$(run_at "$class" "")"
    for s in "${shifts[@]}"; do
        if [[ "$(run_at "$class" "$s")" != "$base" ]]; then
            echo "$class: differs at $s"
            differ=1
        fi
    done
done
exit $differ
