#!/usr/bin/env bash
# bmcfleetd under systemd's protocols (issue 15, sysd), without systemd as
# PID 1: a python listener stands in for the manager's notify socket (an
# abstract one, "@..."), and a real systemd-journald runs in a private
# mount namespace (its /run/systemd and /run/log on tmpfs).  Asserted:
#   READY=1 before the first sweep's STATUS=, STATUS= with the sweep's
#   counts, WATCHDOG=1 at least every WATCHDOG_USEC (0.5 s) while sweeps
#   run, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on SIGTERM;
#   with JOURNAL_STREAM naming stderr, the daemon's lines in the journal
#   with PRIORITY= (the start notice 5, a sweep with a failure 4) and a
#   failed host's line with BMC=, none on stderr; with JOURNAL_STREAM
#   naming another file, the stderr lines of old and nothing in the journal.
set -u
if [[ -z ${BMCFLEET_SYSD_NS:-} ]]; then
	BMCFLEET_SYSD_NS=1 exec unshare -m --propagation private \
	    "$BASH" "$0" "$@"
fi
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3 journalctl
[[ -x /lib/systemd/systemd-journald ]] || skip "no systemd-journald"

# journald writes only here (a /var/log/journal of the host is hidden too)
mkdir -p /run/systemd /run/log
mount -t tmpfs tmpfs /run/systemd && mount -t tmpfs tmpfs /run/log ||
    fail "tmpfs mounts in the private namespace"
if [[ -d /var/log/journal ]]; then
	mount -t tmpfs tmpfs /var/log/journal || fail "tmpfs on /var/log/journal"
fi
mkdir -p /run/systemd/journal
/lib/systemd/systemd-journald >"$TEST_LOGDIR/$TEST_NAME.journald.log" 2>&1 &
_lib_register $! journald "$TEST_LOGDIR/$TEST_NAME.journald.log" 0
poll_until 5 test -S /run/systemd/journal/socket || fail "journald did not start"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-sysd.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 3 --base 127.0.80.1 --user admin --password s3cret-pw \
    --seed 80 --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
# 127.0.80.9: no BMC there, a failed host each sweep
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "127.0.80.[1-3]"}
  gone: {hosts: "127.0.80.9", settings: {timeout: 100ms, retries: 0}}
collector:
  spool_dir: $W/spool
  sweep_interval: 1s
  traps: {listen: "off"}
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

SOCK=bmcfleet-sysd-$$
cat >"$W/listen.py" <<'EOF2'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as f:
    print("bound", file=f)
    while True:
        d = s.recv(65536).decode()
        f.write("%.3f %s\n" % (time.monotonic(), d.replace("\n", "|")))
EOF2
python3 "$W/listen.py" "$SOCK" "$W/notify.log" 2>"$W/listen.err" &
_lib_register $! notify-listener "$W/listen.err" 0
poll_until 5 grep -qs bound "$W/notify.log" || fail "the listener did not bind"

BMCFLEETD=$(dirname "$BMCFLEET")/bmcfleetd
: >"$W/d.log"
JS=$(stat -c '%d:%i' "$W/d.log")
# WATCHDOG_PID names the daemon itself (exec keeps the shell's pid)
NOTIFY_SOCKET=@$SOCK WATCHDOG_USEC=500000 JOURNAL_STREAM=$JS \
    bash -c 'export WATCHDOG_PID=$$; exec "$0" "$@"' \
    "$BMCFLEETD" -c "$W/fleet.yaml" >>"$W/d.log" 2>&1 &
dpid=$!
_lib_register "$dpid" bmcfleetd "$W/d.log" 0
poll_until 20 eval '(( $(grep -c "STATUS=sweep" "$W/notify.log") >= 2 ))' ||
    fail "no STATUS= of two sweeps: $(cat "$W/notify.log" "$W/d.log")"
first_ready=$(grep -n 'READY=1' "$W/notify.log" | head -n 1 | cut -d: -f1)
first_status=$(grep -n 'STATUS=sweep' "$W/notify.log" | head -n 1 | cut -d: -f1)
[[ -n $first_ready ]] && (( first_ready < first_status )) ||
    fail "READY=1 not before the first sweep: $(cat "$W/notify.log")"
