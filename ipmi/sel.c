#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "evtab.h"
#include "ipmi.h"
#include "sel.h"
#include "sensor.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

/* --- 31.2, 31.4, 31.5, 31.9, 31.10 ------------------------------------ */

int
ipmi_sel_info_rsp_encode(const struct ipmi_sel_info_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->version));
	PUT(buf_put_le16(b, r->entries));
	PUT(buf_put_le16(b, r->free));
	PUT(buf_put_le32(b, r->add_ts));
	PUT(buf_put_le32(b, r->erase_ts));
	PUT(buf_put_u8(b, r->support));
	return 0;
}

int
ipmi_sel_info_rsp_decode(struct buf *b, struct ipmi_sel_info_rsp *r)
{
	memset(r, 0, sizeof(*r));
	GET(buf_get_u8(b, &r->version));
	GET(buf_get_le16(b, &r->entries));
	GET(buf_get_le16(b, &r->free));
	GET(buf_get_le32(b, &r->add_ts));
	GET(buf_get_le32(b, &r->erase_ts));
	GET(buf_get_u8(b, &r->support));
	return 0;
}

int
ipmi_sel_reserve_rsp_encode(uint16_t resv, struct buf *b)
{
	PUT(buf_put_le16(b, resv));
	return 0;
}

int
ipmi_sel_reserve_rsp_decode(struct buf *b, uint16_t *resv)
{
	GET(buf_get_le16(b, resv));
	return 0;
}

int
ipmi_get_sel_req_encode(const struct ipmi_get_sel_req *r, struct buf *b)
{
	PUT(buf_put_le16(b, r->resv));
	PUT(buf_put_le16(b, r->id));
	PUT(buf_put_u8(b, r->offset));
	PUT(buf_put_u8(b, r->count));
	return 0;
}

int
ipmi_get_sel_req_decode(struct buf *b, struct ipmi_get_sel_req *r)
{
	GET(buf_get_le16(b, &r->resv));
	GET(buf_get_le16(b, &r->id));
	GET(buf_get_u8(b, &r->offset));
	GET(buf_get_u8(b, &r->count));
	return 0;
}

