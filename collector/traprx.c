/* traprx: bmcfleetd's PET trap listener; see traprx.h. */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "collector/traprx.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"
#include "lib/loop.h"

#define LOG_EVERY_MS	60000	/* one line per reason per minute */
#define RECENT		256	/* traps remembered, to see resends */
#define RESEND_WINDOW_MS 60000

static const char *const verdict_names[TRAPRX_NVERDICTS] = {
	[TRAPRX_OK] = "accepted",
	[TRAPRX_UNKNOWN_SOURCE] = "unknown source",
	[TRAPRX_BAD_BER] = "bad BER",
	[TRAPRX_WRONG_ENTERPRISE] = "wrong enterprise",
	[TRAPRX_NOT_PET] = "not a PET",
	[TRAPRX_GUID_MISMATCH] = "GUID mismatch",
	[TRAPRX_REPEAT] = "repeat",
};

const char *
traprx_verdict_name(enum traprx_verdict v)
{
	return (unsigned)v < TRAPRX_NVERDICTS ? verdict_names[v] : "?";
}

struct seen {
	size_t		 bmc;
	uint16_t	 sequence;
	uint32_t	 local_ts;
	uint64_t	 at_ms;		/* 0: empty */
};

struct traprx {
	struct loop	*loop;
	struct traprx_cfg cfg;
	int		 fd;
	char		 where[80];
	struct traprx_map map;
	struct traprx_stats st;
	uint64_t	 logged_ms[TRAPRX_NVERDICTS];
	uint64_t	 quiet[TRAPRX_NVERDICTS];	/* since the last line */
	struct seen	 recent[RECENT];
	size_t		 next_recent;
};

/* --- the address map ------------------------------------------------ */

static int
addr_key(const struct sockaddr *sa, struct traprx_addr *k)
{
	memset(k, 0, sizeof(*k));
	if (sa->sa_family == AF_INET) {
		k->family = AF_INET;
		memcpy(k->a, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		/* ::ffff:a.b.c.d, as a dual-stack socket sees IPv4 */
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			k->family = AF_INET;
			memcpy(k->a, a6->s6_addr + 12, 4);
		} else {
			k->family = AF_INET6;
			memcpy(k->a, a6->s6_addr, 16);
		}
		return 0;
	}
	return -1;
}

static int
addr_cmp(const void *x, const void *y)
{
	const struct traprx_addr *a = x, *b = y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

int
traprx_map_add(struct traprx_map *m, const char *host, size_t bmc)
{
	struct addrinfo hints, *res = NULL, *ai;
	int rc = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = AF_UNSPEC;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct traprx_addr k;

		if (addr_key(ai->ai_addr, &k) != 0)
			continue;
		if (m->n == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 64;
			struct traprx_addr *v = realloc(m->v, cap * sizeof(*v));

			if (v == NULL) {
				rc = -1;
				break;
			}
			m->v = v;
			m->cap = cap;
		}
		k.bmc = bmc;
		m->v[m->n++] = k;
		rc = 0;
	}
	freeaddrinfo(res);
	return rc;
}

void
traprx_map_sort(struct traprx_map *m)
{
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), addr_cmp);
}

int
traprx_map_find(const struct traprx_map *m, const struct sockaddr *sa,
    size_t *bmc)
{
	struct traprx_addr k;
	const struct traprx_addr *hit;

	if (m == NULL || m->n == 0 || addr_key(sa, &k) != 0)
		return -1;
	if ((hit = bsearch(&k, m->v, m->n, sizeof(*m->v), addr_cmp)) == NULL)
		return -1;
	/* two BMCs behind one address (a NAT, ports apart): the first;
	 * its GUID, when known, is what tells them apart */
	while (hit > m->v && addr_cmp(hit - 1, &k) == 0)
		hit--;
	*bmc = hit->bmc;
	return 0;
}

