#include <string.h>

#include "fru.h"
#include "ipmi.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

/* FRU spec 8: 1996-01-01 00:00 UTC, the epoch of the board mfg. date */
#define FRU_EPOCH_1996	820454400

/* --- 34.1 Get FRU Inventory Area Info, 34.2 Read FRU Data ------------- */

int
ipmi_fru_info_req_encode(uint8_t dev_id, struct buf *b)
{
	PUT(buf_put_u8(b, dev_id));
	return 0;
}

int
ipmi_fru_info_req_decode(struct buf *b, uint8_t *dev_id)
{
	GET(buf_get_u8(b, dev_id));
	return 0;
}

int
ipmi_fru_info_rsp_encode(const struct ipmi_fru_info_rsp *r, struct buf *b)
{
	PUT(buf_put_le16(b, r->size));
	PUT(buf_put_u8(b, r->words ? 0x01 : 0x00));
	return 0;
}

int
ipmi_fru_info_rsp_decode(struct buf *b, struct ipmi_fru_info_rsp *r)
{
	uint8_t acc;

	GET(buf_get_le16(b, &r->size));
	GET(buf_get_u8(b, &acc));
	r->words = (acc & 0x01) != 0;
	return 0;
}

int
ipmi_fru_read_req_encode(const struct ipmi_fru_read_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->dev_id));
	PUT(buf_put_le16(b, r->offset));
	PUT(buf_put_u8(b, r->count));
	return 0;
}

int
ipmi_fru_read_req_decode(struct buf *b, struct ipmi_fru_read_req *r)
{
	GET(buf_get_u8(b, &r->dev_id));
	GET(buf_get_le16(b, &r->offset));
	GET(buf_get_u8(b, &r->count));
	return 0;
}

int
ipmi_fru_read_rsp_encode(const struct ipmi_fru_read_rsp *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->count));
	if (r->len > 0)
		PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
ipmi_fru_read_rsp_decode(struct buf *b, struct ipmi_fru_read_rsp *r)
{
	GET(buf_get_u8(b, &r->count));
	r->len = buf_left(b);
	r->data = buf_cur(b);
	(void)buf_skip(b, r->len);
	return 0;
}

/* --- the reader ------------------------------------------------------- */

void
fru_read_init(struct fru_read *r, uint8_t dev_id, uint8_t *buf, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->dev_id = dev_id;
	r->buf = buf;
	r->cap = cap > FRU_IMAGE_MAX ? FRU_IMAGE_MAX : cap;
	r->chunk = FRU_READ_CHUNK;
	r->state = FRU_READ_INFO;
}

static int
read_fail(struct fru_read *r, int err, uint8_t cc)
{
	r->state = FRU_READ_FAILED;
	r->err = err;
	r->cc = cc;
	return err;
}

int
fru_read_next(struct fru_read *r, struct ipmi_req *req)
{
	struct ipmi_fru_read_req rq;
	struct buf b;
	size_t left, n;

	switch (r->state) {
	case FRU_READ_INFO:
		memset(req, 0, sizeof(*req));
		req->netfn = IPMI_NETFN_STORAGE;
		req->cmd = IPMI_CMD_GET_FRU_INFO;
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_fru_info_req_encode(r->dev_id, &b);
		req->len = b.len;
		r->state = FRU_READ_INFO_WAIT;
		r->requests++;
		return IPMI_WALK_SEND;
	case FRU_READ_DATA:
		left = r->want - r->len;
		n = r->chunk < left ? r->chunk : left;
		/* a word device reads whole words: round up, copy only want */
		if (r->words && (n & 1))
			n++;
		rq.dev_id = r->dev_id;
		rq.offset = (uint16_t)(r->words ? r->len / 2 : r->len);
		rq.count = (uint8_t)(r->words ? n / 2 : n);
		memset(req, 0, sizeof(*req));
		req->netfn = IPMI_NETFN_STORAGE;
		req->cmd = IPMI_CMD_READ_FRU;
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_fru_read_req_encode(&rq, &b);
		req->len = b.len;
		r->asked = n;
		r->state = FRU_READ_DATA_WAIT;
		r->requests++;
		return IPMI_WALK_SEND;
	case FRU_READ_DONE:
		return IPMI_WALK_DONE;
	case FRU_READ_FAILED:
		return r->err;
	default:
		/* next() again before feed(): the caller lost an answer */
		return read_fail(r, IPMI_E_INVAL, 0);
	}
}

