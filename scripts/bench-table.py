#!/usr/bin/env python3
"""The tables of make bench: medians, spread, ratios, curves and goals.

    bench-table.py [--quick 0|1] [--ktap OUT.ktap] [--dr7 X86_DR7.ktap] RAW BOOTS CALLGRIND_MD

RAW lines (scripts/bench.sh): "KIND ROUND bench NAME VALUE UNIT [ORDER [BOOT]]",
ORDER being, for the patched bench boots, which pass of the switch ran first
(onfirst|offfirst); a NAME ending in "-preempt0" was taken with
hw_breakpoint.preempt=0 in the same boot as NAME.  And from the plan's
untimed counting pass, "KIND ROUND count NAME OPS ADDS DELS ORDER BOOT": the
breakpoint PMU's adds and dels (hw_breakpoint_add/del, the kernel's function
profiler) over OPS operations of figure NAME's workload, nan when the
kernel could not count them; "KIND ROUND dregs NAME OPS INSTALLS
UNINSTALLS ORDER BOOT" the same for x86's arch_install/uninstall_hw_breakpoint(),
whose debug-register writes (2 per install: its address register and DR7;
1 per uninstall: DR7) give mainline's writes per operation; "KIND ROUND drw
NAME OPS DR7 ADDRESS ORDER BOOT" the writes themselves, counted by kprobes
on every instruction of the breakpoint path that writes a debug register
(scripts/dr-write-sites.py), used where present.
BOOTS lines: "BOOT KIND PLAN ROUND ORDER SECONDS BUSY_BEFORE OTHERS FIGURES"
(percent of the host busy in the second before the boot; percent of its CPU
time that went to other work during the boot).  Boots disturbed by other
work are left out of the figures when enough clean ones remain.
CALLGRIND_MD: scripts/callgrind.sh's table (build/results/patched/callgrind.md).
X86_DR7.ktap: scripts/x86-dr7.sh's results (build/results/patched/x86-dr7.ktap),
whose "# switch NAME: W writes (DR7 D, address A); mainline M (...)" lines
are the debug-register writes of one context switch in the real arch code
of both trees (user space), tabled beside the kernel's derived counts.

Prints markdown: the goals (each figure against the performance issue's
goal, with a 95% bootstrap interval and, where missed, why and what would
close it; each context-switch figure's pmu adds/dels per operation against
the count it is meant to exercise), then the tables they come from.
--ktap writes the count checks as flat KTAP (bench.count.KIND.NAME).  Ratios over boots are ratios of
medians; the switch's on/off ratio is paired (the median of the per-boot
ratios), since both passes ran in the same boot.  The bootstrap uses a fixed
seed, so the same figures always give the same text.
"""
import os
import random
import re
import statistics
import sys

CTX_GOAL = 1.02         # context switch: patched/pristine
REG_GOAL = 1.05         # registration: patched/pristine, and growth of the curves
DBG_GOAL = 1.10         # debugger path: largest tasks value / tasks=0
PERF_ONLY_GOAL = 1.10   # perf only: whole x86 switch path, patched/pristine Ir
FAST_GOAL = 2.0         # scheduler on, uncontended: ours/mainline Ir (callgrind)
# The contended paths' Ir/op before issue 13's fast path (patches 0029 and
# 0030), the same driver on the series 0001-0028 (callgrind-budget.txt's
# history): its goal was "no slower than today".
CONTENDED_BEFORE = {"evict": 710, "restore": 307, "re-add": 331, "dbg-add": 512,
                    "dbg-del": 467, "dbg-evict": 949, "dbg-restore": 476}
BUSY_WARN = 25          # host busy percent in the second before a boot
OTHERS_WARN = 10        # percent of the host's CPU time taken by other work during it
MIN_CLEAN = 3           # disturbed boots are left out if this many clean ones remain

# "-perfonly": taken before any ptrace or debugger breakpoint existed in
# the boot (from patch 0031 the patched kernel then runs mainline's
# pmu->add/del, its scheduler behind a static key); the others after one.
PERFONLY = "-perfonly"
CTX = ["sched-pipe-bp", "sched-pipe-nobp",
       "switch-1cpu-perf", "switch-1cpu-ptrace-perf", "switch-1cpu-nobp",
       "switch-1cpu-perf4", "switch-1cpu-perf4-same",
       "sched-pipe-bp" + PERFONLY, "sched-pipe-nobp" + PERFONLY,
       "switch-1cpu-perf" + PERFONLY, "switch-1cpu-nobp" + PERFONLY]
# Breakpoint-PMU adds and dels per operation (round trip) that each
# context-switch figure claims to exercise, and why.  The kernel counts
# them in an untimed pass; a figure whose count is off by more than
# COUNT_TOL of the intended one (or, intended 0, above COUNT_ZERO) measures
# something else, and fails.
INTENDED = {
    "sched-pipe-bp": (2, 2, "2 CPUs: each task sleeps once per round trip and its CPU goes "
                      "idle (del) and back (add); two tasks sharing a CPU would swap their "
                      "cloned contexts instead, with no del/add at all"),
    "sched-pipe-nobp": (0, 0, "no breakpoint"),
    "switch-1cpu-perf": (2, 2, "two switches per round trip, each dels one task's own "
                         "breakpoint and adds the other's"),
    "switch-1cpu-ptrace-perf": (2, 2, "two switches per round trip, each dels one class "
                                "(perf or ptrace) and adds the other"),
    "switch-1cpu-nobp": (0, 0, "no breakpoint"),
    "switch-1cpu-perf4": (8, 8, "two switches per round trip, each dels the outgoing "
                          "task's four breakpoints and adds the incoming one's four"),
    "switch-1cpu-perf4-same": (8, 8, "as `switch-1cpu-perf4`, both tasks watching the same "
                               "four addresses: each switch puts back what it took out"),
}
COUNT_TOL = 0.25        # relative, intended count > 0
# Figures whose core instructions per op come from a whole switch measured
# by callgrind (ours, mainline's, breakpoints each way): perf takes a task's
# breakpoints off oldest first, which install/uninstall (the newest entry)
# do not show.
SWITCH_CG = {"switch-1cpu-perf4": ("switch-4", "mainline-switch-4", 4),
             "switch-1cpu-perf4-same": ("switch-4", "mainline-switch-4", 4)}


def nobp(n):
    """Whether context-switch figure n has no breakpoint, "-perfonly" or not."""
    return (n[:-len(PERFONLY)] if n.endswith(PERFONLY) else n).endswith("-nobp")


def intended(n):
    """INTENDED of a context-switch figure, "-perfonly" or not."""
    return INTENDED[n[:-len(PERFONLY)] if n.endswith(PERFONLY) else n]
COUNT_ZERO = 0.01       # per operation, intended count 0
REG = ["bp-thread-b4-p4-t4", "bp-thread-b1-p16-t4", "bp-enable-a4-p16"]
# Sweeps: (title, axis, regex on NAME giving the sweep value)
SWEEPS = [
    ("threads created per batch (`breakpoint thread -b 1 -p 4 -t T`)", "T",
     re.compile(r"^bp-thread-b1-p4-t(\d+)$")),
    ("breakpoints per thread (`breakpoint thread -b B -p 4 -t 4`)", "B",
     re.compile(r"^bp-thread-b(\d+)-p4-t4$")),
]
DBG = re.compile(r"^dbg-(claim|release|cpu-claim|cpu-release)-tasks(\d+)$")
DBG_WHAT = ["claim", "release", "cpu-claim", "cpu-release"]
DESCR = {
    "sched-pipe-bp": "context switch, a breakpoint inherited by both tasks",
    "sched-pipe-nobp": "context switch, no breakpoint",
    "switch-1cpu-perf": "context switch on one CPU, each task its own perf breakpoint",
    "switch-1cpu-ptrace-perf": "context switch on one CPU, a perf and a ptrace breakpoint",
    "switch-1cpu-nobp": "context switch on one CPU, no breakpoint",
    "switch-1cpu-perf4": "context switch on one CPU, each task four perf breakpoints",
    "switch-1cpu-perf4-same": "context switch on one CPU, each task four perf breakpoints "
                              "on the same addresses as the other's",
    "bp-thread-b4-p4-t4": "registration: thread inheriting 4 breakpoints",
    "bp-thread-b1-p16-t4": "registration: thread inheriting 1 breakpoint, 16 parallel",
    "bp-enable-a4-p16": "registration: disable+enable, 4 active + 16 passive threads",
}
DESCR.update({n + PERFONLY: DESCR[n] + ", only perf breakpoints so far in the boot"
              for n in CTX if n + PERFONLY in CTX})

