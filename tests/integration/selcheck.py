#!/usr/bin/env python3
"""selcheck.py: every SEL entry of every simulated BMC stored exactly once.

    selcheck.py WHAT BEFORE AFTER DB

The truth is bmcsim's own record of each BMC's SEL (--sel-dump, JSON lines:
"bmc", "clear_sel", "entries" of {"id", "raw"}), not anything bmcfleet
decodes.  BEFORE was dumped before the last collector run started, AFTER
once it had ended; DB holds the database's rows, "name|raw hex" (sel_event
joined with bmc).

Why two dumps: bmcsim's SEL grows with time (a scheduled event every 2..10
simulated minutes, power events), so an entry can be logged while the last
sweep runs, after the collector read that BMC; no correct collector can
have it.  An entry already in BEFORE was on the BMC before the last sweep
started, so whatever happened earlier (a database outage, a killed
collector), the last sweep had to leave it stored: each one is required
exactly once, and this requirement hides no loss.  An entry that is only in
AFTER ("late") may be stored or not, but never twice.  A stored row that is
not in AFTER is an event the BMC never logged.

bmcsim's log does not wrap: a full log drops new events (overflow), so
every entry stays put once logged, and AFTER must begin with BEFORE, entry
for entry.  A Clear SEL (clear_sel counts them) restarts record IDs at 1
and the earlier entries are gone from the BMC: the dumps no longer say what
must be stored, so a BMC cleared between or before the dumps is a failure
of the check, not a pass.  Dead BMCs are compared like any other: use this
only on fleets whose BMCs all answer.

    selcheck.py --self-test

checks the checker on hand-made dumps (a loss, a double, a late entry, a
stray row, a clear, nothing to compare) and exits 0 only if each verdict
is the expected one.

Per-host problems go to stdout (the first 20), then one line of totals:
  "WHAT: N hosts, N entries expected, N stored, N lost, N doubled; N late
   (N of them stored), N stored rows not on the BMC"
Exit status 1 on any problem, or when no entry was compared.
"""
import collections
import json
import os
import sys
import tempfile


def load(path):
    """{bmc: (clear_sel, [raw hex, ...] in record ID order)}"""
    out = {}
    with open(path) as f:
        for line in f:
            h = json.loads(line)
            raws = [e["raw"] for e in h["entries"]]
            for i, e in enumerate(h["entries"]):
                # the record ID is the entry's first two bytes, LE
                rid = int(e["raw"][2:4] + e["raw"][0:2], 16)
                if e["id"] != i + 1 or rid != e["id"] or len(e["raw"]) != 32:
                    sys.exit("%s: %s: entry %d malformed in the dump: %r" %
                             (path, h["bmc"], i + 1, e))
            if h["count"] != len(raws):
                sys.exit("%s: %s: count %d, %d entries" %
                         (path, h["bmc"], h["count"], len(raws)))
            out[h["bmc"]] = (h["clear_sel"], raws)
    return out


def check(what, before_path, after_path, db_path):
    before, after = load(before_path), load(after_path)
    db = collections.defaultdict(collections.Counter)
    with open(db_path) as f:
        for line in f:
            host, raw = line.rstrip("\n").split("|")
            db[host][raw] += 1

    bad = []
    expected = stored = lost = doubled = late = late_stored = stray = 0
    if set(before) != set(after):
        bad.append("the dumps name different BMCs")
    for host in sorted(after):
        if host not in before:
            continue
        (clr0, want), (clr1, now) = before[host], after[host]
        got = db.get(host, collections.Counter())
        if clr0 or clr1 or now[:len(want)] != want:
            bad.append("%s: SEL cleared or rewritten (clear_sel %d -> %d): "
                       "nothing to compare" % (host, clr0, clr1))
            continue
        for i, raw in enumerate(now):
            n = got.get(raw, 0)
            if i < len(want):
                expected += 1
                if n == 0:
                    lost += 1
                    bad.append("%s: entry %d (%s) lost" % (host, i + 1, raw))
                else:
                    stored += 1
            else:
                late += 1
                late_stored += n > 0
            if n > 1:
                doubled += 1
                bad.append("%s: entry %d (%s) stored %d times" %
                           (host, i + 1, raw, n))
        on_bmc = set(now)
        for raw, n in sorted(got.items()):
            if raw not in on_bmc:
                stray += n
                bad.append("%s: stored %s, not in the BMC's SEL" % (host, raw))
    for b in bad[:20]:
        print("  " + b)
    if len(bad) > 20:
        print("  ... and %d more" % (len(bad) - 20))
    print("%s: %d hosts, %d entries expected, %d stored, %d lost, %d doubled; "
          "%d late (%d of them stored), %d stored rows not on the BMC" %
          (what, len(after), expected, stored, lost, doubled, late,
           late_stored, stray))
    if expected == 0:
        print("%s: FAIL: no SEL entry compared" % what)
        return 1
    return 1 if bad else 0


