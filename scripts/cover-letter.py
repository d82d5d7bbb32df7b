#!/usr/bin/env python3
"""Write the series' cover letter, docs/cover-letter.txt, from the series.

    cover-letter.py            write docs/cover-letter.txt (make cover-letter)
    cover-letter.py --check    KTAP: every patch's "[PATCH n/N]" subject tag
                               is right, and docs/cover-letter.txt is what
                               this script writes now; exit 1 if not
    cover-letter.py --stdout   print the letter instead of writing it

The letter is, in this order:
  - "Subject: [PATCH 00/N] TITLE" (N = the patches in series, TITLE from the
    Subject line of docs/cover-letter.in) and the hand-written prose of
    docs/cover-letter.in;
  - the results table: the per-plan totals of the latest `make compare`
    (build/results/compare.txt) when there is one, else the table of the
    committed letter (a patch changed, no compare run since), else the
    Results table of README.md; its first line says which;
  - the subjects of the patches in series order, without their "[PATCH n/N]"
    tags, under their author, as git format-patch --cover-letter lists them;
  - the diffstat of the whole series against the pristine tree: the patches
    applied in order with patch(1) (--fuzz=0, as quilt) to copies of the
    files they touch, then `diffstat -p1` of the net diff of those files.

The check (a gate of make test, scripts/check.sh series) must not need the
slow `make compare` (all plans on two kernels), and its result must not
depend on whether some earlier compare run left build/results/compare.txt on
this machine.  So it regenerates everything but the results table, which it
takes verbatim from the committed docs/cover-letter.txt: the subject's N, the
prose, the subjects and the diffstat must match exactly; the table is the
compare run the committer last had (or README's), refreshed by running
`make cover-letter` after `make compare`.  A patch added, dropped, reordered,
renamed or changed in its diff, or prose edited in docs/cover-letter.in
without `make cover-letter`, fails the check.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import textwrap

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The queue of one kernel version (make KVER=, scripts/lib.sh's HWBP_KVER):
# its letter is docs/cover-letter.txt for 6.1, docs/cover-letter-KVER.txt
# for another.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
KVER = ktap.KVER
QUEUE = os.path.join(TOP, "patches", KVER)
BUILD = ktap.build_dir()		# build/, or build/KVER/ for 6.12
PROSE = os.path.join(TOP, "docs", "cover-letter.in")
LETTER = os.path.join(TOP, "docs", "cover-letter.txt" if KVER == "6.1"
                      else f"cover-letter-{KVER}.txt")
README = os.path.join(TOP, "README.md")
COMPARE = os.path.join(BUILD, "results", "compare.txt")
PRISTINE = os.path.join(BUILD, "src", "pristine")
SCRATCH = os.path.join(BUILD, "check", "series", "applied")
WIDTH = 72

# "[PATCH n/N] summary", also "[PATCH v2 n/N]" or "[RFC PATCH n/N]".
TAG = re.compile(r"^\[((?:[^\]]*\s)?PATCH(?:\s[^\]]*?)?)\s+(\d+)/(\d+)\]\s*(.*)$")
TABLE_HEAD = "Results table: "


def series_patches():
    """Patch names in series order, as scripts/lib.sh series_patches()."""
    names = []
    with open(os.path.join(QUEUE, "series")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line.split()[0])
    return names


def mail_header(path):
    """{field: unfolded value} of the patch's mail header (first value wins)."""
    fields, last = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                break
            if line[0] in " \t" and last:
                fields[last] += " " + line.strip()
                continue
            m = re.match(r"^([A-Za-z-]+):\s?(.*)$", line)
            if m:
                last = m.group(1).lower()
                fields.setdefault(last, m.group(2).strip())
            else:
                last = None
    return fields


def read_patches(names):
    """[(name, author, tag, n, total, summary)]; tag None if there is none."""
    out = []
    for name in names:
        if not os.path.isfile(os.path.join(QUEUE, name)):
            out.append((name, "(missing)", None, None, None, ""))
            continue
        h = mail_header(os.path.join(QUEUE, name))
        subject = h.get("subject", "")
        author = re.sub(r"\s*<.*>$", "", h.get("from", "")).strip() or "(no From:)"
        m = TAG.match(subject)
        if m:
            out.append((name, author, m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)))
        else:
            out.append((name, author, None, None, None, re.sub(r"^\[[^\]]*\]\s*", "", subject)))
    return out