expect_match "$(cat "$W/notify.log")" \
    'STATUS=sweep [0-9]+: 3 ok, 1 failed in [0-9.]+ s; database: ' "STATUS="

kill -HUP "$dpid"
poll_until 10 grep -q 'RELOADING=1' "$W/notify.log" || fail "no RELOADING=1"
poll_until 10 eval 'sed -n "/RELOADING=1/,\$p" "$W/notify.log" | grep -q "READY=1|STATUS=reloaded"' ||
    fail "no READY=1 after the reload: $(tail -n 5 "$W/notify.log")"
# the pings, between the first and the last sweep seen here
python3 - "$W/notify.log" <<'EOF2' || fail "watchdog pings: $(grep -c WATCHDOG "$W/notify.log") in $(cat "$W/notify.log")"
import sys
t = [float(l.split()[0]) for l in open(sys.argv[1]) if "WATCHDOG=1" in l]
gaps = [b - a for a, b in zip(t, t[1:])]
print("daemon-systemd: %d WATCHDOG=1 over %.1f s, the longest gap %.0f ms"
      % (len(t), t[-1] - t[0], 1000 * max(gaps)))
sys.exit(0 if len(t) >= 6 and max(gaps) < 0.5 else 1)
EOF2
kill -TERM "$dpid"
poll_until 10 eval '! kill -0 '"$dpid"' 2>/dev/null' || fail "bmcfleetd did not stop"
wait "$dpid"; rc=$?
expect_eq "$rc" 0 "bmcfleetd's exit status"
grep -q 'STOPPING=1' "$W/notify.log" || fail "no STOPPING=1"

# the journal: priorities and fields; stderr kept nothing of it
J=$(journalctl -D /run/log/journal -o json --no-pager SYSLOG_IDENTIFIER=bmcfleetd)
python3 - <<EOF2 || fail "the journal: $J"
import json, sys
e = [json.loads(l) for l in """$J""".splitlines() if l.strip()]
def has(prio, start, **f):
    return any(x.get("PRIORITY") == prio and x["MESSAGE"].startswith(start)
               and all(x.get(k) == v for k, v in f.items()) for x in e)
ok = [has("5", "4 BMCs from "), has("4", "sweep 1: 4 hosts due"),
      has("4", "sweep 1 failed 127.0.80.9: ", BMC="127.0.80.9"),
      has("6", "sweep 1 events: "), has("5", "reloaded "),
      has("5", "stopping: ")]
print("daemon-systemd: %d journal entries from bmcfleetd; checks %s" % (len(e), ok))
sys.exit(0 if all(ok) else 1)
EOF2
grep -q 'bmcfleetd: sweep' "$W/d.log" &&
    fail "the sweep lines went to stderr too: $(cat "$W/d.log")"

# not the journal's stream: the lines of old on stderr, nothing journaled
n0=$(journalctl -D /run/log/journal -o cat --no-pager SYSLOG_IDENTIFIER=bmcfleetd | wc -l)
# one sweep_interval (1 s) after the first daemon's sweep, so that its
# hosts are due again: a fast first run otherwise leaves "0 hosts due"
sleep 1.2
JOURNAL_STREAM=$JS "$BMCFLEETD" -c "$W/fleet.yaml" >"$W/e.log" 2>&1 &
epid=$!
_lib_register "$epid" bmcfleetd-stderr "$W/e.log" 0
poll_until 10 grep -q 'bmcfleetd: sweep 1 events' "$W/e.log" ||
    fail "no sweep line on stderr: $(cat "$W/e.log")"
kill -TERM "$epid"
poll_until 10 eval '! kill -0 '"$epid"' 2>/dev/null' || fail "bmcfleetd did not stop"
expect_match "$(cat "$W/e.log")" \
    '^bmcfleetd: sweep 1: 4 hosts due(, the latest [0-9.]+ s late)?, swept in [0-9.]+ s: 3 ok, 1 failed; ' \
    "the stderr sweep line"
expect_match "$(cat "$W/e.log")" '^bmcfleetd: 4 BMCs from ' "the start line"
n1=$(journalctl -D /run/log/journal -o cat --no-pager SYSLOG_IDENTIFIER=bmcfleetd | wc -l)
expect_eq "$n1" "$n0" "journal entries from the stderr run"
msg "ok"
