#include <string.h>

#include "boot.h"
#include "ipmi.h"

#define PUT(expr)	do { if ((expr) == -1) return IPMI_E_NOSPACE; } while (0)
#define GET(expr)	do { if ((expr) == -1) return IPMI_E_SHORT; } while (0)

int
boot_set_req_encode(const struct boot_set_req *r, struct buf *b)
{
	if (r->len > sizeof(r->data))
		return IPMI_E_NOSPACE;
	PUT(buf_put_u8(b, (uint8_t)((r->invalid ? 0x80 : 0) |
	    (r->param & 0x7f))));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

int
boot_set_req_decode(struct buf *b, struct boot_set_req *r)
{
	uint8_t p;
	size_t n;

	GET(buf_get_u8(b, &p));
	r->param = p & 0x7f;
	r->invalid = (p & 0x80) != 0;
	n = buf_left(b);
	if (n > sizeof(r->data))
		return IPMI_E_MALFORMED;
	GET(buf_get_bytes(b, r->data, n));
	r->len = n;
	return 0;
}

int
boot_get_req_encode(const struct boot_get_req *r, struct buf *b)
{
	PUT(buf_put_u8(b, r->param & 0x7f));
	PUT(buf_put_u8(b, r->set));
	PUT(buf_put_u8(b, r->block));
	return 0;
}

int
boot_get_req_decode(struct buf *b, struct boot_get_req *r)
{
	uint8_t p;

	GET(buf_get_u8(b, &p));
	GET(buf_get_u8(b, &r->set));
	GET(buf_get_u8(b, &r->block));
	r->param = p & 0x7f;
	return 0;
}

int
boot_get_rsp_encode(const struct boot_get_rsp *r, struct buf *b)
{
	if (r->len > sizeof(r->data))
		return IPMI_E_NOSPACE;
	PUT(buf_put_u8(b, r->version & 0x0f));
	PUT(buf_put_u8(b, (uint8_t)((r->invalid ? 0x80 : 0) |
	    (r->param & 0x7f))));
	PUT(buf_put_bytes(b, r->data, r->len));
	return 0;
}

/* 28.13: version, "parameter valid" and selector, then the data */
int
boot_get_rsp_decode(struct buf *b, struct boot_get_rsp *r)
{
	uint8_t v, p;
	size_t n;

	GET(buf_get_u8(b, &v));
	GET(buf_get_u8(b, &p));
	r->version = v & 0x0f;
	r->param = p & 0x7f;
	r->invalid = (p & 0x80) != 0;
	n = buf_left(b);
	if (n > sizeof(r->data))
		n = sizeof(r->data);
	GET(buf_get_bytes(b, r->data, n));
	r->len = n;
	return 0;
}

/* Table 28-14, parameter 5 */
void
boot_flags_encode(const struct boot_flags *f, uint8_t out[5])
{
	out[0] = (uint8_t)((f->valid ? 0x80 : 0) | (f->persistent ? 0x40 : 0) |
	    (f->efi ? 0x20 : 0));
	out[1] = (uint8_t)((f->byte2 & ~0x3c) | (f->device & 0x3c));
	out[2] = f->byte3;
	out[3] = f->byte4;
	out[4] = f->instance & 0x1f;
}

int
boot_flags_decode(const uint8_t *p, size_t len, struct boot_flags *f)
{
	if (len < BOOT_FLAGS_LEN)
		return IPMI_E_SHORT;
	f->valid = (p[0] & 0x80) != 0;
	f->persistent = (p[0] & 0x40) != 0;
	f->efi = (p[0] & 0x20) != 0;
	f->device = p[1] & 0x3c;
	f->byte2 = p[1] & ~0x3c;
	f->byte3 = p[2];
	f->byte4 = p[3];
	f->instance = p[4] & 0x1f;
	return 0;
}

int
boot_flags_rsp_decode(struct buf *b, struct boot_flags *f, int *invalid)
{
	struct boot_get_rsp r;
	int rc;

	if ((rc = boot_get_rsp_decode(b, &r)) != 0)
		return rc;
	if (r.param != BOOT_PARAM_FLAGS)
		return IPMI_E_MALFORMED;
	if (invalid != NULL)
		*invalid = r.invalid;
	return boot_flags_decode(r.data, r.len, f);
}

static const struct {
	uint8_t		 dev;
	const char	*name;
	const char	*desc;
} devs[] = {
	{ BOOT_DEV_NONE, "none", "No override" },
	{ BOOT_DEV_PXE, "pxe", "Force PXE" },
	{ BOOT_DEV_DISK, "disk", "Force boot from default Hard-drive" },
	{ BOOT_DEV_SAFE, "safe",
	    "Force boot from default Hard-drive, request Safe Mode" },
	{ BOOT_DEV_DIAG, "diag", "Force boot from default Diagnostic Partition" },
	{ BOOT_DEV_CDROM, "cdrom", "Force boot from default CD/DVD" },
	{ BOOT_DEV_BIOS, "bios", "Force boot into BIOS Setup" },
	{ BOOT_DEV_REMOTE_FLOPPY, "remote-floppy",
	    "Force boot from remotely connected Floppy/primary removable media" },
	{ BOOT_DEV_REMOTE_CDROM, "remote-cdrom",
	    "Force boot from remotely connected CD/DVD" },
	{ BOOT_DEV_REMOTE_MEDIA, "remote-media",
	    "Force boot from primary remote media" },
	{ BOOT_DEV_REMOTE_DISK, "remote-disk",
	    "Force boot from remotely connected Hard-drive" },
	{ BOOT_DEV_FLOPPY, "floppy",
	    "Force boot from Floppy/primary removable media" },
};
#define NDEVS	(sizeof(devs) / sizeof(devs[0]))

const char *
boot_dev_name(uint8_t dev)
{
	size_t i;

	for (i = 0; i < NDEVS; i++)
		if (devs[i].dev == dev)
			return devs[i].name;
	return "unknown";
}

const char *
boot_dev_desc(uint8_t dev)
{
	size_t i;

	for (i = 0; i < NDEVS; i++)
		if (devs[i].dev == dev)
			return devs[i].desc;
	return "Reserved";
}

int
boot_dev_parse(const char *s)
{
	size_t i;

	if (strncmp(s, "force_", 6) == 0)
		s += 6;
	if (strcmp(s, "setup") == 0)
		return BOOT_DEV_BIOS;
	for (i = 0; i < NDEVS; i++)
		if (strcmp(devs[i].name, s) == 0)
			return devs[i].dev;
	return -1;
}

/* --- the bootdev walker ------------------------------------------------ */

static void
set_req(struct ipmi_req *req, uint8_t param, const uint8_t *data, size_t n)
{
	struct boot_set_req r;
	struct buf b;

	memset(&r, 0, sizeof(r));
	r.param = param;
	memcpy(r.data, data, n);
	r.len = n;
	memset(req, 0, sizeof(*req));
	req->netfn = IPMI_NETFN_CHASSIS;
	req->cmd = IPMI_CMD_SET_BOOT_OPTIONS;
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)boot_set_req_encode(&r, &b);
	req->len = b.len;
}

