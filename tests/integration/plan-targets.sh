#!/usr/bin/env bash
# plan apply resolves every stage's TARGETS before it prints or stores
# anything, and says when two stages select the same hosts:
#   - an unknown host in stage 2 (!node99): nothing on stdout, no plan in
#     the database, exit 2, the stage and the name on stderr; likewise
#     with --dry-run
#   - stages that overlap: a warning naming both stages, the count and the
#     first hosts, in --dry-run and before storing; both stages keep the
#     hosts (a power_plan_host row per stage)
#   - '+' intersects: '@storage+rack=r1' is the storage hosts of rack r1
# No BMC is contacted: apply only reads the config and the database.
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-plantargets.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
credentials:
  default: {user: admin, password_env: BMCFLEET_TEST_NOPW}
groups:
  storage: {hosts: "stor[1-4]"}
  compute: {hosts: "node[01-20]"}
bmcs:
  - {hosts: "stor[1-2]", labels: {rack: r1}}
  - {hosts: "stor[3-4]", labels: {rack: r2}}
  - {hosts: "node[01-10]", labels: {rack: r1}}
  - {hosts: "node[11-20]", labels: {rack: r2}}
EOF
C=(-c "$W/fleet.yaml")
unset BMCFLEET_DB BMCFLEET_CONFIG
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

plans() { sql "SELECT count(*) FROM power_plan"; }

# apply NAME ARGS...: bmcfleet plan apply, stdout and stderr kept apart
apply() {
	local name=$1
	shift
	printf '+ bmcfleet plan apply %s\n' "$*"
	timeout -k 5 30 "$BMCFLEET" plan apply "$@" "${C[@]}" \
	    >"$W/$name.out" 2>"$W/$name.err" </dev/null
	APPLY_RC=$?
	sed 's/^/  1| /' "$W/$name.out"
	sed 's/^/  2| /' "$W/$name.err"
	OUT=$(cat "$W/$name.out")
	ERR=$(cat "$W/$name.err")
}

# --- an unknown host in the second stage -----------------------------------
cat >"$W/missing.yaml" <<'EOF'
name: missing host
stages:
  - name: storage
    targets: "@storage+rack=r1"
    op: on
  - name: compute
    targets: "@compute+rack=r1,!node99"
    op: on
EOF
for mode in --dry-run ""; do
	apply "missing$mode" "$W/missing.yaml" $mode
	expect_eq "$APPLY_RC" 2 "unknown host in stage 2 $mode: exit status"
	expect_eq "$OUT" "" "unknown host in stage 2 $mode: stdout"
	expect_eq "$ERR" "bmcfleet: stage compute: target 'node99': no BMC named 'node99' in $W/fleet.yaml" \
	    "unknown host in stage 2 $mode: stderr"
	expect_eq "$(plans)" 0 "unknown host in stage 2 $mode: plans stored"
done

# an unknown group in the second stage: the same, with a suggestion
sed -i 's/@compute+rack=r1,!node99/@compute+@storag/' "$W/missing.yaml"
apply unknown-group "$W/missing.yaml"
expect_eq "$APPLY_RC" 2 "unknown group in stage 2: exit status"
expect_eq "$OUT" "" "unknown group in stage 2: stdout"
expect_eq "$ERR" "bmcfleet: stage compute: unknown group 'storag' (did you mean 'storage'?)" \
    "unknown group in stage 2: stderr"
expect_eq "$(plans)" 0 "unknown group in stage 2: plans stored"

# --- overlapping stages --------------------------------------------------------
# 'rack=r1,@storage' is a union: stor1-4 and node01-10, so stor1-4 are in
# both stages
cat >"$W/overlap.yaml" <<'EOF'
name: overlap
stages:
  - name: disks
    targets: "@storage"
    op: off
  - name: rack1
    targets: "rack=r1,@storage"
    op: on
  - name: rack2
    targets: "@compute+rack=r2"
    op: on
EOF
want="bmcfleet: warning: stages disks and rack1 both select 4 hosts (stor1, stor2, stor3, and 1 more): each stage acts on them, disks first"
apply overlap-dry "$W/overlap.yaml" --dry-run
expect_eq "$APPLY_RC" 0 "overlap --dry-run: exit status"
expect_eq "$ERR" "$want" "overlap --dry-run: the warning"
expect_match "$OUT" '^stage rack1: on 14 host\(s\)' "overlap --dry-run: rack1 keeps them"
expect_match "$OUT" '^stage rack2: on 10 host\(s\)' "overlap --dry-run: rack2"
expect_eq "$(plans)" 0 "overlap --dry-run: plans stored"

apply overlap "$W/overlap.yaml"
expect_eq "$APPLY_RC" 0 "overlap: exit status"
expect_eq "$ERR" "$want" "overlap: the warning"
expect_eq "$(plans)" 1 "overlap: plans stored"
expect_eq "$(sql "SELECT string_agg(stage::text, ' ' ORDER BY stage) FROM power_plan_host WHERE name = 'stor3'")" \
    "0 1" "overlap: stor3 in both stages"
expect_eq "$(sql "SELECT stage || ':' || count(*) FROM power_plan_host GROUP BY stage ORDER BY stage")" \
    $'0:4\n1:14\n2:10' "overlap: hosts per stage"

# one host in common is named alone
cat >"$W/one.yaml" <<'EOF'
stages:
  - {name: a, targets: "node[01-05]", op: on}
  - {name: b, targets: "node[05-09]", op: on}
  - {name: c, targets: "node1*+rack=r2", op: on}
EOF
apply one "$W/one.yaml" --dry-run
expect_eq "$APPLY_RC" 0 "one in common: exit status"
expect_eq "$ERR" "bmcfleet: warning: stages a and b both select 1 host (node05): each stage acts on them, a first" \
    "one in common: the warning"
expect_match "$OUT" '^stage c: on 9 host\(s\)' "one in common: node1*+rack=r2"

# --- '+' in the one-liner ----------------------------------------------------------
run_to oneliner "$BMCFLEET" power on '@storage+rack=r2' --dry-run "${C[@]}"
expect_eq "$RUN_RC" 0 "power on @storage+rack=r2 --dry-run"
expect_match "$RUN_OUT" ': on 2 host\(s\) in 1 batch' "power on @storage+rack=r2 --dry-run"
expect_no_match "$RUN_OUT" 'warning' "a one-liner has one stage"
msg "ok"
