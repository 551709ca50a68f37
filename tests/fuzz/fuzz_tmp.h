/*
 * fuzz_tmp.h: a private temporary directory for targets whose code under
 * test reads paths (fuzz_config, fuzz_planfile, fuzz_spool).  One per
 * process, mode 0700, named <target>.XXXXXX under $TMPDIR, else /dev/shm
 * (tmpfs: the spool's fsyncs cost nothing there, ten times the runs), else
 * /tmp; emptied and removed at exit, but left behind by a crash (remove
 * it by hand).  Targets write only inside it.
 */
#ifndef BMCFLEET_TESTS_FUZZ_FUZZ_TMP_H
#define BMCFLEET_TESTS_FUZZ_FUZZ_TMP_H

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_tmp_dir[PATH_MAX];

static int
fuzz_tmp_rm_one(const char *p, const struct stat *st, int flag,
    struct FTW *f)
{
	(void)st;
	/* the top directory last, and only at exit */
	if (f->level == 0 && flag == FTW_DP)
		return 0;
	(void)remove(p);
	return 0;
}

/* Remove everything in the directory, keep the directory. */
static void
fuzz_tmp_empty(void)
{
	(void)nftw(fuzz_tmp_dir, fuzz_tmp_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
fuzz_tmp_cleanup(void)
{
	fuzz_tmp_empty();
	(void)rmdir(fuzz_tmp_dir);
}

/* Create the directory ("<tmp>/<name>.XXXXXX"); exits on failure. */
static void
fuzz_tmp_init(const char *name)
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || *t == '\0')
		t = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_tmp_dir, sizeof(fuzz_tmp_dir), "%s/%s.XXXXXX", t,
	    name);
	if (mkdtemp(fuzz_tmp_dir) == NULL) {
		perror(fuzz_tmp_dir);
		exit(1);
	}
	atexit(fuzz_tmp_cleanup);
}

/*
 * Write size bytes to path (inside the directory), replacing what was
 * there, with exactly mode whatever the umask.  0, or -1 with errno.
 */
static int
fuzz_tmp_put(const char *path, const uint8_t *data, size_t size, mode_t mode)
{

	int fd;

	(void)unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode)) == -1)
		return -1;
	if (fchmod(fd, mode) != 0 || (size > 0 &&
	    write(fd, data, size) != (ssize_t)size)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

#endif
