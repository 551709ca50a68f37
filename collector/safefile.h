/*
 * safefile: the checks every directory bmcfleet writes state into gets
 * (the spool, the SDR cache).  bmcfleetd may run as root: a directory
 * someone else owns or may write to lets them plant a symlink where we
 * are about to create a file, and a root process then truncates or
 * overwrites its target.  So a directory must be ours and writable by us
 * alone, files are opened O_NOFOLLOW, and temporaries are created with
 * O_EXCL under unpredictable names.
 */
#ifndef BMCFLEET_COLLECTOR_SAFEFILE_H
#define BMCFLEET_COLLECTOR_SAFEFILE_H

#include <stddef.h>

/*
 * 0 when dir is a directory (symlinks to one are followed: the operator
 * chose the path) owned by this user and not writable by group or others;
 * else -1 with "DIR: why, fix" in err.
 */
int	safefile_dir_ok(const char *dir, char *err, size_t errlen);

/*
 * Create a new file for writing, mode 0600, named prefix followed by six
 * random characters (prefix is a path: "/var/spool/tmp."); O_EXCL and
 * O_NOFOLLOW, so nothing already there is opened.  Returns the descriptor
 * with the name in path, or -1 (errno).
 */
int	safefile_tmp(const char *prefix, char *path, size_t len);

#endif
