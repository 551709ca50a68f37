/*
 * fuzz_planfile: scheduler/plan.c's plan file loader (plan_load), the
 * YAML an operator writes (deploy/plan.example.yaml), over arbitrary
 * bytes written to a file in a private temporary directory.  fuzz_plan
 * covers the JSON the executor stores; this one starts from plan files.
 *
 * What must hold: a failed load leaves the plan zeroed; a loaded plan
 * has 1..PLAN_MAX_STAGES uniquely named stages whose after lists are
 * ascending in-range indices without the stage itself, a boot device
 * exactly for bootdev-on, values within the documented bounds, a stage
 * order, and a canonical JSON that loads back to the same JSON.  Text
 * without a NUL loads the same from a string (plan_from_json) as from
 * the file.  Seeds: tests/fuzz/corpus/planfile/.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/plan.h"
#include "tests/fuzz/fuzz_tmp.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define FUZZ_MAX_INPUT	65536

static char path[PATH_MAX + 32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_tmp_init("fuzz_planfile");
	snprintf(path, sizeof(path), "%s/plan.yaml", fuzz_tmp_dir);
	return 0;
}

static void
check_loaded(const struct plan *p)
{
	struct plan q;
	char err[512], *j1 = NULL, *j2 = NULL;
	size_t i, k, *order;

	CHECK(p->nstages > 0 && p->nstages <= PLAN_MAX_STAGES);
	for (i = 0; i < p->nstages; i++) {
		const struct plan_stage *st = &p->stages[i];

		CHECK(st->name != NULL && st->targets != NULL);
		for (k = 0; k < i; k++)
			CHECK(strcmp(p->stages[k].name, st->name) != 0);
		for (k = 0; k < st->nafter; k++) {
			CHECK(st->after[k] < p->nstages);
			CHECK(st->after[k] != i);
			CHECK(k == 0 || st->after[k - 1] < st->after[k]);
		}
		CHECK((unsigned)st->op < PLAN_NOPS);
		CHECK((st->op == PLAN_OP_BOOTDEV_ON) ==
		    (st->bootdev != PLAN_BOOTDEV_NONE));
		CHECK(st->retries <= PLAN_MAX_RETRIES);
		CHECK(st->batch <= PLAN_MAX_BATCH);
		CHECK(st->budget_w <= PLAN_MAX_WATTS);
		CHECK(!st->failure_pct || st->failure_threshold <= 10000);
	}
	CHECK((order = calloc(p->nstages, sizeof(*order))) != NULL);
	CHECK(plan_order(p, order) == 0);
	free(order);
	CHECK(plan_to_json(p, &j1) == 0);
	CHECK(plan_from_json(&q, j1, err, sizeof(err)) == 0);
	CHECK(plan_to_json(&q, &j2) == 0);
	CHECK(strcmp(j1, j2) == 0);
	plan_release(&q);
	free(j1);
	free(j2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p, s;
	char err[512], *text, *j1 = NULL, *j2 = NULL;
	int rc, src;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	CHECK(fuzz_tmp_put(path, data, size, 0644) == 0);
	rc = plan_load(&p, path, err, sizeof(err));
	if (rc != 0)
		CHECK(p.stages == NULL && p.name == NULL && p.nstages == 0);
	else
		check_loaded(&p);
	/* the same text from a string: the same plan, or the same refusal */
	if (memchr(data, '\0', size) == NULL) {
		CHECK((text = malloc(size + 1)) != NULL);
		memcpy(text, data, size);
		text[size] = '\0';
		src = plan_from_json(&s, text, err, sizeof(err));
		CHECK(src == rc);
		if (rc == 0) {
			CHECK(plan_to_json(&p, &j1) == 0);
			CHECK(plan_to_json(&s, &j2) == 0);
			CHECK(strcmp(j1, j2) == 0);
			free(j1);
			free(j2);
			plan_release(&s);
		}
		free(text);
	}
	plan_release(&p);
	return 0;
}
