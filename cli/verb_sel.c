/*
 * verb_sel: "bmcfleet ... sel list|info|clear", the System Event Log.
 *
 *   sel info    Get SEL Info and Get SEL Time: entries, free space, the
 *               last add and erase times, overflow, what the log supports.
 *   sel list    the SDR repository first (collector/task_sdr.c, soft: from the
 *               cache when warm; without it entries have no sensor names
 *               and threshold events no converted values, as in ipmitool),
 *               then every entry (ipmi/sel.h's walker), decoded, with the
 *               spec's description and a severity.  --state filters by
 *               severity (info, warning, critical).
 *   sel clear   Reserve SEL and Clear SEL, then poll until the erase is
 *               done.  Needs operator privilege.
 *
 * The walk's buffer is sized from the log's entry count: the Get SEL Info
 * answer is read here before the walker digests it, so a host holds
 * (entries + SEL_EXTRA_RECORDS) x 16 bytes, not the 1 MiB the largest
 * log would need.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/direct.h"
#include "cli/namelist.h"
#include "cli/out.h"
#include "cli/run.h"
#include "collector/task_sdr.h"
#include "cli/verbs.h"
#include "collector/task_read.h"
#include "collector/task_sel.h"
#include "ipmi/evtab.h"
#include "ipmi/ipmi.h"
#include "ipmi/sel.h"
#include "ipmi/sensor.h"

enum sel_mode { M_LIST, M_INFO, M_CLEAR };

struct sel_host {
	struct task_sdr	*l;		/* list: the SDR load, then NULL */
	char		 sdr_err[160];
	struct sensor_desc *sens;	/* the SDR's sensors, for names */
	size_t		 nsens;
	struct task_sel	 sel;		/* list: the log, then its entries */
	struct sel_clear c;
	int		 started;
	int		 time_asked;
	int		 have_time;
	uint32_t	 sel_time;
	struct ipmi_sel_info_rsp info;
	int		 have_info;
	int		 clear_pending;	/* erase started, not seen done */
};

struct sel_run {
	enum sel_mode	 mode;
	const char	*cache_dir;
	char		 cache[4096];
	unsigned	 want;		/* 1 << severity shown; 0 = all */
};

/* --- the SDR's sensors ------------------------------------------------- */

static void
collect_sensors(struct sel_host *sh, const struct task_sdr *l)
{
	/* out of memory: no names, which are a nicety */
	(void)task_read_list(l->buf, l->len, &sh->sens, &sh->nsens);
}

/*
 * The sensor an event names: same number and owner (the generator's
 * address), else same number and sensor type, as ipmitool matches.
 */
static const struct sensor_desc *
find_sensor(const struct sel_host *sh, const struct sel_entry *e)
{
	if (sh == NULL || e->kind != SEL_KIND_SYSTEM)
		return NULL;
	return sensor_desc_match(sh->sens, sh->nsens,
	    (uint8_t)(e->generator & 0xff), e->sensor_number, e->sensor_type);
}

/* --- the exchange ------------------------------------------------------- */

static enum drv_step
fail_walk(struct host *h, const char *what, int err, uint8_t cc)
{
	return driver_fail_cmd(&h->t, err, what, cc);
}

/* The walk failed: say what the BMC got wrong when the walker knows. */
static enum drv_step
fail_list(struct host *h, const struct sel_walk *w, int err)
{
	if (err == IPMI_E_MALFORMED && w->why != NULL) {
		driver_fail(&h->t, err, "reading the SEL: %s (%u entries "
		    "read, Get SEL Info said %u)", w->why, w->nrecords,
		    (unsigned)w->info.entries);
		return DRV_STEP_FAIL;
	}
	return fail_walk(h, "reading the SEL", err, w->cc);
}

static enum drv_step
send_ir(struct drv_request *req, const struct ipmi_req *ir)
{
	drv_req_from(req, ir);
	return DRV_STEP_SEND;
}

static enum drv_step
step_list(struct host *h, struct sel_host *sh,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	enum drv_step st = task_sel_step(&sh->sel, rsp, req);

	if (st == DRV_STEP_FAIL) {
		if (sh->sel.w == NULL) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		return fail_list(h, sh->sel.w, sh->sel.err);
	}
	if (st == DRV_STEP_DONE) {
		sh->info = sh->sel.w->info;
		sh->have_info = sh->sel.w->have_info;
	}
	return st;
}

