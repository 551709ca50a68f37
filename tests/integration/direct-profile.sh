#!/usr/bin/env bash
# Direct mode's per-BMC profiles (collector/hostprof.h, bmcfleet(1)
# PROFILES): only the first contact asks Get Channel Cipher Suites.
#
#   127.0.166.1  bmcsim, quirk no-cipher-suites (never answers it, as
#                ipmi_sim): the first run falls back to suite 3
#   127.0.166.2  bmcsim, clean: suite 17 from its list
#   127.0.166.3  bmcsim offering suite 3 only (a second bmcsim)
#
# bmcsim's own counter (--stats cipher_suites: requests received) is the
# oracle:
#   - the first `sensors` writes a profile per host (0600 in a 0700
#     directory, no password in it); the second asks Get Channel Cipher
#     Suites of nobody, and prints the same;
#   - a corrupt profile is ignored (-v says so) and rewritten;
#   - a profile naming suite 0 does not make the host insecure: ignored,
#     the suite negotiated (3), not 0;
#   - a profile whose suite the BMC no longer offers (17 on .3) is learned
#     again in the same run (-v says so): the host succeeds, on suite 3.
set -u
. "$(dirname "$0")/../interop/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-dprof.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
NET=127.0.166
# readings fixed in time (--reading-window-ms 0): runs compare their output
start_bmcsim --count 2 --base $NET.1 --user admin --password s3cret-pw \
    --seed 41 --quiet --quirk no-cipher-suites:1 --stats "$W/stats.json" \
    --reading-window-ms 0
SIM1=$BMCSIM_PID
start_bmcsim --count 1 --base $NET.3 --user admin --password s3cret-pw \
    --seed 43 --quiet --suites 3 --stats "$W/stats3.json" \
    --reading-window-ms 0
SIM3=$BMCSIM_PID
export BMCFLEET_PASSWORD=s3cret-pw
P=$W/sdr/profile
B=("$BMCFLEET" -U admin -E --sdr-cache "$W/sdr" --timeout 1000)

# out NAME CMD...: stdout to $W/NAME, stderr to $W/NAME.err, status in RC
out() {
	local name=$1
	shift
	printf '+ %s\n' "${*#"$BMCFLEET" }"
	timeout -k 5 30 "$@" >"$W/$name" 2>"$W/$name.err" </dev/null
	RC=$?
	! grep -Eq "$_lib_sanitizer_re" "$W/$name.err" ||
	    fail "$*: $(cat "$W/$name.err")"
}

# suites HOST: Get Channel Cipher Suites bmcsim received from HOST so far
suites() {
	local pid=$SIM1 f=$W/stats.json
	[[ $1 == "$NET.3" ]] && pid=$SIM3 f=$W/stats3.json
	rm -f "$f"
	kill -USR1 "$pid"
	poll_until 10 test -s "$f" || fail "no --stats on SIGUSR1"
	python3 - "$f" "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["bmc"] == sys.argv[2]:
        print(d["cipher_suites"])
EOF
}

# --- first contact: learned, written ----------------------------------------
out s1 "${B[@]}" -H "$NET.[1-2]" -v sensors
expect_eq "$RC" 0 "first run: exit"
expect_eq "$(grep -c 'no profile: learning the cipher suite' "$W/s1.err")" 2 \
    "first run: -v says each profile is learned"
expect_match "$(cat "$W/s1.err")" \
    "^bmcfleet: $NET\.1: profile learned: cipher suite 3 \(fallback" \
    "first run: .1 falls back to 3"
expect_match "$(cat "$W/s1.err")" \
    "^bmcfleet: $NET\.2: profile learned: cipher suite 17 \(from its list" \
    "first run: .2 chooses 17"
n1=$(suites $NET.1)
n2=$(suites $NET.2)
((n1 >= 1 && n2 >= 1)) || fail "first run asked no cipher suites ($n1, $n2)"
expect_eq "$(stat -c %a "$P")" 700 "profile directory mode"
expect_eq "$(stat -c %a "$P/$NET.1-623")" 600 "profile file mode"
expect_eq "$(stat -c %a "$P/$NET.2-623")" 600 "profile file mode"
! grep -rq 's3cret' "$P" || fail "a password in a profile"
expect_match "$(cat "$P/$NET.1-623")" '^quirks no-suite-list$' \
    "profile of .1 names its quirk"

# --- second run: nothing probed, the same output ----------------------------
out s2 "${B[@]}" -H "$NET.[1-2]" -v sensors
expect_eq "$RC" 0 "second run: exit"
expect_eq "$(grep -c ': profile used: cipher suite' "$W/s2.err")" 2 \
    "second run: -v says each profile is used"
