/*
 * gen-sel-corpus: write the seed corpus of fuzz_sel.
 *
 *   cc -std=c11 -D_GNU_SOURCE -o build/gen-sel-corpus \
 *       tests/fuzz/gen-sel-corpus.c
 *   build/gen-sel-corpus tests/fuzz/corpus
 *
 * writes DIR/sel/<name>: single entries of each record type, entries back
 * to back, and answer scripts ([cc][len][data] each) for the SEL walker
 * and the clear walker.  Self-contained: the bytes are written by hand
 * from IPMI v2.0 rev 1.1, 31.x and 32.x.  Output is deterministic; files
 * of the same name are overwritten.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *outdir;

struct seed {
	uint8_t	b[1024];
	size_t	n;
};

static void
put(struct seed *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b)) {
		fprintf(stderr, "gen-sel-corpus: seed too large\n");
		exit(1);
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void
emit(const char *name, const struct seed *s)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sel", outdir);
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/sel/%s", outdir, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(s->b, 1, s->n, f) != s->n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* 32.1 system event: Upper Critical going high, reading and threshold */
static const uint8_t thresh[16] = {
	0x01, 0x00, 0x02, 0x00, 0x10, 0x5e, 0x5f, 0x20, 0x00, 0x04,
	0x01, 0x30, 0x01, 0x59, 0x5c, 0x5a,
};
/* Power Supply AC lost */
static const uint8_t psu[16] = {
	0x02, 0x00, 0x02, 0x01, 0x10, 0x5e, 0x5f, 0x20, 0x00, 0x04,
	0x08, 0x50, 0x6f, 0x03, 0xff, 0xff,
};
/* Correctable ECC from a software ID, OEM data 2 and 3 */
static const uint8_t ecc[16] = {
	0x03, 0x00, 0x02, 0x02, 0x10, 0x5e, 0x5f, 0x33, 0x12, 0x04,
	0x0c, 0x60, 0x6f, 0xa0, 0x00, 0x01,
};
/* redundancy lost, deasserted */
static const uint8_t deassert[16] = {
	0x04, 0x00, 0x02, 0x03, 0x10, 0x5e, 0x5f, 0x20, 0x00, 0x04,
	0x08, 0x51, 0x8b, 0x01, 0xff, 0xff,
};
/* pre-init time stamp */
static const uint8_t preinit[16] = {
	0x05, 0x00, 0x02, 0x23, 0x01, 0x00, 0x00, 0x20, 0x00, 0x04,
	0x0c, 0x60, 0x6f, 0x01, 0xff, 0xff,
};
/* 32.2 OEM timestamped, manufacturer 000157h */
static const uint8_t oem_ts[16] = {
	0x10, 0x00, 0xc1, 0x04, 0x10, 0x5e, 0x5f, 0x57, 0x01, 0x00,
	0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
};
/* 32.3 OEM non-timestamped */
static const uint8_t oem[16] = {
	0x11, 0x00, 0xe5, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
};
/* a reserved record type */
static const uint8_t unknown[16] = {
	0x12, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef,
};

/* Get SEL Info: 51h, 3 entries, 3FD0h free, times, reserve supported */
static const uint8_t info3[14] = {
	0x51, 0x03, 0x00, 0xd0, 0x3f, 0x00, 0x10, 0x5e, 0x5f,
	0x00, 0x00, 0x5e, 0x5f, 0x02,
};

/* A walker answer: [cc][len][data]. */
static void
ans(struct seed *s, uint8_t cc, const void *p, size_t n)
{
	uint8_t h[2] = { cc, (uint8_t)n };

	put(s, h, 2);
	put(s, p, n);
}

/* Get SEL Entry answer: next ID, then n bytes of the entry. */
static void
ans_entry(struct seed *s, const uint8_t *rec, size_t n, uint16_t next)
{
	uint8_t a[2 + 32];

	a[0] = (uint8_t)next;
	a[1] = (uint8_t)(next >> 8);
	memcpy(a + 2, rec, n);
	ans(s, 0, a, 2 + n);
}

