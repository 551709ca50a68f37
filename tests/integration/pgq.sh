#!/usr/bin/env bash
# pgq (store/pgq.h) against a real PostgreSQL: the unit test's
# real_server case, which runs only when BMCFLEET_TEST_PG names a server:
# results come back through the loop, an error is a result, a query that
# outlasts its deadline (pg_sleep) is abandoned while the loop's timers
# go on; a query sent now and read later (pgq_send, pgq_result).  And
# fleetstore's sensor IDs through a cursor (test_fleetstore); alertstore's
# queued marks keep their SQL (test_alertstore).
set -u
. "$(dirname "$0")/../interop/lib.sh"

unit_against_pg test_pgq
unit_against_pg test_fleetstore
unit_against_pg test_alertstore
