#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli/direct.h"
#include "cli/hostlist.h"
#include "cli/out.h"
#include "cli/progress.h"
#include "cli/rail.h"
#include "cli/run.h"
#include "cli/verbs.h"
#include "cli/workaround.h"
#include "collector/hostprof.h"
#include "collector/safefile.h"
#include "collector/sdrcache.h"
#include "collector/task_power.h"
#include "collector/task_sdr.h"
#include "collector/driver.h"
#include "lib/loop.h"
#include "lib/text.h"
#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/crypto.h"
#include "ipmi/iana.h"
#include "ipmi/ipmi.h"

enum verb_id {
	V_POWER_STATUS,
	V_POWER_CTL,
	V_MC_INFO,
	V_IDENTIFY,
	V_DATA,		/* a verb with its own ops */
};

static const struct verb verbs[] = {
	{ "power", "status", V_POWER_STATUS, 0, NULL },
	{ "power", "on", V_POWER_CTL, IPMI_CHASSIS_ON, NULL },
	{ "power", "off", V_POWER_CTL, IPMI_CHASSIS_OFF, NULL },
	{ "power", "cycle", V_POWER_CTL, IPMI_CHASSIS_CYCLE, NULL },
	{ "power", "reset", V_POWER_CTL, IPMI_CHASSIS_RESET, NULL },
	{ "power", "soft", V_POWER_CTL, IPMI_CHASSIS_SOFT, NULL },
	{ "power", "diag", V_POWER_CTL, IPMI_CHASSIS_DIAG, NULL },
	{ "mc", "info", V_MC_INFO, 0, NULL },
	{ "identify", NULL, V_IDENTIFY, 0, NULL },
	{ "sensors", NULL, V_DATA, 0, &sensors_ops },
	{ "sel", "list", V_DATA, 0, &sel_list_ops },
	{ "sel", "info", V_DATA, 0, &sel_info_ops },
	{ "sel", "clear", V_DATA, 0, &sel_clear_ops },
	{ "fru", NULL, V_DATA, 0, &fru_ops },
	{ "dcmi", "power", V_DATA, 0, &dcmi_power_ops },
	{ "bootdev", NULL, V_DATA, 0, &bootdev_ops },
};

enum drv_step
run_cc_fail(struct drv_target *t, const struct ipmi_response *rsp,
    const char *what)
{
	driver_fail(t, IPMI_E_CC, "%s: %s (0x%02x)", what, ipmi_ccstr(rsp->cc),
	    rsp->cc);
	return DRV_STEP_FAIL;
}

static enum drv_step
step(void *arg, struct drv_target *t, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct run *r = arg;
	struct host *h = (struct host *)t;	/* t is the first member */
	struct buf b;

	if (r->verb->ops != NULL)
		return r->verb->ops->step(r, h, rsp, req);
	buf_init_write(&b, req->data, sizeof(req->data));
	switch (r->verb->id) {
	case V_POWER_STATUS:
	case V_POWER_CTL: {
		struct task_power p;
		enum drv_step st;

		task_power_init(&p, r->verb->id == V_POWER_STATUS ?
		    TASK_POWER_STATUS : (int)r->verb->ctl);
		if ((st = task_power_step(&p, rsp, req)) == DRV_STEP_FAIL)
			driver_fail(t, p.err, "%s", p.why);
		if (p.have_power) {
			h->power_on = p.power_on;
			h->have_power = 1;
		}
		return st;
	}
	case V_IDENTIFY:
		if (rsp == NULL) {
			struct ipmi_identify_req id = { r->identify_secs,
			    r->identify_force, 1, r->identify_force };

			req->netfn = IPMI_NETFN_CHASSIS;
			req->cmd = IPMI_CMD_CHASSIS_IDENTIFY;
			(void)ipmi_identify_encode(&id, &b);
			req->len = b.len;
			return DRV_STEP_SEND;
		}
		if (rsp->cc != IPMI_CC_OK)
			return run_cc_fail(t, rsp, "chassis identify");
		return DRV_STEP_DONE;
	case V_MC_INFO:
		if (rsp == NULL) {
			req->netfn = IPMI_NETFN_APP;
			req->cmd = IPMI_CMD_GET_DEVICE_ID;
			return DRV_STEP_SEND;
		}
		if (rsp->cmd == IPMI_CMD_GET_DEVICE_ID) {
			struct buf rb;

			if (rsp->cc != IPMI_CC_OK)
				return run_cc_fail(t, rsp, "get device id");
			buf_init_read(&rb, rsp->data, rsp->len);
			if (ipmi_device_id_decode(&rb, &h->devid) != 0) {
				driver_fail(t, IPMI_E_SHORT, "get device id: "
				    "short response (%zu bytes)", rsp->len);
				return DRV_STEP_FAIL;
			}
			h->have_devid = 1;
			req->netfn = IPMI_NETFN_APP;
			req->cmd = IPMI_CMD_GET_DEVICE_GUID;
			return DRV_STEP_SEND;
		}
		/* the GUID is optional: many BMCs lack the command */
		if (rsp->cc == IPMI_CC_OK && rsp->len >= 16) {
			memcpy(h->guid, rsp->data, 16);
			h->have_guid = 1;
		}
		return DRV_STEP_DONE;
	}
	return DRV_STEP_FAIL;
}

