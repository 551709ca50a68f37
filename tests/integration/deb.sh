#!/usr/bin/env bash
# The Debian packages (issue 15, part pkg), on this machine, as root:
#   1. dpkg-buildpackage -us -uc -b builds bmcfleet and bmcsim from a clean
#      copy of the tree (the tracked and new files; nothing is written in
#      the tree itself), without the test suite (nocheck)
#   2. lintian reports no error (E:) on them
#   3. dpkg -i installs both: bmcfleet --version says the package's
#      version; the system user bmcfleet; /var/lib/bmcfleet(/spool) and
#      /var/cache/bmcfleet(/sdr) its own, 0700; the example config a
#      conffile at /etc/bmcfleet/bmcfleet.yaml, root:bmcfleet 0640;
#      bmcfleetd in /usr/sbin; bmcsim only in the bmcsim package
#   4. the installed /usr/bin/bmcfleet migrates a fresh PostgreSQL from
#      /usr/share/bmcfleet/schema (no BMCFLEET_SCHEMA_DIR), and its
#      db --help names that directory
#   5. systemd-analyze verify accepts the installed unit (when the tree
#      has one)
#   6. dpkg --purge: the binaries, the config and the SDR cache are gone,
#      the spool (/var/lib/bmcfleet) and the user are kept;
#      BMCFLEET_PURGE_DATA=yes dpkg --purge removes the spool too
# The machine is put back on exit, failed or not: the packages purged, and
# the user and directories removed when this test made them.
# test-timeout: 420
# sanitize: no (builds and installs the package, with the package's own flags)
set -u
. "$(dirname "$0")/../interop/lib.sh"

[[ $(id -u) == 0 ]] || skip "needs root (dpkg -i)"
need_tool dpkg-buildpackage dh lintian fakeroot git
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -t/ -k5,5 -n |
    tail -n 1)
[[ -n $PSQL ]] || skip "no PostgreSQL server (run deploy/install-deps.sh)"
for p in bmcfleet bmcsim; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[[ -z $st || $st == not-installed ]] ||
	    skip "package $p is on this machine ($st); not touching it"
done

t0=$(_lib_now_ms)
W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-deb.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
PG=$TOP/deploy/pg.sh
PGDIR=$W/pg
had_user=0
getent passwd bmcfleet >/dev/null && had_user=1
had_lib=0
[[ -e /var/lib/bmcfleet ]] && had_lib=1
had_cache=0
[[ -e /var/cache/bmcfleet ]] && had_cache=1

# dpkg ARGS...: dpkg, waiting (bounded) for another apt or dpkg to finish
dpkg_w() {
	local i rc
	for ((i = 0; i < 60; i++)); do
		dpkg "$@" >>"$TEST_LOGDIR/$TEST_NAME.dpkg.log" 2>&1
		rc=$?
		tail -n 3 "$TEST_LOGDIR/$TEST_NAME.dpkg.log" |
		    grep -q 'lock' || return "$rc"
		sleep 1
	done
	return "$rc"
}

_set_rc() { return "$1"; }
_deb_on_exit() {
	local rc=$?
	[[ -d $PGDIR ]] && "$PG" stop "$PGDIR" >>"$TEST_LOGDIR/$TEST_NAME.pg.log" 2>&1
	dpkg_w --purge bmcsim bmcfleet ||
	    msg "dpkg --purge failed; see $TEST_LOGDIR/$TEST_NAME.dpkg.log"
	((had_user)) || ! getent passwd bmcfleet >/dev/null ||
	    deluser --quiet --system bmcfleet >/dev/null 2>&1 ||
	    msg "deluser bmcfleet failed"
	getent group bmcfleet >/dev/null && ((!had_user)) &&
	    delgroup --quiet --system bmcfleet >/dev/null 2>&1
	((had_lib)) || rm -rf /var/lib/bmcfleet
	((had_cache)) || rm -rf /var/cache/bmcfleet
	_set_rc "$rc"
	_lib_on_exit
}
trap _deb_on_exit EXIT

# the package builds as a user's would: not with make check's flags
# (DEVELOPER=1, -j, the jobserver) nor its variables
unset MAKEFLAGS MAKELEVEL MFLAGS DEVELOPER SANITIZE CFLAGS LDFLAGS CPPFLAGS

# 1. the build, from a copy: the tree's files as git sees them (what a
# commit of it would hold), never its build directories
mkdir -p "$W/src/bmcfleet" || fail "mkdir"
(cd "$TOP" && git ls-files -z -c -o --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] &&
	printf '%s\0' "$f"; done | tar --null -T - -cf -) |
    tar -xf - -C "$W/src/bmcfleet" || fail "copying the tree"
[[ -x $W/src/bmcfleet/debian/rules ]] || fail "debian/rules is not executable"
version=$(cd "$W/src/bmcfleet" && dpkg-parsechangelog -S Version) ||
    fail "dpkg-parsechangelog"
msg "building $version in $W/src (nocheck, noddebs, -j2)"
RUN_TIMEOUT=300 run_to build env -C "$W/src/bmcfleet" \
    DEB_BUILD_OPTIONS="nocheck noddebs parallel=2" \
    dpkg-buildpackage -us -uc -b >/dev/null
((RUN_RC == 0)) || fail "dpkg-buildpackage failed: $(tail -n 30 <<<"$RUN_OUT")"
expect_no_match "$RUN_OUT" 'apt-get|install-deps' "the package build"
arch=$(dpkg --print-architecture)
deb_f=$W/src/bmcfleet_${version}_$arch.deb
deb_s=$W/src/bmcsim_${version}_$arch.deb
[[ -f $deb_f && -f $deb_s ]] || fail "no $deb_f and $deb_s: $(ls "$W/src")"
msg "built in $(($(_lib_now_ms) - t0)) ms"

