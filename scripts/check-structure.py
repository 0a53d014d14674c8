#!/usr/bin/env python3
"""The shape of the Rust sources (issue #13), checked before the tests (scripts/test.sh):

1. Size: no source file over 600 lines and no function over 80 lines, outside tests.
2. Stages: `analyzer/src/` is one folder per stage, and a stage imports (`crate::<stage>`) only
   the stages below it in `STAGES`; `lib.rs` declares only the stages as `pub mod`.
3. No import circles between the analyzer's modules (`<stage>/<module>`).

"Outside tests" means: files under a crate's `src/` (not `tests/`, `benches/`, `fuzz/`), and in
them, code before a `#[cfg(test)]` module. A function's length is counted from its `fn` line to
its closing brace, comments and blank lines included (what a reader scrolls through).

Functions that were over the limit when this check came (issue #13) are listed in `KNOWN` with
the length they had: they may shrink but not grow, and no new one may appear. Split one, then
delete its entry (the check says which entries no longer apply).

Usage: python3 scripts/check-structure.py [--max-file N] [--max-fn N] [ROOT]
Exits 1 and lists every offender.
"""

import argparse
import re
import sys
from pathlib import Path

CRATES = ("hprof-parser", "analyzer", "cli")
FN = re.compile(r"^(\s*)(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?"
                r"(?:extern\s+\"[^\"]*\"\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)")
CFG_TEST = re.compile(r"^\s*#\[cfg\(test\)\]\s*$")


def code_lines(lines):
    """The lines before the first `#[cfg(test)]` module (unit tests sit at a file's end)."""
    for i, line in enumerate(lines):
        if CFG_TEST.match(line):
            rest = "".join(lines[i + 1:i + 3])
            if re.search(r"\bmod\s+\w+", rest):
                return lines[:i]
    return lines


def strip_literals(line):
    """The line without string/char literals and `//` comments, for brace counting."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def functions(lines):
    """(name, first line, length) of every function with a body."""
    out = []
    i = 0
    n = len(lines)
    while i < n:
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth = 0
        opened = False
        j = i
        while j < n:
            s = strip_literals(lines[j])
            if not opened and ";" in s and "{" not in s:
                break  # a declaration without a body (trait method)
            for ch in s:
                if ch == "{":
                    depth += 1
                    opened = True
                elif ch == "}":
                    depth -= 1
            if opened and depth <= 0:
                break
            j += 1
        if opened:
            out.append((m.group(2), i + 1, j - i + 1))
        i += 1  # nested functions are counted too
    return out


# Functions over the limit when the check was introduced, with their length then. Each should
# be split along its phase comments; until then it may not grow.
KNOWN = {
}

# The analyzer's stages, lowest first (see analyzer/src/lib.rs).
STAGES = ["base", "load", "graph", "dom", "query", "report", "leaks", "run"]
CRATE_PATH = re.compile(r"\bcrate::([a-z_]+)(?:::([a-z_]+))?")


def imports(path):
    """The `crate::` paths of a file's code (comments and unit tests left out)."""
    lines = code_lines(path.read_text(encoding="utf-8").splitlines())
    code = "\n".join(strip_literals(l) for l in lines if not l.lstrip().startswith("//"))
    return CRATE_PATH.findall(code)


def check_stages(root):
    """Stage order, `pub mod` in lib.rs, and circles between modules."""
    bad = []
    src = root / "analyzer" / "src"
    rank = {s: i for i, s in enumerate(STAGES)}
    lib = (src / "lib.rs").read_text(encoding="utf-8")
    declared = re.findall(r"^pub mod (\w+);", lib, re.M)
    if sorted(declared) != sorted(STAGES):
        bad.append(f"analyzer/src/lib.rs: pub mod {declared}, expected the stages {STAGES}")
    for entry in sorted(src.iterdir()):
        if entry.is_dir() and entry.name not in rank:
            bad.append(f"analyzer/src/{entry.name}/: not a stage of STAGES")
    graph = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src).parts
        if len(rel) < 2:
            continue
        stage = rel[0]
        module = f"{stage}/{rel[1].removesuffix('.rs')}"
        for target, sub in imports(path):
            if target not in rank:
                continue
            if rank[target] > rank[stage]:
                bad.append(f"analyzer/src/{'/'.join(rel)}: stage {stage} imports crate::{target}")
            if sub and f"{target}/{sub}" != module:
                graph.setdefault(module, set()).add(f"{target}/{sub}")
    for cycle in cycles(graph):
        bad.append("import circle among: " + ", ".join(cycle))
    return bad


def cycles(graph):
    """The modules of each import circle (strongly connected components of two or more)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-file", type=int, default=600)
    ap.add_argument("--max-fn", type=int, default=80)
    ap.add_argument("root", nargs="?", default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args()
    root = Path(args.root)
    bad = []
    known = set()
    for crate in CRATES:
        for path in sorted((root / crate / "src").rglob("*.rs")):
            lines = path.read_text(encoding="utf-8").splitlines()
            rel = path.relative_to(root)
            code = code_lines(lines)
            if len(code) > args.max_file:
                bad.append(f"{rel}: {len(code)} lines outside tests (limit {args.max_file})")
            for name, line, length in functions(code):
                if length <= args.max_fn:
                    continue
                key = f"{rel}: fn {name}"
                if key in KNOWN and length <= KNOWN[key]:
                    known.add(key)
                    continue
                was = f", listed at {KNOWN[key]}" if key in KNOWN else ""
                bad.append(f"{rel}:{line}: fn {name} is {length} lines (limit {args.max_fn}{was})")
    bad.extend(check_stages(root))
    for key in sorted(set(KNOWN) - known):
        print(f"note: {key} is within the limits now: delete its KNOWN entry")
    for b in bad:
        print(b)
    if bad:
        print(f"check-structure: {len(bad)} problems", file=sys.stderr)
        return 1
    print(f"check-structure: stages and sizes ok ({len(known)} known long functions left)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
