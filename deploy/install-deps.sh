#!/bin/sh
# install-deps.sh: install from Debian everything bmcfleet needs to build,
# test and run.  Idempotent: when every package is already installed it
# does not touch apt at all.  Uses sudo when not run as root.
#
#   deploy/install-deps.sh           install what is missing
#   deploy/install-deps.sh --check   only report; exit 1 if anything is missing
#
# Packages:
#   build       build-essential pkg-config libssl-dev libpq-dev libyaml-dev
#               libcurl4-openssl-dev check libmicrohttpd-dev (bmcfleetd http)
#               libc-ares-dev (BMC names resolved on the loop)
#   fuzzing     clang libclang-rt-14-dev (libFuzzer runtime)
#   interop     ipmitool freeipmi-tools (ipmipower) openipmi (ipmi_sim)
#   database    postgresql postgresql-contrib postgresql-common (pg_virtualenv)
#   tests       time python3 strace (tests/integration/spool-fsync.sh
#               traces the spool's fsyncs)
#               python3-aiosmtpd (tests/integration/notify.sh: SMTP)
#   events      snmp snmptrapd (net-snmp: PET traps sent to bmcfleetd,
#               received from bmcsim)
#   systemd     systemd (systemd-analyze verify/security on the units,
#               systemd-journald for tests/integration/daemon-systemd.sh)
#   packaging   debhelper lintian fakeroot (tests/integration/deb.sh builds
#               and checks the .debs)
#   docs        groff-base man-db (man-render.sh), python3-yaml (man-keys.sh)
#   metrics     prometheus (promtool, a real scraper) and
#               prometheus-ipmi-exporter (the reference for /metrics, and
#               make bench-metrics: its CPU against bmcfleetd's)
#   browser     chromium (tests/integration/status-page.sh: bmcfleetd's
#               status page in a real browser, headless; large, so
#               installed only when missing, like every package here)

set -eu

PACKAGES="build-essential pkg-config libssl-dev libpq-dev libyaml-dev
libcurl4-openssl-dev check libmicrohttpd-dev libc-ares-dev clang libclang-rt-14-dev ipmitool freeipmi-tools
openipmi postgresql postgresql-contrib postgresql-common
time python3 strace python3-aiosmtpd snmp snmptrapd
systemd
debhelper lintian fakeroot
groff-base man-db python3-yaml
prometheus prometheus-ipmi-exporter chromium"

prog=install-deps
say() { printf '%s: %s\n' "$prog" "$*"; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

check_only=0
case "${1:-}" in
--check) check_only=1 ;;
"") ;;
*) die "usage: $0 [--check]" ;;
esac

# A package counts as present only when dpkg says it is fully installed
# (not merely unpacked, half-configured or removed with its config kept).
missing=
for p in $PACKAGES; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
missing=${missing# }

if [ -z "$missing" ]; then
	# shellcheck disable=SC2086
	set -- $PACKAGES
	say "all $# packages present; nothing to do"
	exit 0
fi
say "missing: $missing"
[ "$check_only" = 1 ] && exit 1

command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found; install by hand: $missing"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
	say "not root; using sudo"
else
	die "not root and sudo is not installed; as root run: apt-get install $missing"
fi

export DEBIAN_FRONTEND=noninteractive
APT="apt-get -q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0"

say "running apt-get update"
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive $APT update ||
    die "apt-get update failed"

say "installing: $missing"
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive $APT install --no-install-recommends \
    $missing || die "apt-get install failed for: $missing"

# snmptrapd is here for its binary (tests run their own on a high port);
# its system service would hold UDP 162, where bmcfleetd listens for
# traps.  When this run installed it and systemd runs, it is stopped and
# disabled, and said.
case " $missing " in
*" snmptrapd "*)
	if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
	then
		$SUDO systemctl disable --now snmptrapd.socket \
		    snmptrapd.service >/dev/null 2>&1 || true
		say "snmptrapd's service stopped and disabled (UDP 162 is" \
		    "bmcfleetd's)"
	fi ;;
esac
# prometheus and its ipmi exporter are here for their binaries (tests
# and make bench-metrics start their own on loopback addresses): their services are not wanted.
case " $missing " in
*" prometheus "*|*" prometheus-ipmi-exporter "*)
	if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
	then
		$SUDO systemctl disable --now prometheus.service \
		    prometheus-ipmi-exporter.service >/dev/null 2>&1 || true
		say "prometheus' and prometheus-ipmi-exporter's services" \
		    "stopped and disabled (the tests run their own)"
	fi ;;
esac

# Verify: every package installed, and the tools the tests call are there.
still=
for p in $PACKAGES; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || still="$still $p"
done
[ -z "$still" ] || die "still not installed after apt-get:$still"

PATH=$PATH:/usr/sbin:/sbin
for t in cc pkg-config clang ipmitool ipmipower ipmi_sim pg_virtualenv \
    ipmi-pet snmptrap snmptrapd systemd-analyze journalctl \
    promtool prometheus \
    prometheus-ipmi-exporter; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found after install"
done
say "done; all packages installed"
