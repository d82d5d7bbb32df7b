#!/usr/bin/env python3
"""make kcsan's verdict: every KCSAN report in the plans' logs fails it.

    kcsan-verdict.py [--series] CONFIG RESULTS_DIR PLAN=LOG...

Writes RESULTS_DIR/kcsan.ktap (read by summary.py --only kcsan):
  kcsan.strict-config          CONFIG has KCSAN in strict mode (what
                               CONFIG_KCSAN_STRICT implies stuck, the
                               filters it turns off are off)
  kcsan.PLAN.enabled           the boot said "kcsan: strict mode configured"
                               and KCSAN's boot selftest passed
  kcsan.PLAN.no-reports        no "BUG: KCSAN:" in the log but those
                               tests/known-splats.txt lists for PLAN (races
                               in upstream code, each with its evidence),
                               and never one in the series' code; the
                               diagnostic counts them and names the
                               distinct ones, the known ones too
and RESULTS_DIR/kcsan.txt (distinct report titles with their counts, per
plan) and RESULTS_DIR/reports.txt (the first full report of each distinct
title, for triage: both accesses, their stacks, locks held, IRQ state).
With --series, each distinct report is tagged [series] when one of its
two racing functions is one the series' patches add or change (defined on
an added line or named by a hunk header), else [elsewhere]; the tag only
guides the triage, every report fails.
Exit status 1 when any KCSAN report was seen or a check above failed.
"""
import collections
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

TS = re.compile(r"^\[\s*\d+\.\d+\]\s?")
TITLE = re.compile(r"BUG: KCSAN: (.*)")
RULE = re.compile(r"^={20,}\s*$")

# What CONFIG_KCSAN_STRICT means (lib/Kconfig.kcsan, 6.1): these on...
STRICT_ON = ["CONFIG_KCSAN", "CONFIG_KCSAN_STRICT", "CONFIG_KCSAN_WEAK_MEMORY",
             "CONFIG_KCSAN_INTERRUPT_WATCHER"]
# ...and these filters off.
STRICT_OFF = ["CONFIG_KCSAN_REPORT_VALUE_CHANGE_ONLY",
              "CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC",
              "CONFIG_KCSAN_IGNORE_ATOMICS", "CONFIG_KCSAN_PERMISSIVE"]


def clean(line):
    return TS.sub("", line.rstrip("\r\n"))


def reports(lines):
    """[(title, block)]: each KCSAN report, from its opening rule to its
    closing one."""
    out = []
    i = 0
    while i < len(lines):
        m = TITLE.search(lines[i])
        if not m:
            i += 1
            continue
        start = i - 1 if i and RULE.match(lines[i - 1]) else i
        j = i + 1
        while j < len(lines) and not RULE.match(lines[j]) and j - i < 200:
            j += 1
        out.append((m.group(1).strip(), lines[start:j + 1]))
        i = j + 1
    return out


FUNC = re.compile(r"^[A-Za-z_][\w \t*]*?\b(\w+)\(")


