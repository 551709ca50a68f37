#!/usr/bin/env bash
# make install follows the FHS (issue 15, part pkg), into a DESTDIR with the
# default PREFIX=/usr/local: bmcfleet in bin, bmcfleetd in sbin (not bin),
# no bmcsim; the schema in share/bmcfleet/schema, and the installed bmcfleet
# names that directory while the build tree's names the tree's schema/;
# the example config as /etc/bmcfleet/bmcfleet.yaml (0640), never
# overwritten, and in share/doc/bmcfleet/examples; the man pages, bash
# completions and systemd units the tree has (the units' ExecStart naming
# the installed bmcfleetd).  make install-bmcsim adds bmcsim and its page;
# make uninstall takes all of it back but the config.
# sanitize: no (the install layout; the programs are the plain build's)
set -u
. "$(dirname "$0")/../interop/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/bmcfleet-inst.XXXXXX") || fail "mktemp"
_lib_tmpdirs+=("$W")
D=$W/d
P=$D/usr/local
unset MAKEFLAGS MAKELEVEL MFLAGS PREFIX DESTDIR
# the build directory make check used, with its flags
mkargs=(-C "$TOP" O="$O" DESTDIR="$D")
[[ ${O##*/} == build-san ]] && mkargs+=(SANITIZE=1)

run_to install make "${mkargs[@]}" install
expect_eq "$RUN_RC" 0 "make install"
for f in bin/bmcfleet sbin/bmcfleetd; do
	[[ -x $P/$f ]] || fail "no $P/$f"
done
for f in bin/bmcsim bin/bmcfleetd share/man/man1/bmcsim.1; do
	[[ ! -e $P/$f ]] || fail "make install put $f there"
done
diff -r "$TOP/schema" "$P/share/bmcfleet/schema" >/dev/null ||
    fail "share/bmcfleet/schema is not the tree's schema/"
expect_match "$("$P/bin/bmcfleet" db --help)" \
    '^ +/usr/local/share/bmcfleet/schema\)$' "installed bmcfleet db --help"
expect_match "$("$BMCFLEET" db --help)" "^ +$TOP/schema\\)\$" \
    "the build tree's bmcfleet db --help"
cfg=$D/etc/bmcfleet/bmcfleet.yaml
cmp -s "$cfg" "$TOP/deploy/bmcfleet.example.yaml" || fail "no example config at $cfg"
expect_eq "$(stat -c %a "$cfg")" 640 "the config's mode"
[[ -f $P/share/doc/bmcfleet/examples/bmcfleet.example.yaml ]] ||
    fail "no example in share/doc/bmcfleet/examples"
[[ -f $P/share/man/man1/bmcfleet.1 ]] || fail "no bmcfleet(1)"
n=0
for f in "$TOP"/docs/*.[58]; do
	[[ -e $f ]] || continue
	s=${f##*.}
	[[ -f $P/share/man/man$s/${f##*/} ]] || fail "no ${f##*/} in man$s"
	n=$((n + 1))
done
for f in "$TOP"/deploy/bash-completion/*; do
	[[ -e $f ]] || continue
	[[ -e $P/share/bash-completion/completions/${f##*/} ]] ||
	    fail "no completion ${f##*/}"
done
for f in "$TOP"/deploy/systemd/*.service; do
	[[ -e $f ]] || continue
	u=$P/lib/systemd/system/${f##*/}
	[[ -f $u ]] || fail "no unit ${f##*/}"
	expect_no_match "$(grep '^ExecStart=' "$u")" '/usr/sbin/' "$u"
	expect_match "$(grep '^ExecStart=' "$u")" '^ExecStart=/usr/local/sbin/bmcfleetd ' "$u"
done

# the operator's config survives a second install
echo "# edited" >>"$cfg"
run_to again make "${mkargs[@]}" install
expect_eq "$RUN_RC" 0 "make install again"
expect_match "$(tail -n 1 "$cfg")" '^# edited$' "the config after a second install"

run_to bmcsim make "${mkargs[@]}" install-bmcsim
expect_eq "$RUN_RC" 0 "make install-bmcsim"
[[ -x $P/bin/bmcsim && -f $P/share/man/man1/bmcsim.1 ]] ||
    fail "make install-bmcsim: no bin/bmcsim or bmcsim(1)"

run_to uninstall make "${mkargs[@]}" uninstall
expect_eq "$RUN_RC" 0 "make uninstall"
left=$(cd "$D" && find . ! -type d | sort)
expect_eq "$left" "./etc/bmcfleet/bmcfleet.yaml" "what make uninstall leaves"
msg "ok ($n man pages of sections 5 and 8)"
