#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bmc.h"
#include "ctl.h"
#include "quirk.h"
#include "lib/loop.h"
#include "fleet.h"
#include "hostile.h"
#include "sensors.h"
#include "ipmi/ipmi.h"
#include "ipmi/sel.h"
#include "lib/errf.h"
#include "lib/gbuf.h"
#include "lib/json.h"
#include "model.h"
#include "pefsim.h"
#include "quirk.h"
#include "sess.h"
#include "simconf.h"
#include "store.h"

#define RX_BATCH	32	/* datagrams per wakeup, for fairness */

struct sim_node {
	struct sim_fleet	*fleet;
	struct sim_bmc		 bmc;
	struct sim_sess		 sess;
	uint32_t		 addr;		/* host byte order */
	int			 fd;
	uint32_t		 latency_ms;
	uint32_t		 jitter_ms;
	uint32_t		 loss_ppm;
	uint32_t		 slow_ms;	/* quirk slow's delay */
	int			 dead;
	struct sim_echo		*echo;		/* quirks duplicate, reorder */
};

/* An answer waiting out its latency. */
struct delayed {
	struct loop_timer	 t;
	struct delayed		*prev, *next;
	struct sim_node		*node;
	struct sockaddr_in	 to;
	size_t			 len;
	uint8_t			 data[];
};

struct sim_fleet {
	struct loop		*loop;
	const struct sim_conf	*conf;
	struct sim_node		*nodes;
	struct sim_slot		*slots;
	uint32_t		 count;
	uint32_t		 ndead;
	uint64_t		 rng[4];
	uint64_t		 mono0;		/* loop_now at the start... */
	uint64_t		 wall0;		/* ...and the wall clock, ms */
	struct delayed		*queue;		/* answers in flight */
	int			 ctl_fd;	/* --control; -1 none */
	struct loop_timer	 pef_tick;	/* traps: new SEL entries, resends */
};

/* How often the PEF looks for SEL entries that came with time, and for
 * traps due for a resend: a trap leaves at most this long after its
 * entry (the control channel's sel-add alerts at once). */
#define PEF_TICK_MS	100
#define ALERTS_MAX	8

static uint64_t
rotl(uint64_t x, int k)
{
	return x << k | x >> (64 - k);
}

uint64_t
sim_fleet_random64(struct sim_fleet *f)
{
	uint64_t *s = f->rng, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static void
fleet_random(void *arg, void *p, size_t n)
{
	struct sim_fleet *f = arg;
	uint8_t *d = p;

	while (n > 0) {
		uint64_t r = sim_fleet_random64(f);
		size_t k = n < 8 ? n : 8;

		memcpy(d, &r, k);
		d += k;
		n -= k;
	}
}

static void
seed_rng(struct sim_fleet *f, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		f->rng[i] = z ^ (z >> 31);
	}
}

/* A simulator time (loop_now) as Unix time in ms; 0 stays 0 (never). */
static unsigned long long
unix_ms(const struct sim_fleet *f, uint64_t t)
{
	if (t == 0)
		return 0;
	return (unsigned long long)(f->wall0 + t - f->mono0);
}

static void
send_now(struct sim_node *n, const struct sockaddr_in *to, const uint8_t *p,
    size_t len)
{
	/* UDP: a full socket buffer loses the answer, as a network would */
	(void)sendto(n->fd, p, len, MSG_DONTWAIT, (const struct sockaddr *)to,
	    sizeof(*to));
}

static void
delayed_fire(struct loop *l, struct loop_timer *t, void *arg)
{
	struct delayed *d = arg;
	struct sim_fleet *f = d->node->fleet;

	(void)l;
	(void)t;
	send_now(d->node, &d->to, d->data, d->len);
	if (d->prev)
		d->prev->next = d->next;
	else
		f->queue = d->next;
	if (d->next)
		d->next->prev = d->prev;
	free(d);
}

