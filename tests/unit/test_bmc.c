/*
 * sim/bmc: the simulated BMC's command handlers, without sessions; its
 * power behaviour (per-model delays, hosts that refuse or ignore power
 * commands, the DCMI draw ramping after power-on), the knobs that set it
 * (sim/simconf), and a resent Chassis Control run once through sim/sess
 * driven by the real client.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/loop.h"
#include "ipmi/cmds.h"
#include "ipmi/dcmi.h"
#include "ipmi/ipmi.h"
#include "ipmi/msg.h"
#include "ipmi/rmcp.h"
#include "ipmi/sensor.h"
#include "ipmi/session.h"
#include "sim/bmc.h"
#include "sim/fleet.h"
#include "sim/hostile.h"
#include "sim/model.h"
#include "sim/quirk.h"
#include "sim/sensors.h"
#include "sim/sess.h"
#include "sim/quirk.h"
#include "sim/simconf.h"
#include "sim/store.h"

static struct sim_bmc b;
static uint8_t out[IPMI_MAX_PAYLOAD];
static size_t outlen;

static void
setup(void)
{
	sim_bmc_init(&b, sim_model_find("dell-r640"), 42, 1000);
}

static uint8_t
call(uint64_t now, uint8_t priv, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, size_t len)
{
	struct ipmi_msg m;

	ipmi_msg_request(&m, netfn, cmd, 1, data, len);
	return sim_bmc_handle(&b, now, priv, &m, out, sizeof(out), &outlen);
}

static uint8_t
control(uint64_t now, uint8_t ctl)
{
	return call(now, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, &ctl, 1);
}

static int
status_on(uint64_t now)
{
	struct ipmi_chassis_status st;
	struct buf r;

	ck_assert_int_eq(call(now, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_chassis_status_decode(&r, &st), 0);
	return st.power_on;
}

START_TEST(test_power_on_takes_the_delay)
{
	ck_assert_int_eq(status_on(1000), 0);
	ck_assert_int_eq(control(1000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(status_on(1999), 0);
	ck_assert_int_eq(status_on(2000), 1);
	ck_assert_uint_eq(b.power_changed, 2000);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 1);
}
END_TEST

START_TEST(test_cycle_goes_off_then_on)
{
	b.power_on = 1;
	ck_assert_int_eq(control(0, IPMI_CHASSIS_CYCLE), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 999), 1);
	ck_assert_int_eq(sim_bmc_power(&b, 1000), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 1999), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 2000), 1);
	/* from off, a cycle powers on */
	b.power_on = 0;
	ck_assert_int_eq(control(5000, IPMI_CHASSIS_CYCLE), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 6000), 1);
}
END_TEST

START_TEST(test_new_command_replaces_pending)
{
	ck_assert_int_eq(control(0, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(control(500, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 1200), 0);	/* on never landed */
	ck_assert_int_eq(sim_bmc_power(&b, 5000), 0);
	/* soft off, reset and diag leave an off machine off */
	ck_assert_int_eq(control(6000, IPMI_CHASSIS_SOFT), IPMI_CC_OK);
	ck_assert_int_eq(control(6000, IPMI_CHASSIS_RESET), IPMI_CC_OK);
	ck_assert_int_eq(control(6000, IPMI_CHASSIS_DIAG), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 9000), 0);
	ck_assert_int_eq(control(6000, 0x06), IPMI_CC_INVALID_FIELD);
}
END_TEST

START_TEST(test_privilege_enforced)
{
	uint8_t ctl = IPMI_CHASSIS_ON;

	ck_assert_int_eq(call(0, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, &ctl, 1), IPMI_CC_PRIVILEGE);
	ck_assert_int_eq(outlen, 0);
	ck_assert_int_eq(call(0, IPMI_PRIV_CALLBACK, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0), IPMI_CC_PRIVILEGE);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 0);
	ck_assert_int_eq(sim_bmc_power(&b, 100000), 0);
}
END_TEST

START_TEST(test_lengths_and_unknown_commands)
{
	uint8_t two[2] = { 1, 1 }, three[3] = { 0 };

	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, NULL, 0), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, two, 2), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, two, 1), IPMI_CC_REQ_LEN);
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, three, 3), IPMI_CC_REQ_TOO_LONG);
	/* Set Auxiliary Log Status: nobody here implements it */
	ck_assert_int_eq(call(0, IPMI_PRIV_ADMIN, IPMI_NETFN_STORAGE, 0x5b,
	    NULL, 0), IPMI_CC_INVALID_CMD);
}
END_TEST

START_TEST(test_device_id_from_model)
{
	struct ipmi_device_id d;
	struct buf r;

	ck_assert_int_eq(call(0, IPMI_PRIV_USER, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_ID, NULL, 0), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_device_id_decode(&r, &d), 0);
	ck_assert_uint_eq(d.manufacturer, 674);
	ck_assert_uint_eq(d.product, 0x0100);
	ck_assert_uint_eq(d.fw_major, 4);
	ck_assert_uint_eq(d.fw_minor, 40);
	ck_assert_uint_eq(d.ipmi_version, 0x02);
	ck_assert_int_eq(d.has_aux, 1);
	ck_assert_ptr_null(sim_model_find("no-such-model"));
	ck_assert_ptr_nonnull(sim_model_nth(1000));
}
END_TEST

START_TEST(test_guid_unique_and_v4)
{
	struct sim_bmc other;
	uint8_t guid[16];

	ck_assert_int_eq(call(0, IPMI_PRIV_USER, IPMI_NETFN_APP,
	    IPMI_CMD_GET_DEVICE_GUID, NULL, 0), IPMI_CC_OK);
	ck_assert_uint_eq(outlen, 16);
	memcpy(guid, out, 16);
	ck_assert_mem_eq(guid, b.guid, 16);
	ck_assert_uint_eq(guid[9] >> 4, 4);	/* version nibble */
	sim_bmc_init(&other, b.model, 43, 1000);
	ck_assert_int_ne(memcmp(other.guid, b.guid, 16), 0);
	sim_bmc_init(&other, b.model, 42, 1000);
	ck_assert_mem_eq(other.guid, b.guid, 16);
}
END_TEST

