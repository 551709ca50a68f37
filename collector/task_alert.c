/* task_alert: read and set up a BMC's PEF and LAN alerting; see
 * task_alert.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/task_alert.h"
#include "ipmi/buf.h"
#include "ipmi/ipmi.h"

/* wr_kind: the set-in-progress marks; items are >= 0 */
enum {
	WR_SIP_LAN = -1,
	WR_DONE_LAN = -2,
	WR_SIP_PEF = -3,
	WR_DONE_PEF = -4,
};

static const uint8_t sev_order[] = {
	PEF_SEV_INFO, PEF_SEV_WARNING, PEF_SEV_CRITICAL, PEF_SEV_NONRECOVERABLE,
};

void
task_alert_init(struct task_alert *t, enum task_alert_job job,
    const struct task_alert_want *want)
{
	memset(t, 0, sizeof(*t));
	t->job = job;
	if (want != NULL)
		t->want = *want;
	t->ph = ALERT_PH_CAPS;
	t->idx = 1;
	t->sip_lan = t->sip_pef = -1;
}

static int
fail(struct task_alert *t, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct task_alert *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
	t->err = err;
	t->ph = ALERT_PH_DONE;
	return -1;
}

static int
cmdfail(struct task_alert *t, const struct ipmi_response *rsp,
    const char *what)
{
	if (rsp->cc != IPMI_CC_OK)
		return fail(t, IPMI_E_CC, "%s: %s (0x%02x)", what,
		    ipmi_ccstr(rsp->cc), rsp->cc);
	return fail(t, IPMI_E_SHORT, "%s: short response (%zu bytes)", what,
	    rsp->len);
}

