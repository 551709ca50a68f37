/*
 * The sweep's SDR memory: bounded in models, least recently used first
 * out (a BMC whose repository timestamps move on every request must not
 * grow it for ever), and bound to what each BMC can confirm (issue 11
 * item 5): a BMC that reports another repository's key must neither get
 * that repository's names nor replace it for the hosts that own it.
 *
 * The hosts here are driven through sweep_step and sweep_done by a fake
 * BMC in this file (Get Device ID, Get SDR Repository Info, Reserve SDR
 * Repository, Get SDR with offsets and counts, Get Sensor Reading) that
 * counts what it is asked; the sensor names come out in the rows.  The
 * sweep's traffic over the wire is covered by the integration tests
 * against bmcsim.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/rows.h"
#include "collector/sdrmem.h"
#include "collector/sensorids.h"
#include "collector/sweep.h"
#include "ipmi/cmds.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"
#include "ipmi/sdr.h"
#include "ipmi/sel.h"
#include "ipmi/sensor.h"
#include "ipmi/session.h"

/* --- a fake BMC ----------------------------------------------------------- */

#define NREC	3

struct fbmc {
	uint8_t		 rec[NREC][64];
	size_t		 len[NREC];
	int		 want_resv;	/* C5h to Get SDR without a reservation */
	unsigned	 read_max;	/* CAh for counts above it; 0 none */
	int		 drip;		/* one byte an answer, whatever asked */
	uint16_t	 resv;		/* the current reservation, 0 none */
	unsigned	 requests, get_sdr, reserves, readings;
	int		 power;		/* answers Get Chassis Status: on */
	int		 sel;		/* a SEL of two entries */
	int		 sysinfo;	/* answers Get System Info Parameters
					   (the BIOS version); else C1h */
	unsigned	 sysinfo_reqs;
};

#define FBMC_BIOS	"Contoso BIOS 3.4 build 2026-01-01"	/* 3 sets */

/*
 * 43.2 compact sensor record id: a discrete processor sensor, number 0x10
 * + i, named name (8-bit ASCII), owned by the BMC.
 */
static void
compact(struct fbmc *b, int i, const char *name)
{
	uint8_t *p = b->rec[i];
	size_t n = strlen(name);

	memset(p, 0, sizeof(b->rec[i]));
	p[0] = (uint8_t)(i + 1);	/* record ID */
	p[2] = 0x51;
	p[3] = SDR_TYPE_COMPACT;
	p[5] = 0x20;			/* owner: the BMC */
	p[7] = (uint8_t)(0x10 + i);	/* sensor number */
	p[8] = 0x03;			/* entity: processor */
	p[9] = 1;
	p[10] = 0x7f;
	p[11] = 0x40;
	p[12] = 0x07;			/* sensor type: processor */
	p[13] = 0x6f;			/* sensor-specific */
	p[20] = 0xc0;			/* units 1: no analog reading */
	p[23] = 1;			/* one sensor */
	p[31] = (uint8_t)(0xc0 | n);
	memcpy(p + 32, name, n);
	p[4] = (uint8_t)(32 + n - SDR_HDR_LEN);
	b->len[i] = 32 + n;
}

static void
fbmc_init(struct fbmc *b, const char *const names[NREC])
{
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < NREC; i++)
		compact(b, i, names[i]);
}

static void
fbmc_answer(struct fbmc *b, const struct drv_request *req,
    struct ipmi_response *rsp)
{
	struct buf w;

