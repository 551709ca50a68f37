#include <stdio.h>
#include <string.h>

#include "bmc.h"
#include "hostile.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "model.h"
#include "pefsim.h"
#include "sensors.h"
#include "store.h"

/* Chassis Identify with no data: the spec's default interval (28.5). */
#define IDENTIFY_DEFAULT_S	15

void
sim_bmc_init(struct sim_bmc *b, const struct sim_model *m, uint64_t guid_seed,
    uint32_t power_delay_ms)
{
	uint64_t x = guid_seed;
	int i;

	memset(b, 0, sizeof(*b));
	b->model = m;
	b->seed = guid_seed;
	b->power_on_delay_ms = power_delay_ms;
	b->power_off_delay_ms = power_delay_ms;
	b->soft_off_ms = SIM_SOFT_OFF_MS;
	b->ramp_ms = m->ramp_ms;
	b->power_event = sim_store_power_event;
	/* splitmix64 steps: a GUID that differs per BMC and per seed */
	for (i = 0; i < 16; i += 8) {
		uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
		int j;

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		for (j = 0; j < 8; j++)
			b->guid[i + j] = (uint8_t)(z >> (8 * j));
	}
	/* RFC 4122 version 4, variant 1 (GUID bytes go LSB first on the wire) */
	b->guid[9] = (uint8_t)((b->guid[9] & 0x0f) | 0x40);
	b->guid[7] = (uint8_t)((b->guid[7] & 0x3f) | 0x80);
}

void
sim_bmc_release(struct sim_bmc *b)
{
	sim_store_free(b);
	sim_pef_free(b);
}

static uint64_t
delay(const struct sim_bmc *b, int on)
{
	return on ? b->power_on_delay_ms : b->power_off_delay_ms;
}

/* first_on after first_ms, then (unless -1) then_on after its own delay */
static void
schedule(struct sim_bmc *b, uint64_t now, int first_on, uint64_t first_ms,
    int then_on)
{
	/* a new command replaces whatever was still pending */
	memset(b->pending, 0, sizeof(b->pending));
	b->pending[0].when = now + first_ms;
	if (b->pending[0].when == 0)
		b->pending[0].when = 1;
	b->pending[0].on = first_on;
	if (then_on >= 0) {
		b->pending[1].when = b->pending[0].when + delay(b, then_on);
		b->pending[1].on = then_on;
	}
}

static uint8_t
chassis_control(struct sim_bmc *b, uint64_t now, uint8_t ctl)
{
	int on = sim_bmc_power(b, now);

	if (ctl > IPMI_CHASSIS_SOFT)
		return IPMI_CC_INVALID_FIELD;
	if (b->refuse_power) {
		b->cnt.ctl_refused++;
		return IPMI_CC_NOT_NOW;
	}
	b->cnt.ctl[ctl]++;
	if (b->ignore_power)
		return IPMI_CC_OK;	/* a stuck host: accepted, no more */
	switch (ctl) {
	case IPMI_CHASSIS_OFF:
		schedule(b, now, 0, delay(b, 0), -1);
		break;
	case IPMI_CHASSIS_ON:
		schedule(b, now, 1, delay(b, 1), -1);
		break;
	case IPMI_CHASSIS_CYCLE:
		/* from off, a cycle just powers on, as most BMCs do it */
		if (on)
			schedule(b, now, 0, delay(b, 0), 1);
		else
			schedule(b, now, 1, delay(b, 1), -1);
		break;
	case IPMI_CHASSIS_SOFT:
		/* ACPI power button: the OS shuts down, then power goes */
		if (on)
			schedule(b, now, 0, delay(b, 0) + b->soft_off_ms, -1);
		break;
	default:
		/* reset and diag (NMI): the host reboots, power stays */
		break;
	}
	return IPMI_CC_OK;
}

static uint8_t
identify_state(struct sim_bmc *b, uint64_t now)
{
	if (b->identify_until == UINT64_MAX)
		return 2;
	if (b->identify_until > now)
		return 1;
	b->identify_until = 0;
	return 0;
}

/*
 * Get System Info Parameters (IPMI v2.0 22.14b): parameter 1 only, the
 * system firmware (BIOS) version, a string per model that --firmware-rev
 * moves on; long enough to take two sets.  Others: 80h, not supported.
 */
static uint8_t
system_info(struct sim_bmc *b, struct buf *r, struct buf *w)
{
	struct ipmi_sysinfo_req q;
	struct ipmi_sysinfo_rsp a;
	char bios[64];

	if (buf_left(r) != 4)
		return IPMI_CC_REQ_LEN;
	if (ipmi_sysinfo_req_decode(r, &q) != 0)
		return IPMI_CC_REQ_LEN;
	if (q.param != IPMI_SYSINFO_FW_VERSION)
		return 0x80;		/* parameter not supported */
	snprintf(bios, sizeof(bios), "%s BIOS 2.%u.%u", b->model->name,
	    10u + b->model->fw_major, b->fw_rev);
	if (q.rev_only) {
		memset(&a, 0, sizeof(a));
		a.revision = 0x11;
	} else if (ipmi_sysinfo_str_set(bios, q.set, &a) != 0)
		return IPMI_CC_PARAM_RANGE;	/* past the last set */
	if (ipmi_sysinfo_rsp_encode(&a, w) != 0)
		return IPMI_CC_UNSPECIFIED;
	return IPMI_CC_OK;
}

