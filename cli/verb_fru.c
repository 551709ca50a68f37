/*
 * verb_fru: "bmcfleet ... fru": every FRU device's inventory, decoded.
 *
 * Per host: read FRU device 0 (the BMC's built-in FRU) with ipmi/fru's
 * reader, then each further logical FRU device that the host's SDR
 * repository names in FRU device locator records (when the sensors module
 * is read through collector/task_sdr.c, from the SDR cache when it is warm), and
 * decode each.  A BMC without an SDR repository (or with one that cannot
 * be read) still has device 0 read, and the output says why the others
 * are missing ("FRU devices beyond ID 0 not read: ...", JSON
 * "fru_sdr_error").  The 64 KiB read buffer exists only while its host's
 * session runs; the decoded struct fru is kept for output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/direct.h"
#include "cli/out.h"
#include "cli/run.h"
#include "collector/task_fru.h"
#include "collector/task_sdr.h"
#include "cli/verbs.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"

struct fru_dev {
	uint8_t		 id;
	char		 name[24];	/* from the locator record, or "" */
	int		 ok;		/* decoded (maybe with problems) */
	int		 absent;	/* device not present / empty */
	char		 err[96];
	struct fru	*fru;		/* malloc'd, owned */
};

struct fru_host {
	struct task_fru	 rd;		/* the device being read */
	struct fru_dev	 devs[VERB_FRU_MAX_DEVS];
	size_t		 ndevs;
	size_t		 cur;
	int		 started;
	struct task_sdr	*l;		/* the fru verb's SDR load, then NULL */
	char		 sdr_err[160];	/* why no locator records were read */
};

void
verb_fru_add_device(struct host *h, uint8_t id, const char *name)
{
	struct fru_host *fh = h->data;

	if (fh == NULL || fh->ndevs >= VERB_FRU_MAX_DEVS)
		return;
	for (size_t i = 0; i < fh->ndevs; i++)
		if (fh->devs[i].id == id)
			return;
	fh->devs[fh->ndevs].id = id;
	snprintf(fh->devs[fh->ndevs].name, sizeof(fh->devs[0].name), "%s",
	    name ? name : "");
	fh->ndevs++;
}

int
verb_fru_prepare(struct host *h)
{
	struct fru_host *fh;

	if ((fh = calloc(1, sizeof(*fh))) == NULL)
		return -1;
	h->data = fh;
	verb_fru_add_device(h, 0, "Builtin FRU Device");
	return 0;
}

/* Start reading devs[cur], or finish one and go to the next. */
static enum drv_step
next_device(struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct fru_host *fh = h->data;
	int rc;

	while (fh->cur < fh->ndevs) {
		if (!fh->started) {
			task_fru_init(&fh->rd, fh->devs[fh->cur].id);
			fh->started = 1;
			rsp = NULL;
		}
		if (task_fru_step(&fh->rd, rsp, req) == DRV_STEP_SEND)
			return DRV_STEP_SEND;
		rsp = NULL;
		if (fh->rd.oom) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		rc = fh->rd.rc;
		/* this device is finished, well or not */
		{
			struct fru_dev *d = &fh->devs[fh->cur];

			if (rc == IPMI_WALK_DONE && fh->rd.rd.len == 0) {
				d->absent = 1;
			} else if (rc == IPMI_WALK_DONE) {
				if ((d->fru = calloc(1, sizeof(*d->fru))) ==
				    NULL) {
					driver_fail(&h->t, IPMI_E_NOSPACE,
					    "out of memory");
					return DRV_STEP_FAIL;
				}
				rc = fru_decode(fh->rd.buf, fh->rd.rd.len,
				    d->fru);
				if (rc == 0)
					d->ok = 1;
				else
					snprintf(d->err, sizeof(d->err),
					    "%s", rc == IPMI_E_MALFORMED ?
					    "no FRU data (blank or erased: "
					    "the common header is not "
					    "version 1)" : ipmi_strerror(rc));
			} else if (fh->rd.rd.cc == IPMI_CC_NOT_PRESENT ||
			    fh->rd.rd.cc == IPMI_CC_PARAM_RANGE ||
			    fh->rd.rd.cc == IPMI_CC_INVALID_FIELD) {
				/* how BMCs say "no such FRU device" */
				d->absent = 1;
				snprintf(d->err, sizeof(d->err), "%s (0x%02x)",
				    ipmi_ccstr(fh->rd.rd.cc), fh->rd.rd.cc);
			} else if (fh->rd.rd.cc != 0) {
				snprintf(d->err, sizeof(d->err), "%s (0x%02x)",
				    ipmi_ccstr(fh->rd.rd.cc), fh->rd.rd.cc);
			} else {
				snprintf(d->err, sizeof(d->err), "%s",
				    ipmi_strerror(rc));
			}
		}
		task_fru_release(&fh->rd);
		fh->cur++;
		fh->started = 0;
	}
	/* device 0 unreadable and nothing else: the host failed */
	for (size_t i = 0; i < fh->ndevs; i++)
		if (fh->devs[i].ok || fh->devs[i].absent)
			return DRV_STEP_DONE;
	driver_fail(&h->t, IPMI_E_CC, "fru: %s", fh->devs[0].err);
	return DRV_STEP_FAIL;
}

