#!/usr/bin/env python3
"""Turn a guest's serial log into flat KTAP results for one plan.

    ktap.py [--arch=ARCH] PLAN LOG QEMU_STATUS OUT.ktap [HOST.ktap]

Reads every KTAP result line in LOG (KUnit's nested KTAP and the flat KTAP
printed by the guest plans), names each leaf "PLAN.suite.case" or
"PLAN.case", and adds two cases of its own:

  PLAN.completed            the guest ran the plan to its end (QEMU status 1
                            from isa-debug-exit; 124 is the harness timeout)
  PLAN.no-unexpected-splats no WARNING/BUG/lockdep/Call Trace report (nor
                            KASAN's or SLUB's) except those
                            tests/known-splats.txt lists for PLAN
  PLAN.lockdep-on           only when /init printed debug_locks (make kasan):
                            lockdep on when the plan began

Known splats that did occur are reported as diagnostics, never hidden.
--arch=arm64 (any but x86): every case is named "arm64.PLAN...", the plan's
known splats are those listed for "arm64.PLAN" (never x86's), and the plan
completed when QEMU exited 0 (the guest's PSCI power-off; arm64's virt
machine has no isa-debug-exit) after the plan's end marker.
HOST.ktap holds the results of the plan's host side (tests/plans/PLAN.host).
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KNOWN_SPLATS = os.path.join(TOP, "tests", "known-splats.txt")
# The kernel version (make KVER=, scripts/lib.sh's HWBP_KVER) and its queue.
KVER = os.environ.get("HWBP_KVER") or "6.12"
QUEUE = os.path.join(TOP, "patches", KVER)


def kver_prefix(kver=None):
    """What another version's case names start with once counted beside
    6.1's (make test's stage 6.12) or on their own (make test KVER=6.12):
    "6.12."; nothing for 6.1.  The results under build/KVER/ are written
    without it, and summary.py adds it."""
    kver = kver or KVER
    return "" if kver == "6.1" else f"{kver}."


def build_dir(arch="x86", kver=None):
    """build/ of a version and architecture, as scripts/lib.sh lays it out:
    6.1 on x86 is build/ itself, another version build/KVER/, another
    architecture ARCH/ under that."""
    kver = kver or KVER
    d = os.path.join(TOP, "build")
    if kver != "6.1":
        d = os.path.join(d, kver)
    return d if arch == "x86" else os.path.join(d, arch)

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(\s*)(ok|not ok)\s+\d+\s+(?:-\s+)?(.*?)\s*(?:#\s*(.*))?$")
SUBTEST = re.compile(r"^(\s*)#\s*Subtest:\s*(\S+)")
# Headers that start a kernel report.  Lockdep and DEBUG_ATOMIC_SLEEP
# reports start with "WARNING:" or "BUG:", KASAN's with "BUG: KASAN:".
# SLUB's own checks (slub_debug, make kasan) print "BUG CACHE (Not
# tainted): Redzone overwritten" (slab_err(), object_err(): no colon after
# BUG) and name what they found; "Objects remaining" when a cache is
# destroyed with objects still allocated.
SPLAT = re.compile(r"(WARNING:|BUG:|INFO: (task|rcu)|Kernel panic|Oops:|"
                   r"general protection fault|UBSAN:|KCSAN:|KASAN:|"
                   r"BUG \S+ \((Not tainted|Tainted)|"
                   r"(Redzone|Poison|Padding|Object padding) overwritten|"
                   r"Freepointer corrupt|Freechain corrupt|Object already free|"
                   r"Objects remaining in )")
# /init's lockdep marker (hwbp_lockdep=1 on the command line, make kasan):
# debug_locks as /proc/lockdep_stats gave it when the plan began and ended.
LOCKDEP = re.compile(r"# hwbp: debug_locks (\S+) at plan (begin|end)")
CALL_TRACE = re.compile(r"Call Trace:")


def strip(line):
    return TIMESTAMP.sub("", line.rstrip("\r\n"))


# A kernel message that began in the middle of a line the guest wrote: the
# console prints a message whole, wherever the tty's output stands, so
# "ok 5 na[  2.88] msg" is followed, a line or more later, by "me".  The CI
# of 925b6a1 lost the selftests plan's end marker so.
SPLICED = re.compile(r"^(.+?)(\[\s*\d+\.\d+\] .*)$")


def is_guest_line(line):
    """A line that results are read from: KTAP's, or /init's markers."""
    return bool(RESULT.match(line) or SUBTEST.match(line)
                or line.startswith("# hwbp: "))


def unsplice(lines):
    """The log's lines, with each result line or marker that a kernel
    message split made whole again, the message on a line of its own before
    it.  Only a split that yields such a line is undone, and only with a
    rest that is not one itself: a guest line that quotes the kernel log
    ("# [ 1.2] kgdb: ...", a plan's own echo of dmesg) stays as it is."""
    lines = [l.rstrip("\r\n") for l in lines]
    out, i, n = [], 0, len(lines)
    while i < n:
        line = lines[i]
        m = None if TIMESTAMP.match(line) else SPLICED.match(line)
        j = i + 1
        while m and j < n and TIMESTAMP.match(lines[j]):
            j += 1
        if m and j < n and not is_guest_line(lines[j]) \
                and is_guest_line(m.group(1) + lines[j]):
            out.append(m.group(2))
            out.extend(lines[i + 1:j])
            lines[j] = m.group(1) + lines[j]
            i += 1
            # The joined line is looked at again: a second message may
            # have split its rest.
            del lines[i:j]
            n = len(lines)
            continue
        out.append(line)
        i += 1
    return out


def parse_results(lines):
    """Return [(name, status, diag)] for the leaf KTAP results in lines.

    status is "pass", "fail" or "skip".  A result that closes a
    "# Subtest: NAME" block is the suite's own line, not a leaf.
    """
    out = []
    suites = []                      # stack of (indent, name)
    seen_leaf = {}
    for raw in lines:
        line = strip(raw)
        m = SUBTEST.match(line)
        if m:
            suites.append((len(m.group(1)), m.group(2)))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent, verdict, name, directive = (len(m.group(1)), m.group(2),
                                            m.group(3).strip(), m.group(4) or "")
        # Close suites that this line is outside of.
        while suites and suites[-1][0] > indent:
            closed = suites.pop()
            if closed[1] == name and seen_leaf.get(closed):
                name = None
                break
        if name is None:
            continue
        prefix = ".".join(s[1] for s in suites if s[0] <= indent)
        full = f"{prefix}.{name}" if prefix else name
        if suites:
            seen_leaf[suites[-1]] = True
        directive = directive.strip()
        if directive.upper().startswith("SKIP"):
            status = "skip"
            # write_ktap() puts the SKIP word back.
            directive = directive[4:].strip()
        elif verdict == "ok":
            status = "pass"
        else:
            status = "fail"
        out.append((full, status, directive))
    return out


def find_splats(lines):
    """Return the header line of every kernel report in lines.

    A "Call Trace:" within 60 lines of a header belongs to that report;
    one further away (a bare dump_stack()) is a report of its own.
    """
    splats = []
    last_header = -100
    for i, raw in enumerate(lines):
        line = strip(raw)
        if SPLAT.search(line):
            splats.append(line.strip())
            last_header = i
        elif CALL_TRACE.search(line):
            if i - last_header > 60:
                nxt = strip(lines[i + 1]).strip() if i + 1 < len(lines) else ""
                splats.append(f"Call Trace: {nxt}")
            last_header = i
    return splats


def read_table(path, fields):
    """Rows of a 'A | B [| C]' file: comments and blank lines skipped, every
    row exactly @fields non-empty fields (else the run stops, naming it)."""
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" | ")]
            if len(parts) != fields or not all(parts):
                raise SystemExit(f"{path}: bad line (want {fields} fields): {line}")
            rows.append(parts)
    return rows