def check_tags(patches):
    """[(name, ok, diag)]: patch n of N says "[PATCH n/N]"."""
    total = len(patches)
    res = []
    for i, (name, author, tag, n, tot, summary) in enumerate(patches, 1):
        if author == "(missing)":
            res.append((name, False, f"series names it, no such file patches/{KVER}/{name}"))
        elif not summary:
            res.append((name, False, "no Subject: line"))
        elif tag is None:
            res.append((name, False, f"subject has no [PATCH {i}/{total}] tag"))
        elif (n, tot) != (i, total):
            res.append((name, False, f"[{tag} {n}/{tot}], want {i}/{total} "
                        "(position in series): scripts/renumber-series.sh --tags"))
        else:
            res.append((name, True, f"{i}/{total}"))
    return res


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=dict(os.environ, LC_ALL="C"), **kw)


def touched_files(path):
    files = []
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"^(?:---|\+\+\+) [ab]/(\S+)", line)
            if m and m.group(1) not in files:
                files.append(m.group(1))
    return files


def diffstat(names):
    """`diffstat -p1` of the net diff of the series against the pristine tree."""
    if not os.path.exists(os.path.join(PRISTINE, "Makefile")):
        sys.exit(f"cover-letter: no pristine tree in {PRISTINE} (make tree)")
    files = []
    for name in names:
        files += [f for f in touched_files(os.path.join(QUEUE, name)) if f not in files]
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    for f in files:
        src = os.path.join(PRISTINE, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(SCRATCH, f)), exist_ok=True)
            shutil.copyfile(src, os.path.join(SCRATCH, f))
    for name in names:
        r = run(["patch", "-p1", "-s", "-N", "-E", "--fuzz=0", "--no-backup-if-mismatch",
                 "-d", SCRATCH, "-i", os.path.join(QUEUE, name)])
        if r.returncode:
            sys.exit(f"cover-letter: {name} does not apply to the pristine tree "
                     f"after the patches before it:\n{r.stdout}")
    diff = []
    for f in sorted(files):
        old, new = os.path.join(PRISTINE, f), os.path.join(SCRATCH, f)
        r = run(["diff", "-u", "--label", f"a/{f}", "--label", f"b/{f}",
                 old if os.path.isfile(old) else "/dev/null",
                 new if os.path.isfile(new) else "/dev/null"])
        if r.returncode > 1:
            sys.exit(f"cover-letter: diff of {f} failed:\n{r.stdout}")
        diff.append(r.stdout)
    r = subprocess.run(["diffstat", "-p1", "-w", str(WIDTH)], input="".join(diff), text=True,
                       stdout=subprocess.PIPE, check=True, env=dict(os.environ, LC_ALL="C"))
    return [l.rstrip() for l in r.stdout.splitlines() if l.strip()]


def wrap(text, indent="", subsequent=None):
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent,
                         break_long_words=False, break_on_hyphens=False)


def table_from_compare(path):
    """The per-plan totals of compare.py's output, and the cases it shows
    passing on pristine but not on patched."""
    totals, worse = [], []
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        m = re.match(r"^(\S+)\s+pristine (\d+)/(\d+) passed\s+patched (\d+)/(\d+) passed$", line)
        if m:
            totals.append((m.group(1),) + tuple(int(x) for x in m.group(2, 3, 4, 5)))
            continue
        # A case row: NAME (60 wide), pristine mark, patched mark.
        cols = line[60:].split()
        if len(line) > 60 and len(cols) >= 2 and cols[0] == "ok" and cols[1] != "ok":
            worse.append(f"{line[:60].strip()} ({cols[1]})")
    if not totals:
        return None
    out = wrap(f"{TABLE_HEAD}the latest `make compare` ({os.path.relpath(COMPARE, TOP)}): "
               "every plan booted on the pristine and on the patched kernel "
               "(QEMU TCG, 2 CPUs), cases passed per plan:")
    out += ["", f"  {'plan':<20} {'pristine':>10} {'patched':>10}"]
    sums = [0, 0, 0, 0]
    for plan, p1, t1, p2, t2 in totals:
        out.append(f"  {plan:<20} {f'{p1}/{t1}':>10} {f'{p2}/{t2}':>10}")
        sums = [a + b for a, b in zip(sums, (p1, t1, p2, t2))]
    out.append(f"  {'all plans':<20} {f'{sums[0]}/{sums[1]}':>10} {f'{sums[2]}/{sums[3]}':>10}")
    out.append("")
    out += wrap("Cases that pass on pristine and not on patched: " +
                ("; ".join(worse) if worse else "none") + ".")
    out += wrap("The table case by case: `make compare`.")
    return out


