#!/usr/bin/env bash
# One SDR walk per model on a cold sweep (issue 16 item 5): hosts whose
# BMCs name a repository another host is walking wait for that walk and
# use its model (after the first-record probe), and when the walker fails
# one of them walks instead.
#
#   127.0.164.1-34    bmcsim, dell-r640; .34 plays lie-sdr-key (the
#                     model's key, every SDR name lower-cased: another
#                     repository behind the same key)
#   127.0.164.41-73   bmcsim, hpe-dl380
#   127.0.164.81-113  bmcsim, supermicro-x11
#   127.0.165.1-5     bmcsim, lenovo-sr650; .1 plays lie-sdr-length (every
#                     record's header claims more bytes than it has: its
#                     walk fails), the others answer 20 ms late (quirk
#                     slow), so .1 is the first of its model to walk
#
#   One cold `bmcfleet collect` at concurrency 120 (every BMC in flight).
#   Oracles: bmcsim's sdr_walks counter (a Get SDR of the second record
#   from offset 0: a reader past the first record), summed per model:
#   exactly 1 for each of the three honest models and for lenovo's honest
#   BMCs (the liar's failed walk taken over by one of them: the liar walked
#   first, else its probe would have told a second conflict); every host but the
#   liar swept ok; .34 walked its own repository once, the one conflict of
#   the sweep (waiters whose probe matches nothing wait for a walk of
#   their key in flight, then probe again: one walk per repository, not
#   per conflicting host); each host's stored sensor names exactly those direct
#   mode reads with --no-sdr-cache from one BMC of its model (bmcsim gives
#   every BMC of a model the same repository); the readings stored equal
#   the Get Sensor Readings bmcsim answered.
#
# Shown to fail with walk_find planted to find nothing (every host in
# flight walks its own repository, as before): "104 SDR repositories read
# (0 hosts from memory)", no host waited.
# sanitize: yes
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-sdronce.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
NET=127.0.164
NET2=127.0.165

SIMS=()
sim() {	# sim NAME ARGS...: one bmcsim per model, its --stats in $W/NAME
	local name=$1
	shift
	start_bmcsim --user admin --password s3cret-pw --power on --seed 164 \
	    --stats "$W/$name.stats" --quiet "$@"
	SIMS+=("$BMCSIM_PID:$name")
}
sim dell --count 34 --base $NET.1 --model dell-r640 --quirk lie-sdr-key:34
sim hpe --count 33 --base $NET.41 --model hpe-dl380
sim smc --count 33 --base $NET.81 --model supermicro-x11
sim lenovo --count 5 --base $NET2.1 --model lenovo-sr650 \
    --quirk lie-sdr-length:1 --quirk slow:2-5 --slow-ms 20

export BMCFLEET_PASSWORD=s3cret-pw
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  fleet: {hosts: "$NET2.[1-5],$NET.[1-34],$NET.[41-73],$NET.[81-113]"}
collector:
  spool_dir: $W/spool
  concurrency: 120
EOF

RUN_TIMEOUT=120
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
# the truth first: direct mode reads one BMC's repository per model
run_to truth "$BMCFLEET" -H "$NET2.2,$NET.1,$NET.41,$NET.81" \
    -U admin -E --format json --no-sdr-cache sensors ||
    fail "direct mode failed"
printf '%s\n' "$RUN_OUT" >"$W/truth.json"

# the counters from here on: after the truth's walks
for s in "${SIMS[@]}"; do
	rm -f "$W/${s#*:}.stats"
	kill -USR1 "${s%%:*}" || fail "bmcsim ${s#*:} is gone"
	poll_until 10 test -s "$W/${s#*:}.stats" || fail "no --stats on SIGUSR1"
	mv "$W/${s#*:}.stats" "$W/${s#*:}.before"
done

run_to sweep "$BMCFLEET" collect -c "$W/fleet.yaml"	# the liar fails it
printf '%s\n' "$RUN_OUT" >"$W/sweep.out"
for s in "${SIMS[@]}"; do
	kill -USR1 "${s%%:*}" || fail "bmcsim ${s#*:} is gone"
	poll_until 10 test -s "$W/${s#*:}.stats" || fail "no --stats on SIGUSR1"
	mv "$W/${s#*:}.stats" "$W/${s#*:}.after"