	b->requests++;
	memset(rsp, 0, sizeof(*rsp));
	rsp->netfn = req->netfn;
	rsp->cmd = req->cmd;
	buf_init_write(&w, rsp->data, sizeof(rsp->data));
	if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_DEVICE_ID) {
		/* every BMC here says the same: one model, one firmware */
		struct ipmi_device_id d = { .device_id = 0x20,
		    .provides_sdrs = 1, .fw_major = 4, .fw_minor = 40,
		    .ipmi_version = 0x02, .support = 0xbf,
		    .manufacturer = 674, .product = 256, .has_aux = 1 };

		(void)ipmi_device_id_encode(&d, &w);
	} else if (req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_GET_SDR_REPO_INFO) {
		/* ... and the same count and time stamps */
		struct ipmi_sdr_info_rsp in = { .version = 0x51,
		    .count = NREC, .free = 0xffff, .add_ts = 0x64000000,
		    .erase_ts = 0x63ffff00, .support = 0x22 };

		(void)ipmi_sdr_info_rsp_encode(&in, &w);
	} else if (req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_RESERVE_SDR_REPO) {
		b->reserves++;
		(void)ipmi_sdr_reserve_rsp_encode(++b->resv, &w);
	} else if (req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_GET_SDR) {
		struct ipmi_get_sdr_req q;
		struct ipmi_get_sdr_rsp r;
		struct buf in;
		int i;

		b->get_sdr++;
		buf_init_read(&in, req->data, req->len);
		ck_assert_int_eq(ipmi_get_sdr_req_decode(&in, &q), 0);
		if ((q.offset != 0 || b->want_resv) &&
		    (b->resv == 0 || q.resv != b->resv)) {
			rsp->cc = IPMI_CC_RESERVATION;
			return;
		}
		if (b->read_max != 0 && q.count > b->read_max) {
			rsp->cc = IPMI_CC_CANT_RETURN;
			return;
		}
		i = q.id == SDR_ID_FIRST ? 0 : q.id - 1;
		if (i < 0 || i >= NREC) {
			rsp->cc = IPMI_CC_NOT_PRESENT;
			return;
		}
		r.next = i + 1 < NREC ? (uint16_t)(i + 2) : SDR_ID_LAST;
		r.data = b->rec[i] + q.offset;
		r.len = q.offset >= b->len[i] ? 0 : b->len[i] - q.offset;
		if (q.count != SDR_READ_ALL && q.count < r.len)
			r.len = q.count;
		if (b->drip && r.len > 1)
			r.len = 1;
		(void)ipmi_get_sdr_rsp_encode(&r, &w);
	} else if (req->netfn == IPMI_NETFN_SENSOR &&
	    req->cmd == IPMI_CMD_GET_SENSOR_READING) {
		struct ipmi_sensor_reading_rsp rd = { .raw = 0,
		    .flags = 0xc0, .has_state = 1, .states = 0x0080 };

		b->readings++;
		(void)ipmi_sensor_reading_rsp_encode(&rd, &w);
	} else if (b->power && req->netfn == IPMI_NETFN_CHASSIS &&
	    req->cmd == IPMI_CMD_GET_CHASSIS_STATUS) {
		struct ipmi_chassis_status cs = { .power_on = 1 };

		(void)ipmi_chassis_status_encode(&cs, &w);
	} else if (b->sel && req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_GET_SEL_INFO) {
		struct ipmi_sel_info_rsp in = { .version = 0x51, .entries = 2,
		    .free = 1000, .add_ts = 0x65000000, .erase_ts = 0x64000000,
		    .support = SEL_SUP_RESERVE };

		(void)ipmi_sel_info_rsp_encode(&in, &w);
	} else if (b->sel && req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_RESERVE_SEL) {
		(void)ipmi_sel_reserve_rsp_encode(7, &w);
	} else if (b->sel && req->netfn == IPMI_NETFN_STORAGE &&
	    req->cmd == IPMI_CMD_GET_SEL_ENTRY) {
		/* two system events of sensor 0x11 (CPU1): IERR asserted,
		 * then deasserted */
		struct ipmi_get_sel_req q;
		struct ipmi_get_sel_rsp r;
		struct buf in;
		uint8_t e[SEL_ENTRY_LEN] = { 0, 0, 0x02, 0x00, 0x00, 0x00,
		    0x65, 0x20, 0x00, 0x04, 0x07, 0x11, 0x6f, 0x00, 0xff,
		    0xff };

		buf_init_read(&in, req->data, req->len);
		ck_assert_int_eq(ipmi_get_sel_req_decode(&in, &q), 0);
		e[0] = q.id == 0 ? 1 : (uint8_t)q.id;
		if (e[0] == 2)
			e[12] = 0xef;		/* deassertion */
		r.next = e[0] == 1 ? 2 : 0xffff;
		r.data = e;
		r.len = sizeof(e);
		(void)ipmi_get_sel_rsp_encode(&r, &w);
	} else if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_SYSTEM_INFO) {
		struct ipmi_sysinfo_req q;
		struct ipmi_sysinfo_rsp a;
		struct buf in;

		b->sysinfo_reqs++;
		buf_init_read(&in, req->data, req->len);
		ck_assert_int_eq(ipmi_sysinfo_req_decode(&in, &q), 0);
		ck_assert_uint_eq(q.param, IPMI_SYSINFO_FW_VERSION);
		if (!b->sysinfo)
			rsp->cc = IPMI_CC_INVALID_CMD;
		else if (ipmi_sysinfo_str_set(FBMC_BIOS, q.set, &a) != 0)
			rsp->cc = IPMI_CC_PARAM_RANGE;
		else
			(void)ipmi_sysinfo_rsp_encode(&a, &w);
	} else {
		rsp->cc = IPMI_CC_INVALID_CMD;	/* chassis status: none */
	}
	rsp->len = w.len;
}