static enum drv_step
step_info(struct host *h, struct sel_host *sh,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct buf b;

	if (rsp == NULL) {
		req->netfn = IPMI_NETFN_STORAGE;
		req->cmd = IPMI_CMD_GET_SEL_INFO;
		req->len = 0;
		return DRV_STEP_SEND;
	}
	if (!sh->time_asked) {
		if (rsp->cc != IPMI_CC_OK)
			return run_cc_fail(&h->t, rsp, "Get SEL Info");
		buf_init_read(&b, rsp->data, rsp->len);
		if (ipmi_sel_info_rsp_decode(&b, &sh->info) != 0) {
			driver_fail(&h->t, IPMI_E_SHORT,
			    "Get SEL Info: answer too short (%zu bytes)",
			    rsp->len);
			return DRV_STEP_FAIL;
		}
		sh->have_info = 1;
		sh->time_asked = 1;
		req->netfn = IPMI_NETFN_STORAGE;
		req->cmd = IPMI_CMD_GET_SEL_TIME;
		req->len = 0;
		return DRV_STEP_SEND;
	}
	/* a BMC without a clock is still a BMC with a log */
	if (rsp->cc == IPMI_CC_OK) {
		buf_init_read(&b, rsp->data, rsp->len);
		sh->have_time = ipmi_sel_time_rsp_decode(&b, &sh->sel_time) ==
		    0;
	}
	return DRV_STEP_DONE;
}

static enum drv_step
step_clear(struct host *h, struct sel_host *sh,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct ipmi_req ir;
	int rc;

	if (rsp != NULL) {
		rc = sel_clear_feed(&sh->c, rsp->cc, rsp->data, rsp->len);
		if (rc == IPMI_E_TIMEOUT && sh->c.initiated) {
			/* started and still erasing: say so, not failed */
			sh->clear_pending = 1;
			return DRV_STEP_DONE;
		}
		if (rc < 0)
			return fail_walk(h, "clearing the SEL", rc, sh->c.cc);
	}
	rc = sel_clear_next(&sh->c, &ir);
	if (rc == IPMI_WALK_SEND)
		return send_ir(req, &ir);
	if (rc < 0)
		return fail_walk(h, "clearing the SEL", rc, sh->c.cc);
	return DRV_STEP_DONE;
}

static enum drv_step
step(struct run *r, struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	const struct sel_run *sr = r->vdata;
	struct sel_host *sh = h->data;
	enum drv_step st;

	if (sh == NULL) {
		if ((sh = calloc(1, sizeof(*sh))) == NULL) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		h->data = sh;
		if (sr->mode == M_LIST) {
			if ((sh->l = malloc(sizeof(*sh->l))) == NULL) {
				driver_fail(&h->t, IPMI_E_NOSPACE,
				    "out of memory");
				return DRV_STEP_FAIL;
			}
			task_sdr_init(sh->l, sr->cache_dir);
			sh->l->soft = 1;
			task_sel_init(&sh->sel, NULL);
		} else if (sr->mode == M_CLEAR) {
			sel_clear_init(&sh->c);
		}
	}
	switch (sr->mode) {
	case M_INFO:
		return step_info(h, sh, rsp, req);
	case M_CLEAR:
		return step_clear(h, sh, rsp, req);
	case M_LIST:
		break;
	}
	if (sh->l != NULL) {
		if ((st = direct_sdr_step(sh->l, h, rsp, req)) != DRV_STEP_DONE)
			return st;
		if (sh->l->failed)
			snprintf(sh->sdr_err, sizeof(sh->sdr_err), "%s",
			    sh->l->err);
		else
			collect_sensors(sh, sh->l);
		task_sdr_release(sh->l);
		free(sh->l);
		sh->l = NULL;
		rsp = NULL;
	}
	return step_list(h, sh, rsp, req);
}

/* --- arguments ------------------------------------------------------------ */

static int
parse_common(struct run *r, enum sel_mode mode, int argc, char **argv,
    char *err, size_t errlen)
{
	static struct sel_run sr;
	static const char *names[] = { "sel list", "sel info", "sel clear" };

	if (argc > 0) {
		snprintf(err, errlen, "%s: unexpected argument '%s'",
		    names[mode], argv[0]);
		return -1;
	}
	memset(&sr, 0, sizeof(sr));
	sr.mode = mode;
	if (mode == M_LIST)
		sr.cache_dir = direct_sdr_cache_dir(r, sr.cache,
		    sizeof(sr.cache));
	if (r->o->state != NULL && mode != M_LIST) {
		snprintf(err, errlen, "%s: --state applies to sel list only",
		    names[mode]);
		return -1;
	}
	if (r->o->state != NULL && namelist_mask(&namelist_severity,
	    "--state", r->o->state, &sr.want, err, errlen) != 0)
		return -1;
	r->vdata = &sr;
	return 0;
}

