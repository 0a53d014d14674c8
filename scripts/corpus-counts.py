#!/usr/bin/env python3
"""Counts the outcomes of `scripts/leak-corpus.sh` runs per half, for testdata/SCENARIOS.md.

    for s in tuning validation validation2 ... validation17; do
        scripts/leak-corpus.sh $s > OUT/$s.txt
    done
    scripts/corpus-counts.py OUT/*.txt

Each file is one set's output, named after the set (`tuning.txt`, `validation7.txt`, or with a
prefix: `TAG-validation7.txt`). A run (a dump or a series) is healthy when its name says so;
a healthy run is flagged when its outcome is not `no-leak`, a leak run found when it is `leak`
or `possible-leak`. Sets 1-15 are counted together (all spent by earlier sessions); the newer
validation sets each on their own.
"""
import collections
import os
import re
import sys


def half(path):
    name = os.path.basename(path).rsplit(".", 1)[0].split("-")[-1]
    m = re.fullmatch(r"validation(\d*)", name)
    if name == "tuning" or not m:
        return name
    n = int(m.group(1) or 1)
    return "validation 1-15" if n <= 15 else f"validation {n}"


def main(paths):
    # healthy runs, healthy flagged, leak runs, leak, possible-leak
    tot = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    for path in paths:
        run = None
        for line in open(path, encoding="utf-8"):
            m = re.match(r"=== (?:series )?(\S+)", line)
            if m:
                run = m.group(1)
                continue
            m = re.match(r"\s+outcome: (\S+)", line)
            if m and run:
                o, g = m.group(1), tot[half(path)]
                if "healthy" in run:
                    g[0] += 1
                    g[1] += o != "no-leak"
                else:
                    g[2] += 1
                    g[3] += o == "leak"
                    g[4] += o == "possible-leak"
                run = None
    for k in sorted(tot):
        h, f, n, leak, possible = tot[k]
        print(f"{k}: healthy runs flagged {f} of {h}; leak runs found {leak + possible} of {n} "
              f"({leak} leak, {possible} possible-leak), missed {n - leak - possible}")


if __name__ == "__main__":
    main(sys.argv[1:])
