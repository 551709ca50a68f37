/*
 * store_fru: a simulated BMC's FRU devices (store.h): device 0, the board,
 * and device 1, PS1, built from the model's look with serial numbers
 * unique per BMC; Get FRU Inventory Area Info and Read FRU Data.
 */
#include <stdio.h>
#include <string.h>

#include "ipmi/fru.h"
#include "ipmi/ipmi.h"
#include "model.h"
#include "sensors.h"
#include "store_int.h"

/* How each model's FRU reads; the part numbers are made up. */
struct look {
	const char	*model;
	const char	*product;
	const char	*part;
	const char	*board;
	const char	*board_part;
	const char	*chassis_part;
	const char	*prefix;	/* of serial numbers */
	const char	*psu_mfr;
	const char	*psu_name;
	const char	*psu_part;
	uint16_t	 psu_watts;
	uint8_t		 read_max;	/* Read FRU Data count; 0: any */
};

static const struct look looks[] = {
	{ "dell-r640", "PowerEdge R640", "R640-SIM", "PowerEdge R640 MB",
	    "0SIM40A", "CH-R640-SIM", "CN", "Dell Inc.", "PWR SPLY,750W,RDNT",
	    "0SIMP75", 750, 0 },
	/* refuses reads over 32 bytes with CAh, as some iLOs do */
	{ "hpe-dl380", "ProLiant DL380 Gen10", "SIM380-B21",
	    "ProLiant DL380 Gen10 System Board", "SIM380-001", "SIM380-CH",
	    "2M2", "HPE", "800W FS Plat Hot Plug PSU", "SIMP80-B21", 800, 32 },
	{ "supermicro-x11", "SuperServer 1029P-SIM", "SYS-1029P-SIM",
	    "X11DPi-SIM", "MBD-X11DPI-SIM", "CSE-819-SIM", "S", "SUPERMICRO",
	    "PWS-1K0-SIM", "PWS-1K0-SIM-1R", 1000, 0 },
	{ "lenovo-sr650", "ThinkSystem SR650", "7X0SIM", "SR650 System Planar",
	    "01SIM650", "00SIM65", "J30", "Lenovo",
	    "ThinkSystem 750W Platinum PSU", "SIMP750L", 750, 0 },
	{ "openbmc", "OpenBMC Reference Server", "OBMC-REF-1",
	    "Reference Board", "OBMC-MB-1", "OBMC-CH-1", "OB",
	    "OpenBMC project", "Generic 550W PSU", "OBMC-PSU-550", 550, 0 },
};

static const struct look *
look_of(const struct sim_model *m)
{
	size_t i;

	for (i = 0; i < sizeof(looks) / sizeof(looks[0]); i++)
		if (strcmp(looks[i].model, m->name) == 0)
			return &looks[i];
	return &looks[sizeof(looks) / sizeof(looks[0]) - 1];
}

#define FRU_SIM_MAX	512

struct img {
	uint8_t		p[FRU_SIM_MAX];
	size_t		n;
};

static uint8_t
zsum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

static size_t
area_begin(struct img *m)
{
	size_t s = m->n;

	m->p[m->n++] = 0x01;		/* format version */
	m->p[m->n++] = 0x00;		/* length, set by area_end */
	return s;
}

static void
area_end(struct img *m, size_t s)
{
	m->p[m->n++] = 0xc1;		/* no more fields */
	while ((m->n + 1 - s) % 8)
		m->p[m->n++] = 0x00;
	m->p[s + 1] = (uint8_t)((m->n + 1 - s) / 8);
	m->p[m->n] = zsum(m->p + s, m->n - s);
	m->n++;
}

/* An 8-bit ASCII field (type/length 11b). */
static void
field(struct img *m, const char *s)
{
	size_t n = strlen(s);

	if (n > 63)
		n = 63;
	m->p[m->n++] = (uint8_t)(0xc0 | n);
	memcpy(m->p + m->n, s, n);
	m->n += n;
}

/*
 * A 6-bit packed ASCII field (10b, FRU spec 13.1.1): characters 20h-5Fh,
 * four in three bytes from the low bits.  Callers keep the length a
 * multiple of four, where ipmitool and FreeIPMI read the same text.
 */
