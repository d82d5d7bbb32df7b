#!/usr/bin/env python3
"""The host side of the kdb plans: kdb's commands typed on kgdboc.

    kdb-drive.py SCENARIO PORT NM TRANSCRIPT SECONDS

NM is `nm -n -S vmlinux` (addresses of the symbols typed, and stop
addresses named, come from it).  Prints one KTAP line per check;
everything kdb printed goes to TRANSCRIPT.

Scenario bph (plan kdb).  The guest entered the debugger with sysrq-g
while perf holds every slot; its next steps are five getppid() calls and
a write of VAR (sysctl_perf_event_paranoid).  Here, at kdb's prompt:

  bph GETPPID; bph VAR dataw 4; go: the first getppid stops at its
  entry; ss: the step stops one instruction further; go: the next four
  calls stop at the entry again, and the go from each of those steps
  over the breakpoint at pc (kdb's delayed breakpoint, SSBPT): the
  breakpoint stays set, and the go from the fifth stop must stop in the
  code that writes VAR (a watchpoint stops before the store completes on
  arm64), not at getppid's entry again, which a go that trapped on its
  own breakpoint would; ss: the store runs and the step stops at the
  next instruction; bc *, go: the guest runs to its end.

Scenario unregister (plan kdb-unregister).  A debugger session while
kgdboc unregisters, after kgdb's exit began: on arm64 nothing keeps
sysrq-g or a breakpoint from entering the debugger then.  At the sysrq-g
prompt: bp at HWBP_KDB_STOP (kdb-unregister.host: right after
kgdb_hw_exit()'s drop IPI, before it hides and frees its events), go.
The guest unregisters kgdboc, and kgdb's exit stops there: bph on
sethostname (never called), bp on unregister_wide_hw_breakpoint instead
of the first, go: kgdb must refuse the bph ("failed to set breakpoint"),
or every CPU plants it on its way out, on an event freed a moment later.
The next stop, where the first events are freed: breakinfo[].pev must
all be NULL (kdb's mdr; NM from `nm -n -S` for breakinfo's size): a
session there must not reach them.  bc of that bp only, go (a bph kgdb
took stays planted as its event is freed): kgdboc comes back and
sysrq-g: bc *, bph on getppid, go: the guest's getppid stops there
(kgdb takes hardware breakpoints again), bc *, go: the guest runs to its
end.
"""
import bisect
import os
import re
import socket
import sys
import time

PROMPT = re.compile(rb"\[\d+\]kdb> $|kdb> $")
STOP = re.compile(r"due to (.*?) @ (0x[0-9a-f]+)")


class Kdb:
    def __init__(self, port, deadline, transcript):
        self.deadline = deadline
        self.out = open(transcript, "w")
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def _read(self, until):
        left = min(self.deadline, until) - time.time()
        if left <= 0:
            return False
        self.sock.settimeout(min(left, 1))
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return True
        if not data:
            raise ConnectionError("kgdboc closed the connection")
        self.out.write(data.decode("latin-1"))
        self.out.flush()
        self.buf += data
        return True

    def prompt(self, secs):
        """Everything up to kdb's next prompt; None if none came in time."""
        until = time.time() + secs
        while not PROMPT.search(self.buf):
            # kdb's pager stops long output at "more>": go on.
            if self.buf.endswith(b"more> "):
                self.sock.sendall(b" ")
                self.buf = self.buf[:-6]
            if not self._read(until):
                return None
        text, self.buf = self.buf.decode("latin-1"), b""
        return text

    def command(self, line, secs=20):
        self.sock.sendall(line.encode() + b"\r")
        return self.prompt(secs)


def result(ok, name, diag=""):
    diag = " ".join(diag.split())
    print("%s %s%s" % ("ok" if ok else "not ok", name, " # " + diag if diag else ""),
          flush=True)
    return ok


