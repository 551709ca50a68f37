#include <stdio.h>
#include <string.h>

#include "ipmi.h"
#include "sdr.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

/* --- 33.9, 33.11, 33.12 ----------------------------------------------- */

int
ipmi_sdr_info_rsp_encode(const struct ipmi_sdr_info_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->version));
	PUT(buf_put_le16(b, r->count));
	PUT(buf_put_le16(b, r->free));
	PUT(buf_put_le32(b, r->add_ts));
	PUT(buf_put_le32(b, r->erase_ts));
	PUT(buf_put_u8(b, r->support));
	return 0;
}

int
ipmi_sdr_info_rsp_decode(struct buf *b, struct ipmi_sdr_info_rsp *r)
{
	memset(r, 0, sizeof(*r));
	GET(buf_get_u8(b, &r->version));
	GET(buf_get_le16(b, &r->count));
	GET(buf_get_le16(b, &r->free));
	GET(buf_get_le32(b, &r->add_ts));
	GET(buf_get_le32(b, &r->erase_ts));
	GET(buf_get_u8(b, &r->support));
	return 0;
}

int
ipmi_sdr_reserve_rsp_encode(uint16_t resv, struct buf *b)
{
	PUT(buf_put_le16(b, resv));
	return 0;
}

int
ipmi_sdr_reserve_rsp_decode(struct buf *b, uint16_t *resv)
{
	GET(buf_get_le16(b, resv));
	return 0;
}

int
ipmi_get_sdr_req_encode(const struct ipmi_get_sdr_req *r, struct buf *b)
{
	PUT(buf_put_le16(b, r->resv));
	PUT(buf_put_le16(b, r->id));
	PUT(buf_put_u8(b, r->offset));
	PUT(buf_put_u8(b, r->count));
	return 0;
}

int
ipmi_get_sdr_req_decode(struct buf *b, struct ipmi_get_sdr_req *r)
{
	GET(buf_get_le16(b, &r->resv));
	GET(buf_get_le16(b, &r->id));
	GET(buf_get_u8(b, &r->offset));
	GET(buf_get_u8(b, &r->count));
	return 0;
}

int
ipmi_get_sdr_rsp_encode(const struct ipmi_get_sdr_rsp *r, struct buf *b)
{
	PUT(buf_put_le16(b, r->next));
	if (r->len > 0)
		PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
ipmi_get_sdr_rsp_decode(struct buf *b, struct ipmi_get_sdr_rsp *r)
{
	GET(buf_get_le16(b, &r->next));
	r->len = buf_left(b);
	r->data = buf_cur(b);
	(void)buf_skip(b, r->len);
	return 0;
}

/* --- the walker ------------------------------------------------------- */

static const char *const walk_state_names[] = {
	[SDR_WALK_INFO] = "info",
	[SDR_WALK_INFO_WAIT] = "info-wait",
	[SDR_WALK_RESERVE] = "reserve",
	[SDR_WALK_RESERVE_WAIT] = "reserve-wait",
	[SDR_WALK_READ] = "read",
	[SDR_WALK_READ_WAIT] = "read-wait",
	[SDR_WALK_DONE] = "done",
	[SDR_WALK_FAILED] = "failed",
};

const char *
sdr_walk_state_name(int s)
{
	if (s < 0 || (size_t)s >= sizeof(walk_state_names) /
	    sizeof(walk_state_names[0]))
		return "unknown";
	return walk_state_names[s];
}

void
sdr_walk_init(struct sdr_walk *w, uint8_t *buf, size_t cap, int flags)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = buf == NULL ? 0 : cap;
	w->flags = flags;
	w->chunk = SDR_CHUNK;
	w->want = SDR_HDR_LEN;
	w->limit = SDR_MAX_RECORDS;
	w->state = SDR_WALK_INFO;
}

static int
walk_fail(struct sdr_walk *w, int err, uint8_t cc)
{
	w->state = SDR_WALK_FAILED;
	w->err = err;
	w->cc = cc;
	return err;
}

static int
seen(const struct sdr_walk *w, uint16_t id)
{
	return (w->seen[id >> 3] >> (id & 7)) & 1;
}

static void
mark(struct sdr_walk *w, uint16_t id)
{
	w->seen[id >> 3] |= (uint8_t)(1 << (id & 7));
}

static void
req_start(struct ipmi_req *req, uint8_t cmd)
{
	memset(req, 0, sizeof(*req));
	req->netfn = IPMI_NETFN_STORAGE;
	req->cmd = cmd;
}