static int
feed_info(struct fru_read *r, uint8_t cc, const uint8_t *data, size_t len)
{
	struct ipmi_fru_info_rsp info;
	struct buf b;

	if (cc != IPMI_CC_OK)
		return read_fail(r, IPMI_E_CC, cc);
	buf_init_read(&b, data, len);
	if (ipmi_fru_info_rsp_decode(&b, &info) != 0)
		return read_fail(r, IPMI_E_SHORT, 0);
	r->area_size = info.size;
	r->words = info.words;
	r->want = info.size;
	if (r->want > r->cap) {
		r->want = r->cap;
		r->truncated = 1;
	}
	if (r->words && r->chunk > 1)
		r->chunk &= ~(size_t)1;
	r->state = r->want == 0 ? FRU_READ_DONE : FRU_READ_DATA;
	return 0;
}

/*
 * The completion codes with which BMCs refuse a chunk that is too large
 * for them: C7h/C8h (request data length), CAh (cannot return the number
 * of bytes asked, 34.2), and FFh from some firmware.
 */
static int
cc_too_big(uint8_t cc)
{
	return cc == IPMI_CC_REQ_LEN || cc == IPMI_CC_REQ_TOO_LONG ||
	    cc == IPMI_CC_CANT_RETURN || cc == IPMI_CC_UNSPECIFIED;
}

static int
feed_data(struct fru_read *r, uint8_t cc, const uint8_t *data, size_t len)
{
	struct ipmi_fru_read_rsp rsp;
	struct buf b;
	size_t n, min = r->words ? 2 : 1;

	if (cc == IPMI_CC_FRU_BUSY || cc == IPMI_CC_NODE_BUSY ||
	    cc_too_big(cc)) {
		if (++r->retries > FRU_READ_RETRIES)
			return read_fail(r, IPMI_E_CC, cc);
		if (cc_too_big(cc)) {
			if (r->asked <= min)
				return read_fail(r, IPMI_E_CC, cc);
			/* from the size just refused, not the nominal chunk */
			n = r->asked > 8 ? r->asked - 8 : r->asked / 2;
			if (r->words)
				n &= ~(size_t)1;
			r->chunk = n < min ? min : n;
		}
		r->state = FRU_READ_DATA;
		return 0;
	}
	if (cc != IPMI_CC_OK)
		return read_fail(r, IPMI_E_CC, cc);
	buf_init_read(&b, data, len);
	if (ipmi_fru_read_rsp_decode(&b, &rsp) != 0)
		return read_fail(r, IPMI_E_SHORT, 0);
	/* the count is a claim: take the least of it, what came, and asked */
	n = r->words ? (size_t)rsp.count * 2 : rsp.count;
	if (n > rsp.len)
		n = rsp.len;
	if (n > r->asked)
		n = r->asked;
	if (n > r->want - r->len)
		n = r->want - r->len;
	else if (r->words)
		n &= ~(size_t)1;	/* keep the next offset on a word */
	if (n == 0)
		return read_fail(r, IPMI_E_MALFORMED, 0);
	memcpy(r->buf + r->len, rsp.data, n);
	r->len += n;
	/* a short answer tells the size this BMC can return */
	if (n < r->asked && r->len < r->want)
		r->chunk = n;
	r->state = r->len >= r->want ? FRU_READ_DONE : FRU_READ_DATA;
	return 0;
}

int
fru_read_feed(struct fru_read *r, uint8_t cc, const uint8_t *data,
    size_t len)
{
	switch (r->state) {
	case FRU_READ_INFO_WAIT:
		return feed_info(r, cc, data, len);
	case FRU_READ_DATA_WAIT:
		return feed_data(r, cc, data, len);
	case FRU_READ_FAILED:
		return r->err;
	default:
		return read_fail(r, IPMI_E_INVAL, 0);
	}
}

/* --- the decoder ------------------------------------------------------ */

static void
problem(struct fru *f, int area, int kind, size_t offset)
{
	struct fru_problem *p;

	if (f->nproblems == FRU_PROBLEM_MAX) {
		f->problems_dropped++;
		return;
	}
	p = &f->problems[f->nproblems++];
	p->area = (uint8_t)area;
	p->kind = (uint8_t)kind;
	p->offset = (uint16_t)(offset > 0xffff ? 0xffff : offset);
}