static void
on_done(void *arg, struct drv_target *t)
{
	struct run *r = arg;

	r->finished++;
	if (t->fail != DRV_OK)
		r->failed++;
}

/* "12/30 hosts done, 1 failed, 8 in flight", redrawn by the timer */
static void
progress_text(void *arg, char *buf, size_t len)
{
	const struct run *r = arg;
	size_t busy = 0;

	for (size_t i = 0; i < r->n; i++)
		busy += (size_t)progress_in_flight(&r->hosts[i].t);
	snprintf(buf, len, "%zu/%zu hosts done, %zu failed, %zu in flight",
	    r->finished, r->n, r->failed, busy);
}

static void
on_debug(void *arg, const struct drv_target *t, const char *line)
{
	(void)arg;
	fprintf(stderr, "bmcfleet: %s: %s\n", t->name, line);
}

static void
format_fw(const struct ipmi_device_id *d, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%02u", d->fw_major, d->fw_minor);
}

static void
format_ipmi_version(const struct ipmi_device_id *d, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", d->ipmi_version & 0x0f,
	    d->ipmi_version >> 4);
}

static const char *
power_word(const struct host *h)
{
	return h->power_on ? "on" : "off";
}

/* "Dell Inc. (674)"; returns its length */
static size_t
vendor_label(const struct host *h, char *buf, size_t len)
{
	const char *vendor = ipmi_iana_name(h->devid.manufacturer);

	snprintf(buf, len, "%s (%u)", vendor != NULL ? vendor : "unknown",
	    h->devid.manufacturer);
	return strlen(buf);
}

size_t
run_name_width(const struct run *r, size_t min)
{
	size_t w = min;

	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->hosts[i].t.name) > w)
			w = strlen(r->hosts[i].t.name);
	return w;
}

void
run_print_error(const struct host *h)
{
	printf("%s: error: %s: %s%s\n", h->t.name, drv_fail_name(h->t.fail),
	    h->t.errmsg, h->t.fail == DRV_FAIL_INSECURE ?
	    " (--insecure allows it)" : "");
}

