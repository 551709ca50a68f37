/* plan_batch: batches under a count and a power budget, draw estimates;
 * see plan.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errf.h"
#include "scheduler/plan.h"

/* --- batches and estimates ----------------------------------------------- */

int
plan_batches(const uint32_t *watts, size_t n, unsigned batch_max,
    uint32_t budget_w, uint32_t inrush_pct, uint16_t *batch_of,
    size_t *nbatches, char *err, size_t errlen)
{
	/* in hundredths of a watt, so the comparison is exact */
	uint64_t cap = (uint64_t)budget_w * 100, sum = 0, d;
	size_t i, batch = 0, in = 0;

	*nbatches = 0;
	if (n == 0)
		return 0;
	if (inrush_pct > 10000)
		return errf(err, errlen, "inrush %u%% is past 10000%%",
		    inrush_pct);
	for (i = 0; i < n; i++) {
		d = (uint64_t)watts[i] * (100 + inrush_pct);
		if (budget_w != 0 && d > cap)
			return errf(err, errlen, "host %zu needs %llu W with "
			    "%u%% inrush, over the budget of %u W", i,
			    (unsigned long long)((d + 99) / 100), inrush_pct,
			    budget_w);
		if (in > 0 && ((batch_max != 0 && in == batch_max) ||
		    (budget_w != 0 && sum + d > cap))) {
			if (++batch == PLAN_MAX_BATCHES)
				return errf(err, errlen, "more than %d batches",
				    PLAN_MAX_BATCHES);
			in = 0;
			sum = 0;
		}
		batch_of[i] = (uint16_t)batch;
		in++;
		sum += d;
	}
	*nbatches = batch + 1;
	return 0;
}

uint32_t
plan_estimate_watts(uint32_t dcmi_peak_w, uint32_t model_w, uint32_t default_w)
{
	if (dcmi_peak_w != 0)
		return dcmi_peak_w;
	if (model_w != 0)
		return model_w;
	return default_w;
}

size_t
plan_overlap(const size_t *a, size_t na, const size_t *b, size_t nb,
    size_t *first, size_t nfirst)
{
	size_t i = 0, j = 0, n = 0;

	/* a merge walk: both are sorted */
	while (i < na && j < nb) {
		if (a[i] < b[j]) {
			i++;
		} else if (b[j] < a[i]) {
			j++;
		} else {
			if (n < nfirst)
				first[n] = a[i];
			n++;
			i++;
			j++;
		}
	}
	return n;
}

/* When a batch starts, as scheduler/exec.c decides it (plan.h). */
const char *
plan_batch_rule(const struct plan *pl, const size_t *order, size_t oi, size_t b,
    char *buf, size_t len)
{
	const struct plan_stage *st = &pl->stages[order[oi]];
	char iv[32];

	if (b == 0 && oi == 0)
		snprintf(buf, len, "starts first");
	else if (b == 0)
		snprintf(buf, len, "starts when stage %s is over",
		    pl->stages[order[oi - 1]].name);
	else if (st->interval_ms == 0)
		snprintf(buf, len, "starts when batch %zu is %s", b,
		    st->verify ? "verified" : "commanded");
	else {
		plan_format_duration(st->interval_ms, iv, sizeof(iv));
		snprintf(buf, len, "starts when batch %zu is %s, no "
		    "sooner than %s after it started", b, st->verify ?
		    "verified" : "commanded", iv);
	}
	return buf;
}