static uint8_t
sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* Zero checksum (FRU spec 17): all bytes, checksum included, sum to 0. */
static int
sum_ok(const uint8_t *p, size_t n)
{
	return sum8(p, n) == 0;
}

static void
text_put(struct fru_field *fl, size_t *n, const char *s, size_t k)
{
	if (*n + k >= sizeof(fl->text)) {
		fl->truncated = 1;
		return;
	}
	memcpy(fl->text + *n, s, k);
	*n += k;
	fl->text[*n] = '\0';
}

/* FRU spec 13: the data of one type/length field, to text */
static void
field_text(struct fru_field *fl, uint8_t enc, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	static const char bcd[] = "0123456789 -.???";
	char c[2];
	size_t i, n = 0, nch, bit;
	unsigned v;

	fl->present = 1;
	fl->enc = enc;
	fl->len = (uint8_t)len;
	fl->truncated = 0;
	fl->text[0] = '\0';
	switch (enc) {
	case FRU_ENC_BINARY:
		for (i = 0; i < len; i++) {
			c[0] = hex[p[i] >> 4];
			c[1] = hex[p[i] & 0x0f];
			text_put(fl, &n, c, 2);
		}
		break;
	case FRU_ENC_BCDPLUS:
		for (i = 0; i < len; i++) {
			text_put(fl, &n, &bcd[p[i] >> 4], 1);
			text_put(fl, &n, &bcd[p[i] & 0x0f], 1);
		}
		break;
	case FRU_ENC_ASCII6:
		/* 13.1.1: 6-bit codes from 20h, packed from the low bits */
		nch = len * 8 / 6;
		for (i = 0; i < nch; i++) {
			bit = i * 6;
			v = p[bit / 8] >> (bit % 8);
			if (bit % 8 > 2)
				v |= (unsigned)p[bit / 8 + 1] << (8 - bit % 8);
			c[0] = (char)((v & 0x3f) + 0x20);
			text_put(fl, &n, c, 1);
		}
		break;
	default:
		for (i = 0; i < len && p[i] != 0; i++) {
			if (p[i] < 0x20 || (p[i] >= 0x7f && p[i] < 0xa0)) {
				text_put(fl, &n, "?", 1);
			} else if (p[i] < 0x80) {
				c[0] = (char)p[i];
				text_put(fl, &n, c, 1);
			} else {
				c[0] = (char)(0xc0 | p[i] >> 6);
				c[1] = (char)(0x80 | (p[i] & 0x3f));
				text_put(fl, &n, c, 2);
			}
		}
		break;
	}
}

/* One info area's bounds, as far as the data goes. */
struct area {
	int		 id;
	size_t		 start;		/* first byte (the version) */
	size_t		 end;		/* one past the last field byte */
	size_t		 pos;
	const uint8_t	*img;
};

/*
 * Check an area's header, length and checksum.  Returns 0 with *a set to
 * the field bytes that can be read, or -1 when nothing can be.
 */
static int
area_open(struct fru *f, const uint8_t *img, size_t len, int id, size_t off,
    struct area *a)
{
	size_t alen;

	if (off + 2 > len) {
		problem(f, id, FRU_PROB_OFFSET, off);
		return -1;
	}
	if ((img[off] & 0x0f) != 1)
		problem(f, id, FRU_PROB_VERSION, off);
	alen = (size_t)img[off + 1] * 8;
	if (alen == 0) {
		problem(f, id, FRU_PROB_LENGTH, off + 1);
		return -1;
	}
	a->id = id;
	a->img = img;
	a->start = off;
	a->pos = off + 2;
	if (off + alen > len) {
		/* no checksum to check: read the fields that arrived */
		problem(f, id, FRU_PROB_TRUNCATED, len);
		a->end = len;
	} else {
		if (!sum_ok(img + off, alen))
			problem(f, id, FRU_PROB_CHECKSUM, off + alen - 1);
		a->end = off + alen - 1;	/* the checksum byte */
	}
	return 0;
}

/*
 * The next type/length field.  Returns 1 with the field decoded, 0 at the
 * C1h end mark, -1 when the area ends without one or the field runs past
 * it (the problem is recorded; fields before it stay).
 */