RNG_SEED = 20221
BOOTSTRAP = 2000


def load_raw(path, skip=()):
    """{(kind, name): [(round, value, order)]}, without the boots in skip."""
    vals = {}
    for line in open(path):
        f = line.split()
        if len(f) < 6 or f[2] != "bench":
            continue
        if len(f) > 7 and int(f[7]) in skip:
            continue
        try:
            v = float(f[4])
        except ValueError:
            continue
        if v != v:              # nan: the benchmark did not run
            continue
        vals.setdefault((f[0], f[3]), []).append((int(f[1]), v, f[6] if len(f) > 6 else "-"))
    return vals


def load_counts(path, skip=(), tag="count"):
    """{(kind, name): [(round, adds/op, dels/op, order, boot)]}; adds/op and
    dels/op are None where the kernel could not count.  tag "dregs": the
    same for x86's arch_install/uninstall_hw_breakpoint().  The boots in skip
    are left out as their timings are: the counts are exact, but a loaded
    host changes the workload (the scheduler puts sched pipe's two tasks on
    one CPU more often, where perf swaps their contexts without del/add)."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) < 7 or f[2] != tag:
            continue
        if len(f) > 8 and int(f[8]) in skip:
            continue
        try:
            ops, adds, dels = int(f[4]), float(f[5]), float(f[6])
        except ValueError:
            continue
        countable = ops > 0 and adds == adds and dels == dels
        out.setdefault((f[0], f[3]), []).append(
            (int(f[1]), adds / ops if countable else None, dels / ops if countable else None,
             f[7] if len(f) > 7 else "-", int(f[8]) if len(f) > 8 else 0))
    return out


def load_sched(path, skip=()):
    """{(kind, name): [(sched adds/op, sched dels/op, long-way adds/op)]} from
    "KIND ROUND sched NAME OPS ADDS DELS SLOW ORDER BOOT"; None where the
    kernel could not trace the function."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) < 8 or f[2] != "sched":
            continue
        if len(f) > 9 and int(f[9]) in skip:
            continue
        try:
            ops = int(f[4])
            vals = [float(x) for x in f[5:8]]
        except ValueError:
            continue
        if ops <= 0:
            continue
        out.setdefault((f[0], f[3]), []).append(
            tuple(v / ops if v == v else None for v in vals))
    return out


# What would make pmu->add/del cheaper with the scheduler on (issue 13's
# review): the entry duplicates what the event and the architecture hold.
FAST_PATH_FIX = ("a cheaper add/del once a ptrace or debugger breakpoint exists: keep per "
                 "breakpoint state (class, shield, type, weight, generation, installed) in "
                 "the event instead of a table entry, use the architecture's own slot "
                 "array (`arch_hw_breakpoint_slot_owner()`) as the installed set with only "
                 "per-CPU counters beside it, and make the slot count a constant where the "
                 "architecture's is; dropping the first-fit search alone would not do, it is "
                 "on both sides of the ratio")

# A -perfonly figure runs mainline's path in the core (the static key off);
# what it pays beyond mainline is the series' x86 arch code.
PERF_ONLY_FIX = ("nothing in the core, whose key-off path is within 10% of mainline's; "
                 "the series' x86 arch code costs more on every install and uninstall "
                 "(see the perf-only switch path row: fixes that stay, and on 6.12 the DR7 "
                 "bracket, whose bookkeeping could shrink)")


def count_ok(x, intended):
    """A per-operation count close enough to the intended one."""
    if intended == 0:
        return x <= COUNT_ZERO
    return abs(x - intended) <= COUNT_TOL * intended


def load_boots(path):
    rows = []
    if path and os.path.exists(path):
        for line in open(path):
            f = line.split()
            if len(f) >= 9:
                rows.append({"boot": int(f[0]), "kind": f[1], "plan": f[2], "round": int(f[3]),
                             "order": f[4], "secs": int(f[5]), "busy": int(f[6]),
                             "others": int(f[7]), "n": int(f[8])})
            elif len(f) == 7:   # before the boot number and other work were recorded
                rows.append({"boot": len(rows) + 1, "kind": f[0], "plan": f[1],
                             "round": int(f[2]), "order": f[3], "secs": int(f[4]),
                             "busy": int(f[5]), "others": None, "n": int(f[6])})
    for b in rows:
        b["disturbed"] = b["busy"] > BUSY_WARN or (b["others"] or 0) > OTHERS_WARN
    return rows


def to_skip(boots):
    """Disturbed boots to leave out: per kind and plan, only if MIN_CLEAN remain."""
    skip = set()
    groups = {}
    for b in boots:
        groups.setdefault((b["kind"], b["plan"]), []).append(b)
    for bs in groups.values():
        clean = [b for b in bs if not b["disturbed"] and b["n"] > 0]
        if len(clean) >= MIN_CLEAN:
            skip |= {b["boot"] for b in bs if b["disturbed"]}
    return skip


CG_COLS = ["scenario", "entry point", "one operation", "Ir/op", "mainline-equivalent", "budget"]


def load_callgrind(path):
    """[(scenario, entry, op, ir, mainline, budget)] from callgrind.md, and its
    text.  Columns are found by their header (callgrind.sh may add more)."""
    if not os.path.exists(path):
        return [], ""
    text = open(path).read()
    rows = []
    col = None
    num = lambda x: int(x) if x.isdigit() else None
    for line in text.splitlines():
        c = [x.strip() for x in line.strip().strip("|").split("|")]
        if col is None:
            if all(h in c for h in CG_COLS):
                col = [c.index(h) for h in CG_COLS]
            continue
        if len(c) > max(col) and c[col[3]].isdigit():
            v = [c[i] for i in col]
            rows.append((v[0], v[1], v[2], int(v[3]), num(v[4]), num(v[5])))
    return rows, text


med = statistics.median


# scripts/x86-dr7.sh: "# switch 1+1 same: 3 writes (DR7 2, address 1); mainline 3 (DR7 2, address 1)"
DR7_LINE = re.compile(r"^# switch (.+?): (\d+) writes \(([^)]*)\); mainline (\d+) \(([^)]*)\)$")
# scripts/x86-dr7.sh: "#   switch 1+1: patched 262, pristine 165 Ir" (switch-cost)
DR7_COST_LINE = re.compile(r"^#   switch (\d+)\+\d+( same)?: patched (\d+), pristine (\d+) Ir$")


def ktap_matches(path, pattern):
    """The matches of @pattern among the lines of @path, in order; [] when
    there is no such file."""
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return [m for m in (pattern.match(line.rstrip("\n")) for line in f) if m]


def load_dr7(path):
    """[(scenario, ours, ours' detail, mainline's, mainline's detail)] from
    x86-dr7.ktap, in its order; [] when there is none."""
    return [(m[1], int(m[2]), m[3], int(m[4]), m[5]) for m in ktap_matches(path, DR7_LINE)]


def load_dr7_cost(path):
    """[(scenario, breakpoints each way, patched Ir, pristine Ir)]: the x86
    arch code per whole context switch (x86-dr7.ktap, switch-cost)."""
    return [(f"{m[1]}+{m[1]}{m[2] or ''}", int(m[1]), int(m[3]), int(m[4]))
            for m in ktap_matches(path, DR7_COST_LINE)]


def fmt(x, nd=1):
    if x is None:
        return "-"
    if abs(x) >= 10000:
        return f"{x:.0f}"
    return f"{x:.{nd}f}"


def rng_str(xs):
    return f"{fmt(min(xs))}-{fmt(max(xs))}" if xs else "-"


def quantiles(xs):
    xs = sorted(xs)
    return xs[int(0.025 * (len(xs) - 1))], xs[int(0.975 * (len(xs) - 1) + 0.5)]


def ci_ratio(num, den, rnd):
    """95% bootstrap interval of median(num)/median(den); None under 3 each."""
    if len(num) < 3 or len(den) < 3:
        return None
    rs = []
    for _ in range(BOOTSTRAP):
        a = [rnd.choice(num) for _ in num]
        b = [rnd.choice(den) for _ in den]
        rs.append(med(a) / med(b))
    return quantiles(rs)