def load_known_splats(plan, path=KNOWN_SPLATS):
    """[(regex, reason)] from 'PLAN[,PLAN...] | REGEX | REASON' lines for plan or '*'."""
    known = []
    for plans, regex, reason in read_table(path, 3):
        plans = [x.strip() for x in plans.split(",")]
        if plan in plans or "*" in plans:
            known.append((re.compile(regex), reason))
    return known


def ktap_escape(text):
    return text.replace("#", "%23").replace("\n", " ")


def case_prefix(arch):
    """What an architecture's case names start with: nothing for x86."""
    return "" if arch == "x86" else f"{arch}."


def evaluate(plan, lines, qemu_status, known, arch="x86"):
    """All results of one plan run: [(name, status, diag)]."""
    bare, plan = plan, case_prefix(arch) + plan
    lines = unsplice(lines)
    results = [(f"{plan}.{n}", s, d) for n, s, d in parse_results(lines)]
    ended = any(f"# hwbp: plan {bare} end" in l for l in lines)
    if qemu_status == (1 if arch == "x86" else 0) and ended:
        results.append((f"{plan}.completed", "pass", ""))
    else:
        why = "timeout (hang)" if qemu_status == 124 else f"qemu status {qemu_status}"
        if not ended:
            why += ", plan end marker missing"
        results.append((f"{plan}.completed", "fail", why))
    splats = find_splats(lines)
    results += lockdep_results(plan, lines, splats)
    unexpected, excused = [], []
    for s in splats:
        reason = next((r for rx, r in known if rx.search(s)), None)
        (excused if reason else unexpected).append((s, reason))
    # Known reports are named, once per reason, with how often they came.
    counts = {}
    for s, r in excused:
        counts[r] = counts.get(r, 0) + 1
    diag = "; ".join(f"known x{n}: {r}" for r, n in counts.items())
    if unexpected:
        results.append((f"{plan}.no-unexpected-splats", "fail",
                        "; ".join(s for s, _ in unexpected)
                        + (f"; {diag}" if diag else "")))
    else:
        results.append((f"{plan}.no-unexpected-splats", "pass", diag))
    return results


