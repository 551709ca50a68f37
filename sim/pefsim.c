/*
 * pefsim: PEF, LAN alert destinations and PET traps of a simulated BMC
 * (pefsim.h).  The choices that are ours, not the spec's, are commented
 * where they are made.
 */
#include <stdlib.h>
#include <string.h>

#include "bmcstate.h"
#include "ipmi/ipmi.h"
#include "ipmi/sel.h"
#include "model.h"
#include "pefsim.h"
#include "sensors.h"
#include "store.h"

enum {
	/* sensor/event netfn (30.x) */
	CMD_ARM_POSTPONE = 0x11,
	CMD_SET_LAST_ID = 0x14,
	CMD_GET_LAST_ID = 0x15,
	/* app netfn (22.22, 22.23) */
	CMD_SET_CHANNEL_ACCESS = 0x40,
	CMD_GET_CHANNEL_ACCESS = 0x41,
};

#define ACCESS_ALWAYS		0x02	/* access mode: always available */
#define ACCESS_NO_ALERTING	0x20	/* PEF alerting disabled */

#define PEF_VERSION	0x51
#define IANA_IPMI	7154	/* IPMI forum: Get Channel Info's vendor */
#define CHAN_SYSTEM	0x0f
#define CHAN_SELF	0x0e
#define LAN_PARAM_REV	0x11
#define PET_LANGUAGE_EN	0x19

/* --- state and factory defaults ------------------------------------------ */

uint8_t
sim_pef_lan_channel(const struct sim_bmc *b)
{
	return b->model != NULL && b->model->lan_channel ?
	    b->model->lan_channel : 1;
}

/* Threshold offsets (table 42-2): lower/upper, non-critical/critical. */
#define TH_LNC_LOW	(1u << 0)
#define TH_LCR_LOW	(1u << 2)
#define TH_UNC_HIGH	(1u << 7)
#define TH_UCR_HIGH	(1u << 9)

static void
factory(struct sim_bmc *b, struct sim_pef *p)
{
	uint8_t buf[PEF_FILTER_DATA_LEN];
	int i;

	memset(p, 0, sizeof(*p));
	/* filters 1-4: a typical BMC's pre-configured, disabled ones */
	for (i = 1; i <= 4; i++) {
		struct pef_filter f;

		memset(&f, 0, sizeof(f));
		f.set = (uint8_t)i;
		f.type = PEF_FILTER_MANUFACTURER;
		f.action = PEF_ACT_ALERT;
		f.policy = 1;
		f.gen1 = f.gen2 = f.sensor_num = PEF_MATCH_ANY;
		switch (i) {
		case 1:		/* temperature critical, high or low */
			f.sensor_type = 0x01;
			f.trigger = 0x01;
			f.offset_mask = TH_UCR_HIGH | TH_LCR_LOW;
			f.severity = PEF_SEV_CRITICAL;
			break;
		case 2:		/* temperature non-critical */
			f.sensor_type = 0x01;
			f.trigger = 0x01;
			f.offset_mask = TH_UNC_HIGH | TH_LNC_LOW;
			f.severity = PEF_SEV_WARNING;
			break;
		case 3:		/* power supply failure (01h) or AC lost (03h) */
			f.sensor_type = 0x08;
			f.trigger = 0x6f;
			f.offset_mask = 1u << 1 | 1u << 3;
			f.severity = PEF_SEV_CRITICAL;
			break;
		default:	/* memory: uncorrectable ECC (01h) */
			f.sensor_type = 0x0c;
			f.trigger = 0x6f;
			f.offset_mask = 1u << 1;
			f.severity = PEF_SEV_CRITICAL;
			break;
		}
		if (pef_filter_encode(&f, buf, sizeof(buf)) == 0)
			memcpy(p->filter[i - 1], buf + 1, PEF_FILTER_LEN);
	}
	/* policy 1, disabled: always alert to destination 1 on the LAN */
	p->policy[0][0] = 1 << 4 | PEF_POLICY_ALWAYS;
	p->policy[0][1] = (uint8_t)(sim_pef_lan_channel(b) << 4 | 1);
	memcpy(p->community, "public", 6);
	for (i = 0; i <= SIM_LAN_DESTS; i++) {
		p->dest[i].type = LAN_DEST_PET;
		p->dest[i].timeout = 3;
		p->dest[i].retries = 3;
		p->dest[i].port = SIM_PET_PORT;
	}
	p->ip_source = 0x01;	/* static */
	p->chan_access[0] = p->chan_access[1] = ACCESS_ALWAYS;
	p->sequence = 1;
}

struct sim_pef *
sim_pef_get(struct sim_bmc *b)
{
	if (b->pef == NULL && (b->pef = malloc(sizeof(*b->pef))) != NULL)
		factory(b, b->pef);
	return b->pef;
}

void
sim_pef_free(struct sim_bmc *b)
{
	free(b->pef);
	b->pef = NULL;
}

