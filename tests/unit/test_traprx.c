/*
 * collector/traprx: the verdict on a datagram (source address, decoding,
 * GUID), the address map, and which SEL entry a trap announced.  The
 * datagrams are built with ipmi/pet's encoder; the SEL entries are
 * written here byte by byte (IPMI v2.0, 32.1).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "collector/traprx.h"
#include "ipmi/buf.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"
#include "tests/unit/ckmain.h"

static const uint8_t guid_a[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    13, 14, 15, 16 };

static struct sockaddr_in
sin4(const char *a)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, &s.sin_addr), 1);
	return s;
}

/* A PET from a BMC: power supply (08h) sensor 0x31, sensor-specific
 * (6Fh) offset 1 "failure detected", critical, at 1998 + ts seconds. */
static size_t
datagram(uint8_t *out, size_t cap, const uint8_t *guid, uint32_t ts,
    int enterprise_ok)
{
	struct pet_trap t;
	struct pet p;
	struct buf b;

	memset(&p, 0, sizeof(p));
	memcpy(p.guid, guid, 16);
	p.sequence = 7;
	p.timestamp = ts;
	p.utc_offset = PET_UTC_UNSPECIFIED;
	p.trap_source = PET_SRC_IPMI;
	p.event_source = PET_SRC_IPMI;
	p.severity = PET_SEV_CRITICAL;
	p.sensor_device = 0x20;
	p.sensor_number = 0x31;
	p.entity = 10;
	p.event_data[0] = 0x01;
	p.event_data[1] = 0xff;
	p.event_data[2] = 0xff;
	p.language = 0x19;
	p.has_specific = 1;
	p.sensor_type = 0x08;
	p.event_type = 0x6f;
	p.offset = 1;
	memset(&t, 0, sizeof(t));
	memcpy(t.community, "public", 6);
	t.community_len = 6;
	memcpy(t.enterprise, pet_enterprise_oid, pet_enterprise_oid_len *
	    sizeof(t.enterprise[0]));
	t.enterprise_len = pet_enterprise_oid_len;
	if (!enterprise_ok)
		t.enterprise[t.enterprise_len - 1] = 2;
	t.generic = PET_GENERIC_ENTERPRISE;
	t.specific = pet_specific(&p);
	buf_init_write(&b, t.varbind, sizeof(t.varbind));
	ck_assert_int_eq(pet_encode(&p, &b), 0);
	t.varbind_len = b.len;
	buf_init_write(&b, out, cap);
	ck_assert_int_eq(pet_trap_encode(&t, &b), 0);
	return b.len;
}

static const uint8_t *guid_of;
static const uint8_t *
known(void *arg, size_t bmc)
{
	(void)arg;
	(void)bmc;
	return guid_of;
}

static struct traprx_map
map3(void)
{
	struct traprx_map m;

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(traprx_map_add(&m, "127.0.74.3", 5), 0);
	ck_assert_int_eq(traprx_map_add(&m, "127.0.74.1", 2), 0);
	ck_assert_int_eq(traprx_map_add(&m, "::1", 9), 0);
	traprx_map_sort(&m);
	return m;
}

START_TEST(t_map)
{
	struct traprx_map m = map3();
	struct sockaddr_in a = sin4("127.0.74.3"), u = sin4("127.0.75.200");
	struct sockaddr_in6 v6;
	size_t bmc = 99;

	ck_assert_int_eq(traprx_map_find(&m, (struct sockaddr *)&a, &bmc), 0);
	ck_assert_uint_eq(bmc, 5);
	ck_assert_int_eq(traprx_map_find(&m, (struct sockaddr *)&u, &bmc), -1);
	/* a dual-stack socket's ::ffff:127.0.74.1 is the IPv4 BMC */
	memset(&v6, 0, sizeof(v6));
	v6.sin6_family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:127.0.74.1",
	    &v6.sin6_addr), 1);
	ck_assert_int_eq(traprx_map_find(&m, (struct sockaddr *)&v6, &bmc), 0);
	ck_assert_uint_eq(bmc, 2);
	ck_assert_int_eq(inet_pton(AF_INET6, "::1", &v6.sin6_addr), 1);
	ck_assert_int_eq(traprx_map_find(&m, (struct sockaddr *)&v6, &bmc), 0);
	ck_assert_uint_eq(bmc, 9);
	ck_assert_int_eq(traprx_map_add(&m, "no.such.host.invalid", 1), -1);
	traprx_map_release(&m);
}
END_TEST

