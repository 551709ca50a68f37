/*
 * fuzz_fru: the FRU decoder and the FRU reader over arbitrary bytes.
 *
 * The input is used three ways:
 *   1. as a FRU image for fru_decode;
 *   2. as the FRU device of a fake BMC that the reader reads through
 *      Get FRU Inventory Area Info and Read FRU Data, in three manners
 *      (generous, word access refusing large chunks, short answers), and
 *      what it read must be the input, then decodes;
 *   3. as a script of answers for the reader: records of
 *      [cc][len][len bytes], fed in order until the walk ends or the input
 *      does.
 * Neither may read or write outside what it was given, and what they
 * report must stay inside their own limits.  Seeds are whole FRU images
 * from tests/fuzz/gen-fru-corpus.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/buf.h"
#include "ipmi/fru.h"
#include "ipmi/ipmi.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

/* Reads are per chunk: beyond this the input only slows the fuzzer. */
#define MAX_INPUT	8192

static void
check_field(const struct fru_field *fl)
{
	size_t n;

	n = strnlen(fl->text, sizeof(fl->text));
	CHECK(n < sizeof(fl->text));
	CHECK(fl->len <= 63);
	CHECK(fl->enc <= FRU_ENC_LATIN1);
	CHECK(!fl->present || !fl->truncated);
}

static void
check_fields(const struct fru_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_field(&f[i]);
}

static void
decode(const uint8_t *p, size_t n)
{
	static struct fru f;
	size_t i;
	int rc;

	rc = fru_decode(p, n, &f);
	CHECK(rc == 0 || rc == IPMI_E_SHORT || rc == IPMI_E_MALFORMED);
	CHECK(f.nproblems <= FRU_PROBLEM_MAX);
	CHECK(f.nmr <= FRU_MR_MAX);
	CHECK(f.chassis.ncustom <= FRU_CUSTOM_MAX);
	CHECK(f.board.ncustom <= FRU_CUSTOM_MAX);
	CHECK(f.product.ncustom <= FRU_CUSTOM_MAX);
	check_field(&f.chassis.part);
	check_field(&f.chassis.serial);
	check_fields(f.chassis.custom, f.chassis.ncustom);
	check_field(&f.board.mfr);
	check_field(&f.board.product);
	check_field(&f.board.serial);
	check_field(&f.board.part);
	check_field(&f.board.file_id);
	check_fields(f.board.custom, f.board.ncustom);
	check_field(&f.product.mfr);
	check_field(&f.product.name);
	check_field(&f.product.part);
	check_field(&f.product.version);
	check_field(&f.product.serial);
	check_field(&f.product.asset_tag);
	check_field(&f.product.file_id);
	check_fields(f.product.custom, f.product.ncustom);
	for (i = 0; i < f.nmr; i++) {
		CHECK(f.mr[i].dlen <= f.mr[i].len);
		CHECK((size_t)f.mr[i].offset + 5 + f.mr[i].dlen <= n);
		CHECK(fru_mr_type_name(f.mr[i].type) != NULL);
	}
	for (i = 0; i < f.nproblems; i++) {
		CHECK(fru_problem_str(f.problems[i].kind) != NULL);
		CHECK(fru_area_name(f.problems[i].area) != NULL);
	}
	CHECK(fru_chassis_type_name(f.chassis.type) != NULL);
}

/* A BMC that serves img as its FRU device. */
struct fake {
	const uint8_t	*img;
	size_t		 size;
	int		 words;
	size_t		 max;		/* largest answer in bytes */
	int		 short_answers;	/* answer max bytes instead of CAh */
};

static uint8_t
answer(const struct fake *fk, const struct ipmi_req *req, uint8_t *out,
    size_t *len)
{
	struct ipmi_fru_read_req rq;
	struct ipmi_fru_info_rsp info;
	struct buf b;
	size_t off, n, unit = fk->words ? 2 : 1;

	*len = 0;
	buf_init_write(&b, out, 300);
	if (req->cmd == IPMI_CMD_GET_FRU_INFO) {
		info.size = (uint16_t)fk->size;
		info.words = fk->words;
		CHECK(ipmi_fru_info_rsp_encode(&info, &b) == 0);
		*len = b.len;
		return 0;
	}
	CHECK(req->cmd == IPMI_CMD_READ_FRU);
	buf_init_read(&b, req->data, req->len);
	CHECK(ipmi_fru_read_req_decode(&b, &rq) == 0);
	off = (size_t)rq.offset * unit;
	n = (size_t)rq.count * unit;
	CHECK(n > 0);
	/* never asked past the area, but for a word device's last byte */
	CHECK(off + n <= fk->size + unit - 1);
	if (n > fk->max) {
		if (!fk->short_answers)
			return IPMI_CC_CANT_RETURN;
		n = fk->max;
	}
	if (off + n > fk->size)
		n = fk->size - off;	/* the padding byte of a word is 0 */
	out[0] = (uint8_t)((n + unit - 1) / unit);
	memcpy(out + 1, fk->img + off, n);
	*len = 1 + n + (fk->words && (n & 1));
	if (fk->words && (n & 1))
		out[1 + n] = 0;
	return 0;
}

static void
read_fake(const uint8_t *p, size_t n, int words, size_t max, int shorts)
{
	struct fake fk = { p, n, words, max, shorts };
	struct fru_read r;
	struct ipmi_req req;
	uint8_t ans[300], *buf;
	size_t alen;
	unsigned guard = 0;
	uint8_t cc;
	int rc;

	if ((buf = malloc(n ? n : 1)) == NULL)
		return;
	fru_read_init(&r, 0, buf, n);
	while ((rc = fru_read_next(&r, &req)) == IPMI_WALK_SEND) {
		CHECK(++guard < 3 * MAX_INPUT + 100);
		cc = answer(&fk, &req, ans, &alen);
		if (fru_read_feed(&r, cc, ans, alen) < 0)
			break;
	}
	/* an honest BMC is read whole, unless it refuses every size */
	if (max >= 2 || !words) {
		CHECK(rc == IPMI_WALK_DONE);
		CHECK(r.len == n);
		CHECK(n == 0 || memcmp(buf, p, n) == 0);
	}
	decode(buf, r.len);
	free(buf);
}

/* The input as answers: [cc][len][data], in order. */
static void
read_script(const uint8_t *p, size_t n, size_t cap)
{
	struct fru_read r;
	struct ipmi_req req;
	uint8_t *buf;
	size_t pos = 0, len;
	int rc;

	if ((buf = malloc(cap)) == NULL)
		return;
	fru_read_init(&r, (uint8_t)(n & 0xff), buf, cap);
	while ((rc = fru_read_next(&r, &req)) == IPMI_WALK_SEND) {
		CHECK(req.len <= sizeof(req.data));
		if (pos + 2 > n)
			break;
		len = p[pos + 1];
		if (len > n - pos - 2)
			len = n - pos - 2;
		rc = fru_read_feed(&r, p[pos], p + pos + 2, len);
		pos += 2 + len;
		if (rc < 0) {
			CHECK(r.state == FRU_READ_FAILED);
			break;
		}
	}
	CHECK(r.len <= cap);
	CHECK(r.retries <= FRU_READ_RETRIES + 1);
	if (rc == IPMI_WALK_DONE)
		decode(buf, r.len);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	decode(data, size);
	read_fake(data, size, 0, 255, 0);
	read_fake(data, size, 1, 7, 0);
	read_fake(data, size, 0, 5, 1);
	read_script(data, size, 64);
	read_script(data, size, 4096);
	return 0;
}