static void
answer(struct sim_node *n, const struct sockaddr_in *to, const uint8_t *p,
    size_t len)
{
	struct sim_fleet *f = n->fleet;
	struct delayed *d;
	uint64_t delay = n->latency_ms;

	if (n->jitter_ms)
		delay += sim_fleet_random64(f) % ((uint64_t)n->jitter_ms + 1);
	/* quirk slow: the answer comes, but just inside the client's wait */
	if ((n->bmc.quirks & SIM_Q_SLOW) && delay < n->slow_ms)
		delay = n->slow_ms;
	if (delay == 0) {
		send_now(n, to, p, len);
		return;
	}
	if ((d = malloc(sizeof(*d) + len)) == NULL) {
		send_now(n, to, p, len);
		return;
	}
	loop_timer_init(&d->t, delayed_fire, d);
	d->node = n;
	d->to = *to;
	d->len = len;
	memcpy(d->data, p, len);
	d->prev = NULL;
	if ((d->next = f->queue) != NULL)
		d->next->prev = d;
	f->queue = d;
	if (loop_timer_set(f->loop, &d->t, loop_now(f->loop) + delay) != 0) {
		loop_timer_cancel(f->loop, &d->t);
		delayed_fire(f->loop, &d->t, d);
	}
}

/* The answer, and what the hostile quirks send besides (hostile.h). */
static void
answer_hostile(struct sim_node *n, const struct sockaddr_in *from,
    uint8_t *p, size_t len)
{
	struct sim_send out[SIM_SENDS_MAX];
	struct sockaddr_in to;
	uint64_t peer = (uint64_t)ntohl(from->sin_addr.s_addr) << 16 |
	    ntohs(from->sin_port);
	int i, k;

	if (!(n->bmc.quirks & SIM_Q_HOSTILE)) {
		answer(n, from, p, len);
		return;
	}
	sim_hostile_datagram(n->bmc.quirks, p, len);
	k = sim_hostile_sends(n->bmc.quirks, n->echo, peer, p, len, out);
	for (i = 0; i < k; i++) {
		to = *from;
		to.sin_addr.s_addr = htonl((uint32_t)(out[i].peer >> 16));
		to.sin_port = htons((uint16_t)out[i].peer);
		answer(n, &to, out[i].p, out[i].len);
	}
}

static void
on_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct sim_node *n = arg;
	struct sim_fleet *f = n->fleet;
	uint8_t in[IPMI_MAX_PACKET + 64], out[IPMI_MAX_PACKET];
	struct sockaddr_in from;
	socklen_t flen;
	ssize_t got;
	size_t len;
	int i;

	(void)events;
	for (i = 0; i < RX_BATCH; i++) {
		flen = sizeof(from);
		got = recvfrom(fd, in, sizeof(in), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &flen);
		if (got < 0)
			return;	/* EAGAIN, or an ICMP error from a peer */
		n->bmc.cnt.rx++;
		if (n->dead || flen != sizeof(from) ||
		    from.sin_family != AF_INET) {
			n->bmc.cnt.dropped++;
			continue;
		}
		if (n->loss_ppm != 0 &&
		    sim_fleet_random64(f) % 1000000 < n->loss_ppm) {
			n->bmc.cnt.dropped++;
			continue;
		}
		len = sim_sess_input(&n->sess,
		    (uint64_t)ntohl(from.sin_addr.s_addr) << 16 |
		    ntohs(from.sin_port), in, (size_t)got, loop_now(l), out,
		    sizeof(out), NULL);
		if (len > 0)
			answer_hostile(n, &from, out, len);
	}
}

/* --- traps (pefsim.h) ------------------------------------------------------ */

static void
send_trap(struct sim_fleet *f, struct sim_node *n, const struct sim_alert *a)
{
	uint8_t pkt[1024], agent[4];
	struct sockaddr_in to;
	uint32_t addr = htonl(n->addr);
	struct buf w;

	memcpy(agent, &addr, 4);
	buf_init_write(&w, pkt, sizeof(pkt));
	if (sim_pef_trap_encode(&n->bmc, a, agent,
	    (uint32_t)((loop_now(f->loop) - f->mono0) / 10), &w) != 0)
		return;
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	memcpy(&to.sin_addr.s_addr, a->ip, 4);
	to.sin_port = htons(a->port);
	/* from the BMC's own socket: the source address is the BMC's */
	send_now(n, &to, pkt, w.len);
}