static void
print_table(const struct run *r)
{
	char fw[16], iv[8], guid[37];
	size_t w = 4, vw = 12;

	if (r->verb->ops != NULL) {
		r->verb->ops->table(r);
		return;
	}

	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		char vbuf[64];

		if (strlen(h->t.name) > w)
			w = strlen(h->t.name);
		if (r->verb->id == V_MC_INFO && h->t.fail == DRV_OK &&
		    vendor_label(h, vbuf, sizeof(vbuf)) > vw)
			vw = strlen(vbuf);
	}
	if (r->verb->id == V_MC_INFO)
		printf("%-*s  %-*s %-8s %-8s %-4s %s\n", (int)w, "HOST",
		    (int)vw, "MANUFACTURER", "PRODUCT", "FIRMWARE", "IPMI",
		    "GUID");
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];

		if (h->t.fail != DRV_OK) {
			if (r->verb->id == V_MC_INFO)
				printf("%-*s  error: %s: %s\n", (int)w, h->t.name,
				    drv_fail_name(h->t.fail), h->t.errmsg);
			else
				run_print_error(h);
			continue;
		}
		switch (r->verb->id) {
		case V_POWER_STATUS:
			printf("%s: %s\n", h->t.name, power_word(h));
			break;
		case V_POWER_CTL:
			printf("%s: ok\n", h->t.name);
			break;
		case V_IDENTIFY:
			/* force has no interval: the light stays on until
			 * "identify 0" (IPMI v2.0, 28.5) */
			printf("%s: ok%s\n", h->t.name, r->identify_force ?
			    " (on until 'identify 0')" : "");
			break;
		case V_MC_INFO: {
			char vbuf[64];

			vendor_label(h, vbuf, sizeof(vbuf));
			format_fw(&h->devid, fw, sizeof(fw));
			format_ipmi_version(&h->devid, iv, sizeof(iv));
			if (h->have_guid)
				ipmi_guid_format(h->guid, guid);
			else
				strcpy(guid, "-");
			printf("%-*s  %-*s 0x%04x   %-8s %-4s %s\n", (int)w,
			    h->t.name, (int)vw, vbuf, h->devid.product, fw, iv,
			    guid);
			break;
		}
		}
	}
}

static void
print_json(const struct run *r)
{
	char fw[16], iv[8], guid[37];

	printf("[");
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];

		printf("%s\n  {\"host\": ", i ? "," : "");
		out_json_str(stdout, h->t.name);
		if (h->t.fail != DRV_OK) {
			printf(", \"ok\": false, \"reason\": ");
			out_json_str(stdout, drv_fail_name(h->t.fail));
			printf(", \"error\": ");
			out_json_str(stdout, h->t.errmsg);
			printf("}");
			continue;
		}
		printf(", \"ok\": true");
		if (h->t.info.cipher_suite >= 0)
			printf(", \"cipher_suite\": %d", h->t.info.cipher_suite);
		if (r->verb->ops != NULL) {
			r->verb->ops->json(r, h);
			printf("}");
			continue;
		}
		switch (r->verb->id) {
		case V_POWER_STATUS:
			printf(", \"power\": \"%s\"", power_word(h));
			break;
		case V_POWER_CTL:
			printf(", \"action\": \"%s\"",
			    ipmi_chassis_ctl_name(r->verb->ctl));
			break;
		case V_IDENTIFY:
			/* forced: no interval (null), on until turned off */
			if (r->identify_force)
				printf(", \"identify_seconds\": null, "
				    "\"identify_forced\": true");
			else
				printf(", \"identify_seconds\": %u, "
				    "\"identify_forced\": false",
				    r->identify_secs);
			break;
		case V_MC_INFO: {
			const char *vendor =
			    ipmi_iana_name(h->devid.manufacturer);

			format_fw(&h->devid, fw, sizeof(fw));
			format_ipmi_version(&h->devid, iv, sizeof(iv));
			printf(", \"device_id\": %u, \"device_revision\": %u, "
			    "\"firmware\": \"%s\", \"ipmi_version\": \"%s\", "
			    "\"manufacturer_id\": %u, \"manufacturer\": ",
			    h->devid.device_id, h->devid.device_rev, fw, iv,
			    h->devid.manufacturer);
			if (vendor != NULL)
				out_json_str(stdout, vendor);
			else
				printf("null");
			printf(", \"product_id\": %u", h->devid.product);
			if (h->have_guid) {
				ipmi_guid_format(h->guid, guid);
				printf(", \"guid\": \"%s\"", guid);
			}
			break;
		}
		}
		printf("}");
	}
	printf("\n]\n");
}

