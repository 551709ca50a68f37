/*
 * hostlist: host list expansion in the style of pdsh and FreeIPMI.
 *
 * A spec is a comma-separated list of items; whitespace around an item is
 * ignored.  An item may hold any number of bracket groups, each a list of
 * numbers and ranges, and expands to the cartesian product of its groups,
 * left to right with the rightmost group varying fastest:
 *
 *	node[1-3]		node1 node2 node3
 *	r[1-2]n[01-03]		r1n01 r1n02 r1n03 r2n01 r2n02 r2n03
 *	10.0.1.[1-50]:624	10.0.1.1:624 ... 10.0.1.50:624
 *	[fe80::1]:623		itself: a group holding a colon is an IPv6
 *				address, copied verbatim
 *
 * A number is printed at least as wide as the start of its range was
 * written, so [01-10] gives 01..10 and [8-10] gives 8, 9, 10.
 */
#ifndef BMCFLEET_CLI_HOSTLIST_H
#define BMCFLEET_CLI_HOSTLIST_H

#include <stddef.h>
#include <stdint.h>

#define HOSTLIST_MAX	1000000	/* most hosts one spec may expand to */

struct hostlist {
	char	**hosts;	/* owned; each malloc'd */
	size_t	  n;
};

/*
 * Expand spec and append the hosts to hl, which must be zeroed or hold an
 * earlier result.  Returns 0, or -1 with errno set (EINVAL for a bad spec,
 * E2BIG past HOSTLIST_MAX hosts, ENOMEM) and a message in err, e.g.
 * "hostlist 'node[3-1]': range end before start".  On failure hl is left
 * as it was.  The size is computed before anything is allocated.
 */
int	hostlist_expand(struct hostlist *hl, const char *spec, char *err,
	    size_t errlen);
/*
 * Natural order: runs of digits compare as numbers, so node2 < node10 and
 * dotted IPv4 addresses sort numerically; other bytes compare as unsigned
 * chars.  Returns 0 only for equal strings (node01 and node1 differ).
 */
int	hostlist_cmp(const char *, const char *);
/* Sort hl in hostlist_cmp order and free duplicates. */
void	hostlist_sort_unique(struct hostlist *);
/* Free every host and the array; hl is zeroed and may be reused. */
void	hostlist_release(struct hostlist *);

/*
 * Split "host", "host:port", "[v6addr]:port", "[v6addr]" or "v6addr" (more
 * than one colon and no brackets: no port) into host, without brackets,
 * and *port, defport when none is given.  Returns 0, or -1 with errno
 * EINVAL (empty host, port not 1..65535, junk after ']') or ENAMETOOLONG
 * (host does not fit in hostlen bytes with its NUL).
 */
int	hostlist_split_port(const char *entry, char *host, size_t hostlen,
	    uint16_t *port, uint16_t defport);

#endif
