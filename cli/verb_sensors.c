/*
 * verb_sensors: "bmcfleet ... sensors [--state LIST]": every sensor of
 * every host, read and decoded.
 *
 * Per host: the SDR repository (collector/task_sdr.c: from the cache when the
 * repository is unchanged), then one Get Sensor Reading per full and
 * compact sensor the BMC owns (shared records expanded), converted with
 * the record's factors.  Thresholds come from the SDR, not from Get Sensor
 * Thresholds: that saves a command per sensor, and they are what
 * `ipmitool sdr` and ipmi-sensors show unless someone changed them at run
 * time (docs/NOTES.md).
 *
 * Health (--state, the "state" column) is ipmi/sensor.h's: nominal,
 * warning, critical, na.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/direct.h"
#include "cli/namelist.h"
#include "cli/out.h"
#include "cli/run.h"
#include "collector/task_sdr.h"
#include "cli/verbs.h"
#include "collector/task_read.h"
#include "ipmi/evtab.h"
#include "ipmi/ipmi.h"
#include "ipmi/sensor.h"

/* What was read of one sensor (its description is sh->d[i]). */
struct sens {
	int		asked;		/* Get Sensor Reading sent */
	int		got;		/* and answered well */
	uint8_t		cc;		/* or refused with this */
	struct ipmi_sensor_reading_rsp rd;
};

struct sens_host {
	struct task_sdr	 l;
	int		 loaded;
	struct sensor_desc *d;		/* the SDR's sensors */
	struct sens	*s;		/* and their readings, n of each */
	size_t		 n;
	struct task_read t;
};

struct sens_run {
	char		 cache[4096];
	const char	*cache_dir;
	unsigned	 want;		/* 1 << health: shown; 0 = all */
};

/* --- collecting -------------------------------------------------------- */

/* Turn the loaded records into the sensor list. */
static int
collect(struct sens_host *sh)
{
	if (task_read_list(sh->l.buf, sh->l.len, &sh->d, &sh->n) != 0)
		return -1;
	if (sh->n > 0 && (sh->s = calloc(sh->n, sizeof(*sh->s))) == NULL)
		return -1;
	task_read_init(&sh->t, sh->d, sh->n);
	return 0;
}

/* Send the next Get Sensor Reading, or say the host is done. */
static enum drv_step
next_reading(struct sens_host *sh, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct task_reading got;
	enum drv_step st = task_read_step(&sh->t, rsp, req, &got);

	if (got.answered) {
		sh->s[got.i].cc = got.cc;
		sh->s[got.i].got = got.ok;
		sh->s[got.i].rd = got.rd;
	}
	if (st == DRV_STEP_SEND)
		sh->s[sh->t.cur].asked = 1;
	return st;
}

static enum drv_step
step(struct run *r, struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	const struct sens_run *sr = r->vdata;
	struct sens_host *sh = h->data;
	enum drv_step st;

	if (rsp == NULL) {
		if ((sh = calloc(1, sizeof(*sh))) == NULL) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		h->data = sh;
		task_sdr_init(&sh->l, sr->cache_dir);
	}
	if (!sh->loaded) {
		if ((st = direct_sdr_step(&sh->l, h, rsp, req)) != DRV_STEP_DONE)
			return st;
		sh->loaded = 1;
		if (collect(sh) != 0) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		/* the records are decoded; their bytes are in the cache */
		task_sdr_release(&sh->l);
		return next_reading(sh, NULL, req);
	}
	return next_reading(sh, rsp, req);
}

static int
parse(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	static struct sens_run sr;

	if (argc > 0) {
		snprintf(err, errlen, "sensors: unexpected argument '%s'",
		    argv[0]);
		return -1;
	}
	memset(&sr, 0, sizeof(sr));
	sr.cache_dir = direct_sdr_cache_dir(r, sr.cache, sizeof(sr.cache));
	if (r->o->state != NULL && namelist_mask(&namelist_health, "--state",
	    r->o->state, &sr.want, err, errlen) != 0)
		return -1;
	r->vdata = &sr;
	return 0;
}

/* --- what a sensor shows ------------------------------------------------- */

struct shown {
	int		has_value;
	double		value;
	double		resolution;
	int		status;		/* enum sensor_status, -1 none */
	int		health;
};

static int
readable(const struct sens *s)
{
	return s->got && !sensor_reading_na(&s->rd);
}

