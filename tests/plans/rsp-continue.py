#!/usr/bin/env python3
"""The continue half of the gdb-stepover plan, in raw remote protocol.

    rsp-continue.py PORT STORE WATCH FUNC SECONDS

gdb cannot send it: at a watchpoint stop on arm64 (watchpoints that stop
before the access) gdb removes its watchpoints and steps ("s") before it
reports the stop, so it never continues ("c") from inside the kernel's
step over a breakpoint hit.  This client does, over kgdboc, with kgdb
stopped by the guest's sysrq-g:

  Z1 STORE (the instruction that writes WATCH), Z2 WATCH, c: the guest's
  write stops at STORE (hwbreak); z1, c: arm64 steps over that hit, and
  the store, inside that step, stops at WATCH (watch:); z2, Z1 FUNC, c:
  the continue from inside the step-over.  The guest's next two writes
  each stop at FUNC (kgdb re-plants its own breakpoints as it leaves, so
  these stop either way), then z1, D.  Whether the step-over ended is
  the guest's check: a perf breakpoint on that CPU counts every hit, not
  one (a step-over still "active" turns each hit's breakpoint off).

Prints one KTAP line per check ("ok NAME # DIAG" / "not ok NAME # DIAG").
"""
import socket
import sys
import time


class Rsp:
    def __init__(self, port, deadline):
        self.deadline = deadline
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def _read(self):
        left = self.deadline - time.time()
        if left <= 0:
            raise TimeoutError("no reply in time")
        self.sock.settimeout(min(left, 5))
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return
        if not data:
            raise ConnectionError("kgdboc closed the connection")
        self.buf += data

    def packet(self):
        """The next packet's payload (acked); console noise is skipped."""
        while True:
            start = self.buf.find(b"$")
            if start >= 0:
                end = self.buf.find(b"#", start)
                if end >= 0 and len(self.buf) >= end + 3:
                    payload = self.buf[start + 1:end]
                    self.buf = self.buf[end + 3:]
                    self.sock.sendall(b"+")
                    return payload.decode("latin-1")
            self._read()

    def send(self, payload):
        csum = sum(payload.encode()) & 0xFF
        self.sock.sendall(b"$%s#%02x" % (payload.encode(), csum))

    def command(self, payload):
        self.send(payload)
        return self.packet()


def result(ok, name, diag=""):
    print("%s %s%s" % ("ok" if ok else "not ok", name, " # " + diag if diag else ""),
          flush=True)
    return ok


def stop_field(reply, key):
    """VALUE of KEY:VALUE in a T stop reply, or None."""
    for field in reply[3:].split(";"):
        if field.startswith(key + ":"):
            return field[len(key) + 1:]
    return None


def pc_of(rsp):
    """The stopped CPU's pc: arm64's register 32, little-endian hex."""
    raw = rsp.command("p20")
    try:
        return int.from_bytes(bytes.fromhex(raw), "little")
    except ValueError:
        return None


def main():
    port, store, watch, func = (int(a, 0) for a in sys.argv[1:5])
    rsp = Rsp(port, time.time() + float(sys.argv[5]))
    rsp.command("qSupported:hwbreak+")
    first = rsp.command("?")
    result(first[:1] in ("S", "T"), "rsp.connects", "stop reply %s" % first[:24])
    for pkt in ("Z1,%x,4" % store, "Z2,%x,4" % watch):
        if not result(rsp.command(pkt) == "OK", "rsp.insert", pkt):
            return
    stop = rsp.command("c")
    pc = pc_of(rsp)
    result(pc == store and "hwbreak" in stop, "rsp.hbreak-stops-at-store",
           "stop reply %s pc %s" % (stop[:40], hex(pc or 0)))
    rsp.command("z1,%x,4" % store)
    stop = rsp.command("c")
    got = stop_field(stop, "watch")
    if not result(got is not None and int(got, 16) == watch, "rsp.watch-stops-inside-step-over",
                  "stop reply %s" % stop[:40]):
        return
    rsp.command("z2,%x,4" % watch)
    rsp.command("Z1,%x,4" % func)
    # The continue half: "c" from inside the kernel's step over STORE.
    hits = 0
    for n in (1, 2):
        try:
            stop = rsp.command("c")
        except (TimeoutError, ConnectionError) as e:
            result(False, "rsp.after-continue-stop-%d" % n,
                   "no stop at the breakpoint (%s): the step-over left it off" % e)
            result(False, "rsp.stops-after-continue", "%d of 2 stops" % hits)
            return
        pc = pc_of(rsp)
        ok = pc == func
        hits += ok
        result(ok, "rsp.after-continue-stop-%d" % n, "pc %s" % hex(pc or 0))
    rsp.command("z1,%x,4" % func)
    # kgdb resends a reply until it is acked: read (and ack) the OK.
    rsp.command("D")
    result(hits == 2, "rsp.stops-after-continue", "%d of 2 stops" % hits)


if __name__ == "__main__":
    try:
        main()
    except (OSError, TimeoutError, ConnectionError) as e:
        result(False, "rsp.session", str(e))
