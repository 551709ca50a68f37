/*
 * verb_sensors: "bmcfleet ... sensors [--state LIST]": every sensor of
 * every host, read and decoded.
 *
 * Per host: the SDR repository (cli/sdrload.c: from the cache when the
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

#include "cli/out.h"
#include "cli/run.h"
#include "cli/sdrload.h"
#include "cli/verbs.h"
#include "ipmi/evtab.h"
#include "ipmi/ipmi.h"
#include "ipmi/sensor.h"

/* BMC's own slave address: sensors owned elsewhere need bridging. */
#define BMC_OWNER	0x20

enum kind { K_THRESHOLD, K_DISCRETE, K_EVENT_ONLY };

struct sens {
	uint16_t	record_id;
	uint8_t		rtype;		/* full, compact, event-only */
	uint8_t		number;
	uint8_t		owner;
	uint8_t		sensor_type;
	uint8_t		event_type;
	uint8_t		kind;		/* enum kind */
	uint8_t		readable_th;	/* SDR_TH_* bits with a value */
	uint8_t		th_raw[SDR_TH_COUNT];
	int		analog;		/* has factors */
	struct sdr_factors f;
	char		name[SDR_NAME_MAX];
	char		units[40];
	/* the reading */
	int		asked;		/* Get Sensor Reading sent */
	int		got;		/* and answered well */
	uint8_t		cc;		/* or refused with this */
	struct ipmi_sensor_reading_rsp rd;
};

struct sens_host {
	struct sdrload	 l;
	int		 loaded;
	struct sens	*s;
	size_t		 n;
	size_t		 cur;		/* next to read */
};

struct sens_run {
	char		 cache[4096];
	const char	*cache_dir;
	unsigned	 want;		/* 1 << health: shown; 0 = all */
};

/* --- collecting -------------------------------------------------------- */

static int
add_sensor(struct sens_host *sh, const struct sdr_record *rec)
{
	const struct sdr_sensor *ss = &rec->u.sensor;
	struct sens *s;
	void *p;

	if (sh->n % 32 == 0) {
		if ((p = realloc(sh->s, (sh->n + 32) * sizeof(*sh->s))) ==
		    NULL)
			return -1;
		sh->s = p;
	}
	s = &sh->s[sh->n++];
	memset(s, 0, sizeof(*s));
	s->record_id = rec->id;
	s->rtype = rec->type;
	s->number = ss->number;
	s->owner = ss->owner_id;
	s->sensor_type = ss->sensor_type;
	s->event_type = ss->event_type;
	snprintf(s->name, sizeof(s->name), "%s", ss->id.text);
	/* trailing spaces are kept in records, not in names people read */
	for (size_t k = strlen(s->name); k > 0 && s->name[k - 1] == ' '; k--)
		s->name[k - 1] = '\0';
	if (rec->type == SDR_TYPE_EVENT_ONLY)
		s->kind = K_EVENT_ONLY;
	else if (ss->event_type == IPMI_EVT_THRESHOLD)
		s->kind = K_THRESHOLD;
	else
		s->kind = K_DISCRETE;
	if (ss->has_analog && SDR_UNITS_FORMAT(ss->units1) != SDR_FMT_NONE) {
		s->analog = 1;
		s->f = ss->factors;
		if (s->kind == K_THRESHOLD) {
			s->readable_th = SDR_READABLE(ss);
			memcpy(s->th_raw, ss->thresh, sizeof(s->th_raw));
		}
	}
	sensor_units_format(ss, SENSOR_UNITS_LONG, s->units,
	    sizeof(s->units));
	return 0;
}

/* Turn the loaded records into the sensor list. */
static int
collect(struct sens_host *sh)
{
	struct sdr_iter it;
	struct sdr_record rec;
	int rc;

	sdr_iter_init(&it, sh->l.buf, sh->l.len);
	while (sdr_iter_next(&it, &rec))
		if (sdr_is_sensor(&rec) && (rc = add_sensor(sh, &rec)) != 0)
			return rc;
	return 0;
}