enum drv_step
verb_fru_step(struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct fru_host *fh = h->data;

	return next_device(h, fh->started ? rsp : NULL, req);
}

static int
parse(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	static char cache[4096];

	if (argc > 0) {
		snprintf(err, errlen, "fru: unexpected argument '%s'",
		    argv[0]);
		return -1;
	}
	/* vdata: the SDR cache directory, or NULL */
	r->vdata = (void *)direct_sdr_cache_dir(r, cache, sizeof(cache));
	return 0;
}

/* Add the logical FRU devices the SDR repository locates. */
static void
add_located(struct host *h, const struct task_sdr *l)
{
	struct sdr_record *rec;
	const uint8_t *raw;
	size_t off = 0, rlen;

	if ((rec = malloc(sizeof(*rec))) == NULL)
		return;
	while (sdr_next_record(l->buf, l->len, &off, &raw, &rlen) == 1) {
		if (sdr_decode(raw, rlen, rec) != 0 || !rec->decoded ||
		    rec->type != SDR_TYPE_FRU_LOCATOR || !rec->u.fru.logical)
			continue;
		/* only FRU devices behind the BMC itself; others need bridging */
		if ((rec->u.fru.access_addr & 0xfe) != 0x20)
			continue;
		verb_fru_add_device(h, rec->u.fru.fru_id, rec->u.fru.id.text);
	}
	free(rec);
}

static enum drv_step
step(struct run *r, struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	const char *dir = r->vdata;
	struct fru_host *fh;
	enum drv_step st;

	if (rsp == NULL && h->data == NULL) {
		if (verb_fru_prepare(h) != 0 ||
		    (((struct fru_host *)h->data)->l =
		    malloc(sizeof(struct task_sdr))) == NULL) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		fh = h->data;
		task_sdr_init(fh->l, dir);
		fh->l->soft = 1;
	}
	fh = h->data;
	if (fh->l != NULL) {
		if ((st = direct_sdr_step(fh->l, h, rsp, req)) != DRV_STEP_DONE)
			return st;
		if (fh->l->failed)
			snprintf(fh->sdr_err, sizeof(fh->sdr_err), "%s",
			    fh->l->err);
		else
			add_located(h, fh->l);
		task_sdr_release(fh->l);
		free(fh->l);
		fh->l = NULL;
		rsp = NULL;
	}
	return verb_fru_step(h, rsp, req);
}