static void
one(const char *name, const uint8_t *rec, size_t n)
{
	struct seed s;

	memset(&s, 0, sizeof(s));
	put(&s, rec, n);
	emit(name, &s);
}

int
main(int argc, char **argv)
{
	static const uint8_t empty_info[14] = { 0x51, 0, 0, 0, 0,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0a };
	static const uint8_t info5[14] = { 0x51, 0x05, 0x00, 0xff, 0xff,
	    0, 0, 0, 0, 0, 0, 0, 0, 0x82 };
	uint8_t longer[20];
	struct seed s;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-sel-corpus DIR\n");
		return 2;
	}
	outdir = argv[1];

	memset(&s, 0, sizeof(s));
	put(&s, thresh, 16);
	put(&s, psu, 16);
	put(&s, ecc, 16);
	put(&s, deassert, 16);
	put(&s, preinit, 16);
	put(&s, oem_ts, 16);
	put(&s, oem, 16);
	put(&s, unknown, 16);
	emit("entries", &s);
	one("threshold", thresh, 16);
	one("psu-ac-lost", psu, 16);
	one("memory-ecc", ecc, 16);
	one("deasserted", deassert, 16);
	one("pre-init", preinit, 16);
	one("oem-timestamped", oem_ts, 16);
	one("oem", oem, 16);
	one("unknown-type", unknown, 16);
	one("short", thresh, 15);

	/* a whole walk: info, reserve, three entries */
	s.n = 0;
	ans(&s, 0, info3, sizeof(info3));
	ans(&s, 0, "\x01\x00", 2);
	ans_entry(&s, thresh, 16, 2);
	ans_entry(&s, psu, 16, 0x10);
	ans_entry(&s, oem_ts, 16, 0xffff);
	emit("walk", &s);
	/* cancelled, count FFh refused, an answer longer than an entry */
	s.n = 0;
	ans(&s, 0, info3, sizeof(info3));
	ans(&s, 0, "\x01\x00", 2);
	ans(&s, 0xc5, "", 0);
	ans(&s, 0, "\x02\x00", 2);
	ans(&s, 0xca, "", 0);
	ans_entry(&s, thresh, 16, 2);
	memcpy(longer, psu, 16);
	memset(longer + 16, 0xee, 4);
	ans_entry(&s, longer, sizeof(longer), 0xffff);
	emit("walk-retries", &s);
	/* no entries, no free space */
	s.n = 0;
	ans(&s, 0, empty_info, sizeof(empty_info));
	emit("walk-empty", &s);
	/* entries claimed, Reserve not supported, CBh to the first read */
	s.n = 0;
	ans(&s, 0, info5, sizeof(info5));
	ans(&s, 0xc1, "", 0);
	ans(&s, 0xcb, "", 0);
	emit("walk-not-present", &s);
	/* the chain loops back */
	s.n = 0;
	ans(&s, 0, info3, sizeof(info3));
	ans(&s, 0, "\x01\x00", 2);
	ans_entry(&s, thresh, 16, 2);
	ans_entry(&s, psu, 16, 1);
	emit("walk-loop", &s);
	/* a short entry */
	s.n = 0;
	ans(&s, 0, info3, sizeof(info3));
	ans(&s, 0, "\x01\x00", 2);
	ans_entry(&s, thresh, 10, 0xffff);
	emit("walk-short", &s);

	/* clear: reserve, initiate (in progress), status twice */
	s.n = 0;
	ans(&s, 0, "\x01\x00", 2);
	ans(&s, 0, "\x00", 1);
	ans(&s, 0, "\x00", 1);
	ans(&s, 0, "\x01", 1);
	emit("clear", &s);
	/* clear: no reservations, cancelled once, then done at once */
	s.n = 0;
	ans(&s, 0xc1, "", 0);
	ans(&s, 0xc5, "", 0);
	ans(&s, 0, "\x02\x00", 2);
	ans(&s, 0, "\x01", 1);
	emit("clear-retries", &s);
	return 0;
}
