/*
 * gen-fru-corpus: write the seed corpus of fuzz_fru: whole FRU images,
 * well-formed and broken the ways real EEPROMs are.
 *
 *   cc -std=c11 -D_GNU_SOURCE -I. -o build/gen-fru-corpus \
 *       tests/fuzz/gen-fru-corpus.c
 *   build/gen-fru-corpus tests/fuzz/corpus
 *
 * writes DIR/fru/<name>.  Self-contained (it writes the bytes by hand from
 * the FRU spec, so the decoder is not checked against itself); the output
 * is deterministic, files of the same name are overwritten and others are
 * left alone.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *outdir;
static int nfiles;

struct img {
	uint8_t	b[4096];
	size_t	n;
};

static void
die(const char *what)
{
	fprintf(stderr, "gen-fru-corpus: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
save(const char *name, const uint8_t *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fru", outdir);
	if (mkdir(path, 0777) == -1 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/fru/%s", outdir, name);
	if ((f = fopen(path, "wb")) == NULL)
		die(path);
	if (n > 0 && fwrite(p, 1, n, f) != n)
		die(path);
	if (fclose(f) != 0)
		die(path);
	nfiles++;
}

static void
put(struct img *m, const void *p, size_t n)
{
	if (m->n + n > sizeof(m->b)) {
		fprintf(stderr, "gen-fru-corpus: image too large\n");
		exit(1);
	}
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put8(struct img *m, uint8_t v)
{
	put(m, &v, 1);
}

/* FRU spec 13: type in bits 7:6, length in bits 5:0 */
static void
field(struct img *m, int type, const void *p, size_t n)
{
	put8(m, (uint8_t)(type << 6 | n));
	put(m, p, n);
}

static void
text(struct img *m, const char *s)
{
	field(m, 3, s, strlen(s));
}

static uint8_t
zsum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

/* C1h, pad to a multiple of 8 with the checksum, length, checksum */
static void
area_end(struct img *m, size_t start)
{
	put8(m, 0xc1);
	while ((m->n + 1 - start) % 8 != 0)
		put8(m, 0);
	m->b[start + 1] = (uint8_t)((m->n + 1 - start) / 8);
	put8(m, zsum(m->b + start, m->n - start));
}

static void
area_begin(struct img *m, size_t *start, uint8_t third)
{
	while (m->n % 8 != 0)
		put8(m, 0);
	*start = m->n;
	put8(m, 0x01);
	put8(m, 0);
	put8(m, third);
}

/* FRU spec 8: offsets in multiples of 8, zero checksum */
static void
header(struct img *m, size_t internal, size_t chassis, size_t board,
    size_t product, size_t mr)
{
	uint8_t *h = m->b;

	h[0] = 0x01;
	h[1] = (uint8_t)(internal / 8);
	h[2] = (uint8_t)(chassis / 8);
	h[3] = (uint8_t)(board / 8);
	h[4] = (uint8_t)(product / 8);
	h[5] = (uint8_t)(mr / 8);
	h[6] = 0;
	h[7] = zsum(h, 7);
	if (m->n < 8)
		m->n = 8;
}

/* FRU spec 16.1 */
static void
record(struct img *m, uint8_t type, int eol, const uint8_t *d, uint8_t n)
{
	uint8_t h[5];

	h[0] = type;
	h[1] = (uint8_t)((eol ? 0x80 : 0) | 0x02);
	h[2] = n;
	h[3] = zsum(d, n);
	h[4] = zsum(h, 4);
	put(m, h, 5);
	put(m, d, n);
}

static const uint8_t psu[24] = { 0x20, 0x03, 0x84, 0x03, 0x32, 0x0a, 0x6c,
    0x39, 0x4c, 0x68, 0, 0, 0, 0, 47, 63, 20, 0x0e, 0x84, 0x13, 0x02, 0x58,
    0x02, 0x00 };
static const uint8_t dcout[13] = { 0x81, 0xb0, 0x04, 0xc4, 0xff, 0x3c, 0x00,
    0x78, 0x00, 0x64, 0x00, 0x10, 0x27 };
static const uint8_t oem[6] = { 0x7c, 0x2a, 0x00, 0xde, 0xad, 0x01 };

struct offs {
	size_t	chassis, board, product, mr;
};

static void
chassis_area(struct img *m, struct offs *o)
{
	area_begin(m, &o->chassis, 0x17);	/* Rack Mount Chassis */
	text(m, "CSE-819UTS-R1K02P");
	text(m, "C8190AB12N34567");
	text(m, "Rev A");
	area_end(m, o->chassis);
}

static void
board_area(struct img *m, struct offs *o)
{
	static const uint8_t bcd[] = { 0x20, 0x23, 0xb0, 0x31, 0x5c, 0x70 };
	static const uint8_t six[] = { 0xa1, 0x38, 0x92, 0xa5, 0x79, 0xa2 };
	static const uint8_t bin[] = { 0x01, 0xab };
	static const uint8_t mfg[] = { 0xd6, 0x4e, 0xda };

	area_begin(m, &o->board, 0x00);		/* English */
	put(m, mfg, 3);				/* 2023-03-15 10:30 UTC */
	text(m, "Supermicro");
	text(m, "X12DPU-6");
	field(m, 1, bcd, sizeof(bcd));
	field(m, 2, six, sizeof(six));
	field(m, 0, bin, sizeof(bin));
	text(m, "Caf\xe9 \xfc");
	area_end(m, o->board);
}

