#!/usr/bin/env bash
# (Re)generates the test heap dumps in testdata/dumps/ from the Java programs in
# testdata/programs/testdata/*.java. See testdata/README.md.
#
#   testdata/generate.sh [--force] [NAME...]
#
# Every line of the form
#   // hprofscan-dump: name=<dumpname> jvm="<jvm flags>" variants=<v1,v2,...> [args="<program args>"]
# in a program source is a dump spec; for each variant it produces
#   mxbean  -> testdata/dumps/<name>.hprof
#   jcmd    -> testdata/dumps/<name>.jcmd.hprof
#   jcmd-gz -> testdata/dumps/<name>.jcmd.hprof.gz
# Validation-corpus dumps (names starting with "val") are stored gzip-compressed, as <file>.gz
# (gzip -1, about a quarter of the size: the corpus is some 38 GB uncompressed, more than a CI
# disk holds); the tests read them through hprofscan's gzip path. Compressing overlaps with the
# next program's run. A current uncompressed val* dump left by an older checkout is compressed
# instead of regenerated.
# by running, from the repository root,
#   java <jvm flags> -cp testdata/build/classes testdata.<Class> <variant> <tmpfile> [args...]
# Flags that name no collector get -XX:+UseG1GC first: G1 is the JVM's default only on a
# "server-class" machine (2 or more CPUs and 1792 MB or more visible to it); in a container that
# shows it less, the JVM picks SerialGC, whose heap order and JIT timing give other dumps.
# Compilation: programs/testdata/*.java -> build/classes, plugin-src/**/*.java -> build/plugin-classes
# (javac --release 17), then every "// hprofscan-build: <shell command>" line found in the program
# sources is run with bash from the repository root.
#
# A dump is (re)generated when it is missing, or older than its program's source file, than any
# program source without a dump spec (shared helpers such as DumpUtil.java) or than any other
# *.java under testdata/ (plugin-src/ etc.); always with --force. NAMEs restrict the run to those
# dump names. Everything is recompiled when any *.java under testdata/ is newer than the last build.
# Prints one line per generated dump; exits non-zero if compilation or any program fails.
set -euo pipefail

TESTDATA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(dirname "$TESTDATA")"
PROGRAMS="$TESTDATA/programs"
PLUGIN_SRC="$TESTDATA/plugin-src"
BUILD="$TESTDATA/build"
CLASSES="$BUILD/classes"
PLUGIN_CLASSES="$BUILD/plugin-classes"
STAMP="$BUILD/.compiled"
DUMPS="$TESTDATA/dumps"
TMP="$DUMPS/.tmp"
COMPLETE="$DUMPS/.complete"

usage() { echo "usage: $0 [--force] [NAME...]" >&2; exit 2; }

force=0
declare -a wanted=()
for arg in "$@"; do
    case "$arg" in
        --force|-f) force=1 ;;
        -h|--help) usage ;;
        -*) echo "generate.sh: unknown option $arg" >&2; usage ;;
        *) wanted+=("$arg") ;;
    esac
done

JAVA="java"; JAVAC="javac"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]]; then
    JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
fi

mkdir -p "$DUMPS"
# One generator at a time; a second concurrent run waits, then finds everything up to date.
exec 9>"$DUMPS/.lock"
flock 9

rm -f "$COMPLETE"
rm -rf "$TMP"
mkdir -p "$TMP"

