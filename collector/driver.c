#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/errqueue.h>

#include "collector/driver.h"
#include "collector/resolve.h"
#include "ipmi/walk.h"
#include "lib/loop.h"

_Static_assert(sizeof(((struct drv_request *)0)->data) >=
    sizeof(((struct ipmi_req *)0)->data), "a walker's request must fit");

void
drv_req_from(struct drv_request *dst, const struct ipmi_req *src)
{
	dst->netfn = src->netfn;
	dst->cmd = src->cmd;
	memcpy(dst->data, src->data, src->len);
	dst->len = src->len;
}

/*
 * Sessions per shared socket.  A session has one request out at a time, so
 * a socket's receive queue holds at most about one answer per session (and
 * the duplicates a broken BMC adds) between two drains; 256 small answers
 * fit the queue Linux allows by default (rmem_max 208 KiB, doubled by
 * SO_RCVBUF, at ~1 KiB of truesize each on loopback) with room to spare.
 * 10,000 sessions in flight take 40 sockets, the default fanout of 256 one
 * per address family.
 */
#define DRV_SOCK_SESS	256
#define DRV_RECV_BATCH	64	/* datagrams per recvmmsg */
#define DRV_SEND_BATCH	64	/* datagrams per sendmmsg */
#define DRV_RECV_ROUNDS	16	/* recvmmsg calls per wakeup, at most */
#define DRV_RCVBUF	(1 << 20)	/* asked for; the kernel caps it */

/* datagrams a drained send queue keeps room for */
#define DRV_OUT_KEEP	DRV_SEND_BATCH

/* A datagram queued for the end of the loop turn. */
struct drv_out {
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	size_t			 len;
	uint8_t			 pkt[IPMI_MAX_PACKET];
};

/*
 * A shared, unconnected UDP socket: up to DRV_SOCK_SESS sessions, never
 * two to the same BMC address and port, so that (socket, source address,
 * port) names one session even for the packets without a session ID
 * (Get Channel Authentication Capabilities, the v1.5 challenge).
 */
struct drv_sock {
	struct driver		*drv;
	int			 fd;
	int			 family;
	size_t			 nsess;
	int			 writing;	/* LOOP_WRITE watched */
	int			 hard;		/* send errors on out[head] */
	struct drv_out		*out;
	size_t			 head, nout, outcap;
};

struct drv_sess {
	struct driver		*drv;
	struct drv_target	*t;
	struct drv_sess		*prev, *next;	/* driver.live */
	struct ipmi_session	 s;
	struct loop_timer	 timer;
	struct loop_timer	 budget;	/* host_deadline_ms */
	struct drv_sock		*sock;		/* NULL: none (yet) */
	struct drv_sess		*hnext;		/* driver.ht chain */
	uint32_t		 hash;
	/* the BMC's address, filled by sess_resolve for sess_connect */
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	struct resolve_wait	 rw;		/* waiting for addr's name */
	struct loop_timer	 gap;		/* min_gap_ms before pending */
	uint64_t		 last_sent;
	int			 has_pending;
	struct drv_request	 pending;
	enum drv_step		 resumed;	/* driver_resume's, on the gap */
};

struct driver {
	struct loop		*loop;
	const struct driver_cfg	*cfg;
	struct drv_target	**targets;
	size_t			 n;
	size_t			 next;		/* next target to start */
	size_t			 inflight;
	size_t			 failed;
	int			 local_err;
	int			 starting;	/* start_next is on the stack */
	int			 stopping;	/* driver_run is returning */
	struct drv_sess		*live;		/* sessions in flight */
	/* shared sockets, and the sessions on them by (socket, address,
	 * port): one lookup per datagram */
	struct drv_sock		**socks;
	size_t			 nsocks;
	struct drv_sess		**ht;
	size_t			 htcap, htn;	/* htcap: 0 or a power of 2 */
	struct loop_defer	 sender;	/* flushes every socket's queue */
	struct drv_rx		*rx;		/* recvmmsg's buffers */
	size_t			 dgrams_out, sends;	/* for -v */
	/* driver_open's: targets come and go, the loop is never stopped */
	int			 persistent;
	size_t			 cap;		/* of targets (persistent) */
	/* names asked once per run (persistent: per burst of work) */
	struct resolver		*res;
};

static const char *const fail_names[] = {
	[DRV_OK] = "ok",
	[DRV_FAIL_RESOLVE] = "unresolvable",
	[DRV_FAIL_SOCKET] = "socket error",
	[DRV_FAIL_UNREACHABLE] = "unreachable",
	[DRV_FAIL_TIMEOUT] = "timeout",
	[DRV_FAIL_AUTH] = "authentication",
	[DRV_FAIL_INSECURE] = "insecure mode refused",
	[DRV_FAIL_UNSUPPORTED] = "unsupported",
	[DRV_FAIL_SESSION] = "session error",
	[DRV_FAIL_COMMAND] = "command failed",
	[DRV_FAIL_DEADLINE] = "deadline",
	[DRV_FAIL_ABORTED] = "aborted",
};

const char *
drv_fail_name(enum drv_fail f)
{
	if ((size_t)f < sizeof(fail_names) / sizeof(fail_names[0]))
		return fail_names[f];
	return "?";
}

