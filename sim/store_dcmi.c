/*
 * store_dcmi: DCMI on a simulated BMC (store.h): Get DCMI Capabilities
 * Info, and Get Power Reading over a draw that follows the power state.
 */
#include <string.h>

#include "ipmi/dcmi.h"
#include "ipmi/ipmi.h"
#include "store_int.h"

/* Rolling average periods of Get Power Reading mode 02h (table 6-7). */
static const uint8_t periods[] = {
	0x41,	/* 1 minute */
	0x45,	/* 5 minutes */
	0x4f,	/* 15 minutes */
	0x81,	/* 1 hour */
};

static uint32_t
period_s(uint8_t p)
{
	static const uint32_t unit[] = { 1, 60, 3600, 86400 };

	return (uint32_t)(p & 0x3f) * unit[p >> 6];
}

static int
dcmi_caps(struct sim_bmc *b, const struct ipmi_msg *req, struct buf *w)
{
	struct dcmi_caps_rsp rsp;
	unsigned sel = store_cfg_capacity > 0x0fff ? 0x0fff : store_cfg_capacity;
	uint8_t param;
	struct buf r;
	size_t i;

	(void)b;
	buf_init_read(&r, req->data, req->len);
	if (req->len != 2)
		return IPMI_CC_REQ_LEN;
	if (dcmi_caps_req_decode(&r, &param) != 0)
		return IPMI_CC_INVALID_FIELD;
	memset(&rsp, 0, sizeof(rsp));
	rsp.major = 1;
	rsp.minor = 5;
	rsp.param_rev = 2;
	switch (param) {
	case DCMI_CAP_SUPPORTED:
		/*
		 * Three bytes: platform, optional, access capabilities, as
		 * ipmitool, FreeIPMI and OpenBMC have them (FreeIPMI times
		 * out on a fourth byte).
		 */
		rsp.raw[0] = DCMI_PLAT_SEL_LOGGING | DCMI_PLAT_CHASSIS_POWER |
		    DCMI_PLAT_TEMPERATURE;
		rsp.raw[1] = DCMI_OPT_POWER_MGMT;
		rsp.raw[2] = DCMI_ACC_PRIMARY_LAN;
		rsp.rawlen = 3;
		break;
	case DCMI_CAP_MANDATORY:
		/*
		 * SEL attributes (no rollover: a full log drops events),
		 * identification (none), temperature monitoring (CPU), the
		 * temperature sampling period in seconds.
		 */
		rsp.raw[0] = (uint8_t)sel;
		rsp.raw[1] = (uint8_t)(sel >> 8);
		rsp.raw[2] = 0x00;
		rsp.raw[3] = 0x02;
		rsp.raw[4] = 5;
		rsp.rawlen = 5;
		break;
	case DCMI_CAP_OPTIONAL:
		/* power is managed by the BMC itself, channel 0 */
		rsp.raw[0] = IPMI_BMC_ADDR;
		rsp.raw[1] = 0x01;
		rsp.rawlen = 2;
		break;
	case DCMI_CAP_ACCESS:
		rsp.raw[0] = 0x01;	/* primary LAN: channel 1 */
		rsp.raw[1] = 0xff;
		rsp.raw[2] = 0xff;
		rsp.rawlen = 3;
		break;
	case DCMI_CAP_POWER_STATS:
		rsp.raw[0] = sizeof(periods);
		for (i = 0; i < sizeof(periods); i++)
			rsp.raw[1 + i] = periods[i];
		rsp.rawlen = 1 + sizeof(periods);
		break;
	default:
		return IPMI_CC_PARAM_RANGE;
	}
	ENC(dcmi_caps_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

/*
 * Watts.  Standby (3..8 W) when off.  When on and steady: 150..450 W by
 * seed, a triangle drift of +-8% over 10..30 minutes and a little noise.
 * After a power-on the draw rises in a straight line from standby to the
 * BMC's peak (12..19% over the steady centre, so above any steady
 * reading) over ramp_ms, as fans and disks spin up and the host POSTs,
 * then settles to the steady draw over half that again.  A host that was
 * on when the simulator started, or whose power-on is older than the
 * last two transitions, is steady.  All a function of the seed, the
 * power transitions and the time, like everything here.
 */
static uint64_t
sim_s(uint64_t ms)
{
	return ms > store_cfg_start ? (ms - store_cfg_start) / 1000 : 0;
}

static unsigned
standby(const struct sim_bmc *b, uint64_t s)
{
	uint64_t h = hash(b, TAG_WATTS, 0), noise = hash(b, TAG_NOISE, s);

	return 3 + (unsigned)(h % 5) + (noise % 4 == 0);
}

static unsigned
steady(const struct sim_bmc *b, uint64_t s)
{
	uint64_t h = hash(b, TAG_WATTS, 0), noise = hash(b, TAG_NOISE, s);
	unsigned base, amp, per, x, tri;

	base = 150 + (unsigned)(h % 301);
	amp = base * 8 / 100;
	per = 600 + (unsigned)((h >> 16) % 1201);
	x = (unsigned)((s + (h >> 32)) % per);
	tri = x < per / 2 ? x : per - x;	/* 0..per/2 */
	return base - amp + 2 * amp * tri / (per / 2) +
	    (unsigned)(noise % 7) - 3;
}

unsigned
sim_store_peak_watts(const struct sim_bmc *b)
{
	uint64_t h = hash(b, TAG_WATTS, 0);
	unsigned base = 150 + (unsigned)(h % 301);

	/* steady tops out at base * 108% + 3, below this for base >= 75 */
	return base * (112 + (unsigned)((h >> 48) % 8)) / 100;
}

/*
 * The power state at t (ms), from the current state and the last change
 * to each; *since is when an on period began, 0 when that is not known
 * (on from the start, or before the changes kept).
 */
static int
state_at(const struct sim_bmc *b, uint64_t t, uint64_t *since)
{
	uint64_t on_at = b->power_on_at, off_at = b->power_off_at, began;
	int on = b->power_on;

	*since = 0;
	for (;;) {
		began = on ? on_at : off_at;
		if (began == 0 || t >= began) {
			if (on)
				*since = began;
			return on;
		}
		/* before it began, the chassis was in the other state */
		if (on)
			on_at = 0;
		else
			off_at = 0;
		on = !on;
	}
}

static unsigned
watts_at(const struct sim_bmc *b, uint64_t t)
{
	uint64_t since, x, s = sim_s(t), settle = b->ramp_ms / 2;
	unsigned peak = sim_store_peak_watts(b), lo, st;

	if (!state_at(b, t, &since))
		return standby(b, s);
	x = t - since;
	if (since == 0 || b->ramp_ms == 0 || x >= b->ramp_ms + settle)
		return steady(b, s);
	if (x < b->ramp_ms) {
		lo = standby(b, s);
		return lo + (unsigned)((uint64_t)(peak - lo) * x / b->ramp_ms);
	}
	st = steady(b, s);
	x -= b->ramp_ms;
	return peak - (unsigned)((uint64_t)(peak - st) * x / settle);
}

unsigned
sim_store_watts(struct sim_bmc *b, uint64_t now)
{
	sim_bmc_power(b, now);
	return watts_at(b, now);
}

static int
dcmi_power(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	struct dcmi_power_req q;
	struct dcmi_power_rsp rsp;
	uint64_t now_s, up_s, sum = 0, step, t, from, edge[5];
	uint32_t win;
	unsigned k, n = 0, v;
	struct buf r;
	size_t i;

	b->cnt.dcmi_power++;
	if (req->len != 4)
		return IPMI_CC_REQ_LEN;
	buf_init_read(&r, req->data, req->len);
	if (dcmi_power_req_decode(&r, &q) != 0)
		return IPMI_CC_INVALID_FIELD;
	sim_bmc_power(b, now);
	now_s = sim_s(now);
	up_s = now_s + 1;
	if (q.mode == DCMI_POWER_SYSTEM) {
		/* statistics since the simulator started, the last hour */
		win = up_s > 3600 ? 3600 : (uint32_t)up_s;
	} else if (q.mode == DCMI_POWER_ENHANCED) {
		for (i = 0; i < sizeof(periods); i++)
			if (periods[i] == q.attr)
				break;
		if (i == sizeof(periods))
			return IPMI_CC_INVALID_FIELD;
		win = period_s(q.attr);
	} else
		return IPMI_CC_INVALID_FIELD;
	/* up to 60 samples over the window, back from now */
	step = win / 60 ? win / 60 : 1;
	memset(&rsp, 0, sizeof(rsp));
	rsp.min_w = 0xffff;
	for (k = 0; k < 60 && (uint64_t)k * step < win; k++) {
		if (now_s < (uint64_t)k * step)
			break;
		v = watts_at(b, now - (uint64_t)k * step * 1000);
		if (k == 0)
			rsp.current_w = (uint16_t)v;
		if (v < rsp.min_w)
			rsp.min_w = (uint16_t)v;
		if (v > rsp.max_w)
			rsp.max_w = (uint16_t)v;
		sum += v;
		n++;
	}
	/*
	 * Minimum and maximum are over the whole window, as a BMC sampling
	 * far more often than we do sees them: the top of a ramp, the last
	 * moment before a change, count even between samples.
	 */
	from = now > (uint64_t)win * 1000 ? now - (uint64_t)win * 1000 : 0;
	edge[0] = b->power_on_at ? b->power_on_at + b->ramp_ms : 0;
	edge[1] = b->power_on_at ? b->power_on_at - 1 : 0;
	edge[2] = b->power_on_at;
	edge[3] = b->power_off_at ? b->power_off_at - 1 : 0;
	edge[4] = b->power_off_at;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		if ((t = edge[i]) == 0 || t <= from || t > now)
			continue;
		v = watts_at(b, t);
		if (v < rsp.min_w)
			rsp.min_w = (uint16_t)v;
		if (v > rsp.max_w)
			rsp.max_w = (uint16_t)v;
	}
	rsp.avg_w = (uint16_t)(sum / (n ? n : 1));
	rsp.timestamp = store_sel_time(b->store, now);
	rsp.period_ms = win * 1000;
	rsp.state = 0x40;
	rsp.active = 1;
	ENC(dcmi_power_rsp_encode(&rsp, w));
	return IPMI_CC_OK;
}

int
store_dcmi_handle(struct sim_bmc *b, uint64_t now, const struct ipmi_msg *req,
    struct buf *w)
{
	int dcmi = req->cmd == DCMI_CMD_GET_CAPABILITIES ||
	    req->cmd == DCMI_CMD_GET_POWER_READING;

	/*
	 * Another group (PICMG 00h: ipmitool asks for HPM.x capabilities)
	 * is not ours: C1h, as on a BMC that knows only DCMI.
	 */
	if (req->len < 1 || req->data[0] != DCMI_GROUP_ID) {
		if (!dcmi)
			return -1;
		return req->len < 1 ? IPMI_CC_REQ_LEN : IPMI_CC_INVALID_FIELD;
	}
	switch (req->cmd) {
	case DCMI_CMD_GET_CAPABILITIES:
		return dcmi_caps(b, req, w);
	case DCMI_CMD_GET_POWER_READING:
		return dcmi_power(b, now, req, w);
	default:
		return IPMI_CC_INVALID_CMD;
	}
}
