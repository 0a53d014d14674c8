#!/usr/bin/env bash
# usage: scripts/xint-sweep.sh FILE.java... (paths from the repository root; HPROFSCAN
# defaults to target/release/hprofscan): for every dump spec of those programs but the -1/-2
# stages, runs the program with -Xint and compares hprofscan's verdict lines (outcome, suspects' verdict/kind/holder) with the
# stored dump's. Prints "ok NAME" or "DIFF NAME" with both lines. With the interpreter, a local
# of `main` stays live until the method returns (as on a loaded CI machine): a program whose
# local holds the leaked objects shows another verdict here (session 54, val93). Needs the
# dumps (testdata/generate.sh) and testdata/build/classes; one JVM at a time, 10-60 s each.
# SWEEP_CLOCK=+9h runs the programs under faketime at that offset instead (apt-get install
# faketime), with -Xint only if SWEEP_XINT=1: a program's clock moves its heap layout, and a
# verdict that depends on the dump's address order differs at some hours (session 56, val141).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
BIN=${HPROFSCAN:-$REPO/target/release/hprofscan}
tmp=$(mktemp -d)/x.hprof
verdicts() { "$BIN" leaks "$1" --format json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(d["outcome"], ";".join(s["verdict"]+"/"+s["kind"]+"/"+s["holder"]["class"]+"."+s["holder"]["field"] if s.get("holder") else s["verdict"]+"/"+s["kind"] for s in d["suspects"]))'; }
for src in "$@"; do
  cls=$(basename "$src" .java)
  grep -h '^// hprofscan-dump:' "$src" | while read -r line; do
    name=$(sed -n 's/.*name=\([^ ]*\).*/\1/p' <<<"$line")
    jvm=$(sed -n 's/.*jvm="\([^"]*\)".*/\1/p' <<<"$line")
    args=$(sed -n 's/.*args="\([^"]*\)".*/\1/p' <<<"$line")
    case "$name" in *-1|*-2) continue ;; esac
    stored=""
    for f in testdata/dumps/$name.hprof testdata/dumps/$name.hprof.gz testdata/dumps/$name.jcmd.hprof testdata/dumps/$name.jcmd.hprof.gz; do [ -f "$f" ] && stored=$f && break; done
    [ -z "$stored" ] && { echo "nofile $name"; continue; }
    case "$jvm" in *GC*) ;; *) jvm="-XX:+UseG1GC $jvm" ;; esac
    rm -rf "$(dirname "$tmp")"
    # shellcheck disable=SC2086
    run=(timeout 300 java -Xint)
    if [ -n "${SWEEP_CLOCK:-}" ]; then
        run=(timeout 300 env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$SWEEP_CLOCK" java)
        [ "${SWEEP_XINT:-0}" = 1 ] && run+=(-Xint)
    fi
    "${run[@]}" $jvm -cp testdata/build/classes testdata.$cls mxbean "$tmp" $args > /dev/null 2>&1 || { echo "FAILRUN $name"; continue; }
    a=$(verdicts "$stored"); b=$(verdicts "$tmp")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "ok $name: $a"; else echo "DIFF $name"; echo "  stored: $a"; echo "  rerun:  $b"; fi
  done
done
rm -rf "$(dirname "$tmp")"