void
driver_fail(struct drv_target *t, int err, const char *fmt, ...)
{
	va_list ap;

	t->fail = DRV_FAIL_COMMAND;
	t->err = err;
	va_start(ap, fmt);
	vsnprintf(t->errmsg, sizeof(t->errmsg), fmt, ap);
	va_end(ap);
}

static void start_next(struct driver *);

static void
sess_debug(void *arg, const char *line)
{
	struct drv_sess *ds = arg;

	if (ds->drv->cfg->debug != NULL)
		ds->drv->cfg->debug(ds->drv->cfg->arg, ds->t, line);
}

static void finish(struct drv_sess *);

/* --- shared sockets ------------------------------------------------------ */

struct drv_rx {
	struct mmsghdr		 msg[DRV_RECV_BATCH];
	struct iovec		 iov[DRV_RECV_BATCH];
	struct sockaddr_storage	 from[DRV_RECV_BATCH];
	uint8_t			 pkt[DRV_RECV_BATCH][IPMI_MAX_PACKET + 64];
};

static void on_read(struct loop *, int, unsigned, void *);
static void sess_event(struct drv_sess *, int);

/* The address bytes and port of an IPv4 or IPv6 sockaddr. */
static int
addr_parts(const struct sockaddr_storage *sa, const uint8_t **a, size_t *alen,
    uint16_t *port, uint32_t *scope)
{
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		*a = (const uint8_t *)&in->sin_addr;
		*alen = sizeof(in->sin_addr);
		*port = in->sin_port;
		*scope = 0;
		return 0;
	}
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		*a = in6->sin6_addr.s6_addr;
		*alen = sizeof(in6->sin6_addr.s6_addr);
		*port = in6->sin6_port;
		*scope = in6->sin6_scope_id;
		return 0;
	}
	return -1;
}

static int
addr_same(const struct sockaddr_storage *x, const struct sockaddr_storage *y)
{
	const uint8_t *ax, *ay;
	size_t lx, ly;
	uint16_t px, py;
	uint32_t sx, sy;

	if (x->ss_family != y->ss_family ||
	    addr_parts(x, &ax, &lx, &px, &sx) == -1 ||
	    addr_parts(y, &ay, &ly, &py, &sy) == -1)
		return 0;
	return px == py && sx == sy && lx == ly && memcmp(ax, ay, lx) == 0;
}

