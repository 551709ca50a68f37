/*
 * verb_dcmi: "dcmi power" (DCMI Get Power Reading, system power
 * statistics) and "bootdev pxe|disk|bios|cdrom [--persistent] [--efi]"
 * (the Set System Boot Options sequence ipmitool's chassis bootdev sends,
 * then a read-back of the boot flags to show what the BMC kept), or
 * "bootdev get" or a bare "bootdev" (the read-back alone: what someone else
 * set).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/out.h"
#include "cli/run.h"
#include "cli/verbs.h"
#include "lib/text.h"
#include "cli/workaround.h"
#include "ipmi/boot.h"
#include "ipmi/dcmi.h"
#include "ipmi/ipmi.h"

/* --- dcmi power ----------------------------------------------------------- */

struct dcmi_host {
	struct dcmi_power_rsp	p;
};

static int
dcmi_parse(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	/* no-dcmi says these BMCs' DCMI is broken; this verb is nothing but
	 * DCMI, so asking anyway would only spend the retries on silence */
	if (r->o->workarounds & WA_NO_DCMI) {
		snprintf(err, errlen, "dcmi power: -W no-dcmi says not to send "
		    "DCMI commands to these BMCs; drop it to read DCMI power");
		return -1;
	}
	if (argc > 0) {
		snprintf(err, errlen, "dcmi power: unexpected argument '%s'",
		    argv[0]);
		return -1;
	}
	return 0;
}

static enum drv_step
dcmi_step(struct run *r, struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	struct dcmi_power_req pr = { DCMI_POWER_SYSTEM, 0 };
	struct dcmi_host *dh;
	struct buf b;

	(void)r;
	if (rsp == NULL) {
		req->netfn = IPMI_NETFN_GROUP;
		req->cmd = DCMI_CMD_GET_POWER_READING;
		buf_init_write(&b, req->data, sizeof(req->data));
		(void)dcmi_power_req_encode(&pr, &b);
		req->len = b.len;
		return DRV_STEP_SEND;
	}
	if (rsp->cc == IPMI_CC_INVALID_CMD || rsp->cc == IPMI_CC_INVALID_FIELD) {
		driver_fail(&h->t, IPMI_E_UNSUPPORTED, "dcmi power: the BMC "
		    "does not support DCMI power readings (%s, 0x%02x)",
		    ipmi_ccstr(rsp->cc), rsp->cc);
		return DRV_STEP_FAIL;
	}
	if (rsp->cc != IPMI_CC_OK)
		return run_cc_fail(&h->t, rsp, "dcmi get power reading");
	if ((dh = calloc(1, sizeof(*dh))) == NULL) {
		driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
		return DRV_STEP_FAIL;
	}
	h->data = dh;
	buf_init_read(&b, rsp->data, rsp->len);
	if (dcmi_power_rsp_decode(&b, &dh->p) != 0) {
		driver_fail(&h->t, IPMI_E_MALFORMED, "dcmi get power reading: "
		    "malformed response (%zu bytes)", rsp->len);
		return DRV_STEP_FAIL;
	}
	return DRV_STEP_DONE;
}

static void
dcmi_table(const struct run *r)
{
	size_t w = run_name_width(r, 4);

	printf("%-*s  %8s %8s %8s %8s %10s  %s\n", (int)w, "HOST", "WATTS",
	    "MIN", "MAX", "AVG", "PERIOD_S", "STATE");
	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];
		const struct dcmi_host *dh = h->data;

		if (h->t.fail != DRV_OK || dh == NULL) {
			printf("%-*s  error: %s: %s\n", (int)w, h->t.name,
			    drv_fail_name(h->t.fail), h->t.errmsg);
			continue;
		}
		printf("%-*s  %8u %8u %8u %8u %10.1f  %s\n", (int)w, h->t.name,
		    dh->p.current_w, dh->p.min_w, dh->p.max_w, dh->p.avg_w,
		    dh->p.period_ms / 1000.0, dh->p.active ? "active" :
		    "not active");
	}
}

static void
dcmi_json(const struct run *r, const struct host *h)
{
	const struct dcmi_host *dh = h->data;

	(void)r;
	printf(", \"power\": {\"current_w\": %u, \"min_w\": %u, \"max_w\": %u,"
	    " \"avg_w\": %u, \"timestamp\": %u, \"period_ms\": %u, "
	    "\"active\": %s}", dh->p.current_w, dh->p.min_w, dh->p.max_w,
	    dh->p.avg_w, dh->p.timestamp, dh->p.period_ms,
	    dh->p.active ? "true" : "false");
}

static void
free_data(struct run *r, struct host *h)
{
	(void)r;
	free(h->data);
	h->data = NULL;
}

const struct verb_ops dcmi_power_ops = { dcmi_parse, dcmi_step, dcmi_table,
    dcmi_json, free_data };

/* --- bootdev ---------------------------------------------------------------- */

struct bootdev_run {
	uint8_t	device;
	int	get_only;	/* "bootdev get": read the flags, set nothing */
};

struct bootdev_host {
	struct boot_set		set;
	int			reading;	/* the read-back is out */
	struct boot_flags	got;
	int			have_got;
};