/* "10 of 200 hosts failed: 8 timeout, 2 authentication" */
static void
print_summary(const struct run *r)
{
	size_t count[DRV_FAIL_LAST + 1] = { 0 }, failed = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->hosts[i].t.fail != DRV_OK) {
			count[r->hosts[i].t.fail]++;
			failed++;
		}
	if (failed == 0)
		return;
	/* the results first: with 2>&1 the summary must not split a line */
	fflush(stdout);
	fprintf(stderr, "bmcfleet: %zu of %zu host%s failed:", failed, r->n,
	    r->n == 1 ? "" : "s");
	for (int f = 1, first = 1; f <= DRV_FAIL_LAST; f++)
		if (count[f] > 0) {
			fprintf(stderr, "%s %zu %s", first ? "" : ",", count[f],
			    drv_fail_name((enum drv_fail)f));
			first = 0;
		}
	fputc('\n', stderr);
}

/*
 * A verb that changes a BMC's state gets the rail (cli/rail.h): its words
 * ("power off") into action and its audit operation; NULL for the others.
 * identify (a light) and bootdev (which acts at the next power action,
 * itself railed) do not.
 */
static const char *
rail_op(const struct verb *v, char *action, size_t len)
{
	if (v->id == V_POWER_CTL) {
		snprintf(action, len, "%s %s", v->w1, v->w2);
		return v->ctl == IPMI_CHASSIS_SOFT ? "soft-off" :
		    ipmi_chassis_ctl_name(v->ctl);
	}
	if (v->ops == &sel_clear_ops) {
		snprintf(action, len, "%s %s", v->w1, v->w2);
		return "sel-clear";
	}
	return NULL;
}

/* The question, before any session: 0 go, else the exit status. */
static int
rail_ask(const struct run *r, const struct rail *rl, const char *action)
{
	const char *first[RAIL_SHOW_HOSTS];
	size_t i;

	for (i = 0; i < r->n && i < RAIL_SHOW_HOSTS; i++)
		first[i] = r->hosts[i].t.name;
	switch (rail_confirm(action, first, r->n, rl->limit, r->o->yes,
	    isatty(STDIN_FILENO), stdin, stderr)) {
	case RAIL_GO:
		return 0;
	case RAIL_DECLINED:
		return 1;
	case RAIL_REFUSED:
		break;
	}
	return 2;
}

/* The trail: syslog, and audit rows when there is a database. */
static void
rail_trail(const struct run *r, const struct rail *rl, const char *action,
    const char *op)
{
	struct rail_result *res;
	char (*detail)[256];

	if ((res = calloc(r->n, sizeof(*res))) == NULL ||
	    (detail = calloc(r->n, sizeof(*detail))) == NULL) {
		free(res);
		fprintf(stderr, "bmcfleet: warning: audit not written: out of "
		    "memory\n");
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];

		res[i].host = h->t.name;
		res[i].ok = h->t.fail == DRV_OK;
		if (!res[i].ok) {
			snprintf(detail[i], sizeof(detail[i]), "%s: %s",
			    drv_fail_name(h->t.fail), h->t.errmsg);
			res[i].detail = detail[i];
		}
	}
	fflush(stdout);
	(void)rail_record(rl, action, op, res, r->n, stderr);
	free(detail);
	free(res);
}

static const struct verb *
find_verb(int argc, char **argv, int *used)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (argc < 1 || strcmp(argv[0], verbs[i].w1) != 0)
			continue;
		if (verbs[i].w2 == NULL) {
			*used = 1;
			return &verbs[i];
		}
		if (argc >= 2 && strcmp(argv[1], verbs[i].w2) == 0) {
			*used = 2;
			return &verbs[i];
		}
	}
	return NULL;
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bmcfleet: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'bmcfleet --help'.\n");
	return 2;
}

/*
 * Get Channel Cipher Suites, when a BMC has no profile yet: 150 ms an
 * attempt, two attempts (ipmi/session.c resends it once), so a BMC that
 * never answers it (ipmi_sim, older firmware) costs 0.3 s, once, rather
 * than the session's 2 x 500 ms on every contact.  A BMC answers it from
 * a table, outside any session, within a few ms on a LAN; one slower than
 * 0.3 s gets the fallback suite, marked so in its profile and asked
 * again after HOSTPROF_FALLBACK_RECHECK_S.
 */
