#!/usr/bin/env bash
# BMCs named in DNS (issue 16, item 6): names are resolved on the loop,
# once per run, and a slow DNS answer holds only the hosts that wait for it.
# A real DNS server (tests/integration/dnsd.py) on 127.0.162.1:53, and the
# resolver pointed at it the real way: this script runs in a private mount
# namespace with /etc/resolv.conf bind-mounted to its own file.  Asserted:
#   - 20 BMCs named bmc-N.fleet.test (bmcsim on 127.0.162.11-30) all
#     collected, each name asked of the server once (A and AAAA once each);
#   - slow.fleet.test (answered after 3 s), started first, does not hold
#     the others: in -v's lines, every bmc-N's session is closed before a
#     session to the slow name starts, and the slow host still succeeds;
#   - two sessions on slow.fleet.test (ports 623 and 624) both continued
#     by its one answer;
#   - gone.fleet.test (NXDOMAIN) fails "unresolvable", the message naming
#     the name and the reason;
#   - -v prints "resolved NAME in N ms: ADDR" per host named in DNS;
#   - a host past its --deadline while its name is still being asked is
#     failed "deadline" and its wait cancelled (the sanitizer build's
#     run checks the cancel and the drop of the pending query).
set -u
if [[ -z ${BMCFLEET_DNS_NS:-} ]]; then
	BMCFLEET_DNS_NS=1 exec unshare -m --propagation private \
	    "$BASH" "$0" "$@"
fi
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-dns.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
printf 'nameserver 127.0.162.1\noptions ndots:1 timeout:5 attempts:1\n' \
    >"$W/resolv.conf"
mount --bind "$W/resolv.conf" /etc/resolv.conf ||
    skip "cannot bind-mount /etc/resolv.conf (not root?)"
: >"$W/zone"
for i in $(seq 1 20); do
	printf 'bmc-%d.fleet.test 127.0.162.%d\n' "$i" $((10 + i)) >>"$W/zone"
done
printf 'slow.fleet.test 127.0.162.31 3\n' >>"$W/zone"

: >"$W/queries"
: >"$W/dnsd.out"
python3 "$(dirname "$0")/dnsd.py" 127.0.162.1 "$W/zone" "$W/queries" \
    >>"$W/dnsd.out" 2>&1 &
_lib_register $! dnsd "$W/dnsd.out" 0
for _ in $(seq 50); do
	grep -q '^dnsd: ready' "$W/dnsd.out" && break
	sleep 0.1
done
grep -q '^dnsd: ready' "$W/dnsd.out" || fail "dnsd did not start"

start_bmcsim --count 21 --base 127.0.162.11 --user admin \
    --password s3cret-pw --seed 16 --quiet
# the slow name's BMC on a second port too: two sessions wait on one name
start_bmcsim --count 1 --base 127.0.162.31 --port 624 --user admin \
    --password s3cret-pw --seed 17 --quiet
export BMCFLEET_PASSWORD=s3cret-pw

# the slow name first: started first, it must still finish last
hosts=slow.fleet.test,slow.fleet.test:624
for i in $(seq 1 20); do
	hosts+=",bmc-$i.fleet.test"
done
hosts+=,gone.fleet.test

RUN_TIMEOUT=60
run_to direct "$BMCFLEET" -v -H "$hosts" -U admin -E --timeout 1000 \
    --retries 1 --no-sdr-cache power status
expect_eq "$RUN_RC" 1 "exit status with one host unresolvable"
expect_no_match "$RUN_OUT" "Sanitizer|runtime error:" "sanitizer reports"
expect_match "$RUN_OUT" "1 of 23 hosts failed: 1 unresolvable" \
    "summary by reason"
expect_match "$RUN_OUT" \
    "gone\.fleet\.test: .*cannot resolve 'gone\.fleet\.test': no such name \(NXDOMAIN\)" \
    "the unresolvable host's message"

# every host collected: a power state per host in DNS
ok=$(grep -Eo '^(bmc-([1-9]|1[0-9]|20)|slow)\.fleet\.test: (on|off)$' \
    <<<"$RUN_OUT" | cut -d: -f1 | sort -u | wc -l)
expect_eq "$ok" 21 "hosts named in DNS collected"
expect_match "$RUN_OUT" '^slow\.fleet\.test:624: (on|off)$' \
    "the second session on the slow name"

# ordering (results are printed sorted at the end; -v's lines come as
# things happen): every bmc-N's session closed before the slow name's
# first session even started
last_fast=$(grep -nE '^bmcfleet: bmc-[0-9]+\.fleet\.test: state closing -> closed' \
    <<<"$RUN_OUT" | tail -n 1 | cut -d: -f1)
nfast=$(grep -cE '^bmcfleet: bmc-[0-9]+\.fleet\.test: state closing -> closed' \
    <<<"$RUN_OUT")
expect_eq "$nfast" 20 "sessions closed by the bmc names"
first_slow=$(grep -nE '^bmcfleet: slow\.fleet\.test(:624)?: state idle -> ' \
    <<<"$RUN_OUT" | head -n 1 | cut -d: -f1)
[[ -n $last_fast && -n $first_slow ]] || fail "-v lines missing"
((last_fast < first_slow)) ||
    fail "the slow name held the others: last fast host done at line $last_fast, slow started at $first_slow"

# -v: the resolution line, with the address
expect_match "$RUN_OUT" \
    "bmc-7\.fleet\.test.*resolved bmc-7\.fleet\.test in [0-9]+ ms: 127\.0\.162\.17\$" \
    "-v resolution line"
expect_match "$RUN_OUT" \
    "slow\.fleet\.test:624.*resolved slow\.fleet\.test in [0-9]+ ms: 127\.0\.162\.31\$" \
    "-v resolution line of the slow name"

# the server's count: each name once, A and AAAA once each
for n in bmc-1 bmc-7 bmc-20 slow; do
	for ty in A AAAA; do
		c=$(grep -c "^$n\.fleet\.test $ty\$" "$W/queries")
		expect_eq "$c" 1 "$n.fleet.test $ty queries"
	done
done
c=$(grep -cE '^bmc-[0-9]+\.fleet\.test A$' "$W/queries")
expect_eq "$c" 20 "A queries for the 20 bmc names"

# a host whose time is up while its name is still being asked: failed
# "deadline" without waiting for the answer, its wait cancelled and the
# pending query dropped at exit (sanitizer build: no leak, no use after
# free), the other host unharmed
run_to pending "$BMCFLEET" -H slow.fleet.test,bmc-1.fleet.test -U admin -E \
    --timeout 1000 --retries 1 --deadline 1s --no-sdr-cache power status
expect_eq "$RUN_RC" 1 "exit status with the slow name past its deadline"
expect_no_match "$RUN_OUT" "Sanitizer|runtime error:" "sanitizer reports"
expect_match "$RUN_OUT" '^slow\.fleet\.test: error: deadline' \
    "the slow name's host failed by its deadline"
expect_match "$RUN_OUT" '^bmc-1\.fleet\.test: (on|off)$' "the other host"
msg "ok"
