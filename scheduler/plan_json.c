/* plan_json: a plan as canonical JSON, what is stored and resumed; see
 * plan.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gbuf.h"
#include "lib/json.h"
#include "scheduler/plan.h"
#include "scheduler/plan_int.h"

/* --- JSON ---------------------------------------------------------------- */

static void
j_dur(struct json *j, const char *key, uint64_t ms)
{
	char d[64];

	plan_format_duration(ms, d, sizeof(d));
	json_key(j, key);
	json_str(j, d);
}

int
plan_to_json(const struct plan *p, char **out)
{
	struct gbuf b = GBUF_INIT;
	struct json j;
	char pct[32];
	size_t i, k;

	*out = NULL;
	json_init(&j, &b, 0);
	json_obj(&j);
	json_key_u64(&j, "version", 1);
	json_key(&j, "name");
	json_str(&j, p->name);		/* NULL: null */
	json_key(&j, "stages");
	json_arr(&j);
	for (i = 0; i < p->nstages; i++) {
		const struct plan_stage *st = &p->stages[i];

		json_obj(&j);
		json_key(&j, "name");
		json_str(&j, st->name);
		json_key(&j, "targets");
		json_str(&j, st->targets);
		json_key(&j, "op");
		json_str(&j, plan_op_name(st->op));
		if (st->op == PLAN_OP_BOOTDEV_ON) {
			json_key(&j, "bootdev");
			json_str(&j, plan_bootdev_name(st->bootdev));
			json_key_bool(&j, "persistent", st->persistent);
			json_key_bool(&j, "efi", st->efi);
		}
		json_key(&j, "batch");
		if (st->batch == 0)
			json_str(&j, "all");
		else
			json_u64(&j, st->batch);
		j_dur(&j, "interval", st->interval_ms);
		json_key(&j, "budget");
		if (st->budget_w == 0)
			json_null(&j);
		else
			json_u64(&j, st->budget_w);
		json_key_bool(&j, "verify", st->verify);
		j_dur(&j, "verify_timeout", st->verify_timeout_ms);
		if (st->op == PLAN_OP_SOFT_OFF)
			j_dur(&j, "soft_timeout", st->soft_timeout_ms);
		json_key_u64(&j, "retries", st->retries);
		json_key(&j, "failure_threshold");
		if (st->failure_pct) {
			plan_format_pct(st->failure_threshold, pct, sizeof(pct));
			json_str(&j, pct);
		} else
			json_u64(&j, st->failure_threshold);
		json_key(&j, "on_failure");
		json_str(&j, st->on_failure == PLAN_ON_FAILURE_ABORT ? "abort" :
		    "pause");
		json_key(&j, "after");
		json_arr(&j);
		for (k = 0; k < st->nafter; k++)
			json_str(&j, st->after[k] < p->nstages ?
			    p->stages[st->after[k]].name : "?");
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	if (json_failed(&j)) {
		gbuf_release(&b);
		errno = ENOMEM;
		return -1;
	}
	*out = gbuf_detach(&b, NULL);
	return *out != NULL ? 0 : -1;
}
