#!/bin/sh
# pg.sh: a private PostgreSQL cluster kept under a directory of our choosing,
# for make demo, the integration tests and a developer's laptop.  No system
# service, no /etc/postgresql: everything lives in DIR.
#
#   deploy/pg.sh start DIR [--port N] [--no-fsync]
#   deploy/pg.sh stop DIR
#   deploy/pg.sh status DIR
#   deploy/pg.sh conninfo DIR
#
# start creates the cluster when DIR holds none (initdb), starts it, creates
# the database bmcfleet and prints the libpq conninfo to use on stdout (also
# kept in DIR/conninfo); progress goes to stderr, so
#
#   BMCFLEET_DB=$(deploy/pg.sh start var/pg)
#
# works.  Every command is idempotent: start on a running cluster only
# prints the conninfo, stop on a stopped one says so and succeeds.
#
# DIR holds:
#   data/            the cluster (PGDATA)
#   sock/            the Unix socket, the only way in unless --port
#   postgresql.log   the server's log
#   conninfo         what start printed
#   cluster.env      the superuser role's name, for the next start
#
# The server listens on the Unix socket in DIR/sock only (mode 0700: only
# its owner, and root, can connect); --port N also listens on 127.0.0.1:N,
# and there trust lets in every local user, so use it on a development
# machine only.  The database superuser is the invoking user's name (root
# when run as root), authenticated by trust.  --no-fsync makes the cluster
# fast and crash-unsafe (fsync=off): for throwaway test clusters.
#
# Binaries: PG_BINDIR if set, else the cluster's own major version, else the
# newest /usr/lib/postgresql/*/bin.  initdb and postgres refuse to run as
# root, so as root the server runs as `postgres` (or, when there is no such
# user, a system user bmcfleet-pg created for it), which then owns DIR.  When
# that user cannot reach a new DIR (a checkout under /root), the cluster is
# made in /var/lib/bmcfleet-pg/HASH instead and DIR links to it.
#
# Exit status: 0 ok; 1 error; 2 usage; status: 3 stopped, 4 no cluster.

set -eu

prog=pg.sh
PATH=$PATH:/usr/sbin:/sbin
export PATH

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

usage() {
	cat <<EOF
usage: $prog start DIR [--port N] [--no-fsync]
       $prog stop DIR
       $prog status DIR
       $prog conninfo DIR

A private PostgreSQL cluster with its data and Unix socket in DIR.
start creates it if needed (database bmcfleet, trust for the local user),
starts it and prints the libpq conninfo, also kept in DIR/conninfo.
  --port N     also listen on 127.0.0.1:N (trust: every local user gets in)
  --no-fsync   no fsync: fast, but a crash can lose the cluster (tests)
status exits 0 running, 3 stopped, 4 no cluster in DIR.
EOF
}

# --- arguments -----------------------------------------------------------
cmd=${1:-}
case $cmd in
-h|--help|help) usage; exit 0 ;;
start|stop|status|conninfo) ;;
"") usage >&2; exit 2 ;;
*) printf '%s: unknown command %s\n' "$prog" "'$cmd'" >&2; usage >&2; exit 2 ;;
esac
shift
if [ $# -eq 0 ] || [ -z "$1" ]; then
	printf '%s: %s needs a directory\n' "$prog" "$cmd" >&2
	usage >&2
	exit 2
fi
DIR=$1
shift
opt_port=
opt_nofsync=0
while [ $# -gt 0 ]; do
	case $1 in
	--port)
		[ $# -ge 2 ] || { printf '%s: --port needs a number\n' "$prog" >&2; exit 2; }
		opt_port=$2
		shift 2
		;;
	--port=*) opt_port=${1#--port=}; shift ;;
	--no-fsync) opt_nofsync=1; shift ;;
	*) printf '%s: unknown option %s\n' "$prog" "'$1'" >&2; usage >&2; exit 2 ;;
	esac
done
if [ "$cmd" != start ] && { [ -n "$opt_port" ] || [ "$opt_nofsync" -eq 1 ]; }; then
	printf '%s: --port and --no-fsync are for start\n' "$prog" >&2
	exit 2
fi
if [ -n "$opt_port" ]; then
	case $opt_port in
	*[!0-9]*) printf '%s: --port: not a number: %s\n' "$prog" "'$opt_port'" >&2; exit 2 ;;
	esac
	if [ "$opt_port" -lt 1 ] || [ "$opt_port" -gt 65535 ]; then
		printf '%s: --port: out of range: %s\n' "$prog" "$opt_port" >&2
		exit 2
	fi