/* One host's sweep against b, as the driver would run it. */
static void
sweep_one(struct sweep *sw, struct sweep_host *h, const char *name,
    struct fbmc *b)
{
	struct drv_request req;
	struct ipmi_response rsp;
	enum drv_step st;

	memset(&h->t, 0, sizeof(h->t));
	h->t.name = h->t.host = name;
	h->t.info.cipher_suite = -1;
	st = sweep_step(sw, &h->t, NULL, &req);
	while (st == DRV_STEP_SEND) {
		ck_assert_uint_lt(b->requests, 200);
		fbmc_answer(b, &req, &rsp);
		h->t.requests++;
		st = sweep_step(sw, &h->t, &rsp, &req);
	}
	ck_assert_msg(st == DRV_STEP_DONE, "%s: %s", name, h->t.errmsg);
	sweep_done(sw, &h->t);
}

/* How many reading rows of host name the batch holds with sensor sensor. */
static int
readings_named(const struct rows *r, const char *host, const char *sensor)
{
	const struct rows_buf *t = &r->t[RT_READING];
	char want[128];
	int n = 0;

	/* bmc, owner, number, name: "host\t32\t16\tCPU0 Status\t" */
	for (int i = 0; i < NREC; i++) {
		const char *p = t->p, *end = t->p + t->len;
		size_t wl;

		snprintf(want, sizeof(want), "%s\t32\t%d\t%s\t", host, 0x10 + i,
		    sensor);
		wl = strlen(want);
		/* the buffer is not NUL-terminated: memmem, not strstr */
		while (p != NULL && p < end &&
		    (p = memmem(p, (size_t)(end - p), want, wl)) != NULL) {
			if (p == t->p || p[-1] == '\n')
				n++;
			p++;
		}
	}
	return n;
}

static const char *const names_a[NREC] = { "CPU0 Status", "CPU1 Status",
    "CPU2 Status" };
static const char *const names_b[NREC] = { "cpu0 status", "cpu1 status",
    "cpu2 status" };

/* --- tests ---------------------------------------------------------------- */

START_TEST(test_models_bounded)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_ALL };
	struct rows r;
	struct sweep *sw;
	char base[64], key[128], k1999[128], k1488[128], k1487[128], k0[128];
	size_t bytes;

	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	for (int i = 0; i < 2000; i++) {
		snprintf(base, sizeof(base), "674:256:4.40:0:40:%d:0", i);
		ck_assert_int_eq(sdrmem_bind(base, NULL, 0, key,
		    sizeof(key)), 0);
		ck_assert_int_eq(sweep_add_sdr(sw, key, NULL, 0), 0);
		if (i == 1999)
			memcpy(k1999, key, sizeof(key));
		if (i == 1488)
			memcpy(k1488, key, sizeof(key));
		if (i == 1487)
			memcpy(k1487, key, sizeof(key));
		if (i == 0)
			memcpy(k0, key, sizeof(key));
	}
	ck_assert_uint_eq(sweep_models(sw, &bytes), 512);
	ck_assert_uint_gt(bytes, 0);
	/* the newest stay, the oldest went */
	ck_assert_int_eq(sweep_has_sdr(sw, k1999), 1);
	ck_assert_int_eq(sweep_has_sdr(sw, k1488), 1);
	ck_assert_int_eq(sweep_has_sdr(sw, k1487), 0);
	ck_assert_int_eq(sweep_has_sdr(sw, k0), 0);
	/* adding a key held already changes nothing */
	ck_assert_int_eq(sweep_add_sdr(sw, k1999, NULL, 0), 0);
	ck_assert_uint_eq(sweep_models(sw, NULL), 512);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

