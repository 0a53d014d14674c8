#!/usr/bin/env python3
"""Plot (SVG, written by hand: no plotting library) or tabulate scripts/scaling.sh's CSV.

    scripts/scaling-plot.py CSV... SVG      # two panels: wall ns per object, max RSS bytes per object
    scripts/scaling-plot.py --table CSV...  # markdown table of the medians per size, per CSV

Per tool and size: the median wall time of its runs and the largest max RSS (the runs of every
CSV given are pooled for the plot).
"""
import csv
import statistics
import sys
from collections import defaultdict

TOOLS = [
    ("hprofscan-leaks", "hprofscan leaks", "#1f77b4"),
    ("hprof-analyzer", "hprof-analyzer 0.3.2", "#d62728"),
]


def load(*paths):
    runs = defaultdict(list)
    for path in paths:
        for row in csv.DictReader(open(path)):
            runs[(row["tool"], int(row["objects"]))].append(row)
    out = {}
    for (tool, n), rows in runs.items():
        walls = [float(r["wall_s"]) for r in rows]
        cpus = [float(r["cpu_s"]) for r in rows]
        rss = max(int(r["max_rss_kb"]) for r in rows)
        out[(tool, n)] = {
            "objects": n,
            "bytes": int(rows[0]["dump_bytes"]),
            "walls": walls,
            "wall": statistics.median(walls),
            "rss_kb": rss,
            "ns": statistics.median(walls) * 1e9 / n,
            "cpu": statistics.median(cpus),
            "cpu_ns": statistics.median(cpus) * 1e9 / n,
            "loads": [r["load1"] for r in rows],
            "bpo": rss * 1024 / n,
        }
    return out


def nice_max(v):
    for m in (1, 2, 2.5, 5, 10):
        for e in range(-2, 12):
            top = m * 10**e
            if top >= v:
                return top
    return v


def panel(x0, y0, w, h, title, ylabel, series, key, xmax):
    """series: [(label, colour, [(objects, value)])]"""
    ymax = nice_max(max(v for _, _, pts, _ in series for _, v in pts) * 1.15)
    s = []
    s.append(f'<text x="{x0 + w / 2}" y="{y0 - 12}" text-anchor="middle" font-size="14" font-weight="bold">{title}</text>')
    s.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#444"/>')
    for i in range(6):
        yv = ymax * i / 5
        y = y0 + h - h * i / 5
        s.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="#ddd"/>')
        s.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{yv:g}</text>')
    xticks = sorted({n for _, _, pts, _ in series for n, _ in pts})
    for n in xticks:
        x = x0 + w * n / xmax
        s.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + h}" stroke="#eee"/>')
        s.append(f'<text x="{x:.1f}" y="{y0 + h + 16}" text-anchor="middle" font-size="11">{n / 1e6:g} M</text>')
    s.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle" font-size="12">objects in the dump</text>')
    s.append(f'<text transform="translate({x0 - 44},{y0 + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">{ylabel}</text>')
    for label, colour, pts, dash in series:
        pts = sorted(pts)
        xy = [(x0 + w * n / xmax, y0 + h - h * v / ymax) for n, v in pts]
        s.append('<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>'
                 % (colour, f' stroke-dasharray="{dash}"' if dash else "",
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)))
        for (x, y), (_, v) in zip(xy, pts):
            s.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
            s.append(f'<text x="{x + 5:.1f}" y="{y - 6:.1f}" font-size="10" fill="{colour}">{v:.0f}</text>')
    return s


def svg(data, path):
    present = [(t, label, c) for t, label, c in TOOLS if any(k[0] == t for k in data)]
    xmax = nice_max(max(n for _, n in data) * 1.08)
    W, H = 920, 400
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for i, (key, title, ylabel) in enumerate([
        ("ns", "Wall time per object", "ns per object (median wall)"),
        ("bpo", "Peak memory per object", "bytes per object (max RSS)"),
    ]):
        series = []
        for t, label, c in present:
            pts = [(n, d[key]) for (tt, n), d in data.items() if tt == t]
            series.append((label, c, pts, None))
            if key == "ns":
                # CPU time (user + sys) per object: what a quiet machine's wall time tends to.
                pts = [(n, d["cpu_ns"]) for (tt, n), d in data.items() if tt == t]
                series.append((label + " (cpu)", c, pts, "5,4"))
        out += panel(80 + i * 450, 50, 340, 270, title, ylabel, series, key, xmax)
    lx = 80
    for t, label, c in present:
        out.append(f'<line x1="{lx}" y1="{H - 18}" x2="{lx + 24}" y2="{H - 18}" stroke="{c}" stroke-width="3"/>')
        out.append(f'<text x="{lx + 30}" y="{H - 14}" font-size="12">{label} (dashed: cpu time)</text>')
        lx += 300
    out.append(f'<text x="{W - 10}" y="{H - 14}" text-anchor="end" font-size="10" fill="#666">'
               '2 shared cores (load ~10), warm page cache; flat = linear growth</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def table(data):
    sizes = sorted({n for t, n in data if t == "hprofscan-leaks"})
    print("| objects | dump | tool | wall (each run) | cpu | wall ns/obj | cpu ns/obj | max RSS | RSS B/obj "
          "| load (1 min) |")
    print("|---:|---:|---|---|---:|---:|---:|---:|---:|---|")
    for n in sizes:
        for tool, label, _ in TOOLS:
            d = data.get((tool, n))
            if not d:
                continue
            print("| " + " | ".join([
                f"{n:,}", f"{d['bytes'] / 1e9:.2f} GB", label,
                f"{d['wall']:.2f} s ({', '.join(f'{w:.2f}' for w in d['walls'])})",
                f"{d['cpu']:.1f} s", f"{d['ns']:.0f}", f"{d['cpu_ns']:.0f}",
                f"{d['rss_kb'] * 1024 / 1e9:.2f} GB", f"{d['bpo']:.1f}", ", ".join(d["loads"])]) + " |")
        h, a = data[("hprofscan-leaks", n)], data.get(("hprof-analyzer", n))
        if a:
            print(f"| {n:,} | | **hprof-analyzer / hprofscan** | **{a['wall'] / h['wall']:.1f}x** wall "
                  f"| {a['cpu'] / h['cpu']:.1f}x | | | **{a['rss_kb'] / h['rss_kb']:.2f}x** | | |")
    g = sorted((n, d) for (t, n), d in data.items() if t == "gendump")
    if g:
        print()
        print("Generator: " + "; ".join(
            f"{n / 1e6:.1f} M objects, {d['bytes'] / 1e9:.2f} GB in {d['wall']:.1f} s "
            f"({d['bytes'] / d['wall'] / 1e6:.0f} MB/s, max RSS {d['rss_kb'] / 1024:.0f} MiB)"
            for n, d in g))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--table":
        for i, path in enumerate(sys.argv[2:]):
            if i:
                print()
            table(load(path))
    elif len(sys.argv) >= 3:
        data = {k: v for k, v in load(*sys.argv[1:-1]).items() if k[0] != "gendump"}
        svg(data, sys.argv[-1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
