/* iana: names of the IANA enterprise numbers BMCs report as manufacturer. */
#ifndef BMCFLEET_IPMI_IANA_H
#define BMCFLEET_IPMI_IANA_H

#include <stdint.h>

/* The vendor's name, or NULL when the number is not in our table. */
const char	*ipmi_iana_name(uint32_t);

#endif
