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
 *
 * A range needs brackets: an item without any whose host part (before a
 * ":port") ends in DIGITS-DIGITS, the first number whole and smaller than
 * the second ("127.0.60.1-30", "node1-30"), or two addresses of one /24
 * ("10.0.0.1-10.0.0.30"), is refused with a suggestion ("did you mean
 * 127.0.60.[1-30]?").  "rack-1", "node1-ipmi", "rack12-1"
 * are names; brackets make any name literal: "node1-[30]" is node1-30.
 *
 * The count of a spec is pure arithmetic over its ranges, so a spec too
 * large is refused before anything is allocated; the iterator then yields
 * one host at a time from two buffers the size of the spec.
 */
#ifndef BMCFLEET_CLI_HOSTLIST_H
#define BMCFLEET_CLI_HOSTLIST_H

#include <stddef.h>
#include <stdint.h>

struct hostlist_group;

#define HOSTLIST_MAX	1000000	/* most hosts hostlist_expand takes */

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
 * Expand spec, as hostlist_expand, but refuse more than max hosts
 * (E2BIG: "hostlist 'node[1-999999]': expands to 999999 hosts, more
 * than 100000").
 */
int	hostlist_expand_max(struct hostlist *hl, const char *spec,
	    uint64_t max, char *err, size_t errlen);

/*
 * Validate spec and count the hosts it expands to (saturating at
 * UINT64_MAX), allocating nothing: 0, or -1 with errno EINVAL and err.
 */
int	hostlist_count(const char *spec, uint64_t *count, char *err,
	    size_t errlen);

/*
 * The hosts of a spec one at a time, in hostlist_expand's order.  The
 * fields are the iterator's; count is the number of hosts.
 */
struct hostlist_iter {
	uint64_t	 count;
	const char	*ip, *ie;	/* the current item, its end */
	size_t		 ilen;
	struct hostlist_group	*g;		/* its groups (owned) */
	size_t		 ngroups;
	char		*buf;		/* the current host (owned) */
	int		 fresh;		/* the item's first host is next */
};

/*
 * Validate and count spec (at most max hosts) and set it up: 0, or -1
 * with errno (EINVAL, E2BIG, ENOMEM) and err as hostlist_expand_max.
 * spec must outlive the iterator; release it with hostlist_iter_release.
 */
int	hostlist_iter_init(struct hostlist_iter *it, const char *spec,
	    uint64_t max, char *err, size_t errlen);
/*
 * The next host, NULL after the last.  The string is the iterator's, valid
 * until the next call.
 */
const char *hostlist_iter_next(struct hostlist_iter *it);
void	hostlist_iter_release(struct hostlist_iter *it);

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