def md_cells(row):
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def table_from_readme(path):
    """README.md's "## Results" table, one wrapped item per row."""
    with open(path) as f:
        lines = f.read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("## Results"))
    except StopIteration:
        return None
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append(md_cells(line))
    if len(rows) < 3:
        return None
    head, body = rows[0], [r for r in rows[2:] if len(r) >= 3]
    out = wrap(f"{TABLE_HEAD}README.md (there was no {os.path.relpath(COMPARE, TOP)} "
               "from `make compare` when this letter was generated), "
               f"{head[1]} vs {head[2]}:")
    for r in body:
        out.append("")
        out += wrap(r[0], " - ", "   ")
        out += wrap(f"{head[1]}: {r[1] or '-'}", "     ", "       ")
        out += wrap(f"{head[2]}: {r[2] or '-'}", "     ", "       ")
    return out


def committed_table():
    """The committed letter's results table, verbatim, or None: from the
    line that starts it to the line before the shortlog (an "Author (N):"
    line)."""
    if not os.path.exists(LETTER):
        return None
    lines = open(LETTER).read().splitlines(keepends=True)
    t0 = next((i for i, l in enumerate(lines) if l.startswith(TABLE_HEAD)), None)
    if t0 is None:
        return None
    t1 = next((i for i in range(t0, len(lines))
               if re.match(r"^\S.* \(\d+\):$", lines[i])), None)
    return "".join(lines[t0:t1 - 1]) if t1 else None


def results_table():
    """(lines, source) of the results table."""
    if os.path.exists(COMPARE):
        t = table_from_compare(COMPARE)
        if t:
            return t, os.path.relpath(COMPARE, TOP)
    t = committed_table()
    if t:
        return t.rstrip("\n").split("\n"), "the committed letter"
    t = table_from_readme(README)
    if not t:
        sys.exit(f"cover-letter: neither {os.path.relpath(COMPARE, TOP)} nor a Results table in README.md")
    return t, "README.md"


def read_prose():
    """(title, prose lines) of docs/cover-letter.in."""
    with open(PROSE) as f:
        lines = f.read().splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    if not lines or not lines[0].startswith("Subject: "):
        sys.exit(f"cover-letter: {PROSE} must start with a 'Subject: TITLE' line")
    title = lines.pop(0)[len("Subject: "):].strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return title, lines


def tested_version():
    """This version's TESTED_VERSION, as scripts/lib.sh says (6.1.192)."""
    with open(os.path.join(TOP, "scripts", "lib.sh")) as f:
        for line in f:
            m = re.match(r"^(\S+)\) TESTED_VERSION=(\S+) ;", line)
            if m and m.group(1) == KVER:
                return m.group(2)
    return KVER


# In the prose, {VERSION} is this version's kernel, and {NNNN} or
# {NNNN-MMMM} the places in this queue's series of the patches whose files
# start with those numbers (a queue may lack one: 6.12 has no 0002).  At
# the start of a line, the range fills the 7-column field of a patch list;
# such an entry is left out of a queue that has none of its patches.
PLACE = re.compile(r"\{(\d{4})(?:-(\d{4}))?\}")


def fill_prose(prose, names):
    pos = {n[:4]: i for i, n in enumerate(names, 1)}

    def places(m):
        lo, hi = m.group(1), m.group(2) or m.group(1)
        got = [pos[k] for k in sorted(pos) if lo <= k <= hi]
        if not got:
            sys.exit(f"cover-letter: no patch {m.group(0)} in patches/{KVER}/series")
        return str(got[0]) if got[0] == got[-1] else f"{got[0]}-{got[-1]}"

    out = []
    skip = False
    for line in prose:
        line = line.replace("{VERSION}", tested_version())
        m = re.match(r"^\{(\d{4})(?:-(\d{4}))?\}\s+", line)
        # An entry for patches this queue lacks (6.1 has no 0046) is left
        # out with its indented continuation lines.
        if skip and line.startswith(" ") and line.strip():
            continue
        skip = bool(m) and not any(m.group(1) <= k <= (m.group(2) or m.group(1)) for k in pos)
        if skip:
            continue
        if m:
            r = places(m)
            first = r.split("-")[0]
            field = " " * (2 - len(first)) + r
            line = field.ljust(7) + line[m.end():]
        out.append(PLACE.sub(places, line))
    return out