/* --- the filter matcher (17.7, table 17-2) -------------------------------- */

/*
 * An event data byte against a filter's AND mask, compare 1 and compare 2:
 * only the bits of the AND mask count; of those, the ones set in compare
 * 1 must equal compare 2 exactly, and when there are others at least one
 * of them must equal compare 2.  An AND mask of 0 matches anything.
 */
static int
data_match(uint8_t data, const uint8_t m[3])
{
	uint8_t x = data & m[0], same = (uint8_t)~(x ^ m[2]);
	uint8_t exact = m[0] & m[1], loose = m[0] & (uint8_t)~m[1];

	if ((same & exact) != exact)
		return 0;
	if (loose != 0 && (same & loose) == 0)
		return 0;
	return 1;
}

int
sim_pef_filter_match(const struct pef_filter *f, const uint8_t rec[16])
{
	int i;

	if (rec[2] != SEL_TYPE_SYSTEM)
		return 0;	/* OEM records carry no sensor event */
	if (f->gen1 != PEF_MATCH_ANY && f->gen1 != rec[7])
		return 0;
	if (f->gen2 != PEF_MATCH_ANY && f->gen2 != rec[8])
		return 0;
	if (f->sensor_type != PEF_MATCH_ANY && f->sensor_type != rec[10])
		return 0;
	if (f->sensor_num != PEF_MATCH_ANY && f->sensor_num != rec[11])
		return 0;
	if (f->trigger != PEF_MATCH_ANY && f->trigger != (rec[12] & 0x7f))
		return 0;
	if (!(f->offset_mask & (1u << (rec[13] & 0x0f))))
		return 0;
	for (i = 0; i < 3; i++)
		if (!data_match(rec[13 + i], f->ed[i]))
			return 0;
	return 1;
}

/* --- alerts ----------------------------------------------------------------- */

static int
alerting(const struct sim_pef *p)
{
	return (p->control & PEF_CTL_ENABLE) && (p->action & PEF_ACT_ALERT) &&
	    !(p->chan_access[1] & ACCESS_NO_ALERTING);
}

/* The PET of a SEL record (PET 1.0 fields; multi-byte ones MS first is
 * the codec's business). */
static void
make_pet(struct sim_bmc *b, struct sim_pef *p, const uint8_t rec[16],
    uint8_t severity, struct pet *t)
{
	uint32_t ts = (uint32_t)rec[3] | (uint32_t)rec[4] << 8 |
	    (uint32_t)rec[5] << 16 | (uint32_t)rec[6] << 24;

	memset(t, 0, sizeof(*t));
	memcpy(t->guid, p->guid_use ? p->guid : b->guid, 16);
	t->sequence = p->sequence++;
	if (p->sequence == 0)
		p->sequence = 1;
	/* PET time counts from 1998; a pre-init SEL time stamp is unknown */
	t->timestamp = ts > PET_EPOCH_UNIX ? ts - PET_EPOCH_UNIX :
	    PET_TS_UNSPECIFIED;
	t->utc_offset = PET_UTC_UNSPECIFIED;
	t->trap_source = PET_SRC_IPMI;
	t->event_source = PET_SRC_IPMI;
	t->severity = severity;
	t->sensor_device = rec[7];
	t->sensor_number = rec[11];
	(void)sim_sensor_entity(b, rec[11], &t->entity, &t->entity_instance);
	t->event_data[0] = rec[13];
	t->event_data[1] = rec[14];
	t->event_data[2] = rec[15];
	memset(t->event_data + 3, 0xff, 5);	/* unspecified */
	t->language = PET_LANGUAGE_EN;
	t->manufacturer = b->model->manufacturer;
	t->system_id = b->model->product;
	t->oem[0] = PET_OEM_END;
	t->oem_len = 1;
	t->has_specific = 1;
	t->sensor_type = rec[10];
	t->event_type = rec[12] & 0x7f;
	t->direction = rec[12] >> 7;
	t->offset = rec[13] & 0x0f;
	t->specific = (uint32_t)pet_specific(t);
}

static void
keep_pending(struct sim_pef *p, uint64_t now, const struct sim_alert *a)
{
	const struct sim_lan_dest *d = &p->dest[a->dest];
	struct sim_pef_pending *slot = NULL;
	int i;

	for (i = 0; i < SIM_PEF_PENDING; i++)
		if (!p->pending[i].used) {
			slot = &p->pending[i];
			break;
		}
	if (slot == NULL) {
		/* full: the oldest gives way, as a BMC's small queue would */
		slot = &p->pending[0];
		for (i = 1; i < SIM_PEF_PENDING; i++)
			if (p->pending[i].next_ms < slot->next_ms)
				slot = &p->pending[i];
	}
	slot->used = 1;
	slot->tries_left = d->retries & 0x07;
	/* a timeout of 0 would resend in a loop: a second at least */
	slot->next_ms = now + 1000u * (d->timeout ? d->timeout : 1);
	slot->a = *a;
}

