/*
 * fuzz_pet: ipmi/pet's SNMPv1 trap reader, PET binding decoder, SEL view
 * and PET Acknowledge codec over arbitrary bytes.
 *
 * The input is used three ways:
 *   1. as a UDP datagram: pet_trap_decode, pet_trap_check, pet_decode;
 *      what decodes is encoded again and must decode to the same fields;
 *   2. as PET binding data, with the specific trap taken from its first
 *      four bytes: pet_decode, then pet_encode must give the same bytes
 *      back; its SEL record is decoded, described and rated, and its
 *      acknowledgement encoded and decoded;
 *   3. as a PET Acknowledge request.
 * None may read or write outside what it was given.  Seeds come from
 * tests/fuzz/gen-pet-corpus.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define MAX_INPUT	4096

static void
as_datagram(const uint8_t *d, size_t n)
{
	static struct pet_trap t, u;
	static uint8_t out[4096];
	struct pet p;
	struct buf b;
	int rc;

	buf_init_read(&b, d, n);
	rc = pet_trap_decode(&b, &t);
	CHECK(rc <= 0 && rc >= PET_E_INVAL);
	CHECK(pet_strerror(rc) != NULL);
	CHECK(t.community_len <= PET_COMMUNITY_MAX);
	CHECK(t.community[t.community_len] == '\0');
	CHECK(t.enterprise_len <= PET_OID_MAX);
	CHECK(t.varbind_oid_len <= PET_OID_MAX);
	CHECK(t.varbind_len <= PET_VARBIND_MAX);
	CHECK(t.nvarbinds <= PET_VARBINDS_MAX);
	if (rc < 0) {
		CHECK(pet_datagram_decode(d, n, &u, &p) == rc);
		return;
	}
	CHECK(t.version == 0);
	rc = pet_trap_check(&t);
	CHECK(rc == 0 || rc == PET_E_ENTERPRISE || rc == PET_E_GENERIC ||
	    rc == PET_E_NO_PET);
	if (t.varbind_oid_len == 0 || t.enterprise_len < 2)
		return;
	buf_init_write(&b, out, sizeof(out));
	rc = pet_trap_encode(&t, &b);
	CHECK(rc == 0 || rc == PET_E_INVAL);
	if (rc < 0)
		return;
	buf_init_read(&b, out, b.len);
	CHECK(pet_trap_decode(&b, &u) == 0);
	CHECK(u.nvarbinds == 1);
	CHECK(u.generic == t.generic && u.specific == t.specific);
	CHECK(u.timeticks == t.timeticks);
	CHECK(u.community_len == t.community_len &&
	    memcmp(u.community, t.community, t.community_len) == 0);
	CHECK(u.enterprise_len == t.enterprise_len &&
	    memcmp(u.enterprise, t.enterprise,
	    t.enterprise_len * sizeof(uint32_t)) == 0);
	CHECK(memcmp(u.agent_addr, t.agent_addr, 4) == 0);
	CHECK(u.varbind_oid_len == t.varbind_oid_len &&
	    memcmp(u.varbind_oid, t.varbind_oid,
	    t.varbind_oid_len * sizeof(uint32_t)) == 0);
	CHECK(u.varbind_len == t.varbind_len &&
	    memcmp(u.varbind, t.varbind, t.varbind_len) == 0);
}

static void
as_binding(const uint8_t *d, size_t n)
{
	static const size_t sizes[] = { 0, 1, 16, 256 };
	uint8_t out[PET_VARBIND_MAX], rec[SEL_ENTRY_LEN], ack[16];
	struct ipmi_pet_ack_req q, r;
	struct sel_entry e;
	char text[256];
	struct pet p;
	struct buf b;
	int32_t specific = 0;
	size_t i, need;
	int rc, sev;

	if (n >= 4)
		specific = (int32_t)((uint32_t)d[0] << 24 | (uint32_t)d[1] <<
		    16 | (uint32_t)d[2] << 8 | d[3]);
	rc = pet_decode(d, n, specific, &p);
	if (n < PET_FIXED_LEN || n > PET_VARBIND_MAX) {
		CHECK(rc == PET_E_PET_LEN);
		return;
	}
	CHECK(rc == 0);
	CHECK(p.oem_len == n - PET_FIXED_LEN);
	CHECK(p.offset < 16 && p.direction < 2);
	CHECK(p.has_specific == (specific != PET_SPECIFIC_NA));
	if (p.has_specific)
		CHECK(pet_specific(&p) == (int32_t)((uint32_t)specific &
		    0x00ffff8f));
	buf_init_write(&b, out, sizeof(out));
	CHECK(pet_encode(&p, &b) == 0);
	CHECK(b.len == n && memcmp(out, d, n) == 0);

	pet_to_sel(&p, rec);
	CHECK(sel_decode(rec, sizeof(rec), &e) == 0);
	CHECK(e.kind == SEL_KIND_SYSTEM);
	CHECK(e.sensor_number == p.sensor_number);
	need = sel_describe(&e, NULL, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		CHECK(sel_describe(&e, sizes[i] ? text : NULL, sizes[i]) ==
		    need);
	sev = pet_severity(&p);
	CHECK(sev >= SEL_SEV_INFO && sev <= SEL_SEV_CRITICAL);
	CHECK(pet_severity_name(p.severity) != NULL);
	CHECK(pet_source_name(p.event_source) != NULL);

	pet_ack_from(&p, &q);
	buf_init_write(&b, ack, sizeof(ack));
	CHECK(ipmi_pet_ack_req_encode(&q, &b) == 0);
	CHECK(b.len == PET_ACK_REQ_LEN);
	buf_init_read(&b, ack, PET_ACK_REQ_LEN);
	CHECK(ipmi_pet_ack_req_decode(&b, &r) == 0);
	CHECK(memcmp(&q, &r, sizeof(q)) == 0);
}

static void
as_ack(const uint8_t *d, size_t n)
{
	struct ipmi_pet_ack_req q;
	uint8_t out[PET_ACK_REQ_LEN];
	struct buf b;
	int rc;

	buf_init_read(&b, d, n);
	rc = ipmi_pet_ack_req_decode(&b, &q);
	if (n < PET_ACK_REQ_LEN) {
		CHECK(rc == IPMI_E_SHORT);
		return;
	}
	CHECK(rc == 0 && buf_left(&b) == n - PET_ACK_REQ_LEN);
	buf_init_write(&b, out, sizeof(out));
	CHECK(ipmi_pet_ack_req_encode(&q, &b) == 0);
	CHECK(memcmp(out, d, PET_ACK_REQ_LEN) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	as_datagram(data, size);
	as_binding(data, size);
	as_ack(data, size);
	return 0;
}
