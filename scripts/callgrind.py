#!/usr/bin/env python3
"""Instructions per operation of the scheduler core, against a budget.

    callgrind.py OUT_PREFIX N BUDGET_FILE KTAP MD

Reads the dumps OUT_PREFIX.1, .2, ... that tests/sched-harness/cost.c makes
under callgrind (one per scenario, named by CALLGRIND_DUMP_STATS_AT), takes
the inclusive Ir of each scenario's entry point over its calls, and writes
one KTAP result per scenario (ok when within BUDGET_FILE's "SCENARIO MAX"
line) and a markdown table.  Exit status 1 when a budget is exceeded.
"""
import glob
import re
import sys

# scenario: (entry point, what one operation is, mainline-equivalent scenario)
SCENARIOS = {
    "install": ("pmu_add", "pmu->add, a slot free (3 of 4 held), scheduler on",
                "mainline-install"),
    "uninstall": ("pmu_del", "pmu->del of an installed one, none parked, scheduler on",
                  "mainline-uninstall"),
    "evict": ("hw_bp_sched_add", "ptrace add, perf on all 4 slots: evicts one", None),
    "restore": ("hw_bp_sched_del", "ptrace del, the evicted perf one waiting: asks perf to resched",
                None),
    "re-add": ("hw_bp_sched_add", "perf adds the evicted one again: installed, a restore", None),
    "dbg-add": ("hw_bp_sched_debugger_add", "debugger add (NMI path), a slot free", None),
    "dbg-del": ("hw_bp_sched_debugger_del", "debugger del (NMI path), none parked", None),
    "dbg-evict": ("hw_bp_sched_debugger_add", "debugger add, perf on all 4 slots", None),
    "dbg-restore": ("hw_bp_sched_debugger_del", "debugger del, the evicted perf one waiting",
                    None),
    "snapshot": ("hw_bp_sched_snapshot",
                 "a CPU copies its table, 5 entries (write section, copy, writer_end)", None),
    "perf-only-install": ("pmu_add", "add, only perf ever registered (key off): "
                          "mainline's path", "mainline-install"),
    "perf-only-uninstall": ("pmu_del", "del, only perf ever registered (key off)",
                            "mainline-uninstall"),
    "switch-4": ("switch4", "a context switch's pmu->del/add: four perf breakpoints off "
                 "(oldest first, perf's order), four on, scheduler on (6.12's end of the "
                 "bracket, `hw_bp_sched_pmu_enable()`, not included)", "mainline-switch-4"),
    "perf-only-switch-4": ("switch4", "the same, only perf ever registered (key off)",
                           "mainline-switch-4"),
    "mainline-install": ("arch_install_hw_breakpoint", "x86 first-fit slot search", None),
    "mainline-uninstall": ("arch_uninstall_hw_breakpoint", "x86 slot search and clear",
                           None),
    "mainline-switch-4": ("switch4", "the same switch through mainline's pmu->del/add: "
                          "x86's first-fit search and its reverse", None),
}
# Issue 13's goals, as a ratio to the mainline-equivalent scenario: the
# key-off path must stay within 10% (gated), the scheduler's uncontended
# path within 2x (reported: the table costs more, see docs/performance.md).
GOALS = {"perf-only-install": (1.10, True), "perf-only-uninstall": (1.10, True),
         "install": (2.0, False), "uninstall": (2.0, False),
         "perf-only-switch-4": (1.10, True), "switch-4": (2.0, False)}
NAMED = re.compile(r"^\((\d+)\)(?: (.*))?$")


def parse_dump(path):
    """(trigger name, {function: [calls, inclusive Ir]}) of one dump."""
    trigger = None
    names = {}
    calls = {}
    cfn = None
    pending = None          # (callee, count) waiting for its cost line
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("desc: Trigger: Client Request: "):
                trigger = line.split(": ", 2)[2].split(": ", 1)[1]
            elif line.startswith(("fn=", "cfn=")):
                key, val = line.split("=", 1)
                m = NAMED.match(val)
                name = val
                if m:
                    if m.group(2) is not None:
                        names[m.group(1)] = m.group(2)
                    name = names.get(m.group(1), val)
                if key == "cfn":
                    cfn = name
            elif line.startswith("calls="):
                pending = (cfn, int(line[6:].split()[0]))
            elif pending and line and (line[0].isdigit() or line[0] in "+-*"):
                parts = line.split()
                c = calls.setdefault(pending[0], [0, 0])
                c[0] += pending[1]
                c[1] += int(parts[1]) if len(parts) > 1 else 0
                pending = None
    return trigger, calls