unsigned
sim_pef_alert(struct sim_bmc *b, uint64_t now, const uint8_t rec[16],
    struct sim_alert *out, unsigned max)
{
	struct sim_pef *p;
	uint8_t chan = sim_pef_lan_channel(b);
	unsigned n = 0, done = 0;	/* done: destinations, a bit each */
	int i, j;

	if ((p = sim_pef_get(b)) == NULL || !alerting(p))
		return 0;
	for (i = 0; i < SIM_PEF_FILTERS; i++) {
		uint8_t raw[PEF_FILTER_DATA_LEN];
		struct pef_filter f;

		raw[0] = (uint8_t)(i + 1);
		memcpy(raw + 1, p->filter[i], PEF_FILTER_LEN);
		if (pef_filter_decode(raw, sizeof(raw), &f) != 0 ||
		    !f.enabled || !(f.action & PEF_ACT_ALERT) ||
		    !sim_pef_filter_match(&f, rec))
			continue;
		for (j = 0; j < SIM_PEF_POLICIES; j++) {
			uint8_t praw[PEF_POLICY_DATA_LEN];
			struct pef_policy pol;
			const struct sim_lan_dest *d;
			struct sim_alert *a;

			praw[0] = (uint8_t)(j + 1);
			memcpy(praw + 1, p->policy[j], PEF_POLICY_LEN);
			if (pef_policy_decode(praw, sizeof(praw), &pol) != 0 ||
			    !pol.enabled || pol.number != f.policy ||
			    pol.channel != chan || pol.dest > SIM_LAN_DESTS ||
			    (done & 1u << pol.dest))
				continue;
			d = &p->dest[pol.dest];
			if ((d->type & 0x07) != LAN_DEST_PET ||
			    memcmp(d->ip, "\0\0\0\0", 4) == 0)
				continue;	/* OEM types: nothing to send */
			done |= 1u << pol.dest;
			if (n == max)
				continue;
			a = &out[n++];
			memset(a, 0, sizeof(*a));
			a->dest = pol.dest;
			memcpy(a->ip, d->ip, 4);
			a->port = d->port;
			make_pet(b, p, rec, f.severity, &a->pet);
			if (d->type & 0x80)
				keep_pending(p, now, a);
		}
	}
	return n;
}

unsigned
sim_pef_take(struct sim_bmc *b, uint64_t now, struct sim_alert *out,
    unsigned max)
{
	struct sim_pef *p = b->pef;
	struct sim_sel_view v;
	unsigned n = 0, i;

	if (p == NULL || !alerting(p)) {
		if (p != NULL)
			p->alerting = 0;
		return 0;
	}
	if (sim_store_sel_new(b, now, &p->sel_seen, &v) != 0)
		return 0;
	if (!p->alerting) {
		p->alerting = 1;	/* just turned on: from now on */
		return 0;
	}
	for (i = 0; i < v.n && n < max; i++)
		n += sim_pef_alert(b, now, v.raw + (size_t)i * SEL_ENTRY_LEN,
		    out + n, max - n);
	return n;
}

int
sim_pef_resend(struct sim_bmc *b, uint64_t now, struct sim_alert *out)
{
	struct sim_pef *p = b->pef;
	int i;

	if (p == NULL)
		return 0;
	for (i = 0; i < SIM_PEF_PENDING; i++) {
		struct sim_pef_pending *s = &p->pending[i];
		const struct sim_lan_dest *d;

		if (!s->used || s->next_ms > now)
			continue;
		if (s->tries_left == 0) {
			s->used = 0;
			b->cnt.pet_gave_up++;
			continue;
		}
		d = &p->dest[s->a.dest];
		s->tries_left--;
		s->next_ms = now + 1000u * (d->timeout ? d->timeout : 1);
		*out = s->a;
		b->cnt.pet_resent++;
		return 1;
	}
	return 0;
}

int
sim_pef_trap_encode(struct sim_bmc *b, const struct sim_alert *a,
    const uint8_t agent[4], uint32_t uptime_cs, struct buf *w)
{
	struct pet_trap t;
	struct sim_pef *p = b->pef;
	uint8_t pb[PET_VARBIND_MAX];
	struct buf vb;
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	t.version = 0;
	if (p != NULL)
		for (i = 0; i < LAN_COMMUNITY_LEN && p->community[i]; i++)
			t.community[i] = (char)p->community[i];
	else
		strcpy(t.community, "public");
	t.community_len = strlen(t.community);
	memcpy(t.enterprise, pet_enterprise_oid,
	    pet_enterprise_oid_len * sizeof(uint32_t));
	t.enterprise_len = pet_enterprise_oid_len;
	memcpy(t.agent_addr, agent, 4);
	t.generic = PET_GENERIC_ENTERPRISE;
	t.specific = (int32_t)a->pet.specific;
	t.timeticks = uptime_cs;
	buf_init_write(&vb, pb, sizeof(pb));
	if ((rc = pet_encode(&a->pet, &vb)) != 0)
		return rc;
	memcpy(t.varbind, pb, vb.len);
	t.varbind_len = vb.len;
	return pet_trap_encode(&t, w);
}

