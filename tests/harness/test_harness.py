#!/usr/bin/env python3
"""Self-tests of the harness: the KTAP/splat parser, the summary rules and
make bench's check of the counted pmu adds/dels.

Run by scripts/selftest.sh (part of `make test`); prints flat KTAP.
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts"))
import ktap  # noqa: E402
import summary  # noqa: E402

KUNIT_LOG = """\
[    1.000000] KTAP version 1
[    1.000001] 1..1
[    1.000002]     KTAP version 1
[    1.000003]     # Subtest: hw_breakpoint
[    1.000004]     1..3
[    1.000005]     ok 1 test_one_cpu
[    1.000006]     not ok 2 test_many_cpus
[    1.000007]     ok 3 test_skipped # SKIP no CPUs
[    1.000008] # hw_breakpoint: pass:1 fail:1 skip:1 total:3
[    1.000009] not ok 1 hw_breakpoint
""".splitlines(True)

GUEST_LOG = """\
KTAP version 1
ok 1 V1.hw_breakpoint_test
not ok 2 V1.sw_breakpoint_test # exit 1
# hwbp: plan kgdbts end
""".splitlines(True)

SPLAT_LOG = """\
[    2.0] ------------[ cut here ]------------
[    2.1] WARNING: CPU: 1 PID: 1 at drivers/misc/kgdbts.c:882 run_simple_test+0x1/0x2
[    2.2] Call Trace:
[    2.3]  <TASK>
[    9.0] WARNING: inconsistent lock state
""".splitlines(True) + ["filler\n"] * 70 + """\
[   10.0] Call Trace:
[   10.1]  dump_stack_lvl+0x1/0x2
""".splitlines(True)


class Parser(unittest.TestCase):
    def test_kunit_nested_leaves_only(self):
        r = ktap.parse_results(KUNIT_LOG)
        self.assertEqual(r, [("hw_breakpoint.test_one_cpu", "pass", ""),
                             ("hw_breakpoint.test_many_cpus", "fail", ""),
                             ("hw_breakpoint.test_skipped", "skip", "no CPUs")])

    def test_flat_guest_results(self):
        r = ktap.parse_results(GUEST_LOG)
        self.assertEqual([(n, s) for n, s, _ in r],
                         [("V1.hw_breakpoint_test", "pass"),
                          ("V1.sw_breakpoint_test", "fail")])

    def test_splats_grouped(self):
        s = ktap.find_splats(SPLAT_LOG)
        self.assertEqual(len(s), 3, s)
        self.assertIn("kgdbts.c", s[0])          # its Call Trace is not separate
        self.assertEqual(s[1], "WARNING: inconsistent lock state")
        self.assertTrue(s[2].startswith("Call Trace: dump_stack_lvl"), s)

    def test_completed_needs_marker_and_status(self):
        ok = ktap.evaluate("kgdbts", GUEST_LOG, 1, [])
        self.assertIn(("kgdbts.completed", "pass", ""), ok)
        hung = dict((n, s) for n, s, _ in ktap.evaluate("kgdbts", GUEST_LOG[:2], 124, []))
        self.assertEqual(hung["kgdbts.completed"], "fail")

    def test_kernel_message_inside_a_line(self):
        # The CI of 925b6a1: a kernel message printed while /init wrote its
        # end marker (the guest's tty and the kernel's console share the
        # port), and a result split the same way (on a 6.12 guest with a
        # /dev/kmsg writer beside 300 results: 181 split, docs/testing.md).
        log = ["KTAP version 1",
               "ok 1 tty-line-1-abc[    3.25] traps: breakpoint_test[45] trap invalid opcode",
               "[    3.26] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2",
               "def",
               "# hwbp: plan sel[    3.27] second message",
               "ftests end"]
        r = {n: (s, d) for n, s, d in ktap.evaluate("selftests", log, 1, [])}
        self.assertEqual(r["selftests.completed"], ("pass", ""))
        self.assertEqual(r["selftests.tty-line-1-abcdef"][0], "pass")
        self.assertNotIn("selftests.tty-line-1-abc", r)
        self.assertEqual(r["selftests.no-unexpected-splats"][0], "fail")
        # A guest line that quotes the kernel log is no split: the result
        # after it keeps its own line.
        quoted = ["# [    1.00] KGDB: Registered I/O driver kgdboc", "ok 1 a",
                  "# [    1.01] kgdb: Waiting for connection", "# hwbp: plan p end"]
        self.assertEqual(ktap.unsplice(quoted), quoted)
        self.assertEqual([n for n, _, _ in ktap.evaluate("p", quoted, 1, [])][:2],
                         ["p.a", "p.completed"])

    def test_known_splat_excused_unknown_fails(self):
        import re
        known = [(re.compile(r"at drivers/misc/kgdbts\.c"), "pristine defect")]
        r = {n: (s, d) for n, s, d in ktap.evaluate("kgdbts", SPLAT_LOG, 1, known)}
        status, diag = r["kgdbts.no-unexpected-splats"]
        self.assertEqual(status, "fail")          # the lockdep one is not known
        self.assertIn("inconsistent lock state", diag)
        self.assertIn("known x1: pristine defect", diag)

    def test_kasan_and_slub_reports_fail(self):
        # make kasan: KASAN's header, and SLUB's (slub_debug=FZPU) which has
        # no colon after BUG; the boot banner is no report.
        log = ["[    0.000000] kasan: KernelAddressSanitizer initialized",
               "[   13.1] BUG: KASAN: slab-use-after-free in hw_breakpoint_slots_show+0x1/0x2",
               "[   20.2] BUG kmalloc-64 (Tainted: G    B   ): Redzone overwritten",
               "[   30.3] BUG perf_event (Not tainted): Poison overwritten"]
        s = ktap.find_splats(log)
        self.assertEqual(len(s), 3, s)
        r = {n: (st, d) for n, st, d in ktap.evaluate("gdb", log, 1, [])}
        self.assertEqual(r["gdb.no-unexpected-splats"][0], "fail")
        self.assertIn("KASAN", r["gdb.no-unexpected-splats"][1])

    def test_lockdep_marker(self):
        on = ["# hwbp: debug_locks 1 at plan begin", "# hwbp: debug_locks 1 at plan end"]
        r = {n: s for n, s, _ in ktap.evaluate("p", on, 1, [])}
        self.assertEqual(r["p.lockdep-on"], "pass")
        off = ["# hwbp: debug_locks 0 at plan begin", "# hwbp: debug_locks 0 at plan end"]
        r = {n: s for n, s, _ in ktap.evaluate("p", off, 1, [])}
        self.assertEqual(r["p.lockdep-on"], "fail")
        silent = ["# hwbp: debug_locks 1 at plan begin", "# hwbp: debug_locks 0 at plan end"]
        r = {n: s for n, s, _ in ktap.evaluate("p", silent, 1, [])}
        self.assertEqual(r["p.lockdep-on"], "fail")
        # No marker (make test): no case.
        self.assertNotIn("p.lockdep-on", {n for n, _, _ in ktap.evaluate("p", [], 1, [])})

    def test_roundtrip_ktap_file(self):
        import tempfile
        res = [("p.a", "pass", ""), ("p.b # x", "fail", "why # not"), ("p.c", "skip", "no")]
        with tempfile.NamedTemporaryFile("w+", suffix=".ktap") as f:
            ktap.write_ktap(f.name, [(n.replace(" # x", ""), s, d) for n, s, d in res])
            back = ktap.read_ktap(f.name)
        self.assertEqual([(n, s) for n, s, _ in back],
                         [("p.a", "pass"), ("p.b", "fail"), ("p.c", "skip")])


class Arm64(unittest.TestCase):
    """make ARCH=arm64: its own case names, its own completion rule."""

    def test_cases_named_by_arch(self):
        r = {n: s for n, s, _ in ktap.evaluate("kgdbts", GUEST_LOG, 0, [], "arm64")}
        self.assertEqual(r["arm64.kgdbts.V1.hw_breakpoint_test"], "pass")
        self.assertIn("arm64.kgdbts.no-unexpected-splats", r)
        # arm64's virt machine powers off (QEMU status 0): that, after the
        # plan's end marker, is the plan run to its end; x86's status 1 is not.
        self.assertEqual(r["arm64.kgdbts.completed"], "pass")
        r = {n: s for n, s, _ in ktap.evaluate("kgdbts", GUEST_LOG, 1, [], "arm64")}
        self.assertEqual(r["arm64.kgdbts.completed"], "fail")
        r = {n: s for n, s, _ in ktap.evaluate("kgdbts", GUEST_LOG[:2], 0, [], "arm64")}
        self.assertEqual(r["arm64.kgdbts.completed"], "fail")   # a panic's reboot

    def test_x86_known_splats_not_arm64s(self):
        plans = lambda p: ktap.load_known_splats(p)   # noqa: E731
        self.assertTrue(plans("kgdbts"))
        self.assertEqual(plans("arm64.kgdbts"), [])

    def test_config_fragment_follows_base(self):
        """Every option of base.config but x86's own is in arm64.config."""
        def options(name):
            with open(os.path.join(ktap.TOP, "configs", name)) as f:
                return {l.split("=")[0] for l in f if l.startswith("CONFIG_")}
        x86_only = {"CONFIG_ACPI", "CONFIG_X86_MPPARSE", "CONFIG_PCI",
                    "CONFIG_SERIAL_8250", "CONFIG_SERIAL_8250_CONSOLE",
                    "CONFIG_KERNEL_GZIP", "CONFIG_UNWINDER_FRAME_POINTER",
                    "CONFIG_X86_IOPL_IOPERM"}
        self.assertEqual(options("base.config") - x86_only - options("arm64.config"), set())


