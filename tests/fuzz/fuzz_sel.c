/*
 * fuzz_sel: the SEL codecs, the entry decoder, severities, descriptions,
 * and the walkers that read and clear the log, over arbitrary bytes.
 *
 * The input is used three ways:
 *   1. as entries of 16 bytes back to back, each decoded, described (into
 *      buffers of several sizes), rated, and its threshold values
 *      converted with factors taken from the input;
 *   2. through each response and request decoder;
 *   3. as a script of answers for the SEL walker and for the clear
 *      walker: records of [cc][len][len bytes], fed in order until the
 *      walk ends or the input does.
 * None may read or write outside what it was given.  Seeds come from
 * tests/fuzz/gen-sel-corpus.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/sel.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define MAX_INPUT	8192

static void
factors_from(const uint8_t *p, size_t n, struct sdr_factors *f)
{
	uint8_t b[8] = { 0 };

	memcpy(b, p, n < sizeof(b) ? n : sizeof(b));
	memset(f, 0, sizeof(*f));
	f->format = b[0] >> 6;
	f->linear = b[1] & 0x7f;
	f->m = (int16_t)(((b[2] | (b[3] >> 6) << 8) ^ 0x200) - 0x200);
	f->b = (int16_t)(((b[4] | (b[5] >> 6) << 8) ^ 0x200) - 0x200);
	f->k1 = (int8_t)(((b[6] & 0xf) ^ 8) - 8);
	f->k2 = (int8_t)(((b[6] >> 4) ^ 8) - 8);
}

static void
entry(const uint8_t *p, size_t n, const struct sdr_factors *f)
{
	static const size_t sizes[] = { 0, 1, 7, 16, 128 };
	struct sel_entry e;
	char out[128];
	size_t i, need;
	double rd, th;
	uint8_t r8, t8;
	int rc, sev, have;

	rc = sel_decode(p, n, &e);
	if (n < SEL_ENTRY_LEN) {
		CHECK(rc == IPMI_E_SHORT);
		return;
	}
	CHECK(rc == 0);
	CHECK(memcmp(e.raw, p, SEL_ENTRY_LEN) == 0);
	CHECK(e.kind <= SEL_KIND_UNKNOWN);
	CHECK(e.unknown == (e.kind == SEL_KIND_UNKNOWN));
	CHECK(e.oem_len <= sizeof(e.oem));
	CHECK(e.offset < 16 && e.data2_use < 4 && e.data3_use < 4);
	CHECK(!e.pre_init || e.has_timestamp);
	CHECK(sel_kind_name(e.kind) != NULL);
	sev = sel_severity(&e);
	CHECK(sev >= SEL_SEV_INFO && sev <= SEL_SEV_CRITICAL);
	CHECK(strcmp(sel_severity_name(sev), "unknown") != 0);
	CHECK(sel_severity_parse(sel_severity_name(sev)) == sev);
	if (e.direction != 0 || e.kind != SEL_KIND_SYSTEM)
		CHECK(sev == SEL_SEV_INFO);
	need = sel_describe(&e, NULL, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(out, 'x', sizeof(out));
		CHECK(sel_describe(&e, sizes[i] ? out : NULL, sizes[i]) ==
		    need);
		if (sizes[i] > 0)
			CHECK(strlen(out) == (need < sizes[i] ? need :
			    sizes[i] - 1));
	}
	have = sel_threshold_raw(&e, &r8, &t8);
	CHECK(have == IPMI_E_INVAL || (have >= 0 && have <= 3));
	rc = sel_threshold_values(&e, NULL, &rd, &th);
	CHECK(rc == have);
	rc = sel_threshold_values(&e, f, &rd, &th);
	if (have < 0) {
		CHECK(rc == have);
		return;
	}
	CHECK(rc >= 0 && (rc & ~have) == 0);
	rc = sel_threshold_values(&e, NULL, &rd, &th);
	if (have & SEL_TV_READING)
		CHECK(rd == r8);
	if (have & SEL_TV_THRESHOLD)
		CHECK(th == t8);
}

static void
codecs(const uint8_t *p, size_t n)
{
	struct ipmi_sel_info_rsp info;
	struct ipmi_get_sel_req gq;
	struct ipmi_get_sel_rsp gr;
	struct ipmi_clear_sel_req cq;
	uint8_t out[300], progress;
	struct buf b, o;
	uint16_t resv;
	uint32_t ts;
	int rc;

	buf_init_read(&b, p, n);
	if (ipmi_sel_info_rsp_decode(&b, &info) == 0) {
		buf_init_write(&o, out, sizeof(out));
		CHECK(ipmi_sel_info_rsp_encode(&info, &o) == 0);
		CHECK(o.len == 14 && memcmp(out, p, 14) == 0);
	}
	buf_init_read(&b, p, n);
	(void)ipmi_sel_reserve_rsp_decode(&b, &resv);
	buf_init_read(&b, p, n);
	(void)ipmi_sel_time_rsp_decode(&b, &ts);
	buf_init_read(&b, p, n);
	if (ipmi_get_sel_req_decode(&b, &gq) == 0) {
		buf_init_write(&o, out, sizeof(out));
		CHECK(ipmi_get_sel_req_encode(&gq, &o) == 0);
		CHECK(o.len == 6 && memcmp(out, p, 6) == 0);
	}
	buf_init_read(&b, p, n);
	if (ipmi_get_sel_rsp_decode(&b, &gr) == 0) {
		CHECK(gr.data == p + 2 && gr.len == n - 2);
		if (gr.len > sizeof(out) - 2)
			gr.len = sizeof(out) - 2;
		buf_init_write(&o, out, sizeof(out));
		CHECK(ipmi_get_sel_rsp_encode(&gr, &o) == 0);
	}
	buf_init_read(&b, p, n);
	rc = ipmi_clear_sel_req_decode(&b, &cq);
	CHECK(rc == 0 || rc == IPMI_E_SHORT || rc == IPMI_E_MALFORMED);
	if (rc == 0) {
		buf_init_write(&o, out, sizeof(out));
		CHECK(ipmi_clear_sel_req_encode(&cq, &o) == 0);
		CHECK(o.len == 6 && memcmp(out, p, 6) == 0);
	}
	buf_init_read(&b, p, n);
	if (ipmi_clear_sel_rsp_decode(&b, &progress) == 0)
		CHECK(progress < 16);
}

/* The next answer of a script, or 0 at its end. */
static int
next_answer(const uint8_t *p, size_t n, size_t *pos, uint8_t *cc,
    const uint8_t **data, size_t *len)
{
	size_t l;

	if (*pos + 2 > n)
		return 0;
	*cc = p[*pos];
	l = p[*pos + 1];
	if (l > n - *pos - 2)
		l = n - *pos - 2;
	*data = p + *pos + 2;
	*len = l;
	*pos += 2 + l;
	return 1;
}