expect_eq "$(suites $NET.1)" "$n1" "second run: no Get Channel Cipher Suites to .1"
expect_eq "$(suites $NET.2)" "$n2" "second run: no Get Channel Cipher Suites to .2"
cmp -s "$W/s1" "$W/s2" || fail "second run's output differs: $(diff "$W/s1" "$W/s2")"
[[ $(grep -c . "$W/s1") -gt 4 ]] || fail "sensors printed nothing to compare"
msg "second run: 0 Get Channel Cipher Suites, output equal"

# --- a corrupt profile: ignored, learned again -------------------------------
printf 'version 1\nhost %s.2:623\ncipher_suite 17\nsuite_from list\nlearned x\n' \
    $NET >"$P/$NET.2-623"
out s3 "${B[@]}" -H "$NET.[1-2]" -v sensors
expect_eq "$RC" 0 "corrupt profile: exit"
expect_match "$(cat "$W/s3.err")" "^bmcfleet: $NET\.2: profile ignored: .*learned 'x' not a time" \
    "corrupt profile: -v says it is ignored"
expect_eq "$(suites $NET.2)" "$((n2 + 1))" "corrupt profile: the list asked again"
cmp -s "$W/s1" "$W/s3" || fail "corrupt profile: output differs: $(diff "$W/s1" "$W/s3")"
expect_match "$(cat "$P/$NET.2-623")" '^learned [0-9]+$' "corrupt profile rewritten"

# --- a profile naming an insecure suite does not make the host insecure -----
sed -i 's/^cipher_suite .*/cipher_suite 0/' "$P/$NET.1-623"
out s4 "${B[@]}" -H "$NET.1" -v --format json power status
expect_eq "$RC" 0 "insecure profile: exit"
expect_match "$(cat "$W/s4.err")" "profile ignored: .*cipher suite 0 is insecure" \
    "insecure profile: -v says it is ignored"
expect_match "$(cat "$W/s4")" '"cipher_suite": 3' "insecure profile: suite 3, not 0"
expect_match "$(cat "$P/$NET.1-623")" '^cipher_suite 3$' "insecure profile rewritten"

# --- a suite the BMC no longer offers: learned again, in the same run -------
out s5 "${B[@]}" -H "$NET.3" -v --format json power status
expect_eq "$RC" 0 ".3 first contact: exit"
sed -i 's/^cipher_suite .*/cipher_suite 17/' "$P/$NET.3-623"
n3=$(suites $NET.3)
out s6 "${B[@]}" -H "$NET.3" -v --format json power status
expect_eq "$RC" 0 "stale profile: exit"
expect_match "$(cat "$W/s6.err")" "$NET\.3: profile's cipher suite 17 failed .*learning it again" \
    "stale profile: -v says it is learned again"
expect_match "$(cat "$W/s6")" '"cipher_suite": 3' "stale profile: suite 3 now"
expect_eq "$(suites $NET.3)" "$((n3 + 1))" "stale profile: the list asked again"
expect_match "$(cat "$P/$NET.3-623")" '^cipher_suite 3$' "stale profile rewritten"

# --- a fallback suite is asked again after 7 days -----------------------------
n1=$(suites $NET.1)
sed -i 's/^learned .*/learned 1000000000/' "$P/$NET.1-623"
out s8 "${B[@]}" -H "$NET.1" -v power status
expect_eq "$RC" 0 "old fallback: exit"
expect_match "$(cat "$W/s8.err")" "$NET\.1: profile not used: suite 3 was a fallback" \
    "old fallback: -v says the list is asked again"
(($(suites $NET.1) > n1)) || fail "old fallback: no Get Channel Cipher Suites"
expect_no_match "$(cat "$P/$NET.1-623")" '^learned 1000000000$' "old fallback rewritten"

# --- another BMC (GUID) at the address: the profile goes ----------------------
printf 'guid %032d\n' 0 >>"$P/$NET.2-623"
out s9 "${B[@]}" -H "$NET.2" -v mc info
expect_eq "$RC" 0 "other GUID: exit"
expect_match "$(cat "$W/s9.err")" "$NET\.2: another BMC \(GUID\) than its profile's" \
    "other GUID: -v says the profile is removed"
[[ ! -e $P/$NET.2-623 ]] || fail "other GUID: profile not removed"

# --- -C and --no-sdr-cache: no profile read -----------------------------------
out s7 "${B[@]}" -H "$NET.2" -v --no-sdr-cache power status
expect_eq "$RC" 0 "--no-sdr-cache: exit"
expect_no_match "$(cat "$W/s7.err")" "profile" "--no-sdr-cache: no profile"
msg "profiles: written, used, corrupt and insecure ones ignored, stale ones learned again"
