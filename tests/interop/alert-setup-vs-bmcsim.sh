#!/usr/bin/env bash
# bmcfleet alert setup against bmcsim, read back by ipmitool and FreeIPMI.
#
#   two bmcsim BMCs on 127.0.73.1-2: .1 a dell-r640 (LAN channel 1), .2 an
#   hpe-dl380 (LAN channel 2, IPMB on 1: the channel is found, not assumed)
#   - alert setup --destination 127.0.73.200:16162 --community fleetpet
#     --severity warning: both change; an audit row each (alert-setup)
#   - ipmitool pef info / pef status / pef policy list / pef filter list /
#     lan alert print / lan print and FreeIPMI ipmi-pef-config --checkout
#     read back the same destination, community, policy and three filters
#     (warning, critical, non-recoverable) on each BMC's own channel
#   - a second setup changes nothing and writes nothing
#   - alert status (table and json) shows what the peers saw
#   - a dry run to another address says what it would change, and the
#     BMCs still hold the first setup
set -u
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

need_tool ipmitool ipmi-pef-config python3
start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-alert.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
start_bmcsim --count 2 --base 127.0.73.1 --user admin --password s3cret-pw \
    --quiet
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
# FreeIPMI reads the password from a file of its own, not argv
cat >"$W/freeipmi.conf" <<EOF
username admin
password s3cret-pw
driver-type LAN_2_0
privilege-level ADMIN
EOF
chmod 600 "$W/freeipmi.conf"
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_file: $W/pw}
groups:
  sims: {hosts: "127.0.73.[1-2]", labels: {rack: r73}}
EOF
C=(-c "$W/fleet.yaml")
export IPMI_PASSWORD=s3cret-pw
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" ||
    fail "db migrate failed"

DEST=127.0.73.200
# Above scheduler.confirm_limit without a terminal or --yes: refused, exit
# 2, nothing written (alert status finds no destination in use)
sed 's/^groups:/scheduler: {confirm_limit: 1}\ngroups:/' "$W/fleet.yaml" \
    >"$W/strict.yaml"
run_to refused "$BMCFLEET" alert setup @sims -c "$W/strict.yaml" \
    --destination "$DEST:16162"
expect_eq "$RUN_RC" 2 "alert setup above confirm_limit without --yes"
expect_match "$RUN_OUT" 'alert setup: 2 hosts, more than the confirm' \
    "the refusal"
run_to status0 "$BMCFLEET" alert status @sims "${C[@]}" ||
    fail "alert status failed"
expect_no_match "$RUN_OUT" '^  destination' "destinations after the refusal"
expect_match "$RUN_OUT" '^alert status: 2 ok, 0 failed$' "status0"

run_to setup1 "$BMCFLEET" alert setup @sims "${C[@]}" \
    --destination "$DEST:16162" --community fleetpet --severity warning \
    --yes || fail "alert setup failed"
expect_match "$RUN_OUT" '^127\.0\.73\.1: changed [0-9]+ \(channel 1, destination [1-4], alert policy [0-9]+ \(entry [0-9]+\), 3 event filters\)$' \
    "setup on .1"
expect_match "$RUN_OUT" '^127\.0\.73\.2: changed [0-9]+ \(channel 2, destination [1-4], ' \
    "setup on .2 (LAN channel 2)"
expect_match "$RUN_OUT" "^  destination [1-4] address: 0\\.0\\.0\\.0 -> 127\\.0\\.73\\.200\$" \
    "setup's changes"
expect_match "$RUN_OUT" '^  destination [1-4] port: 162 -> 16162$' "setup's changes"
expect_match "$RUN_OUT" '^  community: "public" -> "fleetpet"$' "setup's changes"
expect_match "$RUN_OUT" '^alert setup to 127\.0\.73\.200:16162: 2 changed, 0 unchanged, 0 failed$' \
    "setup's summary"
expect_eq "$(sql "select count(*) from audit_log where operation = 'alert-setup' and result = 'ok' and detail like 'changed %'")" \
    2 "audit rows of the first setup"