/* --- PEF commands ------------------------------------------------------------ */

#define NEED(n)	do { if (req->len != (n)) return IPMI_CC_REQ_LEN; } while (0)
#define ENC(expr) \
	do { if ((expr) != 0) return IPMI_CC_UNSPECIFIED; } while (0)

/* Parameter 0 of both: 0 complete, 1 in progress (once), 2 commit. */
static int
set_in_progress(uint8_t *state, const uint8_t *d, size_t len)
{
	uint8_t v;

	if (len != 1)
		return IPMI_CC_REQ_LEN;
	v = d[0] & 0x03;
	if (v == 3)
		return IPMI_CC_INVALID_FIELD;
	if (v == PARAM_SET_IN_PROGRESS && *state == PARAM_SET_IN_PROGRESS)
		return IPMI_CC_SET_IN_PROGRESS;
	if (v != PARAM_COMMIT_WRITE)
		*state = v;
	return IPMI_CC_OK;
}

/* A set-selected table entry: selector 1..n (0 is no entry here). */
static int
table_set(uint8_t *base, size_t entlen, unsigned n, const uint8_t *d,
    size_t len)
{
	uint8_t sel;

	if (len != 1 + entlen)
		return IPMI_CC_REQ_LEN;
	sel = d[0] & 0x7f;
	if (sel == 0 || sel > n)
		return IPMI_CC_PARAM_RANGE;
	memcpy(base + (size_t)(sel - 1) * entlen, d + 1, entlen);
	return IPMI_CC_OK;
}

static int
pef_set(struct sim_bmc *b, struct sim_pef *p, uint64_t now,
    const struct pef_set_req *q)
{
	const uint8_t *d = q->data;
	size_t len = q->len;
	int was = alerting(p), cc = IPMI_CC_OK;
	uint8_t sel;

	switch (q->param) {
	case PEF_PARAM_SET_IN_PROGRESS:
		return set_in_progress(&p->set_in_progress, d, len);
	case PEF_PARAM_CONTROL:
	case PEF_PARAM_ACTION_CONTROL:
	case PEF_PARAM_STARTUP_DELAY:
	case PEF_PARAM_ALERT_STARTUP_DELAY:
		if (len != 1)
			return IPMI_CC_REQ_LEN;
		if (q->param == PEF_PARAM_CONTROL)
			p->control = d[0] & 0x0f;
		else if (q->param == PEF_PARAM_ACTION_CONTROL)
			p->action = d[0] & 0x3f;
		else if (q->param == PEF_PARAM_STARTUP_DELAY)
			p->startup_delay = d[0];
		else
			p->alert_startup_delay = d[0];
		break;
	case PEF_PARAM_NUM_FILTERS:
	case PEF_PARAM_NUM_POLICIES:
	case 11:			/* number of alert strings */
		return IPMI_CC_READ_ONLY;
	case PEF_PARAM_FILTER:
		cc = table_set(p->filter[0], PEF_FILTER_LEN, SIM_PEF_FILTERS,
		    d, len);
		break;
	case PEF_PARAM_FILTER_DATA1:
		if (len != 2)
			return IPMI_CC_REQ_LEN;
		sel = d[0] & 0x7f;
		if (sel == 0 || sel > SIM_PEF_FILTERS)
			return IPMI_CC_PARAM_RANGE;
		p->filter[sel - 1][0] = d[1];
		break;
	case PEF_PARAM_POLICY:
		cc = table_set(p->policy[0], PEF_POLICY_LEN, SIM_PEF_POLICIES,
		    d, len);
		break;
	case PEF_PARAM_GUID:
		if (len != PEF_GUID_DATA_LEN)
			return IPMI_CC_REQ_LEN;
		p->guid_use = d[0] & 0x01;
		memcpy(p->guid, d + 1, 16);
		break;
	case 12:			/* alert string keys */
		if (len != 3)
			return IPMI_CC_REQ_LEN;
		sel = d[0] & 0x7f;
		if (sel >= SIM_PEF_STRINGS)
			return IPMI_CC_PARAM_RANGE;
		p->string_key[sel][0] = d[1] & 0x7f;
		p->string_key[sel][1] = d[2] & 0x7f;
		break;
	case 13: {			/* alert strings, 16-byte blocks */
		uint8_t blk;

		if (len < 3 || len > 18)
			return IPMI_CC_REQ_LEN;
		sel = d[0] & 0x7f;
		blk = d[1];
		if (sel >= SIM_PEF_STRINGS || blk == 0 ||
		    blk > SIM_PEF_STRING_LEN / 16)
			return IPMI_CC_PARAM_RANGE;
		memset(p->string[sel] + (blk - 1) * 16, 0, 16);
		memcpy(p->string[sel] + (blk - 1) * 16, d + 2, len - 2);
		break;
	}
	default:
		return IPMI_CC_PARAM_UNSUPPORTED;
	}
	/* turned on: alert on what the SEL gains from now on */
	if (cc == IPMI_CC_OK && !was && alerting(p)) {
		struct sim_sel_view v;

		if (sim_store_sel_new(b, now, &p->sel_seen, &v) == 0)
			p->alerting = 1;
	}
	return cc;
}

