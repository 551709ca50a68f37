/*
 * units: one grammar for the numbers people write in config files, plan
 * files and options: exact decimals (no double, no locale), durations,
 * sizes and percentages.  Pure.  The parsers return 0, or -1 with errno
 * EINVAL and *out untouched.
 */
#ifndef BMCFLEET_LIB_UNITS_H
#define BMCFLEET_LIB_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define UNITS_SEC	1000ULL
#define UNITS_MIN	(60 * UNITS_SEC)
#define UNITS_HOUR	(60 * UNITS_MIN)
#define UNITS_DAY	(24 * UNITS_HOUR)

/*
 * A decimal number at s, "12" or "1.25" (a digit first, at most 18
 * digits, no sign, no exponent): its digits as an integer in *num and
 * 10^decimals in *den.  The length read, or 0.
 */
size_t	units_decimal(const char *s, uint64_t *num, uint64_t *den);
/* num / den * unit, rounded to the nearest, into *out; -1 past UINT64_MAX */
int	units_scale(uint64_t num, uint64_t den, uint64_t unit, uint64_t *out);

/*
 * "500ms", "10s", "5m", "1h", "1d", "1h30m", "1.5s"; a bare number is
 * seconds.  In milliseconds, rounded, up to max_ms.
 */
int	units_parse_duration(const char *s, uint64_t max_ms, uint64_t *ms);
/* "1h30m", "10s", "1500ms", "0s": what units_parse_duration reads back */
void	units_format_duration(uint64_t ms, char *buf, size_t len);

/*
 * "4096" (bytes), "512MiB", "1.5GiB", "10GB", "10 GB": B, KiB, MiB, GiB,
 * TiB and kB (or KB), MB, GB, TB; in bytes, rounded, up to max.
 */
int	units_parse_size(const char *s, uint64_t max, uint64_t *bytes);

/*
 * "5", "5%", "0.5", "2.5%": a percentage, times per (100: hundredths of
 * a percent; 10000: parts per million), rounded, up to max.
 */
int	units_parse_percent(const char *s, uint64_t per, uint64_t max,
	    uint64_t *out);

#endif