class Symbols:
    """Addresses (and sizes) from `nm -n -S vmlinux`, and names of code
    addresses."""

    def __init__(self, path):
        self.addr, self.size, self.addrs, self.names = {}, {}, [], []
        for line in open(path):
            f = line.split()
            if len(f) == 4:     # nm -S: a size before the type
                self.size.setdefault(f[3], int(f[1], 16))
                f = [f[0], f[2], f[3]]
            if len(f) != 3:
                continue
            self.addr.setdefault(f[2], int(f[0], 16))
            if f[1] in "tT":
                self.addrs.append(int(f[0], 16))
                self.names.append(f[2])

    def where(self, addr):
        if addr is None:
            return "no stop"
        i = bisect.bisect_right(self.addrs, addr) - 1
        return "%s+0x%x" % (self.names[i], addr - self.addrs[i]) if i >= 0 else hex(addr)

    def stop(self, reason, addr):
        """A stop, for a diagnostic: 'REASON at SYMBOL+OFF'."""
        return "%s at %s" % (reason, self.where(addr))


def last_words(text, none="no answer"):
    """The end of what kdb said, for a diagnostic."""
    return " ".join((text or none).split()[-12:])


def stop(text):
    """(reason, address) of the stop kdb reports in text."""
    m = STOP.search(text or "")
    return (m.group(1), int(m.group(2), 16)) if m else (None, None)


def first_prompt(kdb):
    """kdb's prompt at the session's start (it may have gone by before
    this connected: ask again)."""
    text = None
    for _ in range(20):
        text = kdb.command("")
        if text is not None:
            break
    return result(text is not None, "kdb-prompt", "" if text else "no kdb prompt on kgdboc")


def run_to_end(kdb, sym):
    """go: the guest runs to its end (and QEMU closes the socket): no stop
    in 20 s, or the end; with less time than that left, nothing was seen."""
    kdb.sock.sendall(b"go\r")
    watched = kdb.deadline - time.time() >= 20
    try:
        extra = kdb.prompt(20)
    except ConnectionError:
        extra, watched = None, True
    if not watched:
        result(False, "no-stop-after-bc", "no time left to watch")
        return
    reason, addr = stop(extra)
    result(extra is None, "no-stop-after-bc", "" if extra is None else
           sym.stop(reason, addr))
    result(True, "kdb-done")


def scenario_bph(kdb, sym):
    getppid, var = sym.addr["__arm64_sys_getppid"], sym.addr["sysctl_perf_event_paranoid"]
    if not first_prompt(kdb):
        return
    text = kdb.command("bph 0x%x" % getppid)
    if not result(text is not None and "BP #0" in text, "bph-instruction", text or "no answer"):
        return
    text = kdb.command("bph 0x%x dataw 4" % var)
    result(text is not None and "BP #1" in text, "bph-dataw", text or "no answer")
    # a watchpoint stops at the access: "due to Debug", not an oops
    text = kdb.command("go", 60)
    reason, addr = stop(text)
    result(addr == getppid and reason == "Breakpoint", "go-stops-at-getppid",
           sym.stop(reason, addr))
    text = kdb.command("ss", 30)
    reason, addr = stop(text)
    result(addr == getppid + 4, "ss-steps-one-instruction",
           sym.stop(reason, addr))
    # The guest makes five calls: more stops at the entry than that are
    # a go that trapped on the breakpoint instead of stepping over it.
    hits = 1
    while True:
        text = kdb.command("go", 60)
        reason, addr = stop(text)
        if addr != getppid or reason != "Breakpoint" or hits > 8:
            break
        hits += 1
    result(hits == 5, "go-steps-over-breakpoint-at-pc",
           "%d stops at getppid's entry for its 5 calls" % hits)
    w = sym.where(addr)
    result(reason == "Debug" and re.match(r"(do_)?proc_dointvec|.*_minmax", w) is not None,
           "dataw-stops-on-write", "%s at %s" % (reason, w))
    # ss from the watchpoint's stop: the store runs (arm64 stops before
    # it) and the step stops at the next instruction, not on the
    # watchpoint again.
    store = addr if reason == "Debug" else None
    text = kdb.command("ss", 30)
    reason, addr = stop(text)
    result(store is not None and addr == store + 4 and reason == "SS trap",
           "ss-from-watchpoint-steps-the-store",
           sym.stop(reason, addr))
    kdb.command("bc *")
    run_to_end(kdb, sym)


# arm64's kgdb: KGDB_HW_NUM entries in breakinfo[], each ending with its
# events' per-CPU array (struct kgdb_hw_break's last field, pev).
KGDB_HW_NUM = 16 + 16


