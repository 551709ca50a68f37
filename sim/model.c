#include <stddef.h>
#include <string.h>

#include "model.h"

/*
 * Device IDs, products and firmware are plausible, not copied from any
 * real unit; the manufacturer numbers are the vendors' IANA numbers.
 */
static const struct sim_model models[] = {
	{ "dell-r640", "Dell Inc.", 674, 0x0100, 0x20, 1, 4, 40,
	    { 0x00, 0x00, 0x00, 0x00 }, 1500, 800, 30000, 1 },
	{ "hpe-dl380", "Hewlett Packard Enterprise", 11, 0x2000, 0x13, 3, 2,
	    78, { 0x00, 0x00, 0x00, 0x00 }, 2500, 1000, 45000, 2 },
	{ "supermicro-x11", "Super Micro Computer Inc.", 10876, 0x0939, 0x20,
	    1, 1, 73, { 0x00, 0x00, 0x00, 0x00 }, 1200, 600, 20000, 1 },
	{ "lenovo-sr650", "Lenovo", 19046, 0x0429, 0x20, 1, 4, 10,
	    { 0x00, 0x00, 0x00, 0x00 }, 2000, 900, 40000, 1 },
	{ "openbmc", "OpenBMC project", 49622, 0x0001, 0x20, 1, 2, 14,
	    { 0x00, 0x00, 0x00, 0x00 }, 1000, 500, 25000, 1 },
};
#define NMODELS	(sizeof(models) / sizeof(models[0]))

const struct sim_model *
sim_model_find(const char *name)
{
	size_t i;

	for (i = 0; i < NMODELS; i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

const struct sim_model *
sim_model_nth(unsigned i)
{
	return &models[i % NMODELS];
}

const char *
sim_model_names(void)
{
	return "dell-r640, hpe-dl380, supermicro-x11, lenovo-sr650, openbmc, "
	    "mix";
}