fi

# --- helpers -------------------------------------------------------------
# A value for postgresql.conf: single-quoted, quotes doubled.
conf_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}

# A value for a libpq conninfo: bare when it can be, else single-quoted
# with backslash escapes.
conn_quote() {
	case $1 in
	""|*[[:space:]\'\\]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/[\\\\']/\\\\&/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

# The first directory of PG_BINDIR, /usr/lib/postgresql/VERSION/bin (the
# cluster's own version when it has one) or the newest there, with a server.
find_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		[ -x "$PG_BINDIR/pg_ctl" ] || die "PG_BINDIR=$PG_BINDIR holds no pg_ctl"
		echo "$PG_BINDIR"
		return
	fi
	if [ -r "$DATA/PG_VERSION" ]; then
		v=$(cat "$DATA/PG_VERSION")
		[ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] ||
		    die "the cluster in $DIR is PostgreSQL $v, whose server is not installed here (/usr/lib/postgresql/$v/bin)"
		echo "/usr/lib/postgresql/$v/bin"
		return
	fi
	# shellcheck disable=SC2012 # version numbers, no odd names
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r); do
		if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return
		fi
	done
	d=$(command -v pg_ctl 2>/dev/null || true)
	if [ -n "$d" ] && [ -x "${d%/*}/initdb" ]; then
		echo "${d%/*}"
		return
	fi
	die "no PostgreSQL server found in /usr/lib/postgresql/*/bin (install postgresql: deploy/install-deps.sh, or set PG_BINDIR)"
}

# Who runs the server: the invoking user, or when that is root the owner of
# an existing cluster, else postgres, else bmcfleet-pg (created here).
pick_server_user() {
	if [ "$(id -u)" -ne 0 ]; then
		SUSER=$(id -un)
		if [ -d "$DATA" ]; then
			owner=$(stat -c %U "$DATA")
			[ "$owner" = "$SUSER" ] ||
			    die "the cluster in $DIR belongs to '$owner'; run $prog as '$owner' or root"
		fi
		return
	fi
	if [ -d "$DATA" ]; then
		SUSER=$(stat -c %U "$DATA")
		[ "$SUSER" != root ] ||
		    die "$DATA belongs to root; PostgreSQL cannot run as root (chown it to postgres, or start over)"
		return
	fi
	if id -u postgres >/dev/null 2>&1; then
		SUSER=postgres
		return
	fi
	SUSER=bmcfleet-pg
	if ! id -u "$SUSER" >/dev/null 2>&1; then
		say "creating system user $SUSER to run PostgreSQL (it refuses root)"
		useradd --system --user-group --no-create-home \
		    --home-dir /nonexistent --shell /usr/sbin/nologin "$SUSER" ||
		    die "could not create system user $SUSER (useradd failed)"
	fi
}

# Run a command as the server user, from / (initdb and pg_ctl complain
# when they cannot read the current directory), without the lock's file
# descriptor: a postmaster that inherited it would hold the lock forever.
as_server() {
	if [ "$(id -u)" -ne 0 ]; then
		(cd / && "$@" 9>&-)
	elif command -v runuser >/dev/null 2>&1; then
		(cd / && runuser -u "$SUSER" -- "$@" 9>&-)
	else
		# shellcheck disable=SC2016 # expanded by the inner shell
		(cd / && su -s /bin/sh -c 'exec "$0" "$@"' "$SUSER" -- "$@" 9>&-)
	fi
}

# 0 when postmaster.pid names a process that died but is not yet reaped:
# a container whose init is slow to reap keeps a killed postmaster as a
# zombie, which pg_ctl and the next postmaster take for a live server.
dead_postmaster() {
	pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
	case $pid in
	""|*[!0-9]*) return 1 ;;
	esac
	st=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)
	[ "$st" = Z ] || [ "$st" = X ]
}

# 0 when the server is running.
is_running() {
	as_server "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 &&
	    ! dead_postmaster
}

# The port of the running (or last configured) server.
current_port() {
	sed -n 's/^port = \([0-9][0-9]*\)$/\1/p' "$DATA/bmcfleet.conf" 2>/dev/null |
	    tail -n 1
}

superuser_name() {
	u=$(sed -n 's/^superuser=//p' "$DIR/cluster.env" 2>/dev/null | tail -n 1)
	[ -n "$u" ] || u=$(id -un)
	echo "$u"
}

