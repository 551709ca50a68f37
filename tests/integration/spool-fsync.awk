# spool-fsync.awk: check an strace log of bmcfleet collect for the spool's
# durability order (used by spool-fsync.sh).
#
#   strace -f -yy -s 64 -e trace=openat,write,fsync,fdatasync,rename,\
#       renameat,renameat2,sendto,sendmsg,mkdir,mkdirat,unlink,unlinkat \
#       -o LOG bmcfleet collect ...
#   awk -v S=SPOOLDIR -v WANT_COPY=1 -f spool-fsync.awk LOG
#
# For every batch N (a DIR/tmp.N created with O_CREAT), in the log's order:
#   created < each write to it < fsync of it < rename to DIR/N.batch <
#   fsync of DIR  (the batch is on disk: only now may it be acknowledged)
#   < the last COPY sent before DIR/N.batch is removed (after its COMMIT)
# and nothing is sent on any socket between its creation and DIR's fsync.
# A batch still in memory is COPYed from there; one reopened (read only:
# an earlier run's, or after a reconnect) is reopened after DIR's fsync.
# Every directory of the spool's path the run created (mkdir = 0; not the
# caches) has its parent fsync'd before
# the first batch's DIR fsync.  With WANT_COPY=1 every batch must have been
# COPY'd and removed; with WANT_COPY=0 none may be, nor reopened (the
# database is away).
# Prints one line per batch and "batches: N" last; exits 1 on any breach,
# and when there is no batch at all.