static void
product_area(struct img *m, struct offs *o)
{
	area_begin(m, &o->product, 25);
	text(m, "Supermicro");
	text(m, "SYS-1029U-TRT");
	text(m, "SYS-1029U-TRT");
	text(m, "0123456789");
	text(m, "S314159265");
	field(m, 3, "", 0);
	text(m, "fru-1.2");
	text(m, "custom:1");
	area_end(m, o->product);
}

static void
mr_area(struct img *m, struct offs *o, int eol)
{
	while (m->n % 8 != 0)
		put8(m, 0);
	o->mr = m->n;
	record(m, 0x00, 0, psu, sizeof(psu));
	record(m, 0x01, 0, dcout, sizeof(dcout));
	record(m, 0xc0, eol, oem, sizeof(oem));
}

static void
server(struct img *m, struct offs *o)
{
	memset(m, 0, sizeof(*m));
	m->n = 8;
	chassis_area(m, o);
	board_area(m, o);
	product_area(m, o);
	mr_area(m, o, 1);
	header(m, 0, o->chassis, o->board, o->product, o->mr);
}

int
main(int argc, char **argv)
{
	static struct img m;
	struct offs o;
	size_t a, i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-fru-corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) == -1 && errno != EEXIST)
		die(outdir);

	server(&m, &o);
	save("server", m.b, m.n);
	/* padded to a 512-byte EEPROM with FFh, as shipped */
	memset(m.b + m.n, 0xff, 512 - m.n);
	save("server-eeprom512", m.b, 512);

	/* board only, with an internal use area before it */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	put(&m, "\x01\x00\x00\x00\x00\x00\x00\x00", 8);
	board_area(&m, &o);
	header(&m, 8, 0, o.board, 0, 0);
	save("board-internal", m.b, m.n);

	/* product only */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	product_area(&m, &o);
	header(&m, 0, 0, 0, o.product, 0);
	save("product-only", m.b, m.n);

	/* multirecord only: a PSU with DC outputs */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	mr_area(&m, &o, 1);
	header(&m, 0, 0, 0, 0, o.mr);
	save("multirecord-psu", m.b, m.n);

	/* chassis with more custom fields than kept */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	area_begin(&m, &a, 0x11);
	text(&m, "PN");
	text(&m, "SN");
	for (i = 0; i < 20; i++)
		text(&m, "cf");
	area_end(&m, a);
	header(&m, 0, a, 0, 0, 0);
	save("chassis-custom-many", m.b, m.n);

	/* every encoding at full length (63 bytes) */
	memset(&m, 0, sizeof(m));
	m.n = 8;
	area_begin(&m, &a, 0);
	{
		uint8_t d[63];

		memset(d, 0xe9, sizeof(d));
		field(&m, 3, d, 63);
		memset(d, 0x9a, sizeof(d));
		field(&m, 1, d, 63);
		memset(d, 0xa5, sizeof(d));
		field(&m, 2, d, 63);
		memset(d, 0xff, sizeof(d));
		field(&m, 0, d, 63);
	}
	area_end(&m, a);
	header(&m, 0, 0, 0, a, 0);
	save("encodings-long", m.b, m.n);

	/* broken: header checksum */
	server(&m, &o);
	m.b[7] ^= 0x01;
	save("bad-header-checksum", m.b, m.n);

	/* broken: board checksum */
	server(&m, &o);
	m.b[o.product - 1] ^= 0x10;
	save("bad-board-checksum", m.b, m.n);

	/* broken: a field running past its area */
	server(&m, &o);
	m.b[o.chassis + 3 + 1 + 17] = 0xff;
	save("field-past-end", m.b, m.n);

	/* broken: area length 0 */
	server(&m, &o);
	m.b[o.board + 1] = 0;
	save("area-length-zero", m.b, m.n);

	/* broken: cut in the middle of the board area */
	server(&m, &o);
	save("truncated-board", m.b, o.board + 0x20);

	/* broken: multirecords without end-of-list */
	{
		struct img t;

		memset(&t, 0, sizeof(t));
		t.n = 8;
		chassis_area(&t, &o);
		board_area(&t, &o);
		product_area(&t, &o);
		mr_area(&t, &o, 0);
		header(&t, 0, o.chassis, o.board, o.product, o.mr);
		save("multirecord-no-eol", t.b, t.n);
	}

	/* broken: record checksum, and a record header checksum */
	server(&m, &o);
	m.b[o.mr + 5] ^= 0x01;
	save("bad-record-checksum", m.b, m.n);
	server(&m, &o);
	m.b[o.mr + 5 + sizeof(psu) + 2] ^= 0x40;
	save("bad-record-header", m.b, m.n);

	/* an area offset past the end */
	server(&m, &o);
	m.b[4] = 0xf0;
	m.b[7] = 0;
	m.b[7] = zsum(m.b, 7);
	save("offset-past-end", m.b, m.n);

	/* an erased EEPROM */
	memset(m.b, 0xff, 64);
	save("blank-ff", m.b, 64);

	printf("gen-fru-corpus: wrote %d files under %s/fru\n", nfiles, outdir);
	return 0;
}