def ci_median(xs, rnd):
    if len(xs) < 3:
        return None
    return quantiles([med([rnd.choice(xs) for _ in xs]) for _ in range(BOOTSTRAP)])


def ci_growth(p_first, p_last, q_first, q_last, rnd):
    """95% interval of (med(q_last)/med(q_first)) / (med(p_last)/med(p_first))."""
    sets = [p_first, p_last, q_first, q_last]
    if min(len(s) for s in sets) < 3:
        return None
    rs = []
    for _ in range(BOOTSTRAP):
        a, b, c, d = ([rnd.choice(s) for _ in s] for s in sets)
        rs.append((med(d) / med(c)) / (med(b) / med(a)))
    return quantiles(rs)


def verdict(x, ci, goal):
    """met / missed, and whether the 95% interval agrees."""
    if ci is None:
        return ("met" if x <= goal else "missed") + " (fewer than 3 boots: no interval)"
    lo, hi = ci
    if x <= goal:
        return "met" if hi <= goal else f"met (median; interval reaches {hi:.3f})"
    return "missed" if lo > goal else "missed, within noise"


def ci_str(ci):
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "-"


def rounds_to_settle(n, ci, goal):
    """Rounds for the 95% interval's half-width to shrink to |goal - 1|."""
    if not ci:
        return None
    half = (ci[1] - ci[0]) / 2
    margin = abs(goal - 1)
    if half <= margin:
        return n
    return int(n * (half / margin) ** 2 + 0.999)