def read_budget(path):
    budget = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) >= 2:
                budget[line[0]] = int(line[1])
    return budget


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    prefix, n, budget_file, ktap, md = argv[1], int(argv[2]), argv[3], argv[4], argv[5]
    measured = {}           # scenario: (Ir/op, calls)
    for path in glob.glob(prefix + "*"):
        if not re.search(r"\.\d+$", path):
            continue
        trigger, calls = parse_dump(path)
        if trigger in SCENARIOS:
            c, ir = calls.get(SCENARIOS[trigger][0], [0, 0])
            measured[trigger] = (ir / c if c else 0.0, c)
    budget = read_budget(budget_file)
    out = ["KTAP version 1"]
    rows = []
    failed = False
    for name, (entry, what, base) in SCENARIOS.items():
        if name not in measured:
            # callgrind runs on the whole series: a budget whose scenario
            # did not run is a driver or parser gone wrong, not a pass.
            if name in budget:
                out.append(f"not ok {len(out)} callgrind.{name} # budgeted "
                           f"({budget[name]}), not measured: no dump of it")
                failed = True
            continue
        ir, c = measured[name]
        base_ir = measured.get(base, (None,))[0] if base else None
        if not base_ir:
            base_ir = None      # not measured, or a dump without its calls
        rows.append((name, entry, what, ir, base_ir, budget.get(name)))
        if name.startswith("mainline-"):
            # The baseline, shown beside ours, not gated: but a gated ratio
            # is only as good as its count of calls.
            if c != n:
                out.append(f"not ok {len(out)} callgrind.{name} # {ir:.0f} Ir/op: "
                           f"{c} calls, not {n}")
                failed = True
            continue
        diag = f"{ir:.0f} Ir/op"
        goal_missed = False
        if base_ir is not None:
            diag += f" (mainline-equivalent {base_ir:.0f}"
            if name in GOALS and base_ir:
                limit, gated = GOALS[name]
                ratio = ir / base_ir
                met = ratio <= limit
                diag += f", {ratio:.2f}x, goal <= {limit:.2f}x: {'met' if met else 'missed'}"
                goal_missed = gated and not met
            diag += ")"
        elif name in GOALS and GOALS[name][1]:
            diag += f" (no {base} measured for its gated goal)"
            goal_missed = True
        if c != n:
            out.append(f"not ok {len(out)} callgrind.{name} # {diag}: {c} calls, not {n}")
            failed = True
        elif name not in budget:
            out.append(f"ok {len(out)} callgrind.{name} # SKIP {diag}, "
                       "no budget in tests/sched-harness/callgrind-budget.txt")
        elif ir > budget[name] or goal_missed:
            out.append(f"not ok {len(out)} callgrind.{name} # {diag}, budget {budget[name]}")
            failed = True
        else:
            out.append(f"ok {len(out)} callgrind.{name} # {diag}, budget {budget[name]}")
    with open(ktap, "w") as f:
        f.write("\n".join(out) + "\n")
    with open(md, "w") as f:
        f.write("| scenario | entry point | one operation | Ir/op | mainline-equivalent "
                "| ratio (goal) | budget |\n|---|---|---|---:|---:|---|---:|\n")
        for name, entry, what, ir, base_ir, bud in rows:
            ratio = ""
            if base_ir:
                ratio = f"{ir / base_ir:.2f}x"
                if name in GOALS:
                    limit = GOALS[name][0]
                    ratio += f" (<= {limit:.2f}x: {'met' if ir / base_ir <= limit else 'missed'})"
            f.write(f"| {name} | `{entry}` | {what} | {ir:.0f} | "
                    f"{'' if base_ir is None else f'{base_ir:.0f}'} | {ratio} | "
                    f"{'' if bud is None else bud} |\n")
    print("\n".join(out[1:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
