/*
 * gen-pet-corpus: write the seed corpus of fuzz_pet, built with ipmi/pet's
 * encoders so each seed is a real trap (and a few are real traps broken
 * the ways the decoder refuses).
 *
 *   make O=build build/libipmi.a
 *   cc -std=c11 -D_GNU_SOURCE -I. -o build/gen-pet-corpus \
 *       tests/fuzz/gen-pet-corpus.c build/libipmi.a -lcrypto
 *   build/gen-pet-corpus tests/fuzz/corpus
 *
 * writes DIR/pet/<name>: whole datagrams (PET traps of several kinds, and
 * broken ones: truncated, long-form lengths, indefinite length, SNMPv2c,
 * another enterprise, many bindings), bare PET bindings (with the
 * specific trap in their first four bytes, as fuzz_pet reads them) and a
 * PET Acknowledge request.  Deterministic; files of the same name are
 * overwritten.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipmi/buf.h"
#include "ipmi/pet.h"

static const char *outdir;
static int nfiles;

static void
die(const char *what)
{
	fprintf(stderr, "gen-pet-corpus: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
put(const char *name, const uint8_t *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pet", outdir);
	if (mkdir(path, 0777) == -1 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/pet/%s", outdir, name);
	if ((f = fopen(path, "wb")) == NULL)
		die(path);
	if (n > 0 && fwrite(p, 1, n, f) != n)
		die(path);
	if (fclose(f) != 0)
		die(path);
	nfiles++;
}

static void
pet_init(struct pet *p, int32_t specific, uint8_t sev, size_t oem)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < 16; i++)
		p->guid[i] = (uint8_t)(0x10 + i);
	p->sequence = 7;
	p->timestamp = 700000000;
	p->utc_offset = PET_UTC_UNSPECIFIED;
	p->trap_source = PET_SRC_IPMI;
	p->event_source = PET_SRC_IPMI;
	p->severity = sev;
	p->sensor_device = 0x20;
	p->sensor_number = 0x31;
	p->entity = 0x03;
	p->entity_instance = 1;
	p->event_data[0] = (uint8_t)(0x50 | (specific & 0xf));
	p->event_data[1] = 0x5c;
	p->event_data[2] = 0x5a;
	memset(p->event_data + 3, 0xff, 5);
	p->language = 0x19;
	p->manufacturer = 343;
	p->system_id = 1;
	memset(p->oem, 0xa5, oem);
	if (oem > 0)
		p->oem[oem - 1] = PET_OEM_END;
	p->oem_len = oem;
	p->sensor_type = (uint8_t)(specific >> 16);
	p->event_type = (uint8_t)(specific >> 8);
	p->direction = (uint8_t)(specific >> 7 & 1);
	p->offset = (uint8_t)(specific & 0xf);
}

static size_t
trap(uint8_t *out, size_t cap, const struct pet *p, int32_t specific,
    const char *community)
{
	struct pet_trap t;
	struct buf b;

	memset(&t, 0, sizeof(t));
	memcpy(t.enterprise, pet_enterprise_oid,
	    pet_enterprise_oid_len * sizeof(uint32_t));
	t.enterprise_len = pet_enterprise_oid_len;
	t.agent_addr[0] = 10;
	t.agent_addr[3] = 7;
	t.generic = PET_GENERIC_ENTERPRISE;
	t.specific = specific;
	t.timeticks = 123456;
	t.community_len = strlen(community);
	memcpy(t.community, community, t.community_len);
	buf_init_write(&b, t.varbind, sizeof(t.varbind));
	if (pet_encode(p, &b) < 0)
		die("pet_encode");
	t.varbind_len = b.len;
	buf_init_write(&b, out, cap);
	if (pet_trap_encode(&t, &b) < 0)
		die("pet_trap_encode");
	return b.len;
}

/* fuzz_pet reads the specific trap from a binding's first four bytes:
 * here the GUID's, 10111213h */
static void
binding(const char *name, const struct pet *p)
{
	uint8_t out[PET_VARBIND_MAX];
	struct buf b;

	buf_init_write(&b, out, sizeof(out));
	if (pet_encode(p, &b) < 0)
		die("pet_encode");
	put(name, out, b.len);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int32_t specific;
		uint8_t sev;
		size_t oem;
	} kinds[] = {
		{ "temp-uc-high", 0x010109, PET_SEV_CRITICAL, 1 },
		{ "psu-ac-lost", 0x086f03, PET_SEV_CRITICAL, 1 },
		{ "psu-ac-lost-deassert", 0x086f83, PET_SEV_OK, 1 },
		{ "mem-ecc", 0x0c6f00, PET_SEV_NON_CRITICAL, 0 },
		{ "oem-fields", 0x076f0c, PET_SEV_NON_RECOVERABLE, 40 },
		{ "specific-na", PET_SPECIFIC_NA, PET_SEV_UNSPECIFIED, 1 },
	};
	uint8_t d[2048], e[2048];
	struct pet p;
	size_t i, n;
	char name[64];

	if (argc != 2) {
		fprintf(stderr, "usage: gen-pet-corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		pet_init(&p, kinds[i].specific, kinds[i].sev, kinds[i].oem);
		n = trap(d, sizeof(d), &p, kinds[i].specific, "public");
		snprintf(name, sizeof(name), "trap-%s", kinds[i].name);
		put(name, d, n);
		snprintf(name, sizeof(name), "binding-%s", kinds[i].name);
		binding(name, &p);
	}

	pet_init(&p, 0x086f03, PET_SEV_CRITICAL, 1);
	n = trap(d, sizeof(d), &p, 0x086f03, "public");
	put("broken-truncated", d, n - 5);
	memcpy(e, d, n);
	e[n] = 0;
	put("broken-trailing", e, n + 1);
	/* indefinite outer length */
	memcpy(e, d, n);
	e[1] = 0x80;
	put("broken-indefinite", e, n);
	/* long form: 30 82 LL LL */
	e[0] = 0x30;
	e[1] = 0x82;
	e[2] = (uint8_t)((n - 2) >> 8);
	e[3] = (uint8_t)(n - 2);
	memcpy(e + 4, d + 2, n - 2);
	put("long-form-length", e, n + 2);
	/* SNMPv2c: version 1 */
	memcpy(e, d, n);
	e[4] = 1;
	put("broken-v2c", e, n);
	/* another enterprise: the arc 3183 (98 6F) as 3184 */
	memcpy(e, d, n);
	for (i = 0; i + 1 < n; i++)
		if (e[i] == 0x98 && e[i + 1] == 0x6f) {
			e[i + 1] = 0x70;
			break;
		}
	put("other-enterprise", e, n);
	/* a long community */
	n = trap(d, sizeof(d), &p, 0x086f03,
	    "a-community-string-of-sixty-four-bytes-exactly-that-is-the-limit");
	put("community-64", d, n);

	/* a PET Acknowledge request */
	{
		struct ipmi_pet_ack_req q;
		struct buf b;

		pet_ack_from(&p, &q);
		buf_init_write(&b, d, sizeof(d));
		if (ipmi_pet_ack_req_encode(&q, &b) < 0)
			die("ipmi_pet_ack_req_encode");
		put("ack-request", d, b.len);
	}
	printf("gen-pet-corpus: %d files in %s/pet\n", nfiles, outdir);
	return 0;
}
