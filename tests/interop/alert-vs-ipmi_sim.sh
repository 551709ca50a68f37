#!/usr/bin/env bash
# bmcfleet alert status and setup against OpenIPMI's ipmi_sim, a BMC
# nobody here wrote: its PEF and LAN channel are read (status), and a
# LAN channel with no alert destinations is refused by that reason,
# writing nothing, not taken for a free slot.
set -u
. "$(dirname "$0")/lib.sh"
need_tool ipmi_sim ipmitool

ADDR=127.0.9.3
start_ipmi_sim "$ADDR" 623
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-alert-isim.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
printf 's3cret-pw\n' >"$W/pw"
chmod 600 "$W/pw"
cat >"$W/fleet.yaml" <<EOF
credentials:
  default: {user: admin, password_file: $W/pw}
bmcs:
  - {name: $ADDR, timeout: 500ms}
EOF

run_to status "$BMCFLEET" alert status @all -c "$W/fleet.yaml"
expect_eq "$RUN_RC" 0 "alert status exit status"
expect_match "$RUN_OUT" "^$ADDR: LAN channel 1, PEF 1\\.5 (enabled|disabled), alert action (enabled|disabled), community \"" \
    "alert status: the LAN channel found, PEF read"
run_to status-json "$BMCFLEET" alert status @all -c "$W/fleet.yaml" --format json
expect_match "$RUN_OUT" '"lan_channels"' "alert status JSON"

run_to setup "$BMCFLEET" alert setup @all --destination 127.0.9.200 --yes \
    -c "$W/fleet.yaml"
expect_eq "$RUN_RC" 1 "alert setup exit status (a host failed)"
expect_match "$RUN_OUT" "^$ADDR: failed: no LAN alert destinations on channel 1" \
    "alert setup: the reason"
# ipmitool agrees there is no destination 1, and PEF is as it was
run_to itool ipmitool -I lanplus -C 3 -H "$ADDR" -U admin -f "$W/pw" \
    lan alert print 1 1
expect_match "$RUN_OUT" "not a valid destination" "ipmitool: no destination"
msg "ok"
