#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/hostlist.h"

/*
 * Numbers in a range are at most this many digits: enough for any host
 * name, and small enough that neither the value nor a count built from
 * values can overflow 64 bits.
 */
#define NUM_MAXDIGITS	18
/* counts saturate here: a spec's count is exact below it */
#define COUNT_CAP	UINT64_MAX
/* how much of a spec an error message quotes */
#define QUOTE_MAX	64

struct range {
	uint64_t	 lo, hi;
	int		 width;		/* digits in lo as written */
};

/* one bracket group being expanded, odometer style */
struct hostlist_group {
	const char	*open;		/* its '[' */
	const char	*close;		/* its ']' */
	const char	*elem;		/* current element of the list */
	struct range	 r;		/* current element, parsed */
	uint64_t	 cur;
};

/* not isdigit/isspace: host names do not depend on the locale */
static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static void
set_err(char *err, size_t errlen, const char *what, size_t whatlen,
    const char *why)
{
	if (err == NULL || errlen == 0)
		return;
	if (whatlen > QUOTE_MAX)
		snprintf(err, errlen, "hostlist '%.*s...': %s", QUOTE_MAX,
		    what, why);
	else
		snprintf(err, errlen, "hostlist '%.*s': %s", (int)whatlen,
		    what, why);
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > COUNT_CAP - b ? COUNT_CAP : a + b;
}

static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
	return b != 0 && a > COUNT_CAP / b ? COUNT_CAP : a * b;
}