#define NEED(n)	do { if (req->len != (n)) return IPMI_CC_REQ_LEN; } while (0)
#define ENC(expr) \
	do { if ((expr) != 0) return IPMI_CC_UNSPECIFIED; } while (0)

uint8_t
sim_bmc_handle(struct sim_bmc *b, uint64_t now, uint8_t priv,
    const struct ipmi_msg *req, uint8_t *out, size_t cap, size_t *outlen)
{
	struct buf w, r;
	uint8_t need = IPMI_PRIV_USER;

	*outlen = 0;
	buf_init_write(&w, out, cap);
	buf_init_read(&r, req->data, req->len);
	if (req->netfn == IPMI_NETFN_CHASSIS &&
	    (req->cmd == IPMI_CMD_CHASSIS_CONTROL ||
	    req->cmd == IPMI_CMD_CHASSIS_IDENTIFY))
		need = IPMI_PRIV_OPERATOR;
	/* the alert receiver acknowledges, perhaps outside a session */
	if (req->netfn == IPMI_NETFN_SENSOR && req->cmd == IPMI_CMD_PET_ACK)
		need = IPMI_PRIV_CALLBACK;
	if (priv < need)
		return IPMI_CC_PRIVILEGE;

	if (req->netfn == IPMI_NETFN_APP && req->cmd == IPMI_CMD_GET_DEVICE_ID) {
		const struct sim_model *m = b->model;
		struct ipmi_device_id d = {
			.device_id = m->device_id, .device_rev = m->device_rev,
			.provides_sdrs = 1, .fw_major = m->fw_major,
			.fw_minor = (uint8_t)((m->fw_minor + b->fw_rev) % 100),
			.ipmi_version = 0x02,
			/* sensor, SDR repository, SEL, FRU, chassis */
			.support = 0x8f, .manufacturer = m->manufacturer,
			.product = m->product, .has_aux = 1,
		};

		NEED(0);
		memcpy(d.aux, m->aux, sizeof(d.aux));
		ENC(ipmi_device_id_encode(&d, &w));
	} else if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_DEVICE_GUID) {
		NEED(0);
		ENC(buf_put_bytes(&w, b->guid, 16) == -1);
	} else if (req->netfn == IPMI_NETFN_APP &&
	    req->cmd == IPMI_CMD_GET_SYSTEM_INFO) {
		uint8_t cc = system_info(b, &r, &w);

		if (cc != IPMI_CC_OK)
			return cc;
	} else if (req->netfn == IPMI_NETFN_CHASSIS &&
	    req->cmd == IPMI_CMD_GET_CHASSIS_STATUS) {
		struct ipmi_chassis_status st;

		NEED(0);
		memset(&st, 0, sizeof(st));
		st.power_on = sim_bmc_power(b, now);
		st.restore_policy = 0;	/* stays off after AC loss */
		st.identify_supported = 1;
		st.identify_state = identify_state(b, now);
		st.has_front_panel = 1;
		ENC(ipmi_chassis_status_encode(&st, &w));
	} else if (req->netfn == IPMI_NETFN_CHASSIS &&
	    req->cmd == IPMI_CMD_CHASSIS_CONTROL) {
		uint8_t ctl;

		NEED(1);
		if (ipmi_chassis_ctl_decode(&r, &ctl) != 0)
			return IPMI_CC_INVALID_FIELD;	/* not a known control */
		return chassis_control(b, now, ctl);
	} else if (req->netfn == IPMI_NETFN_CHASSIS &&
	    req->cmd == IPMI_CMD_CHASSIS_IDENTIFY) {
		struct ipmi_identify_req id;

		if (req->len > 2)
			return IPMI_CC_REQ_TOO_LONG;
		if (ipmi_identify_decode(&r, &id) != 0)
			return IPMI_CC_REQ_LEN;
		if (id.has_force && id.force)
			b->identify_until = UINT64_MAX;
		else if (!id.has_seconds)
			b->identify_until = now + IDENTIFY_DEFAULT_S * 1000;
		else if (id.seconds == 0)
			b->identify_until = 0;
		else
			b->identify_until = now + (uint64_t)id.seconds * 1000;
		b->cnt.identify++;
	} else {
		int cc = sim_hostile_handle(b, now, priv, req, &w);

		if (cc < 0)
			cc = sim_sensors_handle(b, now, req, &w);
		if (cc < 0)
			cc = sim_pef_handle(b, now, priv, req, &w);
		if (cc < 0)
			cc = sim_store_handle(b, now, priv, req, &w);
		if (cc < 0)
			return IPMI_CC_INVALID_CMD;
		if (cc != IPMI_CC_OK)
			return (uint8_t)cc;
	}
	*outlen = w.len;
	/* a hostile BMC (quirk.h) alters what a good one would say */
	sim_hostile_rewrite(b, now, priv, req, IPMI_CC_OK, out, outlen);
	return IPMI_CC_OK;
}