static int
parse_list(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	return parse_common(r, M_LIST, argc, argv, err, errlen);
}

static int
parse_info(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	return parse_common(r, M_INFO, argc, argv, err, errlen);
}

static int
parse_clear(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	return parse_common(r, M_CLEAR, argc, argv, err, errlen);
}

/* --- presenting an entry ------------------------------------------------------ */

struct shown {
	struct sel_entry	 e;
	const struct sensor_desc *s;
	int			 severity;
	char			 desc[160];
	int			 tv;		/* SEL_TV_* */
	double			 reading, threshold;
};

static void
show(const struct sel_host *sh, const uint8_t *rec, struct shown *o)
{
	memset(o, 0, sizeof(*o));
	(void)sel_decode(rec, SEL_ENTRY_LEN, &o->e);
	o->s = find_sensor(sh, &o->e);
	o->severity = sel_severity(&o->e);
	(void)sel_describe(&o->e, o->desc, sizeof(o->desc));
	/* converted values only with the sensor's factors, as ipmitool */
	if (o->s != NULL && o->s->analog) {
		int tv = sel_threshold_values(&o->e, &o->s->f, &o->reading,
		    &o->threshold);

		o->tv = tv > 0 ? tv : 0;
	}
}

static int
wanted(const struct sel_run *sr, const struct shown *o)
{
	return sr->want == 0 || (sr->want >> o->severity) & 1;
}

static void
fmt_time(uint32_t ts, int pre_init, char *out, size_t len)
{
	time_t t = (time_t)ts;
	struct tm tm;

	if (pre_init)
		snprintf(out, len, "pre-init +%us", ts);
	else if (ts == 0xffffffffu || gmtime_r(&t, &tm) == NULL)
		snprintf(out, len, "unspecified");
	else
		strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
sensor_label(const struct shown *o, char *out, size_t len)
{
	if (o->e.kind != SEL_KIND_SYSTEM)
		snprintf(out, len, "-");
	else if (o->s != NULL)
		snprintf(out, len, "%s", o->s->name);
	else
		snprintf(out, len, "%s #0x%02x",
		    ipmi_sensor_type_name(o->e.sensor_type),
		    o->e.sensor_number);
}

/* --- table ------------------------------------------------------------------ */

static void
table_list(const struct run *r)
{
	const struct sel_run *sr = r->vdata;
	size_t hw = run_name_width(r, 4);
	int multi = r->n > 1;
	struct shown *o;

	if ((o = malloc(sizeof(*o))) == NULL)
		return;
	if (multi)
		printf("%-*s  ", (int)hw, "HOST");
	printf("%6s  %-20s  %-24s  %-10s  %-8s  %s\n", "ID", "TIME", "SENSOR",
	    "DIRECTION", "SEVERITY", "EVENT");
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const struct sel_host *sh = h->data;

		if (h->t.fail != DRV_OK) {
			run_print_error(h);
			continue;
		}
		for (unsigned k = 0; sh != NULL && sh->sel.w != NULL &&
		    k < sh->sel.w->nrecords; k++) {
			char ts[40], sn[64], ev[256];

			show(sh, sh->sel.buf + (size_t)k * SEL_ENTRY_LEN, o);
			if (!wanted(sr, o))
				continue;
			if (o->e.has_timestamp)
				fmt_time(o->e.timestamp, o->e.pre_init, ts,
				    sizeof(ts));
			else
				snprintf(ts, sizeof(ts), "-");
			sensor_label(o, sn, sizeof(sn));
			if (o->e.kind == SEL_KIND_OEM_TS ||
			    o->e.kind == SEL_KIND_OEM) {
				size_t n = (size_t)snprintf(ev, sizeof(ev),
				    "%s:", o->desc);

				for (size_t j = 0; j < o->e.oem_len &&
				    n < sizeof(ev) - 3; j++)
					n += (size_t)snprintf(ev + n,
					    sizeof(ev) - n, " %02x",
					    o->e.oem[j]);
			} else if (o->desc[0] == '\0') {
				snprintf(ev, sizeof(ev), "%s offset %u",
				    ipmi_event_type_name(o->e.event_type),
				    o->e.offset);
			} else {
				snprintf(ev, sizeof(ev), "%s", o->desc);
			}
			if ((o->tv & SEL_TV_READING) &&
			    (o->tv & SEL_TV_THRESHOLD)) {
				size_t n = strlen(ev);

				snprintf(ev + n, sizeof(ev) - n,
				    " (reading %g %c threshold %g)",
				    o->reading, sel_threshold_cmp(&o->e),
				    o->threshold);
			}
			if (multi)
				printf("%-*s  ", (int)hw, h->t.name);
			printf("%6u  %-20s  %-24s  %-10s  %-8s  %s\n",
			    o->e.id, ts, sn, o->e.kind != SEL_KIND_SYSTEM ?
			    "-" : o->e.direction ? "deasserted" : "asserted",
			    sel_severity_name(o->severity), ev);
		}
		/* the notes go to stderr: after this host's lines, not
		 * spliced into a later one where both go to one file */
		fflush(stdout);
		if (sh != NULL && sh->sel.w != NULL && sh->sel.w->truncated)
			fprintf(stderr, "bmcfleet: %s: SEL longer than its "
			    "info said; the oldest %u entries shown\n",
			    h->t.name, sh->sel.w->nrecords);
		if (sh != NULL && sh->sdr_err[0])
			fprintf(stderr, "bmcfleet: %s: no sensor names: %s\n",
			    h->t.name, sh->sdr_err);
	}
	free(o);
}