shopt -s nullglob
sources=("$PROGRAMS"/testdata/*.java)
plugin_sources=()
while IFS= read -r -d '' f; do plugin_sources+=("$f"); done \
    < <(find "$PLUGIN_SRC" -type f -name '*.java' -print0 2>/dev/null)
# Every other Java source under testdata/ (plugin-src/, sources used by hprofscan-build lines, ...).
other_sources=()
while IFS= read -r -d '' f; do other_sources+=("$f"); done \
    < <(find "$TESTDATA" \( -path "$BUILD" -o -path "$DUMPS" -o -path "$PROGRAMS/testdata" -o -path "$TESTDATA/bench" -o -path "$TESTDATA/jdk11" -o -path "$TESTDATA/jdk11-src" \) -prune \
        -o -type f -name '*.java' -print0)
if ((${#sources[@]} == 0)); then
    echo "generate.sh: no sources in $PROGRAMS/testdata" >&2
    exit 1
fi

# newer_than FILE X...: true if any X is newer than FILE (or FILE is missing).
newer_than() {
    local target="$1"; shift
    [[ -e "$target" ]] || return 0
    local f
    for f in "$@"; do
        [[ "$f" -nt "$target" ]] && return 0
    done
    return 1
}

# ---- compile ---------------------------------------------------------------------------------
if newer_than "$STAMP" "${sources[@]}" "${other_sources[@]}"; then
    rm -rf "$CLASSES" "$PLUGIN_CLASSES" "$STAMP"
    mkdir -p "$CLASSES" "$PLUGIN_CLASSES"
    log="$TMP/javac.log"
    if ! "$JAVAC" --release 17 -nowarn -encoding UTF-8 -d "$CLASSES" "${sources[@]}" >"$log" 2>&1; then
        echo "generate.sh: javac failed for testdata/programs:" >&2
        cat "$log" >&2
        exit 1
    fi
    if ((${#plugin_sources[@]} > 0)) &&
        ! "$JAVAC" --release 17 -nowarn -encoding UTF-8 -d "$PLUGIN_CLASSES" "${plugin_sources[@]}" >"$log" 2>&1; then
        echo "generate.sh: javac failed for testdata/plugin-src:" >&2
        cat "$log" >&2
        exit 1
    fi
    # Extra build steps: "// hprofscan-build: <shell command>" lines, run from the repository root.
    while IFS= read -r line; do
        cmd="${line#*hprofscan-build:}"
        if ! (cd "$REPO" && bash -c "set -euo pipefail; $cmd") >"$log" 2>&1; then
            echo "generate.sh: build step failed: $cmd" >&2
            cat "$log" >&2
            exit 1
        fi
    done < <(grep -hE '^[[:space:]]*//[[:space:]]*hprofscan-build:' "${sources[@]}" || true)
    touch "$STAMP"
fi

# ---- collect dump specs ----------------------------------------------------------------------
# Shared inputs: sources without a dump spec, plugin sources.
shared=("${other_sources[@]}")
for f in "${sources[@]}"; do
    grep -q '^[[:space:]]*//[[:space:]]*hprofscan-dump:' "$f" || shared+=("$f")
done

# Parallel arrays, one entry per (spec line, variant).
declare -a d_name=() d_file=() d_class=() d_src=() d_variant=() d_jvm=() d_args=()
re_name='(^|[[:space:]])name=([^[:space:]]+)'
re_jvm='(^|[[:space:]])jvm="([^"]*)"'
re_variants='(^|[[:space:]])variants=([^[:space:]]+)'
re_args='(^|[[:space:]])args="([^"]*)"'
for f in "${sources[@]}"; do
    cls="$(basename "$f" .java)"
    while IFS= read -r line; do
        spec="${line#*hprofscan-dump:}"
        if ! [[ "$spec" =~ $re_name ]]; then
            echo "generate.sh: $f: dump spec without name=: $line" >&2; exit 1
        fi
        name="${BASH_REMATCH[2]}"
        if ! [[ "$spec" =~ $re_variants ]]; then
            echo "generate.sh: $f: dump spec without variants=: $line" >&2; exit 1
        fi
        variants="${BASH_REMATCH[2]}"
        jvm=""; [[ "$spec" =~ $re_jvm ]] && jvm="${BASH_REMATCH[2]}"
        pargs=""; [[ "$spec" =~ $re_args ]] && pargs="${BASH_REMATCH[2]}"
        IFS=',' read -ra vs <<<"$variants"
        for v in "${vs[@]}"; do
            case "$v" in
                mxbean) file="$name.hprof" ;;
                jcmd) file="$name.jcmd.hprof" ;;
                jcmd-gz) file="$name.jcmd.hprof.gz" ;;
                *) echo "generate.sh: $f: unknown variant '$v' in: $line" >&2; exit 1 ;;
            esac
            for existing in "${d_file[@]}"; do
                if [[ "$existing" == "$file" ]]; then
                    echo "generate.sh: dump $file is specified twice (second in $f)" >&2; exit 1
                fi
            done
            d_name+=("$name"); d_file+=("$file"); d_class+=("$cls"); d_src+=("$f")
            d_variant+=("$v"); d_jvm+=("$jvm"); d_args+=("$pargs")
        done
    done < <(grep -E '^[[:space:]]*//[[:space:]]*hprofscan-dump:' "$f" || true)
done

for w in "${wanted[@]}"; do
    found=0
    for n in "${d_name[@]}"; do [[ "$n" == "$w" ]] && found=1; done
    if ((found == 0)); then
        echo "generate.sh: no dump named '$w' (known: $(printf '%s\n' "${d_name[@]}" | sort -u | tr '\n' ' '))" >&2
        exit 2
    fi
done

# ---- generate --------------------------------------------------------------------------------
# The file a dump is stored as: val* dumps compressed (see the header).
stored_name() {
    case "$1" in
        val*.hprof) echo "$1.gz" ;;
        *) echo "$1" ;;
    esac
}