class Bench:
    def __init__(self, raw, boots, cg, quick, dr7=None):
        self.dr7 = load_dr7(dr7)
        self.dr7_cost = load_dr7_cost(dr7)
        self.boots = load_boots(boots)
        self.skip = to_skip(self.boots)
        self.vals = load_raw(raw, self.skip)
        self.counts = load_counts(raw, self.skip)
        self.dregs = load_counts(raw, self.skip, "dregs")
        self.drw = load_counts(raw, self.skip, "drw")
        self.sched = load_sched(raw, self.skip)
        self.count_cases = []   # (KTAP name, status, diagnostic)
        self.count_bad = {}     # figure -> why its count is off
        self.count_done = set()  # figures whose count goal is in self.goals
        self.check_counts()
        self.check_paths()
        self.cg, self.cg_text = load_callgrind(cg)
        self.quick = quick
        self.rnd = random.Random(RNG_SEED)
        self.goals = []         # (figure, goal text, measured, interval, verdict)
        self.misses = []        # text per missed goal

    def v(self, kind, name):
        return [x[1] for x in self.vals.get((kind, name), [])]

    def by_round(self, kind, name):
        return {r: (v, o) for r, v, o in self.vals.get((kind, name), [])}

    def names(self):
        return {n for _, n in self.vals}

    def cg_ir(self, scenario, col=3):
        for row in self.cg:
            if row[0] == scenario:
                return row[col]
        return None

    # -- the switch, paired within patched boots -------------------------
    def onoff(self, name):
        on, off = self.by_round("patched", name), self.by_round("patched", name + "-preempt0")
        pairs = [(r, on[r][0] / off[r][0], on[r][1]) for r in on if r in off and off[r][0]]
        allr = [x for _, x, _ in pairs]
        split = {o: [x for _, x, oo in pairs if oo == o] for o in ("onfirst", "offfirst")}
        return allr, split

    # -- sections ---------------------------------------------------------
    def header(self):
        out = []
        if self.quick:
            out.append("**BENCH_QUICK=1: a smoke test of the harness with shortened loops; "
                       "these figures are not measurements, and neither are the verdicts "
                       "below.  `make bench` replaces them.**\n")
        if self.boots:
            busy = [b["busy"] for b in self.boots]
            others = [b["others"] for b in self.boots if b["others"] is not None]
            per = {}
            for b in self.boots:
                per.setdefault((b["kind"], b["plan"]), []).append(b["secs"])
            t = ", ".join(f"{k} {p} {med(s):.0f} s" for (k, p), s in sorted(per.items()))
            during = (f"other work during a boot: median {med(others):.0f}%, max "
                      f"{max(others)}% of the host's CPU time" if others else
                      "other work during a boot: not recorded in this run")
            out.append(f"Boots: {len(self.boots)} ({t}, median each).  Host busy in the second "
                       f"before a boot: median {med(busy):.0f}%, max {max(busy)}%; {during}.")
            bad = [b for b in self.boots if b["disturbed"]]
            if bad:
                left = [b for b in bad if b["boot"] in self.skip]
                kept = [b for b in bad if b["boot"] not in self.skip]
                name = lambda b: (f"{b['kind']} {b['plan']} round {b['round']} "
                                  f"({b['busy']}% before, "
                                  f"{'?' if b['others'] is None else b['others']}% during, "
                                  f"{b['secs']} s)")
                if left:
                    out.append(f"Left out, disturbed by other work on the host (more than "
                               f"{BUSY_WARN}% busy before or {OTHERS_WARN}% during): "
                               + "; ".join(name(b) for b in left) + ".")
                if kept:
                    out.append("**Disturbed by other work on the host, and kept for want of "
                               f"{MIN_CLEAN} clean boots of their kind: "
                               + "; ".join(name(b) for b in kept) + ".  TCG slows by up to "
                               "30x under contention: these figures are skewed; re-run on "
                               "a quiet machine.**")
            empty = [b for b in self.boots if b["n"] == 0]
            if empty:
                out.append("**Boots that gave no figures: " + ", ".join(
                    f"{b['kind']} {b['plan']} round {b['round']}" for b in empty) + ".**")
            out.append("")
        return out

    # -- pmu adds/dels per operation, counted by the kernel ---------------
    VARIANTS = [("pristine", "", "pristine"), ("patched", "", "patched"),
                ("patched", "-preempt0", "patched, switch off")]

    def check_counts(self):
        """Per context-switch figure and kernel: the counted adds/dels per
        operation against INTENDED.  Fills self.count_info, count_cases,
        count_bad."""
        self.count_info = {}
        for n in CTX:
            ia, idl, _ = intended(n)
            info = []
            for kind, suf, label in self.VARIANTS:
                rows = self.counts.get((kind, n + suf), [])
                timed = self.v(kind, n + suf)
                if not rows and not timed:
                    continue
                case = f"bench.count.{kind}.{n}{suf}"
                if not rows:
                    why = "no count lines (a plan without the counting pass?)"
                    info.append((label, [], [], "not counted", why))
                    self.count_cases.append((case, "fail", why))
                    continue
                if any(r[1] is None for r in rows):
                    why = ("the kernel could not count (no function profiler, or "
                           "hw_breakpoint_add/del not traceable: see the boot log's "
                           "'not countable' line)")
                    info.append((label, [], [], "not countable", why))
                    self.count_cases.append((case, "fail", "not countable: " + why))
                    continue
                a, d = [r[1] for r in rows], [r[2] for r in rows]
                good = all(count_ok(x, ia) for x in a) and all(count_ok(x, idl) for x in d)
                text = (f"adds {med(a):.3f}/op ({min(a):.3f}-{max(a):.3f}), dels "
                        f"{med(d):.3f}/op ({min(d):.3f}-{max(d):.3f}) over {len(rows)} "
                        f"boot(s); intended {ia} and {idl}")
                info.append((label, a, d, "met" if good else "missed", text))
                self.count_cases.append((case, "pass" if good else "fail", text))
            self.count_info[n] = info
            bad = [i for i in info if i[3] != "met"]
            if bad:
                self.count_bad[n] = "; ".join(f"{i[0]}: {i[3]}" for i in bad)

    def count_goal(self, n):
        info = self.count_info.get(n)
        if not info:
            return
        ia, idl, why = intended(n)
        goal = (f"{ia} adds, {idl} dels per op (+-{COUNT_TOL:.0%})" if ia or idl else
                f"none (<= {COUNT_ZERO} per op)")
        meas = "; ".join(f"{lab} {med(a):.2f}/{med(d):.2f}" if a else f"{lab} {st}"
                         for lab, a, d, st, _ in info)
        alla = [x for i in info for x in i[1]]
        alld = [x for i in info for x in i[2]]
        rng = (f"boots: adds {min(alla):.2f}-{max(alla):.2f}, dels "
               f"{min(alld):.2f}-{max(alld):.2f}" if alla else "-")
        if n not in self.count_bad:
            v = "met"
        elif all(i[3] == "not countable" for i in info if i[3] != "met"):
            v = "**not countable**"
        else:
            v = "**missed: not the intended adds/dels, the figure measures something else**"
        self.goals.append((f"{DESCR.get(n, n)} (`{n}`): breakpoint-PMU adds/dels per op, "
                           "counted by the kernel", goal, meas, rng, v))
        if n in self.count_bad:
            fix = ("a kernel with CONFIG_FUNCTION_PROFILER (configs/base.config) and "
                   "hw_breakpoint_add/del in available_filter_functions"
                   if v == "**not countable**" else
                   "a workload whose switches go through del/add as intended: tasks with "
                   "breakpoints of their own (not inherited: perf swaps cloned contexts "
                   "without del/add), placed as the figure says (`switch-1cpu-*` pin both "
                   "tasks to CPU 0; `perf bench sched pipe` of 6.1 cannot pin each task)")
            self.misses.append(f"- `{n}` counts ({self.count_bad[n]}): intended {ia} adds "
                               f"and {idl} dels per op ({why}).  Its timing ratio is void.  "
                               f"What would close it: {fix}.")

    def ir_rows(self, n):
        """Callgrind's (install, uninstall) for patched's pmu->add/del in figure n:
        before any ptrace or debugger breakpoint, the perf-only rows where the
        table has them (patch 0031's static key off)."""
        if n.endswith(PERFONLY) and self.cg_ir("perf-only-install") is not None:
            return self.cg_ir("perf-only-install"), self.cg_ir("perf-only-uninstall")
        return self.cg_ir("install"), self.cg_ir("uninstall")

    def switch_rows(self, n):
        """(ours, mainline's, breakpoints each way) of the whole switch
        callgrind measured for figure n (SWITCH_CG), or None."""
        if n not in SWITCH_CG:
            return None
        ours, main, k = SWITCH_CG[n]
        sw, msw = self.cg_ir(ours), self.cg_ir(main)
        return None if None in (sw, msw) else (sw, msw, k)

    def ir_per_op(self, n):
        """(ours, mainline): core instructions per op from the counted adds/dels
        (patched's with install/uninstall, pristine's with mainline's; a
        figure of SWITCH_CG from its dels, one whole switch per k)."""
        ins, uns = self.ir_rows(n)
        mi, mu = self.cg_ir("mainline-install"), self.cg_ir("mainline-uninstall")
        got = {lab: (a, d) for lab, a, d, _, _ in self.count_info.get(n, []) if a}
        ours = mine = None
        sw = self.switch_rows(n)
        if sw:
            if "patched" in got:
                ours = med(got["patched"][1]) / sw[2] * sw[0]
            if "pristine" in got:
                mine = med(got["pristine"][1]) / sw[2] * sw[1]
            return ours, mine
        if "patched" in got and None not in (ins, uns):
            a, d = got["patched"]
            ours = med(a) * ins + med(d) * uns
        if "pristine" in got and None not in (mi, mu):
            a, d = got["pristine"]
            mine = med(a) * mi + med(d) * mu
        return ours, mine

    def check_paths(self):
        """The patched kernel's path per context-switch figure, from the
        scheduler's own functions: before any ptrace or debugger breakpoint
        (-perfonly) none of them runs (mainline's path behind the static
        key); afterwards every pmu->add is the scheduler's, and on the
        one-CPU switch figures, where a slot is always free, none takes the
        long way (__hw_bp_sched_add): the fast path.  KTAP bench.path.NAME."""
        self.path_info = {}
        for n in CTX:
            rows = self.sched.get(("patched", n), [])
            adds = [a for _, a, _, _, _ in self.counts.get(("patched", n), []) if a is not None]
            if not rows or not adds:
                continue
            sa = [r[0] for r in rows if r[0] is not None]
            sl = [r[2] for r in rows if r[2] is not None]
            if not sa:
                self.path_info[n] = "not traceable"
                self.count_cases.append((f"bench.path.{n}", "fail",
                                         "hw_bp_sched_add not traceable in the patched kernel"))
                continue
            why = []
            if n.endswith(PERFONLY):
                if max(sa) > COUNT_ZERO:
                    why.append(f"hw_bp_sched_add {med(sa):.2f}/op before any ptrace or "
                               "debugger breakpoint: the static key was on")
                want = "0 / -"
            else:
                if not count_ok(med(sa), med(adds)) and med(adds) > COUNT_ZERO:
                    why.append(f"hw_bp_sched_add {med(sa):.2f}/op against pmu->add "
                               f"{med(adds):.2f}/op: not the scheduler's path")
                if n.startswith("switch-1cpu-") and sl and max(sl) > COUNT_ZERO:
                    why.append(f"__hw_bp_sched_add {med(sl):.2f}/op: not the fast path")
                want = f"{med(adds):.2f} / 0" if n.startswith("switch-1cpu-") else f"{med(adds):.2f} / -"
            got = f"{med(sa):.2f} / " + (f"{med(sl):.2f}" if sl else "not traceable")
            self.path_info[n] = f"{got} (want {want})" + (": " + "; ".join(why) if why else "")
            self.count_cases.append((f"bench.path.{n}", "fail" if why else "pass",
                                     f"scheduler adds / long way per op: {got}, want {want}"
                                     + ("; " + "; ".join(why) if why else "")))

    def dreg_writes(self, n):
        """{label: median debug-register writes per op} of figure n: counted
        by the kprobes ("drw": DR7 + address registers) where the boots
        placed them, else derived from the counted arch installs (2 writes)
        and uninstalls (1).  Also {label + " how": "counted"|"derived"} and
        {label + " dr7": DR7 writes per op} where counted."""
        out = {}
        for kind, lab in (("pristine", "pristine"), ("patched", "patched")):
            rows = [(d, a) for _, d, a, _, _ in self.drw.get((kind, n), []) if d is not None]
            if rows:
                out[lab] = med([d + a for d, a in rows])
                out[lab + " dr7"] = med([d for d, _ in rows])
                out[lab + " how"] = "counted"
                continue
            rows = [(i, u) for _, i, u, _, _ in self.dregs.get((kind, n), []) if i is not None]
            if rows:
                out[lab] = med([2 * i + u for i, u in rows])
                out[lab + " how"] = "derived"
        return out

    def dreg_goal(self):
        """Beyond mainline: fewer debug-register writes per switch than
        mainline's on the one-CPU switch figures (issue 13).  Not done: the
        figures show ours equal to mainline's, and why it stays so."""
        figs = [n for n in CTX if n.startswith("switch-1cpu-") and not nobp(n)
                and "pristine" in self.dreg_writes(n) and "patched" in self.dreg_writes(n)]
        if not figs:
            return
        dw = {n: self.dreg_writes(n) for n in figs}
        how = sorted({dw[n][k + " how"] for n in figs for k in ("patched", "pristine")})
        meas = "; ".join(f"{n} {dw[n]['patched']:.2f} vs {dw[n]['pristine']:.2f}" for n in figs)
        fewer = [n for n in figs if dw[n]["patched"] < 0.95 * dw[n]["pristine"]]
        more = [n for n in figs if dw[n]["patched"] > 1.05 * dw[n]["pristine"]]
        same = [n for n in figs if "-same" in n and dw[n]["patched"] > COUNT_ZERO]
        if more:
            v = "**missed: more than mainline on " + ", ".join(more) + "**"
        elif len(fewer) == len(figs) and not same:
            v = "met"
        elif fewer:
            v = ("**partly: fewer on " + ", ".join(fewer) + "; "
                 + (", ".join(n for n in figs if n not in fewer) + " as mainline"
                    if len(fewer) < len(figs) else "")
                 + ("; " if len(fewer) < len(figs) and same else "")
                 + ("equal breakpoints still written" if same else "") + "**")
        else:
            v = "**missed: the same as mainline**"
        src = "; ".join((["kprobes on every write"] if "counted" in how else [])
                        + (["arch installs x 2 + uninstalls"] if "derived" in how else []))
        self.goals.append((f"debug-register writes per op on the one-CPU switch figures ({src})",
                           "fewer than mainline's; none for equal breakpoints", meas, "-", v))
        batched = any(o < m for _, o, _, m, _ in self.dr7)
        if v != "met" and (batched or fewer):
            self.misses.append(
                "- debug-register writes per switch: this queue writes DR7 once per half of a "
                "switch (`make x86-dr7`, `switch-writes`: " + (self.dr7_summary() or "not run")
                + "), which saves writes where a half changes several slots (the four-"
                "breakpoint figures); a switch of one breakpoint per task still writes an "
                "address register and DR7 in and DR7 out, as mainline, and equal breakpoints "
                "are written once per half, since no bracket spans the whole switch.  What "
                "would close it: perf's `sched_task` callback (`perf_sched_cb_inc()`) as a "
                "bracket around the whole switch, a sched-in hook patched out between the "
                "halves taken as a stale data slot, instruction slots written at once; and a "
                "KVM hook that forgets `cpu_debugreg[]` when it loads a guest's DR0-3, so "
                "that unchanged address registers need no write (docs/design.md, \"Not "
                "yet\").")
        elif not fewer:
            self.misses.append(
                "- debug-register writes per switch: the series changes which slot and "
                "when, not how the arch code writes, so each install still writes its address "
                "register and DR7 and each uninstall DR7, as mainline does (`make x86-dr7`, "
                "`switch-writes`: " + (self.dr7_summary() or "not run") + ").  Why not "
                "batched in this queue, and what would close it: see docs/design.md, \"Not yet\" "
                "(6.1 gives the breakpoint PMU no bracket around a switch's halves).")

    def dr7_summary(self):
        """'1+1: 3 vs 3; ...' (ours vs mainline's writes per switch), or ''."""
        return "; ".join(f"{n}: {o} vs {m}" for n, o, _, m, _ in self.dr7)

    def dr7_table(self):
        if not self.dr7:
            return ["### Context switch: debug-register writes per switch (x86 arch code)", "",
                    "No `build/results/patched/x86-dr7.ktap` with switch figures "
                    "(`make x86-dr7`; it needs both trees).", ""]
        out = ["### Context switch: debug-register writes per switch (x86 arch code)", "",
               "From `scripts/x86-dr7.sh` (`make x86-dr7`, case `switch-writes`): the real "
               "`arch_install_hw_breakpoint()`/`arch_uninstall_hw_breakpoint()` of each tree "
               "built for user space with a shim that counts every debug-register write; one "
               "switch on one CPU as perf makes it, the outgoing task's N breakpoints "
               "uninstalled, then the incoming task's N installed.  `same`: the incoming "
               "breakpoints equal the outgoing ones (address, length, type: two tasks "
               "watching one variable); the incoming ones differ only in address otherwise, "
               "so the last column, the registers that end with another value, is what a "
               "switch writing only changed values would write.  Exact counts "
               "(no timing); per figure in the guest, the table above counts the writes "
               "themselves.", "",
               "| switch | ours: writes (DR7, address) | mainline: writes (DR7, address) "
               "| ours - mainline | registers whose value changes |", "|---|---|---|---|---|"]
        for n, o, od, m, md in self.dr7:
            k = re.match(r"(\d+)\+", n)
            best = ("0" if "same" in n else
                    f"{k[1]} (the address registers; DR7 ends as it began)" if k else "-")
            out.append(f"| {n} | {o} ({od}) | {m} ({md}) | {o - m:+d} | {best} |")
        out.append("")
        return out

    def count_table(self):
        if not self.count_info:
            return []
        ins, uns = self.cg_ir("install"), self.cg_ir("uninstall")
        pi, pu = self.cg_ir("perf-only-install"), self.cg_ir("perf-only-uninstall")
        mi, mu = self.cg_ir("mainline-install"), self.cg_ir("mainline-uninstall")
        out = ["### Context switch: breakpoint-PMU adds and dels per operation "
               "(counted by the kernel)", "",
               "An untimed pass of each workload after the timed ones, the kernel's function "
               "profiler counting `hw_breakpoint_add`/`hw_breakpoint_del` (pmu->add/del); "
               "per operation (round trip), median over boots (range).  Core instructions per "
               "op: the counted adds x `install` + dels x `uninstall` from the callgrind table "
               f"(ours, patched's counts: {ins if ins is not None else '?'} + "
               f"{uns if uns is not None else '?'} Ir) and the same with mainline's first-fit "
               f"(pristine's counts: {mi if mi is not None else '?'} + "
               f"{mu if mu is not None else '?'} Ir); a round trip on one CPU is two "
               "switches.  The `-perfonly` figures ran before any ptrace or debugger "
               "breakpoint existed in the boot"
               + (f": ours there are `perf-only-install` + `perf-only-uninstall` ({pi} + "
                  f"{pu} Ir, the scheduler off behind its static key)"
                  if pi is not None and pu is not None else "") + "."
               + (f"  The four-breakpoint figures ({', '.join(f'`{n}`' for n in SWITCH_CG)}) "
                  f"from callgrind's whole switch instead, per four dels counted: "
                  f"`switch-4` {self.cg_ir('switch-4')} against `mainline-switch-4` "
                  f"{self.cg_ir('mainline-switch-4')} Ir (dels oldest first, as perf makes "
                  "them; install and uninstall above are of the newest entry)"
                  if self.cg_ir("switch-4") is not None
                  and self.cg_ir("mainline-switch-4") is not None else ""), "",
               "Debug-register writes per op, counted: a kprobe on every instruction of the "
               "breakpoint path that writes a debug register (`scripts/dr-write-sites.py` "
               "finds them in each kernel's vmlinux: `arch_install_hw_breakpoint()`, "
               "`arch_uninstall_hw_breakpoint()`, `hw_breakpoint_restore()` and the series' "
               "DR7 helpers), armed only in the counting pass, their hits per op, patched / "
               "pristine (DR7's share in brackets); \"derived\" where a boot could not place "
               "them: 2 per counted `arch_install_hw_breakpoint()` and 1 per "
               "`arch_uninstall_hw_breakpoint()`, mainline's rule.  The patched path: the same profiler counting the scheduler's "
               "`hw_bp_sched_add()` and its long way `__hw_bp_sched_add()`: none of either "
               "in `-perfonly` (the static key off), one per pmu->add afterwards, and no long "
               "way on the one-CPU switch figures (the fast path).", "",
               "| benchmark | intended adds / dels | pristine adds / dels | patched adds / dels "
               "| patched, switch off | core Ir/op: ours / mainline | debug-register writes/op: "
               "ours / mainline | patched path: `hw_bp_sched_add` / `__hw_bp_sched_add` "
               "per op | verdict |",
               "|---|---|---|---|---|---|---|---|---|"]
        for n in CTX:
            info = self.count_info.get(n)
            if not info:
                continue
            cell = {}
            for lab, a, d, st, _ in info:
                cell[lab] = (f"{med(a):.2f} ({min(a):.2f}-{max(a):.2f}) / "
                             f"{med(d):.2f} ({min(d):.2f}-{max(d):.2f})" if a else st)
            ours, mine = self.ir_per_op(n)
            ir = (f"{fmt(ours, 0)} / {fmt(mine, 0)}"
                  + (f" (x{ours / mine:.1f})" if ours and mine else ""))
            ia, idl, _ = intended(n)
            dw = self.dreg_writes(n)
            def one(lab):
                if lab not in dw:
                    return "-"
                return (f"{dw[lab]:.2f} (DR7 {dw[lab + ' dr7']:.2f})"
                        if lab + " dr7" in dw else f"{dw[lab]:.2f} (derived)")
            dws = f"{one('patched')} / {one('pristine')}" if dw else "not counted"
            out.append(f"| {n} | {ia} / {idl} | {cell.get('pristine', '-')} "
                       f"| {cell.get('patched', '-')} | {cell.get('patched, switch off', '-')} "
                       f"| {ir} | {dws} | {self.path_info.get(n, 'not counted')} | "
                       f"{'met' if n not in self.count_bad else self.count_bad[n]} |")
        out += ["", "What each figure is meant to exercise (`-perfonly` alike): " + "; ".join(
            f"`{n}` {intended(n)[2]}" for n in INTENDED
            if n in self.count_info or n + PERFONLY in self.count_info) + ".", ""]
        return out

    def main_table(self):
        # Every figure but the switch-off twins, the debugger's and the
        # sweeps' (unless a goal names it: b4-p4-t4 is also a sweep point).
        names = sorted(n for n in self.names() if not n.endswith("-preempt0")
                       and not DBG.match(n) and (n in CTX + REG or
                                                 not any(s[2].match(n) for s in SWEEPS)))
        order = [n for n in CTX + REG if n in names] + [n for n in names if n not in CTX + REG]
        out = ["### Context switch and registration (usecs/op)", "",
               "| benchmark | pristine median (range) | patched median (range) "
               "| patched/pristine [95%] | goal | patched, switch off: median "
               "| on/off, paired [95%] (range) | on/off: on first / off first |",
               "|---|---|---|---|---|---|---|---|"]
        for n in order:
            p, q = self.v("pristine", n), self.v("patched", n)
            off = self.v("patched", n + "-preempt0")
            goal = CTX_GOAL if n in CTX else REG_GOAL if n in REG else None
            ratio = med(q) / med(p) if p and q else None
            ci = ci_ratio(q, p, self.rnd) if ratio else None
            oo, split = self.onoff(n)
            oo_s = (f"{med(oo):.3f} {ci_str(ci_median(oo, self.rnd))} "
                    f"({min(oo):.3f}-{max(oo):.3f})" if oo else "-")
            sp = " / ".join(f"{med(split[o]):.3f}" if split[o] else "-"
                            for o in ("onfirst", "offfirst"))
            out.append(f"| {n} | {fmt(med(p)) if p else '-'} ({rng_str(p)}) "
                       f"| {fmt(med(q)) if q else '-'} ({rng_str(q)}) "
                       f"| {fmt(ratio, 3)} {ci_str(ci)} | {'<= ' + str(goal) if goal else '-'} "
                       f"| {fmt(med(off)) if off else '-'} | {oo_s} | {sp} |")
            if goal and ratio:
                self.goal_ratio(n, goal, ratio, ci, p, q, oo)
        # Counted but without a timing ratio (a figure that never ran on one kernel).
        for n in CTX:
            if n not in self.count_done:
                self.count_goal(n)
        self.dreg_goal()
        out.append("")
        return out + self.count_table()

    def goal_ratio(self, n, goal, ratio, ci, p, q, oo):
        what = DESCR.get(n, n)
        v = verdict(ratio, ci, goal)
        if n in self.count_bad:
            v = f"**invalid: counts off (below)**; timing alone: {v}"
        self.goals.append((f"{what} (`{n}`)", f"patched/pristine <= {goal}",
                           f"{ratio:.3f}", ci_str(ci), v))
        if n in CTX:
            self.count_goal(n)
            self.count_done.add(n)
        if "missed" not in v:
            return
        if ci is None:
            self.misses.append(f"- `{n}` ({ratio:.3f} > {goal}): {len(p)} pristine and "
                               f"{len(q)} patched boots cannot tell noise from a cost.  What "
                               "would close it: ROUNDS >= 3 (the default 10) first.")
            return
        why = []
        inside = min(p) <= med(q) <= max(p)
        spread = (max(p) - min(p)) / med(p)
        if v == "missed, within noise":
            why.append(f"the 95% interval {ci_str(ci)} includes the goal: boot-to-boot noise "
                       f"(pristine alone spans {spread:.0%} of its median"
                       + (", and holds the patched median" if inside else "") + ")")
        if oo and not nobp(n):
            why.append(f"in the same boots the switch on/off is {med(oo):.3f}: no slot is "
                       "ever contended here, so both passes run the same code and that is "
                       "the within-boot noise and order effect")
        ins, uns = self.cg_ir("install"), self.cg_ir("uninstall")
        mi, mu = self.cg_ir("mainline-install"), self.cg_ir("mainline-uninstall")
        ours, mine = self.ir_per_op(n) if n in CTX else (None, None)
        if nobp(n):
            why.append("no breakpoint exists in this benchmark, so no code of the series runs "
                       "on the switch: the difference is the kernel image (layout, TCG "
                       "translation) or noise, not the scheduler")
            fix = ("nothing in the series; comparing on hardware, or more rounds, would "
                   "show the image effect apart from noise")
        elif ours is not None and mine is not None:
            sw = self.switch_rows(n)
            pi, pu = self.ir_rows(n)
            perfonly = n.endswith(PERFONLY)
            how = (f"callgrind: a whole switch of {sw[2]} each way, `{SWITCH_CG[n][0]}`, "
                   f"{sw[0]} against {sw[1]} through mainline's pmu->del/add" if sw else
                   f"callgrind: {'perf-only-' if perfonly else ''}install {pi} + "
                   f"{'perf-only-' if perfonly else ''}uninstall {pu} against {mi} + {mu}"
                   + (", the scheduler off behind its static key" if perfonly else ""))
            why.append(f"per op the kernel counted the adds and dels that cost "
                       f"{ours:.0f} instructions in the core against {mine:.0f} in mainline's "
                       f"first-fit ({how})")
            fix = PERF_ONLY_FIX if perfonly else FAST_PATH_FIX
        elif None not in (ins, uns, mi, mu):
            extra = ins + uns - mi - mu
            why.append(f"every pmu add/del of a breakpoint (each switch in and out of a task "
                       f"that has one; each registration) goes through the per-CPU table: "
                       f"{ins}+{uns} instructions against mainline's first-fit {mi}+{mu} "
                       f"(callgrind), {extra} more per add/del pair")
            fix = FAST_PATH_FIX
        else:
            fix = "instruction counts of the core (make callgrind) to locate the cost"
        if v == "missed, within noise":
            # Not "more rounds": the same code timed twice in one boot (the
            # switch's on/off) differs by several percent, an order and
            # translation effect that more boots do not average away.
            fix = ("nothing TCG can tell: its errors here are systematic (the same code in "
                   "both passes of one boot differs by several percent), so the callgrind "
                   "counts are the measure, and cycles on hardware or KVM the test; " + fix)
        self.misses.append(f"- `{n}` ({ratio:.3f} > {goal}): " + "; ".join(why)
                           + f".  What would close it: {fix}.")

    def sweeps(self):
        out = []
        for title, axis, rx in SWEEPS:
            pts = sorted({int(m.group(1)) for n in self.names()
                          for m in [rx.match(n)] if m})
            if not pts:
                continue
            name = {x: n for n in self.names() for m in [rx.match(n)] if m
                    for x in [int(m.group(1))]}
            out += [f"### Registration sweep: {title}", "",
                    f"usecs/op (one thread created and joined, inheriting its breakpoints); "
                    f"growth = the median over the median at {axis}={pts[0]}.", "",
                    f"| {axis} | pristine median (range) | patched median (range) "
                    f"| patched/pristine | pristine growth | patched growth "
                    f"| patched, switch off | on/off, paired |",
                    "|---|---|---|---|---|---|---|---|"]
            p0 = self.v("pristine", name[pts[0]])
            q0 = self.v("patched", name[pts[0]])
            for x in pts:
                n = name[x]
                p, q, off = self.v("pristine", n), self.v("patched", n), self.v(
                    "patched", n + "-preempt0")
                oo, _ = self.onoff(n)
                gp = med(p) / med(p0) if p and p0 else None
                gq = med(q) / med(q0) if q and q0 else None
                out.append(f"| {x} | {fmt(med(p)) if p else '-'} ({rng_str(p)}) "
                           f"| {fmt(med(q)) if q else '-'} ({rng_str(q)}) "
                           f"| {fmt(med(q) / med(p), 3) if p and q else '-'} "
                           f"| {fmt(gp, 2)} | {fmt(gq, 2)} "
                           f"| {fmt(med(off)) if off else '-'} "
                           f"| {fmt(med(oo), 3) if oo else '-'} |")
            out.append("")
            last = name[pts[-1]]
            p1, q1 = self.v("pristine", last), self.v("patched", last)
            if p0 and q0 and p1 and q1 and len(pts) > 1:
                g = (med(q1) / med(q0)) / (med(p1) / med(p0))
                ci = ci_growth(p0, p1, q0, q1, self.rnd)
                v = verdict(g, ci, REG_GOAL)
                self.goals.append((f"registration cost's growth, {axis}={pts[0]} to "
                                   f"{axis}={pts[-1]} ({title.split(' (')[0]})",
                                   f"patched growth / pristine growth <= {REG_GOAL}",
                                   f"{g:.3f} (x{med(p1) / med(p0):.2f} vs "
                                   f"x{med(q1) / med(q0):.2f})", ci_str(ci), v))
                if v.startswith("missed") and ci is None:
                    self.misses.append(f"- growth over {axis} ({g:.3f} > {REG_GOAL}): too few "
                                       "boots to tell noise from a change.  What would close "
                                       "it: ROUNDS >= 3 (the default 10) first.")
                elif v.startswith("missed"):
                    fix = ("more rounds (about ROUNDS="
                           f"{rounds_to_settle(len(p0), ci, REG_GOAL)} for the interval to "
                           f"shrink to +-{REG_GOAL - 1:.0%})" if v.endswith("noise") else
                           "find what in the patched registration path scales with "
                           f"{axis} (per-CPU table work per inherited breakpoint: "
                           "make callgrind, then perf on real hardware)")
                    self.misses.append(
                        f"- growth over {axis} ({g:.3f} > {REG_GOAL}): the patched curve "
                        f"rises x{med(q1) / med(q0):.2f} against pristine's "
                        f"x{med(p1) / med(p0):.2f}" +
                        (f"; the 95% interval {ci_str(ci)} includes the goal: noise"
                         if v.endswith("noise") else "") + f".  What would close it: {fix}.")
        return out

    def debugger(self):
        data = {}
        for (kind, n), xs in self.vals.items():
            m = DBG.match(n)
            if kind == "patched" and m:
                data[(m.group(1), int(m.group(2)))] = [x[1] for x in xs]
        if not data:
            return ["### The debugger's path", "", "No figures (no bench-debugger boot "
                    "gave any).", ""]
        tasks = sorted({t for _, t in data})
        out = ["### The debugger's path (patched only)", "",
               "ns, the kernel's median over 101 rounds per boot, then the median over boots "
               "(range); x = ratio to tasks=0.  Pristine has no such path: with perf "
               "breakpoints on every slot kgdb gets none (\"Could not allocate "
               "hwbreakpoints\").", "",
               "| tasks | claim, all CPUs | x | release, all CPUs | x "
               "| claim, slowest CPU in NMI | x | release, slowest CPU in NMI | x |",
               "|---|---|---|---|---|---|---|---|---|"]
        for t in tasks:
            row = [str(t)]
            for w in DBG_WHAT:
                xs, base = data.get((w, t)), data.get((w, tasks[0]))
                row.append(f"{fmt(med(xs), 0)} ({fmt(min(xs), 0)}-{fmt(max(xs), 0)})"
                           if xs else "-")
                row.append(fmt(med(xs) / med(base), 3) if xs and base else "-")
            out.append("| " + " | ".join(row) + " |")
        out.append("")
        # Growth from the first point to the last.  tasks=0 runs while the
        # boot ends (late initcall), which can only raise it, so the verdict
        # takes the larger of last/first and last/second.
        top = tasks[-1]
        bases = tasks[:2] if len(tasks) > 2 else tasks[:1]
        for w in DBG_WHAT:
            x = data.get((w, top))
            cand = [(med(x) / med(data[(w, t)]), t) for t in bases
                    if x and data.get((w, t)) and t != top]
            if not cand:
                continue
            g, base = max(cand)
            b = data[(w, base)]
            ci = ci_ratio(x, b, self.rnd)
            v = verdict(g, ci, DBG_GOAL)
            shown = "; ".join(f"/{t}: {r:.3f}" for r, t in sorted(cand, key=lambda c: c[1]))
            self.goals.append((f"debugger {w.replace('cpu-', 'in NMI, ')}, tasks={top} vs "
                               f"tasks={'/'.join(str(t) for _, t in sorted(cand, key=lambda c: c[1]))}",
                               f"does not grow: <= {DBG_GOAL}",
                               f"{g:.3f} (vs {base}; {shown})", ci_str(ci), v))
            if v.startswith("missed") and ci is None:
                self.misses.append(f"- debugger {w} ({g:.3f} > {DBG_GOAL}): too few boots to "
                                   "tell noise from growth.  What would close it: ROUNDS >= 3 "
                                   "(the default 10) first.")
            elif v.startswith("missed"):
                nmi = data.get(("cpu-" + w, top)) if not w.startswith("cpu-") else None
                nmi0 = data.get(("cpu-" + w, base)) if nmi else None
                why = ("the debugger's add/del touch only the CPU's own table (no walk "
                       "over tasks or registered breakpoints)")
                if nmi and nmi0 and med(nmi) / med(nmi0) <= DBG_GOAL:
                    why += (f"; the time inside the NMI handler did not grow "
                            f"({med(nmi) / med(nmi0):.3f}), so the rise is in NMI delivery "
                            "and the wait for every CPU, which more sleeping tasks can "
                            "delay under TCG")
                nr = len({x[0] for x in self.vals.get(("patched", f"dbg-{w}-tasks{base}"), [])})
                k = rounds_to_settle(len(b), ci, DBG_GOAL)
                fix = (f"more rounds (about ROUNDS={-(-k * nr // len(b))})"
                       if v.endswith("noise") else
                       "look for a path in the debugger's claim that scales with tasks "
                       "(the kernel's bench prints per-round figures to compare)")
                self.misses.append(f"- debugger {w} ({g:.3f} > {DBG_GOAL}): {why}.  What "
                                   f"would close it: {fix}.")
        return out

    def callgrind(self):
        if not self.cg:
            self.goals.append(("scheduler core, instructions per operation (callgrind)",
                               "within budget", "no table", "-", "missed"))
            self.misses.append("- callgrind: no build/results/patched/callgrind.md "
                               "(scripts/callgrind.sh failed?).  What would close it: "
                               "`make callgrind`.")
            return []
        budgeted = [r for r in self.cg if r[5] is not None]
        over = [r for r in budgeted if r[3] > r[5]]
        self.goals.append(("scheduler core, instructions per operation (callgrind)",
                           "each scenario within its budget",
                           f"{len(budgeted) - len(over)} of {len(budgeted)}", "exact",
                           "met" if not over else "missed"))
        for r in over:
            self.misses.append(f"- callgrind `{r[0]}`: {r[3]} Ir over its budget {r[5]}.  "
                               "What would close it: see tests/sched-harness/"
                               "callgrind-budget.txt and the scenario's callgrind dump.")
        self.issue13_rows()
        self.perf_only_path()
        out = ["### Scheduler core: instructions per operation (callgrind)", "",
               "From `scripts/callgrind.sh` (`build/results/patched/callgrind.md`): the "
               "patched tree's `hw_breakpoint_sched.c` built for user space, exact "
               "instruction counts.  The mainline-equivalent column is what the pristine "
               "kernel runs for the same operation (x86 first-fit in "
               "`arch_install/uninstall_hw_breakpoint`); the debugger rows have no "
               "pristine equivalent.", "", self.cg_text.rstrip(), ""]
        ins, uns = self.cg_ir("install"), self.cg_ir("uninstall")
        mi, mu = self.cg_ir("mainline-install"), self.cg_ir("mainline-uninstall")
        if None not in (ins, uns, mi, mu):
            out += [f"Per context switch through pmu del/add: {ins} + {uns} = {ins + uns} "
                    f"instructions in the core against {mi} + {mu} = {mi + mu} in mainline; "
                    "per operation of each context-switch figure, from the adds and dels the "
                    "kernel counted, in the table of counts above.  TCG makes debug-register "
                    "writes and exceptions dear and plain instructions cheap, so on hardware "
                    "these instructions weigh more in the ratio than under QEMU.", ""]
        sw, msw = self.cg_ir("switch-4"), self.cg_ir("mainline-switch-4")
        if None not in (sw, msw, ins, uns):
            out += [f"Those two measure the newest entry only.  A whole switch of four "
                    f"breakpoints each way (`switch-4`, perf's order: the outgoing task's "
                    f"oldest first) costs {sw} against {msw} through mainline's pmu->del/add "
                    f"({sw / msw:.2f}x), more than 4 x ({ins} + {uns}) suggests: each del "
                    "of an older entry searches the table from the newest end and moves "
                    "the later entries up.", ""]
        return out

    def ratio_cells(self, pairs):
        """"name ours vs mainline's (ratio)" of each (scenario, mainline
        scenario) callgrind has, and the worst ratio (None: none)."""
        cells, worst = [], None
        for ours, main in pairs:
            o, m = self.cg_ir(ours), self.cg_ir(main)
            if None in (o, m) or not m:
                continue
            cells.append(f"`{ours}` {o} vs {m} ({o / m:.2f}x)")
            worst = max(worst or 0, o / m)
        return "; ".join(cells), worst

    def issue13_rows(self):
        """Issue 13's goals for the core (callgrind), each with its verdict."""
        on, worst = self.ratio_cells([("install", "mainline-install"),
                                      ("uninstall", "mainline-uninstall"),
                                      ("switch-4", "mainline-switch-4")])
        if worst is not None:
            ok = worst <= FAST_GOAL
            self.goals.append(("scheduler on, uncontended pmu->add/del and a whole switch "
                               "(callgrind)", f"ours/mainline <= {FAST_GOAL:.2f}", on, "exact",
                               "met" if ok else "missed"))
            if not ok:
                self.misses.append(
                    f"- scheduler on, uncontended ({worst:.2f}x > {FAST_GOAL:.2f}): most of "
                    "each operation is fixed work that mainline's first-fit does not do "
                    "(the update's count, odd then even, and the look for the debugger's "
                    "requests; the checks for waiters, table room and slot room; the entry "
                    "and the counts), about 45 instructions of an add and 60 of a del; a "
                    "del of an older entry, as perf makes them in a switch (oldest first), "
                    "also searches and moves entries.  What would close it: "
                    + FAST_PATH_FIX + ".")
        off, worst = self.ratio_cells([("perf-only-install", "mainline-install"),
                                       ("perf-only-uninstall", "mainline-uninstall"),
                                       ("perf-only-switch-4", "mainline-switch-4")])
        if worst is not None:
            self.goals.append(("perf only (scheduler key off): the core's pmu->add/del and a "
                               "whole switch (callgrind; gated by `make test`)",
                               f"ours/mainline <= {PERF_ONLY_GOAL:.2f}", off, "exact",
                               "met" if worst <= PERF_ONLY_GOAL else "missed"))
        # Not a figure: issue 13 asked for the shadow state to stay only what
        # the NMI path needs, remote readers served another way.
        self.goals.append(("a CPU's shadow state: what the debugger's NMI path needs, remote "
                           "readers served another way", "design (docs/design.md)",
                           "patch 0029: no latch; debugfs and the tests copy a CPU's table "
                           "on that CPU (an IPI), the debugger on another CPU reads one "
                           "count per slot type (`others[]`)", "-", "met"))
        cells, slower = [], []
        for name, before in CONTENDED_BEFORE.items():
            ir = self.cg_ir(name)
            if ir is None:
                continue
            cells.append(f"`{name}` {ir} vs {before}")
            if ir > before:
                slower.append(name)
        if cells:
            self.goals.append(("contended paths (evict, restore, the debugger's claim and "
                               "release): no slower than before the fast path (callgrind, "
                               "ours vs the same driver on patches 0001-0028)", "no slower",
                               "; ".join(cells), "exact", "missed" if slower else "met"))
            if slower:
                self.misses.append(f"- contended paths slower than before the fast path: "
                                   f"{', '.join(slower)}.  What would close it: their "
                                   "callgrind dumps, against 0028's.")

    def perf_only_path(self):
        """Issue 13's 10% goal for a perf-only system over the whole x86 path
        of a switch: the core's key-off overhead per add and del (callgrind)
        on top of the arch code's share (x86-dr7 switch-cost, both trees)."""
        pi, pu = self.cg_ir("perf-only-install"), self.cg_ir("perf-only-uninstall")
        mi, mu = self.cg_ir("mainline-install"), self.cg_ir("mainline-uninstall")
        if not self.dr7_cost or None in (pi, pu, mi, mu):
            return
        # The core's key-off overhead per breakpoint each way: from the
        # whole switches where callgrind has them (mainline's side calls the
        # architecture through its own pmu->add/del, as the kernel does),
        # else from the single operations.
        psw, msw = self.cg_ir("perf-only-switch-4"), self.cg_ir("mainline-switch-4")
        per_bp = (psw - msw) / 4 if None not in (psw, msw) else pi - mi + pu - mu
        rows = [(n, b, round(ours + b * per_bp), main)
                for n, b, ours, main in self.dr7_cost]
        worst = max(ours / main for _, _, ours, main in rows)
        verdict = "met" if worst <= PERF_ONLY_GOAL else "missed"
        self.goals.append((
            "perf only (scheduler key off): the whole x86 path of a context switch, "
            "instructions (arch code, `make x86-dr7` switch-cost, plus the core's key-off "
            "overhead per add and del); for information: issue 13's 10% is the core's "
            "key-off path (`perf-only-*`, gated by `make test`), this adds the series' "
            "x86 fixes",
            f"patched/pristine <= {PERF_ONLY_GOAL:.2f}",
            "; ".join(f"{n}: {o} vs {m} ({o / m:.2f}x)" for n, _, o, m in rows), "exact",
            verdict))
        if verdict == "missed":
            self.misses.append(
                f"- perf-only switch path ({worst:.2f}x > {PERF_ONLY_GOAL:.2f}): the core's "
                f"key-off path is within the goal ({pi}/{pu} against {mi}/{mu}), the "
                "series' x86 arch code is not, and runs key or no key (measured with "
                "`make x86-dr7` on 2026-12-03): on 6.1, which has no DR7 bracket, one "
                "breakpoint each way costs 204 against 165 (1.24x), of which patch 0020's "
                "#DB attribution (`dr_owner_changed()`) is 23 and 0019's clear of a slot's "
                "whole DR7 field (with the code's layout) 16 (the arch code alone 181 "
                "against 165, 1.10x, without the attribution; `make x86-dr7` fails its NMI cases then: the "
                "attribution is a fix); 6.12's 0046 bracket adds about 58 (262), and "
                "writes DR7 once per half of a switch instead of once per breakpoint.  The "
                "debug-register writes, the expensive part on hardware, are as mainline's "
                "or fewer.  What would close it: nothing that keeps the fixes; a cheaper "
                "attribution (inline, one per-CPU or and the NMI test) and one per-CPU "
                "word for the bracket's state and its stale slots instead of three would "
                "narrow it toward 6.1's 1.10x-without-attribution, not below.")

    def goals_section(self):
        out = ["### Goals", "",
               "| figure | goal | measured | 95% interval | verdict |", "|---|---|---|---|---|"]
        out += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in self.goals]
        out.append("")
        if self.misses:
            out += ["Missed, why, and what would close it:", ""] + self.misses + [""]
        else:
            out += ["Every goal met.", ""]
        return out