function fail(msg) {
	printf "spool-fsync.awk: %s\n", msg
	bad = 1
}
function seq_of(s,    m) {
	if (match(s, /\/(tmp\.)?[0-9]+(\.batch)?/) == 0)
		return ""
	m = substr(s, RSTART, RLENGTH)
	gsub(/[^0-9]/, "", m)
	return m
}
# the path in the first "<PATH>" fd annotation of the line
function fd_path(s,    a) {
	if (match(s, /\([0-9]+<[^>]*>/) == 0)
		return ""
	a = substr(s, RSTART + 1, RLENGTH - 2)
	sub(/^[0-9]+</, "", a)
	return a
}
function parent(p) {
	sub(/\/[^\/]*$/, "", p)
	return p == "" ? "/" : p
}

BEGIN {
	if (S == "") {
		print "spool-fsync.awk: set -v S=SPOOLDIR"
		exit 2
	}
	nb = 0
}

{
	line = $0
	sub(/^[0-9]+ +/, "", line)		# strace -f's pid
	call = line
	sub(/\(.*/, "", call)
	ret_ok = line ~ /\) += 0( |$)/

	if (call == "openat" && index(line, "\"" S "/tmp.") && line ~ /O_CREAT/) {
		n = seq_of(substr(line, index(line, "\"" S "/tmp.")))
		if (n in created)
			fail("batch " n " created twice (line " NR ")")
		created[n] = NR
		order[++nb] = n
		last_created = n
		next
	}
	if (call == "write" || call == "fsync" || call == "fdatasync") {
		p = fd_path(line)
		if (index(p, S "/tmp.") == 1) {
			n = seq_of(substr(p, length(S) + 1))
			if (call == "write") {
				if (n in synced)
					fail("batch " n ": written after its fsync (line " NR ")")
				nwrite[n]++
				lastwrite[n] = NR
				if (match(line, /= [0-9]+$/))
					wbytes[n] += substr(line, RSTART + 2)
			} else if (!ret_ok)
				fail("batch " n ": " call " failed (line " NR "): " line)
			else if (!(n in synced))
				synced[n] = NR
			next
		}
		if (call != "write" && p != "") {
			if (!ret_ok)
				fail(call " of " p " failed (line " NR ")")
			else
				dirsync[p] = dirsync[p] " " NR
		}
	}
	if (call ~ /^rename(at2?)?$/ && index(line, "\"" S "/tmp.")) {
		n = seq_of(substr(line, index(line, "\"" S "/tmp.")))
		if (!ret_ok)
			fail("batch " n ": rename failed (line " NR ")")
		else if (index(line, "\"" S "/" n ".batch\"") == 0)
			fail("batch " n ": renamed elsewhere (line " NR "): " line)
		else
			renamed[n] = NR
		next
	}
	if (call == "openat" && index(line, "\"" S "/") && line ~ /\.batch"/ &&
	    line ~ /O_RDONLY/ && line !~ /O_DIRECTORY/) {
		n = seq_of(substr(line, index(line, "\"" S "/")))
		if (!(n in loaded))
			loaded[n] = NR
		next
	}
	if ((call == "unlink" || call == "unlinkat") && ret_ok &&
	    index(line, "\"" S "/") && line ~ /\.batch"/) {
		n = seq_of(substr(line, index(line, "\"" S "/")))
		if (!(n in removed))
			removed[n] = NR
		next
	}
	if ((call == "mkdir" || call == "mkdirat") && ret_ok) {
		d = line
		sub(/^[^"]*"/, "", d)
		sub(/".*/, "", d)
		# the spool's own path only: caches (SDR, profiles) are not
		# what a batch's durability rests on
		if (index(S "/", d "/") != 1 && index(d "/", S "/") != 1)
			next
		made[++nmade] = d
		madeat[nmade] = NR
		next
	}
	if (call == "sendto" || call == "sendmsg" ||
	    (call == "write" && fd_path(line) ~ /^(UNIX|TCP)/)) {
		sends = sends " " NR
		if (index(line, "COPY stage_"))
			copies = copies " " NR
	}
}

# the last number in the space-separated list L less than X, or 0
function last_before(L, x,    a, k, c, r) {
	c = split(L, a, " ")
	r = 0
	for (k = 1; k <= c; k++)
		if (a[k] + 0 < x + 0)
			r = a[k] + 0
	return r
}

# the first number in the space-separated list L greater than X, or 0
function first_after(L, x,    a, k, c) {
	c = split(L, a, " ")
	for (k = 1; k <= c; k++)
		if (a[k] + 0 > x + 0)
			return a[k] + 0
	return 0
}

END {
	if (bad)
		exit 1
	first_ack = 0
	for (k = 1; k <= nb; k++) {
		n = order[k]
		c = created[n]
		if (!(n in nwrite)) {
			fail("batch " n ": never written")
			continue
		}
		if (!(n in synced)) {
			fail("batch " n ": its file was never fsync'd")
			continue
		}
		if (synced[n] < lastwrite[n])
			fail("batch " n ": fsync before its last write")
		if (!(n in renamed)) {
			fail("batch " n ": never renamed to " n ".batch")
			continue
		}
		if (renamed[n] < synced[n])
			fail("batch " n ": renamed (line " renamed[n] ") before its fsync (line " synced[n] ")")
		d = first_after(dirsync[S], renamed[n])
		nextc = k < nb ? created[order[k + 1]] : 0
		if (d == 0 || (nextc && d > nextc)) {
			fail("batch " n ": no fsync of " S " after its rename (line " renamed[n] ")")
			continue
		}
		if (first_ack == 0)
			first_ack = d
		s = first_after(sends, c)
		if (s && s < d)
			fail("batch " n ": a message was sent (line " s ") before the batch was on disk (line " d ")")
		if ((n in loaded) && loaded[n] < d)
			fail("batch " n ": reopened to be sent (line " loaded[n] ") before " S " was fsync'd (line " d ")")
		q = (n in removed) ? last_before(copies, removed[n]) : 0
		if (WANT_COPY == 1 && !(n in removed))
			fail("batch " n ": never sent to the database and removed")
		else if (WANT_COPY == 1 && q < d)
			fail("batch " n ": no COPY between its dir fsync (line " d ") and its removal (line " removed[n] ")")
		else if (WANT_COPY == 0 && (n in loaded))
			fail("batch " n ": reopened although the database is away")
		else if (WANT_COPY == 0 && (n in removed))
			fail("batch " n ": removed although the database is away")
		cq = first_after(copies, c)
		if (cq && cq < d)
			fail("batch " n ": a COPY (line " cq ") before the batch was on disk (line " d ")")
		printf "batch %s: %d bytes in %d write(s) line %d, fsync line %d, rename line %d, dir fsync line %d%s\n", \
		    n, wbytes[n], nwrite[n], lastwrite[n], synced[n], renamed[n], d, \
		    (n in removed) ? sprintf("%s, COPY line %d, removed line %d", (n in loaded) ? sprintf(", reopened line %d", loaded[n]) : "", q, removed[n]) : ", not sent"
	}
	for (k = 1; k <= nmade; k++) {
		p = parent(made[k])
		f = first_after(dirsync[p], madeat[k])
		if (f == 0 || (first_ack && f > first_ack))
			fail("made " made[k] " (line " madeat[k] ") but " p " was not fsync'd before the first batch was acknowledged")
		else
			printf "mkdir %s: parent fsync'd line %d\n", made[k], f
	}
	if (nb == 0)
		fail("no spool batch in the log: nothing was checked")
	printf "batches: %d\n", nb
	exit bad
}