static void
node_alerts(struct sim_fleet *f, struct sim_node *n)
{
	struct sim_alert a[ALERTS_MAX];
	uint64_t now = loop_now(f->loop);
	unsigned k, i;

	if (n->bmc.pef == NULL || n->dead)
		return;
	k = sim_pef_take(&n->bmc, now, a, ALERTS_MAX);
	for (i = 0; i < k; i++) {
		send_trap(f, n, &a[i]);
		n->bmc.cnt.pet_sent++;
	}
	while (sim_pef_resend(&n->bmc, now, &a[0]))
		send_trap(f, n, &a[0]);
}

static void
on_pef_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct sim_fleet *f = arg;
	uint32_t i;

	for (i = 0; i < f->count; i++)
		node_alerts(f, &f->nodes[i]);
	(void)loop_timer_set(l, t, loop_now(l) + PEF_TICK_MS);
}

/* --- the control channel (ctl.h) ----------------------------------------- */

static struct sim_node *
node_by_addr(struct sim_fleet *f, uint32_t addr)
{
	if (addr < f->conf->base || addr - f->conf->base >= f->count)
		return NULL;
	return &f->nodes[addr - f->conf->base];
}

/* One entry now on n's SEL, printed; 1 if added, 0 if not (log full). */
static int
ctl_sel_add(struct sim_fleet *f, struct sim_node *n, const struct sim_ctl_cmd *c)
{
	uint64_t now = loop_now(f->loop);
	struct in_addr ia;
	char a[INET_ADDRSTRLEN];
	int id;

	id = sim_store_sel_add_now(&n->bmc, now, c->severity, c->deassert,
	    NULL);
	ia.s_addr = htonl(n->addr);
	inet_ntop(AF_INET, &ia, a, sizeof(a));
	if (id < 0) {
		printf("bmcsim: sel-add %s full\n", a);
		return 0;
	}
	printf("bmcsim: sel-add %s record=%d at=%llu\n", a, id,
	    (unsigned long long)loop_wall_ms());
	node_alerts(f, n);	/* the trap leaves now, not at the next tick */
	return 1;
}

static void
ctl_run(struct sim_fleet *f, const char *line, char *ans, size_t anslen)
{
	struct sim_ctl_cmd c;
	char err[256];
	uint64_t now = loop_now(f->loop);
	unsigned added = 0, i;

	if (sim_ctl_parse(line, &c, err, sizeof(err)) != 0) {
		snprintf(ans, anslen, "error: %s", err);
		return;
	}
	if (c.verb == SIM_CTL_SEL_RATE) {
		sim_store_sel_rate(c.rate);
		for (i = 0; i < f->count; i++)
			sim_store_rate_changed(&f->nodes[i].bmc, now);
		snprintf(ans, anslen, "ok");
		return;
	}
	for (i = 0; i < c.naddrs; i++) {
		struct in_addr ia;
		char a[INET_ADDRSTRLEN];

		if (node_by_addr(f, c.addrs[i]) != NULL)
			continue;
		ia.s_addr = htonl(c.addrs[i]);
		inet_ntop(AF_INET, &ia, a, sizeof(a));
		snprintf(ans, anslen, "error: sel-add: no BMC at %s", a);
		return;
	}
	if (c.all)
		for (i = 0; i < f->count; i++)
			added += ctl_sel_add(f, &f->nodes[i], &c);
	else
		for (i = 0; i < c.naddrs; i++)
			added += ctl_sel_add(f, node_by_addr(f, c.addrs[i]),
			    &c);
	fflush(stdout);
	snprintf(ans, anslen, "ok %u", added);
}