def write_count_ktap(path, cases):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import ktap
    if not cases:
        cases = [("bench.count.any", "fail", "no context-switch figure was counted")]
    ktap.write_ktap(path, cases)


def main(argv):
    quick = False
    ktap_out = None
    dr7 = None
    while len(argv) > 2 and argv[1] in ("--quick", "--ktap", "--dr7"):
        if argv[1] == "--quick":
            quick = argv[2] == "1"
        elif argv[1] == "--dr7":
            dr7 = argv[2]
        else:
            ktap_out = argv[2]
        argv = argv[:1] + argv[3:]
    raw, boots, cg = argv[1], argv[2] if len(argv) > 2 else "", argv[3] if len(argv) > 3 else ""
    b = Bench(raw, boots, cg, quick, dr7)
    body = b.main_table() + b.dr7_table() + b.sweeps() + b.debugger() + b.callgrind()
    out = b.header() + b.goals_section() + body
    per = {}
    for x in b.boots:
        if x["boot"] not in b.skip:
            per[(x["kind"], x["plan"])] = per.get((x["kind"], x["plan"]), 0) + 1
    out.append("Figures from " + ", ".join(f"{n} {k} {p}" for (k, p), n in sorted(per.items()))
               + " boots; QEMU TCG, 2 vCPUs, 1 GiB.")
    print("\n".join(out))
    if ktap_out:
        write_count_ktap(ktap_out, b.count_cases)


if __name__ == "__main__":
    main(sys.argv)
