/*
 * errf: the error message of a loader or parser that reports into a
 * caller's buffer: `return errf(err, errlen, "line %d: ...", n);`.
 */
#ifndef BMCFLEET_LIB_ERRF_H
#define BMCFLEET_LIB_ERRF_H

#include <stddef.h>

/*
 * Formats into err (at most len bytes, always terminated, truncated when
 * longer) and returns -1, so a failure path is one line.  err NULL or len
 * 0: nothing is written.
 */
int	errf(char *err, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