def entry(rid, tag):
    return "%02x%02x02" % (rid & 0xff, rid >> 8) + "%026x" % tag


def self_test():
    """Each case: before, after ({bmc: (clear_sel, [raw])}), DB rows, and
    the exit status check must give."""
    a1, a2, a3 = entry(1, 0xa1), entry(2, 0xa2), entry(3, 0xa3)
    b1 = entry(1, 0xb1)
    one = {"h1": (0, [a1, a2]), "h2": (0, [b1])}
    grown = {"h1": (0, [a1, a2, a3]), "h2": (0, [b1])}
    ok_rows = [("h1", a1), ("h1", a2), ("h2", b1)]
    cases = [
        ("all stored", one, one, ok_rows, 0),
        ("a host with nothing stored", one, one, ok_rows[:2], 1),
        ("the last entry lost", one, one, [ok_rows[0], ok_rows[2]], 1),
        ("an entry stored twice", one, one, ok_rows + [("h2", b1)], 1),
        ("a row not on the BMC", one, one, ok_rows + [("h2", a3)], 1),
        ("late, not stored", one, grown, ok_rows, 0),
        ("late, stored", one, grown, ok_rows + [("h1", a3)], 0),
        ("late, stored twice", one, grown, ok_rows + [("h1", a3)] * 2, 1),
        ("an entry gone from the BMC", grown, one, ok_rows, 1),
        ("cleared", one, {"h1": (1, [a1]), "h2": (0, [b1])}, ok_rows, 1),
        ("nothing to compare", {"h1": (0, [])}, {"h1": (0, [])}, [], 1),
    ]
    d = tempfile.mkdtemp()
    failed = 0
    for name, before, after, rows, want in cases:
        paths = []
        for i, dump in enumerate((before, after)):
            paths.append(os.path.join(d, "dump%d" % i))
            with open(paths[-1], "w") as f:
                for bmc, (clr, raws) in sorted(dump.items()):
                    f.write(json.dumps({
                        "bmc": bmc, "clear_sel": clr, "count": len(raws),
                        "entries": [{"id": i + 1, "raw": r}
                                    for i, r in enumerate(raws)]}) + "\n")
        paths.append(os.path.join(d, "db"))
        with open(paths[-1], "w") as f:
            f.writelines("%s|%s\n" % r for r in rows)
        with open(os.devnull, "w") as null:
            saved, sys.stdout = sys.stdout, null
            try:
                got = check(name, *paths)
            finally:
                sys.stdout = saved
        if got != want:
            failed += 1
            print("selcheck self-test: %s: exit %d, expected %d" %
                  (name, got, want))
        for p in paths:
            os.unlink(p)
    os.rmdir(d)
    print("selcheck self-test: %d cases, %d wrong" % (len(cases), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    if len(sys.argv) != 5:
        sys.exit("usage: selcheck.py WHAT BEFORE AFTER DB | --self-test")
    sys.exit(check(*sys.argv[1:5]))