# One gzip job at a time runs in the background: $gz_pid compresses $gz_file.
gz_pid=""; gz_file=""
wait_gzip() {
    [[ -n "$gz_pid" ]] || return 0
    if ! wait "$gz_pid"; then
        echo "generate.sh: FAILED to compress testdata/dumps/$gz_file" >&2
        failed+=("$gz_file")
    fi
    gz_pid=""; gz_file=""
}

# Compresses $1 into $2 (through $2.tmp) in the background, removing $1 when done.
start_gzip() {
    local src="$1" dst="$2"
    wait_gzip
    (gzip -1 -c "$src" >"$dst.tmp" && chmod 644 "$dst.tmp" && mv -f "$dst.tmp" "$dst" &&
        rm -f "$src") &
    gz_pid=$!; gz_file="$(basename "$dst")"
}

# Runs the program of dump spec $1, writing its dump to $2. Programs run from the repository root
# (relative paths in args="..." resolve against it).
run_program() {
    local i="$1" dest="$2" jvm_flags prog_args
    read -ra jvm_flags <<<"${d_jvm[$i]}"
    [[ " ${d_jvm[$i]} " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]*GC[[:space:]] ]] || jvm_flags=(-XX:+UseG1GC "${jvm_flags[@]}")
    read -ra prog_args <<<"${d_args[$i]}"
    (cd "$REPO" && exec "$JAVA" "${jvm_flags[@]}" -cp "$CLASSES" "testdata.${d_class[$i]}" "${d_variant[$i]}" "$dest" \
        "${prog_args[@]}")
}

failed=(); retried=()
for i in "${!d_file[@]}"; do
    name="${d_name[$i]}"; file="${d_file[$i]}"; stored="$(stored_name "$file")"
    out="$DUMPS/$stored"
    if ((${#wanted[@]} > 0)); then
        sel=0
        for w in "${wanted[@]}"; do [[ "$w" == "$name" ]] && sel=1; done
        ((sel)) || continue
    fi
    if ((force == 0)) && ! newer_than "$out" "${d_src[$i]}" "${shared[@]}"; then
        continue
    fi
    plain="$DUMPS/$file"
    if [[ "$stored" != "$file" ]] && ((force == 0)) && [[ -s "$plain" ]] &&
        ! newer_than "$plain" "${d_src[$i]}" "${shared[@]}"; then
        start_gzip "$plain" "$out"
        printf 'compressed testdata/dumps/%s\n' "$file"
        continue
    fi
    tmp="$TMP/$file"
    log="$TMP/$file.log"
    start=$SECONDS
    # A program's own checks can race with its thread pools: one failed run is shown and retried
    # once; a second failure fails the dump.
    ok=0
    for attempt in 1 2; do
        rm -f "$tmp"
        if run_program "$i" "$tmp" >"$log" 2>&1 && [[ -s "$tmp" ]]; then ok=1; break; fi
        if ((attempt == 1)); then
            echo "generate.sh: testdata/dumps/$file failed once, retrying (testdata.${d_class[$i]}):" >&2
            sed 's/^/    /' "$log" >&2
            retried+=("$file: $(grep -m1 -E 'Exception|Error' "$log" || tail -n1 "$log")")
        fi
    done
    if ((ok)); then
        chmod 644 "$tmp"
        size=$(wc -c <"$tmp")
        if [[ "$stored" == "$file" ]]; then
            mv -f "$tmp" "$out"
        else
            rm -f "$plain"
            start_gzip "$tmp" "$out"
        fi
        printf 'generated testdata/dumps/%s (%s bytes, %ss)\n' "$stored" "$size" "$((SECONDS - start))"
    else
        echo "generate.sh: FAILED testdata/dumps/$file (testdata.${d_class[$i]} ${d_variant[$i]}):" >&2
        sed 's/^/    /' "$log" >&2
        rm -f "$tmp"
        failed+=("$file")
    fi
done
wait_gzip

rm -rf "$TMP"

# Repeated at the end, where a long log's tail shows them.
for r in "${retried[@]}"; do echo "generate.sh: retried once: $r" >&2; done
if ((${#failed[@]} > 0)); then
    echo "generate.sh: ${#failed[@]} dump(s) failed: ${failed[*]}" >&2
    exit 1
fi

# Stamp: written only when every specified dump exists.
stored_files=()
for file in "${d_file[@]}"; do
    stored_files+=("$(stored_name "$file")")
    [[ -s "$DUMPS/${stored_files[-1]}" ]] || exit 0
done
printf '%s\n' "${stored_files[@]}" | sort >"$COMPLETE.tmp"
mv -f "$COMPLETE.tmp" "$COMPLETE"