static int
boot_parse(struct run *r, int argc, char **argv, char *err, size_t errlen)
{
	static struct bootdev_run br;
	int dev;

	/* no device: read the setting, as "bootdev get" (but a flag for
	 * setting one says that a device is missing) */
	if (argc < 1 && r->o != NULL && (r->o->persistent || r->o->efi)) {
		snprintf(err, errlen, "bootdev: which device? pxe, disk, "
		    "bios, cdrom (or none to clear the override)");
		return -1;
	}
	if (argc > 1) {
		snprintf(err, errlen, "bootdev: unexpected argument '%s'",
		    argv[1]);
		return -1;
	}
	if (argc < 1 || strcmp(argv[0], "get") == 0) {
		if (r->o != NULL && (r->o->persistent || r->o->efi)) {
			snprintf(err, errlen, "bootdev get: --persistent and "
			    "--efi are for setting a device");
			return -1;
		}
		br.get_only = 1;
		r->vdata = &br;
		return 0;
	}
	if ((dev = boot_dev_parse(argv[0])) < 0) {
		static const char *const words[] = { "pxe", "disk", "bios",
		    "cdrom", "none", "get", NULL };
		char hint[64];

		snprintf(err, errlen, "bootdev '%s': expected pxe, disk, "
		    "bios, cdrom or none%s", argv[0], text_did_you_mean(hint,
		    sizeof(hint), argv[0], words, SIZE_MAX));
		return -1;
	}
	br.device = (uint8_t)dev;
	br.get_only = 0;
	r->vdata = &br;
	return 0;
}

static enum drv_step
boot_step(struct run *r, struct host *h, const struct ipmi_response *rsp,
    struct drv_request *req)
{
	const struct bootdev_run *br = r->vdata;
	struct bootdev_host *bh = h->data;
	struct ipmi_req ir;
	struct buf b;
	int rc;

	if (rsp == NULL) {
		if ((bh = calloc(1, sizeof(*bh))) == NULL) {
			driver_fail(&h->t, IPMI_E_NOSPACE, "out of memory");
			return DRV_STEP_FAIL;
		}
		h->data = bh;
		if (br->get_only)
			goto read_back;
		boot_set_init(&bh->set, br->device, r->o->persistent,
		    r->o->efi);
	} else if (bh->reading) {
		if (rsp->cc != IPMI_CC_OK)
			return run_cc_fail(&h->t, rsp, "get boot options");
		buf_init_read(&b, rsp->data, rsp->len);
		if (boot_flags_rsp_decode(&b, &bh->got, NULL) != 0) {
			driver_fail(&h->t, IPMI_E_MALFORMED, "get boot "
			    "options: malformed response (%zu bytes)",
			    rsp->len);
			return DRV_STEP_FAIL;
		}
		bh->have_got = 1;
		return DRV_STEP_DONE;
	} else
		(void)boot_set_feed(&bh->set, rsp->cc, rsp->data, rsp->len);

	rc = boot_set_next(&bh->set, &ir);
	if (rc == IPMI_WALK_SEND) {
		drv_req_from(req, &ir);
		return DRV_STEP_SEND;
	}
	if (rc < 0) {
		if (bh->set.cc != 0)
			driver_fail(&h->t, IPMI_E_CC, "set boot flags: %s "
			    "(0x%02x)", ipmi_ccstr(bh->set.cc), bh->set.cc);
		else
			driver_fail(&h->t, rc, "set boot flags: %s",
			    ipmi_strerror(rc));
		return DRV_STEP_FAIL;
	}
read_back:
	/* read back what the BMC kept */
	boot_get_flags_req(&ir);
	drv_req_from(req, &ir);
	bh->reading = 1;
	return DRV_STEP_SEND;
}

static void
boot_words(const struct bootdev_host *bh, int get_only, char *out,
    size_t len)
{
	if (!bh->have_got) {
		snprintf(out, len, "ok");
		return;
	}
	/* the valid bit only where it is news: a set leaves it valid */
	snprintf(out, len, "%s%s, %s, %s%s", get_only ? "" : "ok: ",
	    boot_dev_name(bh->got.device),
	    bh->got.persistent ? "persistent" : "next boot only",
	    bh->got.efi ? "EFI" : "legacy",
	    get_only && !bh->got.valid ? " (flags not valid)" : "");
}

static void
boot_table(const struct run *r)
{
	const struct bootdev_run *br = r->vdata;
	char words[96];

	for (size_t i = 0; i < r->n; i++) {
		const struct host *h = &r->hosts[i];

		if (h->t.fail != DRV_OK || h->data == NULL) {
			run_print_error(h);
			continue;
		}
		boot_words(h->data, br->get_only, words, sizeof(words));
		printf("%s: %s\n", h->t.name, words);
	}
}

static void
boot_json(const struct run *r, const struct host *h)
{
	const struct bootdev_host *bh = h->data;
	const struct bootdev_run *br = r->vdata;

	if (!br->get_only) {
		printf(", \"bootdev\": ");
		out_json_str(stdout, boot_dev_name(br->device));
	}
	if (bh->have_got) {
		printf(", \"device\": ");
		out_json_str(stdout, boot_dev_name(bh->got.device));
		printf(", \"persistent\": %s, \"efi\": %s, \"valid\": %s",
		    bh->got.persistent ? "true" : "false",
		    bh->got.efi ? "true" : "false",
		    bh->got.valid ? "true" : "false");
	}
}

const struct verb_ops bootdev_ops = { boot_parse, boot_step, boot_table,
    boot_json, free_data };