done
expect_match "$RUN_OUT" "waited for another host's walk" \
    "hosts waited for another's walk"
expect_match "$RUN_OUT" "collect: 1 host\\(s\\) reported an SDR key the memory holds for another" \
    "one conflict (.34's): the lenovo liar walked first"
expect_eq "$(sql "SELECT count(*) FROM collection_result WHERE ok")" 104 \
    "hosts swept ok (all but the liar)"
expect_eq "$(sql "SELECT count(*) FROM collection_result r JOIN bmc b
    ON b.id = r.bmc_id WHERE NOT r.ok AND b.name = '$NET2.1'")" 1 \
    "the liar's sweep failed"

sql "SELECT b.name, s.name FROM sensor s JOIN bmc b ON b.id = s.bmc_id" \
    >"$W/db-names.txt" || fail "cannot read the sensors"
sql "SELECT count(*) FROM sensor_reading" >"$W/db-readings.txt" ||
    fail "cannot read the readings"
python3 - "$W" "$NET2.1" "$NET.34" <<'EOF' || fail "one walk per model, or the data"
import json, sys
w, liar, keyliar = sys.argv[1:4]
bad = []

def stats(name, when):
    return {d["bmc"]: d for d in map(json.loads, open("%s/%s.%s" % (w, name, when)))}

served = 0
for name, model in (("dell", "dell-r640"), ("hpe", "hpe-dl380"),
                    ("smc", "supermicro-x11"), ("lenovo", "lenovo-sr650")):
    b, a = stats(name, "before"), stats(name, "after")
    walks = sum(a[h]["sdr_walks"] - b[h]["sdr_walks"] for h in a
                if h not in (liar, keyliar))
    served += sum(a[h]["readings"] - b[h]["readings"] for h in a)
    print("SDR walks of %s: %d (%d BMCs)" % (model, walks, len(a)))
    if walks != 1:
        bad.append("SDR walks of %s: %d, want 1" % (model, walks))
    if liar in a and a[liar]["get_sdr"] == b[liar]["get_sdr"]:
        bad.append("%s: never asked its SDRs: it did not walk first" % liar)
    if keyliar in a:
        k = a[keyliar]["sdr_walks"] - b[keyliar]["sdr_walks"]
        print("SDR walks of %s (lie-sdr-key): %d" % (keyliar, k))
        if k != 1:
            bad.append("SDR walks of %s (lie-sdr-key): %d, want 1" % (keyliar, k))

model = {}
for h in json.load(open(w + "/truth.json")):
    model[h["host"].rsplit(".", 1)[0] + "." + str(
        (int(h["host"].rsplit(".", 1)[1]) - 1) // 40)] = {
        s["name"] for s in h.get("sensors", []) if s["kind"] != "event-only"}
def of(host):	# the model's names: 40 addresses per model, one model per /24
    net, last = host.rsplit(".", 1)
    return model[net + "." + str((int(last) - 1) // 40)]
want = {}
for name in ("dell", "hpe", "smc", "lenovo"):
    for h in stats(name, "after"):
        if h != liar:
            want[h] = of(h)
want[keyliar] = {x.lower() for x in want[keyliar]}
got = {}
for line in open(w + "/db-names.txt"):
    host, name = line.rstrip("\n").split("|", 1)
    got.setdefault(host, set()).add(name)
n = 0
for host in sorted(want):
    g, x = got.get(host, set()), want[host]
    n += len(g & x)
    for name in sorted(g - x):
        bad.append("%s: stored %r, which its BMC does not have" % (host, name))
    for name in sorted(x - g):
        bad.append("%s: %r not stored" % (host, name))
if n == 0 or len(want) != 104 or len(model) != 4:
    bad.append("%d sensor names compared over %d hosts" % (n, len(want)))
stored = int(open(w + "/db-readings.txt").read())
if stored != served or served == 0:
    bad.append("readings stored %d, bmcsim answered %d" % (stored, served))
for x in bad[:20]:
    print(x)
print("%d sensor names compared over %d hosts; readings stored %d, served %d; %d wrong"
      % (n, len(want), stored, served, len(bad)))
sys.exit(1 if bad else 0)
EOF
msg "ok"