/* FNV-1a over the socket, the address and the port. */
static uint32_t
addr_hash(const struct drv_sock *so, const struct sockaddr_storage *sa)
{
	const uint8_t *a;
	size_t alen, i;
	uint16_t port;
	uint32_t scope, h = 2166136261u;

	if (addr_parts(sa, &a, &alen, &port, &scope) == -1)
		return 0;
	for (i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	h = (h ^ (uint32_t)so->fd) * 16777619u;
	return h ^ scope;
}

static struct drv_sess *
ht_find(struct driver *d, const struct drv_sock *so,
    const struct sockaddr_storage *sa)
{
	struct drv_sess *ds;
	uint32_t h;

	if (d->htcap == 0)
		return NULL;
	h = addr_hash(so, sa);
	for (ds = d->ht[h & (d->htcap - 1)]; ds != NULL; ds = ds->hnext)
		if (ds->hash == h && ds->sock == so && addr_same(&ds->addr, sa))
			return ds;
	return NULL;
}

static int
ht_add(struct driver *d, struct drv_sess *ds)
{
	if (d->htn >= d->htcap) {
		size_t cap = d->htcap ? d->htcap * 2 : 64, i;
		struct drv_sess **ht, *p, *next;

		if ((ht = calloc(cap, sizeof(*ht))) != NULL) {
			for (i = 0; i < d->htcap; i++)
				for (p = d->ht[i]; p != NULL; p = next) {
					next = p->hnext;
					p->hnext = ht[p->hash & (cap - 1)];
					ht[p->hash & (cap - 1)] = p;
				}
			free(d->ht);
			d->ht = ht;
			d->htcap = cap;
		} else if (d->htcap == 0)
			return -1;
		/* else: longer chains, still correct */
	}
	ds->hash = addr_hash(ds->sock, &ds->addr);
	ds->hnext = d->ht[ds->hash & (d->htcap - 1)];
	d->ht[ds->hash & (d->htcap - 1)] = ds;
	d->htn++;
	return 0;
}

static void
ht_del(struct driver *d, struct drv_sess *ds)
{
	struct drv_sess **pp;

	for (pp = &d->ht[ds->hash & (d->htcap - 1)]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == ds) {
			*pp = ds->hnext;
			d->htn--;
			return;
		}
}

static struct drv_sock *
sock_open(struct driver *d, int family)
{
	struct drv_sock *so, **v;
	int on = 1, rcv = DRV_RCVBUF, fd, saved;

	if (d->rx == NULL && (d->rx = malloc(sizeof(*d->rx))) == NULL)
		return NULL;
	if ((v = realloc(d->socks, (d->nsocks + 1) * sizeof(*v))) == NULL)
		return NULL;
	d->socks = v;
	if ((so = calloc(1, sizeof(*so))) == NULL)
		return NULL;
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* ICMP errors, unconnected: queued with the destination they name */
	if (fd == -1 || setsockopt(fd, family == AF_INET ? IPPROTO_IP :
	    IPPROTO_IPV6, family == AF_INET ? IP_RECVERR : IPV6_RECVERR, &on,
	    sizeof(on)) == -1)
		goto fail;
	/* best effort: the kernel caps it at net.core.rmem_max */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (loop_add_fd(d->loop, fd, LOOP_READ, on_read, so) == -1)
		goto fail;
	so->drv = d;
	so->fd = fd;
	so->family = family;
	d->socks[d->nsocks++] = so;
	return so;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	free(so);
	errno = saved;
	return NULL;
}

/*
 * Send what the socket has queued, as few sendmmsg calls as it takes.  A
 * full send buffer keeps the rest queued until the socket is writable.
 */
static void
sock_send(struct drv_sock *so)
{
	struct driver *d = so->drv;
	struct mmsghdr v[DRV_SEND_BATCH];
	struct iovec iov[DRV_SEND_BATCH];
	size_t i, cnt;
	int n;

	while (so->head < so->nout) {
		cnt = so->nout - so->head;
		if (cnt > DRV_SEND_BATCH)
			cnt = DRV_SEND_BATCH;
		memset(v, 0, cnt * sizeof(v[0]));
		for (i = 0; i < cnt; i++) {
			struct drv_out *o = &so->out[so->head + i];

			iov[i].iov_base = o->pkt;
			iov[i].iov_len = o->len;
			v[i].msg_hdr.msg_name = &o->addr;
			v[i].msg_hdr.msg_namelen = o->addrlen;
			v[i].msg_hdr.msg_iov = &iov[i];
			v[i].msg_hdr.msg_iovlen = 1;
		}
		n = sendmmsg(so->fd, v, (unsigned)cnt, 0);
		if (n > 0) {
			so->head += (size_t)n;
			so->hard = 0;
			d->sends++;
			d->dgrams_out += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS)) {
			if (!so->writing && loop_mod_fd(d->loop, so->fd,
			    LOOP_READ | LOOP_WRITE) == 0)
				so->writing = 1;
			return;
		}
		/*
		 * An ICMP error for an earlier datagram (the error queue says
		 * whose) is reported by the next send and costs it: try that
		 * one once more; a second error is its own, and its lost
		 * packet is the retransmit timer's, as on any network.
		 */
		if (++so->hard >= 2) {
			so->head++;
			so->hard = 0;
		}
	}
	so->head = so->nout = 0;
	/*
	 * A queue grown while the socket was full is not kept for the run:
	 * sock_queue sends every DRV_SEND_BATCH datagrams.
	 */
	if (so->outcap > DRV_OUT_KEEP) {
		free(so->out);
		so->out = NULL;
		so->outcap = 0;
	}
	if (so->writing && loop_mod_fd(d->loop, so->fd, LOOP_READ) == 0)
		so->writing = 0;
}

/* The end of a loop turn: every request produced in it leaves now. */
static void
on_send(struct loop *l, struct loop_defer *df, void *arg)
{
	struct driver *d = arg;
	size_t i;

	(void)l;
	(void)df;
	for (i = 0; i < d->nsocks; i++)
		if (!d->socks[i]->writing)
			sock_send(d->socks[i]);
}

/* Queue a datagram to ds's BMC for the end of the turn. */
static void
sock_queue(struct drv_sess *ds, const uint8_t *p, size_t len)
{
	struct drv_sock *so = ds->sock;
	struct drv_out *o;

	if (so->nout == so->outcap && so->head > 0) {
		memmove(so->out, so->out + so->head,
		    (so->nout - so->head) * sizeof(*o));
		so->nout -= so->head;
		so->head = 0;
	}
	if (so->nout == so->outcap) {
		size_t cap = so->outcap ? so->outcap * 2 : 16;

		if ((o = realloc(so->out, cap * sizeof(*o))) == NULL) {
			/* a lost packet: the retransmit timer covers it */
			sess_debug(ds, "cannot queue a datagram: out of memory");
			return;
		}
		so->out = o;
		so->outcap = cap;
	}
	if (len > sizeof(o->pkt))
		len = sizeof(o->pkt);
	o = &so->out[so->nout++];
	memcpy(&o->addr, &ds->addr, ds->addrlen);
	o->addrlen = ds->addrlen;
	o->len = len;
	memcpy(o->pkt, p, len);
	loop_defer(ds->drv->loop, &ds->drv->sender);
	/*
	 * A full sendmmsg's worth leaves now, not at the end of the turn: a
	 * turn that starts or answers every BMC would otherwise queue all
	 * their datagrams (40 sockets x 256 x 656 bytes at 10,000 in flight,
	 * kept for the run).
	 */
	if (!so->writing && so->nout - so->head >= DRV_SEND_BATCH)
		sock_send(so);
}

/*
 * An ICMP error names a session's BMC.  As with a connected socket's
 * ECONNREFUSED before: port unreachable on a resend of the first request
 * means nobody is there.
 */