void
boot_set_init(struct boot_set *w, uint8_t device, int persistent, int efi)
{
	memset(w, 0, sizeof(*w));
	w->step = BOOT_STEP_PROGRESS;
	w->use_progress = 1;
	w->flags.valid = 1;
	w->flags.persistent = persistent != 0;
	w->flags.efi = efi != 0;
	w->flags.device = device & 0x3c;
}

int
boot_set_next(struct boot_set *w, struct ipmi_req *req)
{
	uint8_t d[BOOT_FLAGS_LEN];

	if (w->step == BOOT_STEP_DONE)
		return IPMI_WALK_DONE;
	if (w->step == BOOT_STEP_FAILED)
		return w->err;
	if (w->waiting) {
		w->step = BOOT_STEP_FAILED;
		return w->err = IPMI_E_INVAL;
	}
	switch (w->step) {
	case BOOT_STEP_PROGRESS:
		d[0] = BOOT_SET_IN_PROGRESS;
		set_req(req, BOOT_PARAM_SET_IN_PROGRESS, d, 1);
		break;
	case BOOT_STEP_ACK:
		/* 28-14 parameter 4, boot info acknowledge: write mask, then
		 * the BIOS/POST bit (parameter 3 is the one-byte valid-bit
		 * clearing) */
		d[0] = 0x01;
		d[1] = 0x01;
		set_req(req, BOOT_PARAM_INFO_ACK, d, 2);
		break;
	case BOOT_STEP_FLAGS:
		boot_flags_encode(&w->flags, d);
		set_req(req, BOOT_PARAM_FLAGS, d, BOOT_FLAGS_LEN);
		break;
	case BOOT_STEP_COMMIT:
		d[0] = BOOT_COMMIT_WRITE;
		set_req(req, BOOT_PARAM_SET_IN_PROGRESS, d, 1);
		break;
	default:
		d[0] = BOOT_SET_COMPLETE;
		set_req(req, BOOT_PARAM_SET_IN_PROGRESS, d, 1);
		break;
	}
	w->waiting = 1;
	return IPMI_WALK_SEND;
}

