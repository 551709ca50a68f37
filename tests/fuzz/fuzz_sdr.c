/*
 * fuzz_sdr: the SDR record decoders, the record iterator and the SDR walker
 * over arbitrary bytes.
 *
 * The input is used three ways:
 *   1. as records back to back, walked with sdr_next_record and each
 *      decoded (and expanded when shared);
 *   2. as one record for sdr_decode, whatever its header claims;
 *   3. as a script of answers for the walker: records of [cc][len][len
 *      bytes], fed in order until the walk ends or the input does.
 * None may read or write outside what it was given.  Seeds come from
 * tests/fuzz/gen-sdr-corpus.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/sdr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define MAX_INPUT	8192

static void
check_id(const struct sdr_id *id)
{
	CHECK(strnlen(id->text, sizeof(id->text)) < sizeof(id->text));
	CHECK(id->len <= SDR_ID_LEN_MAX);
}

static void
decode(const uint8_t *p, size_t n)
{
	static struct sdr_record r, e;
	unsigned i;
	int rc;

	rc = sdr_decode(p, n, &r);
	CHECK(rc == 0 || rc == IPMI_E_SHORT || rc == IPMI_E_MALFORMED);
	CHECK(r.rawlen <= n && r.rawlen <= SDR_RECORD_MAX);
	CHECK(sdr_type_name(r.type) != NULL);
	if (rc != 0 || !r.decoded)
		return;
	switch (r.type) {
	case SDR_TYPE_FULL:
	case SDR_TYPE_COMPACT:
	case SDR_TYPE_EVENT_ONLY:
		check_id(&r.u.sensor.id);
		CHECK(r.u.sensor.share_count >= 1 &&
		    r.u.sensor.share_count <= 15);
		for (i = 0; i < r.u.sensor.share_count; i++) {
			CHECK(sdr_expand(&r, i, &e) == 0);
			check_id(&e.u.sensor.id);
		}
		CHECK(sdr_expand(&r, i, &e) == IPMI_E_INVAL);
		break;
	case SDR_TYPE_FRU_LOCATOR:
		check_id(&r.u.fru.id);
		break;
	case SDR_TYPE_MC_LOCATOR:
		check_id(&r.u.mc.id);
		break;
	}
}

static void
iterate(const uint8_t *p, size_t n)
{
	const uint8_t *rec;
	size_t off = 0, rl;
	int rc;

	while ((rc = sdr_next_record(p, n, &off, &rec, &rl)) == 1) {
		CHECK(rec >= p && rec + rl <= p + n);
		decode(rec, rl);
	}
	CHECK(rc == 0 || rc == IPMI_E_SHORT);
}

static void
script(const uint8_t *p, size_t n, size_t cap, int flags)
{
	static struct sdr_walk w;
	struct ipmi_req req;
	uint8_t *buf;
	size_t pos = 0, len;
	int rc;

	if ((buf = malloc(cap)) == NULL)
		return;
	sdr_walk_init(&w, buf, cap, flags);
	while ((rc = sdr_walk_next(&w, &req)) == IPMI_WALK_SEND) {
		CHECK(req.len <= sizeof(req.data));
		if (pos + 2 > n)
			break;
		len = p[pos + 1];
		if (len > n - pos - 2)
			len = n - pos - 2;
		rc = sdr_walk_feed(&w, p[pos], p + pos + 2, len);
		pos += 2 + len;
		if (rc < 0) {
			CHECK(w.state == SDR_WALK_FAILED);
			break;
		}
	}
	CHECK(w.len <= cap);
	CHECK(w.reserves <= SDR_RESERVE_RETRIES);
	CHECK(w.nrecords <= SDR_MAX_RECORDS);
	/* what the walker kept is whole records */
	iterate(buf, w.len);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	iterate(data, size);
	decode(data, size);
	script(data, size, 64, 0);
	script(data, size, 4096, 0);
	return 0;
}
