/*
 * spool: batches on disk, in order, so nothing the collector read is lost
 * while PostgreSQL is down, slow, or when the collector dies.  Every batch
 * goes through the spool (write-ahead): written to a temporary file,
 * fsync'd, renamed to DIR/NNNNNNNNNNNNNNNN.batch and the directory fsync'd
 * before spool_put returns; the writer merges the oldest first and removes
 * it only after PostgreSQL committed it.  A crash at any point leaves
 * either no file (the batch was never acknowledged) or a whole one.
 *
 * A batch that PostgreSQL refuses for its content (not for being away) is
 * moved to DIR/failed/ so it cannot block the others; an operator can look
 * at it and put it back.
 *
 * The spool is bounded: spool_put fails with ENOSPC once the files would
 * exceed max_bytes, and the caller must stop reading what it cannot keep.
 */
#ifndef BMCFLEET_COLLECTOR_SPOOL_H
#define BMCFLEET_COLLECTOR_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "collector/rows.h"

struct spool_ent {
	uint64_t	seq;
	uint64_t	bytes;
};

struct spool {
	char		*dir;
	int		 lock_fd;	/* DIR/lock, flock'd while open */
	uint64_t	 max_bytes;
	uint64_t	 used;		/* bytes in batch files */
	uint64_t	 next_seq;
	struct spool_ent *ents;		/* sorted by seq */
	size_t		 n, cap;
};

/*
 * Open DIR (created, mode 0700, if missing) and index the batches in it,
 * left by an earlier run (exactly the names spool_put writes: 16 digits,
 * not all zeros, ".batch"; others are left alone); leftover temporary
 * files are removed.  One
 * process at a time: DIR/lock is flock'd, and a second opener gets an
 * error naming the holder's pid (two collectors must not share a spool).
 * 0, or -1 with err.
 */
int	spool_open(struct spool *, const char *dir, uint64_t max_bytes,
	    char *err, size_t errlen);
void	spool_close(struct spool *);

/*
 * Write a batch durably; *seq gets its number.  0, or -1 with errno
 * (ENOSPC when the spool is full, EOVERFLOW past batch 9999999999999999:
 * only 16-digit names are read back) and err.  An empty batch is not written
 * (0, *seq 0).
 */
int	spool_put(struct spool *, const struct rows *, uint64_t *seq,
	    char *err, size_t errlen);
/* The oldest batch's number, 0 when the spool is empty. */
uint64_t spool_oldest(const struct spool *);
size_t	spool_count(const struct spool *);
/* Read batch seq into r (replacing its contents).  0, or -1 with err. */
int	spool_load(struct spool *, uint64_t seq, struct rows *, char *err,
	    size_t errlen);
/* Forget a batch that is committed: 0, or -1 with errno. */
int	spool_remove(struct spool *, uint64_t seq);
/* Move a batch the database refused to DIR/failed/: 0, or -1. */
int	spool_quarantine(struct spool *, uint64_t seq);

#endif