static void
sess_unreachable(struct drv_sess *ds, int err)
{
	if (err != ECONNREFUSED || ds->s.state != IPMI_SS_AUTH_CAPS ||
	    ds->s.attempts < 1)
		return;
	ds->t->fail = DRV_FAIL_UNREACHABLE;
	ds->t->err = IPMI_E_TIMEOUT;
	snprintf(ds->t->errmsg, sizeof(ds->t->errmsg),
	    "connection refused: nothing listening on port %u", ds->t->port);
	ipmi_session_close(&ds->s, loop_now(ds->drv->loop));
	finish(ds);
}

/* Read the socket's error queue: the ICMP errors, each to its session. */
static void
sock_errors(struct drv_sock *so)
{
	int i;

	for (i = 0; i < DRV_RECV_BATCH * DRV_RECV_ROUNDS; i++) {
		struct sockaddr_storage dst;
		struct sock_extended_err ee;
		struct cmsghdr *c;
		struct msghdr m;
		struct iovec iov;
		uint8_t buf[64];
		union {
			struct cmsghdr	h;
			char		b[512];
		} cb;
		struct drv_sess *ds;
		int found = 0;

		memset(&m, 0, sizeof(m));
		memset(&dst, 0, sizeof(dst));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		m.msg_name = &dst;	/* the offending datagram's destination */
		m.msg_namelen = sizeof(dst);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		if (recvmsg(so->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) == -1)
			return;
		for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
			if ((c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_RECVERR) ||
			    (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_RECVERR)) {
				memcpy(&ee, CMSG_DATA(c), sizeof(ee));
				found = 1;
			}
		if (!found || (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee.ee_origin != SO_EE_ORIGIN_ICMP6))
			continue;
		if ((ds = ht_find(so->drv, so, &dst)) != NULL)
			sess_unreachable(ds, (int)ee.ee_errno);
	}
}

/* A datagram from `from`: to the session talking to it on this socket. */
static void
sock_deliver(struct drv_sock *so, const struct sockaddr_storage *from,
    const uint8_t *pkt, size_t n)
{
	struct drv_sess *ds;
	int ev;

	/* a finished session's late answer, or a stranger's */
	if ((ds = ht_find(so->drv, so, from)) == NULL)
		return;
	ev = ipmi_session_input(&ds->s, pkt, n, loop_now(so->drv->loop));
	if (ev < 0) {
		ds->t->dropped++;
		if (ds->drv->cfg->debug != NULL) {
			char line[96];

			snprintf(line, sizeof(line), "dropped packet: %s",
			    ipmi_strerror(ev));
			sess_debug(ds, line);
		}
		return;
	}
	sess_event(ds, ev);
}

/*
 * The socket is readable (or has an error queued, or is writable again):
 * drain it, DRV_RECV_BATCH datagrams a call, each looked up afresh so a
 * session freed by an earlier one is never touched.
 */