int
sdr_walk_next(struct sdr_walk *w, struct ipmi_req *req)
{
	struct ipmi_get_sdr_req rq;
	struct buf b;
	size_t n;

	switch (w->state) {
	case SDR_WALK_INFO:
		req_start(req, IPMI_CMD_GET_SDR_REPO_INFO);
		w->state = SDR_WALK_INFO_WAIT;
		w->requests++;
		return IPMI_WALK_SEND;
	case SDR_WALK_RESERVE:
		req_start(req, IPMI_CMD_RESERVE_SDR_REPO);
		w->state = SDR_WALK_RESERVE_WAIT;
		w->requests++;
		return IPMI_WALK_SEND;
	case SDR_WALK_READ:
		/* the offset is one byte: no record longer than 255 + chunk */
		if (w->got > 0xff) {
			w->why = "longer than 255 bytes";
			return walk_fail(w, IPMI_E_MALFORMED, 0);
		}
		n = w->want - w->got;
		if (n > w->chunk)
			n = w->chunk;
		rq.resv = w->resv;
		rq.id = w->id;
		rq.offset = (uint8_t)w->got;
		rq.count = (uint8_t)n;
		req_start(req, IPMI_CMD_GET_SDR);
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_get_sdr_req_encode(&rq, &b);
		req->len = b.len;
		w->asked = n;
		w->state = SDR_WALK_READ_WAIT;
		w->requests++;
		return IPMI_WALK_SEND;
	case SDR_WALK_DONE:
		return IPMI_WALK_DONE;
	case SDR_WALK_FAILED:
		return w->err;
	default:
		/* next() again before feed(): the caller lost an answer */
		return walk_fail(w, IPMI_E_INVAL, 0);
	}
}

static int
feed_info(struct sdr_walk *w, uint8_t cc, const uint8_t *data, size_t len)
{
	struct buf b;
	unsigned lim;

	if (cc != IPMI_CC_OK)
		return walk_fail(w, IPMI_E_CC, cc);
	buf_init_read(&b, data, len);
	if (ipmi_sdr_info_rsp_decode(&b, &w->info) != 0)
		return walk_fail(w, IPMI_E_SHORT, 0);
	w->have_info = 1;
	lim = (unsigned)w->info.count + SDR_EXTRA_RECORDS;
	w->limit = lim < SDR_MAX_RECORDS ? lim : SDR_MAX_RECORDS;
	if ((w->flags & SDR_WALK_INFO_ONLY) || w->info.count == 0)
		w->state = SDR_WALK_DONE;
	else
		w->state = SDR_WALK_RESERVE;
	return 0;
}

static int
feed_reserve(struct sdr_walk *w, uint8_t cc, const uint8_t *data,
    size_t len)
{
	struct buf b;

	if (cc == IPMI_CC_INVALID_CMD) {
		/* no reservations here: reads from offset 0 take ID 0 */
		w->resv = 0;
	} else if (cc != IPMI_CC_OK) {
		return walk_fail(w, IPMI_E_CC, cc);
	} else {
		buf_init_read(&b, data, len);
		if (ipmi_sdr_reserve_rsp_decode(&b, &w->resv) != 0)
			return walk_fail(w, IPMI_E_SHORT, 0);
	}
	if (w->nrecords == 0 && w->got == 0 && !seen(w, w->id))
		mark(w, w->id);
	w->state = SDR_WALK_READ;
	return 0;
}

/* A record is in: keep it, and go on to the next one or finish. */
static int
record_done(struct sdr_walk *w)
{
	uint16_t rid;

	rid = (uint16_t)(w->buf[w->len] | w->buf[w->len + 1] << 8);
	/* the record may carry another ID than asked (the first one does) */
	mark(w, rid);
	w->len += w->got;
	w->nrecords++;
	w->got = 0;
	w->want = SDR_HDR_LEN;
	if (w->next == SDR_ID_LAST) {
		w->state = SDR_WALK_DONE;
		return 0;
	}
	if (seen(w, w->next)) {
		w->why = "the next-record chain loops back";
		return walk_fail(w, IPMI_E_MALFORMED, 0);
	}
	if (w->nrecords >= w->limit) {
		w->why = "the next-record chain runs past the record count";
		return walk_fail(w, IPMI_E_MALFORMED, 0);
	}
	w->id = w->next;
	mark(w, w->id);
	w->state = SDR_WALK_READ;
	return 0;
}

