/*
 * gen-sdr-corpus: write the seed corpora of fuzz_sdr and fuzz_sensor.
 *
 *   cc -std=c11 -D_GNU_SOURCE -o build/gen-sdr-corpus \
 *       tests/fuzz/gen-sdr-corpus.c
 *   build/gen-sdr-corpus tests/fuzz/corpus
 *
 * writes DIR/sdr/<name> and DIR/sensor/<name>.  Self-contained: the bytes
 * are written by hand from IPMI v2.0 rev 1.1, 43.x and 35.x.  Output is
 * deterministic; files of the same name are overwritten.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *outdir;

struct seed {
	uint8_t	b[2048];
	size_t	n;
};

static void
put(struct seed *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b)) {
		fprintf(stderr, "gen-sdr-corpus: seed too large\n");
		exit(1);
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void
emit(const char *sub, const char *name, const struct seed *s)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, sub);
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, sub, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(s->b, 1, s->n, f) != s->n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static const uint8_t full[] = {
	0x01, 0x00, 0x51, 0x01, 51, 0x20, 0x00, 0x30, 0x03, 0x01,
	0x7f, 0x68, 0x01, 0x01, 0x95, 0x7a, 0x95, 0x7a, 0x1b, 0x1b,
	0x80, 0x01, 0x00, 0x00, 0xfd, 0xc5, 0x00, 0xa4, 0x19, 0xe1,
	0x07, 0x28, 0x50, 0x05, 0x7f, 0x80, 0x00, 0x5a, 0x55, 0x00,
	0x02, 0x05, 0x02, 0x03, 0x00, 0x00, 0x00,
	0xc8, 'C', 'P', 'U', ' ', 'T', 'e', 'm', 'p',
};
static const uint8_t compact[] = {
	0x02, 0x00, 0x51, 0x02, 37, 0x20, 0x00, 0x40, 0x20, 0x01,
	0x7f, 0x68, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x12, 0x12,
	0x00, 0x01, 0x00, 0x04, 0x81, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xca, 'D', 'I', 'M', 'M', ' ', 'T', 'e', 'm', 'p', ' ',
};
static const uint8_t evonly[] = {
	0x03, 0x00, 0x51, 0x03, 18, 0x20, 0x00, 0x50, 0x0a, 0x01,
	0x0b, 0x0b, 0x1f, 0x7e, 0x00, 0x00,
	0x86, 0x23, 0x5c, 0x47, 0x23, 0x5c, 0x47,	/* 6-bit "CPU1CPU1" */
};
static const uint8_t fru[] = {
	0x04, 0x00, 0x51, 0x11, 20, 0x20, 0x00, 0x80, 0x00, 0x00,
	0x10, 0x00, 0x07, 0x01, 0x00,
	0xc9, 'M', 'a', 'i', 'n', 'b', 'o', 'a', 'r', 'd',
};
static const uint8_t mc[] = {
	0x05, 0x00, 0x51, 0x12, 14, 0x20, 0x00, 0x00, 0xbf, 0x00,
	0x00, 0x00, 0x2e, 0x01, 0x00, 0x43, 0x12, 0xab, 0x00,
};
static const uint8_t oem[] = { 0x06, 0x00, 0x51, 0xc0, 4, 0x57, 0x01,
	0x00, 0xaa };

/* A walker answer: [cc][len][data]. */
static void
ans(struct seed *s, uint8_t cc, const void *p, size_t n)
{
	uint8_t h[2] = { cc, (uint8_t)n };

	put(s, h, 2);
	put(s, p, n);
}

/* Get SDR answers for one record in chunks of 5 then 16. */
static void
ans_record(struct seed *s, const uint8_t *rec, size_t n, uint16_t next)
{
	uint8_t a[20];
	size_t off = 0, k;

	while (off < n) {
		k = off == 0 ? 5 : (n - off > 16 ? 16 : n - off);
		a[0] = (uint8_t)next;
		a[1] = (uint8_t)(next >> 8);
		memcpy(a + 2, rec + off, k);
		ans(s, 0, a, 2 + k);
		off += k;
	}
}

