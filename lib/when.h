/*
 * when: one grammar for the times operators write (--since, --until,
 * --at), read into an instant: milliseconds since 1970 UTC.
 *
 *   an age     a duration as lib/units reads it, its unit required
 *              ("30m", "1h30m", "1d", "2w"): that long before now
 *              (WHEN_AGO) or after it (WHEN_AHEAD); exact milliseconds,
 *              so "1d" is 24 h even across a DST change
 *   a date     "2026-12-01": its midnight, local time
 *   a time     "2026-12-01T10:00", "2026-12-01 10:00:00", "...:00.250";
 *              local time, or UTC with "Z", or at an offset ("+01:00",
 *              "+0100", "+01", "-05:00")
 *   a word     "now"; "today" and "yesterday": their local midnight
 *
 * Local time is the C library's (TZ, mktime(3)); everything else is
 * arithmetic.  Pure otherwise: no clock (the caller gives now), no
 * allocation, no I/O.  Years 1970 to 9999.
 */
#ifndef BMCFLEET_LIB_WHEN_H
#define BMCFLEET_LIB_WHEN_H

#include <stddef.h>
#include <stdint.h>

/* The words an error names. */
#define WHEN_HELP	"a time like 2026-12-01, 2026-12-01T10:00, " \
			"'2026-12-01 10:00:00Z', today, yesterday, or an " \
			"age like 30m, 1h, 1d, 2w"

enum when_dir {
	WHEN_AGO = -1,		/* --since 1h: an hour before now */
	WHEN_AHEAD = 1,		/* --at 10m: ten minutes from now */
};

/* The longest age: 100 years. */
#define WHEN_MAX_AGE_MS	(100ULL * 366 * 24 * 3600 * 1000)

/*
 * s as an instant, now_ms the time now (ms since 1970 UTC).  Returns 0
 * with *out_ms, or -1 with errno EINVAL (not of the grammar, or no such
 * date: 2026-02-30) or ERANGE (before 1970, after 9999).
 */
int	when_parse(const char *s, int64_t now_ms, enum when_dir dir,
	    int64_t *out_ms);

/*
 * ms as ISO 8601 UTC with milliseconds, "2026-12-05T17:14:12.345Z": a
 * timestamptz PostgreSQL reads the same whatever its DateStyle and
 * TimeZone.  The length written (23 + NUL needs len >= 25), or 0.
 */
size_t	when_format_utc(int64_t ms, char *buf, size_t len);

#endif