def lockdep_results(plan, lines, splats):
    """PLAN.lockdep-on, when /init printed its debug_locks marker.

    Lockdep must be on when the plan begins (a boot where it switched itself
    off proves nothing), and still on at its end unless a report, which
    switches it off, came (that report is judged on its own).
    """
    marks = {}
    for raw in lines:
        m = LOCKDEP.search(strip(raw))
        if m:
            marks[m.group(2)] = m.group(1)
    if "begin" not in marks:
        return []
    begin, end = marks["begin"], marks.get("end", "?")
    diag = f"debug_locks {begin} at begin, {end} at end"
    if begin != "1":
        return [(f"{plan}.lockdep-on", "fail", diag + ": lockdep off (or absent) before the plan")]
    if end != "1" and not splats:
        return [(f"{plan}.lockdep-on", "fail", diag + ": switched off with no report")]
    if end != "1":
        diag += " (switched off by a report)"
    return [(f"{plan}.lockdep-on", "pass", diag)]


def write_ktap(path, results):
    with open(path, "w") as f:
        f.write("KTAP version 1\n")
        f.write(f"1..{len(results)}\n")
        for i, (name, status, diag) in enumerate(results, 1):
            verdict = "not ok" if status == "fail" else "ok"
            directive = "SKIP " + diag if status == "skip" else diag
            tail = f" # {ktap_escape(directive)}" if directive else ""
            f.write(f"{verdict} {i} {name}{tail}\n")


def read_ktap(path):
    """Results of a flat KTAP file written by write_ktap (or by a gate)."""
    with open(path, errors="replace") as f:
        return parse_results(f.readlines())


def main(argv):
    argv = list(argv)
    arch = "x86"
    if len(argv) > 1 and argv[1].startswith("--arch="):
        arch = argv.pop(1)[len("--arch="):]
    if len(argv) not in (5, 6):
        sys.exit(__doc__)
    plan, log, status, out = argv[1], argv[2], int(argv[3]), argv[4]
    with open(log, errors="replace") as f:
        lines = f.readlines()
    results = evaluate(plan, lines, status,
                       load_known_splats(case_prefix(arch) + plan), arch)
    if len(argv) == 6:              # the plan's host side
        try:
            results += [(f"{case_prefix(arch)}{plan}.{n}", s, d)
                        for n, s, d in read_ktap(argv[5])]
        except OSError:
            results.append((f"{case_prefix(arch)}{plan}.host", "fail", "host side wrote no results"))
    write_ktap(out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
