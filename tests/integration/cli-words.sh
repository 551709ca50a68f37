#!/usr/bin/env bash
# The command line's words (issue 13, part cli): no network, no database.
#
#   1. the shared options may come before a fleet command's name
#      (bmcfleet -c f.yaml inventory): the command reads that file;
#      before, "unknown option '-c'"
#   2. a word that is nearly a command, an action or a subcommand gets
#      "did you mean" at every level, with exit status 2: powr, sensor,
#      power stauts (direct and fleet), plan aply, db migrat, identify froce
#   3. a fleet-only command given -H says it is one (drop -H)
#   4. --help defines TARGETS (bmcfleet's and every fleet command's), and
#      so does the man page
#   5. a tab in the indentation of any YAML file we read (the config, a
#      plan, bmcsim's config) gets our words, not libyaml's "cannot start
#      any token"
set -u
. "$(dirname "$0")/../interop/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-words.XXXXXX") || fail "mktemp"
trap 'rm -rf "$W"' EXIT
export BMCFLEET_PASSWORD=unused
# the address is never reached: every case fails before a packet is sent
H=127.0.68.1

# expect_exit CODE ERE ARGS...: bmcfleet ARGS exits CODE, says ERE
expect_exit() {
	local code=$1 re=$2
	shift 2
	run_to words "$BMCFLEET" "$@"
	expect_eq "$RUN_RC" "$code" "exit status of bmcfleet $*"
	expect_match "$RUN_OUT" "$re" "bmcfleet $*"
}

# 1. options before the command
printf 'credentials:\n  default: {user: a, password_env: X}\nbogus_key: 1\n' \
    >"$W/f.yaml"
for cmd in inventory events audit collect; do
	expect_exit 2 "$W/f.yaml:3:1: .*bogus_key" -c "$W/f.yaml" "$cmd"
	expect_exit 2 "$W/f.yaml:3:1: .*bogus_key" --config="$W/f.yaml" \
	    --db "dbname=none" "$cmd"
done
expect_exit 2 "$W/nonexistent.yaml" -c "$W/nonexistent.yaml" --format json \
    sensors
expect_exit 0 '^usage: bmcfleet collect' --help collect

# 2. did you mean, at every level
expect_exit 2 "unknown command 'powr' \(did you mean 'power'\?\)" powr
expect_exit 2 "unknown command 'sensor' \(did you mean 'sensors'\?\)" sensor
expect_exit 2 "unknown command 'inventroy' \(did you mean 'inventory'\?\)" \
    inventroy
expect_exit 2 "unknown command 'colect' \(did you mean 'collect'\?\)" \
    -v colect
expect_exit 2 "unknown power action 'stauts' \(did you mean 'status'\?\)" \
    -H "$H" -U a -E power stauts
expect_exit 2 "unknown sel action 'lst' \(did you mean 'list'\?\)" \
    -H "$H" -U a -E sel lst
expect_exit 2 "mc: expected one of info" -H "$H" -U a -E mc
expect_exit 2 "unknown dcmi action 'pwer' \(did you mean 'power'\?\)" \
    -H "$H" -U a -E dcmi pwer
expect_exit 2 "identify 'froce'.*did you mean 'force'" \
    -H "$H" -U a -E identify froce
expect_exit 2 "bootdev 'pxee'.*did you mean 'pxe'" \
    -H "$H" -U a -E bootdev pxee
expect_exit 2 "unknown power action 'stauts' \(did you mean 'status'\?\)" \
    power stauts @all
expect_exit 2 "unknown power action 'stauts' \(did you mean 'status'\?\)" \
    power stauts
expect_exit 2 "unknown plan command 'aply' \(did you mean 'apply'\?\)" \
    plan aply plan.yaml
expect_exit 2 "unknown plan command 'stats' \(did you mean 'status'\?\)" \
    plan stats 1
expect_exit 2 "unknown command 'migrat' \(did you mean 'migrate'\?\)" \
    db migrat

# 3. a fleet command with -H
for cmd in inventory events collect audit; do
	expect_exit 2 "'$cmd' is a fleet command.*drop -H" -H "$H" -U a -E "$cmd"
	expect_exit 2 "'$cmd' is a fleet command.*drop -H" "$cmd" -H "$H"
done
expect_exit 2 "'plan' is a fleet command.*drop -H" -H "$H" plan status 1
# 4. TARGETS defined wherever it is used
for args in "--help" "collect --help" "power --help" "plan --help" \
    "inventory --help" "sensors --help" "events --help" "audit --help"; do
	# shellcheck disable=SC2086 # (words on purpose)
	run_to help "$BMCFLEET" $args >/dev/null
	expect_eq "$RUN_RC" 0 "exit status of bmcfleet $args"
	for re in '^TARGETS: ' '^  @all ' '^  @GROUP ' '^  LABEL=VALUE ' \
	    '^  NAME, node\[1-10\] ' '^  A\+B +the BMCs in both' \
	    '^  !X +leave X out' '^  A,B +the BMCs in either'; do
		expect_match "$RUN_OUT" "$re" "bmcfleet $args"
	done
done
man=$(sed -n '/^\.SH TARGETS/,/^\.SH /p' "$TOP/docs/bmcfleet.1")
for re in '^\.B @all' '^\.BI @ GROUP' '^\.IB LABEL = VALUE' '^\.IB A \+ B' \
    '^\.BI ! X' '^\.IB A , B'; do
	expect_match "$man" "$re" "bmcfleet(1) TARGETS"
done
# 5. a tab in YAML
tabmsg='a tab is not allowed in YAML indentation; use spaces'
printf 'collector:\n\tconcurrency: 2\n' >"$W/tab.yaml"
expect_exit 2 "$W/tab.yaml:2:1: $tabmsg" -c "$W/tab.yaml" inventory @all
printf 'name: x\nstages:\n  - name: a\n\t  targets: "@all"\n' >"$W/plan.yaml"
expect_exit 2 "$W/plan.yaml:4:1: $tabmsg" plan apply "$W/plan.yaml"
printf 'defaults:\n\tlatency_ms: 1\n' >"$W/sim.yaml"
# bmcsim reads its config before it binds anything
run_to words "$BMCSIM" --count 1 --base 127.0.68.1 --config "$W/sim.yaml"
expect_eq "$RUN_RC" 2 "exit status of bmcsim with a tab in its config"
expect_match "$RUN_OUT" "$W/sim.yaml:2:1: $tabmsg" "bmcsim --config"
msg "PASS"