static void
table_info(const struct run *r)
{
	size_t hw = run_name_width(r, 4);

	printf("%-*s  %7s  %10s  %-20s  %-20s  %-8s  %s\n", (int)hw, "HOST",
	    "ENTRIES", "FREE", "LAST ADD", "LAST ERASE", "OVERFLOW",
	    "TIME");
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const struct sel_host *sh = h->data;
		char add[40], erase[40], now[40];

		if (h->t.fail != DRV_OK || sh == NULL || !sh->have_info) {
			run_print_error(h);
			continue;
		}
		fmt_time(sh->info.add_ts, sh->info.add_ts <= SEL_TS_PRE_INIT,
		    add, sizeof(add));
		fmt_time(sh->info.erase_ts,
		    sh->info.erase_ts <= SEL_TS_PRE_INIT, erase, sizeof(erase));
		if (sh->have_time)
			fmt_time(sh->sel_time, sh->sel_time <= SEL_TS_PRE_INIT,
			    now, sizeof(now));
		else
			snprintf(now, sizeof(now), "-");
		printf("%-*s  %7u  %10u  %-20s  %-20s  %-8s  %s\n", (int)hw,
		    h->t.name, sh->info.entries, sh->info.free, add, erase,
		    sh->info.support & SEL_SUP_OVERFLOW ? "yes" : "no", now);
	}
}

static void
table_clear(const struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const struct sel_host *sh = h->data;

		if (h->t.fail != DRV_OK) {
			run_print_error(h);
			continue;
		}
		printf("%s: %s\n", h->t.name, sh != NULL && sh->clear_pending ?
		    "SEL erase started, still in progress" : "SEL cleared");
	}
}

static void
table(const struct run *r)
{
	const struct sel_run *sr = r->vdata;

	switch (sr->mode) {
	case M_LIST:
		table_list(r);
		break;
	case M_INFO:
		table_info(r);
		break;
	case M_CLEAR:
		table_clear(r);
		break;
	}
}

/* --- JSON ---------------------------------------------------------------------- */

static void
jts(uint32_t ts)
{
	if (ts == 0xffffffffu)
		printf("null");
	else
		printf("%u", ts);
}

static void
json_info(const struct sel_host *sh)
{
	const struct ipmi_sel_info_rsp *in = &sh->info;

	printf("{\"version\": \"%u.%u\", \"entries\": %u, \"free_bytes\": %u, "
	    "\"last_add\": ", in->version & 0xf, in->version >> 4,
	    in->entries, in->free);
	jts(in->add_ts);
	printf(", \"last_erase\": ");
	jts(in->erase_ts);
	printf(", \"overflow\": %s, \"supports\": {\"reserve\": %s, "
	    "\"delete\": %s, \"partial_add\": %s, \"alloc_info\": %s}}",
	    in->support & SEL_SUP_OVERFLOW ? "true" : "false",
	    in->support & SEL_SUP_RESERVE ? "true" : "false",
	    in->support & SEL_SUP_DELETE ? "true" : "false",
	    in->support & SEL_SUP_PARTIAL_ADD ? "true" : "false",
	    in->support & SEL_SUP_ALLOC_INFO ? "true" : "false");
}

