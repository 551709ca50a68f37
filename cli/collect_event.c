/*
 * collect_event: bmcfleetd's events between sweeps, on the sweep's loop
 * (cli/collect.c runs the sweeps):
 *
 *   a PET trap (collector/traprx) from a configured BMC
 *     -> that BMC's own session on a driver that stays on the loop
 *        (driver_open), started at once, during a sweep too: PET
 *        Acknowledge for each trap waiting for one, then task_sel from
 *        the host's cursor; the entries become rows and go to the writer
 *        at once (not at the next second's flush)
 *     -> each trap linked to the entry it announced (traprx_match); one
 *        not found is read for again after TRAP_RETRY_MS, then the whole
 *        log (a sweep may have moved the cursor past it), then it is
 *        stored as a PET-only event; a read that finds the SEL unchanged
 *        since the cursor reads the whole log at once (the entry is one
 *        a sweep read already)
 *     -> traps arriving while the host's read runs: one more read after
 *
 *   collector.sel_interval: a light pass between sweeps, Get SEL Info of
 *   each BMC this collector has swept (every BMC with a cursor until it
 *   has swept one: after a restart) (task_sel from the cursor: one
 *   command when nothing moved), the walk only where it moved.  A BMC
 *   that does not answer is counted, not failed: that is the sweep's job.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/collect.h"
#include "cli/collect_int.h"
#include "collector/task_sel.h"
#include "collector/traprx.h"
#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"

#define TRAP_RETRY_MS	3000	/* a trap's entry not found: read again */
#define TRAP_TRIES	3	/* reads before it is a PET-only event:
				   from the cursor, again, the whole log */
#define TRAPS_HELD	32	/* per BMC, waiting for their entry */
#define ACKS_HELD	8

struct ev_trap {
	struct traprx_pet pet;
	uint64_t	 received_ms;
	char		 from[64];
	uint8_t		*dgram;		/* malloc'd */
	size_t		 len;
	unsigned	 tries;		/* reads since it came */
	uint64_t	 retry_at;	/* loop ms; 0: with the next read */
};

struct ev_host {
	struct drv_target t;		/* first: the driver's view */
	size_t		 i;		/* co->hosts index */
	int		 busy;		/* in the driver */
	int		 again;		/* a trap came while busy */
	int		 light;		/* a light pass's read */
	int		 whole;		/* read without the cursor */
	struct task_sel	 sel;
	/* PET Acknowledges to send (IPMI v2.0, 30.8), before the read */
	struct traprx_pet acks[ACKS_HELD];
	size_t		 nacks;
	struct ev_trap	 traps[TRAPS_HELD];
	size_t		 ntraps;
};

struct collect_ev {
	struct collect	*co;
	struct traprx	*rx;
	struct driver	*drv;
	struct driver_cfg dc;
	struct ev_host	**h;		/* per host, made on first use */
	size_t		 n;
	struct loop_timer tick;		/* retries, the light pass, flushes */
	uint64_t	 light_next;	/* loop ms */
	/* this light pass: hosts still reading, and what it found */
	size_t		 pass_left, pass_asked, pass_walked, pass_failed;
	struct collect_ev_stats st;
};

static void
ev_log(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "bmcfleetd: %s\n", line);
}