/* A key names one repository: others' bytes under it are refused. */
START_TEST(test_add_bound)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_ALL };
	struct fbmc a, b;
	uint8_t ra[256], rb[256];
	size_t la = 0, lb = 0;
	char key_a[128], key_b[128];
	struct rows r;
	struct sweep *sw;

	fbmc_init(&a, names_a);
	fbmc_init(&b, names_b);
	for (int i = 0; i < NREC; i++) {
		memcpy(ra + la, a.rec[i], a.len[i]);
		la += a.len[i];
		memcpy(rb + lb, b.rec[i], b.len[i]);
		lb += b.len[i];
	}
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	ck_assert_int_eq(sdrmem_bind("674:256:4.40:00000000:3:1:0", ra, la,
	    key_a, sizeof(key_a)), 0);
	ck_assert_int_eq(sdrmem_bind("674:256:4.40:00000000:3:1:0", rb, lb,
	    key_b, sizeof(key_b)), 0);
	ck_assert_str_ne(key_a, key_b);
	ck_assert_uint_eq(sdrmem_key_id(key_a),
	    strtoull(strrchr(key_a, ':') + 1, NULL, 16));
	ck_assert_int_eq(sweep_add_sdr(sw, key_a, ra, la), 0);
	/* B's bytes under A's key: refused, A's stay */
	ck_assert_int_eq(sweep_add_sdr(sw, key_a, rb, lb), 1);
	ck_assert_uint_eq(sweep_models(sw, NULL), 1);
	/* a key of the old scheme (no digest) is no key of these bytes */
	ck_assert_int_eq(sweep_add_sdr(sw, "674:256:4.40:00000000:3:1:0", ra,
	    la), 1);
	ck_assert_uint_eq(sdrmem_key_id("674:256:4.40:00000000:3:1:0"), 0);
	ck_assert_int_eq(sweep_add_sdr(sw, key_b, rb, lb), 0);
	ck_assert_uint_eq(sweep_models(sw, NULL), 2);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

/*
 * Host A and host B report one key (model, firmware, count and time
 * stamps) but hold different repositories.  Whichever walks first, the
 * other gets its own sensor names, and the first one's repository is
 * still what the first one gets afterwards.
 */
static void
poisoned(int b_first)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_SENSORS };
	struct sweep_host ha, hb;
	struct fbmc a, b;
	struct rows r;
	struct sweep *sw;
	const struct sweep_stats *st;

	fbmc_init(&a, names_a);
	fbmc_init(&b, names_b);
	memset(&ha, 0, sizeof(ha));
	memset(&hb, 0, sizeof(hb));
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));

	if (b_first) {
		sweep_one(sw, &hb, "hostB", &b);
		sweep_one(sw, &ha, "hostA", &a);
	} else {
		sweep_one(sw, &ha, "hostA", &a);
		sweep_one(sw, &hb, "hostB", &b);
	}
	ck_assert_int_eq(readings_named(&r, "hostA", "CPU0 Status") +
	    readings_named(&r, "hostA", "CPU1 Status") +
	    readings_named(&r, "hostA", "CPU2 Status"), 3);
	ck_assert_int_eq(readings_named(&r, "hostB", "cpu0 status") +
	    readings_named(&r, "hostB", "cpu1 status") +
	    readings_named(&r, "hostB", "cpu2 status"), 3);
	ck_assert_int_eq(readings_named(&r, "hostB", "CPU0 Status"), 0);
	ck_assert_int_eq(readings_named(&r, "hostA", "cpu0 status"), 0);
	st = sweep_stats(sw);
	ck_assert_uint_eq(st->sdr_walks, 2);
	ck_assert_uint_eq(st->sdr_conflicts, 1);
	ck_assert_uint_eq(sweep_models(sw, NULL), 2);
	ck_assert_uint_eq(r.nrows[RT_SDR], 2);

	/* the next sweep: both from memory, each its own, one Get SDR each */
	ck_assert_int_eq(sweep_begin(sw, "t2"), 0);
	rows_reset(&r);
	a.get_sdr = b.get_sdr = a.requests = b.requests = 0;
	a.reserves = b.reserves = 0;
	sweep_one(sw, &ha, "hostA", &a);
	sweep_one(sw, &hb, "hostB", &b);
	ck_assert_int_eq(readings_named(&r, "hostA", "CPU0 Status") +
	    readings_named(&r, "hostA", "CPU1 Status") +
	    readings_named(&r, "hostA", "CPU2 Status"), 3);
	ck_assert_int_eq(readings_named(&r, "hostB", "cpu0 status") +
	    readings_named(&r, "hostB", "cpu1 status") +
	    readings_named(&r, "hostB", "cpu2 status"), 3);
	st = sweep_stats(sw);
	ck_assert_uint_eq(st->sdr_walks, 0);
	ck_assert_uint_eq(st->sdr_hits, 2);
	ck_assert_uint_eq(st->sdr_conflicts, 0);
	ck_assert_uint_eq(r.nrows[RT_SDR], 0);
	ck_assert_uint_eq(a.get_sdr, 1);
	ck_assert_uint_eq(b.get_sdr, 1);
	/* Device ID, Chassis Status, SDR info, the probe, 3 readings */
	ck_assert_uint_eq(a.requests, 7);
	ck_assert_uint_eq(b.reserves, 0);
	sweep_free(sw);
	rows_release(&r);
}

