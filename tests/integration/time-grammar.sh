#!/usr/bin/env bash
# One time grammar (lib/when) for audit --since, events --since/--until
# and plan apply --at, and one duration grammar for flags and config keys,
# against a throwaway PostgreSQL.
#
#   - audit rows and SEL events written a minute ago (and others three
#     days ago) are found by --since 30m, 1h, 1d and not by --since 10s;
#     --since 2w finds both (it was a raw PostgreSQL error), yesterday
#     finds the recent ones only (it passed through to PostgreSQL), and
#     "N milliseconds ago", PostgreSQL's negative interval, had put the
#     bound of --since 1h an hour in the future: nothing was found
#   - a local time is local: in a zone nine hours east of UTC, two
#     minutes ago written as local wall time finds the recent rows
#   - a bad TIME or duration is one line naming the forms, exit 2, and no
#     text of PostgreSQL's
#   - config timeout: 500 is refused with its key, value and units; power
#     --interval 2000 too; collect --db-wait 30s is taken
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-time.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
cat >"$W/fleet.yaml" <<EOF
database: "$PG_CONN"
EOF
C=(-c "$W/fleet.yaml")
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"

# two of each: one a minute old, one three days old (the oracle is the
# rows' own marks, written here, not the code under test)
sql "INSERT INTO audit_log (at, who, origin, host, operation, result)
    VALUES (now() - interval '1 minute', 't', 't', 'recent', 'on', 'ok'),
           (now() - interval '3 days', 't', 't', 'old', 'on', 'ok')" ||
    fail "audit rows"
sql "INSERT INTO bmc (name, address) VALUES ('127.0.61.1', '127.0.61.1')" ||
    fail "bmc row"
sql "INSERT INTO sel_event (bmc_id, record_id, raw, record_type, ts,
    description) SELECT b.id, v.r, decode(lpad(v.r::text, 32, '0'), 'hex'),
    2, now() - v.age, v.d FROM bmc b, (VALUES
    (1, interval '1 minute', 'recent'), (2, interval '3 days', 'old')) AS
    v(r, age, d)" || fail "sel rows"

# got NAME CMD...: run it, want exit 0, the hosts (audit) or descriptions
# (events) it printed as one sorted line in $GOT
got() {
	local name=$1
	shift
	run_to "$name" "$BMCFLEET" "$@"
	expect_eq "$RUN_RC" 0 "$*: exit status ($RUN_OUT)"
	GOT=$(printf '%s\n' "$RUN_OUT" | grep -oE '\b(recent|old)\b' |
	    sort -u | tr '\n' ' ')
}
for t in 30m 1h 1d 1h30m yesterday; do
	got "audit-$t" audit "${C[@]}" --since "$t"
	expect_eq "$GOT" "recent " "audit --since $t"
	got "events-$t" events "${C[@]}" --since "$t" --format csv
	expect_eq "$GOT" "recent " "events --since $t"
done
got audit-10s audit "${C[@]}" --since 10s
expect_eq "$GOT" "" "audit --since 10s"
got audit-2w audit "${C[@]}" --since 2w
expect_eq "$GOT" "old recent " "audit --since 2w"
got events-2w events "${C[@]}" --since 2w --until 2d --format csv
expect_eq "$GOT" "old " "events --since 2w --until 2d"
got events-now events "${C[@]}" --since 4d --until now --format csv
expect_eq "$GOT" "old recent " "events --since 4d --until now"
# an instant in UTC, and a local wall time nine hours east of it
utc=$(date -u -d '-2 min' +%Y-%m-%dT%H:%M:%SZ)
got audit-utc audit "${C[@]}" --since "$utc"
expect_eq "$GOT" "recent " "audit --since $utc"
east=$(TZ=XYZ-9 date -d '-2 min' '+%Y-%m-%d %H:%M:%S')
run_to audit-local env TZ=XYZ-9 "$BMCFLEET" audit "${C[@]}" --since "$east"
expect_eq "$(printf '%s\n' "$RUN_OUT" | grep -c recent)" 1 \
    "audit --since '$east' (local time, UTC+9)"