static uint8_t
identify_state(uint64_t now)
{
	struct ipmi_chassis_status st;
	struct buf r;

	call(now, IPMI_PRIV_USER, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(ipmi_chassis_status_decode(&r, &st), 0);
	ck_assert_int_eq(st.identify_supported, 1);
	return st.identify_state;
}

START_TEST(test_identify)
{
	uint8_t five = 5, force[2] = { 0, 1 }, zero = 0;

	/* no data: the spec's 15 s default */
	ck_assert_int_eq(call(0, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, NULL, 0), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(14999), 1);
	ck_assert_int_eq(identify_state(15000), 0);
	ck_assert_int_eq(call(20000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, &five, 1), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(24999), 1);
	ck_assert_int_eq(identify_state(25000), 0);
	ck_assert_int_eq(call(30000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, force, 2), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(999999999), 2);
	ck_assert_int_eq(call(30000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_IDENTIFY, &zero, 1), IPMI_CC_OK);
	ck_assert_int_eq(identify_state(30001), 0);
	ck_assert_uint_eq(b.cnt.identify, 4);
}
END_TEST


/* --- power timing ---------------------------------------------------------- */

START_TEST(test_on_off_and_soft_delays)
{
	b.power_on_delay_ms = 1500;
	b.power_off_delay_ms = 800;
	b.soft_off_ms = 5000;
	ck_assert_int_eq(control(1000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 2499), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 2500), 1);
	ck_assert_uint_eq(b.power_on_at, 2500);
	ck_assert_int_eq(control(10000, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 10799), 1);
	ck_assert_int_eq(sim_bmc_power(&b, 10800), 0);
	ck_assert_uint_eq(b.power_off_at, 10800);
	ck_assert_uint_eq(b.power_on_at, 2500);
	/* a cycle: off after the off delay, on after the on delay more */
	ck_assert_int_eq(control(20000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(control(30000, IPMI_CHASSIS_CYCLE), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 30799), 1);
	ck_assert_int_eq(sim_bmc_power(&b, 30800), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 32299), 0);
	ck_assert_int_eq(sim_bmc_power(&b, 32300), 1);
	ck_assert_uint_eq(b.power_off_at, 30800);
	ck_assert_uint_eq(b.power_on_at, 32300);
	/* soft off: the OS shuts down first */
	ck_assert_int_eq(control(40000, IPMI_CHASSIS_SOFT), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 45799), 1);
	ck_assert_int_eq(sim_bmc_power(&b, 45800), 0);
	/* a hard off cuts a slow soft off short */
	ck_assert_int_eq(control(50000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	b.soft_off_ms = 3600000;
	ck_assert_int_eq(control(60000, IPMI_CHASSIS_SOFT), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 300000), 1);
	ck_assert_int_eq(control(300000, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	ck_assert_int_eq(sim_bmc_power(&b, 300800), 0);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_SOFT], 2);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 3);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_OFF], 2);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_CYCLE], 1);
}
END_TEST

START_TEST(test_model_power_defaults)
{
	static const struct {
		const char	*name;
		uint32_t	 on, off, ramp;
	} want[] = {
		{ "dell-r640", 1500, 800, 30000 },
		{ "hpe-dl380", 2500, 1000, 45000 },
		{ "supermicro-x11", 1200, 600, 20000 },
		{ "lenovo-sr650", 2000, 900, 40000 },
		{ "openbmc", 1000, 500, 25000 },
	};
	struct sim_conf c;
	struct sim_knobs k;
	uint32_t on, off, ramp;
	size_t i;

	simconf_init(&c);
	simconf_knobs(&c, 0, &k);
	ck_assert_uint_eq(k.soft_off_ms, SIM_SOFT_OFF_MS);
	ck_assert_int_eq(k.refuse_power, 0);
	ck_assert_int_eq(k.ignore_power, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct sim_model *m = sim_model_find(want[i].name);

		ck_assert_ptr_nonnull(m);
		simconf_power(&k, m, &on, &off, &ramp);
		ck_assert_uint_eq(on, want[i].on);
		ck_assert_uint_eq(off, want[i].off);
		ck_assert_uint_eq(ramp, want[i].ramp);
		/* on takes longer than off everywhere: POST */
		ck_assert_uint_gt(m->power_on_ms, m->power_off_ms);
	}
	simconf_release(&c);
}
END_TEST

/* bmcsim ARGS... into c; the return of simconf_parse */
static int
parse(struct sim_conf *c, char *err, size_t errlen, const char *const *args)
{
	static char copies[32][64];	/* simconf_parse may write argv */
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"bmcsim";
	for (; *args != NULL && argc < 31; argc++, args++) {
		snprintf(copies[argc], sizeof(copies[argc]), "%s", *args);
		argv[argc] = copies[argc];
	}
	argv[argc] = NULL;
	simconf_init(c);
	return simconf_parse(c, argc, argv, err, errlen);
}

static void
power_of(const struct sim_conf *c, uint32_t index, const char *model,
    uint32_t *on, uint32_t *off, uint32_t *ramp, struct sim_knobs *k)
{
	simconf_knobs(c, index, k);
	simconf_power(k, sim_model_find(model), on, off, ramp);
}

START_TEST(test_power_knobs_command_line)
{
	static const char *const a1[] = { "--power-delay-ms", "300", NULL };
	static const char *const a2[] = { "--power-delay-ms", "300",
	    "--power-off-delay-ms", "70", "--soft-off-ms", "9000",
	    "--power-ramp-ms", "0", NULL };
	static const char *const a3[] = { "--power-off-delay-ms", "70",
	    "--power-delay-ms", "300", "--refuse-power", "2,5-6",
	    "--ignore-power", "3", "--count", "8", NULL };
	static const char *const bad[] = { "--refuse-power", "0", NULL };
	struct sim_conf c;
	struct sim_knobs k;
	char err[256];
	uint32_t on, off, ramp, i;

	/* --power-delay-ms alone: both delays, ramp still the model's */
	ck_assert_int_eq(parse(&c, err, sizeof(err), a1), 0);
	power_of(&c, 0, "hpe-dl380", &on, &off, &ramp, &k);
	ck_assert_uint_eq(on, 300);
	ck_assert_uint_eq(off, 300);
	ck_assert_uint_eq(ramp, 45000);
	simconf_release(&c);

	ck_assert_int_eq(parse(&c, err, sizeof(err), a2), 0);
	power_of(&c, 0, "hpe-dl380", &on, &off, &ramp, &k);
	ck_assert_uint_eq(on, 300);
	ck_assert_uint_eq(off, 70);
	ck_assert_uint_eq(ramp, 0);
	ck_assert_uint_eq(k.soft_off_ms, 9000);
	simconf_release(&c);

	/* the off delay wins in either order */
	ck_assert_int_eq(parse(&c, err, sizeof(err), a3), 0);
	for (i = 0; i < 8; i++) {
		power_of(&c, i, "openbmc", &on, &off, &ramp, &k);
		ck_assert_uint_eq(on, 300);
		ck_assert_uint_eq(off, 70);
		ck_assert_int_eq(k.refuse_power, i == 1 || i == 4 || i == 5);
		ck_assert_int_eq(k.ignore_power, i == 2);
		ck_assert_int_eq(k.dead, 0);
	}
	simconf_release(&c);

	ck_assert_int_eq(parse(&c, err, sizeof(err), bad), -1);
	ck_assert_ptr_nonnull(strstr(err, "--refuse-power: '0'"));
	simconf_release(&c);
}
END_TEST

