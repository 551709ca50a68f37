/*
 * ctl: the control channel's words (ctl.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "lib/errf.h"
#include "store.h"

#define SEP	" \t\r\n"

/* A decimal number 0..max, the whole word. */
static int
parse_num(const char *w, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*w < '0' || *w > '9')
		return -1;
	errno = 0;
	v = strtoul(w, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_addrs(char *list, struct sim_ctl_cmd *c, char *err, size_t errlen)
{
	char *a, *save = NULL;
	struct in_addr ia;

	if (strcmp(list, "all") == 0) {
		c->all = 1;
		return 0;
	}
	for (a = strtok_r(list, ",", &save); a != NULL;
	    a = strtok_r(NULL, ",", &save)) {
		if (inet_pton(AF_INET, a, &ia) != 1)
			return errf(err, errlen, "sel-add: '%s' is not an "
			    "IPv4 address", a);
		if (c->naddrs == SIM_CTL_MAX_ADDRS)
			return errf(err, errlen, "sel-add: more than %d "
			    "addresses (use all, or send more lines)",
			    SIM_CTL_MAX_ADDRS);
		c->addrs[c->naddrs++] = ntohl(ia.s_addr);
	}
	if (c->naddrs == 0)
		return errf(err, errlen, "sel-add: no address");
	return 0;
}

int
sim_ctl_parse(const char *line, struct sim_ctl_cmd *c, char *err,
    size_t errlen)
{
	char buf[SIM_CTL_LINE_MAX], *w, *save = NULL;

	memset(c, 0, sizeof(*c));
	if (strlen(line) >= sizeof(buf))
		return errf(err, errlen, "line too long");
	strcpy(buf, line);
	if ((w = strtok_r(buf, SEP, &save)) == NULL)
		return errf(err, errlen, "empty line (sel-add, sel-rate)");
	if (strcmp(w, "sel-rate") == 0) {
		c->verb = SIM_CTL_SEL_RATE;
		if ((w = strtok_r(NULL, SEP, &save)) == NULL ||
		    parse_num(w, 60000, &c->rate) != 0)
			return errf(err, errlen, "sel-rate: expected 0..60000 "
			    "entries per minute");
		if ((w = strtok_r(NULL, SEP, &save)) != NULL)
			return errf(err, errlen, "sel-rate: unexpected '%s'", w);
		return 0;
	}
	if (strcmp(w, "sel-add") != 0)
		return errf(err, errlen, "unknown command '%s' (sel-add, "
		    "sel-rate)", w);
	c->verb = SIM_CTL_SEL_ADD;
	c->severity = SIM_SEV_CRITICAL;
	if ((w = strtok_r(NULL, SEP, &save)) == NULL)
		return errf(err, errlen, "sel-add: expected ADDR[,ADDR...] "
		    "or all");
	if (parse_addrs(w, c, err, errlen) != 0)
		return -1;
	while ((w = strtok_r(NULL, SEP, &save)) != NULL) {
		if (strcmp(w, "critical") == 0)
			c->severity = SIM_SEV_CRITICAL;
		else if (strcmp(w, "warning") == 0)
			c->severity = SIM_SEV_WARNING;
		else if (strcmp(w, "info") == 0)
			c->severity = SIM_SEV_INFO;
		else if (strcmp(w, "deassert") == 0)
			c->deassert = 1;
		else
			return errf(err, errlen, "sel-add: unexpected '%s' "
			    "(critical, warning, info, deassert)", w);
	}
	return 0;
}
