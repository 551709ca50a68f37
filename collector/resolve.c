#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ares.h>

#include "collector/resolve.h"
#include "lib/loop.h"

enum { E_ASKING, E_DONE };

struct resolve_entry {
	struct resolve_entry	*hnext;		/* the bucket's chain */
	struct resolver		*r;
	int			 state;
	int			 busy;		/* its waiters are being called */
	int			 ok;
	struct sockaddr_storage	 addr;		/* port 0 */
	socklen_t		 addrlen;
	char			 addrstr[64];
	char			 why[96];
	uint64_t		 start_us;
	uint64_t		 took_us;
	struct resolve_wait	*waiters;	/* first come, first called */
	struct resolve_wait	*last;
	char			 name[];
};

struct resolver {
	struct loop		*loop;
	ares_channel		 ch;
	int			 ares_up;	/* ares_library_init done */
	int			 ch_up;		/* ch is a channel */
	struct loop_timer	 timer;		/* c-ares's next retry */
	struct resolve_entry	**bucket;
	size_t			 nbucket;
	size_t			 nentry;
	unsigned long		 queries;
};

static void
set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

int
resolve_numeric(const char *host, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct addrinfo hints, *res = NULL;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		*len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		*len = sizeof(*sin6);
	} else if (strspn(host, "0123456789abcdefABCDEFxX.:%") > 0 &&
	    strpbrk(host, " \t") == NULL) {
		/* fe80::1%eth0 (the scope needs the C library) and the
		 * inet_aton forms the C library takes as numbers (127.1,
		 * 0x7f000001, 127.40967): AI_NUMERICHOST asks nobody */
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_DGRAM;
		hints.ai_flags = AI_NUMERICHOST;
		if (getaddrinfo(host, NULL, &hints, &res) != 0)
			return -1;
		if (res->ai_addrlen > sizeof(*ss)) {
			freeaddrinfo(res);
			return -1;
		}
		memcpy(ss, res->ai_addr, res->ai_addrlen);
		*len = res->ai_addrlen;
		freeaddrinfo(res);
	} else
		return -1;
	set_port(ss, port);
	return 0;
}