static void
field6(struct img *m, const char *s)
{
	size_t nch = strlen(s), nb = (nch * 6 + 7) / 8, i;
	uint8_t *p = m->p + m->n + 1;

	m->p[m->n] = (uint8_t)(0x80 | nb);
	memset(p, 0, nb);
	for (i = 0; i < nch; i++) {
		unsigned v = (unsigned)(s[i] - 0x20) & 0x3f, bit = (unsigned)i * 6;

		p[bit / 8] |= (uint8_t)(v << (bit % 8));
		if (bit % 8 > 2)
			p[bit / 8 + 1] |= (uint8_t)(v >> (8 - bit % 8));
	}
	m->n += 1 + nb;
}

static void
header(struct img *m, unsigned chassis, unsigned board, unsigned product,
    unsigned mr)
{
	m->p[0] = 0x01;
	m->p[1] = 0x00;			/* no internal use area */
	m->p[2] = (uint8_t)(chassis / 8);
	m->p[3] = (uint8_t)(board / 8);
	m->p[4] = (uint8_t)(product / 8);
	m->p[5] = (uint8_t)(mr / 8);
	m->p[6] = 0x00;
	m->p[7] = zsum(m->p, 7);
}

static void
le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* A multirecord: header (16.1) with both checksums, then the data. */
static void
record(struct img *m, uint8_t type, int last, const uint8_t *d, size_t n)
{
	uint8_t *h = m->p + m->n;

	h[0] = type;
	h[1] = (uint8_t)((last ? 0x80 : 0) | 0x02);
	h[2] = (uint8_t)n;
	h[3] = zsum(d, n);
	h[4] = zsum(h, 4);
	memcpy(h + 5, d, n);
	m->n += 5 + n;
}

static void
serial(const struct sim_bmc *b, char *out, size_t len, unsigned tag,
    const char *prefix, uint8_t rev)
{
	/* the low byte is the revision: a swap always changes it */
	unsigned h = (unsigned)(hash(b, tag, 0) & 0xffff) << 8 | rev;

	snprintf(out, len, "%.6s%06X%05u", prefix, h, (unsigned)(b->index + 1) %
	    100000);
}

/* Minutes since 1996-01-01 to 2019-01-01, and four years more at most. */
#define MFG_2019	12097440u
#define MFG_SPAN	(4u * 365 * 1440)

static void
fru_board(const struct sim_bmc *b, uint8_t rev, struct img *m)
{
	const struct sim_model *md = b->model;
	const struct look *lk = look_of(md);
	char sn[32], bsn[32], bp[8], txt[64];
	uint32_t mfg = MFG_2019 + (uint32_t)(hash(b, TAG_MFG, rev) % MFG_SPAN);
	size_t a;

	serial(b, sn, sizeof(sn), TAG_SERIAL, lk->prefix, rev);
	snprintf(bp, sizeof(bp), "%.4sB", lk->prefix);
	serial(b, bsn, sizeof(bsn), TAG_BOARD, bp, rev);
	m->n = 8;
	/* chassis info area (FRU spec 10): rack mount chassis */
	a = area_begin(m);
	m->p[m->n++] = 0x17;
	field(m, lk->chassis_part);
	field(m, sn);
	area_end(m, a);
	/* board info area (11) */
	m->p[3] = (uint8_t)(m->n / 8);
	a = area_begin(m);
	m->p[m->n++] = 0x00;		/* English */
	m->p[m->n++] = (uint8_t)mfg;
	m->p[m->n++] = (uint8_t)(mfg >> 8);
	m->p[m->n++] = (uint8_t)(mfg >> 16);
	field(m, md->vendor);
	field(m, lk->board);
	field(m, bsn);
	field(m, lk->board_part);
	field(m, "FRU Ver 0.01");
	snprintf(txt, sizeof(txt), "BMC FW %u.%02u", md->fw_major,
	    md->fw_minor);
	field(m, txt);			/* custom */
	area_end(m, a);
	/* product info area (12) */
	m->p[4] = (uint8_t)(m->n / 8);
	a = area_begin(m);
	m->p[m->n++] = 0x00;
	field(m, md->vendor);
	field(m, lk->product);
	field(m, lk->part);
	field(m, "A01");
	field(m, sn);
	snprintf(txt, sizeof(txt), "AT%06u", (unsigned)(b->index + 1) %
	    1000000);
	field6(m, txt);			/* asset tag, 8 characters */
	field(m, "FRU Ver 0.01");
	area_end(m, a);
	header(m, 8, (unsigned)m->p[3] * 8, (unsigned)m->p[4] * 8, 0);
}