int
ipmi_get_sel_rsp_encode(const struct ipmi_get_sel_rsp *r, struct buf *b)
{
	PUT(buf_put_le16(b, r->next));
	if (r->len > 0)
		PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
ipmi_get_sel_rsp_decode(struct buf *b, struct ipmi_get_sel_rsp *r)
{
	GET(buf_get_le16(b, &r->next));
	r->len = buf_left(b);
	r->data = buf_cur(b);
	(void)buf_skip(b, r->len);
	return 0;
}

static const uint8_t clr[3] = { 'C', 'L', 'R' };

int
ipmi_clear_sel_req_encode(const struct ipmi_clear_sel_req *r, struct buf *b)
{
	PUT(buf_put_le16(b, r->resv));
	PUT(buf_put_bytes(b, clr, sizeof(clr)));
	PUT(buf_put_u8(b, r->action));
	return 0;
}

int
ipmi_clear_sel_req_decode(struct buf *b, struct ipmi_clear_sel_req *r)
{
	uint8_t letters[3];

	GET(buf_get_le16(b, &r->resv));
	GET(buf_get_bytes(b, letters, sizeof(letters)));
	GET(buf_get_u8(b, &r->action));
	if (memcmp(letters, clr, sizeof(clr)) != 0)
		return IPMI_E_MALFORMED;
	if (r->action != SEL_CLEAR_STATUS && r->action != SEL_CLEAR_INITIATE)
		return IPMI_E_MALFORMED;
	return 0;
}

int
ipmi_clear_sel_rsp_encode(uint8_t progress, struct buf *b)
{
	PUT(buf_put_u8(b, progress & 0x0f));
	return 0;
}

int
ipmi_clear_sel_rsp_decode(struct buf *b, uint8_t *progress)
{
	uint8_t v;

	GET(buf_get_u8(b, &v));
	*progress = v & 0x0f;
	return 0;
}

int
ipmi_sel_time_rsp_encode(uint32_t ts, struct buf *b)
{
	PUT(buf_put_le32(b, ts));
	return 0;
}

int
ipmi_sel_time_rsp_decode(struct buf *b, uint32_t *ts)
{
	GET(buf_get_le32(b, ts));
	return 0;
}

/* --- entries ---------------------------------------------------------- */

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
set_timestamp(struct sel_entry *e, const uint8_t *p)
{
	e->has_timestamp = 1;
	e->timestamp = le32(p);
	e->pre_init = e->timestamp <= SEL_TS_PRE_INIT;
}

int
sel_decode(const uint8_t *p, size_t len, struct sel_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (len < SEL_ENTRY_LEN)
		return IPMI_E_SHORT;
	memcpy(e->raw, p, SEL_ENTRY_LEN);
	e->id = (uint16_t)(p[0] | p[1] << 8);
	e->type = p[2];
	if (e->type == SEL_TYPE_SYSTEM) {
		e->kind = SEL_KIND_SYSTEM;
		set_timestamp(e, p + 3);
		e->generator = (uint16_t)(p[7] | p[8] << 8);
		e->gen_id = p[7] >> 1;
		e->gen_software = p[7] & 1;
		e->gen_channel = p[8] >> 4;
		e->gen_lun = p[8] & 3;
		e->evm_rev = p[9];
		e->sensor_type = p[10];
		e->sensor_number = p[11];
		e->direction = p[12] >> 7;
		e->event_type = p[12] & 0x7f;
		memcpy(e->data, p + 13, 3);
		e->offset = p[13] & 0x0f;
		e->data2_use = p[13] >> 6;
		e->data3_use = (p[13] >> 4) & 3;
	} else if (e->type >= SEL_TYPE_OEM) {
		e->kind = SEL_KIND_OEM;
		e->oem_len = 13;
		memcpy(e->oem, p + 3, 13);
	} else if (e->type >= SEL_TYPE_OEM_TS) {
		e->kind = SEL_KIND_OEM_TS;
		set_timestamp(e, p + 3);
		e->manufacturer = (uint32_t)p[7] | (uint32_t)p[8] << 8 |
		    (uint32_t)p[9] << 16;
		e->oem_len = 6;
		memcpy(e->oem, p + 10, 6);
	} else {
		e->kind = SEL_KIND_UNKNOWN;
		e->unknown = 1;
	}
	return 0;
}

const char *
sel_kind_name(int kind)
{
	switch (kind) {
	case SEL_KIND_SYSTEM:	return "System Event";
	case SEL_KIND_OEM_TS:	return "OEM timestamped";
	case SEL_KIND_OEM:	return "OEM non-timestamped";
	default:		return "Unknown";
	}
}

/* --- severity --------------------------------------------------------- */

#define I	SEL_SEV_INFO
#define W	SEL_SEV_WARNING
#define C	SEL_SEV_CRITICAL

/* Assertions by offset 0-15; offsets past a row's end are info (0). */
static const uint8_t sev_threshold[16] = {
	W, I, C, W, C, C, I, W, W, C, C, C,
};

static const struct {
	uint8_t	sensor_type;
	uint8_t	sev[16];
} sev_specific[] = {
	{ 0x05, { W } },				/* physical security */
	{ 0x07, { C, C, C, C, C, C, C, I, I, I, W, C, W } }, /* processor */
	{ 0x08, { I, C, W, C, C, W, W } },		/* power supply */
	{ 0x09, { I, I, W, W, C, C, C, W } },		/* power unit */
	{ 0x0c, { W, C, C, C, W, W, I, W, I, W, C } },	/* memory */
	{ 0x0d, { I, C, W, I, I, C, C, I, W } },	/* drive slot */
	{ 0x0f, { W, W } },				/* firmware progress */
	{ 0x10, { I, I, I, I, W } },			/* event logging */
	{ 0x13, { W, W, C, I, C, C, I, W, C, C, C, W } }, /* critical intr. */
	{ 0x20, { C, C } },				/* OS stop */
};

static const struct {
	uint8_t	event_type;
	uint8_t	sev[16];
} sev_generic[] = {
	{ 0x04, { I, W } },				/* predictive failure */
	{ 0x05, { I, C } },				/* limit */
	{ 0x06, { I, W } },				/* performance */
	{ 0x07, { I, W, C, C, W, C, C } },		/* severity */
	{ 0x0a, { I, I, I, I, I, I, W, I, W } },	/* availability */
	{ 0x0b, { I, W, W, W, W, C, W, W } },		/* redundancy */
};

#undef I
#undef W
#undef C

int
sel_severity(const struct sel_entry *e)
{
	size_t i;

	if (e->kind != SEL_KIND_SYSTEM || e->direction != 0)
		return SEL_SEV_INFO;
	if (e->event_type == IPMI_EVT_THRESHOLD)
		return sev_threshold[e->offset];
	if (e->event_type == IPMI_EVT_SENSOR_SPECIFIC) {
		for (i = 0; i < sizeof(sev_specific) / sizeof(sev_specific[0]);
		    i++)
			if (sev_specific[i].sensor_type == e->sensor_type)
				return sev_specific[i].sev[e->offset];
		return SEL_SEV_INFO;
	}
	for (i = 0; i < sizeof(sev_generic) / sizeof(sev_generic[0]); i++)
		if (sev_generic[i].event_type == e->event_type)
			return sev_generic[i].sev[e->offset];
	return SEL_SEV_INFO;
}

static const char *const severity_names[] = {
	[SEL_SEV_INFO] = "info",
	[SEL_SEV_WARNING] = "warning",
	[SEL_SEV_CRITICAL] = "critical",
};

const char *
sel_severity_name(int s)
{
	if (s < 0 || (size_t)s >= sizeof(severity_names) /
	    sizeof(severity_names[0]))
		return "unknown";
	return severity_names[s];
}

int
sel_severity_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]);
	    i++)
		if (strcasecmp(s, severity_names[i]) == 0)
			return (int)i;
	return -1;
}