static void
ev_logf(struct collect_ev *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ev_logf(struct collect_ev *e, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ev_log(e, line);
}

static struct ev_host *
ev_host(struct collect_ev *e, size_t i)
{
	struct ev_host *h;

	if (e->h[i] != NULL)
		return e->h[i];
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->i = i;
	/* the sweep's target may be in flight in a sweep: a copy of its
	 * name, address and settings, run on its own */
	h->t.name = e->co->hosts[i].t.name;
	h->t.host = e->co->hosts[i].t.host;
	h->t.port = e->co->hosts[i].t.port;
	h->t.session = e->co->hosts[i].t.session;
	e->h[i] = h;
	return h;
}

static void
kick(struct collect_ev *e, struct ev_host *h)
{
	if (h->busy) {
		h->again = 1;
		return;
	}
	if (driver_add(e->drv, &h->t) != 0) {
		ev_logf(e, "events: out of memory");
		return;
	}
	h->busy = 1;
}

static const uint8_t *
known_guid(void *arg, size_t bmc)
{
	struct collect_ev *e = arg;
	long i = e->co->host_of[bmc];

	if (!e->co->c.collector.trap_guid_check || i < 0 ||
	    !e->co->hosts[i].have_guid)
		return NULL;
	return e->co->hosts[i].guid;
}

static void
on_trap(void *arg, const struct traprx_trap *t)
{
	struct collect_ev *e = arg;
	long i = e->co->host_of[t->bmc];
	struct ev_host *h;
	struct ev_trap *p;

	if (i < 0 || (h = ev_host(e, (size_t)i)) == NULL)
		return;
	/* a resend: the BMC did not hear our acknowledge; said again,
	 * nothing read or stored twice */
	if (h->nacks < ACKS_HELD)
		h->acks[h->nacks++] = t->pet;
	if (!t->repeat && h->ntraps < TRAPS_HELD) {
		p = &h->traps[h->ntraps];
		memset(p, 0, sizeof(*p));
		p->pet = t->pet;
		p->received_ms = t->received_ms;
		snprintf(p->from, sizeof(p->from), "%s", t->from);
		if ((p->dgram = malloc(t->len ? t->len : 1)) != NULL) {
			memcpy(p->dgram, t->dgram, t->len);
			p->len = t->len;
			h->ntraps++;
			e->st.traps++;
		}
	}
	h->light = 0;
	kick(e, h);
}

/* IPMI v2.0, 30.8: PET Acknowledge, the trap's fields echoed. */
static void
ack_request(const struct traprx_pet *p, struct drv_request *req)
{
	struct ipmi_pet_ack_req a;
	struct buf b;

	memset(req, 0, sizeof(*req));
	memset(&a, 0, sizeof(a));
	a.sequence = p->sequence;
	a.timestamp = p->raw_ts;
	a.event_source = p->source_type;
	a.sensor_device = p->sensor_device;
	a.sensor_number = p->sensor_number;
	memcpy(a.event_data, p->event_data, sizeof(a.event_data));
	req->netfn = IPMI_NETFN_SENSOR;
	req->cmd = IPMI_CMD_PET_ACK;
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)ipmi_pet_ack_req_encode(&a, &b);
	req->len = b.len;
}

static enum drv_step
ev_step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct collect_ev *e = arg;
	struct ev_host *h = (struct ev_host *)t;
	struct sweep_host *sh = &e->co->hosts[h->i];

	if (rsp != NULL && rsp->netfn == IPMI_NETFN_SENSOR && rsp->cmd ==
	    IPMI_CMD_PET_ACK) {
		/* the answer does not matter: a BMC that asked for none
		 * may refuse it; the read goes on either way */
		if (rsp->cc == IPMI_CC_OK)
			e->st.acked++;
		rsp = NULL;
	}
	if (rsp == NULL && h->nacks > 0) {
		ack_request(&h->acks[--h->nacks], req);
		return DRV_STEP_SEND;
	}
	if (rsp == NULL) {
		struct task_sel_cursor c = { sh->sel_entries, sh->sel_add_ts,
		    sh->sel_erase_ts };

		task_sel_init(&h->sel, sh->have_cursor && !h->whole ? &c :
		    NULL);
	}
	return task_sel_step(&h->sel, rsp, req);
}

static void
emit_trap(struct collect_ev *e, struct ev_host *h, const struct ev_trap *p,
    const uint8_t *sel_raw, int pet_only)
{
	struct rows *r = &e->co->rows;
	char g[37];

	ipmi_guid_format(p->pet.guid, g);
	rows_start(r, RT_PET);
	rows_str(r, h->t.name);
	rows_time_ms(r, p->received_ms);
	rows_str(r, p->from);
	rows_int(r, p->pet.sequence);
	if (p->pet.local_ts != 0)
		rows_uint(r, p->pet.local_ts);
	else
		rows_null(r);
	rows_str(r, g);
	rows_str(r, p->pet.severity);
	rows_int(r, p->pet.sensor_type);
	rows_int(r, p->pet.sensor_number);
	rows_bytea(r, p->pet.event_data, sizeof(p->pet.event_data));
	rows_uint(r, p->pet.specific_trap);
	rows_bytea(r, p->dgram, p->len);
	rows_bytea(r, sel_raw, SEL_ENTRY_LEN);
	rows_bool(r, pet_only);
	(void)rows_end(r);
}