def series_functions():
    """Names of the functions the series' patches (patches/*.patch) add or
    change: those defined on added lines and those a hunk header names."""
    names = set()
    for patch in glob.glob(os.path.join(ktap.QUEUE, "*.patch")):
        cfile = False
        with open(patch, errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("+++ "):
                    cfile = line.endswith(".c") or line.endswith(".h")
                    continue
                if not cfile:
                    continue
                m = re.match(r"^@@ [^@]* @@ (.*)$", line)
                if m:
                    m = FUNC.match(m.group(1))
                elif line.startswith("+") and not line.rstrip().endswith(";"):
                    m = FUNC.match(line[1:])
                else:
                    m = None
                if m:
                    names.add(m.group(1))
    names -= {"if", "for", "while", "switch", "return", "sizeof"}
    return names


def tag(title, ours):
    """[series] or [elsewhere] for 'data-race in A / B'."""
    fns = re.sub(r"^.*? in ", "", title).split(" / ")
    fns = [re.sub(r"[+.].*$", "", f.strip()) for f in fns]
    return "[series]" if ours and any(f in ours for f in fns) else "[elsewhere]"


def main(argv):
    tree = len(argv) > 1 and argv[1] == "--series"
    if tree:
        argv = argv[:1] + argv[2:]
    if len(argv) < 4:
        raise SystemExit(__doc__)
    config, rdir, plans = argv[1], argv[2], argv[3:]
    ours = series_functions() if tree else set()
    results = []
    cfg = {}
    if os.path.exists(config):
        with open(config, errors="replace") as f:
            for line in f:
                m = re.match(r"^(CONFIG_\w+)=(.*)$", line.strip())
                if m:
                    cfg[m.group(1)] = m.group(2)
    bad = [o for o in STRICT_ON if cfg.get(o) != "y"] + \
          [o for o in STRICT_OFF if cfg.get(o) == "y"]
    results.append(("kcsan.strict-config", "fail" if bad else "pass",
                    ("wrong: " + " ".join(bad)) if bad else
                    " ".join(o[7:] for o in STRICT_ON)))
    txt, full = [], []
    total = 0
    for spec in plans:
        plan, log = spec.split("=", 1)
        lines = []
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                lines = [clean(x) for x in f]
        strict = any("kcsan: strict mode configured" in x for x in lines)
        st = [x for x in lines if "kcsan: selftest:" in x]
        st_ok = bool(st) and re.search(r"selftest: (\d+)/\1 tests passed", st[-1])
        results.append((f"kcsan.{plan}.enabled",
                        "pass" if strict and st_ok else "fail",
                        (st[-1].split("kcsan: ")[-1] if st else "no selftest line") +
                        ("" if strict else "; no 'strict mode configured'")))
        reps = reports(lines)
        total += len(reps)
        counts = collections.Counter(t for t, _ in reps)
        seen = set()
        for title, block in reps:
            if title not in seen:
                seen.add(title)
                full.append(f"### {plan}: {tag(title, ours)} {title} (x{counts[title]})")
                full.extend(block)
                full.append("")
        # Known: upstream races tests/known-splats.txt lists for the plan
        # (never one tagged [series], whatever an entry matches).
        known = ktap.load_known_splats(plan)
        unknown, excused = collections.Counter(), collections.Counter()
        for title, n in counts.most_common():
            t = tag(title, ours) if tree else ""
            hit = t != "[series]" and any(rx.search(f"BUG: KCSAN: {title}") for rx, _ in known)
            (excused if hit else unknown)[title] = n
            txt.append(f"{plan}\t{n}\t{t}\t{title}" + ("\t(known: tests/known-splats.txt)" if hit else ""))
        diag = f"{len(reps)} reports, {len(counts)} distinct"
        if excused:
            diag += ", known upstream: " + "; ".join(f"{t} x{n}" for t, n in excused.most_common())
        if not lines:
            results.append((f"kcsan.{plan}.no-reports", "fail", f"no log {log}"))
        elif unknown:
            results.append((f"kcsan.{plan}.no-reports", "fail",
                            f"{sum(unknown.values())} not known: " +
                            "; ".join(f"{t} x{n}" for t, n in unknown.most_common(5)) +
                            f" ({diag})"))
        else:
            results.append((f"kcsan.{plan}.no-reports", "pass", diag))
    os.makedirs(rdir, exist_ok=True)
    with open(os.path.join(rdir, "kcsan.txt"), "w") as f:
        f.write("".join(x + "\n" for x in txt))
    with open(os.path.join(rdir, "reports.txt"), "w") as f:
        f.write("".join(x + "\n" for x in full))
    ktap.write_ktap(os.path.join(rdir, "kcsan.ktap"), results)
    for name, status, diag in results:
        print(f"{'ok' if status == 'pass' else 'not ok'} {name}" +
              (f" # {diag}" if diag else ""))
    print(f"kcsan: {total} reports in all")
    return 1 if any(s == "fail" for _, s, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