conninfo_for() {	# PORT
	printf 'host=%s port=%s dbname=bmcfleet user=%s\n' \
	    "$(conn_quote "$SOCK")" "$1" "$(conn_quote "$(superuser_name)")"
}

show_log() {
	[ -r "$LOG" ] || return 0
	echo "---- last lines of $LOG ----" >&2
	tail -n 15 "$LOG" >&2
}

# --- the directory -------------------------------------------------------
case $cmd in
start)
	mkdir -p -- "$DIR" || die "cannot create $DIR"
	;;
*)
	[ -d "$DIR" ] || {
		[ "$cmd" = status ] && { echo "no cluster in $DIR"; exit 4; }
		die "no cluster in $DIR (no such directory)"
	}
	;;
esac
DIR=$(cd -- "$DIR" && pwd -P) || die "cannot enter $DIR"
DATA=$DIR/data
SOCK=$DIR/sock
LOG=$DIR/postgresql.log

if [ ! -f "$DATA/PG_VERSION" ]; then
	case $cmd in
	status) echo "no cluster in $DIR"; exit 4 ;;
	stop) die "no cluster in $DIR" ;;
	conninfo) die "no cluster in $DIR (start it: $prog start $DIR)" ;;
	esac
fi

BIN=$(find_bindir)
pick_server_user

case $cmd in
conninfo)
	[ -s "$DIR/conninfo" ] || die "$DIR/conninfo is missing (run $prog start $DIR)"
	cat "$DIR/conninfo"
	exit 0
	;;
status)
	if is_running; then
		pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || echo '?')
		echo "running (pid $pid): $(conninfo_for "$(current_port)")"
		exit 0
	fi
	echo "stopped"
	exit 3
	;;
stop)
	if ! is_running; then
		if dead_postmaster; then
			say "not running: $DIR (its postmaster died)"
		else
			say "not running: $DIR"
		fi
		exit 0
	fi
	as_server "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null ||
	    { show_log; die "pg_ctl stop failed for $DIR"; }
	say "stopped: $DIR"
	exit 0
	;;
esac

# --- start ---------------------------------------------------------------
if [ ! -f "$DATA/PG_VERSION" ]; then
	for f in "$DIR"/* "$DIR"/.[!.]*; do
		[ -e "$f" ] || continue
		case ${f##*/} in
		.pg.sh.lock|sock|postgresql.log|conninfo|conninfo.tmp|cluster.env|initdb.log) ;;
		data) [ -z "$(ls -A "$f")" ] ||
		    die "$f is not empty and holds no cluster; remove it or choose another DIR" ;;
		*) die "$DIR holds other files (${f##*/}); choose an empty or new directory" ;;
		esac
	done
fi