/* Traps matched to what was read are stored; the rest wait or give up. */
static void
settle_traps(struct collect_ev *e, struct ev_host *h, const uint8_t *ents,
    size_t n)
{
	struct sweep_host *sh = &e->co->hosts[h->i];
	uint8_t *taken = n > 0 ? calloc(n, 1) : NULL;
	uint64_t now = loop_now(e->co->loop);
	size_t k = 0;

	for (size_t j = 0; j < h->ntraps; j++) {
		struct ev_trap *p = &h->traps[j];
		long m = -1;

		if (p->retry_at > now) {
			h->traps[k++] = *p;	/* not its turn */
			continue;
		}
		p->tries++;
		if (n > 0 && taken != NULL)
			m = traprx_match(&p->pet, ents, n, taken);
		if (m >= 0) {
			taken[m] = 1;
			emit_trap(e, h, p, ents + (size_t)m * SEL_ENTRY_LEN, 0);
			e->st.confirmed++;
			free(p->dgram);
			continue;
		}
		if (p->tries >= TRAP_TRIES) {
			/* its entry never came: the PET is the record, said
			 * as source 'pet' (record ID 0000h: no real entry's) */
			sweep_emit_sel(e->co->sweep, sh, p->pet.sel);
			emit_trap(e, h, p, p->pet.sel, 1);
			e->st.pet_only++;
			free(p->dgram);
			continue;
		}
		p->retry_at = now + TRAP_RETRY_MS;
		h->traps[k++] = *p;
	}
	h->ntraps = k;
	free(taken);
}

static void
ev_done(void *arg, struct drv_target *t)
{
	struct collect_ev *e = arg;
	struct collect *co = e->co;
	struct ev_host *h = (struct ev_host *)t;
	struct sweep_host *sh = &co->hosts[h->i];
	struct task_sel *s = &h->sel;
	int light = h->light, waiting = h->ntraps > 0;

	h->busy = 0;
	h->light = 0;
	if (light) {
		if (t->fail != DRV_OK) {
			e->st.light_failed++;
			e->pass_failed++;
		} else if (!s->unchanged) {
			e->st.light_walked++;
			e->pass_walked++;
		}
		/* a line for a pass that found something: the quiet ones
		 * are in the sweep's line */
		if (e->pass_left > 0 && --e->pass_left == 0 &&
		    (e->pass_walked > 0 || e->pass_failed > 0))
			ev_logf(e, "light pass: %zu BMC(s) asked Get SEL Info, "
			    "%zu walked (the SEL moved), %zu not answering",
			    e->pass_asked, e->pass_walked, e->pass_failed);
	} else
		e->st.reads++;
	if (t->fail == DRV_OK && !s->unchanged && s->w != NULL) {
		uint16_t last = 0;

		for (unsigned k = 0; k < s->w->nrecords; k++) {
			const uint8_t *rec = s->buf + (size_t)k * SEL_ENTRY_LEN;

			sweep_emit_sel(co->sweep, sh, rec);
			last = (uint16_t)(rec[0] | rec[1] << 8);
		}
		sweep_emit_sel_cursor(co->sweep, sh, &s->w->info, last);
		sh->have_cursor = 1;
		sh->sel_entries = s->w->info.entries;
		sh->sel_add_ts = s->w->info.add_ts;
		sh->sel_erase_ts = s->w->info.erase_ts;
		sh->sel_last_id = last;
		e->st.entries += s->w->nrecords;
	}
	if (t->fail != DRV_OK && !light)
		ev_logf(e, "events: %s: SEL read after a trap failed: %s",
		    t->name, t->errmsg);
	if (waiting && !light && t->fail == DRV_OK && s->unchanged &&
	    !h->whole) {
		/* nothing new since the cursor: the announced entry is one
		 * a sweep has read already (or one not written yet); read
		 * the whole log now, as the same try, rather than wait */
		h->whole = 1;
		h->again = 1;
	} else {
		if (waiting)
			settle_traps(e, h, t->fail == DRV_OK &&
			    !s->unchanged && s->w != NULL ? s->buf : NULL,
			    t->fail == DRV_OK && !s->unchanged &&
			    s->w != NULL ? s->w->nrecords : 0);
		h->whole = 0;
		for (size_t j = 0; j < h->ntraps; j++)
			if (h->traps[j].tries >= TRAP_TRIES - 1)
				h->whole = 1;	/* the last try reads it all */
	}
	task_sel_release(s);
	/* a trap's rows at once: the webhook waits for them */
	if (!light || co->rows.total >= FLUSH_BYTES / 64)
		collect_flush(co);
	if (h->again || h->nacks > 0) {
		h->again = 0;
		kick(e, h);
	}
}