static int
pef_get(struct sim_pef *p, const struct pef_get_req *q, struct buf *w)
{
	uint8_t d[PEF_PARAM_MAX], sel = q->set & 0x7f;
	size_t n = 0;

	switch (q->param) {
	case PEF_PARAM_SET_IN_PROGRESS:
		d[n++] = p->set_in_progress;
		break;
	case PEF_PARAM_CONTROL:
		d[n++] = p->control;
		break;
	case PEF_PARAM_ACTION_CONTROL:
		d[n++] = p->action;
		break;
	case PEF_PARAM_STARTUP_DELAY:
		d[n++] = p->startup_delay;
		break;
	case PEF_PARAM_ALERT_STARTUP_DELAY:
		d[n++] = p->alert_startup_delay;
		break;
	case PEF_PARAM_NUM_FILTERS:
		d[n++] = SIM_PEF_FILTERS;
		break;
	case PEF_PARAM_FILTER:
	case PEF_PARAM_FILTER_DATA1:
		if (sel == 0 || sel > SIM_PEF_FILTERS)
			return IPMI_CC_PARAM_RANGE;
		d[n++] = sel;
		if (q->param == PEF_PARAM_FILTER_DATA1)
			d[n++] = p->filter[sel - 1][0];
		else {
			memcpy(d + n, p->filter[sel - 1], PEF_FILTER_LEN);
			n += PEF_FILTER_LEN;
		}
		break;
	case PEF_PARAM_NUM_POLICIES:
		d[n++] = SIM_PEF_POLICIES;
		break;
	case PEF_PARAM_POLICY:
		if (sel == 0 || sel > SIM_PEF_POLICIES)
			return IPMI_CC_PARAM_RANGE;
		d[n++] = sel;
		memcpy(d + n, p->policy[sel - 1], PEF_POLICY_LEN);
		n += PEF_POLICY_LEN;
		break;
	case PEF_PARAM_GUID:
		d[n++] = p->guid_use;
		memcpy(d + n, p->guid, 16);
		n += 16;
		break;
	case 11:
		d[n++] = SIM_PEF_STRINGS - 1;	/* non-volatile ones */
		break;
	case 12:
		if (sel >= SIM_PEF_STRINGS)
			return IPMI_CC_PARAM_RANGE;
		d[n++] = sel;
		d[n++] = p->string_key[sel][0];
		d[n++] = p->string_key[sel][1];
		break;
	case 13:
		if (sel >= SIM_PEF_STRINGS || q->block == 0 ||
		    q->block > SIM_PEF_STRING_LEN / 16)
			return IPMI_CC_PARAM_RANGE;
		d[n++] = sel;
		d[n++] = q->block;
		memcpy(d + n, p->string[sel] + (q->block - 1) * 16, 16);
		n += 16;
		break;
	default:
		return IPMI_CC_PARAM_UNSUPPORTED;
	}
	ENC(buf_put_u8(w, PEF_PARAM_REVISION));
	if (!q->rev_only)
		ENC(buf_put_bytes(w, d, n));
	return IPMI_CC_OK;
}

/* 30.6 Get Last Processed Event ID, from the SEL */
static int
last_id(struct sim_bmc *b, struct sim_pef *p, uint64_t now, struct buf *w)
{
	struct sim_sel_view v;
	uint32_t add_ts = 0;
	uint16_t last = 0xffff;		/* FFFFh: the SEL is empty */

	if (sim_store_sel_view(b, now, &v) != 0)
		return IPMI_CC_OUT_OF_SPACE;
	if (v.n > 0) {
		const uint8_t *r = v.raw + (size_t)(v.n - 1) * SEL_ENTRY_LEN;

		last = (uint16_t)(r[0] | r[1] << 8);
		add_ts = (uint32_t)r[3] | (uint32_t)r[4] << 8 |
		    (uint32_t)r[5] << 16 | (uint32_t)r[6] << 24;
	}
	ENC(buf_put_le32(w, add_ts));
	ENC(buf_put_le16(w, last));
	ENC(buf_put_le16(w, p->last_sw_id));
	/* the BMC processes every entry as it comes */
	ENC(buf_put_le16(w, p->last_bmc_id ? p->last_bmc_id : last));
	return IPMI_CC_OK;
}

