#include <stddef.h>

#include "iana.h"

/* Enterprise numbers seen on server BMCs (IANA "Private Enterprise Numbers"). */
static const struct {
	uint32_t	 id;
	const char	*name;
} vendors[] = {
	{ 2, "IBM" },
	{ 11, "Hewlett Packard Enterprise" },
	{ 42, "Sun Microsystems" },
	{ 343, "Intel Corporation" },
	{ 674, "Dell Inc." },
	{ 2011, "Huawei Technologies" },
	{ 3704, "Advanced Micro Devices" },
	{ 4128, "ARM Ltd." },
	{ 5771, "Cisco Systems" },
	{ 6569, "Inventec" },
	{ 7154, "Quanta Computer" },
	{ 7244, "Quanta Computer" },
	{ 8738, "Fujitsu Siemens" },
	{ 10368, "Fujitsu" },
	{ 10876, "Super Micro Computer" },
	{ 11129, "Google" },
	{ 15370, "Giga-Byte Technology" },
	{ 19046, "Lenovo" },
	{ 20974, "American Megatrends" },
	{ 40092, "Wiwynn" },
	{ 40981, "Facebook" },
	{ 46045, "Inspur" },
	{ 49622, "OpenBMC" },
	{ 50747, "ASRock Rack" },
};

const char *
ipmi_iana_name(uint32_t id)
{
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (vendors[i].id == id)
			return vendors[i].name;
	return NULL;
}
