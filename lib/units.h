/*
 * units: one grammar for the quantities operators write, in options and
 * configuration files alike.  Numbers are decimal ("12", "1.25"; at most
 * 18 digits), read exactly (no double, no locale).
 *
 *   durations  one or more NUMBER UNIT terms: ms s m h d w ("500ms",
 *              "1.5s", "1h30m", "2w"); a bare number only where the
 *              caller names the unit it means (UNITS_BARE_*), but for
 *              a bare zero ("0"), which is zero in any unit
 *   sizes      NUMBER [UNIT]: B, KiB MiB GiB TiB, kB KB MB GB TB; a bare
 *              number is bytes ("512MiB", "1GB", "4096")
 *   watts      NUMBER [W kW KW MW] ("350", "350W", "1.2kW")
 *
 * Each returns 0 with the value in *out, or -1 with errno EINVAL (not of
 * the grammar, or a bare number where none is taken) or ERANGE (past
 * max).  Pure: no allocation, no I/O.
 */
#ifndef BMCFLEET_LIB_UNITS_H
#define BMCFLEET_LIB_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define UNITS_SEC	1000ULL
#define UNITS_MIN	(60 * UNITS_SEC)
#define UNITS_HOUR	(60 * UNITS_MIN)
#define UNITS_DAY	(24 * UNITS_HOUR)
#define UNITS_WEEK	(7 * UNITS_DAY)

/* What a bare number means to units_duration: refused, or ms, or s. */
#define UNITS_BARE_NONE	0
#define UNITS_BARE_MS	1
#define UNITS_BARE_SEC	UNITS_SEC

/* The words an error names: "a duration like 500ms, 30s, 5m, 1h30m or 2d". */
#define UNITS_DURATION_HELP	"a duration like 500ms, 30s, 5m, 1h30m or 2d"

int	units_duration(const char *s, uint64_t bare_ms, uint64_t max_ms,
	    uint64_t *out);
/* What a bare number is told: "a number needs its unit (ms, s, ...)". */
#define UNITS_DURATION_BARE	"a number needs its unit (ms, s, m, h, d, " \
				"w), like 500ms, 30s, 5m, 1h30m or 2d"
/*
 * units_duration, from min_ms to max_ms, saying why not: 0 with *out, or
 * -1 with why (not the value: the caller names the flag or key and the
 * value before it) in words: UNITS_DURATION_BARE or "expected "
 * UNITS_DURATION_HELP, each followed by " (100ms to 1d)", or "expected
 * 100ms to 1d".
 */
int	units_duration_why(const char *s, uint64_t bare_ms, uint64_t min_ms,
	    uint64_t max_ms, uint64_t *out, char *why, size_t len);
/* ms as units_duration reads it back: "1h30m", "10s", "1500ms", "0s". */
void	units_format_duration(uint64_t ms, char *buf, size_t len);
int	units_size(const char *s, uint64_t max, uint64_t *out);
int	units_watts(const char *s, uint64_t max, uint64_t *out);
/* "10%", "2.5%": hundredths of a percent (250), at most 100%. */
int	units_percent(const char *s, uint64_t *hundredths);

/*
 * The decimal number at s: its digits as an integer in *num and
 * 10^decimals in *den.  The length read, or 0 (no digit first, a trailing
 * dot, more than 18 digits).
 */
size_t	units_decimal(const char *s, uint64_t *num, uint64_t *den);

#endif
