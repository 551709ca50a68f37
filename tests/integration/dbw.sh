#!/usr/bin/env bash
# dbw (collector/dbw.h) against a real PostgreSQL: the unit test's
# postgresql cases, which run only when BMCFLEET_TEST_PG names a server:
# oldest batch first, removed from the spool only after COMMIT; a server
# silent mid-batch dropped at the timeout, the batch kept; a batch refused
# for its content moved to failed/, one refused for a missing table kept;
# an error of the moment retried 5 times, then the batch set aside.  Each
# case makes a database of its own in this server.
set -u
. "$(dirname "$0")/../interop/lib.sh"

unit_against_pg test_dbw