START_TEST(test_poisoned_b_first)
{
	poisoned(1);
}
END_TEST

START_TEST(test_poisoned_a_first)
{
	poisoned(0);
}
END_TEST

/*
 * With the sensors' IDs learnt (collect's preload): a sensor whose
 * metadata differs from what was learnt goes by name, with it, once; the
 * next sweep reads it by its IDs, no name and no metadata; one unknown
 * stays by name.
 */
START_TEST(test_readings_by_id)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_SENSORS };
	struct sweep_host ha;
	struct fbmc a;
	struct rows r;
	struct sweep *sw;
	const struct rows_buf *t;

	ck_assert_ptr_nonnull(cfg.ids = sids_new());
	fbmc_init(&a, names_a);
	memset(&ha, 0, sizeof(ha));
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	sweep_one(sw, &ha, "hostA", &a);
	ck_assert_uint_eq(r.nrows[RT_READING], 3);
	ck_assert_uint_eq(r.nrows[RT_READING_ID], 0);
	/* the database made the first two */
	ck_assert_int_eq(sids_put(cfg.ids, sids_key("hostA", 32, 0x10,
	    names_a[0]), 0, 500, 9), 0);
	ck_assert_int_eq(sids_put(cfg.ids, sids_key("hostA", 32, 0x11,
	    names_a[1]), 0, 501, 9), 0);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(sweep_begin(sw, "t2"), 0);
		rows_reset(&r);
		sweep_one(sw, &ha, "hostA", &a);
		/* first by name (metadata new to the process), then by ID */
		ck_assert_uint_eq(r.nrows[RT_READING], round == 0 ? 3 : 1);
		ck_assert_uint_eq(r.nrows[RT_READING_ID], round == 0 ? 0 : 2);
		ck_assert_int_eq(readings_named(&r, "hostA", names_a[2]), 1);
	}
	t = &r.t[RT_READING_ID];
	ck_assert_ptr_nonnull(memmem(t->p, t->len, "500\t9\t", 6));
	ck_assert_ptr_nonnull(memmem(t->p, t->len, "\n501\t9\t", 7));
	sweep_free(sw);
	sids_free(cfg.ids);
	rows_release(&r);
}
END_TEST

/* The flush hook: what each call took, then the rows handed over. */
struct flushes {
	struct rows	*r;
	int		 calls;
	int		 before_end;	/* calls with no result row yet */
	size_t		 readings;
};

static void
on_flush(void *arg)
{
	struct flushes *f = arg;

	f->calls++;
	if (f->r->nrows[RT_RESULT] == 0)
		f->before_end++;
	f->readings += f->r->nrows[RT_READING] + f->r->nrows[RT_READING_ID];
	rows_reset(f->r);
}

/*
 * Rows go to the writer by size as steps make them, not only when a host
 * ends (with every host in flight, none ends for most of the sweep): a
 * flush size of one byte hands over each reading before the host's end,
 * and every reading once.
 */
START_TEST(test_flush_mid_host)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_SENSORS,
	    .flush_bytes = 1, .flush = on_flush };
	struct sweep_host ha;
	struct fbmc a;
	struct rows r;
	struct sweep *sw;
	struct flushes f = { .r = &r };

	cfg.flush_arg = &f;
	fbmc_init(&a, names_a);
	memset(&ha, 0, sizeof(ha));
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	sweep_one(sw, &ha, "hostA", &a);
	ck_assert_int_ge(f.before_end, NREC);
	ck_assert_int_eq(f.calls, f.before_end + 1);	/* the host's end */
	ck_assert_uint_eq(f.readings, NREC);
	ck_assert_uint_eq(r.total, 0);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