/* Every 250 ms: traps due a retry, the light pass, rows to the writer. */
static void
on_tick(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct collect_ev *e = arg;
	struct collect *co = e->co;
	uint64_t now = loop_now(l), every = co->c.collector.sel_interval_ms;
	int light = every > 0 && now >= e->light_next && !co->sweeping;

	loop_timer_set(l, tm, now + 250);
	/* the next pass waits for the last one to end */
	if (light && e->pass_left > 0)
		light = 0;
	if (light) {
		e->light_next = now + every;
		e->pass_asked = e->pass_walked = e->pass_failed = 0;
	}
	for (size_t i = 0; i < e->n; i++) {
		struct ev_host *h = e->h[i];

		if (h != NULL && !h->busy && h->ntraps > 0) {
			for (size_t j = 0; j < h->ntraps; j++)
				if (h->traps[j].retry_at <= now) {
					kick(e, h);
					break;
				}
		}
		if (!light || (h != NULL && h->busy))
			continue;
		/* ours only: what this collector has swept (another's
		 * lease is not touched; before its first sweep, every BMC
		 * with a cursor), known, and answering */
		if ((co->lease && co->mine_any && !(co->done[i] & DONE_MINE)) ||
		    !co->hosts[i].have_cursor ||
		    (co->back[i].streak > 0 && co->back[i].retry_ms > wall_ms()))
			continue;
		if ((h = ev_host(e, i)) == NULL)
			continue;
		h->light = 1;
		e->st.light_asked++;
		e->pass_asked++;
		e->pass_left++;
		kick(e, h);
	}
	if (light && e->pass_asked > 0)
		e->st.passes++;
	if (co->rows.total > 0 && now - co->flushed_ms >= 1000)
		collect_flush(co);
}

static void
hosts_free(struct collect_ev *e)
{
	for (size_t i = 0; i < e->n; i++) {
		struct ev_host *h = e->h[i];

		if (h == NULL)
			continue;
		for (size_t j = 0; j < h->ntraps; j++)
			free(h->traps[j].dgram);
		task_sel_release(&h->sel);
		free(h);
	}
	free(e->h);
	e->h = NULL;
	e->n = 0;
}

/* The hosts and the address map from the fleet loaded now. */
static int
hosts_build(struct collect_ev *e)
{
	struct collect *co = e->co;
	struct traprx_map m;
	size_t unresolved = 0;

	if ((e->h = calloc(co->n ? co->n : 1, sizeof(*e->h))) == NULL)
		return -1;
	e->n = co->n;
	if (e->rx == NULL)
		return 0;
	memset(&m, 0, sizeof(m));
	for (size_t i = 0; i < co->n; i++)
		if (traprx_map_add(&m, co->hosts[i].t.host, co->idx[i]) != 0)
			unresolved++;
	traprx_set_map(e->rx, &m);
	if (unresolved > 0)
		ev_logf(e, "traps: %zu BMC address(es) did not resolve: their "
		    "traps are dropped as from an unknown source", unresolved);
	return 0;
}