static int
area_field(struct fru *f, struct area *a, struct fru_field *fl)
{
	uint8_t tl;
	size_t n;

	if (a->pos >= a->end) {
		problem(f, a->id, FRU_PROB_NO_END, a->pos);
		return -1;
	}
	tl = a->img[a->pos];
	if (tl == 0xc1)
		return 0;
	n = tl & 0x3f;
	if (a->pos + 1 + n > a->end) {
		problem(f, a->id, FRU_PROB_FIELD, a->pos);
		return -1;
	}
	field_text(fl, tl >> 6, a->img + a->pos + 1, n);
	a->pos += 1 + n;
	return 1;
}

/* The fixed fields in order, then custom fields up to C1h. */
static void
area_fields(struct fru *f, struct area *a, struct fru_field **fixed,
    size_t nfixed, struct fru_field *custom, size_t *ncustom)
{
	struct fru_field spare, *fl;
	size_t i;
	int over = 0;

	for (i = 0; i < nfixed; i++)
		if (area_field(f, a, fixed[i]) <= 0)
			return;
	for (*ncustom = 0;;) {
		fl = *ncustom < FRU_CUSTOM_MAX ? &custom[*ncustom] : &spare;
		if (area_field(f, a, fl) <= 0)
			return;
		if (fl != &spare)
			(*ncustom)++;
		else if (!over++)
			problem(f, a->id, FRU_PROB_TOO_MANY, a->pos);
	}
}

static void
decode_chassis(struct fru *f, const uint8_t *img, size_t len, size_t off)
{
	struct fru_chassis *c = &f->chassis;
	struct fru_field *fixed[] = { &c->part, &c->serial };
	struct area a;

	if (area_open(f, img, len, FRU_AREA_CHASSIS, off, &a) != 0)
		return;
	c->present = 1;
	/* FRU spec 10: version, length, chassis type, then the fields */
	if (a.pos >= a.end) {
		problem(f, a.id, FRU_PROB_NO_END, a.pos);
		return;
	}
	c->type = img[a.pos++];
	area_fields(f, &a, fixed, 2, c->custom, &c->ncustom);
}

static void
decode_board(struct fru *f, const uint8_t *img, size_t len, size_t off)
{
	struct fru_board *bd = &f->board;
	struct fru_field *fixed[] = { &bd->mfr, &bd->product, &bd->serial,
	    &bd->part, &bd->file_id };
	struct area a;
	uint32_t m;

	if (area_open(f, img, len, FRU_AREA_BOARD, off, &a) != 0)
		return;
	bd->present = 1;
	/* FRU spec 11: language, 3 bytes of minutes (LS first), fields */
	if (a.pos + 4 > a.end) {
		problem(f, a.id, FRU_PROB_NO_END, a.pos);
		return;
	}
	bd->lang = img[a.pos];
	m = (uint32_t)img[a.pos + 1] | (uint32_t)img[a.pos + 2] << 8 |
	    (uint32_t)img[a.pos + 3] << 16;
	bd->mfg_minutes = m;
	bd->has_mfg_time = m != 0;
	bd->mfg_time = m != 0 ? (time_t)FRU_EPOCH_1996 + (time_t)m * 60 : 0;
	a.pos += 4;
	area_fields(f, &a, fixed, 5, bd->custom, &bd->ncustom);
}