/*
 * BMCs that want a reservation even at offset 0, or return no more than
 * 16 bytes an answer: the probe learns it once, then costs 2 and 1
 * requests; a host of the same repository stays a hit.
 */
START_TEST(test_probe_learns)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_SENSORS };
	struct sweep_host h0, h1, h2;
	struct fbmc b0, b1, b2;
	struct rows r;
	struct sweep *sw;
	const struct sweep_stats *st;

	fbmc_init(&b0, names_a);
	fbmc_init(&b1, names_a);
	fbmc_init(&b2, names_a);
	b1.want_resv = 1;
	b2.read_max = 16;
	memset(&h0, 0, sizeof(h0));
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	sweep_one(sw, &h0, "h0", &b0);
	sweep_one(sw, &h1, "h1", &b1);
	sweep_one(sw, &h2, "h2", &b2);
	st = sweep_stats(sw);
	ck_assert_uint_eq(st->sdr_walks, 1);
	ck_assert_uint_eq(st->sdr_hits, 2);
	ck_assert_uint_eq(st->sdr_conflicts, 0);
	ck_assert_int_eq(readings_named(&r, "h1", "CPU1 Status"), 1);
	ck_assert_int_eq(readings_named(&r, "h2", "CPU2 Status"), 1);
	/* C5h, Reserve, Get SDR; CAh at 43 bytes, CAh at 21, 10 bytes */
	ck_assert_uint_eq(b1.get_sdr, 2);
	ck_assert_uint_eq(b1.reserves, 1);
	ck_assert_uint_eq(b2.get_sdr, 3);
	ck_assert_int_eq(h1.sdr_probe_resv, 1);
	ck_assert_uint_eq(h2.sdr_probe_max, 21 / 2);

	ck_assert_int_eq(sweep_begin(sw, "t2"), 0);
	b1.get_sdr = b1.reserves = b2.get_sdr = 0;
	sweep_one(sw, &h1, "h1", &b1);
	sweep_one(sw, &h2, "h2", &b2);
	ck_assert_uint_eq(st->sdr_hits, 2);
	ck_assert_uint_eq(b1.get_sdr + b1.reserves, 2);
	ck_assert_uint_eq(b2.get_sdr, 1);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

/*
 * A BMC that answers one byte a Get SDR (bmcsim's drip): the probe reads
 * the header under a reservation within its bound, compares it and stays
 * a hit; a BMC of another repository behind the key still walks.
 */