# 2. lintian: no error; warnings are listed (and overridden with a reason
# in debian/*.lintian-overrides)
RUN_TIMEOUT=120 run_to lintian lintian --fail-on error \
    "$W/src/bmcfleet_${version}_$arch.changes"
expect_no_match "$RUN_OUT" '^E: ' "lintian"
((RUN_RC == 0)) || fail "lintian exit status $RUN_RC"

# 3. installed
dpkg_w -i "$deb_f" "$deb_s" ||
    fail "dpkg -i: $(tail -n 20 "$TEST_LOGDIR/$TEST_NAME.dpkg.log")"
expect_eq "$(env -i /usr/bin/bmcfleet --version)" "bmcfleet ${version%%-*}" \
    "installed bmcfleet --version"
expect_match "$(getent passwd bmcfleet)" \
    '^bmcfleet:x:[0-9]+:[0-9]+:[^:]*:/var/lib/bmcfleet:/usr/sbin/nologin$' \
    "the system user"
uid=$(id -u bmcfleet)
((uid < 1000)) || fail "bmcfleet's uid $uid is not a system one"
for d in /var/lib/bmcfleet /var/lib/bmcfleet/spool /var/cache/bmcfleet \
    /var/cache/bmcfleet/sdr; do
	expect_eq "$(stat -c '%U:%G %a' "$d" 2>&1)" "bmcfleet:bmcfleet 700" "$d"
done
expect_eq "$(stat -c '%U:%G %a' /etc/bmcfleet/bmcfleet.yaml 2>&1)" \
    "root:bmcfleet 640" "the config"
cmp -s /etc/bmcfleet/bmcfleet.yaml "$TOP/deploy/bmcfleet.example.yaml" ||
    fail "/etc/bmcfleet/bmcfleet.yaml is not the example"
expect_match "$(dpkg-query -W -f='${Conffiles}\n' bmcfleet)" \
    '^ /etc/bmcfleet/bmcfleet.yaml [0-9a-f]{32}$' "the conffile"
[[ -x /usr/sbin/bmcfleetd ]] || fail "no /usr/sbin/bmcfleetd"
files=$(dpkg -L bmcfleet)
expect_no_match "$files" 'bmcsim' "the bmcfleet package"
expect_match "$files" '^/usr/share/man/man1/bmcfleet\.1\.gz$' "bmcfleet(1)"
expect_match "$files" '^/usr/share/doc/bmcfleet/examples/bmcfleet\.example\.yaml$' \
    "the example in share/doc"
expect_match "$(dpkg -L bmcsim)" '^/usr/bin/bmcsim$' "the bmcsim package"
[[ ! -e /usr/bin/bmcfleetd ]] ||
    fail "files outside the FHS layout"

# 4. the installed schema, found by the installed binary
expect_match "$(env -i /usr/bin/bmcfleet db --help)" \
    '^ +/usr/share/bmcfleet/schema\)$' "db --help: the schema directory"
CONN=$("$PG" start "$PGDIR" --no-fsync 2>>"$TEST_LOGDIR/$TEST_NAME.pg.log") ||
    fail "deploy/pg.sh start failed: $(tail -n 20 "$TEST_LOGDIR/$TEST_NAME.pg.log")"
nschema=$(ls /usr/share/bmcfleet/schema/[0-9]*_*.sql | wc -l)
((nschema > 0)) || fail "no migrations in /usr/share/bmcfleet/schema"
run_to migrate env -i PATH=/usr/bin:/bin /usr/bin/bmcfleet db migrate --db "$CONN"
expect_eq "$RUN_RC" 0 "installed bmcfleet db migrate"
applied=$("$PSQL" -X -q -t -A -d "$CONN" \
    -c "SELECT count(*) FROM schema_migrations" 2>&1)
expect_eq "$applied" "$nschema" "migrations applied from /usr/share/bmcfleet/schema"

# 5. the unit, as installed
if [[ -e /lib/systemd/system/bmcfleetd.service ]]; then
	run_to verify systemd-analyze verify /lib/systemd/system/bmcfleetd.service
	expect_eq "$RUN_RC" 0 "systemd-analyze verify bmcfleetd.service"
	expect_eq "$RUN_OUT" "" "systemd-analyze verify's words"
	expect_eq "$(systemctl is-enabled bmcfleetd.service 2>/dev/null)" \
	    disabled "bmcfleetd.service after install (not enabled)"
elif [[ -d $TOP/deploy/systemd ]]; then
	fail "deploy/systemd has units but none was installed"
else
	msg "no deploy/systemd/bmcfleetd.service in this tree: unit not checked"
fi

# 6. purge: the spool stays, the cache and the config go
dpkg_w --purge bmcfleet bmcsim ||
    fail "dpkg --purge: $(tail -n 20 "$TEST_LOGDIR/$TEST_NAME.dpkg.log")"
for f in /usr/bin/bmcfleet /usr/sbin/bmcfleetd /usr/bin/bmcsim \
    /var/cache/bmcfleet /etc/bmcfleet /usr/share/bmcfleet; do
	[[ ! -e $f ]] || fail "$f is left after dpkg --purge"
done
[[ -d /var/lib/bmcfleet/spool ]] || fail "the spool is gone after a plain purge"
getent passwd bmcfleet >/dev/null || fail "the system user is gone after purge"
dpkg_w -i "$deb_f" || fail "dpkg -i again"
BMCFLEET_PURGE_DATA=yes dpkg_w --purge bmcfleet || fail "dpkg --purge again"
[[ ! -e /var/lib/bmcfleet ]] || fail "BMCFLEET_PURGE_DATA=yes kept /var/lib/bmcfleet"
msg "ok in $(($(_lib_now_ms) - t0)) ms"
