#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "collector/driver.h"
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

struct drv_sess {
	struct driver		*drv;
	struct drv_target	*t;
	struct drv_sess		*prev, *next;	/* driver.live */
	struct ipmi_session	 s;
	struct loop_timer	 timer;
	struct loop_timer	 budget;	/* host_deadline_ms */
	int			 fd;
	/* the BMC's address, filled by sess_resolve for sess_connect */
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
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
	/* driver_open's: targets come and go, the loop is never stopped */
	int			 persistent;
	size_t			 cap;		/* of targets (persistent) */
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
	if (ds->fd != -1) {
		loop_del_fd(d->loop, ds->fd);
		close(ds->fd);
	}
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

	while ((p = ipmi_session_tx(&ds->s, &len)) != NULL) {
		if (send(ds->fd, p, len, 0) == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != ECONNREFUSED &&
		    errno != EHOSTUNREACH && errno != ENETUNREACH)
			sess_debug(ds, strerror(errno));
		/* a lost send is a lost packet: the retransmit timer covers it */
	}
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
	if (ds->fd != -1 && ipmi_session_close(&ds->s, loop_now(l)) == 0 &&
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

static void
on_read(struct loop *l, int fd, unsigned events, void *arg)
{
	struct drv_sess *ds = arg;
	uint8_t pkt[IPMI_MAX_PACKET + 64];
	ssize_t n;
	int ev;

	(void)events;
	/* one datagram per wakeup keeps ds valid across sess_event() */
	n = recv(fd, pkt, sizeof(pkt), 0);
	if (n == -1) {
		if (errno == ECONNREFUSED && ds->s.state == IPMI_SS_AUTH_CAPS &&
		    ds->s.attempts >= 1) {
			/* ICMP port unreachable on a resend: nobody there */
			ds->t->fail = DRV_FAIL_UNREACHABLE;
			ds->t->err = IPMI_E_TIMEOUT;
			snprintf(ds->t->errmsg, sizeof(ds->t->errmsg),
			    "connection refused: nothing listening on port %u",
			    ds->t->port);
			ipmi_session_close(&ds->s, loop_now(l));
			finish(ds);
		}
		return;
	}
	ev = ipmi_session_input(&ds->s, pkt, (size_t)n, loop_now(l));
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
 * Where the BMC is: fills ds->addr.  Seam: name resolution lives here and
 * nowhere else in the driver.
 */
static int
sess_resolve(struct drv_sess *ds)
{
	struct addrinfo hints, *res = NULL;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = AF_UNSPEC;
	snprintf(port, sizeof(port), "%u", ds->t->port);
	if ((rc = getaddrinfo(ds->t->host, port, &hints, &res)) != 0) {
		ds->t->fail = DRV_FAIL_RESOLVE;
		snprintf(ds->t->errmsg, sizeof(ds->t->errmsg),
		    "cannot resolve: %s", gai_strerror(rc));
		return -1;
	}
	memcpy(&ds->addr, res->ai_addr, res->ai_addrlen);
	ds->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/*
 * A socket to ds->addr in ds->fd.  Seam: the socket's life lives here and
 * in finish().
 */
static int
sess_connect(struct drv_sess *ds)
{
	int fd;

	fd = socket(ds->addr.ss_family,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&ds->addr,
	    ds->addrlen) == -1) {
		ds->t->fail = fd == -1 ? DRV_FAIL_SOCKET : DRV_FAIL_UNREACHABLE;
		snprintf(ds->t->errmsg, sizeof(ds->t->errmsg), "%s: %s",
		    fd == -1 ? "socket" : "connect", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	ds->fd = fd;
	return 0;
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
	ds->fd = -1;
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
	if (sess_resolve(ds) == -1 || sess_connect(ds) == -1) {
		finish(ds);
		return;
	}
	if (loop_add_fd(d->loop, ds->fd, LOOP_READ, on_read, ds) == -1) {
		t->fail = DRV_FAIL_SOCKET;
		snprintf(t->errmsg, sizeof(t->errmsg), "loop: %s",
		    strerror(errno));
		close(ds->fd);
		ds->fd = -1;
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
		if (ds->fd != -1 &&
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