port=${opt_port:-$(current_port)}
port=${port:-5432}
# sun_path is 108 bytes, NUL included.
sockfile=$SOCK/.s.PGSQL.$port
[ ${#sockfile} -le 107 ] ||
    die "socket path $sockfile is longer than 107 bytes; choose a shorter DIR"

# As root, DIR may sit under a directory the server user cannot enter (a
# checkout in /root, a mktemp directory): a new cluster then lives under
# RELOCATE_TOP, and DIR becomes a link to it, so every later command (which
# resolves DIR) finds it.  An existing cluster is never moved.
RELOCATE_TOP=/var/lib/bmcfleet-pg
if [ "$(id -u)" -eq 0 ] && ! as_server test -x "${DIR%/*}/"; then
	[ -z "$(ls -A "$DIR")" ] ||
	    die "user $SUSER cannot reach $DIR (a parent directory is closed to it); choose a DIR it can reach, such as one under /tmp or /var/lib"
	real=$RELOCATE_TOP/$(printf '%s' "$DIR" | sha256sum | cut -c1-16)
	mkdir -p -- "$real" && chmod 755 "$RELOCATE_TOP" ||
	    die "cannot create $real"
	rmdir -- "$DIR" && ln -s -- "$real" "$DIR" ||
	    die "cannot link $DIR to $real"
	say "user $SUSER cannot reach $DIR (a parent directory is closed to it): the cluster lives in $real, and $DIR links to it"
	DIR=$real
	DATA=$DIR/data
	SOCK=$DIR/sock
	LOG=$DIR/postgresql.log
	sockfile=$SOCK/.s.PGSQL.$port
fi
if [ "$(id -u)" -eq 0 ]; then
	chown -R "$SUSER:" "$DIR" || die "cannot chown $DIR to $SUSER"
fi

# One start at a time per directory.
exec 9>>"$DIR/.pg.sh.lock"
flock 9 || die "cannot lock $DIR/.pg.sh.lock"

if [ ! -f "$DATA/PG_VERSION" ]; then
	su_name=$(id -un)
	say "creating a PostgreSQL $("$BIN/pg_ctl" --version | awk '{ print $3 }') cluster in $DATA (server user $SUSER, superuser $su_name)"
	nosync=
	[ "$opt_nofsync" -eq 1 ] && nosync=--no-sync
	if ! as_server "$BIN/initdb" -D "$DATA" -U "$su_name" --auth=trust \
	    -E UTF8 --locale=C $nosync --no-instructions >"$DIR/initdb.log" 2>&1; then
		cat "$DIR/initdb.log" >&2
		rm -f "$DIR/initdb.log"
		die "initdb failed for $DATA"
	fi
	rm -f "$DIR/initdb.log"
	printf 'superuser=%s\n' "$su_name" >"$DIR/cluster.env"
	printf "\n# written by deploy/pg.sh on every start\ninclude_if_exists = 'bmcfleet.conf'\n" \
	    >>"$DATA/postgresql.conf"
	[ "$opt_nofsync" -eq 1 ] && : >"$DATA/bmcfleet.nofsync"
	created=1
else
	created=0
	[ "$opt_nofsync" -eq 1 ] && [ ! -e "$DATA/bmcfleet.nofsync" ] &&
	    say "--no-fsync ignored: $DIR was created without it"
fi

if is_running; then
	running_port=$(current_port)
	if [ -n "$opt_port" ] && [ "$opt_port" != "$running_port" ]; then
		die "$DIR is running on port $running_port; stop it to change the port"
	fi
	port=$running_port
	say "already running: $DIR"
else
	if dead_postmaster; then
		say "removing the lock files of PID $pid, which died"
		for f in "$SOCK"/.s.PGSQL.*.lock; do
			[ "$(head -n 1 "$f" 2>/dev/null)" != "$pid" ] || rm -f "$f"
		done
		rm -f "$DATA/postmaster.pid"
	fi
	mkdir -p "$SOCK"
	chmod 0700 "$SOCK"
	listen=
	[ -n "$opt_port" ] && listen=127.0.0.1
	{
		echo "# deploy/pg.sh: rewritten on every start; changes here are lost"
		echo "listen_addresses = '$listen'"
		echo "port = $port"
		echo "unix_socket_directories = $(conf_quote "$SOCK")"
		echo "unix_socket_permissions = 0700"
		if [ -e "$DATA/bmcfleet.nofsync" ]; then
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
	} >"$DATA/bmcfleet.conf"
	[ "$(id -u)" -ne 0 ] || chown -R "$SUSER:" "$SOCK" "$DATA/bmcfleet.conf"
	if [ -n "$listen" ]; then
		# trust for every local user over TCP; only on a fresh line, once
		grep -q '^host all all 127.0.0.1/32 trust$' "$DATA/pg_hba.conf" ||
		    echo 'host all all 127.0.0.1/32 trust' >>"$DATA/pg_hba.conf"
	fi
	if ! as_server "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null 2>&1; then
		show_log
		die "PostgreSQL did not start in $DIR"
	fi
	say "started: $DIR (port $port${listen:+, also 127.0.0.1:$port})"
fi

# The database.  Clients connect as the invoking user: root may, the socket
# directory being closed to everyone else.
su_name=$(superuser_name)
admin="host=$(conn_quote "$SOCK") port=$port dbname=postgres user=$(conn_quote "$su_name")"
have=$("$BIN/psql" -X -q -t -A -d "$admin" \
    -c "SELECT 1 FROM pg_database WHERE datname = 'bmcfleet'" 2>&1) ||
    die "cannot connect to the new server: $have"
if [ "$have" != 1 ]; then
	"$BIN/psql" -X -q -d "$admin" -c 'CREATE DATABASE bmcfleet' >/dev/null ||
	    die "could not create database bmcfleet"
	[ "$created" -eq 1 ] || say "created database bmcfleet"
fi

conninfo_for "$port" >"$DIR/conninfo.tmp"
chmod 0644 "$DIR/conninfo.tmp"
mv -f "$DIR/conninfo.tmp" "$DIR/conninfo"
cat "$DIR/conninfo"