/* Send the next Get Sensor Reading, or say the host is done. */
static enum drv_step
next_reading(struct sens_host *sh, struct drv_request *req)
{
	struct buf b;

	while (sh->cur < sh->n) {
		struct sens *s = &sh->s[sh->cur];

		if (s->kind == K_EVENT_ONLY || s->owner != BMC_OWNER) {
			sh->cur++;
			continue;
		}
		s->asked = 1;
		req->netfn = IPMI_NETFN_SENSOR;
		req->cmd = IPMI_CMD_GET_SENSOR_READING;
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)ipmi_sensor_req_encode(s->number, &b);
		req->len = b.len;
		return DRV_STEP_SEND;
	}
	return DRV_STEP_DONE;
}

static enum drv_step
step(struct run *r, struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	const struct sens_run *sr = r->vdata;
	struct sens_host *sh = h->data;
	enum drv_step st;
	struct buf b;

	if (rsp == NULL) {
		if ((sh = calloc(1, sizeof(*sh))) == NULL) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		h->data = sh;
		sdrload_init(&sh->l, sr->cache_dir);
	}
	if (!sh->loaded) {
		if ((st = sdrload_step(&sh->l, h, rsp, req)) != DRV_STEP_DONE)
			return st;
		sh->loaded = 1;
		if (collect(sh) != 0) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		/* the records are decoded; their bytes are in the cache */
		sdrload_release(&sh->l);
		return next_reading(sh, req);
	}
	if (rsp != NULL && sh->cur < sh->n) {
		struct sens *s = &sh->s[sh->cur];

		s->cc = rsp->cc;
		if (rsp->cc == IPMI_CC_OK) {
			buf_init_read(&b, rsp->data, rsp->len);
			s->got = ipmi_sensor_reading_rsp_decode(&b, &s->rd) ==
			    0;
		}
		sh->cur++;
	}
	return next_reading(sh, req);
}