void
traprx_map_release(struct traprx_map *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* --- the judgement and the match (pure) ----------------------------- */

static int
guid_same(const uint8_t *a, const uint8_t *b)
{
	if (memcmp(a, b, 16) == 0)
		return 1;
	for (int i = 0; i < 16; i++)
		if (a[i] != b[15 - i])
			return 0;
	return 1;
}

enum traprx_verdict
traprx_judge(const struct traprx_map *m, const struct sockaddr *from,
    enum traprx_verdict decoded, const struct traprx_pet *pet,
    const uint8_t *(*known_guid)(void *arg, size_t bmc), void *arg,
    size_t *bmc)
{
	const uint8_t *g;
	size_t b;

	/* the source first: a stranger's datagram is not even looked at */
	if (traprx_map_find(m, from, &b) != 0)
		return TRAPRX_UNKNOWN_SOURCE;
	if (decoded != TRAPRX_OK)
		return decoded;
	if (known_guid != NULL && (g = known_guid(arg, b)) != NULL &&
	    !guid_same(g, pet->guid))
		return TRAPRX_GUID_MISMATCH;
	*bmc = b;
	return TRAPRX_OK;
}

#define MATCH_WINDOW_S	300

long
traprx_match(const struct traprx_pet *p, const uint8_t *entries, size_t n,
    const uint8_t *taken)
{
	long best = -1;
	uint32_t best_d = UINT32_MAX;

	/* event data 1-3 first; then the offset alone (a BMC may fill
	 * data 2 and 3 of the trap and the entry differently) */
	for (int loose = 0; loose < 2 && best < 0; loose++)
		for (size_t i = 0; i < n; i++) {
			struct sel_entry e;
			uint32_t d;

			if ((taken != NULL && taken[i]) ||
			    sel_decode(entries + i * SEL_ENTRY_LEN,
			    SEL_ENTRY_LEN, &e) != 0 ||
			    e.kind != SEL_KIND_SYSTEM || e.id == 0)
				continue;
			if (e.sensor_type != p->sensor_type ||
			    e.sensor_number != p->sensor_number ||
			    e.event_type != p->event_type ||
			    (e.direction != 0) != (p->deassert != 0) ||
			    e.offset != p->offset)
				continue;
			if (!loose && memcmp(e.data, p->event_data, 3) != 0)
				continue;
			if (!e.has_timestamp || e.pre_init || p->local_ts == 0) {
				/* no time to go by: the latest entry */
				best = (long)i;
				best_d = UINT32_MAX - 1;
				continue;
			}
			d = e.timestamp > p->local_ts ?
			    e.timestamp - p->local_ts :
			    p->local_ts - e.timestamp;
			if (d <= MATCH_WINDOW_S && d <= best_d) {
				best = (long)i;
				best_d = d;
			}
		}
	return best;
}

/* --- the decoder's adapter ------------------------------------------ */

enum traprx_verdict
traprx_decode(const uint8_t *dgram, size_t len, struct traprx_pet *pet)
{
	struct pet_trap t;
	struct pet p;
	int rc;

	memset(pet, 0, sizeof(*pet));
	switch ((rc = pet_datagram_decode(dgram, len, &t, &p))) {
	case PET_OK:
		break;
	case PET_E_ENTERPRISE:
		return TRAPRX_WRONG_ENTERPRISE;
	case PET_E_GENERIC:
	case PET_E_NO_PET:
	case PET_E_PET_LEN:
		return TRAPRX_NOT_PET;
	default:
		return TRAPRX_BAD_BER;
	}
	memcpy(pet->guid, p.guid, sizeof(pet->guid));
	pet->sequence = p.sequence;
	pet->raw_ts = p.timestamp;
	pet->local_ts = p.timestamp != PET_TS_UNSPECIFIED ?
	    p.timestamp + PET_EPOCH_UNIX : 0;
	pet->source_type = p.event_source;
	pet->sensor_device = p.sensor_device;
	pet->sensor_number = p.sensor_number;
	pet->sensor_type = p.sensor_type;
	pet->event_type = p.event_type;
	pet->offset = p.offset;
	pet->deassert = p.direction != 0;
	memcpy(pet->event_data, p.event_data, sizeof(pet->event_data));
	pet->specific_trap = (uint32_t)t.specific;
	pet->severity = sel_severity_name(pet_severity(&p));
	pet_to_sel(&p, pet->sel);
	return TRAPRX_OK;
}

/* --- the socket ----------------------------------------------------- */

static void
say(struct traprx *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct traprx *r, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (r->cfg.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r->cfg.log(r->cfg.arg, line);
}

static void
addr_text(const struct sockaddr_storage *ss, char *out, size_t len)
{
	struct traprx_addr k;

	if (addr_key((const struct sockaddr *)ss, &k) != 0 ||
	    inet_ntop(k.family, k.a, out, (socklen_t)len) == NULL)
		snprintf(out, len, "?");
}

/* A resend of a trap seen within the minute?  Remembered either way. */
static int
seen_before(struct traprx *r, size_t bmc, const struct traprx_pet *p,
    uint64_t now)
{
	struct seen *s;

	for (size_t i = 0; i < RECENT; i++) {
		s = &r->recent[i];
		if (s->at_ms != 0 && now - s->at_ms < RESEND_WINDOW_MS &&
		    s->bmc == bmc && s->sequence == p->sequence &&
		    s->local_ts == p->local_ts)
			return 1;
	}
	s = &r->recent[r->next_recent++ % RECENT];
	s->bmc = bmc;
	s->sequence = p->sequence;
	s->local_ts = p->local_ts;
	s->at_ms = now;
	return 0;
}

static void
dropped(struct traprx *r, enum traprx_verdict v, const char *from)
{
	uint64_t now = loop_now(r->loop);

	r->st.n[v]++;
	if (r->logged_ms[v] != 0 && now - r->logged_ms[v] < LOG_EVERY_MS) {
		r->quiet[v]++;
		return;
	}
	say(r, "trap from %s dropped: %s%s", from, traprx_verdict_name(v),
	    r->quiet[v] > 0 ? " (and more since the last line)" : "");
	r->logged_ms[v] = now;
	r->quiet[v] = 0;
}

static void
on_read(struct loop *l, int fd, unsigned events, void *arg)
{
	struct traprx *r = arg;
	struct traprx_trap t;
	struct sockaddr_storage ss;
	uint8_t buf[2048];
	enum traprx_verdict v;

	(void)l;
	(void)events;
	/* a burst is drained, bounded so the loop's others get their turn */
	for (int k = 0; k < 64; k++) {
		socklen_t sl = sizeof(ss);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&ss, &sl);

		if (n < 0)
			return;
		r->st.received++;
		memset(&t, 0, sizeof(t));
		addr_text(&ss, t.from, sizeof(t.from));
		v = traprx_judge(&r->map, (const struct sockaddr *)&ss,
		    traprx_decode(buf, (size_t)n, &t.pet), &t.pet,
		    r->cfg.known_guid, r->cfg.arg, &t.bmc);
		if (v != TRAPRX_OK) {
			dropped(r, v, t.from);
			continue;
		}
		r->st.accepted++;
		t.received_ms = loop_wall_ms();
		t.repeat = seen_before(r, t.bmc, &t.pet, loop_now(r->loop));
		if (t.repeat)
			r->st.n[TRAPRX_REPEAT]++;
		t.dgram = buf;
		t.len = (size_t)n;
		if (r->cfg.on_trap != NULL)
			r->cfg.on_trap(r->cfg.arg, &t);
	}
}

/* "ADDR:PORT", "ADDR", ":PORT", "[V6]:PORT": 0, or -1. */
static int
parse_listen(const char *s, char *host, size_t hlen, unsigned *port)
{
	const char *colon, *h = s;
	size_t n;
	char *end;

	*port = TRAPRX_PORT;
	if (s == NULL || *s == '\0') {
		snprintf(host, hlen, "0.0.0.0");
		return 0;
	}
	if (*s == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL)
			return -1;
		h = s + 1;
		n = (size_t)(rb - h);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] != '\0' && colon == NULL)
			return -1;
	} else {
		colon = strrchr(s, ':');
		/* two colons and no brackets: a bare IPv6 address */
		if (colon != NULL && strchr(s, ':') != colon)
			colon = NULL;
		n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	}
	if (n >= hlen)
		return -1;
	if (n == 0 || (n == 1 && *h == '*'))
		snprintf(host, hlen, "0.0.0.0");
	else {
		memcpy(host, h, n);
		host[n] = '\0';
	}
	if (colon != NULL) {
		unsigned long p;

		errno = 0;
		p = strtoul(colon + 1, &end, 10);
		if (errno != 0 || *end != '\0' || end == colon + 1 || p == 0 ||
		    p > 65535)
			return -1;
		*port = (unsigned)p;
	}
	return 0;
}

