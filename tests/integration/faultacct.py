#!/usr/bin/env python3
"""faultacct.py: faults.sh's arithmetic, kept out of bash.

    faultacct.py readings MODE STATS_A STATS_B STORED FAILS REFUSED FLINES
                 [KILLED]
    faultacct.py filter IN OUT NAMES
    faultacct.py --self-test

readings: the Get Sensor Readings bmcsim answered between two of its
--stats snapshots (its "readings" counter, per BMC, each request once
however often it was resent) against the readings stored with a time in
that window (STORED: "name|count" lines), per BMC:

    D = served - stored

D < 0 is a reading stored that bmcsim never served (or stored twice):
counted as "extra", always a failure.  A BMC failed in the window (FAILS:
"name|failed results") may have had one Get Sensor Reading in flight each
time (one request is outstanding per host: the driver's rule), answered
by bmcsim and never read by the collector; up to that many are "in
flight".  What is left is "lost", which must be 0.  MODE says what else
may explain it:

  plain    nothing else.
  refusal  the spool refused rows: the daemon said how many readings each
           refusal cost (REFUSED, summed from its log), but not of which
           BMC, so the sum is checked: sum(D) - REFUSED is what was in
           flight, at most one per failed host of the daemon's own sweep
           lines (FLINES, their "F failed" summed: the hosts stopped when
           the spool refused are among them, their results refused too).
           sum(D) < REFUSED is the daemon claiming more than went missing:
           "extra".
  kill     the daemon was killed with SIGKILL: rows not yet handed to the
           spool die with it (it hands them over at least once a second).
           A BMC with more missing than its failures explain is counted
           "unspooled" when it has no result stored from the killed run
           (KILLED: the names that do), "lost" otherwise: a host whose
           result was stored had its readings stored before it.

Prints "served S stored T refused R in-flight I unspooled U lost L extra
X" and exits 1 when L or X is not 0, or nothing was served.

filter: IN (bmcsim JSON lines, one BMC each) without the BMCs not named in
NAMES (one a line), to OUT: the SEL oracle over the BMCs it can judge.
"""
import json
import os
import sys
import tempfile


def served(path):
    with open(path) as f:
        return {d["bmc"]: d["readings"] for d in map(json.loads, f)
                if d}


def pairs(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                k, v = line.split("|")
                out[k] = int(v)
    return out


def account(mode, a, b, stored, fails, refused, flines, killed):
    """Returns (served, stored, refused, inflight, unspooled, lost, extra)."""
    tot_s = tot_t = inflight = unspooled = lost = extra = 0
    miss = 0
    for host in sorted(b):
        s = b[host] - a.get(host, 0)
        t = stored.get(host, 0)
        tot_s += s
        tot_t += t
        d = s - t
        if d < 0:
            extra += -d
            continue
        miss += d
        if mode == "refusal":
            continue
        f = fails.get(host, 0)
        inflight += min(d, f)
        if d > f:
            if mode == "kill" and host not in killed:
                unspooled += d - f
            else:
                lost += d - f
    for host in stored:
        if host not in b:
            extra += stored[host]
            tot_t += stored[host]
    if mode == "refusal":
        left = miss - refused
        if left < 0:
            extra += -left
        else:
            inflight = min(left, flines)
            lost = left - inflight
    else:
        refused = 0
    return tot_s, tot_t, refused, inflight, unspooled, lost, extra


def readings(argv):
    mode, sa, sb, st, fa, refused, flines = argv[:7]
    killed = set()
    if len(argv) > 7:
        with open(argv[7]) as f:
            killed = {l.strip() for l in f if l.strip()}
    r = account(mode, served(sa), served(sb), pairs(st), pairs(fa),
                int(refused), int(flines), killed)
    print("served %d stored %d refused %d in-flight %d unspooled %d "
          "lost %d extra %d" % r)
    return 1 if r[0] == 0 or r[5] or r[6] else 0


def filt(src, dst, names_path):
    with open(names_path) as f:
        names = {l.strip() for l in f if l.strip()}
    n = 0
    with open(src) as f, open(dst + ".tmp", "w") as o:
        for line in f:
            if json.loads(line)["bmc"] in names:
                o.write(line)
                n += 1
    os.rename(dst + ".tmp", dst)
    print(n)
    return 0


def self_test():
    a = {"h1": 10, "h2": 10, "h3": 0}
    b = {"h1": 20, "h2": 20, "h3": 5}
    cases = [
        # name, mode, stored, fails, refused, flines, killed, (lost, extra)
        ("all stored", "plain", {"h1": 10, "h2": 10, "h3": 5}, {}, 0, 0,
         set(), (0, 0)),
        ("one lost", "plain", {"h1": 9, "h2": 10, "h3": 5}, {}, 0, 0,
         set(), (1, 0)),
        ("one in flight at a failure", "plain", {"h1": 9, "h2": 10,
         "h3": 5}, {"h1": 1}, 0, 0, set(), (0, 0)),
        ("two missing, one failure", "plain", {"h1": 8, "h2": 10,
         "h3": 5}, {"h1": 1}, 0, 0, set(), (1, 0)),
        ("one stored too many", "plain", {"h1": 11, "h2": 10, "h3": 5},
         {}, 0, 0, set(), (0, 1)),
        ("a BMC nobody served", "plain", {"h1": 10, "h2": 10, "h3": 5,
         "h9": 1}, {}, 0, 0, set(), (0, 1)),
        ("refused, said", "refusal", {"h1": 2, "h2": 10, "h3": 5}, {}, 8,
         0, set(), (0, 0)),
        ("refused, one said too few", "refusal", {"h1": 2, "h2": 10,
         "h3": 5}, {}, 7, 0, set(), (1, 0)),
        ("refused, one in flight", "refusal", {"h1": 2, "h2": 10,
         "h3": 5}, {}, 7, 1, set(), (0, 0)),
        ("refused, said too many", "refusal", {"h1": 2, "h2": 10, "h3": 5},
         {}, 9, 0, set(), (0, 1)),
        ("killed, unspooled", "kill", {"h1": 2, "h2": 10, "h3": 5}, {}, 0,
         0, {"h2", "h3"}, (0, 0)),
        ("killed, a stored host short", "kill", {"h1": 10, "h2": 9,
         "h3": 5}, {}, 0, 0, {"h2", "h3"}, (1, 0)),
    ]
    bad = 0
    for name, mode, st, fa, ref, fl, k, want in cases:
        r = account(mode, a, b, st, fa, ref, fl, k)
        if (r[5], r[6]) != want:
            print("faultacct self-test: %s: lost %d extra %d, expected "
                  "%d %d" % (name, r[5], r[6], want[0], want[1]))
            bad = 1
    d = tempfile.mkdtemp()
    try:
        src, names, dst = (os.path.join(d, x) for x in ("in", "n", "out"))
        with open(src, "w") as f:
            f.write('{"bmc": "h1"}\n{"bmc": "h2"}\n')
        with open(names, "w") as f:
            f.write("h2\n")
        with open(os.devnull, "w") as null:
            so, sys.stdout = sys.stdout, null
            try:
                filt(src, dst, names)
            finally:
                sys.stdout = so
        with open(dst) as f:
            if f.read() != '{"bmc": "h2"}\n':
                print("faultacct self-test: filter kept the wrong BMCs")
                bad = 1
    finally:
        for x in os.listdir(d):
            os.unlink(os.path.join(d, x))
        os.rmdir(d)
    return bad


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) >= 9 and sys.argv[1] == "readings":
        return readings(sys.argv[2:])
    if len(sys.argv) == 5 and sys.argv[1] == "filter":
        return filt(*sys.argv[2:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
