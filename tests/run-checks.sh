#!/usr/bin/env bash
# run-checks.sh: the test driver behind `make check`.
#
#   O=build tests/run-checks.sh UNIT_BIN... -- FUZZ_REPLAY_BIN...
#
# Runs, in this order:
#   unit         each Check binary given before "--" (CK_FORK as the user has it)
#   fuzz         each replay binary given after "--", with every file in
#                tests/fuzz/corpus/<name>/ as arguments, where <name> is the
#                basename less "fuzz_" and "-replay"; a missing or empty corpus
#                directory is a failure
#   layers       every tests/layers/*.sh: check.sh holds the includes and
#                the objects in $O to tests/layers/allowed.txt, selftest.sh
#                shows check.sh failing on a wrong tree
#   interop      every tests/interop/*.sh but lib.sh, sorted
#   integration  every tests/integration/*.sh, sorted
# Each result line ends with the item's wall time, "[12s]".  With
# SANITIZE=1 (make SANITIZE=1 check), a script with a line "# sanitize: no
# (why)" is not run: its subject gains nothing from ASan and UBSan, and the
# plain build's run covers it; the run names those it left out.
# Scripts exit 0 (pass), 77 (skip) or anything else (fail).  A script
# without its run bit fails, as does a unit binary that ran 0 checks; with
# CI=true in the environment (.ci/run exports it) a skip is a failure.  Every item runs
# under `timeout` (TEST_TIMEOUT, default 300 s; a script that says
# "# test-timeout: N" in a line of its own gets N s when that is more) with
# stdin from /dev/null; its
# output goes to $O/test-logs/<name>.log and is shown (last 50 lines) only when
# it fails.  Scripts get O, BMCFLEET=$O/bmcfleet and BMCSIM=$O/bmcsim in their
# environment (absolute paths), and BMCFLEET_PG_TEMPLATE: a directory where
# the first start_pg (tests/interop/lib.sh) leaves a fresh cluster that the
# others copy, removed when the run ends.
#
# TESTS="pat[,pat...]" runs only the items whose "kind/name" (for example
# unit/test_buf, fuzz/msg, interop/ipmitool-vs-bmcsim) contains a pattern;
# patterns are shell globs, matched as substrings.
#
# The last line printed is "N passed, N failed, N skipped"; the exit status is
# 1 when anything failed.

set -uo pipefail
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP" || exit 2

O_SHOWN=${O:-build}
mkdir -p "$O_SHOWN/test-logs" || exit 2
O=$(cd "$O_SHOWN" && pwd)
LOGDIR=$O/test-logs
export O BMCFLEET="$O/bmcfleet" BMCSIM="$O/bmcsim"
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
# One PostgreSQL cluster made per run, copied by each test's start_pg
# (tests/interop/lib.sh) instead of an initdb of its own; open to the
# server's user (deploy/pg.sh runs it as postgres under root), removed at
# the end
if BMCFLEET_PG_TEMPLATE=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-pgtpl.XXXXXX") &&
    chmod 755 "$BMCFLEET_PG_TEMPLATE"; then
	export BMCFLEET_PG_TEMPLATE
	_pg_template_gone() {
		[[ -d $BMCFLEET_PG_TEMPLATE/c ]] &&
		    "$TOP/deploy/pg.sh" stop "$BMCFLEET_PG_TEMPLATE/c" >/dev/null 2>&1
		rm -rf -- "$BMCFLEET_PG_TEMPLATE"
	}
	trap _pg_template_gone EXIT
else
	unset BMCFLEET_PG_TEMPLATE
fi
# For SANITIZE=1 builds; harmless otherwise.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

units=()
fuzzers=()
seen_sep=0
for a in "$@"; do
	if [[ $a == -- && $seen_sep == 0 ]]; then
		seen_sep=1
	elif ((seen_sep)); then
		fuzzers+=("$a")
	else
		units+=("$a")
	fi
done

unsanitized=()
item_t0=$SECONDS	# when the item running began: its wall time in the line
npass=0
nfail=0
nskip=0
failed=()

IFS=', ' read -r -a patterns <<<"${TESTS:-}"