class Summary(unittest.TestCase):
    def test_xfail_xpass(self):
        xf = {"p.known": "reason", "p.fixed": "reason"}
        b = summary.classify([("p.ok", "pass", ""), ("p.known", "fail", ""),
                              ("p.fixed", "pass", ""), ("p.bad", "fail", "")], xf)
        self.assertEqual([n for n, _ in b["xfail"]], ["p.known"])
        self.assertEqual([n for n, _ in b["xpass"]], ["p.fixed"])
        self.assertEqual(summary.verdict_line(b), "1 passed, 2 failed, 1 xfailed")

    def test_host_side_counted_once(self):
        # run-plan.sh merges PLAN.host.ktap into plan-PLAN.ktap.
        with tempfile.TemporaryDirectory() as d:
            for name in ("plan-gdb.ktap", "gdb.host.ktap", "check-am.ktap"):
                open(os.path.join(d, name), "w").close()
            self.assertEqual([os.path.basename(p) for p in summary.result_files(d)],
                             ["check-am.ktap", "plan-gdb.ktap"])

    def test_expected_failures_file_has_reasons(self):
        xf = summary.load_xfail()          # raises on an entry without reason
        for case, reason in xf.items():
            self.assertTrue(reason, case)


def load_script(name):
    """scripts/NAME as a module (bench-table.py's name has a dash)."""
    import importlib.util
    path = os.path.join(ktap.TOP, "scripts", name)
    spec = importlib.util.spec_from_file_location(name.replace("-", "_")[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_bench_table():
    return load_script("bench-table.py")


# make bench's counting pass: pristine on 2 CPUs, patched as if both tasks
# of sched pipe shared a CPU (perf swapped their cloned contexts: 3 adds in
# 2000 round trips, as measured with taskset -c 0), one figure not countable.
COUNT_RAW = """\
pristine 1 bench sched-pipe-bp 160 usecs/op - 1
pristine 1 count sched-pipe-bp 2000 3994 3994 - 1
pristine 1 count switch-1cpu-perf 2000 4003 4003 - 1
pristine 1 count switch-1cpu-nobp 2000 0 0 - 1
patched 1 bench sched-pipe-bp 170 usecs/op onfirst 2
patched 1 count sched-pipe-bp 2000 3 3 onfirst 2
patched 1 count switch-1cpu-perf 2000 nan nan onfirst 2
patched 1 count switch-1cpu-nobp 2000 1 0 onfirst 2
"""


CALLGRIND_MD = """\
| scenario | entry point | one operation | Ir/op | mainline-equivalent | ratio (goal) | budget |
|---|---|---|---:|---:|---|---:|
| install | `hw_bp_sched_add` | add, a slot free | 112 | 23 | 4.87x (<= 2.00x: missed) | 130 |
| perf-only-install | `pmu_add` | add, key off | 25 | 23 | 1.09x (<= 1.10x: met) | 28 |
| mainline-install | `arch_install_hw_breakpoint` | x86 first-fit slot search | 23 |  |  |  |
"""


class CallgrindGates(unittest.TestCase):
    """scripts/callgrind.py: what fails make test's callgrind stage."""

    def run_gates(self, dumps, budget):
        """(exit code, KTAP lines) for @dumps {scenario: (calls, inclusive Ir)}
        of their entry points, n = 1000, against @budget {scenario: max}."""
        cg = load_script("callgrind.py")
        with tempfile.TemporaryDirectory() as d:
            for i, (name, (calls, ir)) in enumerate(dumps.items(), 1):
                entry = cg.SCENARIOS[name][0]
                with open(os.path.join(d, f"cg.{i}"), "w") as f:
                    f.write(f"desc: Trigger: Client Request: {name}\nfn=(1) main\n"
                            f"cfn=(2) {entry}\ncalls={calls} 0\n0 {ir}\n")
            with open(os.path.join(d, "budget"), "w") as f:
                f.write("".join(f"{k} {v}\n" for k, v in budget.items()))
            with contextlib.redirect_stdout(io.StringIO()):
                rc = cg.main(["callgrind.py", os.path.join(d, "cg"), "1000",
                              os.path.join(d, "budget"), os.path.join(d, "ktap"),
                              os.path.join(d, "md")])
            with open(os.path.join(d, "ktap")) as f:
                lines = f.read().splitlines()[1:]
        return rc, lines

    def test_within_budget_passes(self):
        rc, lines = self.run_gates({"perf-only-install": (1000, 25000),
                                    "mainline-install": (1000, 23000)},
                                   {"perf-only-install": 28})
        self.assertEqual(rc, 0, lines)

    def test_budgeted_scenario_without_dump_fails(self):
        rc, lines = self.run_gates({"perf-only-install": (1000, 25000),
                                    "mainline-install": (1000, 23000)},
                                   {"perf-only-install": 28, "switch-4": 890})
        self.assertEqual(rc, 1)
        self.assertIn("not ok 2 callgrind.switch-4 # budgeted (890), not measured: no dump of it",
                      lines)

    def test_gated_goal_without_baseline_fails(self):
        for base in ({}, {"mainline-install": (0, 0)}):
            rc, lines = self.run_gates(dict({"perf-only-install": (1000, 25000)}, **base),
                                       {"perf-only-install": 28})
            self.assertEqual(rc, 1, lines)
            self.assertTrue(lines[0].startswith("not ok 1 callgrind.perf-only-install # 25 Ir/op "
                                                "(no mainline-install measured"), lines)

    def test_baseline_with_wrong_calls_fails(self):
        rc, lines = self.run_gates({"perf-only-install": (1000, 25000),
                                    "mainline-install": (999, 23000)},
                                   {"perf-only-install": 28})
        self.assertEqual(rc, 1)
        self.assertIn("not ok 2 callgrind.mainline-install # 23 Ir/op: 999 calls, not 1000",
                      lines)

    def test_gated_goal_missed_fails(self):
        rc, lines = self.run_gates({"perf-only-install": (1000, 26000),
                                    "mainline-install": (1000, 23000)},
                                   {"perf-only-install": 28})
        self.assertEqual(rc, 1)
        self.assertIn("goal <= 1.10x: missed", lines[0])


class BenchCounts(unittest.TestCase):
    def test_callgrind_columns_by_header(self):
        import tempfile
        bt = load_bench_table()
        with tempfile.NamedTemporaryFile("w", suffix=".md") as f:
            f.write(CALLGRIND_MD)
            f.flush()
            rows, _ = bt.load_callgrind(f.name)
        self.assertEqual([(r[0], r[3], r[4], r[5]) for r in rows],
                         [("install", 112, 23, 130), ("perf-only-install", 25, 23, 28),
                          ("mainline-install", 23, None, None)])

    def test_callgrind_whole_switch(self):
        bt = load_bench_table()
        md = CALLGRIND_MD + (
            "| uninstall | `pmu_del` | del | 94 | 22 | 4.27x | 110 |\n"
            "| mainline-uninstall | `arch_uninstall_hw_breakpoint` | search | 22 |  |  |  |\n"
            "| switch-4 | `switch4` | a switch of four | 771 | 185 | 4.17x | 890 |\n"
            "| mainline-switch-4 | `switch4` | mainline's | 185 |  |  |  |\n")
        with tempfile.NamedTemporaryFile("w", suffix=".md") as c:
            c.write(md)
            c.flush()
            b = bt.Bench(os.devnull, "", c.name, False)
            text = "\n".join(b.callgrind())
        self.assertIn("costs 771 against 185 through mainline's pmu->del/add (4.17x), "
                      "more than 4 x (112 + 94)", text)
        # The four-breakpoint figures' core Ir/op from the whole switch,
        # per four dels counted; the others from install and uninstall.
        b.count_info = {n: [("patched", [8.0, 8.2], [8.0, 8.2], "", None),
                            ("pristine", [8.0], [8.0], "", None)]
                        for n in ("switch-1cpu-perf4", "switch-1cpu-perf")}
        self.assertEqual(b.ir_per_op("switch-1cpu-perf4"), (8.1 / 4 * 771, 8.0 / 4 * 185))
        # Issue 13's 2x goal with its verdict, and the contended paths
        # against their figures before the fast path.
        goals = {g[0].split(" (")[0]: g for g in b.goals}
        on = goals["scheduler on, uncontended pmu->add/del and a whole switch"]
        self.assertEqual(on[2:], ("`install` 112 vs 23 (4.87x); `uninstall` 94 vs 22 (4.27x); "
                                  "`switch-4` 771 vs 185 (4.17x)", "exact", "missed"))
        self.assertTrue(any(m.startswith("- scheduler on, uncontended (4.87x > 2.00)")
                            for m in b.misses))
        b.cg.append(("evict", "`x`", "x", 464, None, 530))
        b.goals, b.misses = [], []
        b.callgrind()
        goals = {g[0].split(" (")[0]: g for g in b.goals}
        self.assertEqual(goals["contended paths"][2:], ("`evict` 464 vs 710", "exact", "met"))
        b.cg[-1] = ("evict", "`x`", "x", 800, None, 900)
        b.goals, b.misses = [], []
        b.callgrind()
        goals = {g[0].split(" (")[0]: g for g in b.goals}
        self.assertEqual(goals["contended paths"][2:], ("`evict` 800 vs 710", "exact", "missed"))
        self.assertEqual(b.ir_per_op("switch-1cpu-perf"), (8.1 * 112 + 8.1 * 94, 8.0 * 23 + 8.0 * 22))

    def test_perfonly_same_intent(self):
        bt = load_bench_table()
        self.assertEqual(bt.intended("switch-1cpu-perf-perfonly"),
                         bt.intended("switch-1cpu-perf"))

    def table(self):
        import tempfile
        bt = load_bench_table()
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(COUNT_RAW)
            f.flush()
            b = bt.Bench(f.name, "", "", False)
            b.main_table()
        return bt, b

    def test_count_tolerance(self):
        bt = load_bench_table()
        self.assertTrue(bt.count_ok(2.01, 2))
        self.assertFalse(bt.count_ok(0.0015, 2))      # swapped contexts
        self.assertFalse(bt.count_ok(4.0, 2))
        self.assertTrue(bt.count_ok(0.0, 0))
        self.assertFalse(bt.count_ok(0.5, 0))

    def test_cases(self):
        _, b = self.table()
        got = {n: s for n, s, _ in b.count_cases}
        self.assertEqual(got["bench.count.pristine.sched-pipe-bp"], "pass")
        self.assertEqual(got["bench.count.patched.sched-pipe-bp"], "fail")
        self.assertEqual(got["bench.count.patched.switch-1cpu-perf"], "fail")   # not countable
        self.assertEqual(got["bench.count.patched.switch-1cpu-nobp"], "pass")   # 1/2000 <= 0.01
        self.assertEqual(got["bench.count.pristine.switch-1cpu-perf"], "pass")

    def test_dr7_switch_table(self):
        import tempfile
        bt = load_bench_table()
        with tempfile.NamedTemporaryFile("w", suffix=".ktap") as f:
            f.write("KTAP version 1\n"
                    "# switch 1+1: 3 writes (DR7 2, address 1); mainline 3 (DR7 2, address 1)\n"
                    "# switch 4+4 same: 12 writes (DR7 8, address 4); mainline 12 (DR7 8, address 4)\n"
                    "ok 1 x86-dr7.switch-writes\n")
            f.flush()
            rows = bt.load_dr7(f.name)
            b = bt.Bench(os.devnull, "", "", False, f.name)
        self.assertEqual(rows, [("1+1", 3, "DR7 2, address 1", 3, "DR7 2, address 1"),
                                ("4+4 same", 12, "DR7 8, address 4", 12, "DR7 8, address 4")])
        table = "\n".join(b.dr7_table())
        self.assertIn("| 1+1 | 3 (DR7 2, address 1) | 3 (DR7 2, address 1) | +0 | 1 (", table)
        self.assertIn("| 4+4 same | 12 (DR7 8, address 4) | 12 (DR7 8, address 4) | +0 | 0 |", table)
        self.assertEqual(b.dr7_summary(), "1+1: 3 vs 3; 4+4 same: 12 vs 12")
        self.assertEqual(bt.load_dr7("/nonexistent"), [])

    def test_onoff_interval(self):
        import tempfile
        bt = load_bench_table()
        raw = "".join(f"pristine {r} bench sched-pipe-bp {150 + r} usecs/op - {3 * r}\n"
                      f"patched {r} bench sched-pipe-bp {160 + r} usecs/op onfirst {3 * r + 1}\n"
                      f"patched {r} bench sched-pipe-bp-preempt0 {158 + r} usecs/op onfirst {3 * r + 1}\n"
                      for r in range(1, 5))
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(raw)
            f.flush()
            b = bt.Bench(f.name, "", "", False)
            row = [l for l in b.main_table() if l.startswith("| sched-pipe-bp |")][0]
        # on/off: the paired median, its 95% interval, then the range.
        self.assertRegex(row, r"\| 1\.01\d \[1\.01\d, 1\.01\d\] \(1\.01\d-1\.01\d\) \|")

    def test_perf_only_switch_path(self):
        import tempfile
        bt = load_bench_table()
        md = CALLGRIND_MD + ("| perf-only-uninstall | `pmu_del` | del, key off | 24 | 22 | 1.09x | 27 |\n"
                             "| mainline-uninstall | `arch_uninstall_hw_breakpoint` | search | 22 |  |  |  |\n")
        with tempfile.NamedTemporaryFile("w", suffix=".ktap") as k, \
                tempfile.NamedTemporaryFile("w", suffix=".md") as c:
            k.write("KTAP version 1\n"
                    "#   switch 1+1: patched 262, pristine 165 Ir\n"
                    "#   switch 4+4 same: patched 600, pristine 627 Ir\n")
            k.flush()
            c.write(md)
            c.flush()
            self.assertEqual(bt.load_dr7_cost(k.name),
                             [("1+1", 1, 262, 165), ("4+4 same", 4, 600, 627)])
            b = bt.Bench(os.devnull, "", c.name, False, k.name)
            b.callgrind()
        row = [g for g in b.goals if g[0].startswith("perf only") and "whole x86 path" in g[0]]
        self.assertEqual(len(row), 1)
        # Issue 13's own 10% goal: the core's key-off path, a row of its own.
        core = [g for g in b.goals if "the core's pmu->add/del" in g[0]]
        self.assertEqual([g[2:] for g in core],
                         [("`perf-only-install` 25 vs 23 (1.09x); `perf-only-uninstall` 24 vs "
                           "22 (1.09x)", "exact", "met")])
        # The core's key-off overhead, 2 + 2 per breakpoint, on top of the arch's.
        self.assertEqual(row[0][2], "1+1: 266 vs 165 (1.61x); 4+4 same: 616 vs 627 (0.98x)")
        self.assertEqual(row[0][4], "missed")
        self.assertTrue(any(m.startswith("- perf-only switch path (1.61x") for m in b.misses))

    def test_goal_verdicts(self):
        _, b = self.table()
        rows = {g[0]: g[4] for g in b.goals}
        timing = [v for k, v in rows.items() if k.endswith("(`sched-pipe-bp`)")]
        self.assertEqual(len(timing), 1)
        self.assertTrue(timing[0].startswith("**invalid"), timing)
        counts = {k.split("`")[1]: v for k, v in rows.items() if "counted by the kernel" in k}
        self.assertIn("missed", counts["sched-pipe-bp"])
        self.assertIn("not countable", counts["switch-1cpu-perf"])
        self.assertEqual(counts["switch-1cpu-nobp"], "met")


def load_script(name):
    """A script of scripts/ with a '-' in its name, as a module."""
    import importlib.util
    path = os.path.join(ktap.TOP, "scripts", name)
    spec = importlib.util.spec_from_file_location(name.replace("-", "_")[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


DEMO_PRISTINE_LOG = """\
=== Kernel 6.1.192, 2 CPUs, 4 debug registers each
=== Step 1-4: perf fills every slot on every CPU, a tracer sets a ptrace breakpoint
  PASS perf-fills-all-slots # 2 CPUs x 4 breakpoints
  FAIL ptrace-set-dr0 # No space left on device
=== Step 5: kgdb (kgdbts V1) sets hardware breakpoints while perf holds every slot
  PASS demo.perf-counts-before # 1 2 3 4
[   12.000001] kgdb: Could not allocate hwbreakpoints
[   12.000002] Disabling the kernel debugger
[   12.100000] int3: 0000 [#1] PREEMPT SMP
[   12.200000] Kernel panic - not syncing: Fatal exception in interrupt
""".splitlines(True)


class SeriesTools(unittest.TestCase):
    """scripts/cover-letter.py (subject tags, results table) and
    scripts/demo-report.py (the demo's logs)."""

    def test_subject_tags(self):
        cl = load_script("cover-letter.py")
        m = cl.TAG.match("[PATCH 3/33] perf/core: x")
        self.assertEqual((m.group(1), m.group(2), m.group(3), m.group(4)),
                         ("PATCH", "3", "33", "perf/core: x"))
        self.assertEqual(cl.TAG.match("[PATCH v2 03/33] y").group(2, 3), ("03", "33"))
        self.assertEqual(cl.TAG.match("[RFC PATCH 1/2] z").group(1), "RFC PATCH")
        self.assertIsNone(cl.TAG.match("[PATCH] w"))

    def test_tags_follow_series_position(self):
        cl = load_script("cover-letter.py")
        p = [("a", "x", "PATCH", 1, 3, "s"), ("b", "x", "PATCH", 3, 3, "s"),
             ("c", "x", None, None, None, "s"), ("d", "x", "PATCH", 4, 4, "s")]
        self.assertEqual([ok for _, ok, _ in cl.check_tags(p)], [False, False, False, True])
        p = [("a", "x", "PATCH", 1, 2, "s"), ("b", "x", "PATCH", 2, 2, "s")]
        self.assertTrue(all(ok for _, ok, _ in cl.check_tags(p)))

    def test_compare_totals_and_regressions(self):
        import tempfile
        cl = load_script("cover-letter.py")
        text = (f"{'case':<60} {'pristine':>8} {'patched':>8}\n"
                f"{'kgdb.a':<60} {'ok':>8} {'FAIL':>8} *\n"
                f"{'kgdb.b':<60} {'FAIL':>8} {'ok':>8} *\n\n"
                "kgdb         pristine 1/2 passed   patched 1/2 passed\n"
                "gdb-hotplug-late pristine 0/3 passed   patched 3/3 passed\n")
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(text)
            f.flush()
            t = "\n".join(cl.table_from_compare(f.name))
        self.assertTrue(t.startswith(cl.TABLE_HEAD))
        self.assertIn("gdb-hotplug-late", t)
        self.assertIn("1/5", t)		# pristine, all plans
        self.assertIn("not on patched: kgdb.a (FAIL)", t.replace("\n", " "))

    def test_readme_table_fallback(self):
        cl = load_script("cover-letter.py")
        t = cl.table_from_readme(os.path.join(ktap.TOP, "README.md"))
        self.assertTrue(t and t[0].startswith(cl.TABLE_HEAD + "README.md"))
        self.assertTrue(all(len(l) <= cl.WIDTH for l in t if " " in l.strip()))

    def test_demo_pristine_panic(self):
        dr = load_script("demo-report.py")
        d = dr.parse("pristine", DEMO_PRISTINE_LOG)
        self.assertFalse(d["ended"])
        self.assertEqual(d["kernel"], "6.1.192")
        self.assertEqual(dr.cell(d, "Step 1-4", "ptrace-set-dr0", "-", "refused"),
                         "refused (ENOSPC)")
        self.assertIn("kernel panic", dr.kgdb_cell(d))
        self.assertEqual(len(d["said"]), 4)
        self.assertEqual(dr.missing(d, "Step 5"), "- (kernel dead)")


KCSAN_LOG = """\
[    0.49] kcsan: strict mode configured
[    1.57] kcsan: selftest: 4/4 tests passed
[   19.30] ==================================================================
[   19.30] BUG: KCSAN: data-race in debugger_want / hw_bp_sched_del
[   19.30] 
[   19.30] write (marked) to 0xffff88803ed26340 of 4 bytes by interrupt on cpu 1:
[   19.30]  debugger_want+0x14d/0x1d6
[   19.30] 
[   19.30] read to 0xffff88803ed26340 of 4 bytes by task 32 on cpu 1:
[   19.30]  hw_bp_sched_del+0x29/0xd4
[   19.34] ==================================================================
[   44.99] ==================================================================
[   44.99] BUG: KCSAN: data-race in __hrtimer_run_queues / hrtimer_active
[   44.99] ==================================================================
"""


class KcsanVerdict(unittest.TestCase):
    """scripts/kcsan-verdict.py: make kcsan fails on any report."""

    def run_verdict(self, log, config):
        import tempfile
        kv = load_script("kcsan-verdict.py")
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "config")
            with open(cfg, "w") as f:
                f.write(config)
            lp = os.path.join(d, "fuzz-guest.log")
            with open(lp, "w") as f:
                f.write(log)
            out = os.path.join(d, "res")
            with open(os.devnull, "w") as null:
                old, sys.stdout = sys.stdout, null
                try:
                    rc = kv.main(["kv", "--series", cfg, out, f"fuzz-guest={lp}"])
                finally:
                    sys.stdout = old
            r = {n: (st, dg) for n, st, dg in ktap.read_ktap(os.path.join(out, "kcsan.ktap"))}
            with open(os.path.join(out, "kcsan.txt")) as f:
                txt = f.read()
        return rc, r, txt

    STRICT = ("CONFIG_KCSAN=y\nCONFIG_KCSAN_STRICT=y\nCONFIG_KCSAN_WEAK_MEMORY=y\n"
              "CONFIG_KCSAN_INTERRUPT_WATCHER=y\n")

    def test_reports_fail_and_are_tagged(self):
        rc, r, txt = self.run_verdict(KCSAN_LOG, self.STRICT)
        self.assertEqual(rc, 1)
        self.assertEqual(r["kcsan.strict-config"][0], "pass")
        self.assertEqual(r["kcsan.fuzz-guest.enabled"][0], "pass")
        self.assertEqual(r["kcsan.fuzz-guest.no-reports"][0], "fail")
        self.assertIn("2 reports, 2 distinct", r["kcsan.fuzz-guest.no-reports"][1])
        self.assertIn("[series]\tdata-race in debugger_want", txt)
        self.assertIn("[elsewhere]\tdata-race in __hrtimer_run_queues", txt)

    def test_known_upstream_race_excused_series_never(self):
        import re
        saved = ktap.load_known_splats
        # An entry matching both: only the report outside the series goes.
        ktap.load_known_splats = lambda plan: [(re.compile("KCSAN: data-race in"), "upstream")]
        try:
            rc, r, txt = self.run_verdict(KCSAN_LOG, self.STRICT)
            self.assertEqual(rc, 1)
            d = r["kcsan.fuzz-guest.no-reports"][1]
            self.assertIn("1 not known: data-race in debugger_want", d)
            self.assertIn("known upstream: data-race in __hrtimer_run_queues", d)
            log = "".join(x + "\n" for x in KCSAN_LOG.splitlines()
                          if "debugger_want" not in x and "0x" not in x)
            rc, r, _ = self.run_verdict(log, self.STRICT)
            self.assertEqual(rc, 0, r)
        finally:
            ktap.load_known_splats = saved

    def test_clean_strict_run_passes(self):
        log = "".join(x + "\n" for x in KCSAN_LOG.splitlines()[:2])
        rc, r, _ = self.run_verdict(log, self.STRICT)
        self.assertEqual(rc, 0, r)

    def test_non_strict_config_fails(self):
        log = "".join(x + "\n" for x in KCSAN_LOG.splitlines()[:2])
        rc, r, _ = self.run_verdict(log, "CONFIG_KCSAN=y\nCONFIG_KCSAN_REPORT_VALUE_CHANGE_ONLY=y\n")
        self.assertEqual(rc, 1)
        self.assertIn("KCSAN_STRICT", r["kcsan.strict-config"][1])


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    print("KTAP version 1")
    n = 0
    failed = 0
    for group in suite:
        for test in group:
            n += 1
            r = unittest.TestResult()
            test.run(r)
            name = "selftest." + test.id().split(".", 1)[1]
            if r.wasSuccessful():
                print(f"ok {n} {name}")
            else:
                failed += 1
                print(f"not ok {n} {name}")
                for _, tb in r.failures + r.errors:
                    sys.stderr.write(tb)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