static uint64_t
hash_name(const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct resolve_entry **
find_slot(struct resolver *r, const char *name)
{
	struct resolve_entry **pp;

	pp = &r->bucket[hash_name(name) & (r->nbucket - 1)];
	while (*pp != NULL && strcmp((*pp)->name, name) != 0)
		pp = &(*pp)->hnext;
	return pp;
}

static int
grow(struct resolver *r)
{
	size_t n = r->nbucket ? r->nbucket * 2 : 64, i;
	struct resolve_entry **b, *e, *next;

	if ((b = calloc(n, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; i < r->nbucket; i++)
		for (e = r->bucket[i]; e != NULL; e = next) {
			size_t k = hash_name(e->name) & (n - 1);

			next = e->hnext;
			e->hnext = b[k];
			b[k] = e;
		}
	free(r->bucket);
	r->bucket = b;
	r->nbucket = n;
	return 0;
}

static void
fill_result(const struct resolve_entry *e, uint16_t port,
    struct resolve_result *res)
{
	memset(res, 0, sizeof(*res));
	res->ok = e->ok;
	res->took_us = e->took_us;
	memcpy(res->why, e->why, sizeof(res->why));
	memcpy(res->addrstr, e->addrstr, sizeof(res->addrstr));
	if (e->ok) {
		res->addr = e->addr;
		res->addrlen = e->addrlen;
		set_port(&res->addr, port);
	}
}

/* c-ares's status in an operator's words */
static const char *
ares_why(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
		return "no such name (NXDOMAIN)";
	case ARES_ENODATA:
		return "the name has no address";
	case ARES_ETIMEOUT:
		return "no answer from the DNS servers (timeout)";
	case ARES_ESERVFAIL:
		return "DNS server failure (SERVFAIL)";
	case ARES_EREFUSED:
		return "the DNS server refused the query";
	case ARES_ECONNREFUSED:
		return "cannot reach the DNS servers";
	case ARES_EBADNAME:
		return "not a valid host name";
	default:
		return ares_strerror(status);
	}
}

static void
arm(struct resolver *r)
{
	struct timeval tv, *tvp;
	uint64_t ms;

	if (!r->ch_up)
		return;
	if ((tvp = ares_timeout(r->ch, NULL, &tv)) == NULL) {
		loop_timer_cancel(r->loop, &r->timer);
		return;
	}
	ms = (uint64_t)tvp->tv_sec * 1000 + ((uint64_t)tvp->tv_usec + 999) /
	    1000;
	(void)loop_timer_set(r->loop, &r->timer, loop_now(r->loop) + ms);
}

static void
on_ares_fd(struct loop *l, int fd, unsigned events, void *arg)
{
	struct resolver *r = arg;

	(void)l;
	ares_process_fd(r->ch,
	    (events & LOOP_READ) ? fd : ARES_SOCKET_BAD,
	    (events & LOOP_WRITE) ? fd : ARES_SOCKET_BAD);
	arm(r);
}

static void
on_ares_timer(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct resolver *r = arg;

	(void)l;
	(void)tm;
	ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	arm(r);
}

/* c-ares opens, watches and closes its sockets through here */
static void
on_sock_state(void *arg, ares_socket_t fd, int readable, int writable)
{
	struct resolver *r = arg;
	unsigned ev = (readable ? LOOP_READ : 0) | (writable ? LOOP_WRITE : 0);

	if (ev == 0) {
		loop_del_fd(r->loop, fd);
		return;
	}
	if (loop_mod_fd(r->loop, fd, ev) == -1 && errno == ENOENT)
		(void)loop_add_fd(r->loop, fd, ev, on_ares_fd, r);
}

static void
on_answer(void *arg, int status, int timeouts, struct ares_addrinfo *ai)
{
	struct resolve_entry *e = arg;
	struct resolver *r = e->r;
	struct resolve_wait *w;
	struct resolve_result res;
	struct ares_addrinfo_node *n;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION) {	/* resolver_free */
		if (ai != NULL)
			ares_freeaddrinfo(ai);
		return;
	}
	e->took_us = loop_now_us(r->loop) - e->start_us;
	e->state = E_DONE;
	n = ai != NULL ? ai->nodes : NULL;
	while (n != NULL && n->ai_family != AF_INET && n->ai_family != AF_INET6)
		n = n->ai_next;
	if (status == ARES_SUCCESS && n != NULL &&
	    (size_t)n->ai_addrlen <= sizeof(e->addr)) {
		const void *a;

		e->ok = 1;
		memcpy(&e->addr, n->ai_addr, n->ai_addrlen);
		e->addrlen = n->ai_addrlen;
		a = n->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)&e->addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)&e->addr)->sin6_addr;
		if (inet_ntop(n->ai_family, a, e->addrstr,
		    sizeof(e->addrstr)) == NULL)
			e->addrstr[0] = '\0';
	} else {
		e->ok = 0;
		snprintf(e->why, sizeof(e->why), "%s", status == ARES_SUCCESS ?
		    "the name has no address" : ares_why(status));
	}
	if (ai != NULL)
		ares_freeaddrinfo(ai);
	/* each waiter is unlinked before its call: a callback may cancel
	 * others, look up more names, or free its own waiter */
	e->busy = 1;
	while ((w = e->waiters) != NULL) {
		e->waiters = w->next;
		if (w->next != NULL)
			w->next->prev = NULL;
		else
			e->last = NULL;
		w->prev = w->next = NULL;
		w->e = NULL;
		fill_result(e, w->port, &res);
		w->cb(w, &res);
	}
	e->busy = 0;
}

static int
channel_up(struct resolver *r)
{
	struct ares_options o;
	int rc;

	if (r->ch_up)
		return ARES_SUCCESS;
	if (!r->ares_up) {
		if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS)
			return rc;
		r->ares_up = 1;
	}
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = on_sock_state;
	o.sock_state_cb_data = r;
	if ((rc = ares_init_options(&r->ch, &o, ARES_OPT_SOCK_STATE_CB)) !=
	    ARES_SUCCESS)
		return rc;
	r->ch_up = 1;
	return ARES_SUCCESS;
}

