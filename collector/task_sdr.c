#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/sdrcache.h"
#include "collector/task_sdr.h"
#include "collector/safefile.h"
#include "collector/driver.h"
#include "ipmi/ipmi.h"

enum { P_DEVID, P_WALK, P_DONE };

void
task_sdr_init(struct task_sdr *l, const char *cache_dir)
{
	memset(l, 0, sizeof(*l));
	l->cache_dir = cache_dir;
}

void
task_sdr_release(struct task_sdr *l)
{
	free(l->w);
	free(l->buf);
	l->w = NULL;
	l->buf = NULL;
	l->len = l->cap = 0;
}

void
task_sdr_repo_id(const struct ipmi_device_id *d,
    const struct ipmi_sdr_info_rsp *in, struct sdr_repo_id *k)
{
	memset(k, 0, sizeof(*k));
	k->manufacturer = d->manufacturer;
	k->product = d->product;
	k->fw_major = d->fw_major;
	k->fw_minor = d->fw_minor;
	memcpy(k->aux, d->aux, sizeof(k->aux));	/* zeros when it had none */
	k->count = in->count;
	k->add_ts = in->add_ts;
	k->erase_ts = in->erase_ts;
}

static void
key_of(const struct task_sdr *l, struct sdr_repo_id *k)
{
	task_sdr_repo_id(&l->devid, &l->w->info, k);
}

static enum drv_step
lfail(struct task_sdr *l, struct drv_target *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->err, sizeof(l->err), fmt, ap);
	va_end(ap);
	free(l->w);
	l->w = NULL;
	free(l->buf);
	l->buf = NULL;
	l->len = 0;
	l->phase = P_DONE;
	if (l->soft) {
		l->failed = 1;
		return DRV_STEP_DONE;
	}
	driver_fail(t, err, "%s", l->err);
	return DRV_STEP_FAIL;
}

/* The repository info is in: serve from the cache, or size the buffer. */
static int
on_info(struct task_sdr *l)
{
	struct sdr_repo_id k;
	uint8_t *b;
	size_t n, cap;
	size_t off = 0;
	const uint8_t *rec;
	size_t rlen;

	if (l->cache_dir != NULL) {
		key_of(l, &k);
		if (sdrcache_load(l->cache_dir, &k, &b, &n) == 0) {
			/* a damaged entry would fail here; read it anew then */
			while (sdr_next_record(b, n, &off, &rec, &rlen) == 1)
				;
			if (off == n) {
				l->buf = b;
				l->len = n;
				l->from_cache = 1;
				return 1;
			}
			free(b);
		}
	}
	/* room for what the BMC claims, plus the slack the walker allows */
	cap = sdr_walk_bytes(l->w->info.count);
	if ((l->buf = malloc(cap)) == NULL)
		return -1;
	l->cap = cap;
	l->w->buf = l->buf;
	l->w->cap = cap;
	return 0;
}

static enum drv_step
walk_fail(struct task_sdr *l, struct drv_target *t, int rc)
{
	static const char *what[] = { "get sdr repository info",
	    "reserve sdr repository", "get sdr" };
	uint8_t cc = l->w->cc;
	unsigned n = l->w->nrecords;

	if (cc != 0)
		return lfail(l, t, IPMI_E_CC, "sdr repository: %s: %s (0x%02x)",
		    what[l->last], ipmi_ccstr(cc), cc);
	if (rc == IPMI_E_MALFORMED && l->w->why != NULL) {
		const struct sdr_walk *w = l->w;
		/* the record's own ID once its header came (0000h asks for
		 * the first) */
		unsigned id = w->got >= 2 ? (unsigned)(w->buf[w->len] |
		    w->buf[w->len + 1] << 8) : w->id;

		return lfail(l, t, rc, "sdr repository: record %04Xh: %s "
		    "(%zu of %zu bytes read; after %u records)", id, w->why,
		    w->got, w->want, n);
	}
	return lfail(l, t, rc, "sdr repository: %s (after %u records)",
	    ipmi_strerror(rc), n);
}

enum drv_step
task_sdr_step(struct task_sdr *l, struct drv_target *t,
    const struct ipmi_response *rsp, struct drv_request *req)
{
	struct ipmi_req ir;
	struct buf b;
	int rc;

	switch (l->phase) {
	case P_DEVID:
		if (rsp == NULL) {
			req->netfn = IPMI_NETFN_APP;
			req->cmd = IPMI_CMD_GET_DEVICE_ID;
			req->len = 0;
			return DRV_STEP_SEND;
		}
		if (rsp->cc != IPMI_CC_OK)
			return lfail(l, t, IPMI_E_CC, "get device id: %s (0x%02x)",
			    ipmi_ccstr(rsp->cc), rsp->cc);
		buf_init_read(&b, rsp->data, rsp->len);
		if (ipmi_device_id_decode(&b, &l->devid) != 0)
			return lfail(l, t, IPMI_E_MALFORMED, "get device id: "
			    "malformed response (%zu bytes)", rsp->len);
		l->have_devid = 1;
		if ((l->w = malloc(sizeof(*l->w))) == NULL)
			return lfail(l, t, IPMI_E_NOSPACE, "out of memory");
		/* no buffer until the record count is known (on_info) */
		sdr_walk_init(l->w, NULL, 0, 0);
		l->phase = P_WALK;
		rsp = NULL;
		break;
	case P_WALK:
		break;
	default:
		return DRV_STEP_DONE;
	}

	if (rsp != NULL) {
		int had = l->w->have_info;

		rc = sdr_walk_feed(l->w, rsp->cc, rsp->data, rsp->len);
		if (rc < 0 && !(l->w->have_info && !had))
			return walk_fail(l, t, rc);
		if (!had && l->w->have_info) {
			if ((rc = on_info(l)) < 0)
				return lfail(l, t, IPMI_E_NOSPACE,
				    "out of memory");
			if (rc == 1)
				goto done;
		}
	}
	if ((rc = sdr_walk_next(l->w, &ir)) == IPMI_WALK_SEND) {
		l->requests++;
		l->last = ir.cmd == IPMI_CMD_GET_SDR_REPO_INFO ? 0 :
		    ir.cmd == IPMI_CMD_RESERVE_SDR_REPO ? 1 : 2;
		drv_req_from(req, &ir);
		return DRV_STEP_SEND;
	}
	if (rc < 0)
		return walk_fail(l, t, rc);
	l->len = l->w->len;
	if (l->cache_dir != NULL) {
		struct sdr_repo_id k;

		key_of(l, &k);
		/* a cache that cannot be written costs a re-read, nothing more */
		l->stored = sdrcache_store(l->cache_dir, &k, l->buf, l->len) == 0;
	}
done:
	free(l->w);
	l->w = NULL;
	l->phase = P_DONE;
	return DRV_STEP_DONE;
}