START_TEST(test_probe_drip)
{
	struct sweep_cfg cfg = { .run_key = "t", .what = SWEEP_SENSORS };
	struct sweep_host h0, h1, h2;
	struct fbmc b0, b1, b2;
	struct rows r;
	struct sweep *sw;
	const struct sweep_stats *st;

	fbmc_init(&b0, names_a);
	fbmc_init(&b1, names_a);
	fbmc_init(&b2, names_b);
	b1.drip = 1;
	b2.drip = 1;
	/* another first record header: B's record 1 a byte longer */
	compact(&b2, 0, "cpu0 status!");
	memset(&h0, 0, sizeof(h0));
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	sweep_one(sw, &h0, "h0", &b0);
	sweep_one(sw, &h1, "h1", &b1);
	st = sweep_stats(sw);
	ck_assert_uint_eq(st->sdr_walks, 1);
	ck_assert_uint_eq(st->sdr_hits, 1);
	/* 1 byte, Reserve, then 4 bytes more: the header */
	ck_assert_uint_eq(b1.get_sdr, 5);
	ck_assert_uint_eq(b1.reserves, 1);
	ck_assert_int_eq(readings_named(&r, "h1", "CPU1 Status"), 1);
	sweep_one(sw, &h2, "h2", &b2);
	ck_assert_uint_eq(st->sdr_walks, 2);
	ck_assert_uint_eq(st->sdr_conflicts, 1);
	ck_assert_int_eq(readings_named(&r, "h2", "cpu1 status"), 1);
	ck_assert_int_eq(readings_named(&r, "h2", "CPU1 Status"), 0);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

/* FRU text as JSON: escaped by lib/json, too long for out is 0. */
START_TEST(test_fru_json)
{
	struct fru *f = calloc(1, sizeof(*f));
	char out[256], tiny[16];

	ck_assert_ptr_nonnull(f);
	f->board.present = 1;
	f->board.mfr.present = 1;
	snprintf(f->board.mfr.text, sizeof(f->board.mfr.text),
	    "A \"quoted\"\tname\xff");
	f->board.serial.present = 1;	/* empty: left out */
	ck_assert_uint_gt(sweep_fru_json(f, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "{\"board.manufacturer\": \"A \\\"quoted\\\""
	    "\\u0009name\xef\xbf\xbd\"}");
	ck_assert_uint_eq(sweep_fru_json(f, tiny, sizeof(tiny)), 0);
	ck_assert_str_eq(tiny, "");
	memset(f, 0, sizeof(*f));
	ck_assert_uint_eq(sweep_fru_json(f, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "{}");
	free(f);
}
END_TEST

/* A table's COPY text as a string (the buffer is not NUL-terminated). */
static char *
table_text(const struct rows *r, enum row_table t)
{
	char *s = malloc(r->t[t].len + 1);

	ck_assert_ptr_nonnull(s);
	if (r->t[t].len > 0)
		memcpy(s, r->t[t].p, r->t[t].len);
	s[r->t[t].len] = '\0';
	return s;
}

static uint64_t
fixed_clock(void *arg)
{
	(void)arg;
	return 1767225600123ULL;	/* 2026-01-01 00:00:00.123 UTC */
}

/*
 * The BIOS version rides with the FRU: read set by set into its own row;
 * a BMC that refuses Get System Info Parameters is asked once, then no
 * more.
 */
START_TEST(test_sysfw)
{
	struct sweep_cfg cfg = { .run_key = "run-1", .what = SWEEP_FRU,
	    .clock = fixed_clock };
	struct fbmc b, nob;
	struct rows r;
	struct sweep *sw;
	struct sweep_host h, noh;
	char *t;

	fbmc_init(&b, names_a);
	fbmc_init(&nob, names_a);
	b.sysinfo = 1;
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	memset(&h, 0, sizeof(h));
	memset(&noh, 0, sizeof(noh));
	sweep_one(sw, &h, "node1", &b);
	sweep_one(sw, &noh, "node2", &nob);
	ck_assert_uint_eq(b.sysinfo_reqs, 3);	/* 14 + 16 + 3 bytes */
	ck_assert_uint_eq(r.nrows[RT_SYSFW], 1);
	t = table_text(&r, RT_SYSFW);
	ck_assert_str_eq(t, "node1\t" FBMC_BIOS "\t"
	    "2026-01-01 00:00:00.123+00\n");
	free(t);
	ck_assert_int_eq(h.no_sysfw, 0);
	ck_assert_int_eq(noh.no_sysfw, 1);
	ck_assert_uint_eq(nob.sysinfo_reqs, 1);
	/* the next sweep (the FRU due again): the refusal remembered */
	sweep_one(sw, &noh, "node2", &nob);
	sweep_one(sw, &h, "node1", &b);
	ck_assert_uint_eq(nob.sysinfo_reqs, 1);
	ck_assert_uint_eq(b.sysinfo_reqs, 6);
	ck_assert_uint_eq(r.nrows[RT_SYSFW], 2);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

/*
 * The rows one host's sweep makes, column for column: what the merge
 * reads, so a change in what the sweep writes shows here first.
 */
START_TEST(test_rows_out)
{
	struct sweep_cfg cfg = { .run_key = "run-1", .what = SWEEP_SENSORS |
	    SWEEP_SEL, .clock = fixed_clock };
	struct fbmc b;
	struct rows r;
	struct sweep *sw;
	struct sweep_host h;
	char *t;

	fbmc_init(&b, names_a);
	b.power = 1;
	b.sel = 1;
	rows_init(&r);
	ck_assert_ptr_nonnull(sw = sweep_new(&cfg, &r));
	memset(&h, 0, sizeof(h));
	sweep_one(sw, &h, "node1", &b);

	/* one reading per sensor: owner, number, name, record, type, kind,
	 * units, thresholds, time, value, raw, status, health, states */
	t = table_text(&r, RT_READING);
	ck_assert_str_eq(t,
	    "node1\t32\t16\tCPU0 Status\t1\tProcessor\tdiscrete\t\\N\t"
	    "\\N\t2026-01-01 00:00:00.123+00\t\\N\t0\t\\N\tnominal\t128\n"
	    "node1\t32\t17\tCPU1 Status\t2\tProcessor\tdiscrete\t\\N\t"
	    "\\N\t2026-01-01 00:00:00.123+00\t\\N\t0\t\\N\tnominal\t128\n"
	    "node1\t32\t18\tCPU2 Status\t3\tProcessor\tdiscrete\t\\N\t"
	    "\\N\t2026-01-01 00:00:00.123+00\t\\N\t0\t\\N\tnominal\t128\n");
	free(t);
	ck_assert_uint_eq(h.readings, 3);

	/* both SEL entries, then the cursor after them */
	t = table_text(&r, RT_SEL);
	ck_assert_uint_eq(r.nrows[RT_SEL], 2);
	ck_assert_ptr_eq(strstr(t, "node1\t1\t"), t);
	ck_assert_ptr_nonnull(strstr(t, "\nnode1\t2\t"));
	/* named as the SDR names sensor 0x11, asserted then deasserted */
	ck_assert_ptr_nonnull(strstr(t, "\tProcessor\t17\tCPU1 Status\t111\t"
	    "0\tasserted\t"));
	ck_assert_ptr_nonnull(strstr(t, "\tProcessor\t17\tCPU1 Status\t111\t"
	    "0\tdeasserted\t"));
	free(t);
	ck_assert_uint_eq(h.events, 2);
	t = table_text(&r, RT_SEL_CURSOR);
	ck_assert_uint_eq(r.nrows[RT_SEL_CURSOR], 1);
	ck_assert_ptr_eq(strstr(t, "node1\t"), t);
	free(t);
	ck_assert(h.have_cursor);
	ck_assert_uint_eq(h.sel_entries, 2);
	ck_assert_uint_eq(h.sel_last_id, 2);

	/* the power seen, the profile, the repository for the cache */
	t = table_text(&r, RT_POWER);
	ck_assert_ptr_eq(strstr(t, "node1\t"), t);
	ck_assert_ptr_nonnull(strstr(t, "\tt\n"));
	free(t);
	t = table_text(&r, RT_PROFILE);
	ck_assert_ptr_eq(strstr(t, "node1\t674\t256\t32\t"), t);
	ck_assert_ptr_nonnull(strstr(t, "\t4.40\t2.0\t"));
	free(t);
	ck_assert_uint_eq(r.nrows[RT_SDR], 1);
	ck_assert_uint_eq(r.nrows[RT_FRU], 0);	/* not asked */
	ck_assert_uint_eq(r.nrows[RT_DCMI], 0);

	/* the result: ok, no reason, its requests */
	t = table_text(&r, RT_RESULT);
	ck_assert_ptr_eq(strstr(t, "run-1\tnode1\tt\t\\N\t\\N\t"), t);
	free(t);
	ck_assert_uint_eq(sweep_stats(sw)->ok, 1);
	ck_assert_uint_eq(sweep_stats(sw)->readings, 3);
	ck_assert_uint_eq(sweep_stats(sw)->events, 2);

	/* the next sweep: the SEL unchanged, one Get SEL Info and no rows */
	rows_release(&r);
	rows_init(&r);
	b.requests = 0;
	sweep_one(sw, &h, "node1", &b);
	ck_assert_uint_eq(r.nrows[RT_SEL], 0);
	ck_assert_uint_eq(r.nrows[RT_SEL_CURSOR], 0);
	ck_assert_uint_eq(r.nrows[RT_READING], 3);
	sweep_free(sw);
	rows_release(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_models_bounded);
	tcase_add_test(tc, test_add_bound);
	tcase_add_test(tc, test_poisoned_b_first);
	tcase_add_test(tc, test_poisoned_a_first);
	tcase_add_test(tc, test_readings_by_id);
	tcase_add_test(tc, test_flush_mid_host);
	tcase_add_test(tc, test_probe_learns);
	tcase_add_test(tc, test_probe_drip);
	tcase_add_test(tc, test_fru_json);
	tcase_add_test(tc, test_rows_out);
	tcase_add_test(tc, test_sysfw);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