static void
on_control(struct loop *l, int fd, unsigned events, void *arg)
{
	struct sim_fleet *f = arg;
	char line[SIM_CTL_LINE_MAX], ans[512];
	struct sockaddr_un from;
	socklen_t flen;
	ssize_t got;

	(void)l;
	(void)events;
	for (;;) {
		flen = sizeof(from);
		got = recvfrom(fd, line, sizeof(line) - 1, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &flen);
		if (got < 0)
			return;
		line[got] = '\0';
		ctl_run(f, line, ans, sizeof(ans));
		/* a sender that did not bind gets no answer */
		if (flen > sizeof(sa_family_t))
			(void)sendto(fd, ans, strlen(ans), MSG_DONTWAIT,
			    (struct sockaddr *)&from, flen);
	}
}

static int
ctl_open(struct sim_fleet *f, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat sb;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return errf(err, errlen, "--control: path too long: %s", path);
	strcpy(sun.sun_path, path);
	/* a socket left by a simulator that was killed */
	if (lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
		(void)unlink(path);
	f->ctl_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (f->ctl_fd == -1 || bind(f->ctl_fd, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1)
		return errf(err, errlen, "--control %s: %s", path,
		    strerror(errno));
	if (loop_add_fd(f->loop, f->ctl_fd, LOOP_READ, on_control, f) == -1)
		return errf(err, errlen, "event loop: %s", strerror(errno));
	return 0;
}

int
sim_fleet_ctl_client(const char *path, const char *line, FILE *out)
{
	struct sockaddr_un sun, me;
	struct timeval tv = { 5, 0 };
	char ans[512];
	ssize_t got;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "bmcsim: --ctl: path too long: %s\n", path);
		return 2;
	}
	strcpy(sun.sun_path, path);
	memset(&me, 0, sizeof(me));
	me.sun_family = AF_UNIX;	/* autobind: an abstract name */
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(sa_family_t)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1) {
		fprintf(stderr, "bmcsim: --ctl: socket: %s\n", strerror(errno));
		return 1;
	}
	if (sendto(fd, line, strlen(line), 0, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1) {
		fprintf(stderr, "bmcsim: --ctl %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	if ((got = recv(fd, ans, sizeof(ans) - 1, 0)) < 0) {
		fprintf(stderr, "bmcsim: --ctl %s: no answer: %s\n", path,
		    strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	ans[got] = '\0';
	fprintf(out, "%s\n", ans);
	return strncmp(ans, "ok", 2) == 0 ? 0 : 1;
}

struct sim_fleet *
sim_fleet_new(struct loop *l, const struct sim_conf *c, char *err,
    size_t errlen)
{
	struct sim_fleet *f;
	struct sim_knobs k;
	size_t nslots = 0, off = 0;
	uint32_t i;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		errf(err, errlen, "out of memory");
		return NULL;
	}
	f->loop = l;
	f->conf = c;
	f->ctl_fd = -1;
	seed_rng(f, c->seed);
	f->mono0 = loop_now(l);
	f->wall0 = loop_wall_ms();
	/* SEL time: the wall clock (or --sel-epoch) at this moment */
	sim_sensors_configure(c->reading_window_ms);
	sim_store_configure(c->sel_capacity, c->sel_epoch ? c->sel_epoch :
	    (uint32_t)time(NULL));
	sim_store_start(loop_now(l));
	sim_store_sel_rate(c->sel_rate);
	if ((f->nodes = calloc(c->count, sizeof(*f->nodes))) == NULL) {
		errf(err, errlen, "out of memory for %u BMCs", c->count);
		free(f);
		return NULL;
	}
	for (i = 0; i < c->count; i++) {
		simconf_knobs(c, i, &k);
		nslots += SIM_SESS_SLOTS(k.session_limit);
		f->nodes[i].fd = -1;
	}
	if ((f->slots = calloc(nslots, sizeof(*f->slots))) == NULL) {
		errf(err, errlen, "out of memory for %zu session slots",
		    nslots);
		free(f->nodes);
		free(f);
		return NULL;
	}
	f->count = c->count;

	for (i = 0; i < c->count; i++) {
		struct sim_node *n = &f->nodes[i];
		struct sockaddr_in sin;
		const struct sim_model *m;
		char a[INET_ADDRSTRLEN];
		uint64_t gseed;

		simconf_knobs(c, i, &k);
		n->fleet = f;
		n->addr = c->base + i;
		n->latency_ms = k.latency_ms;
		n->jitter_ms = k.jitter_ms;
		n->loss_ppm = k.loss_ppm;
		n->dead = k.dead;
		f->ndead += k.dead != 0;
		m = k.model ? k.model : sim_model_nth(i);
		gseed = c->seed * 0x100000001b3ULL ^ n->addr;
		sim_bmc_init(&n->bmc, m, gseed, 0);
		simconf_power(&k, m, &n->bmc.power_on_delay_ms,
		    &n->bmc.power_off_delay_ms, &n->bmc.ramp_ms);
		n->bmc.soft_off_ms = k.soft_off_ms;
		n->bmc.refuse_power = k.refuse_power != 0;
		n->bmc.ignore_power = k.ignore_power != 0;
		n->bmc.quirks = k.quirks;
		n->bmc.fw_rev = (uint8_t)k.fw_rev;
		n->sess.quirks = k.quirks;
		n->slow_ms = k.slow_ms;
		n->sess.reboot_after = k.reboot_after;
		n->sess.reboot_ms = k.reboot_ms;
		if ((k.quirks & (SIM_Q_DUPLICATE | SIM_Q_REORDER)) &&
		    (n->echo = calloc(1, sizeof(*n->echo))) == NULL) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		n->bmc.index = i;
		n->bmc.addr = n->addr;
		n->bmc.power_on = k.power_on;
		n->sess.bmc = &n->bmc;
		n->sess.auth = &c->auth;
		n->sess.slots = f->slots + off;
		n->sess.nslots = (int)SIM_SESS_SLOTS(k.session_limit);
		n->sess.limit = (int)k.session_limit;
		n->sess.random = fleet_random;
		n->sess.random_arg = f;
		off += SIM_SESS_SLOTS(k.session_limit);

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(n->addr);
		sin.sin_port = htons(c->port);
		inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
		n->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (n->fd == -1) {
			errf(err, errlen, "socket for %s: %s%s", a,
			    strerror(errno), errno == EMFILE ? " (raise the "
			    "open-files limit: ulimit -n)" : "");
			goto fail;
		}
		if (bind(n->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
			errf(err, errlen, "bind %s:%u: %s%s", a, c->port,
			    strerror(errno), errno == EACCES ? " (ports below "
			    "1024 need root, or use --port)" : errno ==
			    EADDRINUSE ? " (another simulator running?)" : "");
			goto fail;
		}
		if (loop_add_fd(l, n->fd, LOOP_READ, on_readable, n) == -1) {
			errf(err, errlen, "event loop: %s", strerror(errno));
			goto fail;
		}
	}
	if (c->control_path != NULL &&
	    ctl_open(f, c->control_path, err, errlen) != 0)
		goto fail;
	loop_timer_init(&f->pef_tick, on_pef_tick, f);
	if (loop_timer_set(l, &f->pef_tick, loop_now(l) + PEF_TICK_MS) != 0) {
		errf(err, errlen, "event loop: %s", strerror(errno));
		goto fail;
	}
	return f;
fail:
	sim_fleet_free(f);
	return NULL;
}

void
sim_fleet_free(struct sim_fleet *f)
{
	struct delayed *d, *next;
	uint32_t i;

	if (f == NULL)
		return;
	if (loop_timer_armed(&f->pef_tick))
		loop_timer_cancel(f->loop, &f->pef_tick);
	if (f->ctl_fd != -1) {
		loop_del_fd(f->loop, f->ctl_fd);
		close(f->ctl_fd);
		if (f->conf->control_path != NULL)
			(void)unlink(f->conf->control_path);
	}
	for (d = f->queue; d != NULL; d = next) {
		next = d->next;
		loop_timer_cancel(f->loop, &d->t);
		free(d);
	}
	for (i = 0; i < f->count; i++) {
		struct sim_node *n = &f->nodes[i];

		if (n->fd != -1) {
			loop_del_fd(f->loop, n->fd);
			close(n->fd);
		}
		if (n->sess.slots != NULL)
			sim_sess_wipe(&n->sess);
		sim_bmc_release(&n->bmc);
		free(n->echo);
	}
	free(f->slots);
	free(f->nodes);
	free(f);
}

uint32_t
sim_fleet_count(const struct sim_fleet *f)
{
	return f->count;
}

uint32_t
sim_fleet_dead(const struct sim_fleet *f)
{
	return f->ndead;
}

/* the line in b and a newline to out; 0, or -1 when b is incomplete */
static int
put_line(struct json *j, struct gbuf *b, FILE *out)
{
	if (json_failed(j))
		return -1;
	fputs(gbuf_str(b), out);
	fputc('\n', out);
	gbuf_reset(b);
	return 0;
}

int
sim_fleet_stats(struct sim_fleet *f, FILE *out)
{
	static const char *ctl[] = { "off", "on", "cycle", "reset", "diag",
	    "soft" };
	uint64_t now = loop_now(f->loop);
	struct gbuf lb = GBUF_INIT;
	struct json j;
	uint32_t i;
	int k, on, rc = 0;
	long sel;

	for (i = 0; i < f->count && rc == 0; i++) {
		struct sim_node *n = &f->nodes[i];
		struct sim_bmc *b = &n->bmc;
		struct sim_counters *c = &b->cnt;
		struct in_addr ia;
		char a[INET_ADDRSTRLEN];

		ia.s_addr = htonl(n->addr);
		inet_ntop(AF_INET, &ia, a, sizeof(a));
		on = sim_bmc_power(b, now);	/* before its times are read */
		json_init(&j, &lb, JSON_SPACED);
		json_obj(&j);
		json_key(&j, "bmc");
		json_str(&j, a);
		json_key(&j, "model");
		json_str(&j, b->model->name);
		json_key_bool(&j, "dead", n->dead);
		json_key(&j, "power");
		json_str(&j, on ? "on" : "off");
		json_key_u64(&j, "power_changed_ms", b->power_changed);
		json_key_u64(&j, "sessions", c->sessions);
		json_key(&j, "open");
		json_i64(&j, sim_sess_count(&n->sess, now));
		json_key_u64(&j, "refused", c->refused);
		json_key_u64(&j, "noslot", c->noslot);
		json_key_u64(&j, "rx", c->rx);
		json_key_u64(&j, "dropped", c->dropped);
		json_key_u64(&j, "bad", c->bad);
		json_key_u64(&j, "identify", c->identify);
		for (k = 0; k < 6; k++)
			json_key_u64(&j, ctl[k], c->ctl[k]);
		json_key_u64(&j, "get_sdr", c->get_sdr);
		json_key_u64(&j, "get_sensor_reading", c->get_sensor_reading);
		json_key_u64(&j, "readings", c->readings);
		json_key_u64(&j, "readings_resent", c->readings_resent);
		json_key_u64(&j, "get_sensor_thresholds",
		    c->get_sensor_thresholds);
		json_key_u64(&j, "get_sel_entry", c->get_sel_entry);
		json_key_u64(&j, "clear_sel", c->clear_sel);
		json_key_u64(&j, "read_fru", c->read_fru);
		json_key_u64(&j, "dcmi_power", c->dcmi_power);
		json_key_u64(&j, "set_boot", c->set_boot);
		json_key_u64(&j, "ctl_refused", c->ctl_refused);
		json_key_u64(&j, "ctl_resent", c->ctl_resent);
		json_key_u64(&j, "power_on_ms", unix_ms(f, b->power_on_at));
		json_key_u64(&j, "power_off_ms", unix_ms(f, b->power_off_at));
		json_key_bool(&j, "refuse_power", b->refuse_power);
		json_key_bool(&j, "ignore_power", b->ignore_power);
		json_key_u64(&j, "power_on_delay_ms", b->power_on_delay_ms);
		json_key_u64(&j, "power_off_delay_ms", b->power_off_delay_ms);
		json_key_u64(&j, "soft_off_ms", b->soft_off_ms);
		json_key_u64(&j, "power_ramp_ms", b->ramp_ms);
		json_key_u64(&j, "peak_w", sim_store_peak_watts(b));
		json_key_u64(&j, "watts", sim_store_watts(b, now));
		/* bmcsim's own SEL, the count the interop tests expect */
		sel = sim_store_sel_count(b, now);
		json_key(&j, "sel_entries");
		if (sel < 0)
			json_null(&j);
		else
			json_i64(&j, sel);
		json_key(&j, "quirks");
		sim_quirk_json(b->quirks, &j);
		json_key_u64(&j, "quirk_drops", c->quirk_drops);
		json_key_u64(&j, "slow_ms", n->slow_ms);
		json_key_u64(&j, "reboot_after", n->sess.reboot_after ?
		    n->sess.reboot_after : SIM_REBOOT_AFTER);
		json_key_u64(&j, "reboot_every_ms", n->sess.reboot_ms);
		json_key_u64(&j, "reboots", c->reboots);
		json_key_u64(&j, "pet_sent", c->pet_sent);
		json_key_u64(&j, "pet_resent", c->pet_resent);
		json_key_u64(&j, "pet_acked", c->pet_acked);
		json_key_u64(&j, "pet_gave_up", c->pet_gave_up);
		json_key_u64(&j, "pet_ack_unknown", c->pet_ack_unknown);
		json_key_u64(&j, "sdr_walks", c->sdr_walks);
		json_key_u64(&j, "cipher_suites", c->cipher_suites);
		json_end(&j);
		rc = put_line(&j, &lb, out);
	}
	gbuf_release(&lb);
	return rc == 0 && fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int
sim_fleet_sel_dump(struct sim_fleet *f, FILE *out)
{
	uint64_t now = loop_now(f->loop);
	struct gbuf lb = GBUF_INIT;
	struct json j;
	uint32_t i;
	unsigned e;
	int k, rc = 0;

	for (i = 0; i < f->count && rc == 0; i++) {
		struct sim_node *n = &f->nodes[i];
		struct sim_sel_view v;
		struct in_addr ia;
		char a[INET_ADDRSTRLEN], hex[2 * SEL_ENTRY_LEN + 1];

		ia.s_addr = htonl(n->addr);
		inet_ntop(AF_INET, &ia, a, sizeof(a));
		if (sim_store_sel_view(&n->bmc, now, &v) != 0) {
			rc = -1;
			break;
		}
		json_init(&j, &lb, JSON_SPACED);
		json_obj(&j);
		json_key(&j, "bmc");
		json_str(&j, a);
		json_key_bool(&j, "dead", n->dead);
		json_key_u64(&j, "sel_time", (unsigned long)v.time);
		json_key_bool(&j, "overflow", v.overflow);
		json_key_u64(&j, "clear_sel", n->bmc.cnt.clear_sel);
		json_key_u64(&j, "count", v.n);
		json_key(&j, "entries");
		json_arr(&j);
		for (e = 0; e < v.n; e++) {
			const uint8_t *r = v.raw + (size_t)e * SEL_ENTRY_LEN;

			for (k = 0; k < SEL_ENTRY_LEN; k++)
				snprintf(hex + 2 * k, 3, "%02x", r[k]);
			json_obj(&j);
			json_key_u64(&j, "id", (unsigned)(r[0] | r[1] << 8));
			json_key(&j, "raw");
			json_str(&j, hex);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		rc = put_line(&j, &lb, out);
	}
	gbuf_release(&lb);
	return rc == 0 && fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

void
sim_fleet_fru_swap(struct sim_fleet *f)
{
	for (uint32_t i = 0; i < f->count; i++)
		sim_store_fru_swap(&f->nodes[i].bmc, SIM_FRU_PS1);
}
