#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"
#include "spool.h"

/* batch numbers have 16 digits in file names: 1 to SEQ_MAX */
#define SEQ_DIGITS	16
#define SEQ_MAX		UINT64_C(9999999999999999)

static void
path_of(const struct spool *s, uint64_t seq, char *out, size_t len)
{
	snprintf(out, len, "%s/%016" PRIu64 ".batch", s->dir, seq);
}

static int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
add_ent(struct spool *s, uint64_t seq, uint64_t bytes)
{
	size_t i;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct spool_ent *p = realloc(s->ents, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		s->ents = p;
		s->cap = cap;
	}
	/* appends are in order; a scan of an old spool is not */
	for (i = s->n; i > 0 && s->ents[i - 1].seq > seq; i--)
		s->ents[i] = s->ents[i - 1];
	s->ents[i].seq = seq;
	s->ents[i].bytes = bytes;
	s->n++;
	s->used += bytes;
	if (seq >= s->next_seq)
		s->next_seq = seq + 1;
	return 0;
}

/*
 * mkdir(path) and, when it made a directory, fsync its parent: the
 * batches' fsync of their own directory does not make that directory's
 * name durable, and a crash would lose every acknowledged batch in a
 * spool created just before.
 */
static int
mkdir_durable(char *path)
{
	char *slash;
	int rc;

	if (mkdir(path, 0700) == -1)
		return errno == EEXIST ? 0 : -1;
	if ((slash = strrchr(path, '/')) == NULL)
		return fsync_dir(".");
	if (slash == path)
		return fsync_dir("/");
	*slash = '\0';
	rc = fsync_dir(path);
	*slash = '/';
	return rc;
}

/*
 * A batch file's name exactly as path_of writes it: 16 digits, not all
 * zeros, then ".batch".  Anything else ("1.batch", "-1.batch", 20 digits)
 * would be indexed under a number whose path_of is another file, which
 * spool_load never finds: the writer could then neither load nor move
 * it aside, and would stall on it for good.
 */
static int
batch_name(const char *name, uint64_t *seq)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < SEQ_DIGITS; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	if (v == 0 || strcmp(name + SEQ_DIGITS, ".batch") != 0)
		return 0;
	*seq = v;
	return 1;
}

static int
mkdir_p(const char *dir)
{
	char buf[4096], *p;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir_durable(buf) == -1)
			return -1;
		*p = '/';
	}
	return mkdir_durable(buf);
}