def render_parts(names):
    """(head, tail) of the letter: all but the results table between them."""
    patches = read_patches(names)
    missing = [p[0] for p in patches if p[1] == "(missing)"]
    if missing:
        sys.exit(f"cover-letter: series names {missing[0]}: no such file in patches/{KVER}/")
    title, prose = read_prose()
    prose = fill_prose(prose, names)
    total = len(patches)
    tags = {p[2] for p in patches if p[2]}
    tag = tags.pop() if len(tags) == 1 else "PATCH"
    zero = "0" * len(str(total))
    head = [f"Subject: [{tag} {zero}/{total}] {title}", ""] + prose + [""]
    tail = [""]
    authors = []
    for p in patches:
        if p[1] not in authors:
            authors.append(p[1])
    for a in authors:
        mine = [p for p in patches if p[1] == a]
        tail.append(f"{a} ({len(mine)}):")
        for p in mine:
            tail += wrap(p[5], "  ", "    ")
        tail.append("")
    tail += [" " + l.strip() if not l.startswith(" ") else l for l in diffstat(names)]
    return "\n".join(head) + "\n", "\n".join(tail) + "\n"


def main(argv):
    mode = argv[1] if len(argv) > 1 else "--write"
    names = series_patches()
    if mode == "--check":
        print("KTAP version 1")
        n = 0
        bad = 0
        for name, ok, diag in check_tags(read_patches(names)):
            n += 1
            bad += not ok
            print(f"{'ok' if ok else 'not ok'} {n} check.series.subject.{name} # {diag}")
        try:
            head, tail = render_parts(names)
        except SystemExit as e:	# a patch that does not apply, no tree
            print(f"not ok {n + 1} check.series.cover-letter # cannot generate: "
                  f"{str(e.code).splitlines()[0]}")
            sys.stderr.write(f"{e.code}\n")
            return 1
        cur = open(LETTER).read() if os.path.exists(LETTER) else ""
        table = committed_table() or f"{TABLE_HEAD}(none in the committed letter)\n"
        want = head + table + tail
        n += 1
        if cur == want:
            print(f"ok {n} check.series.cover-letter")
        else:
            bad += 1
            diff = list(difflib.unified_diff(cur.splitlines(), want.splitlines(),
                                             "docs/cover-letter.txt (committed)",
                                             "docs/cover-letter.txt (generated now)", lineterm="", n=1))
            sys.stderr.write("docs/cover-letter.txt is stale: run `make cover-letter` "
                             "(and commit it); what changed:\n")
            sys.stderr.write("\n".join(diff[:60]) + ("\n..." if len(diff) > 60 else "") + "\n")
            print(f"not ok {n} check.series.cover-letter # stale: run `make cover-letter` "
                  f"({len([l for l in diff if l[:1] in '+-' and l[:3] not in ('+++', '---')])} lines differ)")
        return 1 if bad else 0
    head, tail = render_parts(names)
    wrong = [name for name, ok, _ in check_tags(read_patches(names)) if not ok]
    if wrong and mode != "--stdout":
        print(f"[hwbp] warning: {len(wrong)} patch subject(s) do not say [PATCH n/N] for "
              f"their place in series (first: {wrong[0]}): scripts/renumber-series.sh --tags",
              file=sys.stderr)
    table, source = results_table()
    letter = head + "\n".join(table) + "\n" + tail
    if mode == "--stdout":
        sys.stdout.write(letter)
        return 0
    with open(LETTER + ".tmp", "w") as f:
        f.write(letter)
    os.replace(LETTER + ".tmp", LETTER)
    print(f"[hwbp] wrote {os.path.relpath(LETTER, TOP)}: {len(names)} patches, table from "
          f"{source}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
