/*
 * sdrcache: SDR repositories cached on disk, so a second run does not
 * re-read them.  An entry is keyed by what identifies a repository's
 * content: the BMC's manufacturer, product and firmware (Get Device ID)
 * and the repository's record count and last addition and erase
 * timestamps (Get SDR Repository Info).  Hosts of one model and firmware
 * with untouched repositories share an entry; any change to a repository
 * moves its timestamps and so its key.
 *
 * Files live in --sdr-cache DIR, else $BMCFLEET_SDR_CACHE, else
 * $XDG_CACHE_HOME/bmcfleet/sdr, else ~/.cache/bmcfleet/sdr (created 0700).
 * An entry holds the raw records (5-byte header and body each, as the BMC
 * sent them) behind a magic, a length and a CRC-32; it is written to a
 * temporary file and renamed, so readers never see half an entry.
 */
#ifndef BMCFLEET_COLLECTOR_SDRCACHE_H
#define BMCFLEET_COLLECTOR_SDRCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ipmi/sdr.h"


/* The cache directory (see above) into out; -1 if none can be named. */
int	sdrcache_dir(const char *opt, char *out, size_t len);
/* The BMC profiles' directory (collector/hostprof.h): "profile" in the
 * cache directory sdrcache_dir(opt) names, which sdrcache_prune leaves
 * alone.  -1 if none can be named. */
int	sdrcache_profile_dir(const char *opt, char *out, size_t len);
/* mkdir -p with mode 0700 for each level made.  0 or -1 (errno). */
int	sdrcache_mkdirs(const char *dir);

/* The entry's file name (no directory): ipmi/sdr.h's sdr_repo_key with
 * '-' for ':' and ".sdr" after, e.g. "674-256-4.40-00000000-40-0-0.sdr". */
void	sdrcache_name(const struct sdr_repo_id *, char *out, size_t len);

/*
 * Load an entry: *buf (malloc'd, the caller frees) gets the records and
 * *len their length.  Returns 0, or -1 on a miss or a damaged entry
 * (which is then removed).
 */
int	sdrcache_load(const char *dir, const struct sdr_repo_id *,
	    uint8_t **buf, size_t *len);

/* Store an entry atomically, creating the directory.  0 or -1 (errno). */
int	sdrcache_store(const char *dir, const struct sdr_repo_id *,
	    const uint8_t *buf, size_t len);

/* CRC-32 (IEEE 802.3), exposed for tests. */
uint32_t sdrcache_crc32(const uint8_t *, size_t);

/*
 * The cache is bounded by sdrcache_prune, which a run calls once, at its
 * end: an entry not used for max_age_s goes (a load refreshes an entry's
 * time, a store sets it), then the least recently used go until at most
 * max_entries entries of at most max_bytes in all are left, so a BMC
 * whose repository timestamps move on every request cannot fill the disk
 * one entry a run.  A temporary file left by a store that died goes after
 * an hour.  Only regular files named as entries ("<key>.sdr", see
 * sdrcache_name) or their temporary files are looked at: anything else in
 * the directory is never touched, and a directory that fails
 * safefile_dir_ok is not read.  One readdir and one fstatat per file.
 * Returns the files removed, or -1 (errno) when dir cannot be read.
 */
struct sdrcache_limits {
	uint64_t	max_age_s;	/* 0: no age limit */
	size_t		max_entries;	/* 0: no count limit */
	uint64_t	max_bytes;	/* 0: no size limit */
};
#define SDRCACHE_MAX_AGE_S	(30 * 24 * 3600)
#define SDRCACHE_MAX_ENTRIES	512
#define SDRCACHE_MAX_BYTES	(64ULL * 1024 * 1024)
#define SDRCACHE_TMP_AGE_S	3600
extern const struct sdrcache_limits sdrcache_limits_default;
int	sdrcache_prune(const char *dir, const struct sdrcache_limits *,
	    time_t now);

/* 1 if name is an entry's file name ("674-256-4.40-01020304-57-0-0.sdr"),
 * 2 if it is an entry's temporary file (that, ".tmp." and 6 letters or
 * digits), else 0. */
int	sdrcache_name_kind(const char *name);

#endif
