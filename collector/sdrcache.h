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

#include "ipmi/sdr.h"


/* The cache directory (see above) into out; -1 if none can be named. */
int	sdrcache_dir(const char *opt, char *out, size_t len);

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
 * The cache is bounded: past SDRCACHE_MAX_ENTRIES entries the least
 * recently used go (a load refreshes an entry's time), so a BMC whose
 * repository timestamps move on every request cannot fill the disk one
 * entry a run.  sdrcache_store trims; sdrcache_trim(dir, max) is the same
 * by hand.  Returns the entries removed, or -1 when dir cannot be read.
 */
#define SDRCACHE_MAX_ENTRIES	256
int	sdrcache_trim(const char *dir, size_t max);

#endif