/* --- descriptions ----------------------------------------------------- */

size_t
sel_describe(const struct sel_entry *e, char *out, size_t len)
{
	const char *s;
	int n;

	switch (e->kind) {
	case SEL_KIND_SYSTEM:
		s = ipmi_event_string(e->event_type, e->sensor_type, e->offset);
		n = snprintf(out, len, "%s", s != NULL ? s : "");
		break;
	case SEL_KIND_OEM_TS:
	case SEL_KIND_OEM:
		n = snprintf(out, len, "OEM record %02x", e->type);
		break;
	default:
		n = snprintf(out, len, "Unknown record type 0x%02x", e->type);
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

int
sel_threshold_raw(const struct sel_entry *e, uint8_t *reading,
    uint8_t *threshold)
{
	int have = 0;

	if (e->kind != SEL_KIND_SYSTEM || e->event_type != IPMI_EVT_THRESHOLD)
		return IPMI_E_INVAL;
	if (e->data2_use == SEL_DATA_TRIGGER) {
		if (reading != NULL)
			*reading = e->data[1];
		have |= SEL_TV_READING;
	}
	if (e->data3_use == SEL_DATA_TRIGGER) {
		if (threshold != NULL)
			*threshold = e->data[2];
		have |= SEL_TV_THRESHOLD;
	}
	return have;
}

static int
convert(const struct sdr_factors *f, uint8_t raw, double *v)
{
	double d;

	if (f == NULL)
		d = raw;
	else if (sensor_convert(f, raw, &d) != 0)
		return 0;
	if (v != NULL)
		*v = d;
	return 1;
}

int
sel_threshold_values(const struct sel_entry *e, const struct sdr_factors *f,
    double *reading, double *threshold)
{
	uint8_t r = 0, t = 0;
	int have, out = 0;

	if ((have = sel_threshold_raw(e, &r, &t)) < 0)
		return have;
	if ((have & SEL_TV_READING) && convert(f, r, reading))
		out |= SEL_TV_READING;
	if ((have & SEL_TV_THRESHOLD) && convert(f, t, threshold))
		out |= SEL_TV_THRESHOLD;
	return out;
}

char
sel_threshold_cmp(const struct sel_entry *e)
{
	int high = (e->offset & 1) != 0;	/* 29.5 offsets: odd = high */

	return high != (e->direction != 0) ? '>' : '<';
}

/* --- the walker ------------------------------------------------------- */

static const char *const walk_state_names[] = {
	[SEL_WALK_INFO] = "info",
	[SEL_WALK_INFO_WAIT] = "info-wait",
	[SEL_WALK_RESERVE] = "reserve",
	[SEL_WALK_RESERVE_WAIT] = "reserve-wait",
	[SEL_WALK_READ] = "read",
	[SEL_WALK_READ_WAIT] = "read-wait",
	[SEL_WALK_DONE] = "done",
	[SEL_WALK_FAILED] = "failed",
};

const char *
sel_walk_state_name(int s)
{
	if (s < 0 || (size_t)s >= sizeof(walk_state_names) /
	    sizeof(walk_state_names[0]))
		return "unknown";
	return walk_state_names[s];
}

void
sel_walk_init(struct sel_walk *w, uint8_t *buf, size_t cap, int flags)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = buf == NULL ? 0 : cap;
	w->flags = flags;
	w->count = SEL_READ_ALL;
	w->limit = SEL_MAX_RECORDS;
	w->state = SEL_WALK_INFO;
}

static int
walk_fail(struct sel_walk *w, int err, uint8_t cc)
{
	w->state = SEL_WALK_FAILED;
	w->err = err;
	w->cc = cc;
	return err;
}

static int
seen(const struct sel_walk *w, uint16_t id)
{
	for (unsigned i = 0; i < w->nseen; i++)
		if (w->seen[i] == id)
			return 1;
	return 0;
}

static void
mark(struct sel_walk *w, uint16_t id)
{
	if (w->nseen < SEL_SEEN_IDS && !seen(w, id))
		w->seen[w->nseen++] = id;
}

static void
req_start(struct ipmi_req *req, uint8_t cmd)
{
	memset(req, 0, sizeof(*req));
	req->netfn = IPMI_NETFN_STORAGE;
	req->cmd = cmd;
}

static int
room(const struct sel_walk *w)
{
	return w->cap - w->len >= SEL_ENTRY_LEN;
}

int
sel_walk_next(struct sel_walk *w, struct ipmi_req *req)
{
	struct ipmi_get_sel_req rq;
	struct buf b;

	switch (w->state) {
	case SEL_WALK_INFO:
		req_start(req, IPMI_CMD_GET_SEL_INFO);
		w->state = SEL_WALK_INFO_WAIT;
		w->requests++;
		return IPMI_WALK_SEND;
	case SEL_WALK_RESERVE:
		req_start(req, IPMI_CMD_RESERVE_SEL);
		w->state = SEL_WALK_RESERVE_WAIT;
		w->requests++;
		return IPMI_WALK_SEND;
	case SEL_WALK_READ:
		rq.resv = w->resv;
		rq.id = w->id;
		rq.offset = 0;
		rq.count = w->count;
		req_start(req, IPMI_CMD_GET_SEL_ENTRY);
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_get_sel_req_encode(&rq, &b);
		req->len = b.len;
		w->state = SEL_WALK_READ_WAIT;
		w->requests++;
		return IPMI_WALK_SEND;
	case SEL_WALK_DONE:
		return IPMI_WALK_DONE;
	case SEL_WALK_FAILED:
		return w->err;
	default:
		/* next() again before feed(): the caller lost an answer */
		return walk_fail(w, IPMI_E_INVAL, 0);
	}
}

static int
feed_info(struct sel_walk *w, uint8_t cc, const uint8_t *data, size_t len)
{
	struct buf b;
	unsigned lim;

	if (cc != IPMI_CC_OK)
		return walk_fail(w, IPMI_E_CC, cc);
	buf_init_read(&b, data, len);
	if (ipmi_sel_info_rsp_decode(&b, &w->info) != 0)
		return walk_fail(w, IPMI_E_SHORT, 0);
	w->have_info = 1;
	lim = (unsigned)w->info.entries + SEL_EXTRA_RECORDS;
	w->limit = lim < SEL_MAX_RECORDS ? lim : SEL_MAX_RECORDS;
	if ((w->flags & SEL_WALK_INFO_ONLY) || w->info.entries == 0) {
		w->state = SEL_WALK_DONE;
		return 0;
	}
	w->id = SEL_ID_FIRST;
	mark(w, w->id);
	if (!room(w)) {
		w->truncated = 1;
		w->next = w->id;
		w->state = SEL_WALK_DONE;
	} else if (w->info.support & SEL_SUP_RESERVE) {
		w->state = SEL_WALK_RESERVE;
	} else {
		w->state = SEL_WALK_READ;	/* whole reads need none */
	}
	return 0;
}

static int
feed_reserve(struct sel_walk *w, uint8_t cc, const uint8_t *data,
    size_t len)
{
	struct buf b;

	if (cc == IPMI_CC_INVALID_CMD) {
		/* no reservations here: whole-entry reads take ID 0 */
		w->resv = 0;
	} else if (cc != IPMI_CC_OK) {
		return walk_fail(w, IPMI_E_CC, cc);
	} else {
		buf_init_read(&b, data, len);
		if (ipmi_sel_reserve_rsp_decode(&b, &w->resv) != 0)
			return walk_fail(w, IPMI_E_SHORT, 0);
	}
	w->state = SEL_WALK_READ;
	return 0;
}

/* An entry is in buf[len..len+16): keep it, go on or finish. */
static int
record_done(struct sel_walk *w)
{
	uint16_t rid;

	rid = (uint16_t)(w->buf[w->len] | w->buf[w->len + 1] << 8);
	/* the entry may carry another ID than asked (the first one does) */
	mark(w, rid);
	w->len += SEL_ENTRY_LEN;
	w->nrecords++;
	if (w->next == SEL_ID_LAST) {
		w->state = SEL_WALK_DONE;
		return 0;
	}
	if (seen(w, w->next)) {
		w->why = "the next-record chain loops back";
		return walk_fail(w, IPMI_E_MALFORMED, 0);
	}
	if (w->nrecords >= w->limit) {
		w->why = "the next-record chain runs past the entries Get "
		    "SEL Info gave";
		return walk_fail(w, IPMI_E_MALFORMED, 0);
	}
	if (!room(w)) {
		w->truncated = 1;
		w->state = SEL_WALK_DONE;
		return 0;
	}
	w->id = w->next;
	mark(w, w->id);
	w->state = SEL_WALK_READ;
	return 0;
}

static int
feed_read(struct sel_walk *w, uint8_t cc, const uint8_t *data, size_t len)
{
	struct ipmi_get_sel_rsp rsp;
	struct buf b;

	switch (cc) {
	case IPMI_CC_OK:
		break;
	case IPMI_CC_RESERVATION:
		/* the log changed under us: reserve and ask again */
		if (w->reserves >= SEL_RESERVE_RETRIES)
			return walk_fail(w, IPMI_E_CC, cc);
		w->reserves++;
		w->state = SEL_WALK_RESERVE;
		return 0;
	case IPMI_CC_REQ_LEN:
	case IPMI_CC_REQ_TOO_LONG:
	case IPMI_CC_CANT_RETURN:
	case IPMI_CC_UNSPECIFIED:
		/* "the whole entry" refused: ask for its 16 bytes */
		if (w->count != SEL_READ_ALL)
			return walk_fail(w, IPMI_E_CC, cc);
		w->count = SEL_ENTRY_LEN;
		w->state = SEL_WALK_READ;
		return 0;
	case IPMI_CC_NOT_PRESENT:
		if (w->nrecords == 0 && w->id == SEL_ID_FIRST) {
			w->state = SEL_WALK_DONE;
			return 0;
		}
		return walk_fail(w, IPMI_E_CC, cc);
	default:
		return walk_fail(w, IPMI_E_CC, cc);
	}
	buf_init_read(&b, data, len);
	if (ipmi_get_sel_rsp_decode(&b, &rsp) != 0)
		return walk_fail(w, IPMI_E_SHORT, 0);
	if (rsp.len < SEL_ENTRY_LEN) {
		w->why = "an entry shorter than 16 bytes";
		return walk_fail(w, IPMI_E_MALFORMED, 0);
	}
	memcpy(w->buf + w->len, rsp.data, SEL_ENTRY_LEN);
	w->next = rsp.next;
	return record_done(w);
}

int
sel_walk_feed(struct sel_walk *w, uint8_t cc, const uint8_t *data,
    size_t len)
{
	switch (w->state) {
	case SEL_WALK_INFO_WAIT:
		return feed_info(w, cc, data, len);
	case SEL_WALK_RESERVE_WAIT:
		return feed_reserve(w, cc, data, len);
	case SEL_WALK_READ_WAIT:
		return feed_read(w, cc, data, len);
	case SEL_WALK_FAILED:
		return w->err;
	default:
		return walk_fail(w, IPMI_E_INVAL, 0);
	}
}

/* --- clearing --------------------------------------------------------- */

static const char *const clear_state_names[] = {
	[SEL_CLEAR_RESERVE] = "reserve",
	[SEL_CLEAR_RESERVE_WAIT] = "reserve-wait",
	[SEL_CLEAR_ERASE] = "erase",
	[SEL_CLEAR_ERASE_WAIT] = "erase-wait",
	[SEL_CLEAR_POLL] = "poll",
	[SEL_CLEAR_STATUS_WAIT] = "status-wait",
	[SEL_CLEAR_DONE] = "done",
	[SEL_CLEAR_FAILED] = "failed",
};

const char *
sel_clear_state_name(int s)
{
	if (s < 0 || (size_t)s >= sizeof(clear_state_names) /
	    sizeof(clear_state_names[0]))
		return "unknown";
	return clear_state_names[s];
}

void
sel_clear_init(struct sel_clear *c)
{
	memset(c, 0, sizeof(*c));
	c->state = SEL_CLEAR_RESERVE;
}

static int
clear_fail(struct sel_clear *c, int err, uint8_t cc)
{
	c->state = SEL_CLEAR_FAILED;
	c->err = err;
	c->cc = cc;
	return err;
}

int
sel_clear_next(struct sel_clear *c, struct ipmi_req *req)
{
	struct ipmi_clear_sel_req rq;
	struct buf b;

	switch (c->state) {
	case SEL_CLEAR_RESERVE:
		req_start(req, IPMI_CMD_RESERVE_SEL);
		c->state = SEL_CLEAR_RESERVE_WAIT;
		c->requests++;
		return IPMI_WALK_SEND;
	case SEL_CLEAR_ERASE:
	case SEL_CLEAR_POLL:
		rq.resv = c->resv;
		rq.action = c->state == SEL_CLEAR_ERASE ? SEL_CLEAR_INITIATE :
		    SEL_CLEAR_STATUS;
		req_start(req, IPMI_CMD_CLEAR_SEL);
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_clear_sel_req_encode(&rq, &b);
		req->len = b.len;
		c->state = c->state == SEL_CLEAR_ERASE ? SEL_CLEAR_ERASE_WAIT :
		    SEL_CLEAR_STATUS_WAIT;
		c->requests++;
		return IPMI_WALK_SEND;
	case SEL_CLEAR_DONE:
		return IPMI_WALK_DONE;
	case SEL_CLEAR_FAILED:
		return c->err;
	default:
		return clear_fail(c, IPMI_E_INVAL, 0);
	}
}

/* After a reservation: erase, or ask again how the erase is going. */
static enum sel_clear_state
clear_resume(const struct sel_clear *c)
{
	return c->initiated ? SEL_CLEAR_POLL : SEL_CLEAR_ERASE;
}

static int
clear_progress(struct sel_clear *c, uint8_t progress)
{
	if (progress == SEL_ERASE_COMPLETED) {
		c->state = SEL_CLEAR_DONE;
		return 0;
	}
	if (c->polls >= SEL_CLEAR_POLLS)
		return clear_fail(c, IPMI_E_TIMEOUT, 0);
	c->state = SEL_CLEAR_POLL;
	return 0;
}

int
sel_clear_feed(struct sel_clear *c, uint8_t cc, const uint8_t *data,
    size_t len)
{
	struct buf b;
	uint8_t progress;

	switch (c->state) {
	case SEL_CLEAR_RESERVE_WAIT:
		if (cc == IPMI_CC_INVALID_CMD) {
			c->resv = 0;
		} else if (cc != IPMI_CC_OK) {
			return clear_fail(c, IPMI_E_CC, cc);
		} else {
			buf_init_read(&b, data, len);
			if (ipmi_sel_reserve_rsp_decode(&b, &c->resv) != 0)
				return clear_fail(c, IPMI_E_SHORT, 0);
		}
		c->state = clear_resume(c);
		return 0;
	case SEL_CLEAR_ERASE_WAIT:
	case SEL_CLEAR_STATUS_WAIT:
		if (cc == IPMI_CC_RESERVATION) {
			if (c->reserves >= SEL_RESERVE_RETRIES)
				return clear_fail(c, IPMI_E_CC, cc);
			c->reserves++;
			c->state = SEL_CLEAR_RESERVE;
			return 0;
		}
		if (cc != IPMI_CC_OK)
			return clear_fail(c, IPMI_E_CC, cc);
		buf_init_read(&b, data, len);
		if (c->state == SEL_CLEAR_ERASE_WAIT) {
			c->initiated = 1;
			if (ipmi_clear_sel_rsp_decode(&b, &progress) != 0)
				progress = SEL_ERASE_IN_PROGRESS;
			return clear_progress(c, progress);
		}
		if (ipmi_clear_sel_rsp_decode(&b, &progress) != 0)
			return clear_fail(c, IPMI_E_SHORT, 0);
		if (progress != SEL_ERASE_COMPLETED)
			c->polls++;
		return clear_progress(c, progress);
	case SEL_CLEAR_FAILED:
		return c->err;
	default:
		return clear_fail(c, IPMI_E_INVAL, 0);
	}
}