/* --stats and --sel-dump, on the command line and in the file */
START_TEST(test_record_paths)
{
	static const char *const a1[] = { "--stats", "/tmp/s.jsonl",
	    "--sel-dump", "/tmp/d.jsonl", NULL };
	static const char *const a2[] = { "--sel-dump", NULL };
	char path[] = "/tmp/test_bmc-XXXXXX", err[256];
	struct sim_conf c;
	FILE *f;
	int fd;

	ck_assert_int_eq(parse(&c, err, sizeof(err), a1), 0);
	ck_assert_str_eq(c.stats_path, "/tmp/s.jsonl");
	ck_assert_str_eq(c.sel_dump_path, "/tmp/d.jsonl");
	simconf_release(&c);
	ck_assert_ptr_null(c.sel_dump_path);
	ck_assert_int_eq(parse(&c, err, sizeof(err), a2), -1);
	simconf_release(&c);

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs("sel_dump: /tmp/y.jsonl\n", f);
	fclose(f);
	simconf_init(&c);
	ck_assert_msg(simconf_load(&c, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(c.sel_dump_path, "/tmp/y.jsonl");
	ck_assert_ptr_null(c.stats_path);
	simconf_release(&c);
	unlink(path);
}
END_TEST

START_TEST(test_power_knobs_yaml)
{
	static const char yaml[] =
	    "count: 6\n"
	    "defaults: {power_off_delay_ms: 400, soft_off_ms: 2000}\n"
	    "bmcs:\n"
	    "  - {index: 2, power_delay_ms: 900}\n"
	    "  - {index: \"3-4\", power_off_delay_ms: 50, power_delay_ms: 60,\n"
	    "     power_ramp_ms: 1000, refuse_power: true}\n"
	    "  - {index: 5, ignore_power: yes, soft_off_ms: 0}\n";
	char path[] = "/tmp/test_bmc-XXXXXX", err[256];
	struct sim_conf c;
	struct sim_knobs k;
	uint32_t on, off, ramp;
	FILE *f;
	int fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(yaml, f);
	fclose(f);
	simconf_init(&c);
	ck_assert_msg(simconf_load(&c, path, err, sizeof(err)) == 0, "%s",
	    err);
	/* 1: the model's on delay, the fleet's off delay */
	power_of(&c, 0, "dell-r640", &on, &off, &ramp, &k);
	ck_assert_uint_eq(on, 1500);
	ck_assert_uint_eq(off, 400);
	ck_assert_uint_eq(ramp, 30000);
	ck_assert_uint_eq(k.soft_off_ms, 2000);
	/* 2: power_delay_ms sets both, over the fleet's off delay */
	power_of(&c, 1, "dell-r640", &on, &off, &ramp, &k);
	ck_assert_uint_eq(on, 900);
	ck_assert_uint_eq(off, 900);
	/* 3-4: an off delay given beside it wins, whatever the order */
	power_of(&c, 3, "dell-r640", &on, &off, &ramp, &k);
	ck_assert_uint_eq(on, 60);
	ck_assert_uint_eq(off, 50);
	ck_assert_uint_eq(ramp, 1000);
	ck_assert_int_eq(k.refuse_power, 1);
	ck_assert_int_eq(k.ignore_power, 0);
	power_of(&c, 4, "dell-r640", &on, &off, &ramp, &k);
	ck_assert_int_eq(k.ignore_power, 1);
	ck_assert_uint_eq(k.soft_off_ms, 0);
	ck_assert_int_eq(k.refuse_power, 0);
	simconf_release(&c);

	f = fopen(path, "w");
	fputs("bmcs:\n  - {index: 1, refuse_power: maybe}\n", f);
	fclose(f);
	simconf_init(&c);
	ck_assert_int_eq(simconf_load(&c, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "refuse_power: expected true"));
	simconf_release(&c);
	unlink(path);
}
END_TEST

/* --- quirks: --quirk NAMES[:LIST] and quirks: [..] ------------------------ */

START_TEST(test_quirks_command_line)
{
	static const char *const a[] = { "--count", "8",
	    "--quirk", "authcap:2,5-6", "--quirk", "no-dcmi,ignore-seq-reset:6",
	    "--quirk", "sdr-small-reads", NULL };
	static const char *const bad1[] = { "--quirk", "nope:1", NULL };
	static const char *const bad2[] = { "--quirk", "authcap:0", NULL };
	static const char *const bad3[] = { "--quirk", ":3", NULL };
	static const uint32_t want[8] = { 0, SIM_Q_AUTHCAP, 0, 0,
	    SIM_Q_AUTHCAP, SIM_Q_AUTHCAP | SIM_Q_NO_DCMI | SIM_Q_SEQ_RESET,
	    0, 0 };
	struct sim_conf c;
	struct sim_knobs k;
	char err[256];
	uint32_t i;

	ck_assert_msg(parse(&c, err, sizeof(err), a) == 0, "%s", err);
	for (i = 0; i < 8; i++) {
		simconf_knobs(&c, i, &k);
		/* the unlisted one is on every BMC; the rest add up */
		ck_assert_uint_eq(k.quirks, want[i] | SIM_Q_SDR_SMALL_READS);
		ck_assert_int_eq(k.dead, 0);
		ck_assert_int_eq(k.refuse_power, 0);
		ck_assert_int_eq(k.ignore_power, 0);
	}
	simconf_release(&c);

	ck_assert_int_eq(parse(&c, err, sizeof(err), bad1), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown quirk 'nope' (known: "));
	simconf_release(&c);
	ck_assert_int_eq(parse(&c, err, sizeof(err), bad2), -1);
	ck_assert_ptr_nonnull(strstr(err, "--quirk: '0'"));
	simconf_release(&c);
	ck_assert_int_eq(parse(&c, err, sizeof(err), bad3), -1);
	ck_assert_ptr_nonnull(strstr(err, "no quirk named"));
	simconf_release(&c);
}
END_TEST

static int
load_yaml(struct sim_conf *c, const char *yaml, char *err, size_t errlen)
{
	char path[] = "/tmp/test_bmc-XXXXXX";
	FILE *f;
	int fd, rc;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(yaml, f);
	fclose(f);
	simconf_init(c);
	rc = simconf_load(c, path, err, errlen);
	unlink(path);
	return rc;
}

START_TEST(test_quirks_yaml)
{
	struct sim_conf c;
	struct sim_knobs k;
	char err[256];

	ck_assert_msg(load_yaml(&c, "count: 4\n"
	    "defaults: {quirks: [no-dcmi]}\n"
	    "bmcs:\n"
	    "  - {index: 2, quirks: [authcap]}\n"
	    "  - {index: \"2-3\", quirks: [no-name-lookup, authcap]}\n",
	    err, sizeof(err)) == 0, "%s", err);
	simconf_knobs(&c, 0, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_NO_DCMI);
	simconf_knobs(&c, 1, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_NO_DCMI | SIM_Q_AUTHCAP |
	    SIM_Q_NAME_LOOKUP);
	simconf_knobs(&c, 2, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_NO_DCMI | SIM_Q_AUTHCAP |
	    SIM_Q_NAME_LOOKUP);
	simconf_knobs(&c, 3, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_NO_DCMI);
	ck_assert_int_eq(k.dead, 0);
	simconf_release(&c);

	/* one name per item, a list, known names; the place is given */
	ck_assert_int_eq(load_yaml(&c, "bmcs:\n"
	    "  - {index: 1, quirks: [\"authcap,no-dcmi\"]}\n", err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, ":2:") != NULL &&
	    strstr(err, "unknown quirk 'authcap,no-dcmi'") != NULL, "%s", err);
	simconf_release(&c);
	ck_assert_int_eq(load_yaml(&c, "defaults: {quirks: authcap}\n", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "quirks: expected a list"));
	simconf_release(&c);
	ck_assert_int_eq(load_yaml(&c, "bmcs:\n"
	    "  - {index: 1, quirks: [sun20, nope]}\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown quirk 'nope'"));
	simconf_release(&c);
}
END_TEST

/* --- misbehaving hosts ----------------------------------------------------- */

START_TEST(test_refuse_power)
{
	uint8_t ctl;

	b.refuse_power = 1;
	for (ctl = IPMI_CHASSIS_OFF; ctl <= IPMI_CHASSIS_SOFT; ctl++) {
		ck_assert_int_eq(control(1000, ctl), IPMI_CC_NOT_NOW);
		ck_assert_uint_eq(outlen, 0);
		ck_assert_uint_eq(b.cnt.ctl[ctl], 0);
	}
	ck_assert_uint_eq(b.cnt.ctl_refused, 6);
	ck_assert_int_eq(sim_bmc_power(&b, 100000), 0);
	/* a control that does not exist is still invalid, not refused */
	ck_assert_int_eq(control(1000, 0x06), IPMI_CC_INVALID_FIELD);
	ck_assert_uint_eq(b.cnt.ctl_refused, 6);
	/* status still answers */
	ck_assert_int_eq(status_on(100000), 0);
}
END_TEST

START_TEST(test_ignore_power)
{
	b.ignore_power = 1;
	ck_assert_int_eq(control(1000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_int_eq(status_on(1000000), 0);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 1);
	ck_assert_uint_eq(b.power_on_at, 0);
	/* and a stuck host that is on stays on */
	b.power_on = 1;
	ck_assert_int_eq(control(2000000, IPMI_CHASSIS_OFF), IPMI_CC_OK);
	ck_assert_int_eq(control(2000000, IPMI_CHASSIS_SOFT), IPMI_CC_OK);
	ck_assert_int_eq(status_on(9000000), 1);
	ck_assert_uint_eq(b.power_off_at, 0);
	ck_assert_uint_eq(b.cnt.ctl_refused, 0);
}
END_TEST

/* --- DCMI power draw --------------------------------------------------------- */

static struct dcmi_power_rsp
reading(uint64_t now, uint8_t mode, uint8_t attr)
{
	struct dcmi_power_req q = { mode, attr };
	struct dcmi_power_rsp p;
	uint8_t req[4];
	struct buf w, r;

	buf_init_write(&w, req, sizeof(req));
	ck_assert_int_eq(dcmi_power_req_encode(&q, &w), 0);
	ck_assert_int_eq(call(now, IPMI_PRIV_USER, IPMI_NETFN_GROUP,
	    DCMI_CMD_GET_POWER_READING, req, w.len), IPMI_CC_OK);
	buf_init_read(&r, out, outlen);
	ck_assert_int_eq(dcmi_power_rsp_decode(&r, &p), 0);
	ck_assert_uint_le(p.min_w, p.current_w);
	ck_assert_uint_le(p.current_w, p.max_w);
	ck_assert_uint_le(p.min_w, p.avg_w);
	ck_assert_uint_le(p.avg_w, p.max_w);
	return p;
}

START_TEST(test_draw_ramps_after_power_on)
{
	struct dcmi_power_rsp p;
	unsigned peak = sim_store_peak_watts(&b), w, prev;
	uint64_t on_at = 2000, t;

	ck_assert_uint_eq(b.ramp_ms, 30000);	/* dell-r640's */
	ck_assert_uint_ge(peak, 168);
	ck_assert_uint_le(peak, 535);
	ck_assert_uint_le(sim_store_watts(&b, 1000), 10);	/* standby */
	ck_assert_int_eq(control(1000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_uint_le(sim_store_watts(&b, 1999), 10);
	/* a straight climb from standby to the peak over the ramp */
	ck_assert_uint_le(sim_store_watts(&b, on_at), 10);
	ck_assert_uint_eq(b.power_on_at, on_at);
	prev = 0;
	for (t = on_at; t < on_at + 30000; t += 3000) {
		w = sim_store_watts(&b, t);
		ck_assert_uint_ge(w, prev);
		ck_assert_uint_lt(w, peak);
		prev = w;
	}
	ck_assert_uint_eq(sim_store_watts(&b, on_at + 30000), peak);
	/* then down to a steady draw below the peak, drifting */
	for (t = on_at + 45000; t < on_at + 7200000; t += 7000) {
		w = sim_store_watts(&b, t);
		ck_assert_uint_lt(w, peak);
		ck_assert_uint_ge(w, 130);
	}
	/* the peak counts as the maximum though no sample hits it */
	p = reading(on_at + 600000 + 3333, DCMI_POWER_SYSTEM, 0);
	ck_assert_uint_eq(p.max_w, peak);
	ck_assert_uint_lt(p.current_w, peak);
	ck_assert_uint_le(p.min_w, 10);		/* standby, at power-on */
	/* an hour later the window has only the steady draw */
	p = reading(on_at + 4000000, DCMI_POWER_SYSTEM, 0);
	ck_assert_uint_lt(p.max_w, peak);
	ck_assert_uint_ge(p.min_w, 130);
	/* off: standby at once; the 5-minute window still saw it on */
	ck_assert_int_eq(control(on_at + 5000000, IPMI_CHASSIS_OFF),
	    IPMI_CC_OK);
	p = reading(on_at + 5000000 + 1000 + 2000, DCMI_POWER_ENHANCED, 0x45);
	ck_assert_uint_le(p.current_w, 10);
	ck_assert_uint_ge(p.max_w, 130);
	ck_assert_uint_lt(p.max_w, peak);
	ck_assert_uint_eq(b.power_off_at, on_at + 5001000);
	ck_assert_ptr_null(b.store);
}
END_TEST

START_TEST(test_draw_is_pure)
{
	struct sim_bmc x;
	struct dcmi_power_rsp p1, p2;
	uint64_t t;

	/* without a ramp, steady at once */
	b.ramp_ms = 0;
	ck_assert_int_eq(control(1000, IPMI_CHASSIS_ON), IPMI_CC_OK);
	ck_assert_uint_ge(sim_store_watts(&b, 2000), 130);
	ck_assert_uint_lt(sim_store_watts(&b, 2000), sim_store_peak_watts(&b));
	/* the same seed and transitions give the same watts */
	b.ramp_ms = 30000;
	sim_bmc_init(&x, b.model, 42, 1000);
	ck_assert_int_eq(call(1000, IPMI_PRIV_OPERATOR, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0), IPMI_CC_OK);
	x.power_on = b.power_on;
	x.power_on_at = b.power_on_at;
	x.power_changed = b.power_changed;
	for (t = 2000; t < 200000; t += 1234)
		ck_assert_uint_eq(sim_store_watts(&x, t),
		    sim_store_watts(&b, t));
	p1 = reading(100000, DCMI_POWER_ENHANCED, 0x41);
	p2 = reading(100000, DCMI_POWER_ENHANCED, 0x41);
	ck_assert_uint_eq(p1.max_w, p2.max_w);
	ck_assert_uint_eq(p1.avg_w, p2.avg_w);
	/* and another seed, another peak (mostly) */
	sim_bmc_init(&x, b.model, 43, 1000);
	ck_assert_uint_ne(sim_store_peak_watts(&x), sim_store_peak_watts(&b));
	sim_bmc_release(&x);
}
END_TEST

/* --- a resent Chassis Control, through sessions ------------------------------- */

static struct sim_user users[1];
static struct sim_auth auth;
static struct sim_slot slots[SIM_SESS_SLOTS(2)];
static struct sim_sess bs;
static uint64_t clock_ms;
static uint32_t bmc_rnd = 0x2468ace1, cli_rnd = 0x13579bdf;

static void
xorshift(uint32_t *st, void *p, size_t n)
{
	uint8_t *d = p;

	while (n--) {
		*st ^= *st << 13;
		*st ^= *st >> 17;
		*st ^= *st << 5;
		*d++ = (uint8_t)*st;
	}
}

static void
bmc_random(void *arg, void *p, size_t n)
{
	(void)arg;
	xorshift(&bmc_rnd, p, n);
}

static int
client_random(void *arg, void *p, size_t n)
{
	(void)arg;
	xorshift(&cli_rnd, p, n);
	return 0;
}

static void
sess_setup(void)
{
	setup();
	memset(&users[0], 0, sizeof(users[0]));
	strcpy(users[0].name, "admin");
	users[0].ulen = 5;
	memcpy(users[0].pw, "pw", 2);
	users[0].pwlen = 2;
	users[0].priv = IPMI_PRIV_ADMIN;
	memset(&auth, 0, sizeof(auth));
	auth.users = users;
	auth.nusers = 1;
	auth.suites = 1U << 17;
	auth.v15_types = 1U << IPMI_AUTH_MD5;
	memset(&bs, 0, sizeof(bs));
	bs.bmc = &b;
	bs.auth = &auth;
	bs.slots = slots;
	bs.nslots = SIM_SESS_SLOTS(2);
	bs.limit = 2;
	bs.random = bmc_random;
	clock_ms = 1000;
}

/* Carry datagrams both ways; lose the BMC's next lose answers. */
static int
pump(struct ipmi_session *s, int ev, int lose)
{
	uint8_t rsp[IPMI_MAX_PACKET];
	const uint8_t *tx;
	size_t len, n;
	int guard;

	for (guard = 0; guard < 64; guard++) {
		if ((tx = ipmi_session_tx(s, &len)) == NULL) {
			uint64_t dl = ipmi_session_deadline(s);

			if (ev == IPMI_EV_FAILED || ev == IPMI_EV_CLOSED ||
			    ev == IPMI_EV_ACTIVE || ev == IPMI_EV_RESPONSE ||
			    dl == 0)
				return ev;
			clock_ms = dl;
			ev = ipmi_session_timer(s, clock_ms);
			continue;
		}
		n = sim_sess_input(&bs, 0x7f00000104d2ULL, tx, len, clock_ms,
		    rsp, sizeof(rsp), NULL);
		if (n == 0)
			continue;
		if (lose > 0) {
			lose--;
			continue;
		}
		ev = ipmi_session_input(s, rsp, n, clock_ms);
		ck_assert_int_ge(ev, 0);
	}
	ck_abort_msg("pump did not settle");
	return ev;
}

static uint8_t
sess_control(struct ipmi_session *s, uint8_t ctl, int lose)
{
	ck_assert_int_eq(ipmi_session_request(s, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_CHASSIS_CONTROL, &ctl, 1, clock_ms), 0);
	ck_assert_int_eq(pump(s, IPMI_EV_NONE, lose), IPMI_EV_RESPONSE);
	return ipmi_session_response(s)->cc;
}

/* A session to b, IPMI v1.5 (v15) or v2.0, that resends 3 times. */
static void
sess_open(struct ipmi_session *s, int v15)
{
	struct ipmi_session_cfg cfg;

	sess_setup();
	memset(&cfg, 0, sizeof(cfg));
	cfg.iface = v15 ? IPMI_IFACE_LAN : IPMI_IFACE_LANPLUS;
	cfg.cipher_suite = v15 ? -1 : 17;
	cfg.auth_type = IPMI_AUTHTYPE_AUTO;
	cfg.priv = IPMI_PRIV_ADMIN;
	cfg.user = "admin";
	cfg.password = (const uint8_t *)"pw";
	cfg.password_len = 2;
	cfg.timeout_ms = 700;
	cfg.retries = 3;
	cfg.suites_timeout_ms = 200;
	cfg.random = client_random;
	ck_assert_int_eq(ipmi_session_init(s, &cfg), 0);
	ck_assert_int_eq(pump(s, ipmi_session_open(s, clock_ms), 0),
	    IPMI_EV_ACTIVE);
}

START_TEST(test_resent_control_runs_once)
{
	struct ipmi_session s;

	sess_open(&s, _i);

	/* two answers lost: three copies arrive, one power-on */
	ck_assert_int_eq(sess_control(&s, IPMI_CHASSIS_ON, 2), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 1);
	ck_assert_uint_eq(b.cnt.ctl_resent, 2);
	/* the same verb again is a new command (a new rq_seq): it runs */
	ck_assert_int_eq(sess_control(&s, IPMI_CHASSIS_ON, 0), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_ON], 2);
	ck_assert_uint_eq(b.cnt.ctl_resent, 2);
	/* a refusal is answered again as a refusal, counted once */
	b.refuse_power = 1;
	ck_assert_int_eq(sess_control(&s, IPMI_CHASSIS_OFF, 1),
	    IPMI_CC_NOT_NOW);
	ck_assert_uint_eq(b.cnt.ctl_refused, 1);
	ck_assert_uint_eq(b.cnt.ctl_resent, 3);
	b.refuse_power = 0;
	/*
	 * A client reusing an rq_seq for a new command, after another
	 * request or long after, gets it run.
	 */
	ck_assert_int_eq(sess_control(&s, IPMI_CHASSIS_CYCLE, 0), IPMI_CC_OK);
	ck_assert_int_eq(ipmi_session_request(&s, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0, clock_ms), 0);
	ck_assert_int_eq(pump(&s, IPMI_EV_NONE, 0), IPMI_EV_RESPONSE);
	s.rq_seq = (uint8_t)((s.rq_seq - 2) & 0x3f);
	ck_assert_int_eq(sess_control(&s, IPMI_CHASSIS_CYCLE, 0), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_CYCLE], 2);
	clock_ms += SIM_SESS_RESEND_MS + 1;
	s.rq_seq = (uint8_t)((s.rq_seq - 1) & 0x3f);
	ck_assert_int_eq(sess_control(&s, IPMI_CHASSIS_CYCLE, 0), IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.ctl[IPMI_CHASSIS_CYCLE], 3);
	ck_assert_uint_eq(b.cnt.ctl_resent, 3);
	ck_assert_uint_eq(b.cnt.bad, 0);
	ipmi_session_release(&s);
}
END_TEST

static uint8_t
sess_reading(struct ipmi_session *s, uint8_t sensor, int lose)
{
	ck_assert_int_eq(ipmi_session_request(s, IPMI_NETFN_SENSOR,
	    IPMI_CMD_GET_SENSOR_READING, &sensor, 1, clock_ms), 0);
	ck_assert_int_eq(pump(s, IPMI_EV_NONE, lose), IPMI_EV_RESPONSE);
	return ipmi_session_response(s)->cc;
}

/*
 * The "readings" counter is what a client stores: one per request
 * answered 00h, however often lost answers made the client resend it.
 */
START_TEST(test_resent_reading_counts_once)
{
	struct ipmi_session s;
	uint32_t i;

	sess_open(&s, _i);
	/* two answers lost: three copies answered, one reading */
	ck_assert_int_eq(sess_reading(&s, SIM_SENSOR_CPU1_TEMP, 2),
	    IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.get_sensor_reading, 3);
	ck_assert_uint_eq(b.cnt.readings, 1);
	ck_assert_uint_eq(b.cnt.readings_resent, 2);
	/* the same sensor again is a new request (a new rq_seq) */
	ck_assert_int_eq(sess_reading(&s, SIM_SENSOR_CPU1_TEMP, 0),
	    IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.readings, 2);
	/* a sensor that is not there serves no reading, resent or not */
	ck_assert_int_eq(sess_reading(&s, 0xee, 1), IPMI_CC_NOT_PRESENT);
	ck_assert_uint_eq(b.cnt.readings, 2);
	ck_assert_uint_eq(b.cnt.readings_resent, 2);
	ck_assert_uint_eq(b.cnt.get_sensor_reading, 6);
	/* 64 requests later the rq_seq comes round: a new reading again */
	for (i = 0; i < 64; i++)
		ck_assert_int_eq(sess_reading(&s, SIM_SENSOR_CPU1_TEMP, 0),
		    IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.readings, 66);
	ck_assert_uint_eq(b.cnt.readings_resent, 2);
	/* a copy long after the answer is not told from a new request */
	ck_assert_int_eq(sess_reading(&s, SIM_SENSOR_CPU1_TEMP, 0),
	    IPMI_CC_OK);
	clock_ms += SIM_SESS_RESEND_MS + 1;
	s.rq_seq = (uint8_t)((s.rq_seq - 1) & 0x3f);
	ck_assert_int_eq(sess_reading(&s, SIM_SENSOR_CPU1_TEMP, 0),
	    IPMI_CC_OK);
	ck_assert_uint_eq(b.cnt.readings, 68);
	ck_assert_uint_eq(b.cnt.bad, 0);
	ipmi_session_release(&s);
}
END_TEST

/* --- hostile BMCs: the knobs, and fleet.c's part ---------------------------- */

/* sim_quirk_json's array, as text in buf */
static const char *
quirks_json(uint32_t bits, char *buf, size_t len)
{
	struct gbuf gb = GBUF_INIT;
	struct json j;

	json_init(&j, &gb, JSON_SPACED);
	sim_quirk_json(bits, &j);
	ck_assert_int_eq(json_failed(&j), 0);
	snprintf(buf, len, "%s", gbuf_str(&gb));
	gbuf_release(&gb);
	return buf;
}

START_TEST(test_hostile_knobs)
{
	static const char *const a1[] = { "--count", "14", "--hostile",
	    "3-5,9-14", "--slow-ms", "250", "--reboot-after", "7", "--quirk",
	    "drip,lie-lengths:2", "--reboot-every-ms", "60000", NULL };
	static const char *const bad1[] = { "--quirk", "slowly", NULL };
	static const char *const bad2[] = { "--hostile", "0", NULL };
	static const char *const bad3[] = { "--reboot-after", "0", NULL };
	static const char yaml[] =
	    "defaults: {slow_ms: 500, quirks: [churn]}\n"
	    "bmcs:\n"
	    "  - {index: 2, quirks: [slow, reorder], slow_ms: 100}\n"
	    "  - {index: 3, quirks: [reboot], reboot_after: 3,\n"
	    "     reboot_every_ms: 2000}\n";
	static const uint32_t want[14] = {
		0, SIM_Q_DRIP | SIM_Q_LIES, SIM_Q_SLOW, SIM_Q_DRIP,
		SIM_Q_CHURN, 0, 0, 0, SIM_Q_ENDLESS_SEL, SIM_Q_LIES,
		SIM_Q_LIE_RMCPP_LEN, SIM_Q_DUPLICATE | SIM_Q_REORDER,
		SIM_Q_NO_SLOT, SIM_Q_REBOOT,
	};
	char path[] = "/tmp/test_bmc-XXXXXX", err[256], js[512];
	struct sim_conf c;
	struct sim_knobs k;
	uint32_t i;
	FILE *f;
	int fd;

	/* --hostile hands the ways out in turn, across its ranges */
	ck_assert_msg(parse(&c, err, sizeof(err), a1) == 0, "%s", err);
	for (i = 0; i < 14; i++) {
		simconf_knobs(&c, i, &k);
		ck_assert_msg(k.quirks == want[i], "BMC %u: quirks %x, not %x",
		    i + 1, k.quirks, want[i]);
		ck_assert_uint_eq(k.slow_ms, 250);
		ck_assert_uint_eq(k.reboot_after, 7);
		ck_assert_uint_eq(k.reboot_ms, 60000);
		ck_assert_int_eq(k.dead, 0);
	}
	simconf_release(&c);
	/* past the ninth way, the first again */
	ck_assert_uint_eq(sim_quirk_hostile_nth(9), SIM_Q_SLOW);
	ck_assert_uint_eq(sim_quirk_lookup("lie-lengths"), SIM_Q_LIES);
	ck_assert_uint_eq(SIM_Q_HOSTILE & 0xffff, 0);

	ck_assert_int_eq(parse(&c, err, sizeof(err), bad1), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown quirk 'slowly'"));
	ck_assert_ptr_nonnull(strstr(err, "endless-sel"));
	simconf_release(&c);
	ck_assert_int_eq(parse(&c, err, sizeof(err), bad2), -1);
	ck_assert_ptr_nonnull(strstr(err, "--hostile: '0'"));
	simconf_release(&c);
	ck_assert_int_eq(parse(&c, err, sizeof(err), bad3), -1);
	ck_assert_ptr_nonnull(strstr(err, "--reboot-after"));
	simconf_release(&c);

	/* defaults without them: 900 ms and 20 requests */
	simconf_init(&c);
	simconf_knobs(&c, 0, &k);
	ck_assert_uint_eq(k.slow_ms, SIM_SLOW_MS);
	ck_assert_uint_eq(k.slow_ms, 900);
	ck_assert_uint_eq(k.reboot_after, SIM_REBOOT_AFTER);
	ck_assert_uint_eq(k.reboot_ms, 0);
	simconf_release(&c);

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(yaml, f);
	fclose(f);
	simconf_init(&c);
	ck_assert_msg(simconf_load(&c, path, err, sizeof(err)) == 0, "%s",
	    err);
	simconf_knobs(&c, 0, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_CHURN);
	ck_assert_uint_eq(k.slow_ms, 500);
	simconf_knobs(&c, 1, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_CHURN | SIM_Q_SLOW | SIM_Q_REORDER);
	ck_assert_uint_eq(k.slow_ms, 100);
	simconf_knobs(&c, 2, &k);
	ck_assert_uint_eq(k.quirks, SIM_Q_CHURN | SIM_Q_REBOOT);
	ck_assert_uint_eq(k.reboot_after, 3);
	ck_assert_uint_eq(k.reboot_ms, 2000);
	simconf_release(&c);
	unlink(path);

	/* --stats names them, one by one */
	ck_assert_str_eq(quirks_json(SIM_Q_SLOW | SIM_Q_LIES, js, sizeof(js)),
	    "[\"slow\", \"lie-sdr-length\", \"lie-fru-offset\", "
	    "\"lie-sel-count\"]");
	ck_assert_str_eq(quirks_json(0, js, sizeof(js)), "[]");
}
END_TEST

START_TEST(test_hostile_sends)
{
	static struct sim_echo e;
	struct sim_send o[SIM_SENDS_MAX];
	const uint8_t a[] = { 1, 2, 3 }, b2[] = { 4, 5 }, c3[] = { 6 };
	int n;

	/* no quirk: the answer, as it is */
	n = sim_hostile_sends(SIM_Q_SLOW, &e, 7, a, sizeof(a), o);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_eq(o[0].p, a);
	ck_assert_uint_eq(o[0].peer, 7);

	/* duplicate: every answer twice */
	memset(&e, 0, sizeof(e));
	n = sim_hostile_sends(SIM_Q_DUPLICATE, &e, 7, a, sizeof(a), o);
	ck_assert_int_eq(n, 2);
	ck_assert_mem_eq(o[0].p, a, sizeof(a));
	ck_assert_mem_eq(o[1].p, a, sizeof(a));
	ck_assert_uint_eq(o[1].len, sizeof(a));

	/* reorder: every second answer, the previous one after it, to its
	 * own peer */
	memset(&e, 0, sizeof(e));
	n = sim_hostile_sends(SIM_Q_REORDER, &e, 7, a, sizeof(a), o);
	ck_assert_int_eq(n, 1);
	n = sim_hostile_sends(SIM_Q_REORDER, &e, 8, b2, sizeof(b2), o);
	ck_assert_int_eq(n, 2);
	ck_assert_mem_eq(o[0].p, b2, sizeof(b2));
	ck_assert_uint_eq(o[0].peer, 8);
	ck_assert_uint_eq(o[1].len, sizeof(a));
	ck_assert_mem_eq(o[1].p, a, sizeof(a));
	ck_assert_uint_eq(o[1].peer, 7);
	n = sim_hostile_sends(SIM_Q_REORDER, &e, 7, c3, sizeof(c3), o);
	ck_assert_int_eq(n, 1);
	n = sim_hostile_sends(SIM_Q_REORDER | SIM_Q_DUPLICATE, &e, 7, a,
	    sizeof(a), o);
	ck_assert_int_eq(n, 3);
	ck_assert_mem_eq(o[1].p, a, sizeof(a));
	ck_assert_mem_eq(o[2].p, c3, sizeof(c3));
}
END_TEST

/*
 * fleet.c: slow, duplicate and reorder on real sockets (127.0.28.250-252,
 * an unprivileged port), ASF pings in, pongs counted and timed out.
 */
static int
pong_tag(int fd, uint8_t *tag)
{
	uint8_t p[IPMI_MAX_PACKET];
	struct rmcp_hdr rh;
	struct asf_msg m;
	struct buf r;
	ssize_t got;

	if ((got = recv(fd, p, sizeof(p), MSG_DONTWAIT)) <= 0)
		return -1;
	buf_init_read(&r, p, (size_t)got);
	ck_assert_int_eq(rmcp_decode(&r, &rh), 0);
	ck_assert_int_eq(asf_decode(&r, &m), 0);
	*tag = m.tag;
	return 0;
}

static void
ping(int fd, uint32_t addr, uint8_t tag)
{
	uint8_t p[64];
	struct sockaddr_in to;
	struct buf w;

	buf_init_write(&w, p, sizeof(p));
	ck_assert_int_eq(asf_encode_ping(&w, 0xff, tag), 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(addr);
	to.sin_port = htons(16623);
	ck_assert_int_eq(sendto(fd, p, w.len, 0, (struct sockaddr *)&to,
	    sizeof(to)), (ssize_t)w.len);
}

/* Run the loop for ms; the pongs' tags into tags[] (*n of them). */
static void
run_for(struct loop *l, int fd, uint64_t ms, uint8_t *tags, int *n,
    uint64_t *first_ms)
{
	uint64_t t0 = loop_now(l);

	while (loop_now(l) - t0 < ms) {
		ck_assert_int_ge(loop_run_once(l, 10), 0);
		while (*n < 16 && pong_tag(fd, &tags[*n]) == 0) {
			if (*n == 0 && first_ms != NULL)
				*first_ms = loop_now(l) - t0;
			(*n)++;
		}
	}
}

START_TEST(test_hostile_fleet)
{
	static const char *const args[] = { "--count", "3", "--base",
	    "127.0.28.250", "--port", "16623", "--slow-ms", "300", "--quirk",
	    "slow:1", "--quirk", "duplicate:2", "--quirk", "reorder:3", NULL };
	struct sim_conf c;
	struct sim_fleet *f;
	struct loop *l;
	uint8_t tags[16];
	uint64_t first = 0;
	char err[256];
	int fd, n;

	ck_assert_msg(parse(&c, err, sizeof(err), args) == 0, "%s", err);
	ck_assert_ptr_nonnull(l = loop_new());
	f = sim_fleet_new(l, &c, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_int_ge(fd = socket(AF_INET, SOCK_DGRAM, 0), 0);

	/* slow: the answer comes after slow_ms, once */
	n = 0;
	ping(fd, 0x7f001cfa, 1);
	run_for(l, fd, 600, tags, &n, &first);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(tags[0], 1);
	ck_assert_uint_ge(first, 290);
	ck_assert_uint_lt(first, 550);

	/* duplicate: twice, at once */
	n = 0;
	first = 0;
	ping(fd, 0x7f001cfb, 2);
	run_for(l, fd, 150, tags, &n, &first);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(tags[0], 2);
	ck_assert_uint_eq(tags[1], 2);
	ck_assert_uint_lt(first, 100);

	/* reorder: the first answer again after the second */
	n = 0;
	ping(fd, 0x7f001cfc, 3);
	run_for(l, fd, 100, tags, &n, NULL);
	ping(fd, 0x7f001cfc, 4);
	run_for(l, fd, 100, tags, &n, NULL);
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(tags[0], 3);
	ck_assert_uint_eq(tags[1], 4);
	ck_assert_uint_eq(tags[2], 3);

	close(fd);
	sim_fleet_free(f);
	loop_free(l);
	simconf_release(&c);
}
END_TEST

static Suite *
bmc_suite(void)
{
	Suite *s = suite_create("bmc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_power_on_takes_the_delay);
	tcase_add_test(tc, test_cycle_goes_off_then_on);
	tcase_add_test(tc, test_new_command_replaces_pending);
	tcase_add_test(tc, test_privilege_enforced);
	tcase_add_test(tc, test_lengths_and_unknown_commands);
	tcase_add_test(tc, test_device_id_from_model);
	tcase_add_test(tc, test_guid_unique_and_v4);
	tcase_add_test(tc, test_identify);
	tcase_add_test(tc, test_on_off_and_soft_delays);
	tcase_add_test(tc, test_model_power_defaults);
	tcase_add_test(tc, test_power_knobs_command_line);
	tcase_add_test(tc, test_power_knobs_yaml);
	tcase_add_test(tc, test_record_paths);
	tcase_add_test(tc, test_quirks_command_line);
	tcase_add_test(tc, test_quirks_yaml);
	tcase_add_test(tc, test_refuse_power);
	tcase_add_test(tc, test_ignore_power);
	tcase_add_test(tc, test_draw_ramps_after_power_on);
	tcase_add_test(tc, test_draw_is_pure);
	tcase_add_loop_test(tc, test_resent_control_runs_once, 0, 2);
	tcase_add_loop_test(tc, test_resent_reading_counts_once, 0, 2);
	tcase_add_test(tc, test_hostile_knobs);
	tcase_add_test(tc, test_hostile_sends);
	tcase_add_test(tc, test_hostile_fleet);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(bmc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