static void
walk_script(const uint8_t *p, size_t n, size_t cap, int flags)
{
	static struct sel_walk w;
	struct ipmi_req req;
	const uint8_t *d;
	struct sel_entry e;
	uint8_t *buf, cc;
	size_t pos = 0, len;
	unsigned i;
	int rc;

	if ((buf = malloc(cap == 0 ? 1 : cap)) == NULL)
		return;
	sel_walk_init(&w, buf, cap, flags);
	while ((rc = sel_walk_next(&w, &req)) == IPMI_WALK_SEND) {
		CHECK(req.len <= sizeof(req.data));
		CHECK(req.netfn == IPMI_NETFN_STORAGE);
		if (!next_answer(p, n, &pos, &cc, &d, &len))
			break;
		if ((rc = sel_walk_feed(&w, cc, d, len)) < 0) {
			CHECK(w.state == SEL_WALK_FAILED);
			break;
		}
	}
	CHECK(w.len <= cap);
	CHECK(w.len == (size_t)w.nrecords * SEL_ENTRY_LEN);
	CHECK(w.reserves <= SEL_RESERVE_RETRIES);
	CHECK(w.nrecords <= SEL_MAX_RECORDS);
	CHECK(w.requests <= n / 2 + 1);
	if (flags & SEL_WALK_INFO_ONLY)
		CHECK(w.nrecords == 0 && w.requests <= 1);
	for (i = 0; i < w.nrecords; i++)
		CHECK(sel_decode(buf + (size_t)i * SEL_ENTRY_LEN,
		    SEL_ENTRY_LEN, &e) == 0);
	free(buf);
}

static void
clear_script(const uint8_t *p, size_t n)
{
	struct sel_clear c;
	struct ipmi_req req;
	const uint8_t *d;
	size_t pos = 0, len;
	uint8_t cc;
	int rc;

	sel_clear_init(&c);
	while ((rc = sel_clear_next(&c, &req)) == IPMI_WALK_SEND) {
		CHECK(req.len <= sizeof(req.data));
		if (!next_answer(p, n, &pos, &cc, &d, &len))
			break;
		if ((rc = sel_clear_feed(&c, cc, d, len)) < 0) {
			CHECK(c.state == SEL_CLEAR_FAILED);
			break;
		}
	}
	CHECK(c.reserves <= SEL_RESERVE_RETRIES);
	CHECK(c.polls <= SEL_CLEAR_POLLS);
	CHECK(c.requests <= 2 * (SEL_RESERVE_RETRIES + 1) + SEL_CLEAR_POLLS +
	    1);
	(void)rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdr_factors f;
	size_t off;

	if (size > MAX_INPUT)
		size = MAX_INPUT;
	factors_from(data, size, &f);
	for (off = 0; off < size; off += SEL_ENTRY_LEN)
		entry(data + off, size - off, &f);
	entry(data, size, &f);
	codecs(data, size);
	walk_script(data, size, 0, 0);
	walk_script(data, size, 2 * SEL_ENTRY_LEN, 0);
	walk_script(data, size, 4096, 0);
	walk_script(data, size, 4096, SEL_WALK_INFO_ONLY);
	clear_script(data, size);
	return 0;
}
