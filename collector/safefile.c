#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/safefile.h"

int
safefile_dir_ok(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st) == -1) {
		snprintf(err, errlen, "'%s': %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen, "'%s' belongs to uid %ld, not to this "
		    "user (%ld): refused, as files planted there could "
		    "redirect our writes; chown it or choose another",
		    dir, (long)st.st_uid, (long)geteuid());
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "'%s' is writable by %s (mode %04o): "
		    "refused; chmod go-w it", dir, st.st_mode & S_IWOTH ?
		    "others" : "its group", (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int
safefile_tmp(const char *prefix, char *path, size_t len)
{
	static const char set[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	int fd, tries;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			errno = EIO;
			return -1;
		}
		if ((size_t)snprintf(path, len, "%s%c%c%c%c%c%c", prefix,
		    set[r[0] % 62], set[r[1] % 62], set[r[2] % 62],
		    set[r[3] % 62], set[r[4] % 62], set[r[5] % 62]) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}