static int
bind_to(const char *host, unsigned port, int *fdp, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char ps[8];
	int fd, rc, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(ps, sizeof(ps), "%u", port);
	if ((rc = getaddrinfo(host, ps, &hints, &res)) != 0) {
		snprintf(err, errlen, "traps: listen address '%s': %s", host,
		    gai_strerror(rc));
		errno = EINVAL;
		return -1;
	}
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 || bind(fd, res->ai_addr, res->ai_addrlen) ==
	    -1) {
		int e = errno;

		snprintf(err, errlen, "traps: cannot listen on %s port %u: %s",
		    host, port, strerror(e));
		if (fd != -1)
			close(fd);
		freeaddrinfo(res);
		errno = e;
		return -1;
	}
	freeaddrinfo(res);
	*fdp = fd;
	return 0;
}

struct traprx *
traprx_open(struct loop *l, const char *listen, const struct traprx_cfg *cfg,
    char *err, size_t errlen)
{
	struct traprx *r;
	char host[64];
	unsigned port;
	int fd = -1;

	if (parse_listen(listen, host, sizeof(host), &port) != 0) {
		snprintf(err, errlen, "traps: listen '%s': not ADDR[:PORT]",
		    listen);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "traps: out of memory");
		return NULL;
	}
	r->loop = l;
	r->cfg = *cfg;
	r->fd = -1;
	if (bind_to(host, port, &fd, err, errlen) != 0) {
		/* port 162 needs privilege (CAP_NET_BIND_SERVICE): the
		 * stated unprivileged port instead, said */
		if (errno != EACCES || port != TRAPRX_PORT ||
		    bind_to(host, TRAPRX_FALLBACK_PORT, &fd, err + strlen(err),
		    errlen - strlen(err)) != 0) {
			free(r);
			return NULL;
		}
		say(r, "%s; listening on port %u instead", err,
		    TRAPRX_FALLBACK_PORT);
		port = TRAPRX_FALLBACK_PORT;
		err[0] = '\0';
	}
	r->fd = fd;
	if (loop_add_fd(l, fd, LOOP_READ, on_read, r) != 0) {
		snprintf(err, errlen, "traps: loop: %s", strerror(errno));
		close(fd);
		free(r);
		return NULL;
	}
	snprintf(r->where, sizeof(r->where), strchr(host, ':') != NULL ?
	    "[%s]:%u" : "%s:%u", host, port);
	return r;
}