static void
json_entry(const struct shown *o)
{
	const struct sel_entry *e = &o->e;

	printf("{\"id\": %u, \"record_type\": %u, \"kind\": \"%s\", "
	    "\"timestamp\": ", e->id, e->type,
	    e->kind == SEL_KIND_SYSTEM ? "system" :
	    e->kind == SEL_KIND_OEM_TS ? "oem-timestamped" :
	    e->kind == SEL_KIND_OEM ? "oem" : "unknown");
	if (e->has_timestamp)
		printf("%u", e->timestamp);
	else
		printf("null");
	printf(", \"pre_init\": %s", e->has_timestamp && e->pre_init ?
	    "true" : "false");
	if (e->kind == SEL_KIND_SYSTEM) {
		printf(", \"generator\": %u, \"sensor_type\": ", e->generator);
		out_json_str(stdout, ipmi_sensor_type_name(e->sensor_type));
		printf(", \"sensor_type_code\": %u, \"sensor_number\": %u, "
		    "\"sensor\": ", e->sensor_type, e->sensor_number);
		if (o->s != NULL)
			out_json_str(stdout, o->s->name);
		else
			printf("null");
		printf(", \"event_type\": %u, \"offset\": %u, "
		    "\"description\": ", e->event_type, e->offset);
		out_json_str(stdout, o->desc);
		printf(", \"direction\": \"%s\"", e->direction ? "deasserted" :
		    "asserted");
		if (o->tv & SEL_TV_READING)
			printf(", \"reading\": %.10g", o->reading);
		if (o->tv & SEL_TV_THRESHOLD)
			printf(", \"threshold\": %.10g", o->threshold);
		printf(", \"event_data\": \"%02x%02x%02x\"", e->data[0],
		    e->data[1], e->data[2]);
	} else {
		printf(", \"sensor_type\": null, \"sensor\": null, "
		    "\"description\": ");
		out_json_str(stdout, o->desc);
		printf(", \"direction\": null");
		if (e->kind == SEL_KIND_OEM_TS)
			printf(", \"manufacturer\": %u", e->manufacturer);
		if (e->oem_len > 0) {
			printf(", \"oem_data\": \"");
			for (size_t j = 0; j < e->oem_len; j++)
				printf("%02x", e->oem[j]);
			printf("\"");
		}
	}
	printf(", \"severity\": \"%s\", \"raw\": \"",
	    sel_severity_name(o->severity));
	for (size_t j = 0; j < SEL_ENTRY_LEN; j++)
		printf("%02x", e->raw[j]);
	printf("\"}");
}

static void
json(const struct run *r, const struct host *h)
{
	const struct sel_run *sr = r->vdata;
	const struct sel_host *sh = h->data;
	struct shown *o;
	int first = 1;

	if (sh == NULL)
		return;
	switch (sr->mode) {
	case M_INFO:
		printf(", \"sel\": ");
		json_info(sh);
		printf(", \"time\": ");
		if (sh->have_time)
			printf("%u", sh->sel_time);
		else
			printf("null");
		return;
	case M_CLEAR:
		printf(", \"cleared\": %s, \"in_progress\": %s",
		    sh->clear_pending ? "false" : "true",
		    sh->clear_pending ? "true" : "false");
		return;
	case M_LIST:
		break;
	}
	if (sh->have_info) {
		printf(", \"sel\": ");
		json_info(sh);
	}
	printf(", \"truncated\": %s, \"sdr_error\": ",
	    sh->sel.w != NULL && sh->sel.w->truncated ? "true" : "false");
	if (sh->sdr_err[0])
		out_json_str(stdout, sh->sdr_err);
	else
		printf("null");
	printf(", \"entries\": [");
	if ((o = malloc(sizeof(*o))) == NULL) {
		printf("]");
		return;
	}
	for (unsigned k = 0; sh->sel.w != NULL && k < sh->sel.w->nrecords; k++) {
		show(sh, sh->sel.buf + (size_t)k * SEL_ENTRY_LEN, o);
		if (!wanted(sr, o))
			continue;
		printf("%s", first ? "" : ", ");
		first = 0;
		json_entry(o);
	}
	free(o);
	printf("]");
}

static void
release(struct run *r, struct host *h)
{
	struct sel_host *sh = h->data;

	(void)r;
	if (sh == NULL)
		return;
	if (sh->l != NULL) {
		task_sdr_release(sh->l);
		free(sh->l);
	}
	task_sel_release(&sh->sel);
	free(sh->sens);
	free(sh);
	h->data = NULL;
}

const struct verb_ops sel_list_ops = { parse_list, step, table, json,
    release };
const struct verb_ops sel_info_ops = { parse_info, step, table, json,
    release };
const struct verb_ops sel_clear_ops = { parse_clear, step, table, json,
    release };
