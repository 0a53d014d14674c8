#!/usr/bin/env bash
# Runs a command with the wall clock shifted forward so that every process it starts begins
# AT milliseconds past a multiple of PERIOD (default: one second past the hour): the moment at
# which a test program that rounds its clock down to the minute or the hour has the least time
# between its last simulated event and its dump. CI regenerates the dumps at whatever second it
# happens to be; this reproduces the worst one. Only the real-time clock moves: monotonic clocks
# and timed waits are untouched (faketime's interception of timed waits spins executor threads).
#
#   scripts/clock-start.sh [--at MS] [--period MS] [--sequential] COMMAND...
#
# --sequential starts each JVM at least one period after the previous one (a state file):
# the stages of a series, written one after another, then keep the order of their header
# timestamps (without it every process starts at the same second, and a series' stages may come
# out of order). Use it with --period 60000: the clock runs a period ahead per JVM.
# e.g. in a scratch worktree: scripts/clock-start.sh bash testdata/generate.sh, then run the
# tests there. Needs a C compiler (cc); not part of the tests.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
at=1000 period=3600000 sequential=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --at) at=$2; shift 2 ;;
        --period) period=$2; shift 2 ;;
        --sequential) sequential=1; shift ;;
        *) break ;;
    esac
done
[[ $# -gt 0 ]] || { echo "usage: clock-start.sh [--at MS] [--period MS] [--sequential] COMMAND..." >&2; exit 2; }
command -v cc >/dev/null || { echo "clock-start: no C compiler (cc)" >&2; exit 2; }
LIB="$(mktemp -d)"
trap 'rm -rf "$LIB"' EXIT
cc -O2 -shared -fPIC -o "$LIB/libshift.so" "$REPO/scripts/clock-start/shift.c" -ldl
state=""
[[ -n "$sequential" ]] && state="$LIB/state"
LD_PRELOAD="$LIB/libshift.so" CLOCKSHIFT_PERIOD_MS="$period" CLOCKSHIFT_AT_MS="$at" \
    CLOCKSHIFT_STATE="$state" "$@"
