#!/usr/bin/env python3
"""Copy named top-level C functions verbatim out of kernel sources.

    extract.py OUT.c [-x NAME]... FILE:NAME[,NAME?]...

NAME? is optional; a missing NAME is an error (exit 1).  Also copied: the
functions of the FILEs a copied one calls (transitively; not -x ones: the
shim has those) and every top-level DEFINE/DECLARE_PER_CPU, so helpers and
variables the tree adds are found by name; each behind a #line.  Each
function copied is announced by a #define EXTRACTED_NAME at the end, for
the driver's #ifdef (a NAME? the tree has).
"""
import re
import sys

IDENT_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
PERCPU = ("DEFINE_PER_CPU", "DECLARE_PER_CPU")
# Comments, strings, char literals, preprocessor lines (with continuations).
NOISE = re.compile(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'"
                   r"|^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.S | re.M)


def mask(text):  # noise blanked, same offsets: brackets can be counted
    return NOISE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def close(m, i, op, cl):  # index just past the bracket closing m[i]
    depth = 0
    for j in range(i, len(m)):
        depth += (m[j] == op) - (m[j] == cl)
        if depth == 0:
            return j + 1
    sys.exit(f"extract.py: unbalanced {op}{cl}")


def scan(path):
    """(text, masked, {function: (start, end)}, [per-CPU (start, end)]), top level only."""
    m = mask(text := open(path).read())
    funcs, percpu, pos = {}, [], 0
    for call in IDENT_CALL.finditer(m):
        i = call.start()
        if i < pos or m.count("{", 0, i) != m.count("}", 0, i):
            continue
        pos = close(m, call.end() - 1, "(", ")")
        # An item starts after the previous one: storage class, return type.
        start = max(m.rfind(";", 0, i), m.rfind("}", 0, i)) + 1
        start += len(m[start:]) - len(m[start:].lstrip())
        body = len(m) - len(m[pos:].lstrip())
        if m.startswith("{", body):        # a definition, not a prototype
            funcs[call.group(1)] = (start, close(m, body, "{", "}"))
            pos = funcs[call.group(1)][1]
        elif call.group(1) in PERCPU:
            percpu.append((start, m.index(";", pos) + 1))
    return text, m, funcs, percpu


def main(argv):
    out, files, take = argv[0], [], set()
    excl = {argv[i + 1] for i, a in enumerate(argv) if a == "-x"}
    for path, names in (a.split(":", 1) for a in argv[1:] if ":" in a):
        files.append((path, *scan(path)))
        for n in names.split(","):
            if n.rstrip("?") in files[-1][3]:
                take.add(n.rstrip("?"))
            elif not n.endswith("?"):
                sys.exit(f"extract.py: {n}() not found in {path}")
    bodies = {n: m[s:e] for _, _, m, funcs, _ in files for n, (s, e) in funcs.items()}
    todo = list(take)
    while todo:                            # the helpers they call, by name
        for n in IDENT_CALL.findall(bodies[todo.pop()]):
            if n in bodies and n not in excl | take:
                take.add(n)
                todo.append(n)
    with open(out, "w") as f:
        for path, text, m, funcs, percpu in files:
            for s, e in percpu + sorted(se for n, se in funcs.items() if n in take):
                f.write(f'#line {text.count(chr(10), 0, s) + 1} "{path}"\n{text[s:e]}\n')
        # What the tree has, for the driver's #ifdef: EXTRACTED_name.
        for n in sorted(take):
            f.write(f"#define EXTRACTED_{n} 1\n")


if __name__ == "__main__":
    main(sys.argv[1:])