#define DIRECT_SUITES_MS	150

/*
 * The profiles' directory (collector/hostprof.h), or NULL: only when the
 * suite is ours to choose (-I lanplus, no -C) and --no-sdr-cache is not
 * given (the profiles are kept beside the SDR cache).
 */
static const char *
prof_dir(const struct opts *o, char *buf, size_t len)
{
	if (o->iface != IPMI_IFACE_LANPLUS ||
	    o->cipher_suite != IPMI_SUITE_AUTO || o->no_sdr_cache ||
	    sdrcache_profile_dir(o->sdr_cache, buf, len) != 0)
		return NULL;
	return buf;
}

/* Each host's profile: its suite asked for at once, or why not (-v). */
static void
prof_load(struct run *r, const struct driver_cfg *dc, const char *dir)
{
	const struct opts *o = r->o;
	time_t now = time(NULL);
	unsigned wa = hostprof_wa(dc->session.flags);
	char why[800];

	for (size_t i = 0; i < r->n; i++) {
		struct host *h = &r->hosts[i];
		struct hostprof *p = &h->pr;
		int rc = hostprof_load(dir, h->addr, h->t.port, o->insecure,
		    p, why, sizeof(why));

		if (rc == 1) {
			if (o->verbose)
				fprintf(stderr, "bmcfleet: %s: no profile: "
				    "learning the cipher suite\n", h->t.name);
			continue;
		}
		if (rc == -1) {
			if (o->verbose)
				fprintf(stderr, "bmcfleet: %s: profile "
				    "ignored: %s\n", h->t.name, why);
			continue;
		}
		if (p->workarounds != wa) {
			if (o->verbose)
				fprintf(stderr, "bmcfleet: %s: profile not "
				    "used: learned with other workarounds "
				    "(-W)\n", h->t.name);
			continue;
		}
		if (!p->listed && (int64_t)now - p->learned >
		    HOSTPROF_FALLBACK_RECHECK_S) {
			if (o->verbose)
				fprintf(stderr, "bmcfleet: %s: profile not "
				    "used: suite %d was a fallback, asking the "
				    "list again\n", h->t.name, p->suite);
			continue;
		}
		h->scfg = dc->session;
		h->scfg.cipher_suite = p->suite;
		h->t.session = &h->scfg;
		h->prof = PROF_USED;
		if (o->verbose)
			fprintf(stderr, "bmcfleet: %s: profile used: cipher "
			    "suite %d (%s%s, learned by %s), no Get Channel "
			    "Cipher Suites\n", h->t.name, p->suite, p->listed ?
			    "from its list" : "fallback", p->quirks &
			    HOSTPROF_Q_NO_SUITE_LIST ? ", it lists none" : "",
			    p->by[0] ? p->by : "direct");
	}
}

/*
 * A profile's suite that stopped working (firmware updated, the suite
 * disabled) is learned again in this run: the hosts whose session failed
 * before it was active for a reason a suite can cause go back to the
 * negotiation.  Never active: the verb's step was never called, so its
 * state is as new.  Returns how many are queued in tv.
 */
static size_t
prof_relearn(struct run *r, struct drv_target **tv)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		struct host *h = &r->hosts[i];
		struct drv_target *t = &h->t;

		if (h->prof != PROF_USED || t->info.priv != 0 ||
		    (t->fail != DRV_FAIL_AUTH &&
		    t->fail != DRV_FAIL_UNSUPPORTED &&
		    t->fail != DRV_FAIL_SESSION &&
		    t->fail != DRV_FAIL_INSECURE))
			continue;
		if (r->o->verbose)
			fprintf(stderr, "bmcfleet: %s: profile's cipher suite "
			    "%d failed (%s: %s): learning it again\n", t->name,
			    h->pr.suite, drv_fail_name(t->fail), t->errmsg);
		r->finished--;
		r->failed--;
		h->prof = PROF_RELEARN;
		t->session = NULL;
		t->fail = DRV_OK;
		t->err = 0;
		t->errmsg[0] = '\0';
		memset(&t->info, 0, sizeof(t->info));
		t->start_ms = t->end_ms = 0;
		t->requests = t->dropped = 0;
		tv[n++] = t;
	}
	return n;
}

