# shellcheck shell=bash
# simtruth.bash: bmcsim's own record as the truth a collector is held to,
# for tests/integration scripts (sourced after ../interop/lib.sh, with W a
# scratch directory, start_pg run, and PLANT_FAULT set or empty):
#
#   start_sim ARGS...     start_bmcsim ARGS with --stats and --sel-dump
#                         into $W
#   sim_dump NAME         SIGUSR1: bmcsim's SEL record and counters now,
#                         into $W/sel-NAME.jsonl and $W/stats-NAME.jsonl
#   sel_check WHAT HOST BEFORE AFTER
#                         the database's SEL rows (sel_event joined with
#                         bmc) against the dumps named BEFORE (taken
#                         before the last collector run started) and AFTER
#                         (once it ended), by selcheck.py: every entry
#                         stored exactly once, totals printed, fails the
#                         test otherwise.  PLANT_FAULT=sel-delete deletes
#                         HOST's last stored event first, to see it fail.
#   readings_served NAME  Get Sensor Readings bmcsim answered (its
#                         "readings" counter, each request once), summed
#                         over the BMCs of $W/stats-NAME.jsonl
#
# Sourcing it runs selcheck.py --self-test.  Not a .sh: run-checks.sh
# runs every tests/integration/*.sh as a test.

SELCHECK=$TOP/tests/integration/selcheck.py
# the checker itself, on hand-made cases, before anything is held to it
python3 "$SELCHECK" --self-test || fail "selcheck.py failed its self-test"

start_sim() {
	rm -f "$W/stats.jsonl" "$W/sel.jsonl"
	start_bmcsim --stats "$W/stats.jsonl" --sel-dump "$W/sel.jsonl" "$@"
}

# bmcsim writes the stats, then the dump, each whole and renamed into place
sim_dump() {
	rm -f "$W/sel.jsonl"
	kill -USR1 "$BMCSIM_PID"
	poll_until 10 test -s "$W/sel.jsonl" || fail "bmcsim wrote no SEL dump"
	mv "$W/sel.jsonl" "$W/sel-$1.jsonl"
	cp "$W/stats.jsonl" "$W/stats-$1.jsonl"
}

sel_check() {
	local what=$1 host=$2
	if [[ ${PLANT_FAULT:-} == sel-delete ]]; then
		msg "PLANT_FAULT=sel-delete: deleted $host's last stored event: $(sql "
		    DELETE FROM sel_event WHERE id = (SELECT e.id FROM sel_event e
		    JOIN bmc b ON b.id = e.bmc_id WHERE b.name = '$host'
		    ORDER BY get_byte(e.raw, 1) * 256 + get_byte(e.raw, 0) DESC
		    LIMIT 1) RETURNING encode(raw, 'hex')")"
	fi
	sql "SELECT b.name, encode(e.raw, 'hex') FROM sel_event e
	    JOIN bmc b ON b.id = e.bmc_id" >"$W/db-sel.txt" ||
	    fail "$what: cannot read sel_event"
	python3 "$SELCHECK" "$what" "$W/sel-$3.jsonl" "$W/sel-$4.jsonl" \
	    "$W/db-sel.txt" || fail "$what: SEL entries lost or doubled"
}

readings_served() {
	python3 -c 'import json, sys
print(sum(json.loads(l)["readings"] for l in open(sys.argv[1])))' \
	    "$W/stats-$1.jsonl"
}