void
traprx_set_map(struct traprx *r, struct traprx_map *m)
{
	traprx_map_release(&r->map);
	r->map = *m;
	memset(m, 0, sizeof(*m));
	traprx_map_sort(&r->map);
	/* config indexes changed: a resend must not be taken for
	 * another BMC's trap */
	memset(r->recent, 0, sizeof(r->recent));
}

const char *
traprx_where(const struct traprx *r)
{
	return r->where;
}

const struct traprx_stats *
traprx_stats(const struct traprx *r)
{
	return &r->st;
}

void
traprx_stats_words(const struct traprx_stats *st, char *out, size_t len)
{
	uint64_t drops = st->received - st->accepted;
	size_t k;
	int first = 1;

	k = (size_t)snprintf(out, len, "%" PRIu64 " received, %" PRIu64
	    " accepted (%" PRIu64 " repeats), %" PRIu64 " dropped",
	    st->received, st->accepted, st->n[TRAPRX_REPEAT], drops);
	for (int v = TRAPRX_UNKNOWN_SOURCE; v < TRAPRX_REPEAT && k < len;
	    v++) {
		if (st->n[v] == 0)
			continue;
		k += (size_t)snprintf(out + k, len - k, "%s%s %" PRIu64,
		    first ? " (" : ", ", traprx_verdict_name(v), st->n[v]);
		first = 0;
	}
	if (!first && k < len)
		snprintf(out + k, len - k, ")");
}

void
traprx_close(struct traprx *r)
{
	if (r == NULL)
		return;
	if (r->fd != -1) {
		loop_del_fd(r->loop, r->fd);
		close(r->fd);
	}
	traprx_map_release(&r->map);
	free(r);
}
