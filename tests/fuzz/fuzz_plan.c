/*
 * fuzz_plan: scheduler/plan.c's JSON loader (what the executor resumes a
 * stored plan from) and its batching, over arbitrary bytes.  A plan that
 * loads must order its stages, serialize, and load again to the same
 * JSON; batches over watts taken from the input must respect the count
 * and budget they were given.  Seeds: tests/fuzz/corpus/plan/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/plan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define MAX_INPUT	16384

static void
batches(const uint8_t *data, size_t size)
{
	uint32_t watts[64];
	uint16_t batch_of[64];
	size_t n = 0, nb = 0;
	char err[256];
	unsigned bmax;
	uint32_t budget;

	if (size < 4)
		return;
	bmax = data[0] % 8;
	budget = (uint32_t)data[1] * 40;
	for (size_t i = 2; i < size && n < 64; i++)
		watts[n++] = 1 + data[i] * 3u;
	if (plan_batches(watts, n, bmax, budget, data[1] % 60, batch_of, &nb,
	    err, sizeof(err)) != 0)
		return;
	for (size_t b = 0; b < nb; b++) {
		uint64_t w = 0;
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (batch_of[i] == b) {
				w += (uint64_t)watts[i] * (100 + data[1] % 60);
				k++;
			}
		CHECK(k > 0);
		CHECK(bmax == 0 || k <= bmax);
		CHECK(budget == 0 || w <= (uint64_t)budget * 100);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p, q;
	char err[256], *s, *j1 = NULL, *j2 = NULL;
	size_t *order;

	batches(data, size);
	if (size > MAX_INPUT)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	if (plan_from_json(&p, s, err, sizeof(err)) == 0) {
		CHECK(p.nstages > 0);
		if ((order = calloc(p.nstages, sizeof(*order))) != NULL) {
			CHECK(plan_order(&p, order) == 0);
			free(order);
		}
		CHECK(plan_to_json(&p, &j1) == 0);
		CHECK(plan_from_json(&q, j1, err, sizeof(err)) == 0);
		CHECK(plan_to_json(&q, &j2) == 0);
		CHECK(strcmp(j1, j2) == 0);
		plan_release(&q);
		plan_release(&p);
	}
	free(j1);
	free(j2);
	free(s);
	return 0;
}
