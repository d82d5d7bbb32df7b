#!/usr/bin/env python3
"""Print the pristine-vs-patched table from build/results/{pristine,patched}
(build/arm64/results/... with HWBP_ARCH=arm64).

    compare.py PLAN...

One row per case: its result on each kernel, and the expected-failure reason
if the case is listed.  Rows that differ are marked '*'.  Per-plan totals
follow the table.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
import summary  # noqa: E402

MARK = {"pass": "ok", "fail": "FAIL", "skip": "skip", None: "-"}


def load(kind, plan):
    # Another architecture's results (make compare ARCH=arm64): build/ARCH/.
    arch = os.environ.get("HWBP_ARCH") or "x86"
    adir = ktap.build_dir(arch)
    path = os.path.join(adir, "results", kind, f"plan-{plan}.ktap")
    if not os.path.exists(path):
        return {}
    return {n: s for n, s, _ in ktap.read_ktap(path)}


def main(plans):
    xfail = summary.load_xfail()
    width = 60
    print(f"{'case':<{width}} {'pristine':>8} {'patched':>8}")
    totals = []
    for plan in plans:
        pr, pa = load("pristine", plan), load("patched", plan)
        names = list(pr) + [n for n in pa if n not in pr]
        for n in names:
            a, b = pr.get(n), pa.get(n)
            mark = "*" if a != b else " "
            note = f"  xfail: {xfail[n]}" if n in xfail else ""
            shown = n if len(n) <= width else n[:width - 3] + "..."
            print(f"{shown:<{width}} {MARK[a]:>8} {MARK[b]:>8} {mark}{note}")
        count = lambda d: (sum(s == "pass" for s in d.values()), len(d))
        totals.append((plan, count(pr), count(pa)))
    print()
    for plan, (p1, t1), (p2, t2) in totals:
        print(f"{plan:<12} pristine {p1}/{t1} passed   patched {p2}/{t2} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
