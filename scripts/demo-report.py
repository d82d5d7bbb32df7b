#!/usr/bin/env python3
"""The end of `make demo`, from the two serial logs of the demo plan.

    demo-report.py stopped KIND   if KIND's demo boot did not reach the plan's
                                  end: the step it died in and what its
                                  kernel said, quoted from the console
    demo-report.py summary        pristine vs patched, step by step

Reads build/logs/{pristine,patched}/demo.log: the "=== " step headers and
the "  PASS name # detail" / "  FAIL ..." lines of tests/plans/demo.sh, and
the kernel's own lines for what happened when a kernel died.
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
BUILD = ktap.build_dir()		# build/, or build/KVER/ for 6.12
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# What the kernel says when kgdb gets no slot and then dies of it.
KERNEL_SAID = re.compile(r"kgdb: Could not allocate|Disabling the kernel debugger|"
                         r"^int3: |Kernel panic - not syncing|^RIP: [0-9a-f]+:\S")


def log_path(kind):
    return os.path.join(BUILD, "logs", kind, "demo.log")


def parse(kind, lines=None):
    """{"sections": {header: [(verdict, name, detail)]}, "order": [...],
    "kernel": uname -r, "ended": bool, "said": [(step, console line)]}
    of KIND's demo log (or of LINES)."""
    out = {"sections": {}, "order": [], "kernel": None, "ended": False, "said": [],
           "exists": False}
    if lines is None:
        if not os.path.exists(log_path(kind)):
            return out
        with open(log_path(kind), errors="replace") as f:
            lines = f.readlines()
    out["exists"] = True
    cur = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if TIMESTAMP.match(line):
            msg = TIMESTAMP.sub("", line)
            if KERNEL_SAID.search(msg):
                out["said"].append((cur, line))
            continue
        if line.startswith("=== "):
            cur = line[4:].strip()
            out["sections"].setdefault(cur, [])
            out["order"].append(cur)
            m = re.match(r"Kernel (\S+),", cur)
            if m:
                out["kernel"] = m.group(1)
            continue
        if "# hwbp: plan demo end" in line:
            out["ended"] = True
            continue
        # debugfs stats after kgdb: "CPU CLASS EVICTIONS PARKS RESTORES"
        m = re.match(r"^(\d+) perf (\d+) \d+ (\d+)$", line)
        if m and cur and cur.startswith("Step 5"):
            ev, re_ = out.get("perf_evict", (0, 0))
            out["perf_evict"] = (ev + int(m.group(2)), re_ + int(m.group(3)))
            continue
        m = re.match(r"^  (PASS|FAIL) (\S+(?: hw_\S+)?)(?: # (.*))?$", line)
        if m and cur:
            out["sections"][cur].append((m.group(1), m.group(2), (m.group(3) or "").strip()))
    return out


def section(d, prefix):
    for name in d["order"]:
        if name.startswith(prefix):
            return d["sections"][name]
    return None


def stopped(kind):
    d = parse(kind)
    if not d["exists"] or d["ended"]:
        return 0
    step = d["order"][-1] if d["order"] else "boot"
    print(f"\n=== The {kind} kernel died in \"{step}\"")
    said, seen = [], set()
    for _, l in d["said"]:		# each message once (the oops repeats RIP)
        msg = TIMESTAMP.sub("", l)
        if msg not in seen and not msg.startswith("RIP: 0033"):
            seen.add(msg)
            said.append(l)
    gave_up = any("Could not allocate" in l for l in said)
    if gave_up:
        print("kgdb could not get a debug register: perf held all four on every CPU,")
        print("so kgdb's I/O driver registration disabled the kernel debugger; kgdbts")
        print("then hit its own kgdb_breakpoint(), an int3 that nobody handles any more,")
        print("and the kernel panicked.  From the serial console "
              f"({os.path.relpath(log_path(kind), TOP)}):")
    else:
        print("The plan did not reach its end.  From the serial console "
              f"({os.path.relpath(log_path(kind), TOP)}):")
    for l in said[:12] or ["(no kernel message matched; see the log)"]:
        print(f"  {l}")
    return 0


ERRNO = {"No space left on device": "ENOSPC", "Operation not permitted": "EPERM",
         "Invalid argument": "EINVAL", "Device or resource busy": "EBUSY",
         "No such device": "ENODEV", "Permission denied": "EACCES"}


def cell(d, sec, name, missing, fail_word="no"):
    rows = section(d, sec)
    if rows is None:
        return missing
    for verdict, n, detail in rows:
        if n == name:
            if verdict == "PASS":
                return "yes"
            detail = ERRNO.get(detail, detail)
            return f"{fail_word} ({detail})" if detail else fail_word
    return missing