/* What the run learned, into the profiles; said under -v. */
static void
prof_store(const struct run *r, const struct driver_cfg *dc, const char *dir)
{
	const struct opts *o = r->o;
	time_t now = time(NULL);

	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const uint8_t *guid = h->have_guid ? h->guid : NULL;
		struct hostprof p;

		if (h->t.fail != DRV_OK || h->t.info.cipher_suite < 0)
			continue;
		if (h->prof == PROF_USED) {
			/* nothing negotiated: nothing learned, unless the
			 * GUID says another BMC now answers at the address */
			if (guid == NULL || !h->pr.have_guid ||
			    memcmp(guid, h->pr.guid, 16) == 0)
				continue;
			hostprof_forget(dir, h->addr, h->t.port);
			if (o->verbose)
				fprintf(stderr, "bmcfleet: %s: another BMC "
				    "(GUID) than its profile's: profile "
				    "removed\n", h->t.name);
			continue;
		}
		if (hostprof_from_info(&p, &h->t.info, dc->session.flags, guid,
		    "direct", now) != 0)
			continue;
		if (hostprof_store(dir, h->addr, h->t.port, &p) != 0) {
			if (o->verbose)
				fprintf(stderr, "bmcfleet: %s: profile not "
				    "written: %s: %s\n", h->t.name, dir,
				    strerror(errno));
			continue;
		}
		if (o->verbose)
			fprintf(stderr, "bmcfleet: %s: profile learned: cipher "
			    "suite %d (%s), written in %s\n", h->t.name,
			    p.suite, p.listed ? "from its list" :
			    "fallback, it lists none", dir);
	}
}