static void
decode_product(struct fru *f, const uint8_t *img, size_t len, size_t off)
{
	struct fru_product *p = &f->product;
	struct fru_field *fixed[] = { &p->mfr, &p->name, &p->part,
	    &p->version, &p->serial, &p->asset_tag, &p->file_id };
	struct area a;

	if (area_open(f, img, len, FRU_AREA_PRODUCT, off, &a) != 0)
		return;
	p->present = 1;
	/* FRU spec 12: language, then the fields */
	if (a.pos >= a.end) {
		problem(f, a.id, FRU_PROB_NO_END, a.pos);
		return;
	}
	p->lang = img[a.pos++];
	area_fields(f, &a, fixed, 7, p->custom, &p->ncustom);
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* FRU spec 18.1 and 18.2: the two record layouts we keep typed */
static void
mr_typed(struct fru *f, struct fru_mr *r)
{
	const uint8_t *d = r->data;

	switch (r->type) {
	case FRU_MR_POWER_SUPPLY:
		if (r->dlen < 24)
			break;
		r->u.psu.capacity_w = le16(d) & 0x0fff;
		r->u.psu.peak_va = le16(d + 2);
		r->u.psu.inrush_a = d[4];
		r->u.psu.inrush_ms = d[5];
		r->u.psu.low1_10mv = le16(d + 6);
		r->u.psu.high1_10mv = le16(d + 8);
		r->u.psu.low2_10mv = le16(d + 10);
		r->u.psu.high2_10mv = le16(d + 12);
		r->u.psu.low_hz = d[14];
		r->u.psu.high_hz = d[15];
		r->u.psu.dropout_ms = d[16];
		r->u.psu.flags = d[17] & 0x1f;
		r->u.psu.holdup_s = (uint8_t)(le16(d + 18) >> 12);
		r->u.psu.peak_w = le16(d + 18) & 0x0fff;
		r->u.psu.combined_v1 = d[20] >> 4;
		r->u.psu.combined_v2 = d[20] & 0x0f;
		r->u.psu.combined_w = le16(d + 21);
		r->u.psu.tach_rps = d[23];
		r->typed = 1;
		return;
	case FRU_MR_DC_OUTPUT:
		if (r->dlen < 13)
			break;
		r->u.dcout.output = d[0] & 0x0f;
		r->u.dcout.standby = (d[0] & 0x80) != 0;
		r->u.dcout.nominal_10mv = (int16_t)le16(d + 1);
		r->u.dcout.neg_dev_10mv = (int16_t)le16(d + 3);
		r->u.dcout.pos_dev_10mv = (int16_t)le16(d + 5);
		r->u.dcout.ripple_mv = le16(d + 7);
		r->u.dcout.min_ma = le16(d + 9);
		r->u.dcout.max_ma = le16(d + 11);
		r->typed = 1;
		return;
	default:
		return;
	}
	problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_RECORD_SHORT, r->offset);
}

/*
 * FRU spec 16: records follow each other up to the one with end-of-list
 * set.  The area has no length of its own, so the data's end bounds it;
 * each record moves forward by at least its 5-byte header.
 */
static void
decode_mr(struct fru *f, const uint8_t *img, size_t len, size_t off)
{
	struct fru_mr *r, spare;
	const uint8_t *h;
	size_t pos = off, dlen;
	int over = 0;

	if (off + 5 > len) {
		problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_OFFSET, off);
		return;
	}
	for (;;) {
		if (pos + 5 > len) {
			problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_NO_EOL, pos);
			return;
		}
		h = img + pos;
		r = f->nmr < FRU_MR_MAX ? &f->mr[f->nmr] : &spare;
		memset(r, 0, sizeof(*r));
		r->type = h[0];
		r->eol = (h[1] & 0x80) != 0;
		r->version = h[1] & 0x0f;
		r->len = h[2];
		r->offset = (uint16_t)pos;
		r->hdr_ok = sum_ok(h, 5);
		if (!r->hdr_ok) {
			/* the length cannot be trusted: nothing after it */
			problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_RECORD_HDR,
			    pos);
			return;
		}
		if (r->version != 2)
			problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_VERSION, pos);
		dlen = r->len;
		if (pos + 5 + dlen > len) {
			problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_RECORD_LEN,
			    pos);
			dlen = len - pos - 5;
		}
		memcpy(r->data, h + 5, dlen);
		r->dlen = dlen;
		/* 16.1: the record checksum makes the data sum to zero */
		r->data_ok = dlen == r->len && (uint8_t)(h[3] + sum8(h + 5,
		    dlen)) == 0;
		if (!r->data_ok && dlen == r->len)
			problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_RECORD, pos);
		mr_typed(f, r);
		if (r != &spare)
			f->nmr++;
		else if (!over++)
			problem(f, FRU_AREA_MULTIRECORD, FRU_PROB_TOO_MANY,
			    pos);
		if (dlen < r->len || r->eol)
			return;
		pos += 5 + dlen;
	}
}