def missing(d, sec):
    """What a row without a result says."""
    if not d["exists"]:
        return "- (not run)"
    if section(d, sec) is None and section(d, "Step 5") is not None:
        return "- (no such switch)"	# a step the plan skips on this kernel
    if not d["ended"]:
        return "- (kernel dead)"
    return "-"


def kgdb_cell(d):
    rows = section(d, "Step 5")
    if rows is None:
        return missing(d, "Step 5")
    hw = [v for v, n, _ in rows if n.startswith("kgdbts hw_")]
    if hw:
        return f"{hw.count('PASS')}/{len(hw)} tests pass"
    if not d["ended"] and any("Could not allocate" in l for _, l in d["said"]):
        return "kernel panic: no slot for kgdb"
    if not d["ended"]:
        return "kernel died"
    return "no result"


def summary(pr=None, pa=None):
    """Print the table; pr, pa: parse() of each log (default: build/logs)."""
    pr = pr or parse("pristine")
    pa = pa or parse("patched")
    if not pr["exists"] and not pa["exists"]:
        print("no demo logs (make demo)")
        return 1
    rows = [
        ("1", "perf: 4 breakpoints on every CPU", "Step 1-4", "perf-fills-all-slots"),
        ("2", "a tracer sets ptrace DR0 in its child", "Step 1-4", "ptrace-set-dr0"),
        ("2", "... and enables it in DR7", "Step 1-4", "ptrace-set-dr7"),
        ("3", "the ptrace breakpoint hits", "Step 1-4", "ptrace-breakpoint-hits"),
        ("4", "one perf bp evicted while the child runs", "Step 1-4",
         "perf-one-evicted-while-ptrace"),
        ("4", "all perf counts exact after it exits", "Step 1-4", "perf-counts-after-restore"),
        ("-", "switch off (preempt=0): ptrace DR0", "Same steps with the switch off",
         "ptrace-set-dr0"),
        ("5", "kgdb: perf still counts before kgdbts", "Step 5", "demo.perf-counts-before"),
        ("5", "kgdb's hardware breakpoints (kgdbts V1)", None, None),
        ("5", "all perf counts exact after kgdb", "Step 5", "demo.perf-counts-after"),
        ("5", "perf evicted, restored since boot", "counters", None),
    ]
    h1 = f"pristine {pr['kernel'] or ''}".strip()
    h2 = "patched" + (f" {pa['kernel']}" if pa["kernel"] and pa["kernel"] != pr["kernel"] else "")
    table = []
    for step, what, sec, name in rows:
        if sec is None:
            c1, c2 = kgdb_cell(pr), kgdb_cell(pa)
        elif sec == "counters":
            c1, c2 = (f"{d['perf_evict'][0]}, {d['perf_evict'][1]}" if "perf_evict" in d
                      else "- (no debugfs)" if d["exists"] and d["ended"] else missing(d, "Step 5")
                      for d in (pr, pa))
        else:
            # A ptrace DR write that fails was refused (an errno, not a bug).
            word = "refused" if name.startswith("ptrace-set-dr") else "no"
            c1 = cell(pr, sec, name, missing(pr, sec), word)
            c2 = cell(pa, sec, name, missing(pa, sec), word)
        table.append((step, what, c1, c2))
    def end(d):
        if not d["exists"]:
            return "- (not run)"
        if d["ended"]:
            return "yes"
        return "no: kernel panic" if any("Kernel panic" in l for _, l in d["said"]) else "no"
    table.append(("", "the boot ran the plan to its end", end(pr), end(pa)))
    w1 = max(len(r[1]) for r in table)
    w2 = max(len(h1), max(len(r[2]) for r in table))
    w3 = max(len(h2), max(len(r[3]) for r in table))
    print("\n=== Summary: the same steps on both kernels (QEMU TCG, 2 CPUs)")
    print(f"{'step':<4}  {'':<{w1}}  {h1:<{w2}}  {h2}")
    print(f"{'-' * 4}  {'-' * w1}  {'-' * w2}  {'-' * w3}")
    for step, what, c1, c2 in table:
        print(f"{step:<4}  {what:<{w1}}  {c1:<{w2}}  {c2}".rstrip())
    print("(step -: patched only; logs: %s/logs/{pristine,patched}/demo.log)" % os.path.relpath(BUILD, TOP))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "stopped":
        return stopped(argv[2])
    if len(argv) == 2 and argv[1] == "summary":
        return summary()
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