static int
pet_ack(struct sim_bmc *b, struct sim_pef *p, const struct ipmi_msg *req)
{
	struct ipmi_pet_ack_req a;
	struct buf r;
	int i;

	NEED(PET_ACK_REQ_LEN);
	buf_init_read(&r, req->data, req->len);
	if (ipmi_pet_ack_req_decode(&r, &a) != 0)
		return IPMI_CC_REQ_LEN;
	for (i = 0; i < SIM_PEF_PENDING; i++) {
		struct sim_pef_pending *s = &p->pending[i];

		if (s->used && s->a.pet.sequence == a.sequence &&
		    s->a.pet.timestamp == a.timestamp &&
		    s->a.pet.sensor_number == a.sensor_number) {
			s->used = 0;
			b->cnt.pet_acked++;
			return IPMI_CC_OK;
		}
	}
	/* a second ack of a resent copy, or a stranger's: fine, counted */
	b->cnt.pet_ack_unknown++;
	return IPMI_CC_OK;
}

static int
pef_cmd(struct sim_bmc *b, struct sim_pef *p, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	struct buf r;

	buf_init_read(&r, req->data, req->len);
	switch (req->cmd) {
	case IPMI_CMD_GET_PEF_CAPS: {
		/* alert is the one action bmcsim takes */
		struct pef_caps_rsp c = { PEF_VERSION, PEF_ACT_ALERT,
		    SIM_PEF_FILTERS };

		NEED(0);
		ENC(pef_caps_rsp_encode(&c, w));
		return IPMI_CC_OK;
	}
	case CMD_ARM_POSTPONE:
		NEED(1);
		if (priv < IPMI_PRIV_ADMIN)
			return IPMI_CC_PRIVILEGE;
		/* FEh disables the timer, FFh reads it: no countdown here */
		if (req->data[0] != 0xff)
			p->postpone = req->data[0] == 0xfe ? 0 : req->data[0];
		ENC(buf_put_u8(w, p->postpone));
		return IPMI_CC_OK;
	case IPMI_CMD_SET_PEF_CONFIG: {
		struct pef_set_req q;

		if (priv < IPMI_PRIV_ADMIN)
			return IPMI_CC_PRIVILEGE;
		if (req->len < 1)
			return IPMI_CC_REQ_LEN;
		if (pef_set_req_decode(&r, &q) != 0)
			return IPMI_CC_REQ_TOO_LONG;
		return pef_set(b, p, now, &q);
	}
	case IPMI_CMD_GET_PEF_CONFIG: {
		struct pef_get_req q;

		NEED(3);
		if (pef_get_req_decode(&r, &q) != 0)
			return IPMI_CC_REQ_LEN;
		return pef_get(p, &q, w);
	}
	case CMD_SET_LAST_ID:
		NEED(3);
		if (priv < IPMI_PRIV_ADMIN)
			return IPMI_CC_PRIVILEGE;
		if (req->data[0] & 0x01)
			p->last_bmc_id = (uint16_t)(req->data[1] |
			    req->data[2] << 8);
		else
			p->last_sw_id = (uint16_t)(req->data[1] |
			    req->data[2] << 8);
		return IPMI_CC_OK;
	case CMD_GET_LAST_ID:
		NEED(0);
		return last_id(b, p, now, w);
	case IPMI_CMD_PET_ACK:
		return pet_ack(b, p, req);
	default:
		return -1;
	}
}

/* --- LAN configuration parameters (23.2) ------------------------------------ */

static int
dest_sel(const uint8_t *d, size_t len, size_t want)
{
	uint8_t sel;

	if (len != want)
		return -IPMI_CC_REQ_LEN;
	sel = d[0] & 0x0f;
	if (sel > SIM_LAN_DESTS)
		return -IPMI_CC_PARAM_RANGE;
	return sel;
}

