#!/usr/bin/env bash
# Opens an HTML report in headless Chromium and checks that it renders:
#   scripts/browser-test.sh HTMLFILE EXPECTED_TEXT
# Passes when the page's script finished (<body data-ready="1">), recorded no error in
# <div id="js-errors">, Chromium logged no console error, and EXPECTED_TEXT is in the rendered
# DOM. Installs Debian's chromium if /usr/bin/chromium is missing (needs root). Screenshots at
# 800 and 1400 px wide (report-800.png, report-1400.png; SCREENSHOT_WIDTHS changes the widths)
# go to a temporary directory (printed), never into the repository; set SCREENSHOT_DIR to keep
# them elsewhere.
set -euo pipefail

fail() {
    echo "browser-test: FAIL: $*" >&2
    exit 1
}

[ $# -eq 2 ] || { echo "usage: $0 HTMLFILE EXPECTED_TEXT" >&2; exit 2; }
html=$1
expected=$2
[ -f "$html" ] || fail "$html does not exist"
html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")

browser=/usr/bin/chromium
install_browser() {
    [ -x "$browser" ] && return 0
    [ "$(id -u)" -eq 0 ] || fail "$browser is missing and installing it needs root (apt-get install chromium)"
    echo "browser-test: installing Debian's chromium" >&2
    apt-get update >&2 || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2 || fail "apt-get install chromium failed"
    [ -x "$browser" ] || fail "$browser still missing after installing chromium"
}
if [ ! -x "$browser" ]; then
    # Tests run in parallel: one installs, the others wait for it on the lock (apt-get would
    # fail on its own lock instead), then find the browser there.
    exec 9>"${TMPDIR:-/tmp}/hprofscan-browser-install.lock"
    flock 9
    install_browser
    flock -u 9
fi

work=$(mktemp -d)
profile_dom=$(mktemp -d)
profile_shot=$(mktemp -d)
shots=${SCREENSHOT_DIR:-$work}
mkdir -p "$shots"
trap 'rm -rf "$profile_dom" "$profile_shot"' EXIT

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-dev-shm-usage --enable-logging=stderr --v=0)

# The rendered DOM after the scripts ran.
if ! timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile_dom" \
    --virtual-time-budget=5000 --dump-dom "file://$html" >"$work/dom.html" 2>"$work/dom.log"; then
    cat "$work/dom.log" >&2
    fail "chromium --dump-dom failed"
fi
# Screenshots, to look at: a narrow and a wide window.
widths=${SCREENSHOT_WIDTHS:-800 1400}
for width in $widths; do
    rm -rf "$profile_shot" && mkdir -p "$profile_shot"
    if ! timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile_shot" \
        --hide-scrollbars --window-size="$width",2000 --screenshot="$shots/report-$width.png" \
        "file://$html" >"$work/shot-$width.log" 2>&1; then
        cat "$work/shot-$width.log" >&2
        fail "chromium --screenshot at $width px failed"
    fi
done

[ -s "$work/dom.html" ] || fail "chromium dumped an empty DOM (log: $work/dom.log)"

# Console messages Chromium logged: errors, uncaught exceptions, blocked loads.
if grep -E 'CONSOLE|console' "$work/dom.log" "$work"/shot-*.log |
    grep -Ei 'error|uncaught|refused|blocked|failed' >"$work/console.txt"; then
    cat "$work/console.txt" >&2
    fail "the page logged console errors (above)"
fi
# Errors the page's own handler recorded.
if grep -o '<div id="js-errors">[^<]' "$work/dom.html" >/dev/null; then
    sed -n 's/.*\(<div id="js-errors">[^<]*\).*/\1/p' "$work/dom.html" >&2
    fail "the page recorded script errors (above)"
fi
grep -q '<body[^>]*data-ready="1"' "$work/dom.html" ||
    fail "the page's script did not finish (no data-ready=\"1\" on <body>)"
grep -qF -- "$expected" "$work/dom.html" ||
    fail "the rendered page does not contain: $expected"
for width in $widths; do
    [ -s "$shots/report-$width.png" ] || fail "no screenshot was written at $width px"
done

echo "browser-test: ok: $html renders with no errors and shows: $expected"
for width in $widths; do
    echo "browser-test: screenshot: $shots/report-$width.png"
done