/* Parse [s, e) as a number; NULL, or why not. */
static const char *
num_parse(const char *s, const char *e, uint64_t *v)
{
	const char	*p;

	if (s == e)
		return "non-numeric range";
	if (e - s > NUM_MAXDIGITS)
		return "number too long";
	*v = 0;
	for (p = s; p < e; p++) {
		if (!is_digit(*p))
			return "non-numeric range";
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	return NULL;
}

/* Parse one element "lo" or "lo-hi" of a group, [s, e) without commas. */
static const char *
range_parse(const char *s, const char *e, struct range *r)
{
	const char	*dash, *why;

	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	if (s == e)
		return "empty range";
	if ((dash = memchr(s, '-', (size_t)(e - s))) == NULL)
		dash = e;
	if ((why = num_parse(s, dash, &r->lo)) != NULL)
		return why;
	r->width = (int)(dash - s);
	if (dash == e)
		r->hi = r->lo;
	else if ((why = num_parse(dash + 1, e, &r->hi)) != NULL)
		return why;
	if (r->hi < r->lo)
		return "range end before start";
	return NULL;
}

static const char *
elem_end(const char *elem, const char *close)
{
	const char	*p;

	for (p = elem; p < close && *p != ','; p++)
		;
	return p;
}

/*
 * Walk one item: validate it, count the hosts it expands to (saturating at
 * COUNT_CAP) and, if g is not NULL, record its range groups there.  Returns
 * NULL, or why the item is bad.
 */
static const char *
item_walk(const char *p, size_t len, uint64_t *count, size_t *ngroups,
    struct hostlist_group *g)
{
	const char	*end = p + len, *q, *s, *e, *close, *why;
	struct range	 r;
	uint64_t	 n;

	*count = 1;
	*ngroups = 0;
	for (q = p; q < end; q++) {
		if (*q == ']')
			return "unbalanced brackets: unexpected ']'";
		if (is_blank(*q))
			return "whitespace inside a host name";
		if (*q != '[')
			continue;
		for (close = q + 1; close < end && *close != ']'; close++)
			if (*close == '[')
				return "unbalanced brackets: nested '['";
		if (close == end)
			return "unbalanced brackets: missing ']'";
		/* "[fe80::1]:623" names one host, it is not a range */
		if (memchr(q + 1, ':', (size_t)(close - q - 1)) != NULL) {
			q = close;
			continue;
		}
		n = 0;
		for (s = q + 1;; s = e + 1) {
			e = elem_end(s, close);
			if ((why = range_parse(s, e, &r)) != NULL)
				return why;
			/* at most NUM_MAXDIGITS digits: no overflow */
			n = sat_add(n, r.hi - r.lo + 1);
			if (e == close)
				break;
		}
		*count = sat_mul(*count, n);
		if (g != NULL) {
			g[*ngroups].open = q;
			g[*ngroups].close = close;
		}
		(*ngroups)++;
		q = close;
	}
	return NULL;
}

static void
group_first(struct hostlist_group *g)
{
	g->elem = g->open + 1;
	/* validated by item_walk: cannot fail */
	(void)range_parse(g->elem, elem_end(g->elem, g->close), &g->r);
	g->cur = g->r.lo;
}

/* Step to the next number of the group; 0 when it is exhausted. */
static int
group_next(struct hostlist_group *g)
{
	const char	*e;

	if (g->cur < g->r.hi) {
		g->cur++;
		return 1;
	}
	if ((e = elem_end(g->elem, g->close)) == g->close)
		return 0;
	g->elem = e + 1;
	(void)range_parse(g->elem, elem_end(g->elem, g->close), &g->r);
	g->cur = g->r.lo;
	return 1;
}

/* The end of the item starting at p: a comma outside brackets, or NUL. */
static const char *
item_end(const char *p)
{
	int	 inside = 0;

	for (; *p != '\0'; p++) {
		if (*p == '[')
			inside = 1;
		else if (*p == ']')
			inside = 0;
		else if (*p == ',' && !inside)
			break;
	}
	return p;
}

/* Trim [*s, e) of blanks; returns the new length. */
static size_t
item_trim(const char **s, const char *e)
{
	while (*s < e && is_blank(**s))
		(*s)++;
	while (e > *s && is_blank(e[-1]))
		e--;
	return (size_t)(e - *s);
}

/*
 * "127.0.60.1-30" and "node1-30" are ranges written without brackets, not
 * host names: an item without brackets whose host part (before a ":port")
 * ends in DIGITS-DIGITS, the first run of digits whole (not preceded by a
 * digit) and smaller than the second; and "10.0.0.1-10.0.0.30", two
 * addresses of one /24, the first smaller.  "rack-1", "node1-ipmi" and
 * "rack12-1" stay names, and so does "node1-[30]": brackets make any such
 * name literal.  Returns 1 and the suggestion in why, else 0.
 */
/* The length of "A.B.C." when [p, e) is a dotted quad A.B.C.D, else 0. */
static size_t
quad_prefix(const char *p, const char *e)
{
	const char	*q = p, *s;
	size_t		 pre = 0;
	uint64_t	 v;
	int		 k;

	for (k = 0; k < 4; k++) {
		for (s = q; q < e && is_digit(*q); q++)
			;
		if (q == s || q - s > 3 || num_parse(s, q, &v) != NULL ||
		    v > 255)
			return 0;
		if (k < 3) {
			if (q == e || *q != '.')
				return 0;
			pre = (size_t)(++q - p);
		}
	}
	return q == e ? pre : 0;
}

static int
dash_range(const char *p, size_t len, char *why, size_t whylen)
{
	const char	*end = p + len, *colon, *dash, *lo;
	uint64_t	 vlo, vhi;
	size_t		 pre;

	/* "10.0.0.1-10.0.0.30": one /24, the last octet a range */
	if ((dash = memchr(p, '-', len)) != NULL && memchr(p, ':', len) ==
	    NULL && (pre = quad_prefix(p, dash)) > 0 &&
	    quad_prefix(dash + 1, end) == pre &&
	    memcmp(p, dash + 1, pre) == 0 &&
	    num_parse(p + pre, dash, &vlo) == NULL &&
	    num_parse(dash + 1 + pre, end, &vhi) == NULL && vlo < vhi) {
		snprintf(why, whylen, "a range needs brackets: did you mean "
		    "%.*s[%.*s-%.*s]?", (int)pre, p, (int)(dash - p - pre),
		    p + pre, (int)(end - dash - 1 - pre), dash + 1 + pre);
		return 1;
	}

	if (memchr(p, '[', len) != NULL)
		return 0;
	if ((colon = memchr(p, ':', len)) != NULL) {
		/* two colons: an IPv6 address, never a range */
		if (memchr(colon + 1, ':', (size_t)(end - colon - 1)) != NULL)
			return 0;
		end = colon;
	}
	for (dash = end; dash > p && is_digit(dash[-1]); dash--)
		;
	if (dash == end || dash == p || *--dash != '-')
		return 0;
	for (lo = dash; lo > p && is_digit(lo[-1]); lo--)
		;
	if (lo == dash || num_parse(lo, dash, &vlo) != NULL ||
	    num_parse(dash + 1, end, &vhi) != NULL || vlo >= vhi)
		return 0;
	snprintf(why, whylen, "a range needs brackets: did you mean "
	    "%.*s[%.*s]%.*s? (a host of that name: %.*s[%.*s]%.*s)",
	    (int)(lo - p), p, (int)(end - lo), lo, (int)(p + len - end), end,
	    (int)(dash + 1 - p), p, (int)(end - dash - 1), dash + 1,
	    (int)(p + len - end), end);
	return 1;
}

/*
 * Validate spec and count its hosts; the first fault's message into err.
 * Allocates nothing.  *maxgroups gets the most groups of any item and
 * *maxlen the longest item.
 */
static int
spec_walk(const char *spec, uint64_t *total, size_t *maxgroups,
    size_t *maxlen, char *err, size_t errlen)
{
	const char	*p, *e, *why;
	char		 dash[1024];
	uint64_t	 count;
	size_t		 len, ngroups;

	*total = 0;
	*maxgroups = *maxlen = 0;
	for (p = spec;; p = e + 1) {
		e = item_end(p);
		if ((len = item_trim(&p, e)) == 0) {
			set_err(err, errlen, spec, strlen(spec),
			    *spec == '\0' ? "empty host list" : "empty item");
			errno = EINVAL;
			return -1;
		}
		if ((why = item_walk(p, len, &count, &ngroups, NULL)) != NULL ||
		    (dash_range(p, len, dash, sizeof(dash)) &&
		    (why = dash) != NULL)) {
			set_err(err, errlen, p, len, why);
			errno = EINVAL;
			return -1;
		}
		*total = sat_add(*total, count);
		if (ngroups > *maxgroups)
			*maxgroups = ngroups;
		if (len > *maxlen)
			*maxlen = len;
		if (*e == '\0')
			return 0;
	}
}

int
hostlist_count(const char *spec, uint64_t *count, char *err, size_t errlen)
{
	size_t	 g, l;

	return spec_walk(spec, count, &g, &l, err, errlen);
}

/* Set up the groups of the iterator's current item. */
static void
iter_item(struct hostlist_iter *it)
{
	uint64_t	 count;
	size_t		 k;

	it->ie = item_end(it->ip);
	it->ilen = item_trim(&it->ip, it->ie);
	(void)item_walk(it->ip, it->ilen, &count, &it->ngroups, it->g);
	for (k = 0; k < it->ngroups; k++)
		group_first(&it->g[k]);
	it->fresh = 1;
}

int
hostlist_iter_init(struct hostlist_iter *it, const char *spec, uint64_t max,
    char *err, size_t errlen)
{
	size_t	 maxgroups, maxlen;

	memset(it, 0, sizeof(*it));
	if (spec_walk(spec, &it->count, &maxgroups, &maxlen, err, errlen) != 0)
		return -1;
	if (it->count > max) {
		char	 why[96];

		if (it->count == COUNT_CAP)
			snprintf(why, sizeof(why), "expands to more than %"
			    PRIu64 " hosts", max);
		else
			snprintf(why, sizeof(why), "expands to %" PRIu64
			    " hosts, more than %" PRIu64, it->count, max);
		set_err(err, errlen, spec, strlen(spec), why);
		errno = E2BIG;
		return -1;
	}
	/* a group is at least "[n]" and prints at most NUM_MAXDIGITS */
	if ((maxgroups > 0 && (it->g = calloc(maxgroups, sizeof(*it->g))) ==
	    NULL) || (it->buf = malloc(maxlen + maxgroups * NUM_MAXDIGITS +
	    1)) == NULL) {
		free(it->g);
		it->g = NULL;
		set_err(err, errlen, spec, strlen(spec), "out of memory");
		errno = ENOMEM;
		return -1;
	}
	it->ip = spec;
	iter_item(it);
	return 0;
}

const char *
hostlist_iter_next(struct hostlist_iter *it)
{
	const char	*lit, *p;
	size_t		 k, off = 0;

	if (it->ip == NULL)
		return NULL;
	if (!it->fresh) {
		/* the rightmost group turns fastest */
		for (k = it->ngroups; k > 0 && !group_next(&it->g[k - 1]); k--)
			group_first(&it->g[k - 1]);
		if (k == 0) {
			if (*it->ie == '\0') {
				it->ip = NULL;
				return NULL;
			}
			it->ip = it->ie + 1;
			iter_item(it);
		}
	}
	it->fresh = 0;
	p = lit = it->ip;
	for (k = 0; k < it->ngroups; k++) {
		memcpy(it->buf + off, lit, (size_t)(it->g[k].open - lit));
		off += (size_t)(it->g[k].open - lit);
		off += (size_t)sprintf(it->buf + off, "%0*" PRIu64,
		    it->g[k].r.width, it->g[k].cur);
		lit = it->g[k].close + 1;
	}
	memcpy(it->buf + off, lit, (size_t)(p + it->ilen - lit));
	off += (size_t)(p + it->ilen - lit);
	it->buf[off] = '\0';
	return it->buf;
}

void
hostlist_iter_release(struct hostlist_iter *it)
{
	free(it->g);
	free(it->buf);
	memset(it, 0, sizeof(*it));
}

int
hostlist_expand_max(struct hostlist *hl, const char *spec, uint64_t max,
    char *err, size_t errlen)
{
	struct hostlist_iter	 it;
	const char		*h;
	char			**hosts;
	size_t			 oldn = hl->n, i;

	if (hostlist_iter_init(&it, spec, max, err, errlen) != 0)
		return -1;
	if (hl->n > SIZE_MAX / sizeof(*hosts) - it.count ||
	    (hosts = realloc(hl->hosts, (hl->n + it.count) *
	    sizeof(*hosts))) == NULL)
		goto nomem;
	hl->hosts = hosts;
	while ((h = hostlist_iter_next(&it)) != NULL) {
		if ((hl->hosts[hl->n] = strdup(h)) == NULL)
			goto undo;
		hl->n++;
	}
	hostlist_iter_release(&it);
	return 0;

 undo:
	/* leave hl as the caller gave it */
	for (i = oldn; i < hl->n; i++)
		free(hl->hosts[i]);
	hl->n = oldn;
 nomem:
	hostlist_iter_release(&it);
	set_err(err, errlen, spec, strlen(spec), "out of memory");
	errno = ENOMEM;
	return -1;
}

int
hostlist_expand(struct hostlist *hl, const char *spec, char *err,
    size_t errlen)
{
	return hostlist_expand_max(hl, spec, HOSTLIST_MAX, err, errlen);
}

int
hostlist_cmp(const char *a, const char *b)
{
	const char	*za, *zb, *ea, *eb;
	size_t		 la, lb;
	int		 r, tie = 0;

	while (*a != '\0' && *b != '\0') {
		if (!is_digit(*a) || !is_digit(*b)) {
			if (*a != *b)
				return (unsigned char)*a < (unsigned char)*b ?
				    -1 : 1;
			a++;
			b++;
			continue;
		}
		/* compare digit runs as numbers of any length */
		for (za = a; *za == '0'; za++)
			;
		for (zb = b; *zb == '0'; zb++)
			;
		for (ea = za; is_digit(*ea); ea++)
			;
		for (eb = zb; is_digit(*eb); eb++)
			;
		la = (size_t)(ea - za);
		lb = (size_t)(eb - zb);
		if (la != lb)
			return la < lb ? -1 : 1;
		if ((r = memcmp(za, zb, la)) != 0)
			return r < 0 ? -1 : 1;
		/* node1 and node01 are different names: fewer zeros first */
		if (tie == 0 && za - a != zb - b)
			tie = za - a < zb - b ? -1 : 1;
		a = ea;
		b = eb;
	}
	if (*a != '\0')
		return 1;
	if (*b != '\0')
		return -1;
	return tie;
}

static int
cmp_ptr(const void *a, const void *b)
{
	return hostlist_cmp(*(char *const *)a, *(char *const *)b);
}

void
hostlist_sort_unique(struct hostlist *hl)
{
	size_t	 i, j;

	if (hl->n < 2)
		return;
	qsort(hl->hosts, hl->n, sizeof(*hl->hosts), cmp_ptr);
	for (i = 1, j = 1; i < hl->n; i++) {
		if (strcmp(hl->hosts[j - 1], hl->hosts[i]) == 0)
			free(hl->hosts[i]);
		else
			hl->hosts[j++] = hl->hosts[i];
	}
	hl->n = j;
}

void
hostlist_release(struct hostlist *hl)
{
	size_t	 i;

	for (i = 0; i < hl->n; i++)
		free(hl->hosts[i]);
	free(hl->hosts);
	hl->hosts = NULL;
	hl->n = 0;
}

int
hostlist_split_port(const char *entry, char *host, size_t hostlen,
    uint16_t *port, uint16_t defport)
{
	const char	*h = entry, *close, *colon, *ps = NULL, *q;
	size_t		 hlen;
	unsigned long	 v = 0;

	if (*entry == '[') {
		if ((close = strchr(entry, ']')) == NULL)
			goto inval;
		h = entry + 1;
		hlen = (size_t)(close - h);
		if (close[1] == ':')
			ps = close + 2;
		else if (close[1] != '\0')
			goto inval;
	} else if ((colon = strchr(entry, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		hlen = (size_t)(colon - entry);
		ps = colon + 1;
	} else {
		/* no colon, or a bare IPv6 address: no port to be had */
		hlen = strlen(entry);
	}
	if (hlen == 0)
		goto inval;
	if (ps != NULL) {
		if (*ps == '\0')
			goto inval;
		for (q = ps; *q != '\0'; q++) {
			if (!is_digit(*q))
				goto inval;
			if ((v = v * 10 + (unsigned long)(*q - '0')) > 65535)
				goto inval;
		}
		if (v == 0)
			goto inval;
	}
	if (hlen >= hostlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*port = ps != NULL ? (uint16_t)v : defport;
	return 0;

 inval:
	errno = EINVAL;
	return -1;
}
