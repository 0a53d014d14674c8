#!/usr/bin/env python3
"""The declared minimum Rust version (`rust-version` in the workspace's Cargo.toml), checked:

- every package of the workspace declares it (`cargo metadata` reports the same
  `rust_version` for each, so `rust-version.workspace = true` was not forgotten);
- the toolchain running the tests (`rustc --version`) is not older than it.

Only one toolchain is installed where the tests run, so this does not build with the declared
version itself (that would need `rustup toolchain install <version>` and `cargo +<version>
check`); it catches a declaration that drifts from the packages or from the toolchain in use.
"""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path


def version(text):
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(x or 0) for x in m.groups()) if m else None


def main():
    root = Path(__file__).resolve().parent.parent
    manifest = tomllib.loads((root / "Cargo.toml").read_text(encoding="utf-8"))
    declared = manifest["workspace"]["package"]["rust-version"]
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--no-deps", "--format-version", "1", "--locked"], cwd=root))
    bad = [f"{p['name']}: rust_version {p.get('rust_version')}, workspace declares {declared}"
           for p in meta["packages"] if p.get("rust_version") != declared]
    rustc = subprocess.check_output(["rustc", "--version"], cwd=root, text=True).strip()
    if version(rustc) < version(declared):
        bad.append(f"{rustc} is older than the declared rust-version {declared}")
    for b in bad:
        print(b)
    if bad:
        return 1
    print(f"rust-version {declared}: declared by all {len(meta['packages'])} packages; {rustc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