static void
fru_psu(const struct sim_bmc *b, uint8_t rev, struct img *m)
{
	const struct look *lk = look_of(b->model);
	uint8_t d[24];
	char sn[32];
	size_t a, mr;
	unsigned peak = lk->psu_watts + lk->psu_watts / 5;

	serial(b, sn, sizeof(sn), TAG_PSU, "PS", rev);
	m->n = 8;
	a = area_begin(m);
	m->p[m->n++] = 0x00;
	field(m, lk->psu_mfr);
	field(m, lk->psu_name);
	field(m, lk->psu_part);
	field(m, "A00");
	field(m, sn);
	field(m, "PS1");		/* asset tag */
	field(m, "PSU Ver 1.0");
	area_end(m, a);
	mr = m->n;
	/* power supply information (FRU spec 18.1) */
	memset(d, 0, sizeof(d));
	le16(d + 0, lk->psu_watts);
	le16(d + 2, lk->psu_watts + lk->psu_watts / 10);	/* peak VA */
	d[4] = 40;			/* inrush A */
	d[5] = 10;			/* inrush ms */
	le16(d + 6, 9000);		/* 90-140 V */
	le16(d + 8, 14000);
	le16(d + 10, 18000);		/* 180-264 V */
	le16(d + 12, 26400);
	d[14] = 47;
	d[15] = 63;
	d[16] = 10;			/* dropout tolerance ms */
	/* hot swap, autoswitch, power factor correction */
	d[17] = 0x0e;
	le16(d + 18, 1u << 12 | (peak > 0xfff ? 0xfff : peak));
	d[20] = 0x00;			/* no combined wattage */
	le16(d + 21, 0);
	d[23] = 0;
	record(m, FRU_MR_POWER_SUPPLY, 0, d, 24);
	/* DC output (18.2): output 1, 12.00 V +-0.60 V, 60 mV ripple */
	memset(d, 0, sizeof(d));
	d[0] = 0x01;
	le16(d + 1, 1200);
	le16(d + 3, 60);
	le16(d + 5, 60);
	le16(d + 7, 60);
	le16(d + 9, 500);		/* 0.5 A */
	le16(d + 11, (unsigned)lk->psu_watts * 1000 / 12 > 65535 ? 65535 :
	    (unsigned)lk->psu_watts * 1000 / 12);
	record(m, FRU_MR_DC_OUTPUT, 1, d, 13);
	header(m, 0, 0, 8, (unsigned)mr);
}

/* The image of FRU device dev into m; -1 when there is no such device. */
static int
fru_image(const struct sim_bmc *b, uint8_t dev, struct img *m)
{
	uint8_t rev = b->store != NULL && dev < 2 ? b->store->fru_rev[dev] : 0;

	memset(m->p, 0, sizeof(m->p));
	if (dev == 0)
		fru_board(b, rev, m);
	else if (dev == SIM_FRU_PS1)
		fru_psu(b, rev, m);
	else
		return -1;
	return 0;
}

void
sim_store_fru_swap(struct sim_bmc *b, uint8_t dev)
{
	struct sim_store *st;

	if (dev < 2 && (st = store_get(b)) != NULL)
		st->fru_rev[dev]++;
}

int
store_fru_info(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_fru_info_rsp rsp;
	struct img m;

	NEED(1);
	if (fru_image(b, req->data[0], &m) != 0)
		return IPMI_CC_NOT_PRESENT;
	rsp.size = (uint16_t)m.n;
	rsp.words = 0;
	ENC(ipmi_fru_info_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

int
store_fru_read(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct ipmi_fru_read_req q;
	struct ipmi_fru_read_rsp rsp;
	struct img m;
	struct buf r;
	size_t max, n;

	b->cnt.read_fru++;
	NEED(4);
	buf_init_read(&r, req->data, req->len);
	if (ipmi_fru_read_req_decode(&r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if (fru_image(b, q.dev_id, &m) != 0)
		return IPMI_CC_NOT_PRESENT;
	max = look_of(b->model)->read_max;
	if (max == 0 || max > SIM_FRU_READ_MAX)
		max = SIM_FRU_READ_MAX;
	if (w->cap - w->len < max + 1)
		max = w->cap - w->len - 1;
	if (q.count > max)
		return IPMI_CC_CANT_RETURN;
	if (q.offset >= m.n)
		return IPMI_CC_PARAM_RANGE;
	n = m.n - q.offset;
	if (n > q.count)
		n = q.count;
	rsp.count = (uint8_t)n;
	rsp.data = m.p + q.offset;
	rsp.len = n;
	ENC(ipmi_fru_read_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}