static int
feed_read(struct sdr_walk *w, uint8_t cc, const uint8_t *data, size_t len)
{
	struct ipmi_get_sdr_rsp rsp;
	struct buf b;
	size_t n;

	switch (cc) {
	case IPMI_CC_OK:
		break;
	case IPMI_CC_RESERVATION:
		/* someone changed the repository: reserve and start over */
		if (w->reserves >= SDR_RESERVE_RETRIES)
			return walk_fail(w, IPMI_E_CC, cc);
		w->reserves++;
		w->got = 0;
		w->want = SDR_HDR_LEN;
		w->state = SDR_WALK_RESERVE;
		return 0;
	case IPMI_CC_REQ_LEN:
	case IPMI_CC_REQ_TOO_LONG:
	case IPMI_CC_CANT_RETURN:
	case IPMI_CC_UNSPECIFIED:
		/* the answer would not fit in one message: ask for less */
		if (w->asked <= 1)
			return walk_fail(w, IPMI_E_CC, cc);
		w->chunk = w->asked / 2;
		w->state = SDR_WALK_READ;
		return 0;
	case IPMI_CC_NOT_PRESENT:
		if (w->nrecords == 0 && w->got == 0 && w->id == SDR_ID_FIRST) {
			w->state = SDR_WALK_DONE;
			return 0;
		}
		return walk_fail(w, IPMI_E_CC, cc);
	default:
		return walk_fail(w, IPMI_E_CC, cc);
	}
	buf_init_read(&b, data, len);
	if (ipmi_get_sdr_rsp_decode(&b, &rsp) != 0)
		return walk_fail(w, IPMI_E_SHORT, 0);
	if (rsp.len == 0) {
		w->why = w->got < SDR_HDR_LEN ? "no data where its header "
		    "belongs" : "no data where its header claims more";
		return walk_fail(w, IPMI_E_MALFORMED, 0);
	}
	n = rsp.len < w->asked ? rsp.len : w->asked;
	if (w->cap - w->len < w->got + n)
		return walk_fail(w, IPMI_E_NOSPACE, 0);
	memcpy(w->buf + w->len + w->got, rsp.data, n);
	if (w->got == 0)
		w->next = rsp.next;	/* from the answer that has the header */
	w->got += n;
	if (w->got == SDR_HDR_LEN && w->want == SDR_HDR_LEN)
		w->want = SDR_HDR_LEN + w->buf[w->len + 4];
	if (w->got < w->want) {
		w->state = SDR_WALK_READ;
		return 0;
	}
	return record_done(w);
}

int
sdr_walk_feed(struct sdr_walk *w, uint8_t cc, const uint8_t *data,
    size_t len)
{
	switch (w->state) {
	case SDR_WALK_INFO_WAIT:
		return feed_info(w, cc, data, len);
	case SDR_WALK_RESERVE_WAIT:
		return feed_reserve(w, cc, data, len);
	case SDR_WALK_READ_WAIT:
		return feed_read(w, cc, data, len);
	case SDR_WALK_FAILED:
		return w->err;
	default:
		return walk_fail(w, IPMI_E_INVAL, 0);
	}
}

int
sdr_next_record(const uint8_t *buf, size_t len, size_t *off,
    const uint8_t **rec, size_t *reclen)
{
	size_t left, n;

	if (*off >= len)
		return 0;
	left = len - *off;
	if (left < SDR_HDR_LEN)
		return IPMI_E_SHORT;
	n = SDR_HDR_LEN + (size_t)buf[*off + 4];
	if (n > left)
		return IPMI_E_SHORT;
	*rec = buf + *off;
	*reclen = n;
	*off += n;
	return 1;
}

/* --- ID strings (43.15) ----------------------------------------------- */

static void
text_put(struct sdr_id *id, size_t *n, const char *s, size_t k)
{
	if (*n + k >= sizeof(id->text))
		return;		/* cannot happen for 16 bytes; stay safe */
	memcpy(id->text + *n, s, k);
	*n += k;
	id->text[*n] = '\0';
}

static void
put_latin1(struct sdr_id *id, size_t *n, uint8_t c)
{
	char u[2];

	if (c >= 0x20 && c < 0x7f) {
		u[0] = (char)c;
		text_put(id, n, u, 1);
	} else if (c >= 0xa0) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		text_put(id, n, u, 2);
	} else {
		text_put(id, n, "?", 1);
	}
}