START_TEST(t_judge)
{
	struct traprx_map m = map3();
	struct sockaddr_in a = sin4("127.0.74.3"), u = sin4("127.0.75.200");
	uint8_t d[512], rev[16];
	struct traprx_pet p;
	size_t len = datagram(d, sizeof(d), guid_a, 1000, 1), bmc = 99;
	enum traprx_verdict v;

	v = traprx_decode(d, len, &p);
	ck_assert_int_eq(v, TRAPRX_OK);
	ck_assert_uint_eq(p.sequence, 7);
	ck_assert_uint_eq(p.sensor_type, 0x08);
	ck_assert_uint_eq(p.sensor_number, 0x31);
	ck_assert_uint_eq(p.local_ts, 1000 + PET_EPOCH_UNIX);
	ck_assert_uint_eq(p.raw_ts, 1000);
	ck_assert_str_eq(p.severity, "critical");
	/* a stranger: dropped whatever it sent */
	guid_of = NULL;
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&u, v, &p, known,
	    NULL, &bmc), TRAPRX_UNKNOWN_SOURCE);
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&u,
	    TRAPRX_BAD_BER, &p, known, NULL, &bmc), TRAPRX_UNKNOWN_SOURCE);
	/* a BMC, GUID unknown: taken */
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&a, v, &p, known,
	    NULL, &bmc), TRAPRX_OK);
	ck_assert_uint_eq(bmc, 5);
	/* GUID known: as sent, or byte-reversed; else refused */
	guid_of = guid_a;
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&a, v, &p, known,
	    NULL, &bmc), TRAPRX_OK);
	for (int i = 0; i < 16; i++)
		rev[i] = guid_a[15 - i];
	guid_of = rev;
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&a, v, &p, known,
	    NULL, &bmc), TRAPRX_OK);
	rev[3] ^= 0x80;
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&a, v, &p, known,
	    NULL, &bmc), TRAPRX_GUID_MISMATCH);
	/* a BMC's datagram that is not a PET we take */
	guid_of = NULL;
	ck_assert_int_eq(traprx_decode(d, len - 3, &p), TRAPRX_BAD_BER);
	ck_assert_int_eq(traprx_judge(&m, (struct sockaddr *)&a,
	    traprx_decode(d, len - 3, &p), &p, known, NULL, &bmc),
	    TRAPRX_BAD_BER);
	ck_assert_int_eq(traprx_decode((const uint8_t *)"hello", 5, &p),
	    TRAPRX_BAD_BER);
	len = datagram(d, sizeof(d), guid_a, 1000, 0);
	ck_assert_int_eq(traprx_decode(d, len, &p), TRAPRX_WRONG_ENTERPRISE);
	traprx_map_release(&m);
}
END_TEST

/* A system event entry, by hand (IPMI v2.0, 32.1). */
static void
entry(uint8_t *e, uint16_t id, uint32_t ts, uint8_t stype, uint8_t snum,
    uint8_t dir_type, uint8_t d1, uint8_t d2, uint8_t d3)
{
	memset(e, 0, SEL_ENTRY_LEN);
	e[0] = (uint8_t)id;
	e[1] = (uint8_t)(id >> 8);
	e[2] = 0x02;
	e[3] = (uint8_t)ts;
	e[4] = (uint8_t)(ts >> 8);
	e[5] = (uint8_t)(ts >> 16);
	e[6] = (uint8_t)(ts >> 24);
	e[7] = 0x20;
	e[9] = 0x04;
	e[10] = stype;
	e[11] = snum;
	e[12] = dir_type;
	e[13] = d1;
	e[14] = d2;
	e[15] = d3;
}

START_TEST(t_match)
{
	uint8_t d[512], ents[6 * SEL_ENTRY_LEN], taken[6] = { 0 };
	struct traprx_pet p;
	uint32_t t0;

	ck_assert_int_eq(traprx_decode(d, datagram(d, sizeof(d), guid_a,
	    5000, 1), &p), TRAPRX_OK);
	t0 = p.local_ts;
	/* 0: another sensor; 1: the same event an hour before; 2: a
	 * deassertion; 3: the one, 2 s after the trap's time; 4: the same
	 * but 200 s off; 5: another offset */
	entry(ents + 0 * 16, 10, t0, 0x01, 0x31, 0x6f, 0x01, 0xff, 0xff);
	entry(ents + 1 * 16, 11, t0 - 3600, 0x08, 0x31, 0x6f, 0x01, 0xff,
	    0xff);
	entry(ents + 2 * 16, 12, t0, 0x08, 0x31, 0xef, 0x01, 0xff, 0xff);
	entry(ents + 3 * 16, 13, t0 + 2, 0x08, 0x31, 0x6f, 0x01, 0xff, 0xff);
	entry(ents + 4 * 16, 14, t0 + 200, 0x08, 0x31, 0x6f, 0x01, 0xff,
	    0xff);
	entry(ents + 5 * 16, 15, t0, 0x08, 0x31, 0x6f, 0x02, 0xff, 0xff);
	ck_assert_int_eq(traprx_match(&p, ents, 6, NULL), 3);
	/* linked to another trap already: the next closest */
	taken[3] = 1;
	ck_assert_int_eq(traprx_match(&p, ents, 6, taken), 4);
	taken[4] = 1;
	ck_assert_int_eq(traprx_match(&p, ents, 6, taken), -1);
	/* event data 2 and 3 filled differently: an entry whose data is
	 * the trap's goes first, though further in time; without one, the
	 * offset decides */
	entry(ents + 3 * 16, 13, t0 + 1, 0x08, 0x31, 0x6f, 0xa1, 0x00, 0x05);
	ck_assert_int_eq(traprx_match(&p, ents, 6, NULL), 4);
	ck_assert_int_eq(traprx_match(&p, ents, 4, NULL), 3);
	/* nothing of the kind read */
	ck_assert_int_eq(traprx_match(&p, ents, 1, NULL), -1);
	ck_assert_int_eq(traprx_match(&p, ents, 0, NULL), -1);
	/* the PET's own SEL form (record ID 0) is never taken for one */
	ck_assert_int_eq(traprx_match(&p, p.sel, 1, NULL), -1);
}
END_TEST

START_TEST(t_words)
{
	struct traprx_stats st;
	char w[256];

	memset(&st, 0, sizeof(st));
	st.received = 5;
	st.accepted = 3;
	st.n[TRAPRX_REPEAT] = 1;
	st.n[TRAPRX_UNKNOWN_SOURCE] = 1;
	st.n[TRAPRX_GUID_MISMATCH] = 1;
	traprx_stats_words(&st, w, sizeof(w));
	ck_assert_str_eq(w, "5 received, 3 accepted (1 repeats), 2 dropped "
	    "(unknown source 1, GUID mismatch 1)");
}
END_TEST

static Suite *
traprx_suite(void)
{
	Suite *s = suite_create("traprx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_map);
	tcase_add_test(tc, t_judge);
	tcase_add_test(tc, t_match);
	tcase_add_test(tc, t_words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_main(traprx_suite());
}
