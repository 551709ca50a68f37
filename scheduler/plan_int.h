/*
 * plan_int: what the plan module's files (plan.c: words, checks, the
 * one-liner and the stage order; plan_yaml.c: the loader; plan_json.c:
 * the stored form; plan_batch.c: batches and estimates) share.  Nothing
 * outside the module includes it.
 */
#ifndef BMCFLEET_SCHEDULER_PLAN_INT_H
#define BMCFLEET_SCHEDULER_PLAN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "scheduler/plan.h"

#define MSG_MAX		512
#define SEC		1000ULL
#define MIN		(60 * SEC)
#define HOUR		(60 * MIN)
#define DAY		(24 * HOUR)
#define MAX_WAIT_MS	DAY	/* intervals and timeouts */
#define JSON_LABEL	"plan JSON"

extern const char *const plan_op_names[PLAN_NOPS];

/* A plain count, "0" to max (a sign or a fraction is not one); 0 or -1. */
int	plan_parse_count(const char *s, uint32_t max, uint32_t *out);
/* Basis points as a percentage ("12.5%") into buf. */
void	plan_format_pct(uint32_t bp, char *buf, size_t len);
/* Whether s holds a control character. */
int	plan_has_control(const char *s);
/* What is wrong with a stage's TARGETS text, or NULL. */
const char *plan_targets_problem(const char *s);

#endif