static void
show(const struct sensor_desc *d, const struct sens *s, struct shown *o)
{
	memset(o, 0, sizeof(*o));
	o->status = -1;
	if (d->kind == SENSOR_KIND_EVENT_ONLY) {
		o->status = SENSOR_ST_NA;
		o->health = SENSOR_NA;
		return;
	}
	o->health = sensor_health(d->event_type, d->sensor_type,
	    readable(s) ? &s->rd : NULL);
	if (d->kind != SENSOR_KIND_THRESHOLD)
		return;
	o->status = readable(s) ? sensor_thresh_status(&s->rd, NULL) :
	    SENSOR_ST_NA;
	if (readable(s) && d->analog &&
	    sensor_convert(&d->f, s->rd.raw, &o->value) == 0) {
		o->has_value = 1;
		o->resolution = sensor_resolution(&d->f, s->rd.raw);
	}
}

/* Decimals that show a value to its resolution: 0.06 -> 2, 1 -> 0. */
static int
decimals(double res)
{
	int d = 0;

	if (res <= 0)
		return 3;
	while (d < 6 && res < 0.9999) {
		res *= 10;
		d++;
	}
	return d;
}

static int
wanted(const struct sens_run *sr, const struct shown *o)
{
	return sr->want == 0 || (sr->want >> o->health) & 1;
}

/* The asserted discrete states, in the spec's words, ", " between. */
static void
states_text(const struct sensor_desc *d, const struct sens *s, char *out,
    size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	if (!readable(s) || !s->rd.has_state)
		return;
	for (unsigned i = 0; i < 15; i++) {
		const char *w;
		char num[16];

		if (!(s->rd.states >> i & 1))
			continue;
		if ((w = ipmi_event_string(d->event_type, d->sensor_type,
		    (uint8_t)i)) == NULL) {
			snprintf(num, sizeof(num), "State %u", i);
			w = num;
		}
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s",
		    n ? ", " : "", w);
		if (n >= len)
			break;
	}
}

/* --- table ------------------------------------------------------------------ */

static void
table(const struct run *r)
{
	const struct sens_run *sr = r->vdata;
	size_t hw = run_name_width(r, 4), nw = 6, shown = 0, failed = 0;
	int multi = r->n > 1;

	for (size_t i = 0; i < r->n; i++) {
		const struct sens_host *sh = r->hosts[i].data;

		for (size_t j = 0; sh != NULL && j < sh->n; j++)
			if (strlen(sh->d[j].name) > nw)
				nw = strlen(sh->d[j].name);
	}
	if (multi)
		printf("%-*s  ", (int)hw, "HOST");
	printf("%-*s  %-4s  %-24s  %-6s  %s\n", (int)nw, "SENSOR", "NUM",
	    "READING", "STATUS", "STATE");
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const struct sens_host *sh = h->data;

		if (h->t.fail != DRV_OK) {
			run_print_error(h);
			failed++;
			continue;
		}
		for (size_t j = 0; sh != NULL && j < sh->n; j++) {
			const struct sensor_desc *d = &sh->d[j];
			const struct sens *s = &sh->s[j];
			struct shown o;
			char rd[256];

			show(d, s, &o);
			if (!wanted(sr, &o))
				continue;
			shown++;
			if (d->kind == SENSOR_KIND_EVENT_ONLY)
				snprintf(rd, sizeof(rd), "Event-Only");
			else if (!s->got)
				snprintf(rd, sizeof(rd), "%s", s->asked ?
				    "No Reading" : "Not Read (bridged)");
			else if (sensor_reading_na(&s->rd))
				snprintf(rd, sizeof(rd), "Not Available");
			else if (d->kind == SENSOR_KIND_THRESHOLD && o.has_value)
				snprintf(rd, sizeof(rd), "%.*f %s",
				    decimals(o.resolution), o.value,
				    d->units);
			else if (d->kind == SENSOR_KIND_THRESHOLD)
				snprintf(rd, sizeof(rd), "raw 0x%02x",
				    s->rd.raw);
			else {
				states_text(d, s, rd, sizeof(rd));
				if (rd[0] == '\0')
					snprintf(rd, sizeof(rd), "-");
			}
			if (multi)
				printf("%-*s  ", (int)hw, h->t.name);
			printf("%-*s  %02Xh   %-24s  %-6s  %s\n", (int)nw,
			    d->name, d->number, rd, o.status >= 0 ?
			    sensor_status_name(o.status) : "-",
			    sensor_health_name(o.health));
		}
	}
	/* an empty table under --state is an answer: say it is one */
	if (sr->want != 0 && shown == 0 && failed < r->n) {
		char words[128];

		fflush(stdout);
		namelist_join(&namelist_health, sr->want, "or", words,
		    sizeof(words));
		if (failed > 0)
			fprintf(stderr, "bmcfleet: no sensor is %s on %zu of "
			    "%zu hosts (%zu failed)\n", words, r->n - failed,
			    r->n, failed);
		else
			fprintf(stderr, "bmcfleet: no sensor is %s on %zu "
			    "host%s\n", words, r->n, r->n == 1 ? "" : "s");
	}
}