static void
sdr_seeds(void)
{
	static const uint8_t info[] = { 0x51, 0x06, 0x00, 0xff, 0xff,
	    1, 2, 3, 4, 5, 6, 7, 8, 0x22 };
	struct seed s;

	memset(&s, 0, sizeof(s));
	put(&s, full, sizeof(full));
	put(&s, compact, sizeof(compact));
	put(&s, evonly, sizeof(evonly));
	put(&s, fru, sizeof(fru));
	put(&s, mc, sizeof(mc));
	put(&s, oem, sizeof(oem));
	emit("sdr", "records", &s);
	s.n = 0; put(&s, full, sizeof(full)); emit("sdr", "full", &s);
	s.n = 0; put(&s, compact, sizeof(compact)); emit("sdr", "compact", &s);
	s.n = 0; put(&s, evonly, sizeof(evonly)); emit("sdr", "event-only", &s);
	s.n = 0; put(&s, fru, sizeof(fru)); emit("sdr", "fru-locator", &s);
	s.n = 0; put(&s, mc, sizeof(mc)); emit("sdr", "mc-locator", &s);
	s.n = 0; put(&s, full, sizeof(full) - 4); emit("sdr", "truncated", &s);

	/* a whole walk: info, reserve, three records */
	s.n = 0;
	ans(&s, 0, info, sizeof(info));
	ans(&s, 0, "\x01\x00", 2);
	ans_record(&s, full, sizeof(full), 2);
	ans_record(&s, compact, sizeof(compact), 3);
	ans_record(&s, mc, sizeof(mc), 0xffff);
	emit("sdr", "walk", &s);
	/* cancelled mid-record, then CAh */
	s.n = 0;
	ans(&s, 0, info, sizeof(info));
	ans(&s, 0, "\x01\x00", 2);
	ans(&s, 0, "\x02\x00\x01\x00\x51\x01\x33", 7);
	ans(&s, 0xc5, "", 0);
	ans(&s, 0, "\x02\x00", 2);
	ans(&s, 0xca, "", 0);
	ans_record(&s, fru, sizeof(fru), 0xffff);
	emit("sdr", "walk-retries", &s);
	/* empty repository */
	s.n = 0;
	ans(&s, 0, info, sizeof(info));
	ans(&s, 0, "\x01\x00", 2);
	ans(&s, 0xcb, "", 0);
	emit("sdr", "walk-empty", &s);
}

static void
sensor_seed(const char *name, const uint8_t *f, const void *rsp, size_t n)
{
	struct seed s;

	memset(&s, 0, sizeof(s));
	put(&s, f, 8);
	put(&s, rsp, n);
	emit("sensor", name, &s);
}

static void
sensor_seeds(void)
{
	/* units1, linear, M ls, M ms|tol, B ls, B ms|acc, acc|dir, K2|K1 */
	static const uint8_t temp[] = { 0x80, 0x00, 0xfd, 0xc5, 0x00, 0xa4,
	    0x19, 0xe1 };
	static const uint8_t volt[] = { 0x00, 0x00, 0x9d, 0x00, 0x00, 0x00,
	    0x00, 0xc0 };
	static const uint8_t fan[] = { 0x00, 0x00, 0x4b, 0x00, 0x00, 0x00,
	    0x00, 0x00 };
	static const uint8_t ones[] = { 0x40, 0x00, 0x01, 0x00, 0x05, 0x00,
	    0x00, 0x0f };
	static const uint8_t ln[] = { 0x00, 0x01, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0x00 };
	static const uint8_t ex[] = { 0x80, 0x04, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0xf0 };
	static const uint8_t inv[] = { 0x00, 0x07, 0xff, 0xc0, 0xff, 0xc0,
	    0x00, 0x88 };
	static const uint8_t cbrt[] = { 0x80, 0x0b, 0x00, 0x80, 0x00, 0x40,
	    0x00, 0x77 };
	static const uint8_t oem[] = { 0x00, 0x70, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0x00 };
	static const uint8_t none[] = { 0xc1, 0x00, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0x00 };

	sensor_seed("temp", temp, "\x28\xc0\x00\x80", 4);
	sensor_seed("volt-unc", volt, "\xd0\xc0\x08\x80", 4);
	sensor_seed("fan-thresholds", fan, "\x1b\x05\x02\x00\x55\x5a\x00", 7);
	sensor_seed("ones", ones, "\xff\xc0", 2);
	sensor_seed("ln", ln, "\x00\xe0", 2);
	sensor_seed("exp", ex, "\x7f\x80\x24", 3);
	sensor_seed("inverse", inv, "\x00", 1);
	sensor_seed("cube-root", cbrt, "\x80\xc0\x03\xff", 4);
	sensor_seed("oem-linear", oem, "", 0);
	sensor_seed("no-analog", none, "\x10\x40\x0a\x00", 4);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-sdr-corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	sdr_seeds();
	sensor_seeds();
	return 0;
}
