/*
 * fuzz_rows: collector/rows.c's batch parser over arbitrary bytes: a spool
 * file is read back after crashes, disk errors and hands, so every count
 * and size in it is a claim.  A batch that parses must serialize back to
 * bytes that parse to the same tables.  Nothing may read or write outside
 * what it was given.  Seeds: tests/fuzz/corpus/rows/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/rows.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

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