def hw_events(kdb, sym):
    """The non-NULL breakinfo[].pev, read with kdb's mdr: [(entry, value)]."""
    base, size = sym.addr["breakinfo"], sym.size["breakinfo"]
    each = size // KGDB_HW_NUM
    found = []
    for i in range(KGDB_HW_NUM):
        text = kdb.command("mdr 0x%x 8" % (base + i * each + each - 8)) or ""
        words = re.findall(r"^([0-9a-f]{16})\s*$", text, re.M)
        if not words:
            raise ValueError("mdr of breakinfo[%d].pev: %r" % (i, text[-80:]))
        value = int.from_bytes(bytes.fromhex(words[-1]), "little")  # bytes in memory order
        if value:
            found.append((i, "%x" % value))
    return found


def scenario_unregister(kdb, sym):
    stop_at = int(os.environ.get("HWBP_KDB_STOP") or "0", 0)
    unreg = sym.addr["unregister_wide_hw_breakpoint"]
    never = sym.addr["__arm64_sys_sethostname"]
    getppid = sym.addr["__arm64_sys_getppid"]
    if not first_prompt(kdb):
        return
    if not result(stop_at != 0, "stop-address", "HWBP_KDB_STOP: %s" % sym.where(stop_at or None)):
        return
    text = kdb.command("bp 0x%x" % stop_at)
    if not result(text is not None and "BP #0" in text, "bp-after-drop-ipi", text or "no answer"):
        return
    # The guest unregisters kgdboc: kgdb's exit stops after its drop IPI.
    text = kdb.command("go", 120)
    reason, addr = stop(text)
    if not result(addr == stop_at, "stop-while-kgdb-exits",
                  sym.stop(reason, addr)):
        return
    text = kdb.command("bph 0x%x" % never)
    result(text is not None and "BP #1" in text, "bph-typed", text or "no answer")
    # Next stop: where the first of the events is freed.
    kdb.command("bc 0")
    text = kdb.command("bp 0x%x" % unreg) or ""
    m = re.search(r"BP #(\d+)", text)
    if not result(m is not None, "bp-unregister-wide", text):
        return
    # kdb plants the bph on its way out, and says so if kgdb refuses.
    text = kdb.command("go", 120)
    refused = "failed to set breakpoint at 0x%x" % never in (text or "")
    result(refused, "bph-refused-while-kgdb-exits",
           "refused" if refused else "kgdb took it: " + last_words(text))
    reason, addr = stop(text)
    if result(addr == unreg, "stop-while-events-freed", sym.stop(reason, addr)):
        # A session now must find no events: they are about to be freed.
        seen = hw_events(kdb, sym)
        result(not seen, "events-hidden-while-freed",
               "" if not seen else "breakinfo[].pev set: " +
               ", ".join("%d: 0x%s" % e for e in seen))
    # The bph stays: had kgdb taken it, it stays planted while its event
    # is freed (the guest's slot-table checks).
    kdb.command("bc %s" % m.group(1))
    # The guest registers kgdboc again and sends sysrq-g.
    text = kdb.command("go", 120)
    if not result(text is not None and "due to Keyboard Entry" in text,
                  "sysrq-g-after-register-again",
                  last_words(text, "no kdb prompt")):
        return
    kdb.command("bc *")
    text = kdb.command("bph 0x%x" % getppid)
    result(text is not None and "BP #0" in text, "bph-after-register-again", text or "no answer")
    text = kdb.command("go", 60)
    reason, addr = stop(text)
    result(addr == getppid and reason == "Breakpoint", "bph-stops-after-register-again",
           sym.stop(reason, addr))
    kdb.command("bc *")
    run_to_end(kdb, sym)


SCENARIOS = {"bph": scenario_bph, "unregister": scenario_unregister}


def main():
    scenario, port = SCENARIOS[sys.argv[1]], int(sys.argv[2])
    sym = Symbols(sys.argv[3])
    kdb = Kdb(port, time.time() + float(sys.argv[5]), sys.argv[4])
    scenario(kdb, sym)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # any end before kdb-done fails the session
        result(False, "kdb-session", "%s: %s" % (type(e).__name__, e))