run_to events-local env TZ=XYZ-9 "$BMCFLEET" events "${C[@]}" \
    --since "$east" --format csv
expect_eq "$(printf '%s\n' "$RUN_OUT" | grep -c recent)" 1 \
    "events --since '$east' (local time, UTC+9)"

# bad TIMEs: one line naming the forms (events adds its --help hint)
for bad in bogus 10 2026-02-30 "1 h"; do
	run_to "audit-bad" "$BMCFLEET" audit "${C[@]}" --since "$bad"
	expect_eq "$RUN_RC" 2 "audit --since '$bad': exit status"
	expect_eq "$RUN_OUT" "bmcfleet: --since '$bad': expected a time like \
2026-12-01, 2026-12-01T10:00, '2026-12-01 10:00:00Z', today, yesterday, or \
an age like 30m, 1h, 1d, 2w" "audit --since '$bad': message"
	run_to "events-bad" "$BMCFLEET" events "${C[@]}" --until "$bad"
	expect_eq "$RUN_RC" 2 "events --until '$bad': exit status"
	expect_match "$RUN_OUT" "^bmcfleet: events: --until '$bad': expected a \
time like 2026-12-01" "events --until '$bad': message"
	expect_no_match "$RUN_OUT" "ERROR|SQL|syntax" \
	    "events --until '$bad': no PostgreSQL text"
done
run_to audit-1900 "$BMCFLEET" audit "${C[@]}" --since 1900-01-01
expect_eq "$RUN_OUT" "bmcfleet: --since '1900-01-01': out of range (1970 \
to 9999; an age up to 100 years)" "audit --since 1900-01-01"
run_to at-bad "$BMCFLEET" plan apply "$W/none.yaml" "${C[@]}" --at soon
expect_eq "$RUN_RC" 2 "plan apply --at soon: exit status"
expect_match "$RUN_OUT" "^bmcfleet: --at 'soon': expected a time like" \
    "plan apply --at soon: message"

# durations: a bare number where a unit matters is refused with the units
cat >"$W/bare.yaml" <<EOF
database: "$PG_CONN"
defaults:
  timeout: 500
EOF
run_to cfg-bare "$BMCFLEET" audit -c "$W/bare.yaml"
expect_eq "$RUN_RC" 2 "config timeout: 500: exit status"
expect_eq "$RUN_OUT" "bmcfleet: $W/bare.yaml:3:12: timeout: '500': a number \
needs its unit (ms, s, m, h, d, w), like 500ms, 30s, 5m, 1h30m or 2d (10ms \
to 10m)" "config timeout: 500: message"
run_to interval "$BMCFLEET" power on @all "${C[@]}" --interval 2000
expect_eq "$RUN_RC" 2 "power --interval 2000: exit status"
expect_eq "$RUN_OUT" "bmcfleet: --interval '2000': a number needs its unit \
(ms, s, m, h, d, w), like 500ms, 30s, 5m, 1h30m or 2d (0s to 1d)" \
    "power --interval 2000: message"
run_to dbwait-bad "$BMCFLEET" collect "${C[@]}" --db-wait 30x
expect_eq "$RUN_RC" 2 "collect --db-wait 30x: exit status"
expect_eq "$RUN_OUT" "bmcfleet: collect: --db-wait '30x': expected a \
duration like 500ms, 30s, 5m, 1h30m or 2d (0s to 1d); a bare number is \
seconds" "collect --db-wait 30x: one line, not the usage"
# taken: --help after it exits 0 once the value has been read
for ok in 30s 2m 30; do
	run_to dbwait-ok "$BMCFLEET" collect --db-wait "$ok" --help
	expect_eq "$RUN_RC" 0 "collect --db-wait $ok: taken"
done
msg "ok"
