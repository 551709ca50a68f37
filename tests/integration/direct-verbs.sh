#!/usr/bin/env bash
# The small things an operator sees in direct mode and the sensors report:
#
#   3 bmcsim BMCs on 127.0.64.[41-43] (a 4th address, .44, has none).
#   - identify force: no interval, so the table says the light stays on
#     until "identify 0" and JSON has identify_seconds null and
#     identify_forced true (it said 15 seconds); identify 5 says 5.
#   - bootdev without a device reads the setting, as bootdev get does
#     (it was a usage error); with --persistent and no device it is one.
#   - sensors --state warning,critical with no match (bmcsim's sensors
#     are nominal or na): the empty table, exit 0, and one line on stderr
#     naming the states and the hosts; a failed host is counted apart;
#     JSON stays empty lists without the line; --state na shows rows and
#     no line.
#   - the SDR cache is pruned at the run's end: an entry unused for 40 days
#     goes, a file whose name is not an entry's stays.
#   - the same for the fleet report (`bmcfleet sensors --state ...` from
#     a throwaway PostgreSQL after one sweep): the line in table output,
#     not in JSON, not when rows match.
set -u
. "$(dirname "$0")/../interop/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-dverbs.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 3 --base 127.0.64.41 --user admin --password s3cret-pw \
    --seed 41 --quiet
export BMCFLEET_PASSWORD=s3cret-pw
export BMCFLEET_SDR_CACHE=$W/sdr
B=("$BMCFLEET" -H '127.0.64.[41-43]' -U admin -E)

# out NAME CMD...: stdout to $W/NAME, stderr to $W/NAME.err, status in RC
out() {
	local name=$1
	shift
	printf '+ %s\n' "${*#"$BMCFLEET" }"
	timeout -k 5 30 "$@" >"$W/$name" 2>"$W/$name.err" </dev/null
	RC=$?
	! grep -Eq "$_lib_sanitizer_re" "$W/$name.err" ||
	    fail "$*: $(cat "$W/$name.err")"
}

# --- identify ---------------------------------------------------------------
out idf "${B[@]}" identify force
expect_eq "$RC" 0 "identify force: exit"
expect_eq "$(grep -c "^127\.0\.64\.4[1-3]: ok (on until 'identify 0')\$" \
    "$W/idf")" 3 "identify force: table says until identify 0"
out idfj "${B[@]}" identify force --format json
out id5j "${B[@]}" identify 5 --format json
python3 - "$W/idfj" "$W/id5j" <<'PY' || fail "identify JSON"
import json, sys
f, t = (json.load(open(p)) for p in sys.argv[1:3])
assert len(f) == 3 and len(t) == 3, (f, t)
for h in f:
    assert h["ok"] and h["identify_seconds"] is None and \
        h["identify_forced"] is True, h
for h in t:
    assert h["ok"] and h["identify_seconds"] == 5 and \
        h["identify_forced"] is False, h
PY

# --- bootdev ----------------------------------------------------------------
out bset "${B[@]}" bootdev pxe
expect_eq "$RC" 0 "bootdev pxe: exit"
out bbare "${B[@]}" bootdev
expect_eq "$RC" 0 "bootdev without a device: exit"
out bget "${B[@]}" bootdev get
expect_eq "$(cat "$W/bbare")" "$(cat "$W/bget")" "bootdev = bootdev get"
expect_eq "$(grep -c '^127\.0\.64\.4[1-3]: pxe, next boot only' "$W/bbare")" \
    3 "bootdev without a device: reads pxe back"
out bbarej "${B[@]}" bootdev --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert len(d) == 3 and all(h["device"] == "pxe" for h in d), d' \
    "$W/bbarej" || fail "bootdev --format json without a device"
out bpers "${B[@]}" bootdev --persistent
expect_eq "$RC" 2 "bootdev --persistent without a device: usage error"
expect_match "$(cat "$W/bpers.err")" '^bmcfleet: bootdev: which device\?' \
    "bootdev --persistent without a device: says so"

# --- sensors --state, direct ----------------------------------------------------
# (and the SDR cache is pruned once, at the run's end: an entry unused for
# 40 days goes, a file not named as ours stays however old)
mkdir -m 700 "$W/sdr"
OLD=1-1-1.00-00000000-1-1-1.sdr
printf 'x' >"$W/sdr/$OLD"
printf 'x' >"$W/sdr/mine.sdr"
touch -d '40 days ago' "$W/sdr/$OLD" "$W/sdr/mine.sdr"
out swc "${B[@]}" sensors --state warning,critical
expect_eq "$RC" 0 "sensors --state warning,critical: exit"
expect_eq "$(wc -l <"$W/swc")" 1 "no match: the header only on stdout"
expect_eq "$(cat "$W/swc.err")" \
    "bmcfleet: no sensor is warning or critical on 3 hosts" "no match: said"
[[ ! -e $W/sdr/$OLD ]] || fail "SDR cache: an entry 40 days old was kept"
[[ -e $W/sdr/mine.sdr ]] || fail "SDR cache: a file not ours was removed"
n=$(find "$W/sdr" -name '*-*.sdr' | wc -l)
[[ $n -ge 1 ]] || fail "SDR cache: this run's entries are missing"
out swcj "${B[@]}" sensors --state critical,warning --format json
expect_eq "$(cat "$W/swcj.err")" "" "no match in JSON: nothing on stderr"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert len(d) == 3 and all(h["sensors"] == [] for h in d), d' \
    "$W/swcj" || fail "no match in JSON: empty lists"
out sna "${B[@]}" sensors --state na
[[ $(wc -l <"$W/sna") -gt 3 ]] || fail "--state na: no rows"
expect_eq "$(cat "$W/sna.err")" "" "--state na: rows, nothing said"
out sfail "$BMCFLEET" -H '127.0.64.[41-44]' -U admin -E --deadline 2s \
    sensors --state critical
expect_eq "$RC" 1 "a host failed: exit"
expect_match "$(cat "$W/sfail.err")" \
    '^bmcfleet: no sensor is critical on 3 of 4 hosts \(1 failed\)$' \
    "no match with a failed host"

# --- sensors --state, the fleet report ----------------------------------------
start_pg
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF2
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  sims: {hosts: "127.0.64.[41-43]"}
collector:
  spool_dir: $W/spool
EOF2
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate"
run_to sweep "$BMCFLEET" collect -c "$W/fleet.yaml" --what sensors ||
    fail "collect failed"
out fwc "$BMCFLEET" sensors -c "$W/fleet.yaml" --state warning,critical
expect_eq "$RC" 0 "fleet sensors, no match: exit"
expect_eq "$(cat "$W/fwc.err")" "sensors: no sensor is warning or critical \
(the latest readings of the last 24 h)" "fleet sensors, no match: said"
out fwcj "$BMCFLEET" sensors -c "$W/fleet.yaml" --state warning,critical \
    --format json
expect_eq "$(tr -d ' \n' <"$W/fwcj")" "[]" "fleet sensors JSON: empty list"
expect_eq "$(cat "$W/fwcj.err")" "" "fleet sensors JSON: nothing said"
out fna "$BMCFLEET" sensors -c "$W/fleet.yaml" --state na
[[ $(wc -l <"$W/fna") -gt 3 ]] || fail "fleet --state na: no rows"
expect_no_match "$(cat "$W/fna.err")" 'no sensor' "fleet --state na: rows"
msg "PASS"