static void
ipstr(const uint8_t ip[4], char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

/* --- the plan ---------------------------------------------------------- */

static int
dest_is_ours(const struct alert_state *st, unsigned d,
    const struct task_alert_want *w)
{
	return st->daddr[d].format == LAN_ADDR_IPV4 &&
	    memcmp(st->daddr[d].ip, w->ip, 4) == 0 &&
	    st->dtype[d].type == LAN_DEST_PET;
}

static int
dest_is_free(const struct alert_state *st, unsigned d)
{
	static const uint8_t zero[4];

	return st->daddr[d].format == LAN_ADDR_IPV4 &&
	    memcmp(st->daddr[d].ip, zero, 4) == 0;
}

static void
describe_filter(const struct pef_filter *f, char *out, size_t len)
{
	if (pef_filter_is_free(f))
		snprintf(out, len, "unused");
	else
		snprintf(out, len, "%s%s, %s, %s policy %u",
		    f->enabled ? "enabled" : "disabled",
		    f->type == PEF_FILTER_MANUFACTURER ? " (factory)" : "",
		    pef_severity_name(f->severity),
		    (f->action & PEF_ACT_ALERT) ? "alert" : "no alert",
		    f->policy);
}

static void
describe_policy(const struct pef_policy *a, char *out, size_t len)
{
	if (pef_policy_is_free(a))
		snprintf(out, len, "unused");
	else
		snprintf(out, len, "%s, policy %u, channel %u, destination %u",
		    a->enabled ? "enabled" : "disabled", a->number, a->channel,
		    a->dest);
}

static void
describe_dtype(const struct lan_dest_type *d, char *out, size_t len)
{
	snprintf(out, len, "%s, %s, %u s, %u retries",
	    d->type == LAN_DEST_PET ? "PET" :
	    d->type == LAN_DEST_OEM1 ? "OEM 1" :
	    d->type == LAN_DEST_OEM2 ? "OEM 2" : "reserved",
	    d->ack ? "acknowledged" : "unacknowledged", d->timeout,
	    d->retries);
}

static struct alert_item *
add_item(struct alert_item *items, size_t *n, const char *what, int lan)
{
	struct alert_item *it;

	if (*n == ALERT_MAX_ITEMS)
		return NULL;
	it = &items[(*n)++];
	memset(it, 0, sizeof(*it));
	snprintf(it->what, sizeof(it->what), "%s", what);
	it->lan = lan;
	return it;
}

static int
planfail(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
planfail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The alert policy entry: ours (our channel and destination), else a
 * free one with a policy number no entry uses.  0, or -1 with why. */
static int
plan_policy(const struct alert_state *st, struct alert_plan *p,
    char *why, size_t len)
{
	unsigned e, used = 0, inuse = 0, n;

	for (e = 0; e < st->npolicies; e++) {
		const struct pef_policy *a = &st->policies[e];

		if (!pef_policy_is_free(a) && a->channel == p->channel &&
		    a->dest == p->dest && a->number != 0) {
			p->policy_entry = (uint8_t)(e + 1);
			p->policy = a->number;
			return 0;
		}
	}
	for (e = 0; e < st->npolicies; e++) {
		if (pef_policy_is_free(&st->policies[e])) {
			if (p->policy_entry == 0)
				p->policy_entry = (uint8_t)(e + 1);
		} else {
			inuse++;
			used |= 1u << (st->policies[e].number & 0x0f);
		}
	}
	if (p->policy_entry == 0)
		return planfail(why, len, "no free alert policy entry (%u in "
		    "use)", inuse);
	for (n = 1; n <= 15; n++)
		if (!(used & (1u << n)))
			break;
	if (n > 15)
		return planfail(why, len, "no free alert policy number (15 in "
		    "use)");
	p->policy = (uint8_t)n;
	return 0;
}

static int
filter_is_ours(const struct pef_filter *f, uint8_t policy, uint8_t sev)
{
	return f->type == PEF_FILTER_SOFTWARE && (f->action & PEF_ACT_ALERT) &&
	    f->policy == policy && f->severity == sev &&
	    f->gen1 == PEF_MATCH_ANY && f->sensor_type == PEF_MATCH_ANY &&
	    f->sensor_num == PEF_MATCH_ANY && f->trigger == PEF_MATCH_ANY;
}

int
task_alert_plan(const struct alert_state *st,
    const struct task_alert_want *w, struct alert_plan *p,
    struct alert_item *items, size_t *nitems, char *why, size_t whylen)
{
	uint8_t taken[ALERT_MAX_FILTERS];
	uint8_t data[PEF_PARAM_MAX];
	char what[40];
	const char *comm;
	struct alert_item *it;
	struct lan_dest_type dt;
	struct lan_dest_addr da;
	struct pef_policy pol;
	uint16_t port = w->port != 0 ? w->port : ALERT_PORT_DEFAULT;
	unsigned d, i, inuse = 0, nchanged = 0;
	size_t k;

	memset(p, 0, sizeof(*p));
	*nitems = 0;
	p->channel = st->channel;
	if (!(st->caps.actions & PEF_ACT_ALERT))
		return planfail(why, whylen, "this BMC's PEF cannot send "
		    "alerts (action support 0x%02x)", st->caps.actions);
	if (st->ndest == 0)
		return planfail(why, whylen, "no LAN alert destinations on "
		    "channel %u", st->channel);
	for (d = 1; d <= st->ndest && p->dest == 0; d++)
		if (dest_is_ours(st, d, w))
			p->dest = (uint8_t)d;
	for (d = 1; d <= st->ndest && p->dest == 0; d++) {
		if (dest_is_free(st, d))
			p->dest = (uint8_t)d;
		else
			inuse++;
	}
	if (p->dest == 0)
		return planfail(why, whylen, "no free alert destination (%u in "
		    "use)", inuse);
	if (port != ALERT_PORT_DEFAULT && !st->have_port)
		return planfail(why, whylen, "this BMC sends alerts to UDP "
		    "port 162 only");
	d = p->dest;

	/* LAN parameter 16: none asked keeps the BMC's (public if it has
	 * none), so a second setup without --community undoes nothing */
	comm = w->community[0] != '\0' ? w->community :
	    st->community[0] != '\0' ? st->community : ALERT_COMMUNITY_DEFAULT;
	it = add_item(items, nitems, "community", 1);
	snprintf(it->old, sizeof(it->old), "\"%s\"", st->community);
	snprintf(it->new, sizeof(it->new), "\"%s\"", comm);
	it->changed = strcmp(st->community, comm) != 0;
	if (lan_community_encode(comm, data) != 0)
		return planfail(why, whylen, "community longer than %d "
		    "characters", LAN_COMMUNITY_LEN);
	lan_req_set(&it->req, p->channel, LAN_PARAM_COMMUNITY, data,
	    LAN_COMMUNITY_LEN);

	/* 18: a PET destination that asks for acknowledgement */
	snprintf(what, sizeof(what), "destination %u type", d);
	it = add_item(items, nitems, what, 1);
	memset(&dt, 0, sizeof(dt));
	dt.set = (uint8_t)d;
	dt.ack = 1;
	dt.type = LAN_DEST_PET;
	dt.timeout = ALERT_TIMEOUT_S;
	dt.retries = ALERT_RETRIES;
	describe_dtype(&st->dtype[d], it->old, sizeof(it->old));
	describe_dtype(&dt, it->new, sizeof(it->new));
	it->changed = st->dtype[d].type != dt.type || !st->dtype[d].ack ||
	    st->dtype[d].timeout != dt.timeout ||
	    st->dtype[d].retries != dt.retries;
	(void)lan_dest_type_encode(&dt, data, sizeof(data));
	lan_req_set(&it->req, p->channel, LAN_PARAM_DEST_TYPE, data,
	    LAN_DEST_TYPE_DATA_LEN);

	/* 19: our address; the MAC stays what it was (the BMC may ARP) */
	snprintf(what, sizeof(what), "destination %u address", d);
	it = add_item(items, nitems, what, 1);
	da = st->daddr[d];
	da.set = (uint8_t)d;
	da.format = LAN_ADDR_IPV4;
	da.backup_gw = 0;
	memcpy(da.ip, w->ip, 4);
	if (st->daddr[d].format != LAN_ADDR_IPV4)
		snprintf(it->old, sizeof(it->old), "format %u",
		    st->daddr[d].format);
	else
		ipstr(st->daddr[d].ip, it->old, sizeof(it->old));
	ipstr(da.ip, it->new, sizeof(it->new));
	it->changed = st->daddr[d].format != LAN_ADDR_IPV4 ||
	    st->daddr[d].backup_gw || memcmp(st->daddr[d].ip, w->ip, 4) != 0;
	(void)lan_dest_addr_encode(&da, data, sizeof(data));
	lan_req_set(&it->req, p->channel, LAN_PARAM_DEST_ADDR, data,
	    LAN_DEST_ADDR_DATA_LEN);

	/* 0xC0, where the BMC has it: the port, 162 included */
	if (st->have_port) {
		struct lan_dest_port dp = { (uint8_t)d, port };

		snprintf(what, sizeof(what), "destination %u port", d);
		it = add_item(items, nitems, what, 1);
		snprintf(it->old, sizeof(it->old), "%u", st->dport[d]);
		snprintf(it->new, sizeof(it->new), "%u", port);
		it->changed = st->dport[d] != port;
		(void)lan_dest_port_encode(&dp, data, sizeof(data));
		lan_req_set(&it->req, p->channel, LAN_PARAM_OEM_DEST_PORT,
		    data, LAN_DEST_PORT_DATA_LEN);
	}

	/* PEF parameter 9 */
	if (plan_policy(st, p, why, whylen) != 0)
		return -1;
	snprintf(what, sizeof(what), "alert policy entry %u",
	    p->policy_entry);
	it = add_item(items, nitems, what, 0);
	memset(&pol, 0, sizeof(pol));
	pol.set = p->policy_entry;
	pol.number = p->policy;
	pol.enabled = 1;
	pol.policy = PEF_POLICY_ALWAYS;
	pol.channel = p->channel;
	pol.dest = p->dest;
	describe_policy(&st->policies[p->policy_entry - 1], it->old,
	    sizeof(it->old));
	describe_policy(&pol, it->new, sizeof(it->new));
	{
		uint8_t a[PEF_POLICY_DATA_LEN], b[PEF_POLICY_DATA_LEN];

		(void)pef_policy_encode(&st->policies[p->policy_entry - 1], a,
		    sizeof(a));
		(void)pef_policy_encode(&pol, b, sizeof(b));
		a[0] = b[0];
		it->changed = memcmp(a, b, sizeof(a)) != 0;
		pef_req_set(&it->req, PEF_PARAM_POLICY, b, sizeof(b));
	}

	/* 6: one filter per severity at or above the minimum */
	memset(taken, 0, sizeof(taken));
	for (i = 0; i < sizeof(sev_order); i++) {
		uint8_t sev = sev_order[i], a[PEF_FILTER_DATA_LEN],
		    b[PEF_FILTER_DATA_LEN];
		struct pef_filter f;
		unsigned e, pick = 0, finuse = 0;

		if (sev < w->min_severity)
			continue;
		for (e = 0; e < st->nfilters && pick == 0; e++)
			if (!taken[e] && filter_is_ours(&st->filters[e],
			    p->policy, sev))
				pick = e + 1;
		for (e = 0; e < st->nfilters && pick == 0; e++) {
			if (!taken[e] && pef_filter_is_free(&st->filters[e]))
				pick = e + 1;
			else
				finuse++;
		}
		if (pick == 0)
			return planfail(why, whylen, "no free event filter "
			    "(%u in use)", finuse);
		taken[pick - 1] = 1;
		snprintf(what, sizeof(what), "event filter %u", pick);
		it = add_item(items, nitems, what, 0);
		if (it == NULL)
			return planfail(why, whylen, "too many changes");
		pef_filter_any(&f, (uint8_t)pick, sev, PEF_ACT_ALERT,
		    p->policy);
		describe_filter(&st->filters[pick - 1], it->old,
		    sizeof(it->old));
		describe_filter(&f, it->new, sizeof(it->new));
		(void)pef_filter_encode(&st->filters[pick - 1], a, sizeof(a));
		(void)pef_filter_encode(&f, b, sizeof(b));
		a[0] = b[0];
		it->changed = memcmp(a, b, sizeof(a)) != 0;
		pef_req_set(&it->req, PEF_PARAM_FILTER, b, sizeof(b));
	}

	/* 1 and 2 last: PEF goes on once its filters are right */
	it = add_item(items, nitems, "PEF", 0);
	snprintf(it->old, sizeof(it->old), "%s",
	    (st->control & PEF_CTL_ENABLE) ? "enabled" : "disabled");
	snprintf(it->new, sizeof(it->new), "enabled");
	it->changed = !(st->control & PEF_CTL_ENABLE);
	data[0] = st->control | PEF_CTL_ENABLE;
	pef_req_set(&it->req, PEF_PARAM_CONTROL, data, 1);

	it = add_item(items, nitems, "PEF alert action", 0);
	snprintf(it->old, sizeof(it->old), "%s",
	    (st->actions & PEF_ACT_ALERT) ? "enabled" : "disabled");
	snprintf(it->new, sizeof(it->new), "enabled");
	it->changed = !(st->actions & PEF_ACT_ALERT);
	data[0] = st->actions | PEF_ACT_ALERT;
	pef_req_set(&it->req, PEF_PARAM_ACTION_CONTROL, data, 1);

	for (k = 0; k < *nitems; k++)
		if (items[k].changed)
			nchanged++;
	return (int)nchanged;
}

int
task_alert_parse_dest(const char *s, struct task_alert_want *w)
{
	unsigned a[4];
	unsigned long port = 0;
	char *end;
	int n = 0;

	if (sscanf(s, "%3u.%3u.%3u.%3u%n", &a[0], &a[1], &a[2], &a[3], &n)
	    != 4 || a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255)
		return -1;
	s += n;
	if (*s == ':') {
		port = strtoul(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0' || port == 0 || port > 65535)
			return -1;
	} else if (*s != '\0')
		return -1;
	w->ip[0] = (uint8_t)a[0];
	w->ip[1] = (uint8_t)a[1];
	w->ip[2] = (uint8_t)a[2];
	w->ip[3] = (uint8_t)a[3];
	w->port = (uint16_t)port;
	return 0;
}

/* --- the walk ------------------------------------------------------------ */

/* The read is complete: status is done; setup plans, writes or checks. */
static int
read_done(struct task_alert *t)
{
	struct alert_item tmp[ALERT_MAX_ITEMS];
	struct alert_plan p;
	size_t n, k;
	int rc;

	if (t->job == TASK_ALERT_STATUS) {
		t->ph = ALERT_PH_DONE;
		return 0;
	}
	if (t->verifying) {
		rc = task_alert_plan(&t->st, &t->want, &p, tmp, &n, t->why,
		    sizeof(t->why));
		if (rc < 0)
			return fail(t, IPMI_E_UNEXPECTED, "read back: %.100s",
			    t->why);
		for (k = 0; k < n; k++)
			if (tmp[k].changed)
				return fail(t, IPMI_E_UNEXPECTED, "read back: "
				    "%s did not take (is %s, wanted %s)",
				    tmp[k].what, tmp[k].old, tmp[k].new);
		t->ph = ALERT_PH_DONE;
		return 0;
	}
	rc = task_alert_plan(&t->st, &t->want, &t->plan, t->items, &t->nitems,
	    t->why, sizeof(t->why));
	if (rc < 0) {
		t->err = IPMI_E_UNSUPPORTED;
		t->ph = ALERT_PH_DONE;
		return -1;
	}
	t->nchanged = (unsigned)rc;
	if (rc == 0 || t->want.dry_run) {
		t->ph = ALERT_PH_DONE;
		return 0;
	}
	/* the writes: LAN then PEF, each inside set-in-progress */
	t->nwr = 0;
	for (rc = 1; rc >= 0; rc--) {
		int any = 0;

		for (k = 0; k < t->nitems; k++)
			if (t->items[k].changed && t->items[k].lan == rc)
				any = 1;
		if (!any)
			continue;
		t->wr_kind[t->nwr++] = rc ? WR_SIP_LAN : WR_SIP_PEF;
		for (k = 0; k < t->nitems; k++)
			if (t->items[k].changed && t->items[k].lan == rc)
				t->wr_kind[t->nwr++] = (int)k;
		t->wr_kind[t->nwr++] = rc ? WR_DONE_LAN : WR_DONE_PEF;
	}
	for (k = 0; k < t->nwr; k++) {
		uint8_t v;

		switch (t->wr_kind[k]) {
		case WR_SIP_LAN:
		case WR_DONE_LAN:
			v = t->wr_kind[k] == WR_SIP_LAN ?
			    PARAM_SET_IN_PROGRESS : PARAM_SET_COMPLETE;
			lan_req_set(&t->wr[k], t->st.channel,
			    LAN_PARAM_SET_IN_PROGRESS, &v, 1);
			break;
		case WR_SIP_PEF:
		case WR_DONE_PEF:
			v = t->wr_kind[k] == WR_SIP_PEF ?
			    PARAM_SET_IN_PROGRESS : PARAM_SET_COMPLETE;
			pef_req_set(&t->wr[k], PEF_PARAM_SET_IN_PROGRESS, &v, 1);
			break;
		default:
			t->wr[k] = t->items[t->wr_kind[k]].req;
		}
	}
	t->ph = ALERT_PH_WRITE;
	t->idx = 0;
	return 0;
}

/* After the writes: read the PEF and LAN parameters again (the channels
 * and capabilities stay). */
static void
start_verify(struct task_alert *t)
{
	struct alert_state *st = &t->st;

	t->verifying = 1;
	st->nfilters = st->npolicies = st->ndest = 0;
	memset(st->filters, 0, sizeof(st->filters));
	memset(st->policies, 0, sizeof(st->policies));
	memset(st->dtype, 0, sizeof(st->dtype));
	memset(st->daddr, 0, sizeof(st->daddr));
	t->ph = ALERT_PH_CONTROL;
	t->idx = 1;
}

/* The next request, moving through the phases that need none.  1: *ir
 * is to be sent; 0: done; -1: failed (why filled). */
static int
next_req(struct task_alert *t, struct ipmi_req *ir)
{
	struct alert_state *st = &t->st;
	unsigned k;

	for (;;) {
		switch (t->ph) {
		case ALERT_PH_CHAN:
			if (t->idx <= ALERT_MAX_CHAN) {
				chan_req_info(ir, (uint8_t)t->idx);
				return 1;
			}
			if (st->nlan == 0)
				return fail(t, IPMI_E_UNSUPPORTED, "no LAN "
				    "channel (channels 1-%d)", ALERT_MAX_CHAN);
			st->channel = st->lan[0];
			t->ph = ALERT_PH_CONTROL;
			break;
		case ALERT_PH_CAPS:
			pef_req_caps(ir);
			return 1;
		case ALERT_PH_CONTROL:
			pef_req_get(ir, PEF_PARAM_CONTROL, 0);
			return 1;
		case ALERT_PH_ACTIONS:
			pef_req_get(ir, PEF_PARAM_ACTION_CONTROL, 0);
			return 1;
		case ALERT_PH_NFILTERS:
			pef_req_get(ir, PEF_PARAM_NUM_FILTERS, 0);
			return 1;
		case ALERT_PH_NPOLICIES:
			pef_req_get(ir, PEF_PARAM_NUM_POLICIES, 0);
			return 1;
		case ALERT_PH_FILTER:
			if (t->idx <= st->nfilters) {
				pef_req_get(ir, PEF_PARAM_FILTER,
				    (uint8_t)t->idx);
				return 1;
			}
			t->ph = ALERT_PH_POLICY;
			t->idx = 1;
			break;
		case ALERT_PH_POLICY:
			if (t->idx <= st->npolicies) {
				pef_req_get(ir, PEF_PARAM_POLICY,
				    (uint8_t)t->idx);
				return 1;
			}
			t->ph = ALERT_PH_COMMUNITY;
			break;
		case ALERT_PH_COMMUNITY:
			lan_req_get(ir, st->channel, LAN_PARAM_COMMUNITY, 0);
			return 1;
		case ALERT_PH_NDEST:
			lan_req_get(ir, st->channel, LAN_PARAM_NUM_DEST, 0);
			return 1;
		case ALERT_PH_DTYPE:
		case ALERT_PH_DADDR:
			if (t->idx <= st->ndest) {
				lan_req_get(ir, st->channel,
				    t->ph == ALERT_PH_DTYPE ?
				    LAN_PARAM_DEST_TYPE : LAN_PARAM_DEST_ADDR,
				    (uint8_t)t->idx);
				return 1;
			}
			t->ph = t->ph == ALERT_PH_DTYPE ? ALERT_PH_DADDR :
			    ALERT_PH_DPORT;
			t->idx = 1;
			if (t->ph == ALERT_PH_DPORT) {
				st->have_port = 1;
				for (k = 0; k < ALERT_MAX_DEST; k++)
					st->dport[k] = ALERT_PORT_DEFAULT;
			}
			break;
		case ALERT_PH_DPORT:
			if (t->idx <= st->ndest && st->have_port) {
				lan_req_get(ir, st->channel,
				    LAN_PARAM_OEM_DEST_PORT, (uint8_t)t->idx);
				return 1;
			}
			if (read_done(t) < 0)
				return -1;
			break;
		case ALERT_PH_WRITE:
			while (t->idx < t->nwr) {
				int kind = t->wr_kind[t->idx];

				if ((kind >= 0 && t->wr_err) ||
				    (kind == WR_DONE_LAN && t->sip_lan != 1) ||
				    (kind == WR_DONE_PEF && t->sip_pef != 1)) {
					t->idx++;
					continue;
				}
				*ir = t->wr[t->idx];
				return 1;
			}
			if (t->wr_err) {
				t->ph = ALERT_PH_DONE;
				t->err = t->wr_err;
				return -1;
			}
			start_verify(t);
			break;
		case ALERT_PH_DONE:
			return t->err != 0 ? -1 : 0;
		}
	}
}

static int
param_byte(struct task_alert *t, const struct ipmi_response *rsp,
    const char *what, uint8_t *out)
{
	struct pef_get_rsp r;
	struct buf b;

	buf_init_read(&b, rsp->data, rsp->len);
	if (rsp->cc != IPMI_CC_OK || pef_get_rsp_decode(&b, &r) != 0 ||
	    r.len < 1)
		return cmdfail(t, rsp, what);
	*out = r.data[0];
	return 0;
}

/* The answer to the request of the current phase. 0, or -1 (failed). */
static int
feed(struct task_alert *t, const struct ipmi_response *rsp)
{
	struct alert_state *st = &t->st;
	struct lan_get_rsp lr;
	struct pef_get_rsp pr;
	struct buf b;
	char what[64];
	uint8_t v;
	int rc;

	buf_init_read(&b, rsp->data, rsp->len);
	switch (t->ph) {
	case ALERT_PH_CHAN: {
		struct chan_info_rsp ci;

		/* a channel that is not there answers with an error */
		if (rsp->cc == IPMI_CC_OK && chan_info_rsp_decode(&b, &ci) == 0 &&
		    ci.medium == CHAN_MEDIUM_LAN && st->nlan < ALERT_MAX_CHAN)
			st->lan[st->nlan++] = (uint8_t)t->idx;
		t->idx++;
		return 0;
	}
	case ALERT_PH_CAPS:
		if (rsp->cc != IPMI_CC_OK)
			return fail(t, IPMI_E_UNSUPPORTED, "no PEF (get PEF "
			    "capabilities: %s (0x%02x))", ipmi_ccstr(rsp->cc),
			    rsp->cc);
		if (pef_caps_rsp_decode(&b, &st->caps) != 0)
			return cmdfail(t, rsp, "get PEF capabilities");
		t->ph = ALERT_PH_CHAN;
		t->idx = 1;
		return 0;
	case ALERT_PH_CONTROL:
		if (param_byte(t, rsp, "get PEF control (parameter 1)",
		    &st->control) < 0)
			return -1;
		t->ph = ALERT_PH_ACTIONS;
		return 0;
	case ALERT_PH_ACTIONS:
		if (param_byte(t, rsp, "get PEF action control (parameter 2)",
		    &st->actions) < 0)
			return -1;
		t->ph = ALERT_PH_NFILTERS;
		return 0;
	case ALERT_PH_NFILTERS:
		if (param_byte(t, rsp, "get PEF number of filters "
		    "(parameter 5)", &v) < 0)
			return -1;
		st->nfilters = v & PEF_COUNT_MASK;
		t->ph = ALERT_PH_NPOLICIES;
		return 0;
	case ALERT_PH_NPOLICIES:
		if (param_byte(t, rsp, "get PEF number of alert policies "
		    "(parameter 8)", &v) < 0)
			return -1;
		st->npolicies = v & PEF_COUNT_MASK;
		t->ph = ALERT_PH_FILTER;
		t->idx = 1;
		return 0;
	case ALERT_PH_FILTER:
	case ALERT_PH_POLICY:
		snprintf(what, sizeof(what), "get PEF %s %u",
		    t->ph == ALERT_PH_FILTER ? "event filter" : "alert policy",
		    t->idx);
		if (rsp->cc != IPMI_CC_OK || pef_get_rsp_decode(&b, &pr) != 0)
			return cmdfail(t, rsp, what);
		if (t->ph == ALERT_PH_FILTER)
			rc = pef_filter_decode(pr.data, pr.len,
			    &st->filters[t->idx - 1]);
		else
			rc = pef_policy_decode(pr.data, pr.len,
			    &st->policies[t->idx - 1]);
		if (rc != 0)
			return fail(t, rc, "%s: %zu bytes of data", what,
			    pr.len);
		t->idx++;
		return 0;
	case ALERT_PH_COMMUNITY:
		if (rsp->cc != IPMI_CC_OK || lan_get_rsp_decode(&b, &lr) != 0 ||
		    lan_community_decode(lr.data, lr.len, st->community) != 0)
			return cmdfail(t, rsp, "get LAN community (parameter "
			    "16)");
		t->ph = ALERT_PH_NDEST;
		return 0;
	case ALERT_PH_NDEST:
		if (rsp->cc != IPMI_CC_OK || lan_get_rsp_decode(&b, &lr) != 0 ||
		    lr.len < 1)
			return cmdfail(t, rsp, "get LAN number of destinations "
			    "(parameter 17)");
		st->ndest = lr.data[0] & LAN_NUM_DEST_MASK;
		t->ph = ALERT_PH_DTYPE;
		t->idx = 1;
		return 0;
	case ALERT_PH_DTYPE:
	case ALERT_PH_DADDR:
		snprintf(what, sizeof(what), "get LAN destination %u %s",
		    t->idx, t->ph == ALERT_PH_DTYPE ? "type" : "address");
		if (rsp->cc != IPMI_CC_OK || lan_get_rsp_decode(&b, &lr) != 0)
			return cmdfail(t, rsp, what);
		if (t->ph == ALERT_PH_DTYPE)
			rc = lan_dest_type_decode(lr.data, lr.len,
			    &st->dtype[t->idx]);
		else
			rc = lan_dest_addr_decode(lr.data, lr.len,
			    &st->daddr[t->idx]);
		/* an address in another format is someone's: in use */
		if (rc != 0 && !(rc == IPMI_E_MALFORMED &&
		    t->ph == ALERT_PH_DADDR))
			return fail(t, rc, "%s: %zu bytes of data", what,
			    lr.len);
		t->idx++;
		return 0;
	case ALERT_PH_DPORT: {
		struct lan_dest_port dp;

		/* real BMCs: 0x80, "parameter not supported" */
		if (rsp->cc != IPMI_CC_OK || lan_get_rsp_decode(&b, &lr) != 0 ||
		    lan_dest_port_decode(lr.data, lr.len, &dp) != 0) {
			st->have_port = 0;
			return 0;
		}
		st->dport[t->idx] = dp.port;
		t->idx++;
		return 0;
	}
	case ALERT_PH_WRITE: {
		int kind = t->wr_kind[t->idx];

		if (kind == WR_SIP_LAN || kind == WR_SIP_PEF) {
			if (rsp->cc == IPMI_CC_SET_IN_PROGRESS)
				return fail(t, IPMI_E_BUSY, "%s parameters: "
				    "another set is in progress",
				    kind == WR_SIP_LAN ? "LAN" : "PEF");
			/* anything else: the BMC has no set-in-progress */
			if (kind == WR_SIP_LAN)
				t->sip_lan = rsp->cc == IPMI_CC_OK;
			else
				t->sip_pef = rsp->cc == IPMI_CC_OK;
		} else if (kind >= 0 && rsp->cc != IPMI_CC_OK) {
			const struct alert_item *it = &t->items[kind];

			t->wr_err = IPMI_E_CC;
			if (it->req.cmd == IPMI_CMD_SET_LAN_CONFIG &&
			    it->req.data[1] == LAN_PARAM_OEM_DEST_PORT &&
			    rsp->cc == IPMI_CC_PARAM_UNSUPPORTED)
				snprintf(t->why, sizeof(t->why), "this BMC "
				    "sends alerts to UDP port 162 only");
			else
				snprintf(t->why, sizeof(t->why), "set %s "
				    "parameter %u (%s): %s (0x%02x)",
				    it->lan ? "LAN" : "PEF",
				    it->lan ? it->req.data[1] : it->req.data[0],
				    it->what, ipmi_ccstr(rsp->cc), rsp->cc);
		}
		t->idx++;
		return 0;
	}
	case ALERT_PH_DONE:
		break;
	}
	return fail(t, IPMI_E_INVAL, "an answer nobody asked for");
}

enum drv_step
task_alert_step(struct task_alert *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct ipmi_req ir;
	int rc;

	if (rsp != NULL && feed(t, rsp) < 0)
		return DRV_STEP_FAIL;
	rc = next_req(t, &ir);
	if (rc == 1) {
		drv_req_from(req, &ir);
		return DRV_STEP_SEND;
	}
	return rc == 0 ? DRV_STEP_DONE : DRV_STEP_FAIL;
}