int
collect_events_open(struct collect *co)
{
	struct collect_ev *e;
	char err[256];

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	e->co = co;
	e->dc.fanout = co->c.collector.concurrency;
	e->dc.min_gap_ms = co->c.collector.min_gap_ms;
	e->dc.host_deadline_ms = co->c.collector.host_deadline_ms;
	e->dc.max_requests = co->c.collector.host_max_requests;
	e->dc.step = ev_step;
	e->dc.done = ev_done;
	e->dc.arg = e;
	if ((e->drv = driver_open(co->loop, &e->dc)) == NULL) {
		free(e);
		return -1;
	}
	if (!co->c.collector.traps_off) {
		struct traprx_cfg rc = { on_trap, known_guid, ev_log, e };

		if ((e->rx = traprx_open(co->loop, co->c.collector.trap_listen,
		    &rc, err, sizeof(err))) == NULL)
			ev_logf(e, "%s: traps are not received", err);
		else
			ev_logf(e, "traps: listening on %s (UDP)",
			    traprx_where(e->rx));
	} else
		ev_logf(e, "traps: off (collector.traps.listen)");
	if (hosts_build(e) != 0) {
		driver_close(e->drv);
		traprx_close(e->rx);
		free(e);
		return -1;
	}
	co->ev = e;
	loop_timer_init(&e->tick, on_tick, e);
	e->light_next = loop_now(co->loop) + co->c.collector.sel_interval_ms;
	loop_timer_set(co->loop, &e->tick, loop_now(co->loop) + 250);
	return 0;
}

void
collect_events_suspend(struct collect *co)
{
	struct collect_ev *e = co->ev;

	if (e == NULL)
		return;
	/* the reads in flight are cut short (their hosts are about to be
	 * freed); traps still waiting for their entry are stored as they
	 * are, PET-only, rather than lost */
	driver_close(e->drv);
	e->drv = NULL;
	for (size_t i = 0; i < e->n; i++) {
		struct ev_host *h = e->h[i];

		for (size_t j = 0; h != NULL && j < h->ntraps; j++) {
			h->traps[j].tries = TRAP_TRIES;
			h->traps[j].retry_at = 0;
		}
		if (h != NULL && h->ntraps > 0)
			settle_traps(e, h, NULL, 0);
	}
	collect_flush(co);
	hosts_free(e);
}

int
collect_events_resume(struct collect *co)
{
	struct collect_ev *e = co->ev;

	if (e == NULL)
		return 0;
	e->dc.fanout = co->c.collector.concurrency;
	e->dc.min_gap_ms = co->c.collector.min_gap_ms;
	e->dc.host_deadline_ms = co->c.collector.host_deadline_ms;
	e->dc.max_requests = co->c.collector.host_max_requests;
	if ((e->drv = driver_open(co->loop, &e->dc)) == NULL)
		return -1;
	return hosts_build(e);
}

void
collect_events_close(struct collect *co)
{
	struct collect_ev *e = co->ev;

	if (e == NULL)
		return;
	loop_timer_cancel(co->loop, &e->tick);
	collect_events_suspend(co);
	{
		char w[512];

		collect_events_words(co, w, sizeof(w));
		ev_logf(e, "events at the end: %s", w);
	}
	traprx_close(e->rx);
	free(e);
	co->ev = NULL;
}

const struct collect_ev_stats *
collect_events_stats(const struct collect *co)
{
	return co->ev != NULL ? &co->ev->st : NULL;
}

const struct traprx_stats *
collect_events_rx_stats(const struct collect *co)
{
	return co->ev != NULL && co->ev->rx != NULL ?
	    traprx_stats(co->ev->rx) : NULL;
}

void
collect_events_words(const struct collect *co, char *out, size_t len)
{
	const struct collect_ev *e = co->ev;
	char tw[256] = "off";

	if (e == NULL) {
		snprintf(out, len, "traps: off");
		return;
	}
	if (e->rx != NULL)
		traprx_stats_words(traprx_stats(e->rx), tw, sizeof(tw));
	snprintf(out, len, "traps: %s; %" PRIu64 " SEL read(s) after traps, "
	    "%" PRIu64 " confirmed, %" PRIu64 " PET-only; light passes: %"
	    PRIu64 ", %" PRIu64 " BMCs asked, %" PRIu64 " walked, %" PRIu64
	    " not answering", tw, e->st.reads, e->st.confirmed,
	    e->st.pet_only, e->st.passes, e->st.light_asked,
	    e->st.light_walked, e->st.light_failed);
}
