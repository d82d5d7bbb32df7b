#!/usr/bin/env python3
"""The instructions of a kernel that write a debug register on a
breakpoint's install and uninstall path, as kprobe_events places them.

    dr-write-sites.py VMLINUX

Prints "SYMBOL+0xOFFSET dbN" per "mov %reg,%dbN" (x86).  make bench's
counting pass puts a kprobe on each and so counts, in the guest, the
debug-register writes of every context-switch figure (tests/plans/bench.sh).
The functions: those named for breakpoints (arch_install/uninstall_hw_
breakpoint, hw_breakpoint_restore) and the series' DR7 helpers (dr7_*,
dr_*).  The others (entry code, text_poke, cpu_init, kgdb) are either not
probeable (noinstr) or not on a context switch's path.
"""
import re
import subprocess
import sys

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
MOV_DR = re.compile(r"^\s*([0-9a-f]+):\s+mov\s+%\w+,%(db[0-7])\s*$")
WANTED = re.compile(r"hw_breakpoint|^dr7_|^dr_")


def sites(vmlinux):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", vmlinux],
                         check=True, capture_output=True, text=True).stdout
    fn, start = None, 0
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            fn, start = m.group(2), int(m.group(1), 16)
            continue
        m = MOV_DR.match(line)
        if m and fn and WANTED.search(fn):
            yield f"{fn}+{int(m.group(1), 16) - start:#x} {m.group(2)}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for s in sites(sys.argv[1]):
        print(s)