static void
mfg_date(const struct fru_board *b, char *out, size_t len)
{
	struct tm tm;

	if (!b->has_mfg_time || gmtime_r(&b->mfg_time, &tm) == NULL) {
		snprintf(out, len, "%s", "");
		return;
	}
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --- table, in the manner of ipmitool fru print ------------------------ */

static void
tline(const char *host, const char *label, const struct fru_field *f)
{
	if (f->present && f->text[0])
		printf("%s:  %-22s: %s\n", host, label, f->text);
}

static void
print_fru_table(const char *host, const struct fru_dev *d)
{
	const struct fru *f = d->fru;
	char date[40];
	size_t i;

	printf("%s: FRU Device Description : %s (ID %u)\n", host,
	    d->name[0] ? d->name : "FRU Device", d->id);
	if (!d->ok) {
		if (d->absent)
			printf("%s:  Device not present%s%s%s\n", host,
			    d->err[0] ? " (" : "", d->err, d->err[0] ? ")" : "");
		else
			printf("%s:  %s\n", host, d->err);
		return;
	}
	if (f->chassis.present) {
		printf("%s:  %-22s: %s\n", host, "Chassis Type",
		    fru_chassis_type_name(f->chassis.type));
		tline(host, "Chassis Part Number", &f->chassis.part);
		tline(host, "Chassis Serial", &f->chassis.serial);
		for (i = 0; i < f->chassis.ncustom; i++)
			tline(host, "Chassis Extra", &f->chassis.custom[i]);
	}
	if (f->board.present) {
		mfg_date(&f->board, date, sizeof(date));
		if (date[0])
			printf("%s:  %-22s: %s\n", host, "Board Mfg Date",
			    date);
		tline(host, "Board Mfg", &f->board.mfr);
		tline(host, "Board Product", &f->board.product);
		tline(host, "Board Serial", &f->board.serial);
		tline(host, "Board Part Number", &f->board.part);
		tline(host, "Board FRU File ID", &f->board.file_id);
		for (i = 0; i < f->board.ncustom; i++)
			tline(host, "Board Extra", &f->board.custom[i]);
	}
	if (f->product.present) {
		tline(host, "Product Manufacturer", &f->product.mfr);
		tline(host, "Product Name", &f->product.name);
		tline(host, "Product Part Number", &f->product.part);
		tline(host, "Product Version", &f->product.version);
		tline(host, "Product Serial", &f->product.serial);
		tline(host, "Product Asset Tag", &f->product.asset_tag);
		tline(host, "Product FRU File ID", &f->product.file_id);
		for (i = 0; i < f->product.ncustom; i++)
			tline(host, "Product Extra", &f->product.custom[i]);
	}
	for (i = 0; i < f->nmr; i++) {
		const struct fru_mr *m = &f->mr[i];

		if (m->typed && m->type == FRU_MR_POWER_SUPPLY)
			printf("%s:  %-22s: %s, %u W\n", host, "Multirecord",
			    fru_mr_type_name(m->type), m->u.psu.capacity_w);
		else
			printf("%s:  %-22s: %s (type 0x%02x, %zu bytes)\n",
			    host, "Multirecord", fru_mr_type_name(m->type),
			    m->type, m->dlen);
	}
	for (i = 0; i < f->nproblems; i++)
		printf("%s:  %-22s: %s: %s (offset %u)\n", host,
		    "Problem", fru_area_name(f->problems[i].area),
		    fru_problem_str(f->problems[i].kind),
		    f->problems[i].offset);
}

static void
table(const struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const struct fru_host *fh = h->data;

		if (h->t.fail != DRV_OK) {
			run_print_error(h);
			continue;
		}
		for (size_t j = 0; fh != NULL && j < fh->ndevs; j++)
			print_fru_table(h->t.name, &fh->devs[j]);
		/* the devices the SDRs locate are missing: say why */
		if (fh != NULL && fh->sdr_err[0])
			printf("%s: FRU devices beyond ID 0 not read: %s\n",
			    h->t.name, fh->sdr_err);
	}
}

/* --- JSON ------------------------------------------------------------------ */

static void
jfield(const char *key, const struct fru_field *f, int *first)
{
	printf("%s\"%s\": ", *first ? "" : ", ", key);
	*first = 0;
	if (f->present)
		out_json_str(stdout, f->text);
	else
		printf("null");
}

static void
jcustom(const struct fru_field *c, size_t n)
{
	printf(", \"custom\": [");
	for (size_t i = 0; i < n; i++) {
		printf("%s", i ? ", " : "");
		out_json_str(stdout, c[i].text);
	}
	printf("]");
}

