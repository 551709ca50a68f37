#!/usr/bin/env bash
# A plain make never installs packages (issue 15, part pkg): with a build
# library missing (pkg-config sees an empty directory), `make`, `make all`
# and `make install` name the missing pkg-config modules and the Debian
# packages with the apt-get command, exit non-zero, and run neither
# deploy/install-deps.sh nor apt-get; `make check` (and demo, bench) still
# run deploy/install-deps.sh.  With everything present, a plain make runs
# none of it.  Every make here is `make -n`: nothing is built or installed.
# sanitize: no (the makefile's dependency message)
set -u
. "$(dirname "$0")/../interop/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-mkdeps.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
mkdir -p "$W/pc" "$W/bin"
# stand-ins that only say they ran: the install script and apt itself
for f in fake-install-deps apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/ran"\nexit 1\n' "$f" "$W" \
	    >"$W/bin/$f"
	chmod +x "$W/bin/$f"
done
# the parent make's flags (jobserver, -k) are not this one's
unset MAKEFLAGS MAKELEVEL MFLAGS

# mk NAME ARGS...: make -n ARGS in the tree, a library missing
mk() {
	local name=$1
	shift
	rm -f "$W/ran"
	run_to "$name" env PATH="$W/bin:$PATH" PKG_CONFIG_LIBDIR="$W/pc" \
	    PKG_CONFIG_PATH= make -C "$TOP" -n INSTALL_DEPS="$W/bin/fake-install-deps" "$@"
}

for goal in "" all install; do
	mk "plain${goal:+-$goal}" $goal
	what="make -n${goal:+ $goal} with libraries missing"
	[[ $RUN_RC != 0 ]] || fail "$what: exit status 0"
	expect_match "$RUN_OUT" \
	    'missing build dependencies \(pkg-config\): openssl libpq yaml-0\.1' \
	    "$what: the modules named"
	expect_match "$RUN_OUT" \
	    '^bmcfleet: +apt-get install libssl-dev libpq-dev libyaml-dev libcurl4-openssl-dev' \
	    "$what: the apt-get command"
	[[ ! -e $W/ran ]] || fail "$what: ran $(cat "$W/ran")"
done

mk check check
[[ $RUN_RC != 0 ]] || fail "make -n check: exit status 0 with the stand-in failing"
expect_match "$(cat "$W/ran" 2>/dev/null)" '^fake-install-deps' \
    "make check runs the install script"
expect_no_match "$(cat "$W/ran")" '^(apt-get|sudo)' "make check (apt itself)"

# everything present: a plain make asks for nothing
rm -f "$W/ran"
run_to present env PATH="$W/bin:$PATH" make -C "$TOP" -n \
    INSTALL_DEPS="$W/bin/fake-install-deps"
expect_eq "$RUN_RC" 0 "make -n with every library present"
[[ ! -e $W/ran ]] || fail "make -n with every library present: ran $(cat "$W/ran")"
msg "ok"
