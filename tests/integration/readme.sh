#!/usr/bin/env bash
# README.md's fleet-mode walk-through, word for word: every command of the
# block between <!-- walkthrough --> and <!-- /walkthrough --> runs in
# order, in one bash, in a scratch directory laid out as a checkout (deploy/
# copied, build/ the build directory), and prints the output the README
# shows for it (tests/integration/readme.py says how it matches).  The
# walk-through starts its own bmcsim (127.0.60.x) and PostgreSQL (var/pg);
# both are stopped here too, should it fail half-way.  The scratch
# directory is mode 0700, as a checkout under /root would be closed to the
# server's user: deploy/pg.sh's way around that is run too.
# test-timeout: 300
set -u
. "$(dirname "$0")/../interop/lib.sh"
need_tool python3
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
    skip "no PostgreSQL server (run deploy/install-deps.sh)"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-readme.XXXXXX") || fail "mktemp"
cp -r "$TOP/deploy" "$W/deploy" || fail "copy deploy/"
ln -s "$O" "$W/build" || fail "link build/"
_readme_cleanup() {
	local rc=$?
	pkill -TERM -f "bmcsim --count 30 --base 127.0.60.1" 2>/dev/null
	local real
	real=$(readlink -f -- "$W/var/pg")
	[[ -d $W/var/pg ]] && "$TOP/deploy/pg.sh" stop "$W/var/pg" >/dev/null 2>&1
	# a scratch directory postgres cannot enter moves the cluster there
	[[ $real == /var/lib/bmcfleet-pg/* ]] && rm -rf -- "$real"
	rm -rf -- "$W"
	exit "$rc"
}
trap _readme_cleanup EXIT
python3 "$TOP/tests/integration/readme.py" "$TOP/README.md" "$W" ||
    fail "the README's walk-through does not do what it says"
msg "the README's walk-through works as written"
