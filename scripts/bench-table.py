#!/usr/bin/env python3
"""Table of the bench plan's figures: medians, spread and ratios.

    bench-table.py RAW

RAW lines: "KIND ROUND bench NAME VALUE UNIT".  For each NAME: the median
(min-max) on pristine and on patched, patched/pristine, and, where the
patched boots measured it with the switch off too (NAME-preempt0), the
ratio on/off within the same boots.
"""
import statistics
import sys


def main(path):
    vals = {}
    for line in open(path):
        kind, _, _, name, value, _unit = line.split()[:6]
        try:
            vals.setdefault((kind, name), []).append(float(value))
        except ValueError:
            pass
    names = sorted({n for _, n in vals if not n.endswith("-preempt0")})
    med = lambda k, n: statistics.median(vals[(k, n)]) if (k, n) in vals else None
    rng = lambda k, n: (f"{min(vals[(k, n)]):.1f}-{max(vals[(k, n)]):.1f}"
                        if (k, n) in vals else "-")
    print("| benchmark (usecs/op) | pristine median (range) | patched median (range) "
          "| patched/pristine | patched: preempt=0 median | on/off |")
    print("|---|---|---|---|---|---|")
    for n in names:
        p, q, off = med("pristine", n), med("patched", n), med("patched", n + "-preempt0")
        ratio = f"{q / p:.3f}" if p and q else "-"
        onoff = f"{q / off:.3f}" if q and off else "-"
        fmt = lambda x: f"{x:.1f}" if x is not None else "-"
        print(f"| {n} | {fmt(p)} ({rng('pristine', n)}) | {fmt(q)} ({rng('patched', n)}) "
              f"| {ratio} | {fmt(off)} | {onoff} |")
    rounds = max(len(v) for v in vals.values()) if vals else 0
    print(f"\n{rounds} boots per kernel, alternating pristine/patched; QEMU TCG, 2 vCPUs.")


if __name__ == "__main__":
    main(sys.argv[1])