static void
on_read(struct loop *l, int fd, unsigned events, void *arg)
{
	struct drv_sock *so = arg;
	struct drv_rx *rx = so->drv->rx;
	int i, n, round, got = 0, errs = 0;

	(void)l;
	if (events & LOOP_WRITE)
		sock_send(so);
	if (!(events & LOOP_READ))
		return;
	for (round = 0; round < DRV_RECV_ROUNDS; round++) {
		for (i = 0; i < DRV_RECV_BATCH; i++) {
			memset(&rx->msg[i], 0, sizeof(rx->msg[i]));
			rx->iov[i].iov_base = rx->pkt[i];
			rx->iov[i].iov_len = sizeof(rx->pkt[i]);
			rx->msg[i].msg_hdr.msg_name = &rx->from[i];
			rx->msg[i].msg_hdr.msg_namelen = sizeof(rx->from[i]);
			rx->msg[i].msg_hdr.msg_iov = &rx->iov[i];
			rx->msg[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, rx->msg, DRV_RECV_BATCH, 0, NULL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* an ICMP error pending on the socket: the error
			 * queue holds whose */
			if (errno != EINTR)
				errs = 1;
			continue;
		}
		got += n;
		for (i = 0; i < n; i++)
			sock_deliver(so, &rx->from[i], rx->pkt[i],
			    rx->msg[i].msg_len);
		if (n < DRV_RECV_BATCH)
			break;
	}
	/*
	 * Woken with nothing to read: EPOLLERR, the error queue is not empty
	 * (its sk_err may have gone to a send).  Read only then: a syscall
	 * per wakeup otherwise, and an error left queued wakes us forever.
	 */
	if (errs || got == 0)
		sock_errors(so);
}

/* A socket for ds, shared with others but none to the same BMC port. */
static int
sess_connect(struct drv_sess *ds)
{
	struct driver *d = ds->drv;
	struct drv_sock *so = NULL;
	size_t i;

	for (i = 0; i < d->nsocks; i++) {
		so = d->socks[i];
		if (so->family == ds->addr.ss_family &&
		    so->nsess < DRV_SOCK_SESS && ht_find(d, so, &ds->addr) == NULL)
			break;
		so = NULL;
	}
	if (so == NULL && (so = sock_open(d, ds->addr.ss_family)) == NULL) {
		ds->t->fail = DRV_FAIL_SOCKET;
		snprintf(ds->t->errmsg, sizeof(ds->t->errmsg), "socket: %s",
		    strerror(errno));
		return -1;
	}
	ds->sock = so;
	if (ht_add(d, ds) == -1) {
		ds->sock = NULL;
		ds->t->fail = DRV_FAIL_SOCKET;
		snprintf(ds->t->errmsg, sizeof(ds->t->errmsg), "out of memory");
		return -1;
	}
	so->nsess++;
	return 0;
}

/* The session leaves its socket; what it queued is still sent. */
static void
sess_unsocket(struct drv_sess *ds)
{
	if (ds->sock == NULL)
		return;
	ht_del(ds->drv, ds);
	ds->sock->nsess--;
	ds->sock = NULL;
}

/*
 * The driver is done: what is queued (Close Session above all: a leaked
 * session holds a BMC slot) is sent once more, then the sockets closed.
 */
static void
sockets_release(struct driver *d)
{
	size_t i;

	loop_defer_cancel(d->loop, &d->sender);
	for (i = 0; i < d->nsocks; i++) {
		struct drv_sock *so = d->socks[i];

		sock_send(so);
		loop_del_fd(d->loop, so->fd);
		close(so->fd);
		free(so->out);
		free(so);
	}
	free(d->socks);
	d->socks = NULL;
	d->nsocks = 0;
	free(d->ht);
	d->ht = NULL;
	d->htcap = d->htn = 0;
	free(d->rx);
	d->rx = NULL;
}

static void
finish(struct drv_sess *ds)
{
	struct driver *d = ds->drv;
	struct drv_target *t = ds->t;

	t->end_ms = loop_now(d->loop);
	t->info = ds->s.info;
	if (t->fail != DRV_OK)
		d->failed++;
	loop_timer_cancel(d->loop, &ds->timer);
	loop_timer_cancel(d->loop, &ds->gap);
	loop_timer_cancel(d->loop, &ds->budget);
	if (d->res != NULL)
		resolver_cancel(d->res, &ds->rw);
	sess_unsocket(ds);
	if (ds->prev != NULL)
		ds->prev->next = ds->next;
	else
		d->live = ds->next;
	if (ds->next != NULL)
		ds->next->prev = ds->prev;
	ipmi_session_release(&ds->s);
	t->sess = NULL;
	free(ds);
	d->inflight--;
	if (d->cfg->done != NULL)
		d->cfg->done(d->cfg->arg, t);
	start_next(d);
}

static enum drv_fail
classify(int err)
{
	switch (err) {
	case IPMI_E_TIMEOUT:
		return DRV_FAIL_TIMEOUT;
	case IPMI_E_PASSWORD:
	case IPMI_E_USER:
	case IPMI_E_PRIVILEGE:
	case IPMI_E_BMC_KEY:
		return DRV_FAIL_AUTH;
	case IPMI_E_INSECURE:
		return DRV_FAIL_INSECURE;
	case IPMI_E_UNSUPPORTED:
		return DRV_FAIL_UNSUPPORTED;
	default:
		return DRV_FAIL_SESSION;
	}
}

static void flush(struct drv_sess *);

static void
session_failed(struct drv_sess *ds)
{
	struct drv_target *t = ds->t;
	char msg[160];

	flush(ds);	/* a last word to the BMC, e.g. RAKP 3 with an error */
	if (t->fail == DRV_OK) {
		t->err = ipmi_session_error(&ds->s);
		/* a command that timed out is the command's failure */
		if (ds->s.err_state == IPMI_SS_ACTIVE) {
			t->fail = DRV_FAIL_COMMAND;
			snprintf(t->errmsg, sizeof(t->errmsg),
			    "%s (command 0x%02x/0x%02x)", ipmi_strerror(t->err),
			    ds->s.out_netfn, ds->s.out_cmd);
			/* answers came but the window threw them away: say
			 * so, a timeout alone points at the network (the
			 * workaround is v1.5's: RMCP+ keeps its window) */
			if (t->err == IPMI_E_TIMEOUT && ds->s.seq_drops > 0 &&
			    ds->s.cfg.iface == IPMI_IFACE_LAN) {
				size_t n = strlen(t->errmsg);

				snprintf(t->errmsg + n, sizeof(t->errmsg) - n,
				    "; %u answers dropped as replays (sequence "
				    "reset? workaround ignore-seq-reset)",
				    ds->s.seq_drops);
			}
			if (t->err == IPMI_E_TIMEOUT && ds->s.noauth_drops > 0) {
				size_t n = strlen(t->errmsg);

				snprintf(t->errmsg + n, sizeof(t->errmsg) - n,
				    "; %u answers without an auth code dropped "
				    "(per-message authentication off; "
				    "--insecure takes them)",
				    ds->s.noauth_drops);
			}
		} else {
			t->fail = classify(t->err);
			snprintf(t->errmsg, sizeof(t->errmsg), "%s",
			    ipmi_session_strerror(&ds->s, msg, sizeof(msg)));
		}
	}
	finish(ds);
}

static void
flush(struct drv_sess *ds)
{
	const uint8_t *p;
	size_t len;
	uint64_t dl;

	/* sent at the end of the loop turn, with the other sessions' */
	while ((p = ipmi_session_tx(&ds->s, &len)) != NULL)
		if (ds->sock != NULL)
			sock_queue(ds, p, len);
	dl = ipmi_session_deadline(&ds->s);
	if (dl == 0)
		loop_timer_cancel(ds->drv->loop, &ds->timer);
	else
		loop_timer_set(ds->drv->loop, &ds->timer, dl);
}

/* Ask the step function what to do next.  Returns 0 if ds was freed. */
static int
next_request(struct drv_sess *ds, const struct ipmi_response *rsp)
{
	struct driver *d = ds->drv;
	struct drv_request req;
	enum drv_step st;
	uint64_t now = loop_now(d->loop);
	int rc;

	memset(&req, 0, sizeof(req));
	if (rsp != NULL && d->cfg->max_requests > 0 &&
	    ds->t->requests >= d->cfg->max_requests) {
		/* a BMC that answers 1-byte chunks, or an endless chain,
		 * would otherwise hold its slot for ~10^6 legal requests */
		ds->t->fail = DRV_FAIL_DEADLINE;
		ds->t->err = IPMI_E_TIMEOUT;
		snprintf(ds->t->errmsg, sizeof(ds->t->errmsg),
		    "%u requests answered, the most a host may take",
		    ds->t->requests);
		st = DRV_STEP_FAIL;
	} else
		st = d->cfg->step(d->cfg->arg, ds->t, rsp, &req);
	if (st == DRV_STEP_WAIT)
		return 1;
	if (st == DRV_STEP_SEND && d->cfg->min_gap_ms > 0 &&
	    now < ds->last_sent + d->cfg->min_gap_ms) {
		/* too soon for this BMC: send when the gap has passed */
		ds->pending = req;
		ds->resumed = DRV_STEP_SEND;
		ds->has_pending = 1;
		loop_timer_set(d->loop, &ds->gap, ds->last_sent +
		    d->cfg->min_gap_ms);
		return 1;
	}
	if (st == DRV_STEP_SEND) {
		if ((rc = ipmi_session_request(&ds->s, req.netfn, req.cmd,
		    req.data, req.len, now)) == 0) {
			ds->last_sent = now;
			return 1;
		}
		driver_fail(ds->t, rc, "cannot send request: %s",
		    ipmi_strerror(rc));
	} else if (st == DRV_STEP_FAIL && ds->t->fail == DRV_OK)
		driver_fail(ds->t, IPMI_E_CC, "command failed");
	ipmi_session_close(&ds->s, now);
	if (ipmi_session_state(&ds->s) == IPMI_SS_CLOSED) {
		finish(ds);
		return 0;
	}
	return 1;
}

/*
 * React to a session event: send what the session wants sent, re-arm the
 * timer, move the host along.  ds may be freed on return.
 */
static void
sess_event(struct drv_sess *ds, int ev)
{
	switch (ev) {
	case IPMI_EV_CLOSED:
		finish(ds);
		return;
	case IPMI_EV_FAILED:
		session_failed(ds);
		return;
	case IPMI_EV_ACTIVE:
		if (!next_request(ds, NULL))
			return;
		break;
	case IPMI_EV_RESPONSE:
		ds->t->requests++;
		if (!next_request(ds, ipmi_session_response(&ds->s)))
			return;
		break;
	default:
		break;
	}
	flush(ds);
}

static void
on_gap(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct drv_sess *ds = arg;
	uint64_t now = loop_now(l);
	int rc;

	(void)tm;
	if (!ds->has_pending)
		return;
	ds->has_pending = 0;
	if (ds->resumed != DRV_STEP_SEND) {
		/* driver_resume's end of a wait */
		if (ds->resumed == DRV_STEP_FAIL && ds->t->fail == DRV_OK)
			driver_fail(ds->t, IPMI_E_CC, "command failed");
		ipmi_session_close(&ds->s, now);
		if (ipmi_session_state(&ds->s) == IPMI_SS_CLOSED) {
			finish(ds);
			return;
		}
		flush(ds);
		return;
	}
	rc = ipmi_session_request(&ds->s, ds->pending.netfn, ds->pending.cmd,
	    ds->pending.data, ds->pending.len, now);
	if (rc != 0) {
		driver_fail(ds->t, rc, "cannot send request: %s",
		    ipmi_strerror(rc));
		ipmi_session_close(&ds->s, now);
		if (ipmi_session_state(&ds->s) == IPMI_SS_CLOSED) {
			finish(ds);
			return;
		}
	} else {
		ds->last_sent = now;
	}
	flush(ds);
}

/*
 * The host's time is up: whatever it is doing, it is failed by reason
 * "deadline", told Close Session once (not waited for: a slow BMC must not
 * hold the sweep any longer) and let go.  With a request still out too:
 * the answer to it is not wanted any more, and a session left open holds
 * one of the BMC's few slots until its idle timeout (60 s and more), so
 * that a host failed this way a few times in a row is refused sessions.
 */
static void
on_budget(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct drv_sess *ds = arg;
	struct drv_target *t = ds->t;

	(void)tm;
	if (t->fail == DRV_OK) {
		t->fail = DRV_FAIL_DEADLINE;
		t->err = IPMI_E_TIMEOUT;
		snprintf(t->errmsg, sizeof(t->errmsg), "not done after "
		    "%u.%03u s (%u requests answered)",
		    ds->drv->cfg->host_deadline_ms / 1000,
		    ds->drv->cfg->host_deadline_ms % 1000, t->requests);
	}
	/* mid-handshake too: from Set Session Privilege on, the BMC holds
	 * the session (ipmi_session_close sends only when it does) */
	if (ds->sock != NULL && ipmi_session_close(&ds->s, loop_now(l)) == 0 &&
	    ipmi_session_state(&ds->s) == IPMI_SS_CLOSING)
		flush(ds);
	finish(ds);
}

static void
on_timer(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct drv_sess *ds = arg;

	(void)tm;
	sess_event(ds, ipmi_session_timer(&ds->s, loop_now(l)));
}

static void sess_addressed(struct drv_sess *);

static void
sess_resolved(struct drv_sess *ds, const struct resolve_result *res)
{
	struct drv_target *t = ds->t;
	char line[sizeof(t->errmsg) + 64];

	if (!res->ok) {
		t->fail = DRV_FAIL_RESOLVE;
		snprintf(t->errmsg, sizeof(t->errmsg), "cannot resolve '%s': %s",
		    t->host, res->why);
		return;
	}
	ds->addr = res->addr;
	ds->addrlen = res->addrlen;
	if (res->took_us == 0 && !res->cached)
		return;		/* a literal: nothing to say */
	if (res->cached)
		snprintf(line, sizeof(line), "resolved %s (asked earlier in "
		    "%llu ms): %s", t->host,
		    (unsigned long long)(res->took_us + 500) / 1000,
		    res->addrstr);
	else
		snprintf(line, sizeof(line), "resolved %s in %llu ms: %s",
		    t->host, (unsigned long long)(res->took_us + 500) / 1000,
		    res->addrstr);
	sess_debug(ds, line);
}

/* the answer to a name asked by sess_resolve */
static void
on_resolved(struct resolve_wait *w, const struct resolve_result *res)
{
	struct drv_sess *ds = w->arg;

	sess_resolved(ds, res);
	if (ds->t->fail != DRV_OK) {
		finish(ds);
		return;
	}
	sess_addressed(ds);
}

/*
 * Where the BMC is: fills ds->addr.  Seam: name resolution lives here and
 * nowhere else in the driver.  Returns 1 with ds->addr set (a literal, a
 * name answered earlier in the run), 0 when the name is being asked
 * (on_resolved carries on with sess_addressed, or fails the host), or -1
 * with the host failed.  Names never block the loop: a slow DNS server
 * holds only the hosts that wait for it.
 */
static int
sess_resolve(struct drv_sess *ds)
{
	struct driver *d = ds->drv;
	struct resolve_result res;
	int rc;

	if (d->res == NULL && resolve_numeric(ds->t->host, ds->t->port,
	    &ds->addr, &ds->addrlen) == 0)
		return 1;
	if (d->res == NULL && (d->res = resolver_new(d->loop)) == NULL) {
		ds->t->fail = DRV_FAIL_RESOLVE;
		snprintf(ds->t->errmsg, sizeof(ds->t->errmsg),
		    "cannot resolve '%s': %s", ds->t->host, strerror(errno));
		return -1;
	}
	if ((rc = resolver_lookup(d->res, ds->t->host, ds->t->port, &ds->rw,
	    on_resolved, ds, &res)) == 0)
		return 0;
	sess_resolved(ds, &res);
	return ds->t->fail == DRV_OK ? 1 : -1;
}

static void
start_one(struct driver *d, struct drv_target *t)
{
	struct drv_sess *ds;
	struct ipmi_session_cfg cfg = t->session != NULL ? *t->session :
	    d->cfg->session;
	int rc;

	t->fail = DRV_OK;
	t->errmsg[0] = '\0';
	t->start_ms = loop_now(d->loop);
	if ((ds = calloc(1, sizeof(*ds))) == NULL) {
		d->local_err = errno;
		t->fail = DRV_FAIL_SOCKET;
		snprintf(t->errmsg, sizeof(t->errmsg), "out of memory");
		d->failed++;
		return;
	}
	ds->drv = d;
	ds->t = t;
	t->sess = ds;
	ds->next = d->live;
	if (d->live != NULL)
		d->live->prev = ds;
	d->live = ds;
	d->inflight++;
	loop_timer_init(&ds->timer, on_timer, ds);
	loop_timer_init(&ds->gap, on_gap, ds);
	loop_timer_init(&ds->budget, on_budget, ds);
	if (d->cfg->host_deadline_ms > 0)
		loop_timer_set(d->loop, &ds->budget, t->start_ms +
		    d->cfg->host_deadline_ms);
	if (d->cfg->debug != NULL) {
		cfg.debug = sess_debug;
		cfg.debug_arg = ds;
	}
	if ((rc = ipmi_session_init(&ds->s, &cfg)) != 0) {
		driver_fail(t, rc, "bad session settings: %s",
		    ipmi_strerror(rc));
		t->fail = DRV_FAIL_SESSION;
		finish(ds);
		return;
	}
	switch (sess_resolve(ds)) {
	case -1:
		finish(ds);
		return;
	case 0:
		return;		/* on_resolved goes on */
	default:
		sess_addressed(ds);
	}
}

/* Where the BMC is is known: open its session. */
static void
sess_addressed(struct drv_sess *ds)
{
	struct driver *d = ds->drv;

	if (sess_connect(ds) == -1) {
		finish(ds);
		return;
	}
	if (ipmi_session_open(&ds->s, loop_now(d->loop)) != 0) {
		session_failed(ds);
		return;
	}
	flush(ds);
}

static void
start_next(struct driver *d)
{
	unsigned fanout = d->cfg->fanout ? d->cfg->fanout : 256;

	/* finish() calls back here; the outer call's loop carries on */
	if (d->starting || d->stopping)
		return;
	d->starting = 1;
	while (d->inflight < fanout && d->next < d->n)
		start_one(d, d->targets[d->next++]);
	d->starting = 0;
	if (d->inflight == 0 && d->next >= d->n && !d->persistent)
		loop_stop(d->loop);
	/* a driver on the loop for good asks again after a quiet spell,
	 * so that a BMC moved in DNS is found */
	if (d->inflight == 0 && d->next >= d->n && d->persistent &&
	    d->res != NULL)
		resolver_forget(d->res);
}

/*
 * Every session in flight failed "aborted" (unless it failed already),
 * told Close Session once (a request of its still out or not: see
 * on_budget), and freed; hosts never started stay unstarted.
 */
static void
abort_live(struct driver *d)
{
	struct loop *l = d->loop;

	d->stopping = 1;
	while (d->live != NULL) {
		struct drv_sess *ds = d->live;

		if (ds->t->fail == DRV_OK) {
			ds->t->fail = DRV_FAIL_ABORTED;
			ds->t->err = IPMI_E_TIMEOUT;
			snprintf(ds->t->errmsg, sizeof(ds->t->errmsg),
			    "stopped before it finished");
		}
		if (ds->sock != NULL &&
		    ipmi_session_close(&ds->s, loop_now(l)) == 0 &&
		    ipmi_session_state(&ds->s) == IPMI_SS_CLOSING)
			flush(ds);
		finish(ds);
	}
}

struct driver *
driver_open(struct loop *l, const struct driver_cfg *cfg)
{
	struct driver *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->loop = l;
	d->cfg = cfg;
	d->persistent = 1;
	loop_defer_init(&d->sender, on_send, d);
	return d;
}

int
driver_add(struct driver *d, struct drv_target *t)
{
	/* every queued target started: the array starts over */
	if (d->next >= d->n)
		d->next = d->n = 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct drv_target **v;

		if ((v = realloc(d->targets, cap * sizeof(*v))) == NULL)
			return -1;
		d->targets = v;
		d->cap = cap;
	}
	d->targets[d->n++] = t;
	start_next(d);
	return 0;
}

