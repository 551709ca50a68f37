#!/usr/bin/env bash
# pgq (store/pgq.h) against a real PostgreSQL: the unit test's
# real_server case, which runs only when BMCFLEET_TEST_PG names a server:
# results come back through the loop, an error is a result, a query that
# outlasts its deadline (pg_sleep) is abandoned while the loop's timers
# go on.
set -u
. "$(dirname "$0")/../interop/lib.sh"

start_pg
T=$O/tests/unit/test_pgq
[[ -x $T ]] || fail "$T is not built"
out=$(CK_FORK=no BMCFLEET_TEST_PG="$PG_CONN" "$T" 2>&1) ||
    fail "test_pgq against PostgreSQL: $out"
msg "$out"
msg "ok"
