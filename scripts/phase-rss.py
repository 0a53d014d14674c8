#!/usr/bin/env python3
"""Peak resident memory of each phase of an hprofscan run.

    scripts/phase-rss.py HPROFSCAN leaks bench-out/big.hprof [ARGS...]

Runs the command with --verbose --progress never (its stdout is discarded), samples the
process's resident set (VmRSS, /proc/PID/status) every 2 ms, and prints for every
`[phase] NAME` line of its stderr the largest RSS seen since the line before: the peak of
that phase (a `[phase]` line is printed when its phase ends). The last row is the whole run's
VmHWM, which the sampling can only undercount. Linux only.
"""
import os
import selectors
import subprocess
import sys
import time


def rss_kb(pid, field="VmRSS:"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd = sys.argv[1:] + ["--verbose", "--progress", "never"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    sel.register(p.stderr, selectors.EVENT_READ)
    buf = b""
    peak = 0
    hwm = 0
    t0 = time.monotonic()
    print(f"{'phase':<14} {'ends at':>8} {'peak RSS':>10}")
    done = False
    while True:
        peak = max(peak, rss_kb(p.pid))
        hwm = max(hwm, rss_kb(p.pid, "VmHWM:"))
        if done:
            if p.poll() is not None:
                break
            time.sleep(0.002)
            continue
        for _key, _ in sel.select(timeout=0.002):
            chunk = os.read(p.stderr.fileno(), 65536)
            if not chunk:
                done = True
                sel.unregister(p.stderr)
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace")
                if text.startswith("[phase]"):
                    name = " ".join(text.split()[1:3]) if text.split()[1] == "id" else text.split()[1]
                    t = time.monotonic() - t0
                    print(f"{name:<14} {t:>7.2f}s {peak / 1024:>7.0f} MiB", flush=True)
                    peak = rss_kb(p.pid)
    print(f"{'(whole run)':<14} {time.monotonic() - t0:>7.2f}s {hwm / 1024:>7.0f} MiB VmHWM")
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