static void
decode_id(struct sdr_id *id, const uint8_t *p, size_t avail)
{
	static const char bcd[] = "0123456789 -.???";
	uint8_t c, typelen = p[0];
	size_t claimed = typelen & 0x1f, len, i, n = 0, nch;
	uint32_t v;
	char ch;

	memset(id, 0, sizeof(*id));
	id->typelen = typelen;
	id->enc = (uint8_t)(typelen >> 6);
	avail--;
	len = claimed;
	if (len > avail) {
		len = avail;
		id->truncated = 1;
	}
	if (len > SDR_ID_LEN_MAX) {
		len = SDR_ID_LEN_MAX;
		id->truncated = 1;
	}
	id->len = (uint8_t)len;
	p++;
	switch (id->enc) {
	case SDR_ID_BCDPLUS:
		for (i = 0; i < len; i++) {
			text_put(id, &n, &bcd[p[i] >> 4], 1);
			text_put(id, &n, &bcd[p[i] & 0xf], 1);
		}
		break;
	case SDR_ID_ASCII6:
		nch = len * 8 / 6;
		for (i = 0; i < nch; i++) {
			size_t bit = i * 6, byte = bit / 8;

			v = p[byte];
			if (byte + 1 < len)
				v |= (uint32_t)p[byte + 1] << 8;
			ch = (char)(0x20 + ((v >> (bit % 8)) & 0x3f));
			text_put(id, &n, &ch, 1);
		}
		break;
	default:
		for (i = 0; i < len; i++) {
			if ((c = p[i]) == 0)
				break;
			put_latin1(id, &n, c);
		}
		break;
	}
}

/* --- records ---------------------------------------------------------- */

static int16_t
s10(unsigned ls, unsigned ms2)
{
	int v = (int)((ms2 & 3) << 8 | (ls & 0xff));

	return (int16_t)(v & 0x200 ? v - 0x400 : v);
}

static int8_t
s4(unsigned v)
{
	v &= 0xf;
	return (int8_t)(v & 8 ? (int)v - 16 : (int)v);
}

/* Bytes 6-10 of full, compact and event-only records (p is the record). */
static void
sensor_key(struct sdr_sensor *s, const uint8_t *p)
{
	s->owner_id = p[5];
	s->owner_lun = p[6] & 3;
	s->channel = p[6] >> 4;
	s->number = p[7];
	s->entity_id = p[8];
	s->entity_instance = p[9] & 0x7f;
	s->entity_logical = p[9] >> 7;
}

/* Record sharing bytes (43.2 bytes 24-25, 43.3 bytes 13-14). */
static void
sensor_share(struct sdr_sensor *s, const uint8_t *p)
{
	s->direction = p[0] >> 6;
	s->mod_type = (p[0] >> 4) & 3;
	s->share_count = p[0] & 0x0f;
	if (s->share_count == 0)
		s->share_count = 1;	/* 0 is read as a single sensor */
	s->entity_shared = p[1] >> 7;
	s->mod_offset = p[1] & 0x7f;
}

/* Bytes 11-23 of full and compact records. */
static void
sensor_common(struct sdr_sensor *s, const uint8_t *p)
{
	s->init = p[10];
	s->caps = p[11];
	s->sensor_type = p[12];
	s->event_type = p[13];
	s->assert_mask = (uint16_t)(p[14] | p[15] << 8);
	s->deassert_mask = (uint16_t)(p[16] | p[17] << 8);
	s->reading_mask = (uint16_t)(p[18] | p[19] << 8);
	s->units1 = p[20];
	s->base_unit = p[21];
	s->mod_unit = p[22];
}

/* The fixed part of each type, header included, before the ID string. */
#define FULL_FIXED	48
#define COMPACT_FIXED	32
#define EVONLY_FIXED	17
#define LOCATOR_FIXED	16