# The destination each BMC got, from setup's own words
dest_of() {
	sed -n "s/^$1: changed [0-9]* (channel [0-9], destination \\([1-4]\\),.*/\\1/p" \
	    <<<"$2"
}
OUT1=$RUN_OUT
n=0
for spec in 127.0.73.1:1 127.0.73.2:2; do
	h=${spec%:*}
	ch=${spec#*:}
	d=$(dest_of "$h" "$OUT1")
	[[ -n $d ]] || fail "$h: no destination in setup's output"
	I=(ipmitool -I lanplus -H "$h" -U admin -E -N 1 -R 3)

	# ipmitool 1.8.19 prints these two as one row of fields:
	# version | filters | ... | actions, and
	# time | SEL ids ... | PEF (enabled) | actions (enabled)
	run_to "pef-info-$ch" "${I[@]}" pef info || fail "$h: pef info failed"
	expect_match "$RUN_OUT" '^ *0x51 \| [0-9]+ \| .*\| *Alert' \
	    "$h: pef info (PEF 1.5, alert action supported)"

	run_to "pef-status-$ch" "${I[@]}" pef status ||
	    fail "$h: pef status failed"
	expect_match "$RUN_OUT" '\| PEF \| ([^|]*, )?Alert' \
	    "$h: pef status (PEF and the alert action enabled)"

	run_to "lan-alert-$ch" "${I[@]}" lan alert print "$ch" "$d" ||
	    fail "$h: lan alert print failed"
	expect_match "$RUN_OUT" "^Alert IP Address +: $DEST\$" \
	    "$h: lan alert print $ch $d"
	expect_match "$RUN_OUT" '^Destination Type +: PET Trap' \
	    "$h: lan alert print $ch $d"
	expect_match "$RUN_OUT" '^Alert Acknowledge +: Acknowledged' \
	    "$h: lan alert print $ch $d"
	expect_match "$RUN_OUT" '^Number of Retries +: 3$' \
	    "$h: lan alert print $ch $d"

	run_to "lan-print-$ch" "${I[@]}" lan print "$ch" ||
	    fail "$h: lan print failed"
	expect_match "$RUN_OUT" '^SNMP Community String +: fleetpet$' \
	    "$h: lan print $ch"

	run_to "policy-$ch" "${I[@]}" pef policy list ||
	    fail "$h: pef policy list failed"
	pol_out=$RUN_OUT

	run_to "filters-$ch" "${I[@]}" pef filter list ||
	    fail "$h: pef filter list failed"
	filt_out=$RUN_OUT

	run_to "pef-config-$ch" ipmi-pef-config --checkout \
	    --config-file "$W/freeipmi.conf" -h "$h" ||
	    fail "$h: ipmi-pef-config --checkout failed"
	printf '%s\n' "$RUN_OUT" >"$W/pef-config-$ch"
	printf '%s\n' "$pol_out" >"$W/policy-$ch"
	printf '%s\n' "$filt_out" >"$W/filters-$ch"
	# One reader for the three outputs: FreeIPMI's sections must hold the
	# destination, community, an enabled policy entry to (ch, d) and
	# exactly three enabled alert filters of our policy, one per severity
	# from warning up; ipmitool's lists must name the same numbers.
	python3 - "$W" "$ch" "$d" "$DEST" <<'EOF' || fail "$h: read back differs"
import re, sys
w, ch, d, dest = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sections, cur = {}, None
for line in open(f"{w}/pef-config-{ch}"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    m = re.match(r"Section\s+(\S+)", line)
    if m:
        cur = sections.setdefault(m.group(1), {})
    elif line == "EndSection":
        cur = None
    elif cur is not None:
        k, _, v = line.partition(" ")
        cur[k] = v.strip()
def need(cond, what):
    if not cond:
        sys.exit(f"ipmi-pef-config: {what}")
comm = sections.get("Community_String", {})
need(comm.get("Community_String") == "fleetpet", f"community {comm}")
dst = sections.get(f"Lan_Alert_Destination_{d}", {})
need(dst.get("Alert_IP_Address") == dest, f"destination {d}: {dst}")
need(dst.get("Alert_Destination_Type") == "PET_Trap", f"destination {d}: {dst}")
need(dst.get("Alert_Acknowledge") == "Yes", f"destination {d}: {dst}")
need(dst.get("Alert_Retries") == "3", f"destination {d}: {dst}")
pols = [s for n, s in sections.items() if n.startswith("Alert_Policy_")
        and s.get("Policy_Enabled") == "Yes"
        and s.get("Channel_Number") == str(ch)
        and s.get("Destination_Selector") == str(d)]
need(len(pols) == 1, f"{len(pols)} enabled policy entries to {ch}/{d}")
pn = pols[0].get("Policy_Number")
filt = sorted(s.get("Event_Severity") for n, s in sections.items()
              if n.startswith("Event_Filter_")
              and s.get("Enable_Filter") == "Yes"
              and s.get("Event_Filter_Action_Alert") == "Yes"
              and s.get("Alert_Policy_Number") == pn
              and s.get("Sensor_Type") in ("Any", "0xFF"))
need(filt == ["Critical", "Non_Critical", "Non_Recoverable"],
     f"our filters' severities: {filt}")
# ipmitool's rows: entry | policy | enabled | type | channel | medium |
# destination type | community | timeout | retries | address | MAC
rows = [[f.strip() for f in l.split("|")]
        for l in open(f"{w}/policy-{ch}") if "|" in l]
mine = [r for r in rows if len(r) >= 11 and r[1] == pn and r[2] == "enabled"
        and r[4] == str(ch)]
need(len(mine) == 1, f"ipmitool pef policy list: {len(mine)} rows of ours")
need(mine[0][6] == "PET" and mine[0][7] == "fleetpet" and mine[0][10] == dest,
     f"ipmitool pef policy list: {mine[0]}")
# filter | state | ... | severity | trigger | ... | action | policy
rows = [[f.strip() for f in l.split("|")]
        for l in open(f"{w}/filters-{ch}") if "|" in l]
sev = sorted(r[4] for r in rows if len(r) >= 9 and r[1].startswith("enabled")
             and r[-2] == "Alert" and r[-1] == pn)
need(sev == ["Critical", "Non-recoverable", "Warning"],
     f"ipmitool pef filter list: our filters {sev}")
print(f"channel {ch} destination {d} policy {pn}: {filt}")
EOF
	n=$((n + 1))
done
expect_eq "$n" 2 "BMCs read back"

# A second setup: nothing to change, nothing written
run_to setup2 "$BMCFLEET" alert setup @sims "${C[@]}" \
    --destination "$DEST:16162" --community fleetpet --severity warning \
    --yes || fail "second alert setup failed"
expect_match "$RUN_OUT" '^127\.0\.73\.1: unchanged \(channel 1, ' "setup2 .1"
expect_match "$RUN_OUT" '^127\.0\.73\.2: unchanged \(channel 2, ' "setup2 .2"
expect_no_match "$RUN_OUT" ' -> ' "setup2 changes"
expect_match "$RUN_OUT" ': 0 changed, 2 unchanged, 0 failed$' "setup2 summary"
expect_eq "$(sql "select count(*) from audit_log where operation = 'alert-setup' and detail = 'unchanged'")" \
    2 "audit rows of the second setup"

# alert status shows it
run_to status "$BMCFLEET" alert status @sims "${C[@]}" ||
    fail "alert status failed"
expect_match "$RUN_OUT" "^127\\.0\\.73\\.2: LAN channel 2, PEF 1\\.5 enabled, alert action enabled, community \"fleetpet\"\$" \
    "status .2"
expect_match "$RUN_OUT" "^  destination [1-4]: pet $DEST:16162 acknowledged, 3 s, 3 retries\$" \
    "status destination"
run_to status-json "$BMCFLEET" alert status @sims "${C[@]}" --format json ||
    fail "alert status --format json failed"
printf '%s\n' "$RUN_OUT" | sed -n '/^\[/p' >"$W/status.json"
python3 - "$W/status.json" "$DEST" <<'EOF' || fail "alert status json"
import json, sys
hosts = json.load(open(sys.argv[1]))
assert len(hosts) == 2, hosts
for h in hosts:
    assert h["ok"] and h["pef_enabled"] and h["alert_action"], h
    assert h["community"] == "fleetpet", h
    ours = [d for d in h["destinations"] if d["address"] == sys.argv[2]]
    assert len(ours) == 1 and ours[0]["port"] == 16162, h
    assert ours[0]["type"] == "pet" and ours[0]["acknowledge"], h
    sev = sorted(f["severity"] for f in h["filters"] if f["enabled"]
                 and f["alert"] and f["policy"] in
                 [p["policy"] for p in h["policies"] if p["enabled"]
                  and p["destination"] == ours[0]["selector"]])
    assert sev == ["critical", "non-recoverable", "warning"], (h["host"], sev)
    assert h["lan_channels"] == [1 if h["host"].endswith(".1") else 2], h
print("status json ok")
EOF

# A dry run elsewhere: said, not written
run_to dry "$BMCFLEET" alert setup @sims "${C[@]}" --destination 127.0.73.201 \
    --dry-run || fail "dry run failed"
expect_match "$RUN_OUT" '^127\.0\.73\.1: would change ' "dry run .1"
expect_match "$RUN_OUT" '^  destination [1-4] address: 0\.0\.0\.0 -> 127\.0\.73\.201$' \
    "dry run: a second destination"
run_to status2 "$BMCFLEET" alert status @sims "${C[@]}" ||
    fail "alert status failed"
expect_no_match "$RUN_OUT" '127\.0\.73\.201' "status after the dry run"
expect_eq "$(sql "select count(*) from audit_log where operation = 'alert-setup'")" \
    4 "audit rows (a dry run leaves none)"
msg "ok"