int
fru_decode(const uint8_t *img, size_t len, struct fru *f)
{
	const uint8_t *h = img;

	memset(f, 0, sizeof(*f));
	if (len < 8)
		return IPMI_E_SHORT;
	/* offsets are 16 bits: a FRU device holds no more than this */
	if (len > FRU_IMAGE_MAX)
		len = FRU_IMAGE_MAX;
	/* FRU spec 8: common header, offsets in multiples of 8 bytes */
	f->version = h[0] & 0x0f;
	if (f->version != 1) {
		problem(f, FRU_AREA_HEADER, FRU_PROB_VERSION, 0);
		return IPMI_E_MALFORMED;
	}
	if (!sum_ok(h, 8))
		problem(f, FRU_AREA_HEADER, FRU_PROB_CHECKSUM, 7);
	f->off_internal = (uint16_t)(h[1] * 8);
	f->off_chassis = (uint16_t)(h[2] * 8);
	f->off_board = (uint16_t)(h[3] * 8);
	f->off_product = (uint16_t)(h[4] * 8);
	f->off_mr = (uint16_t)(h[5] * 8);
	if (f->off_internal != 0 && f->off_internal >= len)
		problem(f, FRU_AREA_INTERNAL, FRU_PROB_OFFSET, f->off_internal);
	if (f->off_chassis != 0)
		decode_chassis(f, img, len, f->off_chassis);
	if (f->off_board != 0)
		decode_board(f, img, len, f->off_board);
	if (f->off_product != 0)
		decode_product(f, img, len, f->off_product);
	if (f->off_mr != 0)
		decode_mr(f, img, len, f->off_mr);
	return 0;
}

/* --- names ------------------------------------------------------------ */

/* SMBIOS 3.x, 7.4.1 System Enclosure or Chassis Types */
static const char *const chassis_types[] = {
	"Unspecified", "Other", "Unknown", "Desktop", "Low Profile Desktop",
	"Pizza Box", "Mini Tower", "Tower", "Portable", "Laptop",
	"Notebook", "Hand Held", "Docking Station", "All in One",
	"Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis",
	"Expansion Chassis", "SubChassis", "Bus Expansion Chassis",
	"Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis",
	"Sealed-case PC", "Multi-system Chassis", "Compact PCI",
	"Advanced TCA", "Blade", "Blade Enclosure", "Tablet", "Convertible",
	"Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
};

const char *
fru_chassis_type_name(uint8_t t)
{
	if (t < sizeof(chassis_types) / sizeof(chassis_types[0]))
		return chassis_types[t];
	return "Unknown";
}

/* FRU spec 16.1, table 16-2 */
const char *
fru_mr_type_name(uint8_t t)
{
	static const char *const names[] = {
		"Power Supply Information", "DC Output", "DC Load",
		"Management Access Record", "Base Compatibility Record",
		"Extended Compatibility Record",
	};

	if (t < sizeof(names) / sizeof(names[0]))
		return names[t];
	if (t >= FRU_MR_OEM_FIRST)
		return "OEM";
	return "Reserved";
}

const char *
fru_area_name(int area)
{
	switch (area) {
	case FRU_AREA_HEADER:
		return "common header";
	case FRU_AREA_INTERNAL:
		return "internal use area";
	case FRU_AREA_CHASSIS:
		return "chassis info area";
	case FRU_AREA_BOARD:
		return "board info area";
	case FRU_AREA_PRODUCT:
		return "product info area";
	case FRU_AREA_MULTIRECORD:
		return "multirecord area";
	default:
		return "unknown area";
	}
}

const char *
fru_problem_str(int kind)
{
	switch (kind) {
	case FRU_PROB_CHECKSUM:
		return "checksum mismatch";
	case FRU_PROB_VERSION:
		return "unknown format version";
	case FRU_PROB_OFFSET:
		return "starts past the end of the data";
	case FRU_PROB_LENGTH:
		return "length is zero";
	case FRU_PROB_TRUNCATED:
		return "runs past the end of the data";
	case FRU_PROB_FIELD:
		return "field runs past the end of the area";
	case FRU_PROB_NO_END:
		return "no end-of-fields marker";
	case FRU_PROB_TOO_MANY:
		return "more entries than kept";
	case FRU_PROB_RECORD_HDR:
		return "record header checksum mismatch";
	case FRU_PROB_RECORD:
		return "record checksum mismatch";
	case FRU_PROB_RECORD_LEN:
		return "record runs past the end of the data";
	case FRU_PROB_RECORD_SHORT:
		return "record shorter than its layout";
	case FRU_PROB_NO_EOL:
		return "no end-of-list record";
	default:
		return "unknown problem";
	}
}

int
fru_lang_english(uint8_t lang)
{
	return lang == 0 || lang == 25;
}
