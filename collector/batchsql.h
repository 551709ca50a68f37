/*
 * batchsql: what the database writer reads out of a batch's COPY text
 * to begin its transaction (collector/dbw.c): the days of its readings
 * by ID (the partitions to make) and its claims (schema 008).  Pure:
 * memory only.  A spool file is read back after crashes and disk errors,
 * so both check every byte (tests/fuzz/fuzz_rows.c runs them on every
 * batch that parses).
 */
#ifndef BMCFLEET_COLLECTOR_BATCHSQL_H
#define BMCFLEET_COLLECTOR_BATCHSQL_H

#include "collector/rows.h"

#define BATCH_DAYS	64	/* days of readings in one batch, at most */

/*
 * The days (UTC) of a buffer of readings by ID ("YYYY-MM-DD": the third
 * field of each row, as rows_time_ms writes it), each once, into days:
 * how many, or -1 when a row has no such field or there are more than
 * BATCH_DAYS.
 */
int	batch_days(const struct rows_buf *, char days[][11]);
/*
 * The claims of an RT_CLAIM buffer ("bmc_id\tdigest" or "bmc_id\t\\N"
 * rows) as the trigger reads them ("id:digest,id:,..." into *claims)
 * and the BMCs whose claim cannot hold ("id,..." into *unknown), both
 * malloc'd: 0; or -1 (*claims and *unknown NULL) when a row is not one
 * dbw's producer writes (a BMC ID and a digest, each a bigint in range:
 * an ID of digits, a digest with an optional '-') or on ENOMEM.
 */
int	batch_claims(const struct rows_buf *, char **claims, char **unknown);

#endif
