#!/usr/bin/env bash
# Direct mode's progress on a terminal is drawn by time, not by completions
# (it was every 16 completions: blank for 24 s, then frozen at 16/32).
#
#   30 bmcsim BMCs on 127.0.64.[1-30], 30-180 ms an answer, .3 dead;
#   --fanout 10 so the run lasts 2-4 s.  `power status` runs on a
#   pseudo-terminal (script(1)); the bytes it wrote must hold:
#   - several progress lines (one a 250 ms) before the results, whose
#     done counts move up and whose elapsed time grows;
#   - a last line "30/30 hosts done, 1 failed, 0 in flight", then the
#     line erased before the first result;
#   - the results (30 lines) all there, none on a progress line.
#   With stderr a file, and with -v (two hosts), no progress is drawn at all, and
#   stdout holds the results only.  `collect` (the database away, rows
#   spooled) draws its line by the same timer.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool script python3

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-progress.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 30 --base 127.0.64.1 --user admin --password s3cret-pw \
    --latency-ms 30 --jitter-ms 150 --seed 64 --dead 3 --quiet
export BMCFLEET_PASSWORD=s3cret-pw
HOSTS='127.0.64.[1-30]'
ARGS=(-H "$HOSTS" -U admin -E --fanout 10 --deadline 2s power status)

# on a terminal: script(1) gives bmcfleet a pty and copies what it wrote
printf -v cmd '%q ' "$BMCFLEET" "${ARGS[@]}"
t0=$(_lib_now_ms)
timeout -k 5 20 script -q -e -c "$cmd" /dev/null </dev/null >"$W/tty.raw"
rc=$?
t1=$(_lib_now_ms)
expect_eq "$rc" 1 "exit status (one dead BMC) on the terminal"
msg "run on the terminal took $((t1 - t0)) ms"

python3 - "$W/tty.raw" <<'PY' || fail "terminal output: see above"
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
ERASE = "\r\x1b[K"
# the results start at the first result line; progress is before it
first = raw.find("127.0.64.1: ")
if first < 0:
    sys.exit("no results in: %r" % raw[:400])
head, tail = raw[:first], raw[first:]
lines = [s for s in head.split(ERASE) if s]
pat = re.compile(r"^(\d+)/30 hosts done, (\d+) failed, (\d+) in flight, "
                 r"(\d+)\.(\d)s$")
got = []
for s in lines:
    m = pat.match(s)
    if not m:
        sys.exit("not a progress line: %r" % s)
    got.append(tuple(int(x) for x in m.groups()))
print("progress lines: %d; done counts: %s" %
      (len(got), [g[0] for g in got]))
if len(got) < 5:
    sys.exit("only %d progress lines before the results" % len(got))
done = [g[0] for g in got]
if done != sorted(done):
    sys.exit("done counts go down: %s" % done)
if len(set(done)) < 3:
    sys.exit("done counts do not move: %s" % done)
el = [g[3] * 10 + g[4] for g in got]
if el != sorted(el) or el[-1] <= el[0]:
    sys.exit("elapsed does not grow: %s" % el)
if any(g[2] == 0 for g in got[:-1]) or got[0][2] != 10:
    sys.exit("in flight should be 10 at the start: %s" % got)
if got[-1][:3] != (30, 1, 0):
    sys.exit("last progress line is not every host done: %r" % (got[-1],))
if not head.endswith(ERASE):
    sys.exit("the progress line is not erased before the results")
if ERASE in tail or "hosts done" in tail:
    sys.exit("progress drawn among the results")
res = [s for s in tail.replace("\r", "").split("\n") if s]
ok = [s for s in res if re.match(r"^127\.0\.64\.\d+: (on|off)$", s)]
if len(ok) != 29:
    sys.exit("%d results ok, expected 29: %s" % (len(ok), res))
PY

# not a terminal: results on stdout, nothing drawn on stderr
timeout -k 5 20 "$BMCFLEET" -H '127.0.64.[4-13]' -U admin -E power status \
    >"$W/out" 2>"$W/err" </dev/null
expect_eq "$?" 0 "exit status with stderr not a terminal"
expect_eq "$(grep -c ': o[nf]*$' "$W/out")" 10 "results on stdout"
! grep -q $'\e\\|hosts done' "$W/out" "$W/err" ||
    fail "progress drawn with stderr not a terminal"

# -v on a terminal: its own lines, no progress
printf -v cmd '%q ' "$BMCFLEET" -v -H '127.0.64.[1-2]' -U admin -E \
    power status
timeout -k 5 20 script -q -c "$cmd" /dev/null </dev/null >"$W/v.raw"
grep -q 'bmcfleet: 127.0.64.1: ' "$W/v.raw" || fail "-v lines missing"
! grep -q 'hosts done' "$W/v.raw" || fail "progress drawn with -v"
# collect on a terminal: the same timer.  The database is away (a socket
# directory with no server): the sweep runs anyway, its rows spooled
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "host=$W port=5 dbname=none"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  sims: {hosts: "$HOSTS"}
collector:
  spool_dir: $W/spool
  concurrency: 10
  host_deadline: 2s
EOF2
printf -v cmd '%q ' "$BMCFLEET" collect -c "$W/fleet.yaml" --what dcmi \
    --db-wait 0
timeout -k 5 20 script -q -c "$cmd" /dev/null </dev/null >"$W/collect.raw"
python3 - "$W/collect.raw" <<'PY' || fail "collect's terminal output: see above"
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
ERASE = "\r\x1b[K"
pat = re.compile(r"\r\x1b\[Kcollect: (\d+)/30 hosts, (\d+) failed, "
                 r"(\d+) in flight, \d+ readings, \d+ events, \d+\.\ds")
got = [(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.end())
       for m in pat.finditer(raw)]
print("collect progress lines: %d; done counts: %s" %
      (len(got), [g[0] for g in got]))
if len(got) < 5:
    sys.exit("only %d collect progress lines in %r" % (len(got), raw[:600]))
done = [g[0] for g in got]
if done != sorted(done) or len(set(done)) < 3:
    sys.exit("done counts do not move up: %s" % done)
if got[-1][:3] != (30, 1, 0):
    sys.exit("last progress line is not every host done: %r" % (got[-1],))
if not raw[got[-1][3]:].startswith(ERASE):
    sys.exit("the last progress line is not erased")
PY
msg "PASS"