static int
lan_set(struct sim_pef *p, const struct lan_set_req *q)
{
	const uint8_t *d = q->data;
	size_t len = q->len;
	struct sim_lan_dest *x;
	int sel;

	switch (q->param) {
	case LAN_PARAM_SET_IN_PROGRESS:
		return set_in_progress(&p->lan_set_in_progress, d, len);
	case 4:				/* IP address source */
		if (len != 1)
			return IPMI_CC_REQ_LEN;
		p->ip_source = d[0] & 0x0f;
		return IPMI_CC_OK;
	case 1: case 3: case 5: case 6: case 12: case LAN_PARAM_NUM_DEST:
		/* the fleet's addresses are fixed: bound sockets */
		return IPMI_CC_READ_ONLY;
	case 2:				/* auth type enables: accepted */
		return len == 5 ? IPMI_CC_OK : IPMI_CC_REQ_LEN;
	case LAN_PARAM_COMMUNITY:
		if (len != LAN_COMMUNITY_LEN)
			return IPMI_CC_REQ_LEN;
		memcpy(p->community, d, LAN_COMMUNITY_LEN);
		return IPMI_CC_OK;
	case LAN_PARAM_DEST_TYPE:
		if ((sel = dest_sel(d, len, LAN_DEST_TYPE_DATA_LEN)) < 0)
			return -sel;
		x = &p->dest[sel];
		x->type = d[1] & 0x87;
		x->timeout = d[2];
		x->retries = d[3] & 0x07;
		return IPMI_CC_OK;
	case LAN_PARAM_DEST_ADDR:
		if ((sel = dest_sel(d, len, LAN_DEST_ADDR_DATA_LEN)) < 0)
			return -sel;
		if (d[1] >> 4 != LAN_ADDR_IPV4)
			return IPMI_CC_INVALID_FIELD;
		x = &p->dest[sel];
		x->addr_format = d[1] & 0xf0;
		x->gateway = d[2] & 0x01;
		memcpy(x->ip, d + 3, 4);
		memcpy(x->mac, d + 7, 6);
		return IPMI_CC_OK;
	case LAN_PARAM_OEM_DEST_PORT:
		if ((sel = dest_sel(d, len, LAN_DEST_PORT_DATA_LEN)) < 0)
			return -sel;
		p->dest[sel].port = (uint16_t)(d[1] | d[2] << 8);
		return IPMI_CC_OK;
	default:
		return IPMI_CC_PARAM_UNSUPPORTED;
	}
}

static int
lan_get(struct sim_bmc *b, struct sim_pef *p, uint32_t addr,
    const struct lan_get_req *q, struct buf *w)
{
	uint8_t d[LAN_PARAM_MAX], sel = q->set & 0x0f;
	const struct sim_lan_dest *x;
	size_t n = 0;

	switch (q->param) {
	case LAN_PARAM_SET_IN_PROGRESS:
		d[n++] = p->lan_set_in_progress;
		break;
	case 1:				/* auth types: none, MD5, password */
		d[n++] = 0x15;
		break;
	case 2:
		memset(d, 0x14, 5);	/* MD5, password at every level */
		n = 5;
		break;
	case 3:				/* the BMC's own, MS byte first */
		d[n++] = (uint8_t)(addr >> 24);
		d[n++] = (uint8_t)(addr >> 16);
		d[n++] = (uint8_t)(addr >> 8);
		d[n++] = (uint8_t)addr;
		break;
	case 4:
		d[n++] = p->ip_source;
		break;
	case 5:		/* a locally administered MAC from the GUID */
		d[n++] = 0x02;
		memcpy(d + n, b->guid + 10, 5);
		n += 5;
		break;
	case 6:
		memcpy(d, "\xff\x00\x00\x00", 4);	/* 255.0.0.0 */
		n = 4;
		break;
	case 12:
		memcpy(d, "\x7f\x00\x00\x01", 4);
		n = 4;
		break;
	case LAN_PARAM_COMMUNITY:
		memcpy(d, p->community, LAN_COMMUNITY_LEN);
		n = LAN_COMMUNITY_LEN;
		break;
	case LAN_PARAM_NUM_DEST:
		d[n++] = SIM_LAN_DESTS;
		break;
	case LAN_PARAM_DEST_TYPE:
	case LAN_PARAM_DEST_ADDR:
	case LAN_PARAM_OEM_DEST_PORT:
		if (sel > SIM_LAN_DESTS)
			return IPMI_CC_PARAM_RANGE;
		x = &p->dest[sel];
		d[n++] = sel;
		if (q->param == LAN_PARAM_DEST_TYPE) {
			d[n++] = x->type;
			d[n++] = x->timeout;
			d[n++] = x->retries;
		} else if (q->param == LAN_PARAM_DEST_ADDR) {
			d[n++] = x->addr_format;
			d[n++] = x->gateway;
			memcpy(d + n, x->ip, 4);
			n += 4;
			memcpy(d + n, x->mac, 6);
			n += 6;
		} else {
			d[n++] = (uint8_t)x->port;
			d[n++] = (uint8_t)(x->port >> 8);
		}
		break;
	default:
		return IPMI_CC_PARAM_UNSUPPORTED;
	}
	ENC(buf_put_u8(w, LAN_PARAM_REV));
	if (!q->rev_only)
		ENC(buf_put_bytes(w, d, n));
	return IPMI_CC_OK;
}

static int
our_lan(const struct sim_bmc *b, uint8_t ch)
{
	return ch == CHAN_SELF || ch == sim_pef_lan_channel(b);
}