static int
decode_full(struct sdr_record *r, const uint8_t *p, size_t n)
{
	struct sdr_sensor *s = &r->u.sensor;
	struct sdr_factors *f = &s->factors;

	if (n < FULL_FIXED)
		return IPMI_E_SHORT;
	sensor_key(s, p);
	sensor_common(s, p);
	s->share_count = 1;
	s->has_analog = 1;
	f->format = (uint8_t)SDR_UNITS_FORMAT(s->units1);
	f->linear = p[23] & 0x7f;
	f->m = s10(p[24], p[25] >> 6);
	f->tolerance = p[25] & 0x3f;
	f->b = s10(p[26], p[27] >> 6);
	f->accuracy = (uint16_t)((p[27] & 0x3f) | (p[28] >> 4) << 6);
	f->accuracy_exp = (p[28] >> 2) & 3;
	s->direction = p[28] & 3;
	f->k2 = s4(p[29] >> 4);
	f->k1 = s4(p[29]);
	s->ac_flags = p[30];
	s->nominal = p[31];
	s->normal_max = p[32];
	s->normal_min = p[33];
	s->sensor_max = p[34];
	s->sensor_min = p[35];
	s->thresh[SDR_TH_UNR] = p[36];
	s->thresh[SDR_TH_UCR] = p[37];
	s->thresh[SDR_TH_UNC] = p[38];
	s->thresh[SDR_TH_LNR] = p[39];
	s->thresh[SDR_TH_LCR] = p[40];
	s->thresh[SDR_TH_LNC] = p[41];
	s->hyst_pos = p[42];
	s->hyst_neg = p[43];
	s->oem = p[46];
	decode_id(&s->id, p + 47, n - 47);
	return 0;
}

static int
decode_compact(struct sdr_record *r, const uint8_t *p, size_t n)
{
	struct sdr_sensor *s = &r->u.sensor;

	if (n < COMPACT_FIXED)
		return IPMI_E_SHORT;
	sensor_key(s, p);
	sensor_common(s, p);
	sensor_share(s, p + 23);
	s->hyst_pos = p[25];
	s->hyst_neg = p[26];
	s->oem = p[30];
	decode_id(&s->id, p + 31, n - 31);
	return 0;
}

static int
decode_event_only(struct sdr_record *r, const uint8_t *p, size_t n)
{
	struct sdr_sensor *s = &r->u.sensor;

	if (n < EVONLY_FIXED)
		return IPMI_E_SHORT;
	sensor_key(s, p);
	s->sensor_type = p[10];
	s->event_type = p[11];
	sensor_share(s, p + 12);
	s->oem = p[15];
	decode_id(&s->id, p + 16, n - 16);
	return 0;
}

static int
decode_fru_locator(struct sdr_record *r, const uint8_t *p, size_t n)
{
	struct sdr_fru_locator *l = &r->u.fru;

	if (n < LOCATOR_FIXED)
		return IPMI_E_SHORT;
	l->access_addr = p[5];
	l->fru_id = p[6];
	l->logical = p[7] >> 7;
	l->access_lun = (p[7] >> 3) & 3;
	l->bus = p[7] & 7;
	l->channel = p[8] >> 4;
	l->dev_type = p[10];
	l->dev_type_mod = p[11];
	l->entity_id = p[12];
	l->entity_instance = p[13];
	l->oem = p[14];
	decode_id(&l->id, p + 15, n - 15);
	return 0;
}

static int
decode_mc_locator(struct sdr_record *r, const uint8_t *p, size_t n)
{
	struct sdr_mc_locator *m = &r->u.mc;

	if (n < LOCATOR_FIXED)
		return IPMI_E_SHORT;
	m->addr = p[5];
	m->channel = p[6] & 0x0f;
	m->power_flags = p[7];
	m->caps = p[8];
	m->entity_id = p[12];
	m->entity_instance = p[13];
	m->oem = p[14];
	decode_id(&m->id, p + 15, n - 15);
	return 0;
}

int
sdr_decode(const uint8_t *p, size_t len, struct sdr_record *r)
{
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len < SDR_HDR_LEN)
		return IPMI_E_SHORT;
	r->id = (uint16_t)(p[0] | p[1] << 8);
	r->version = p[2];
	r->type = p[3];
	r->len = p[4];
	n = SDR_HDR_LEN + (size_t)r->len;
	if (n > len)
		return IPMI_E_SHORT;
	memcpy(r->raw, p, n);
	r->rawlen = n;
	switch (r->type) {
	case SDR_TYPE_FULL:
		rc = decode_full(r, p, n);
		break;
	case SDR_TYPE_COMPACT:
		rc = decode_compact(r, p, n);
		break;
	case SDR_TYPE_EVENT_ONLY:
		rc = decode_event_only(r, p, n);
		break;
	case SDR_TYPE_FRU_LOCATOR:
		rc = decode_fru_locator(r, p, n);
		break;
	case SDR_TYPE_MC_LOCATOR:
		rc = decode_mc_locator(r, p, n);
		break;
	default:
		return 0;
	}
	if (rc == 0)
		r->decoded = 1;
	return rc;
}

