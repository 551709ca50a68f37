#!/usr/bin/env bash
# SDR cache poisoning (issue 11 item 5): BMCs that report one SDR key
# (Get Device ID, and Get SDR Repository Info's count and time stamps) but
# hold different repositories must each get their own sensor names from
# the collector, whichever walked first, and a repeated sweep must serve
# them all from memory at one Get SDR each.
#
#   127.0.29.1-4   bmcsim, dell-r640; 2 and 4 play lie-sdr-key (the
#                  model's key, every SDR name lower-cased)
#
#   1. bmcfleet collect, one host at a time: two repositories read (one
#      per repository, whichever host comes first), two hosts from memory,
#      one conflict.
#      Oracles: direct mode with --no-sdr-cache (every BMC walked, nothing
#      shared) gives each host's sensor names, which the database must
#      hold exactly (readable sensors); and the quirk's definition: 2 and
#      4's names are all lower case, 1 and 3's are not.
#   2. bmcfleet collect again (a new process: the memory comes from
#      sdr_cache through bmc_profile.sdr_key): no repository read, four
#      hosts from memory, bmcsim's --stats counts one Get SDR per host.
#      The names stay right.
#
# Shown to fail before the fix: with the SDR memory keyed by what a BMC
# says only, sweep 1 reads one repository and the other repository's hosts
# get its names ("sweep 1: 127.0.29.2: stored 'CPU1 Temp', which its BMC
# does not have").
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-sdrpoison.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
NET=127.0.29

start_bmcsim --count 4 --base $NET.1 --user admin --password s3cret-pw \
    --power on --seed 29 --model dell-r640 --quirk lie-sdr-key:2,4 \
    --stats "$W/stats.json" --quiet
export BMCFLEET_PASSWORD=s3cret-pw
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "$NET.[1-4]"}
collector:
  spool_dir: $W/spool
  concurrency: 1
EOF

# snapshot NAME: bmcsim's --stats now, as $W/NAME.stats
snapshot() {
	rm -f "$W/stats.json"
	kill -USR1 "$BMCSIM_PID" || fail "bmcsim is gone"
	poll_until 10 test -s "$W/stats.json" || fail "no --stats on SIGUSR1"
	cp "$W/stats.json" "$W/$1.stats"
}
# get_sdr BEFORE AFTER HOST: Get SDRs bmcsim served HOST in between
get_sdr() {
	python3 - "$W/$1.stats" "$W/$2.stats" "$3" <<'EOF'
import json, sys
def n(path):
    for line in open(path):
        d = json.loads(line)
        if d["bmc"] == sys.argv[3]:
            return d["get_sdr"]
print(n(sys.argv[2]) - n(sys.argv[1]))
EOF
}
# check WHAT: the database's sensor names against direct mode's, per host
check() {
	sql "SELECT b.name, s.name FROM sensor s JOIN bmc b ON b.id = s.bmc_id" \
	    >"$W/db-names.txt" || fail "$1: cannot read the sensors"
	python3 - "$W/truth.json" "$W/db-names.txt" "$1" <<'EOF' ||
import json, sys
truth, db, what = sys.argv[1:4]
want = {}
for h in json.load(open(truth)):
    want[h["host"]] = {s["name"] for s in h.get("sensors", [])
                       if s["kind"] != "event-only"}
got = {}
for line in open(db):
    host, name = line.rstrip("\n").split("|", 1)
    got.setdefault(host, set()).add(name)
bad, n = [], 0
for host in sorted(want):
    g, w = got.get(host, set()), want[host]
    n += len(g & w)
    for name in sorted(g - w):
        bad.append("%s: stored %r, which its BMC does not have" % (host, name))
    for name in sorted(w - g):
        bad.append("%s: %r not stored" % (host, name))
    lower = host.endswith((".2", ".4"))
    if lower != all(x == x.lower() for x in g):
        bad.append("%s: names %s lower case (lie-sdr-key on .2 and .4)" %
                   (host, "not all" if lower else "all"))
if n == 0:
    bad.append("no sensor names compared")
for b in bad[:20]:
    print("%s: %s" % (what, b))
print("%s: %d sensor names compared over %d hosts, %d wrong" %
      (what, n, len(want), len(bad)))
sys.exit(1 if bad else 0)
EOF
	fail "$1: sensor names are not each BMC's own"
}

RUN_TIMEOUT=120
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
run_to truth "$BMCFLEET" -H "$NET.[1-4]" -U admin -E --format json \
    --no-sdr-cache sensors || fail "direct mode failed"
printf '%s\n' "$RUN_OUT" >"$W/truth.json"

# --- 1. the first sweep ---------------------------------------------------
run_to sweep1 "$BMCFLEET" collect -c "$W/fleet.yaml" || fail "sweep 1 failed"
check "sweep 1"
expect_match "$RUN_OUT" "2 SDR repositories read \\(2 hosts from memory\\)" \
    "sweep 1: one walk per repository"
expect_match "$RUN_OUT" "1 host\\(s\\) reported an SDR key the memory holds for another repository" \
    "sweep 1: the conflict"
expect_eq "$(sql "SELECT count(DISTINCT sdr_key) FROM bmc_profile")" 2 \
    "sweep 1: repositories the BMCs' profiles name"
expect_eq "$(sql "SELECT count(*) FROM sdr_cache c WHERE c.key IN
    (SELECT sdr_key FROM bmc_profile)")" 2 "sweep 1: stored repositories"

# --- 2. again, from the database's memory ---------------------------------
snapshot before2
run_to sweep2 "$BMCFLEET" collect -c "$W/fleet.yaml" || fail "sweep 2 failed"
snapshot after2
expect_match "$RUN_OUT" "0 SDR repositories read \\(4 hosts from memory\\)" \
    "sweep 2: every host from memory"
for i in 1 2 3 4; do
	expect_eq "$(get_sdr before2 after2 $NET.$i)" 1 \
	    "sweep 2: Get SDR requests to $NET.$i (the probe)"
done
check "sweep 2"
msg "ok"