size_t
driver_busy(const struct driver *d)
{
	return d->inflight + (d->n - d->next);
}

void
driver_close(struct driver *d)
{
	if (d == NULL)
		return;
	abort_live(d);
	resolver_free(d->res);
	sockets_release(d);
	free(d->targets);
	free(d);
}

int
driver_run(struct loop *l, const struct driver_cfg *cfg,
    struct drv_target **targets, size_t n)
{
	struct driver d;

	memset(&d, 0, sizeof(d));
	d.loop = l;
	d.cfg = cfg;
	d.targets = targets;
	d.n = n;
	loop_defer_init(&d.sender, on_send, &d);
	if (n == 0)
		return 0;
	start_next(&d);
	if (d.inflight > 0 && loop_run(l) == -1)
		d.local_err = errno;
	/*
	 * Someone stopped the loop under us (the writer's spool refusing
	 * rows, a signal): d lives on this stack, so no session may outlive
	 * the call with its fd, timers and callbacks still in the loop.
	 * Each is failed "aborted", told Close Session once (a request of
	 * its still out or not: see on_budget), and freed; the hosts never
	 * started stay unstarted.
	 */
	abort_live(&d);
	resolver_free(d.res);
	sockets_release(&d);
	if (d.local_err != 0) {
		errno = d.local_err;
		return -1;
	}
	return d.failed > 0 ? 1 : 0;
}

void
driver_resume(struct drv_target *t, enum drv_step st,
    const struct drv_request *req)
{
	struct drv_sess *ds = t->sess;
	uint64_t when;

	if (ds == NULL || st == DRV_STEP_WAIT)
		return;
	ds->resumed = st;
	if (st == DRV_STEP_SEND)
		ds->pending = *req;
	ds->has_pending = 1;
	/* from the loop: the caller may be another host's step function */
	when = loop_now(ds->drv->loop);
	if (st == DRV_STEP_SEND && ds->drv->cfg->min_gap_ms > 0 &&
	    when < ds->last_sent + ds->drv->cfg->min_gap_ms)
		when = ds->last_sent + ds->drv->cfg->min_gap_ms;
	loop_timer_set(ds->drv->loop, &ds->gap, when);
}

enum drv_step
driver_fail_cmd(struct drv_target *t, int err, const char *what, uint8_t cc)
{
	if (err == IPMI_E_CC)
		driver_fail(t, err, "%s: %s (0x%02x)", what, ipmi_ccstr(cc), cc);
	else
		driver_fail(t, err, "%s: %s", what, ipmi_strerror(err));
	return DRV_STEP_FAIL;
}