const char *
sdr_type_name(uint8_t type)
{
	switch (type) {
	case SDR_TYPE_FULL:		return "Full Sensor";
	case SDR_TYPE_COMPACT:		return "Compact Sensor";
	case SDR_TYPE_EVENT_ONLY:	return "Event-Only Sensor";
	case SDR_TYPE_ENTITY_ASSOC:	return "Entity Association";
	case SDR_TYPE_DEV_ENTITY_ASSOC:	return "Device-relative Entity Association";
	case SDR_TYPE_GENERIC_LOCATOR:	return "Generic Device Locator";
	case SDR_TYPE_FRU_LOCATOR:	return "FRU Device Locator";
	case SDR_TYPE_MC_LOCATOR:	return "Management Controller Device Locator";
	case SDR_TYPE_MC_CONFIRM:	return "Management Controller Confirmation";
	case SDR_TYPE_BMC_CHANNEL:	return "BMC Message Channel Info";
	default:
		return type >= SDR_TYPE_OEM ? "OEM" : "Unknown";
	}
}

int
sdr_is_sensor(const struct sdr_record *r)
{
	return r->type == SDR_TYPE_FULL || r->type == SDR_TYPE_COMPACT ||
	    r->type == SDR_TYPE_EVENT_ONLY;
}

void
sdr_iter_init(struct sdr_iter *it, const uint8_t *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->buf = buf;
	it->len = len;
}

int
sdr_iter_next(struct sdr_iter *it, struct sdr_record *out)
{
	const uint8_t *raw;
	size_t rlen;

	for (;;) {
		/* the rest of a shared record first */
		if (it->next > 0) {
			if (it->next < it->rec.u.sensor.share_count &&
			    sdr_expand(&it->rec, it->next, out) == 0) {
				it->next++;
				return 1;
			}
			it->next = 0;
		}
		if (sdr_next_record(it->buf, it->len, &it->off, &raw, &rlen) !=
		    1)
			return 0;
		if (sdr_decode(raw, rlen, &it->rec) != 0 || !it->rec.decoded)
			continue;
		if (!sdr_is_sensor(&it->rec) || it->rec.u.sensor.share_count <= 1) {
			*out = it->rec;
			return 1;
		}
		if (sdr_expand(&it->rec, 0, out) == 0) {
			it->next = 1;
			return 1;
		}
	}
}

int
sdr_expand(const struct sdr_record *in, unsigned i, struct sdr_record *out)
{
	const struct sdr_sensor *s = &in->u.sensor;
	struct sdr_sensor *o;
	char suf[16];
	unsigned v;
	size_t n, k, sl;

	if (!in->decoded || (in->type != SDR_TYPE_FULL &&
	    in->type != SDR_TYPE_COMPACT && in->type != SDR_TYPE_EVENT_ONLY))
		return IPMI_E_INVAL;
	if (i >= s->share_count)
		return IPMI_E_INVAL;
	*out = *in;
	o = &out->u.sensor;
	o->share_count = 1;
	if (in->type == SDR_TYPE_FULL)
		return 0;
	o->number = (uint8_t)(s->number + i);
	if (s->entity_shared)
		o->entity_instance = (uint8_t)((s->entity_instance + i) & 0x7f);
	v = s->mod_offset + i;
	if (s->mod_type == SDR_MOD_ALPHA) {
		/* A..Z, then AA..ZZ, as spreadsheet columns */
		char tmp[8];

		k = 0;
		do {
			tmp[k++] = (char)('A' + v % 26);
			v = v / 26;
		} while (v-- > 0 && k < sizeof(tmp));
		for (sl = 0; sl < k; sl++)
			suf[sl] = tmp[k - 1 - sl];
		suf[k] = '\0';
	} else {
		(void)snprintf(suf, sizeof(suf), "%u", v);
	}
	n = strlen(o->id.text);
	sl = strlen(suf);
	if (n + sl < sizeof(o->id.text))
		memcpy(o->id.text + n, suf, sl + 1);
	return 0;
}

void
sdr_repo_key(const struct sdr_repo_id *k, char *out, size_t len)
{
	snprintf(out, len, "%u:%u:%u.%02u:%02x%02x%02x%02x:%u:%u:%u",
	    k->manufacturer, k->product, k->fw_major, k->fw_minor, k->aux[0],
	    k->aux[1], k->aux[2], k->aux[3], k->count, k->add_ts, k->erase_ts);
}

size_t
sdr_walk_bytes(uint16_t count)
{
	size_t n = (size_t)count + SDR_EXTRA_RECORDS;

	if (n > SDR_MAX_RECORDS)
		n = SDR_MAX_RECORDS;
	return n * SDR_RECORD_MAX;
}