static int
parse(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	static struct sens_run sr;
	const char *p, *e;
	char word[32];

	if (argc > 0) {
		snprintf(err, errlen, "sensors: unexpected argument '%s'",
		    argv[0]);
		return -1;
	}
	memset(&sr, 0, sizeof(sr));
	sr.cache_dir = sdrload_cache_dir(r->o, sr.cache, sizeof(sr.cache));
	for (p = r->o->state; p != NULL && *p; p = *e ? e + 1 : e) {
		int hs;
		size_t n;

		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || n >= sizeof(word)) {
			snprintf(err, errlen, "--state '%s': expected a list "
			    "of nominal, warning, critical, na", r->o->state);
			return -1;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if ((hs = sensor_health_parse(word)) < 0) {
			snprintf(err, errlen, "--state: unknown state '%s' "
			    "(nominal, warning, critical, na)", word);
			return -1;
		}
		sr.want |= 1u << hs;
	}
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
show(const struct sens *s, struct shown *o)
{
	memset(o, 0, sizeof(*o));
	o->status = -1;
	if (s->kind == K_EVENT_ONLY) {
		o->status = SENSOR_ST_NA;
		o->health = SENSOR_NA;
		return;
	}
	o->health = sensor_health(s->event_type, s->sensor_type,
	    readable(s) ? &s->rd : NULL);
	if (s->kind != K_THRESHOLD)
		return;
	o->status = readable(s) ? sensor_thresh_status(&s->rd, NULL) :
	    SENSOR_ST_NA;
	if (readable(s) && s->analog &&
	    sensor_convert(&s->f, s->rd.raw, &o->value) == 0) {
		o->has_value = 1;
		o->resolution = sensor_resolution(&s->f, s->rd.raw);
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
states_text(const struct sens *s, char *out, size_t len)
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
		if ((w = ipmi_event_string(s->event_type, s->sensor_type,
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
	size_t hw = run_name_width(r, 4), nw = 6;
	int multi = r->n > 1;

	for (size_t i = 0; i < r->n; i++) {
		const struct sens_host *sh = r->hosts[i].data;

		for (size_t j = 0; sh != NULL && j < sh->n; j++)
			if (strlen(sh->s[j].name) > nw)
				nw = strlen(sh->s[j].name);
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
			continue;
		}
		for (size_t j = 0; sh != NULL && j < sh->n; j++) {
			const struct sens *s = &sh->s[j];
			struct shown o;
			char rd[256];

			show(s, &o);
			if (!wanted(sr, &o))
				continue;
			if (s->kind == K_EVENT_ONLY)
				snprintf(rd, sizeof(rd), "Event-Only");
			else if (!s->got)
				snprintf(rd, sizeof(rd), "%s", s->asked ?
				    "No Reading" : "Not Read (bridged)");
			else if (sensor_reading_na(&s->rd))
				snprintf(rd, sizeof(rd), "Not Available");
			else if (s->kind == K_THRESHOLD && o.has_value)
				snprintf(rd, sizeof(rd), "%.*f %s",
				    decimals(o.resolution), o.value,
				    s->units);
			else if (s->kind == K_THRESHOLD)
				snprintf(rd, sizeof(rd), "raw 0x%02x",
				    s->rd.raw);
			else {
				states_text(s, rd, sizeof(rd));
				if (rd[0] == '\0')
					snprintf(rd, sizeof(rd), "-");
			}
			if (multi)
				printf("%-*s  ", (int)hw, h->t.name);
			printf("%-*s  %02Xh   %-24s  %-6s  %s\n", (int)nw,
			    s->name, s->number, rd, o.status >= 0 ?
			    sensor_status_name(o.status) : "-",
			    sensor_health_name(o.health));
		}
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
	static const char *kinds[] = { "threshold", "discrete", "event-only" };
	const struct sens_run *sr = r->vdata;
	const struct sens_host *sh = h->data;
	int first = 1;

	printf(", \"sdr_cached\": %s, \"sensors\": [",
	    sh != NULL && sh->l.from_cache ? "true" : "false");
	for (size_t j = 0; sh != NULL && j < sh->n; j++) {
		const struct sens *s = &sh->s[j];
		struct shown o;

		show(s, &o);
		if (!wanted(sr, &o))
			continue;
		printf("%s{\"record_id\": %u, \"number\": %u, \"name\": ",
		    first ? "" : ", ", s->record_id, s->number);
		first = 0;
		out_json_str(stdout, s->name);
		printf(", \"type\": ");
		out_json_str(stdout, ipmi_sensor_type_name(s->sensor_type));
		printf(", \"kind\": \"%s\", \"reading\": ", kinds[s->kind]);
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
		if (s->kind == K_THRESHOLD)
			out_json_str(stdout, s->units);
		else
			printf("null");
		printf(", \"state\": \"%s\", \"status\": ",
		    sensor_health_name(o.health));
		if (o.status >= 0)
			printf("\"%s\"", sensor_status_name(o.status));
		else
			printf("null");
		if (s->kind == K_THRESHOLD) {
			printf(", \"thresholds\": {");
			for (int k = 0; k < SDR_TH_COUNT; k++) {
				double v;

				printf("%s\"%s\": ", k ? ", " : "", thk[k]);
				if ((s->readable_th >> k & 1) &&
				    sensor_convert(&s->f, s->th_raw[k], &v) ==
				    0)
					jnum(v);
				else
					printf("null");
			}
			printf("}, \"states\": null");
		} else {
			printf(", \"thresholds\": null, \"states\": ");
			if (s->kind == K_DISCRETE && readable(s)) {
				int f2 = 1;

				printf("[");
				for (unsigned i = 0; i < 15; i++) {
					const char *w;
					char num[16];

					if (!(s->rd.states >> i & 1))
						continue;
					w = ipmi_event_string(s->event_type,
					    s->sensor_type, (uint8_t)i);
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
	sdrload_release(&sh->l);
	free(sh->s);
	free(sh);
	h->data = NULL;
}

const struct verb_ops sensors_ops = { parse, step, table, json, release };
