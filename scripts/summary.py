#!/usr/bin/env python3
"""Summarize results of one kernel kind; the last line is the verdict.

    summary.py [--kernel patched] [--arch ARCH] [--only FILE_PREFIX]... [--exact FILE]... [--results DIR]

Reads build/results/KIND/*.ktap (build/ARCH/results/KIND for an ARCH other
than x86; default: $HWBP_ARCH, which the Makefile sets from ARCH=; under
build/KVER/ for a version other than 6.1, whose case names then start with
"KVER.").  A failing case listed in
tests/expected-failures.txt counts as xfail (printed by name); a listed case
that passes is an xpass and fails the run, so the entry must go the moment
the series fixes it.  Exit status 1 when anything failed.
"""
import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

TOP = ktap.TOP
XFAIL_FILE = os.path.join(TOP, "tests", "expected-failures.txt")


def load_xfail(path=XFAIL_FILE):
    """{case: reason} from 'CASE | REASON' lines.  A CASE written
    '{6.1,6.12}.NAME' holds for both versions: NAME (6.1's) and
    6.12.NAME."""
    out = {}
    for case, reason in ktap.read_table(path, 2):
        if case.startswith("{6.1,6.12}."):
            name = case[len("{6.1,6.12}."):]
            out[name] = out["6.12." + name] = reason
        else:
            out[case] = reason
    return out


def classify(results, xfail):
    """Split [(name, status, diag)] into verdict buckets."""
    out = {"pass": [], "fail": [], "skip": [], "xfail": [], "xpass": []}
    for name, status, diag in results:
        if name in xfail:
            out["xfail" if status == "fail" else
                "xpass" if status == "pass" else "skip"].append((name, diag))
        else:
            out[status].append((name, diag))
    return out


def verdict_line(b):
    line = f"{len(b['pass'])} passed, {len(b['fail']) + len(b['xpass'])} failed"
    extra = []
    if b["skip"]:
        extra.append(f"{len(b['skip'])} skipped")
    if b["xfail"]:
        extra.append(f"{len(b['xfail'])} xfailed")
    return line + (", " + ", ".join(extra) if extra else "")


def result_files(rdir):
    """The KTAP files of a results directory, in name order.  A plan's
    host side (PLAN.host.ktap) is left out: ktap.py has already merged
    its cases into plan-PLAN.ktap, named after the plan, and counting
    the file too would count each of them twice."""
    return [p for p in sorted(glob.glob(os.path.join(rdir, "*.ktap")))
            if not p.endswith(".host.ktap")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="patched")
    ap.add_argument("--arch", default=os.environ.get("HWBP_ARCH") or "x86")
    ap.add_argument("--results", default=None)
    ap.add_argument("--only", action="append", default=[],
                    help="result file name prefix, e.g. plan-kunit or check")
    ap.add_argument("--exact", action="append", default=[],
                    help="result file name, e.g. plan-kunit (not plan-kunit-prefix)")
    args = ap.parse_args()
    adir = ktap.build_dir(args.arch)
    rdir = args.results or os.path.join(adir, "results", args.kernel)
    results = []
    for path in result_files(rdir):
        base = os.path.basename(path)[:-5]
        if args.only and not any(base.startswith(o) for o in args.only):
            continue
        if args.exact and base not in args.exact:
            continue
        results += ktap.read_ktap(path)
    # Another version's results carry its name (6.12.kunit...), as they do
    # when make test counts them beside 6.1's, so expected failures are
    # listed per version.
    vp = ktap.kver_prefix()
    if vp and not args.results:
        results = [(n if n.startswith(vp) else vp + n, s, d) for n, s, d in results]
    b = classify(results, load_xfail())
    for name, diag in b["fail"]:
        print(f"FAIL  {name}" + (f"  ({diag})" if diag else ""))
    for name, diag in b["xpass"]:
        print(f"XPASS {name}  (listed in tests/expected-failures.txt: "
              "remove the entry, the series fixed it)")
    xf = load_xfail()
    for name, _ in b["xfail"]:
        print(f"xfail {name}  ({xf[name]})")
    for name, diag in b["skip"]:
        print(f"skip  {name}" + (f"  ({diag})" if diag else ""))
    if not results:
        print(f"no results under {rdir}")
        print("0 passed, 1 failed")
        return 1
    print(verdict_line(b))
    return 1 if b["fail"] or b["xpass"] else 0


if __name__ == "__main__":
    sys.exit(main())