struct resolver *
resolver_new(struct loop *l)
{
	struct resolver *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->loop = l;
	loop_timer_init(&r->timer, on_ares_timer, r);
	return r;
}

static void
free_entries(struct resolver *r, int all)
{
	struct resolve_entry **pp, *e;
	size_t i;

	for (i = 0; i < r->nbucket; i++)
		for (pp = &r->bucket[i]; (e = *pp) != NULL;) {
			if (all || (e->state == E_DONE && !e->busy)) {
				*pp = e->hnext;
				r->nentry--;
				free(e);
			} else
				pp = &e->hnext;
		}
}

void
resolver_free(struct resolver *r)
{
	size_t i;
	struct resolve_entry *e;
	struct resolve_wait *w;

	if (r == NULL)
		return;
	/* nobody is called back any more */
	for (i = 0; i < r->nbucket; i++)
		for (e = r->bucket[i]; e != NULL; e = e->hnext) {
			while ((w = e->waiters) != NULL) {
				e->waiters = w->next;
				w->prev = w->next = NULL;
				w->e = NULL;
			}
			e->last = NULL;
		}
	if (r->ch_up)
		ares_destroy(r->ch);	/* on_answer(EDESTRUCTION), fds off */
	loop_timer_cancel(r->loop, &r->timer);
	if (r->ares_up)
		ares_library_cleanup();
	free_entries(r, 1);
	free(r->bucket);
	free(r);
}

static void
fail_now(const char *why, struct resolve_result *res)
{
	memset(res, 0, sizeof(*res));
	snprintf(res->why, sizeof(res->why), "%s", why);
}

int
resolver_lookup(struct resolver *r, const char *host, uint16_t port,
    struct resolve_wait *w, resolve_cb *cb, void *arg,
    struct resolve_result *res)
{
	struct resolve_entry **pp, *e;
	struct ares_addrinfo_hints hints;
	size_t len;
	int rc;

	if (resolve_numeric(host, port, &res->addr, &res->addrlen) == 0) {
		res->ok = 1;
		res->took_us = 0;
		res->cached = 0;
		res->why[0] = '\0';
		snprintf(res->addrstr, sizeof(res->addrstr), "%s", host);
		return 1;
	}
	if (r->nentry >= r->nbucket && grow(r) == -1) {
		fail_now(strerror(errno), res);
		return 1;
	}
	if ((e = *(pp = find_slot(r, host))) != NULL) {
		if (e->state == E_DONE) {
			fill_result(e, port, res);
			res->cached = 1;
			return 1;
		}
	} else {
		if ((rc = channel_up(r)) != ARES_SUCCESS) {
			fail_now(ares_why(rc), res);
			return 1;
		}
		len = strlen(host) + 1;
		if ((e = calloc(1, sizeof(*e) + len)) == NULL) {
			fail_now(strerror(errno), res);
			return 1;
		}
		memcpy(e->name, host, len);
		e->r = r;
		e->state = E_ASKING;
		e->start_us = loop_now_us(r->loop);
		*pp = e;
		r->nentry++;
		r->queries++;
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_DGRAM;
		/* may answer at once (/etc/hosts, a bad name): then e is done
		 * before it has a waiter, and the answer is returned below */
		ares_getaddrinfo(r->ch, host, NULL, &hints, on_answer, e);
		arm(r);
		if (e->state == E_DONE) {
			fill_result(e, port, res);
			return 1;
		}
	}
	w->e = e;
	w->port = port;
	w->cb = cb;
	w->arg = arg;
	w->next = NULL;
	w->prev = e->last;
	if (e->last != NULL)
		e->last->next = w;
	else
		e->waiters = w;
	e->last = w;
	return 0;
}

void
resolver_cancel(struct resolver *r, struct resolve_wait *w)
{
	(void)r;
	if (w->e == NULL)
		return;
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		w->e->waiters = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	else
		w->e->last = w->prev;
	w->prev = w->next = NULL;
	w->e = NULL;
}

void
resolver_forget(struct resolver *r)
{
	free_entries(r, 0);
}

unsigned long
resolver_queries(const struct resolver *r)
{
	return r->queries;
}
