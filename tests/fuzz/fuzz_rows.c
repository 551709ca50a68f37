/*
 * fuzz_rows: collector/rows.c's batch parser over arbitrary bytes: a spool
 * file is read back after crashes, disk errors and hands, so every count
 * and size in it is a claim.  A batch that parses must serialize back to
 * bytes that parse to the same tables, and what the writer reads out of
 * it to begin its transaction (collector/batchsql.h: the days of its
 * readings by ID, its claims) is either refused or well formed.  Nothing
 * may read or write outside what it was given.  Seeds:
 * tests/fuzz/corpus/rows/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/batchsql.h"
#include "collector/rows.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

/* s holds only characters of set */
static int
only(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

static void
writer_reads(const struct rows *a)
{
	char days[BATCH_DAYS][11], *claims, *unknown;
	int n;

	for (int t = RT_READING_ID; t < RT_COUNT; t++) {
		if (t != RT_READING_ID && t != RT_READING_SAME)
			continue;
		n = batch_days(&a->t[t], days);
		CHECK(n >= -1 && n <= BATCH_DAYS);
		for (int i = 0; i < n; i++)
			CHECK(strlen(days[i]) == 10 && days[i][4] == '-' &&
			    days[i][7] == '-');
	}
	if (a->nrows[RT_CLAIM] > 0 &&
	    batch_claims(&a->t[RT_CLAIM], &claims, &unknown) == 0) {
		CHECK(only(claims, "0123456789:,-"));
		CHECK(only(unknown, "0123456789,"));
		CHECK(strlen(claims) <= a->t[RT_CLAIM].len);
		free(claims);
		free(unknown);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rows a, b;
	char err[256], *s = NULL;
	size_t len = 0;

	rows_init(&a);
	rows_init(&b);
	if (rows_parse(&a, (const char *)data, size, err, sizeof(err)) == 0) {
		CHECK(rows_serialize(&a, &s, &len) == 0);
		CHECK(rows_parse(&b, s, len, err, sizeof(err)) == 0);
		writer_reads(&a);
		CHECK(a.total == b.total);
		for (int t = 0; t < RT_COUNT; t++) {
			CHECK(a.nrows[t] == b.nrows[t]);
			CHECK(a.t[t].len == b.t[t].len);
			CHECK(a.t[t].len == 0 ||
			    memcmp(a.t[t].p, b.t[t].p, a.t[t].len) == 0);
		}
	} else {
		CHECK(err[0] != '\0');
	}
	free(s);
	rows_release(&a);
	rows_release(&b);
	return 0;
}
