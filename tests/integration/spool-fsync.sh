#!/usr/bin/env bash
# The spool's fsync (issue 10): a batch the collector acknowledges is on
# disk.  bmcfleet collect runs under strace; spool-fsync.awk reads the
# log and checks, for every batch file, that it was written, fsync'd,
# renamed into place and its directory fsync'd, in that order, before it
# was COPY'd to PostgreSQL (from memory, or reopened) and before anything at all went
# over a socket; and that directories the spool created had their parents
# fsync'd before the first batch was acknowledged.  The oracle is the
# kernel's view of the syscalls, not the collector's word.
#
#   1. a fresh, nested spool directory, the database up: every batch is
#      on disk, then COPY'd (from memory), then removed.
#   2. the database away: the batches are on disk and stay (the files
#      left are exactly those traced, each of the size written); none is
#      sent.
#   3. the database back: the next run reads those batches back from the
#      spool and says so (collect's summary, --format json's from_spool),
#      and the spool is empty after it.
#
# Loopback 127.0.23.1-20.
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool strace

start_pg
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-fsync.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
printf 'Sp00l-pw\n' >"$W/pw"
chmod 600 "$W/pw"
RUN_TIMEOUT=60
AWK=$TOP/tests/integration/spool-fsync.awk
run_to migrate "$BMCFLEET" db migrate --db "$PG_CONN" || fail "db migrate failed"
start_bmcsim --count 20 --base 127.0.23.1 --user admin --password Sp00l-pw \
    --seed 9 --power on

# config NAME CONNINFO: $W/NAME.yaml, spool in $W/NAME/var/spool (made by
# the collector, so its mkdirs are traced too)
config() {
	cat >"$W/$1.yaml" <<EOF
database: "$2"
credentials:
  default: {user: admin, password_file: $W/pw}
defaults:
  timeout: 300ms
  retries: 4
groups:
  fleet: {hosts: "127.0.23.[1-20]"}
collector:
  spool_dir: $W/$1/var/spool
EOF
}
# LeakSanitizer cannot run under ptrace (SANITIZE=1 builds): leaks are
# checked by every other test, not this one
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
TRACE=(strace -f -yy -s 64 -e trace=openat,write,fsync,fdatasync,rename,renameat,renameat2,sendto,sendmsg,mkdir,mkdirat,unlink,unlinkat)

# --- 1. database up --------------------------------------------------------
config up "$PG_CONN"
mkdir -p "$W/up"
run_to collect-up "${TRACE[@]}" -o "$W/up.trace" "$BMCFLEET" collect \
    -c "$W/up.yaml" --what sensors,sel || fail "collect failed"
expect_match "$RUN_OUT" '^collect: 20 hosts .*: 20 ok, 0 failed' \
    "collect summary"
run_to check-up awk -v S="$W/up/var/spool" -v WANT_COPY=1 -f "$AWK" \
    "$W/up.trace" || fail "the spool's durability order is broken (see above; trace in $W/up.trace)"
nb=$(sed -n 's/^batches: //p' <<<"$RUN_OUT")
((nb >= 2)) || fail "only $nb batch(es) traced; expected at least 2"
# committed, so removed: the spool holds no batch
left=$(find "$W/up/var/spool" -name '*.batch' | wc -l)
expect_eq "$left" 0 "batch files left after a committed run"
expect_match "$RUN_OUT" 'mkdir .*/up/var: parent fsync' "the spool's parent"
expect_match "$RUN_OUT" 'mkdir .*/up/var/spool: parent fsync' "the spool"

# --- 2. database away -----------------------------------------------------
config down "host=$W/nosuchdir port=5432 dbname=bmcfleet connect_timeout=1"
mkdir -p "$W/down"
run_to collect-down "${TRACE[@]}" -o "$W/down.trace" "$BMCFLEET" collect \
    -c "$W/down.yaml" --what sensors --db-wait 1
expect_eq "$RUN_RC" 1 "collect's exit status with the database away"
expect_match "$RUN_OUT" "batch\(es\) wait in $W/down/var/spool for the next run" \
    "collect's word on the spool"
run_to check-down awk -v S="$W/down/var/spool" -v WANT_COPY=0 -f "$AWK" \
    "$W/down.trace" || fail "the spool's durability order is broken (see above; trace in $W/down.trace)"
nb=$(sed -n 's/^batches: //p' <<<"$RUN_OUT")
((nb >= 2)) || fail "only $nb batch(es) traced; expected at least 2"
# what is on disk is what was traced: every batch, whole
on_disk=$(cd "$W/down/var/spool" && for f in *.batch; do
	[[ -f $f ]] && printf 'batch %s: %d bytes\n' "${f%.batch}" "$(stat -c %s "$f")"
done)
traced=$(sed -n 's/^\(batch [0-9]*: [0-9]* bytes\) .*/\1/p' <<<"$RUN_OUT")
expect_eq "$on_disk" "$traced" "batch files on disk vs the batches traced"
expect_eq "$(wc -l <<<"$on_disk")" "$nb" "batch files on disk"
msg "PASS: $nb batches spooled while the database was away, all on disk"

# --- 3. the database back: the earlier run's batches read back -------------
# twice over: a copy of the spool for --format json's word, the spool
# itself for the text summary's
cp -a "$W/down" "$W/back"
sed "s|^database: .*|database: \"$PG_CONN\"|; s|/down/var/spool|/back/var/spool|" \
    "$W/down.yaml" >"$W/back.yaml"
run_to collect-json "$BMCFLEET" collect -c "$W/back.yaml" --what sensors \
    --format json || fail "collect with the database back failed"
expect_match "$RUN_OUT" '"from_spool": '"$nb"', "already_stored": 0,' \
    "--format json's from_spool"
sed -i "s|^database: .*|database: \"$PG_CONN\"|" "$W/down.yaml"
run_to collect-back "$BMCFLEET" collect -c "$W/down.yaml" --what sensors ||
    fail "collect with the database back failed"
expect_match "$RUN_OUT" "^collect: database: $nb batch\\(es\\) read back from the spool .*; 0 found stored already" \
    "collect's word on the batches read back"
expect_eq "$(find "$W/down/var/spool" "$W/back/var/spool" -name '*.batch' | wc -l)" 0 \
    "batch files left once the database is back"
msg "PASS: the $nb spooled batches read back and committed by the next run"