int
direct_run(struct opts *o)
{
	struct hostlist hl = { NULL, 0 };
	struct driver_cfg dc;
	struct run r;
	struct rail rl;
	struct loop *loop;
	struct drv_target **tv;
	uint8_t pw[IPMI_MAX_PASSWORD], kg[IPMI_KG_LEN];
	const char *warn, *op, *pdir;
	char err[256], action[32], pbuf[4096];
	int pwlen, kglen, used = 0, rc;

	memset(&r, 0, sizeof(r));
	memset(&rl, 0, sizeof(rl));
	if ((r.verb = find_verb(o->argc, o->argv, &used)) == NULL)
		return o->argc > 0 ? usage_error("unknown command '%s'",
		    o->argv[0]) : usage_error("no command given");
	r.o = o;
	r.identify_secs = 15;
	if (r.verb->ops != NULL && r.verb->ops->parse != NULL) {
		if (r.verb->ops->parse(&r, o->argc - used, o->argv + used, err,
		    sizeof(err)) != 0)
			return usage_error("%s", err);
		used = o->argc;
	} else if (r.verb->id == V_IDENTIFY && o->argc > used) {
		char *end;
		unsigned long v;

		if (strcmp(o->argv[used], "force") == 0) {
			r.identify_force = 1;
		} else {
			v = strtoul(o->argv[used], &end, 10);
			if (*end != '\0' || v > 255) {
				static const char *const force[] = { "force" };
				char hint[64];

				return usage_error("identify '%s': expected "
				    "seconds (0-255, 0 turns it off) or force%s",
				    o->argv[used], text_did_you_mean(hint,
				    sizeof(hint), o->argv[used], force, 1));
			}
			r.identify_secs = (uint8_t)v;
		}
		used++;
	}
	if (o->argc > used)
		return usage_error("unexpected argument '%s'", o->argv[used]);
	if (o->hosts == NULL)
		return usage_error("no hosts: give -H HOSTLIST");
	if (o->user == NULL)
		return usage_error("no user: give -U USER");
	if (o->iface == IPMI_IFACE_LAN && o->cipher_suite != IPMI_SUITE_AUTO)
		return usage_error("-C applies to -I lanplus only");

	if ((pwlen = opts_password(o, pw, o->iface == IPMI_IFACE_LAN ?
	    IPMI_V15_PASSWORD : IPMI_MAX_PASSWORD, &warn, err,
	    sizeof(err))) < 0)
		return usage_error("%s", err);
	if (warn != NULL)
		fprintf(stderr, "bmcfleet: warning: %s\n", warn);
	if ((kglen = opts_kg(o, kg, err, sizeof(err))) < 0)
		return usage_error("%s", err);

	if (hostlist_expand_max(&hl, o->hosts, o->max_hosts, err,
	    sizeof(err)) == -1) {
		crypto_wipe(pw, sizeof(pw));
		if (errno == E2BIG)
			return usage_error("%s (--max-hosts N raises the "
			    "limit)", err);
		return usage_error("%s", err);
	}
	{
		size_t named = hl.n;

		hostlist_sort_unique(&hl);
		if (o->verbose)
			fprintf(stderr, "bmcfleet: -H '%s': %zu host%s%s\n",
			    o->hosts, hl.n, hl.n == 1 ? "" : "s", named >
			    hl.n ? " (duplicates dropped)" : "");
	}
	if ((r.hosts = calloc(hl.n, sizeof(*r.hosts))) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		hostlist_release(&hl);
		return 1;
	}
	r.n = hl.n;
	for (size_t i = 0; i < hl.n; i++) {
		struct host *h = &r.hosts[i];

		h->t.name = hl.hosts[i];
		h->t.host = h->addr;
		h->t.arg = h;
		if (hostlist_split_port(hl.hosts[i], h->addr, sizeof(h->addr),
		    &h->t.port, o->port) == -1) {
			rc = usage_error("'%s': bad host or port", hl.hosts[i]);
			goto out;
		}
	}

	if ((op = rail_op(r.verb, action, sizeof(action))) != NULL) {
		if (rail_setup(&rl, o->db, stderr) != 0) {
			fprintf(stderr, "bmcfleet: out of memory\n");
			rc = 1;
			goto out;
		}
		if ((rc = rail_ask(&r, &rl, action)) != 0)
			goto out;
	}

	memset(&dc, 0, sizeof(dc));
	dc.fanout = o->fanout;
	dc.host_deadline_ms = o->deadline_ms;
	dc.step = step;
	dc.arg = &r;
	dc.done = on_done;
	if (o->verbose)
		dc.debug = on_debug;
	dc.session.iface = o->iface;
	dc.session.cipher_suite = o->cipher_suite;
	dc.session.auth_type = (uint8_t)o->auth_type;
	dc.session.priv = (uint8_t)o->priv;
	dc.session.flags = (o->insecure ? IPMI_SESS_INSECURE : 0) |
	    workaround_session_flags(o->workarounds);
	dc.session.user = o->user;
	dc.session.password = pw;
	dc.session.password_len = (size_t)pwlen;
	dc.session.kg = kglen > 0 ? kg : NULL;
	dc.session.kg_len = (size_t)kglen;
	dc.session.timeout_ms = o->timeout_ms;
	dc.session.retries = o->retries;
	dc.session.suites_timeout_ms = DIRECT_SUITES_MS;
	if ((pdir = prof_dir(o, pbuf, sizeof(pbuf))) != NULL)
		prof_load(&r, &dc, pdir);
	/* a terminal sees the run move; -v has its own lines, and a pipe or
	 * a file gets nothing but the results */
	r.progress = isatty(STDERR_FILENO) && !o->verbose;

	if ((loop = loop_new()) == NULL) {
		fprintf(stderr, "bmcfleet: event loop: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	if ((tv = calloc(r.n, sizeof(*tv))) == NULL) {
		fprintf(stderr, "bmcfleet: out of memory\n");
		loop_free(loop);
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < r.n; i++)
		tv[i] = &r.hosts[i].t;
	if (r.progress && progress_start(&r.bar, loop, stderr, progress_text,
	    &r) != 0)
		r.progress = 0;
	rc = driver_run(loop, &dc, tv, r.n);
	if (rc == 1 && pdir != NULL) {
		size_t again = prof_relearn(&r, tv);

		if (again > 0)
			rc = driver_run(loop, &dc, tv, again);
		if (rc == 0)
			for (size_t i = 0; i < r.n; i++)
				if (r.hosts[i].t.fail != DRV_OK)
					rc = 1;
	}
	/* erased before the results: stdout and stderr share the screen */
	progress_stop(&r.bar);
	loop_free(loop);
	free(tv);
	if (rc == -1) {
		fprintf(stderr, "bmcfleet: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	if (pdir != NULL)
		prof_store(&r, &dc, pdir);
	if (o->format == OUT_JSON)
		print_json(&r);
	else
		print_table(&r);
	print_summary(&r);
	if (op != NULL)
		rail_trail(&r, &rl, action, op);
	rc = rc == 0 ? 0 : 1;
	/* once a run, at its end: what it used is fresh, and a store does
	 * not scan the directory (collector/sdrcache.h) */
	if (r.sdr_cache != NULL) {
		int gone = sdrcache_prune(r.sdr_cache,
		    &sdrcache_limits_default, time(NULL));

		if (o->verbose && gone > 0)
			fprintf(stderr, "bmcfleet: SDR cache %s: %d old "
			    "entr%s removed\n", r.sdr_cache, gone,
			    gone == 1 ? "y" : "ies");
	}
out:
	rail_release(&rl);
	if (r.verb->ops != NULL && r.verb->ops->release != NULL)
		for (size_t i = 0; i < r.n; i++)
			r.verb->ops->release(&r, &r.hosts[i]);
	crypto_wipe(pw, sizeof(pw));
	crypto_wipe(kg, sizeof(kg));
	free(r.hosts);
	hostlist_release(&hl);
	return rc;
}

const char *
direct_sdr_cache_dir(struct run *r, char *buf, size_t len)
{
	const struct opts *o = r->o;
	char err[512];
	struct stat st;

	if (o->no_sdr_cache || sdrcache_dir(o->sdr_cache, buf, len) != 0)
		return NULL;
	/* an existing cache we do not own could feed us names, thresholds
	 * and FRU IDs, or redirect our writes: not used, and said */
	if (stat(buf, &st) == 0 && safefile_dir_ok(buf, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "bmcfleet: warning: SDR cache %s; not used\n",
		    err);
		return NULL;
	}
	r->sdr_cache = buf;
	return buf;
}

enum drv_step
direct_sdr_step(struct task_sdr *l, struct host *h,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	enum drv_step st = task_sdr_step(l, &h->t, rsp, req);

	if (l->have_devid && !h->have_devid) {
		h->devid = l->devid;
		h->have_devid = 1;
	}
	return st;
}

const char *
direct_verb_word(size_t i)
{
	size_t k, nv = sizeof(verbs) / sizeof(verbs[0]);

	/* the table lists a word's verbs together: count first rows */
	for (k = 0; k < nv; k++) {
		if (k > 0 && strcmp(verbs[k].w1, verbs[k - 1].w1) == 0)
			continue;
		if (i-- == 0)
			return verbs[k].w1;
	}
	return NULL;
}

int
direct_verb_check(int argc, char **argv, char *err, size_t len)
{
	const char *cand[16], *near;
	char list[128] = "";
	size_t n = 0;
	int used;

	if (argc < 1 || find_verb(argc, argv, &used) != NULL)
		return 0;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[0], verbs[i].w1) != 0 || verbs[i].w2 == NULL ||
		    n == sizeof(cand) / sizeof(cand[0]))
			continue;
		cand[n++] = verbs[i].w2;
		if (n > 1)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, verbs[i].w2, sizeof(list) - strlen(list) - 1);
	}
	if (n == 0)
		return 0;
	if (argc < 2) {
		snprintf(err, len, "%s: expected one of %s", argv[0], list);
		return -1;
	}
	if ((near = text_suggest(argv[1], cand, n)) != NULL)
		snprintf(err, len, "unknown %s action '%s' (did you mean "
		    "'%s'?)", argv[0], argv[1], near);
	else
		snprintf(err, len, "unknown %s action '%s' (%s)", argv[0],
		    argv[1], list);
	return -1;
}