selected() {
	local item=$1 p
	((${#patterns[@]})) || return 0
	for p in "${patterns[@]}"; do
		# Unquoted on purpose: the pattern is a glob.
		# shellcheck disable=SC2053
		[[ $item == *$p* ]] && return 0
	done
	return 1
}

# result KIND NAME RC LOG [NOTE]
result() {
	local kind=$1 name=$2 rc=$3 log=$4 note=${5:-}
	local shown=$O_SHOWN/test-logs/${log##*/}
	local took="[$((SECONDS - item_t0))s]"
	# in CI nothing may be skipped (lib.sh's skip already fails there;
	# this catches a script that exits 77 by itself)
	if [[ $rc == 77 && ${CI:-} == true ]]; then
		rc=1
		note="skipped under CI=true"
	fi
	case $rc in
	0)
		npass=$((npass + 1))
		echo "PASS $kind $name${note:+ ($note)} $took"
		;;
	77)
		nskip=$((nskip + 1))
		local why
		why=$(grep -m1 'SKIP: ' "$log" 2>/dev/null | sed 's/.*SKIP: //' |
		    cut -c1-160)
		echo "SKIP $kind $name${why:+ ($why)} $took"
		;;
	*)
		nfail=$((nfail + 1))
		failed+=("$kind/$name")
		if ((rc == 124)); then
			note="timed out"
		elif [[ -z $note ]]; then
			note="exit $rc"
		fi
		echo "FAIL $kind $name ($note; see $shown) $took"
		if [[ -s $log ]]; then
			echo "---- last 50 lines of $shown ----"
			tail -n 50 "$log"
			echo "---- end of $shown ----"
		fi
		;;
	esac
}

# run_item KIND NAME LOG CMD...  (ITEM_TIMEOUT: more than TEST_TIMEOUT)
run_item() {
	local kind=$1 name=$2 log=$3 t=$TEST_TIMEOUT
	shift 3
	item_t0=$SECONDS
	((${ITEM_TIMEOUT:-0} > t)) && t=$ITEM_TIMEOUT
	timeout -k 10 "$t" "$@" </dev/null >"$log" 2>&1
}

# --- unit tests ---------------------------------------------------------
for bin in "${units[@]}"; do
	name=${bin##*/}
	selected "unit/$name" || continue
	log=$LOGDIR/$name.log
	if [[ ! -x $bin ]]; then
		echo "not an executable: $bin" >"$log"
		result unit "$name" 1 "$log" "not built"
		continue
	fi
	run_item unit "$name" "$log" "$bin"
	rc=$?
	# Check's summary: "100%: Checks: 12, Failures: 0, Errors: 0"
	nchecks=$(grep -Eo 'Checks: [0-9]+' "$log" | awk '{n += $2} END {print n + 0}')
	note="$nchecks checks"
	# a suite that ran nothing proved nothing: a test with no tcase, or a
	# binary that exits 0 before srunner_run_all
	if ((rc == 0 && nchecks == 0)); then
		rc=1
		note="ran 0 checks"
	fi
	result unit "$name" "$rc" "$log" "$note"
done

# --- fuzz corpus replay -------------------------------------------------
for bin in "${fuzzers[@]}"; do
	base=${bin##*/}
	name=${base#fuzz_}
	name=${name%-replay}
	selected "fuzz/$name" || continue
	log=$LOGDIR/fuzz_$name.log
	corpus=tests/fuzz/corpus/$name
	if [[ ! -x $bin ]]; then
		echo "not an executable: $bin" >"$log"
		result fuzz "$name" 1 "$log" "not built"
		continue
	fi
	if [[ ! -d $corpus ]]; then
		echo "missing corpus directory $corpus" >"$log"
		result fuzz "$name" 1 "$log" "no corpus: $corpus"
		continue
	fi
	mapfile -d '' -t files < <(find "$corpus" -type f -print0 | sort -z)
	nfiles=${#files[@]}
	if ((nfiles == 0)); then
		echo "empty corpus directory $corpus" >"$log"
		result fuzz "$name" 1 "$log" "empty corpus: $corpus"
		continue
	fi
	if (($(printf '%s\n' "${files[@]}" | wc -c) < 500000)); then
		run_item fuzz "$name" "$log" "$bin" "${files[@]}"
		rc=$?
	else
		# A large corpus: xargs keeps under the argument-length limit.
		printf '%s\0' "${files[@]}" |
		    timeout -k 10 "$TEST_TIMEOUT" xargs -0 "$bin" >"$log" 2>&1
		rc=$?
		((rc == 123 || rc == 125)) && rc=1	# xargs: a run failed
	fi
	result fuzz "$name" "$rc" "$log" "$nfiles inputs"
done

# --- layer check, interop and integration scripts -----------------------
for kind in layers interop integration; do
	[[ -d tests/$kind ]] || continue
	while IFS= read -r -d '' script; do
		[[ ${script##*/} != lib.sh ]] || continue
		name=${script##*/}
		name=${name%.sh}
		selected "$kind/$name" || continue
		log=$LOGDIR/$name.log
		# a test that lost its run bit would otherwise vanish unseen
		if [[ ! -x $script ]]; then
			echo "$script is not executable (chmod +x it)" >"$log"
			result "$kind" "$name" 1 "$log" "not executable"
			continue
		fi
		# a script whose subject gains nothing from ASan and UBSan
		# (a peer's behaviour, packaging, a static check) says so in
		# a line "# sanitize: no (why)", and a sanitized run leaves
		# it to the plain one
		if [[ ${SANITIZE:-} == 1 ]] &&
		    grep -q '^# sanitize: no' "$script"; then
			unsanitized+=("$kind/$name")
			continue
		fi
		# the fault matrix runs for minutes by design, longer under
		# the sanitizers: it says how long it may take
		ITEM_TIMEOUT=$(sed -n 's/^# test-timeout: \([0-9]\{1,5\}\)$/\1/p' \
		    "$script" | head -n 1)
		run_item "$kind" "$name" "$log" "$script"
		rc=$?
		ITEM_TIMEOUT=
		result "$kind" "$name" "$rc" "$log"
	done < <(find "tests/$kind" -maxdepth 1 -name '*.sh' -type f -print0 | sort -z)
done

if ((${#patterns[@]})) && ((npass + nfail + nskip == 0)); then
	echo "run-checks: nothing matched TESTS='${TESTS}'"
fi
if ((${#unsanitized[@]})); then
	echo "left to the plain build (\"# sanitize: no\"): ${unsanitized[*]}"
fi
if ((nfail)); then
	echo "failed: ${failed[*]}"
fi
echo "$npass passed, $nfail failed, $nskip skipped"
((nfail == 0))