int
spool_open(struct spool *s, const char *dir, uint64_t max_bytes, char *err,
    size_t errlen)
{
	struct dirent *de;
	DIR *d;

	char lpath[4200], pid[32];
	ssize_t n;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->max_bytes = max_bytes;
	s->next_seq = 1;
	if (mkdir_p(dir) == -1 || (s->dir = strdup(dir)) == NULL) {
		snprintf(err, errlen, "spool '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (safefile_dir_ok(dir, lpath, sizeof(lpath)) != 0) {
		snprintf(err, errlen, "spool %s", lpath);
		spool_close(s);
		return -1;
	}
	/* O_NOFOLLOW: a symlink planted as "lock" must not be truncated */
	snprintf(lpath, sizeof(lpath), "%s/lock", dir);
	if ((s->lock_fd = open(lpath, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "spool '%s': %s", lpath,
		    errno == ELOOP ? "a symlink: refused" : strerror(errno));
		spool_close(s);
		return -1;
	}
	{
		struct stat lst;

		if (fstat(s->lock_fd, &lst) == -1 || !S_ISREG(lst.st_mode) ||
		    lst.st_uid != geteuid()) {
			snprintf(err, errlen, "spool '%s': not a regular file "
			    "of ours: refused", lpath);
			spool_close(s);
			return -1;
		}
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(s->lock_fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		snprintf(err, errlen, "spool '%s' is in use by another "
		    "collector (pid %s); give each collector its own spool",
		    dir, pid[0] ? pid : "?");
		spool_close(s);
		return -1;
	}
	/*
	 * failed/ must be a directory of ours if it is there: a file or a
	 * symlink in its place made every quarantine fail, and the writer
	 * then stalled for good on the first batch the server refused.
	 */
	{
		struct stat fst;
		char why[4400];

		snprintf(lpath, sizeof(lpath), "%s/failed", dir);
		why[0] = '\0';
		if (lstat(lpath, &fst) == 0 && !S_ISDIR(fst.st_mode))
			snprintf(why, sizeof(why), "'%s' is not a directory: "
			    "move it away", lpath);
		else if (lstat(lpath, &fst) == 0)
			(void)safefile_dir_ok(lpath, why, sizeof(why));
		if (why[0] != '\0') {
			snprintf(err, errlen, "spool %s", why);
			spool_close(s);
			return -1;
		}
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	/* the pid is for people reading the lock file; the lock is the
	 * flock, so a failed write changes nothing (and (void) does not
	 * quiet glibc's warn_unused_result under _FORTIFY_SOURCE) */
	if (ftruncate(s->lock_fd, 0) == 0 &&
	    pwrite(s->lock_fd, pid, (size_t)n, 0) != n)
		errno = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "spool '%s': %s", dir, strerror(errno));
		spool_close(s);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4200];
		struct stat st;
		uint64_t seq;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (strcmp(de->d_name, "lock") == 0)
			continue;
		if (strncmp(de->d_name, "tmp.", 4) == 0) {
			(void)unlink(path);	/* a write cut short */
			continue;
		}
		if (!batch_name(de->d_name, &seq))
			continue;
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (add_ent(s, seq, (uint64_t)st.st_size) != 0) {
			closedir(d);
			snprintf(err, errlen, "spool '%s': out of memory", dir);
			spool_close(s);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

void
spool_close(struct spool *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->dir);
	free(s->ents);
	memset(s, 0, sizeof(*s));
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
spool_put(struct spool *s, const struct rows *r, uint64_t *seq, char *err,
    size_t errlen)
{
	char tmp[4200], path[4200], *data = NULL;
	size_t len = 0;
	int fd, e;

	*seq = 0;
	if (r->total == 0)
		return 0;
	/* past it the name has 17 digits, which spool_open never reads */
	if (s->next_seq > SEQ_MAX) {
		snprintf(err, errlen, "spool '%s': batch numbers used up (the "
		    "last is %" PRIu64 ")", s->dir, SEQ_MAX);
		errno = EOVERFLOW;
		return -1;
	}
	if (rows_serialize(r, &data, &len) != 0) {
		snprintf(err, errlen, "spool: out of memory");
		errno = ENOMEM;
		return -1;
	}
	if (s->max_bytes > 0 && s->used + len > s->max_bytes) {
		free(data);
		snprintf(err, errlen, "spool '%s' is full (%" PRIu64 " of %"
		    PRIu64 " bytes in %zu batches): the database has not "
		    "taken them", s->dir, s->used, s->max_bytes, s->n);
		errno = ENOSPC;
		return -1;
	}
	/* tmp.SEQ.RANDOM, created O_EXCL | O_NOFOLLOW: nothing planted
	 * under a predictable name is opened; a leftover tmp.* is removed
	 * at the next open */
	snprintf(path, sizeof(path), "%s/tmp.%016" PRIu64 ".", s->dir,
	    s->next_seq);
	fd = safefile_tmp(path, tmp, sizeof(tmp));
	path_of(s, s->next_seq, path, sizeof(path));
	if (fd == -1 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		e = errno;
		if (fd != -1) {
			close(fd);
			(void)unlink(tmp);
		}
		free(data);
		snprintf(err, errlen, "spool '%s': %s", s->dir, strerror(e));
		errno = e;
		return -1;
	}
	free(data);
	if (close(fd) != 0 || rename(tmp, path) != 0 ||
	    fsync_dir(s->dir) != 0) {
		e = errno;
		(void)unlink(tmp);
		snprintf(err, errlen, "spool '%s': %s", s->dir, strerror(e));
		errno = e;
		return -1;
	}
	if (add_ent(s, s->next_seq, len) != 0) {
		/* on disk but not indexed: the next open finds it */
		snprintf(err, errlen, "spool: out of memory");
		errno = ENOMEM;
		return -1;
	}
	*seq = s->next_seq - 1;
	return 0;
}

uint64_t
spool_oldest(const struct spool *s)
{
	return s->n > 0 ? s->ents[0].seq : 0;
}

size_t
spool_count(const struct spool *s)
{
	return s->n;
}

int
spool_load(struct spool *s, uint64_t seq, struct rows *r, char *err,
    size_t errlen)
{
	char path[4200], *data;
	struct stat st;
	size_t got = 0;
	int fd, rc;

	path_of(s, seq, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "spool batch '%s': %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "spool batch '%s': out of memory", path);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	rc = rows_parse(r, data, got, err, errlen);
	free(data);
	if (rc != 0) {
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "spool batch '%s': %s", path, why);
	}
	return rc;
}

static int
forget(struct spool *s, uint64_t seq)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->ents[i].seq != seq)
			continue;
		s->used -= s->ents[i].bytes;
		memmove(&s->ents[i], &s->ents[i + 1],
		    (s->n - i - 1) * sizeof(*s->ents));
		s->n--;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

int
spool_remove(struct spool *s, uint64_t seq)
{
	char path[4200];

	path_of(s, seq, path, sizeof(path));
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	return forget(s, seq);
}

int
spool_quarantine(struct spool *s, uint64_t seq)
{
	char path[4200], dst[4300], fdir[4200];

	path_of(s, seq, path, sizeof(path));
	snprintf(fdir, sizeof(fdir), "%s/failed", s->dir);
	if (mkdir_durable(fdir) == -1)
		return -1;
	snprintf(dst, sizeof(dst), "%s/%016" PRIu64 ".batch", fdir, seq);
	if (rename(path, dst) == -1)
		return -1;
	/* a rename between directories changes both: the batch must not
	 * come back from the spool after a crash, nor vanish from failed/ */
	(void)fsync_dir(fdir);
	(void)fsync_dir(s->dir);
	return forget(s, seq);
}