/* The step after the last one: done if the flags were written. */
static void
boot_set_end(struct boot_set *w)
{
	w->step = w->flags_ok ? BOOT_STEP_DONE : BOOT_STEP_FAILED;
}

int
boot_set_feed(struct boot_set *w, uint8_t cc, const uint8_t *data,
    size_t len)
{
	(void)data;
	(void)len;
	if (w->step == BOOT_STEP_FAILED)
		return w->err;
	if (!w->waiting || w->step == BOOT_STEP_DONE) {
		w->step = BOOT_STEP_FAILED;
		return w->err = IPMI_E_INVAL;
	}
	w->waiting = 0;
	switch (w->step) {
	case BOOT_STEP_PROGRESS:
		/* a BMC without set-in-progress: do not touch it again */
		if (cc != IPMI_CC_OK)
			w->use_progress = 0;
		w->step = BOOT_STEP_ACK;
		break;
	case BOOT_STEP_ACK:
		/* ipmitool goes on when the acknowledge is refused */
		w->step = BOOT_STEP_FLAGS;
		break;
	case BOOT_STEP_FLAGS:
		if (cc == IPMI_CC_OK)
			w->flags_ok = 1;
		else {
			w->err = IPMI_E_CC;
			w->cc = cc;
		}
		if (!w->use_progress)
			boot_set_end(w);
		else
			w->step = w->flags_ok ? BOOT_STEP_COMMIT :
			    BOOT_STEP_COMPLETE;
		break;
	case BOOT_STEP_COMMIT:
		/* many BMCs refuse commit write; the flags are set anyway */
		w->step = BOOT_STEP_COMPLETE;
		break;
	default:
		boot_set_end(w);
		break;
	}
	return 0;
}

int
boot_set_sequence(uint8_t device, int persistent, int efi,
    struct ipmi_req *out, size_t max)
{
	struct boot_set w;
	struct ipmi_req req;
	size_t n = 0;

	boot_set_init(&w, device, persistent, efi);
	while (boot_set_next(&w, &req) == IPMI_WALK_SEND) {
		if (n == max)
			return IPMI_E_NOSPACE;
		out[n++] = req;
		(void)boot_set_feed(&w, IPMI_CC_OK, NULL, 0);
	}
	return (int)n;
}

void
boot_get_flags_req(struct ipmi_req *req)
{
	struct boot_get_req r = { BOOT_PARAM_FLAGS, 0, 0 };
	struct buf b;

	memset(req, 0, sizeof(*req));
	req->netfn = IPMI_NETFN_CHASSIS;
	req->cmd = IPMI_CMD_GET_BOOT_OPTIONS;
	buf_init_write(&b, req->data, sizeof(req->data));
	(void)boot_get_req_encode(&r, &b);
	req->len = b.len;
}