/* --- JSON ---------------------------------------------------------------------- */

static void
jnum(double v)
{
	printf("%.10g", v);
}

static void
json(const struct run *r, const struct host *h)
{
	static const char *thk[SDR_TH_COUNT] = { "lnc", "lcr", "lnr", "unc",
	    "ucr", "unr" };
	const struct sens_run *sr = r->vdata;
	const struct sens_host *sh = h->data;
	int first = 1;

	printf(", \"sdr_cached\": %s, \"sensors\": [",
	    sh != NULL && sh->l.from_cache ? "true" : "false");
	for (size_t j = 0; sh != NULL && j < sh->n; j++) {
		const struct sensor_desc *d = &sh->d[j];
		const struct sens *s = &sh->s[j];
		struct shown o;

		show(d, s, &o);
		if (!wanted(sr, &o))
			continue;
		printf("%s{\"record_id\": %u, \"number\": %u, \"name\": ",
		    first ? "" : ", ", d->record_id, d->number);
		first = 0;
		out_json_str(stdout, d->name);
		printf(", \"type\": ");
		out_json_str(stdout, ipmi_sensor_type_name(d->sensor_type));
		printf(", \"kind\": \"%s\", \"reading\": ",
		    sensor_kind_name(d->kind));
		if (o.has_value)
			jnum(o.value);
		else
			printf("null");
		printf(", \"raw\": ");
		if (s->got)
			printf("%u", s->rd.raw);
		else
			printf("null");
		printf(", \"resolution\": ");
		if (o.has_value)
			jnum(o.resolution);
		else
			printf("null");
		printf(", \"units\": ");
		if (d->kind == SENSOR_KIND_THRESHOLD)
			out_json_str(stdout, d->units);
		else
			printf("null");
		printf(", \"state\": \"%s\", \"status\": ",
		    sensor_health_name(o.health));
		if (o.status >= 0)
			printf("\"%s\"", sensor_status_name(o.status));
		else
			printf("null");
		if (d->kind == SENSOR_KIND_THRESHOLD) {
			printf(", \"thresholds\": {");
			for (int k = 0; k < SDR_TH_COUNT; k++) {
				double v;

				printf("%s\"%s\": ", k ? ", " : "", thk[k]);
				if ((d->readable_th >> k & 1) &&
				    sensor_convert(&d->f, d->th_raw[k], &v) ==
				    0)
					jnum(v);
				else
					printf("null");
			}
			printf("}, \"states\": null");
		} else {
			printf(", \"thresholds\": null, \"states\": ");
			if (d->kind == SENSOR_KIND_DISCRETE && readable(s)) {
				int f2 = 1;

				printf("[");
				for (unsigned i = 0; i < 15; i++) {
					const char *w;
					char num[16];

					if (!(s->rd.states >> i & 1))
						continue;
					w = ipmi_event_string(d->event_type,
					    d->sensor_type, (uint8_t)i);
					if (w == NULL) {
						snprintf(num, sizeof(num),
						    "State %u", i);
						w = num;
					}
					printf("%s", f2 ? "" : ", ");
					f2 = 0;
					out_json_str(stdout, w);
				}
				printf("]");
			} else
				printf("null");
		}
		if (!s->got && s->asked && s->cc != 0) {
			char e[96];

			snprintf(e, sizeof(e), "%s (0x%02x)", ipmi_ccstr(s->cc),
			    s->cc);
			printf(", \"error\": ");
			out_json_str(stdout, e);
		}
		printf("}");
	}
	printf("]");
}

static void
release(struct run *r, struct host *h)
{
	struct sens_host *sh = h->data;

	(void)r;
	if (sh == NULL)
		return;
	task_sdr_release(&sh->l);
	free(sh->d);
	free(sh->s);
	free(sh);
	h->data = NULL;
}

const struct verb_ops sensors_ops = { parse, step, table, json, release };