static int
lan_cmd(struct sim_bmc *b, struct sim_pef *p, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	struct buf r;

	buf_init_read(&r, req->data, req->len);
	if (req->cmd == IPMI_CMD_SET_LAN_CONFIG) {
		struct lan_set_req q;

		if (priv < IPMI_PRIV_ADMIN)
			return IPMI_CC_PRIVILEGE;
		if (req->len < 2)
			return IPMI_CC_REQ_LEN;
		if (lan_set_req_decode(&r, &q) != 0)
			return IPMI_CC_REQ_TOO_LONG;
		if (!our_lan(b, q.channel))
			return IPMI_CC_INVALID_FIELD;
		return lan_set(p, &q);
	}
	if (req->cmd == IPMI_CMD_GET_LAN_CONFIG) {
		struct lan_get_req q;

		NEED(4);
		if (lan_get_req_decode(&r, &q) != 0)
			return IPMI_CC_REQ_LEN;
		if (!our_lan(b, q.channel))
			return IPMI_CC_INVALID_FIELD;
		return lan_get(b, p, b->addr, &q, w);
	}
	return -1;
}

/* 22.24 Get Channel Info: IPMB 0, the LAN channel, the system interface */
static int
channel_info(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct chan_info_req q;
	struct chan_info_rsp c;
	struct buf r;
	uint8_t lan = sim_pef_lan_channel(b);

	NEED(1);
	buf_init_read(&r, req->data, req->len);
	if (chan_info_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if (q.channel == CHAN_SELF)
		q.channel = lan;
	memset(&c, 0, sizeof(c));
	c.channel = q.channel;
	c.iana = IANA_IPMI;
	if (q.channel == lan) {
		c.medium = CHAN_MEDIUM_LAN;
		c.protocol = 0x01;	/* IPMB-1.0, as LAN channels say */
		c.sessions = 0x02;	/* multi-session */
	} else if (q.channel == 0) {
		c.medium = CHAN_MEDIUM_IPMB;
		c.protocol = 0x01;
	} else if (q.channel == CHAN_SYSTEM) {
		c.medium = CHAN_MEDIUM_SYSTEM;
		c.protocol = 0x05;	/* KCS */
	} else
		return IPMI_CC_INVALID_FIELD;
	ENC(chan_info_rsp_encode(&c, w));
	return IPMI_CC_OK;
}

/*
 * 22.22 Set Channel Access: byte 2 [7:6] 00b leaves access alone, 01b
 * sets non-volatile, 10b volatile; byte 3 the privilege limit (ignored:
 * always admin).  22.23 Get Channel Access: byte 2 [7:6] 01b
 * non-volatile, 10b volatile.
 */
static int
channel_access(struct sim_bmc *b, struct sim_pef *p, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	uint8_t ch, how, v;

	if (req->len < 2)
		return IPMI_CC_REQ_LEN;
	ch = req->data[0] & 0x0f;
	if (!our_lan(b, ch))
		return IPMI_CC_INVALID_FIELD;
	how = req->data[1] >> 6;
	if (req->cmd == CMD_GET_CHANNEL_ACCESS) {
		NEED(2);
		if (how != 1 && how != 2)
			return IPMI_CC_INVALID_FIELD;
		ENC(buf_put_u8(w, p->chan_access[how - 1]));
		ENC(buf_put_u8(w, IPMI_PRIV_ADMIN));
		return IPMI_CC_OK;
	}
	NEED(3);
	if (priv < IPMI_PRIV_ADMIN)
		return IPMI_CC_PRIVILEGE;
	v = req->data[1] & 0x3f;
	if (how == 1 || how == 2)
		p->chan_access[how - 1] = v;
	/* a non-volatile setting is also loaded now, as after a reboot */
	if (how == 1)
		p->chan_access[1] = v;
	return IPMI_CC_OK;
}

int
sim_pef_handle(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, struct buf *w)
{
	struct sim_pef *p;
	int ours;

	ours = (req->netfn == IPMI_NETFN_SENSOR &&
	    ((req->cmd >= IPMI_CMD_GET_PEF_CAPS &&
	    req->cmd <= CMD_GET_LAST_ID) || req->cmd == IPMI_CMD_PET_ACK)) ||
	    (req->netfn == IPMI_NETFN_TRANSPORT &&
	    (req->cmd == IPMI_CMD_SET_LAN_CONFIG ||
	    req->cmd == IPMI_CMD_GET_LAN_CONFIG)) ||
	    (req->netfn == IPMI_NETFN_APP &&
	    (req->cmd == IPMI_CMD_GET_CHANNEL_INFO ||
	    req->cmd == CMD_SET_CHANNEL_ACCESS ||
	    req->cmd == CMD_GET_CHANNEL_ACCESS));
	if (!ours)
		return -1;
	if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_CHANNEL_INFO)
		return channel_info(b, req, w);
	if ((p = sim_pef_get(b)) == NULL)
		return IPMI_CC_OUT_OF_SPACE;
	if (req->netfn == IPMI_NETFN_APP)
		return channel_access(b, p, priv, req, w);
	if (req->netfn == IPMI_NETFN_TRANSPORT)
		return lan_cmd(b, p, priv, req, w);
	return pef_cmd(b, p, now, priv, req, w);
}