void
verb_fru_json_devs(const struct host *h)
{
	const struct fru_host *fh = h->data;
	char date[40];
	int first;

	printf(", \"fru\": [");
	for (size_t j = 0; fh != NULL && j < fh->ndevs; j++) {
		const struct fru_dev *d = &fh->devs[j];
		const struct fru *f = d->fru;

		printf("%s{\"id\": %u, \"name\": ", j ? ", " : "", d->id);
		out_json_str(stdout, d->name);
		printf(", \"present\": %s", d->absent ? "false" : "true");
		if (!d->ok) {
			printf(", \"error\": ");
			if (d->absent)
				printf("null");
			else
				out_json_str(stdout, d->err);
			printf("}");
			continue;
		}
		printf(", \"chassis\": ");
		if (f->chassis.present) {
			printf("{\"type\": ");
			out_json_str(stdout,
			    fru_chassis_type_name(f->chassis.type));
			first = 0;
			jfield("part_number", &f->chassis.part, &first);
			jfield("serial", &f->chassis.serial, &first);
			jcustom(f->chassis.custom, f->chassis.ncustom);
			printf("}");
		} else
			printf("null");
		printf(", \"board\": ");
		if (f->board.present) {
			mfg_date(&f->board, date, sizeof(date));
			printf("{\"mfg_date\": ");
			if (date[0])
				out_json_str(stdout, date);
			else
				printf("null");
			first = 0;
			jfield("manufacturer", &f->board.mfr, &first);
			jfield("product", &f->board.product, &first);
			jfield("serial", &f->board.serial, &first);
			jfield("part_number", &f->board.part, &first);
			jfield("fru_file_id", &f->board.file_id, &first);
			jcustom(f->board.custom, f->board.ncustom);
			printf("}");
		} else
			printf("null");
		printf(", \"product\": ");
		if (f->product.present) {
			first = 1;
			printf("{");
			jfield("manufacturer", &f->product.mfr, &first);
			jfield("name", &f->product.name, &first);
			jfield("part_number", &f->product.part, &first);
			jfield("version", &f->product.version, &first);
			jfield("serial", &f->product.serial, &first);
			jfield("asset_tag", &f->product.asset_tag, &first);
			jfield("fru_file_id", &f->product.file_id, &first);
			jcustom(f->product.custom, f->product.ncustom);
			printf("}");
		} else
			printf("null");
		printf(", \"multirecords\": [");
		for (size_t i = 0; i < f->nmr; i++) {
			const struct fru_mr *m = &f->mr[i];

			printf("%s{\"type\": %u, \"name\": ", i ? ", " : "",
			    m->type);
			out_json_str(stdout, fru_mr_type_name(m->type));
			if (m->typed && m->type == FRU_MR_POWER_SUPPLY)
				printf(", \"capacity_w\": %u, \"peak_w\": %u",
				    m->u.psu.capacity_w, m->u.psu.peak_w);
			printf(", \"checksum_ok\": %s}", m->hdr_ok &&
			    m->data_ok ? "true" : "false");
		}
		printf("], \"errors\": [");
		for (size_t i = 0; i < f->nproblems; i++) {
			char buf[160];

			snprintf(buf, sizeof(buf), "%s: %s (offset %u)",
			    fru_area_name(f->problems[i].area),
			    fru_problem_str(f->problems[i].kind),
			    f->problems[i].offset);
			printf("%s", i ? ", " : "");
			out_json_str(stdout, buf);
		}
		printf("]}");
	}
	printf("]");
	if (fh != NULL && fh->sdr_err[0]) {
		printf(", \"fru_sdr_error\": ");
		out_json_str(stdout, fh->sdr_err);
	}
}

static void
json(const struct run *r, const struct host *h)
{
	(void)r;
	verb_fru_json_devs(h);
}

void
verb_fru_release(struct host *h)
{
	struct fru_host *fh = h->data;

	if (fh == NULL)
		return;
	for (size_t j = 0; j < fh->ndevs; j++)
		free(fh->devs[j].fru);
	if (fh->l != NULL)
		task_sdr_release(fh->l);
	free(fh->l);
	task_fru_release(&fh->rd);
	free(fh);
	h->data = NULL;
}

static void
release(struct run *r, struct host *h)
{
	(void)r;
	verb_fru_release(h);
}

const struct verb_ops fru_ops = { parse, step, table, json, release };
