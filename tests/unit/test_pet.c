/*
 * ipmi/pet: the SNMPv1 Trap-PDU reader and writer, the PET binding, the
 * SEL view of a PET and the PET Acknowledge codec.  The reference
 * datagram is written by hand, octet by octet, from RFC 1157 4.1.6, X.690
 * and PET 1.0's variable binding (its binding is the example in FreeIPMI's
 * ipmi-pet(8) manual), so the decoder is not only checked against our own
 * encoder.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/ipmi.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"

/* PET 1.0 binding: GUID 16, sequence 2, time 4, UTC offset 2, trap
 * source, event source, severity, sensor device, sensor number, entity,
 * instance, event data 8, language, manufacturer 4, system ID 2, OEM */
#define VB47 \
	0x44, 0x45, 0x4c, 0x4c, 0x50, 0x00, 0x10, 0x59,		\
	0x80, 0x43, 0xb2, 0xc0, 0x4f, 0x33, 0x33, 0x58,		\
	0x00, 0x02,				/* sequence 2 */	\
	0x19, 0xe8, 0x7e, 0x26,			/* 434667046 */		\
	0xff, 0xff,				/* UTC offset unknown */\
	0x20, 0x20, 0x04, 0x20, 0x73, 0x18, 0x00,			\
	0x80, 0x01, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00,			\
	0x19,					/* English */		\
	0x00, 0x00, 0x02, 0xa2,			/* IANA 674 */		\
	0x01, 0x00,				/* system 256 */	\
	0xc1					/* end of OEM fields */

static const uint8_t vb47[47] = { VB47 };

/* The whole message, lengths worked out by hand. */
static const uint8_t trap[] = {
	0x30, 0x6b,					/* SEQUENCE, 107 */
	0x02, 0x01, 0x00,				/* version 0 */
	0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',	/* community */
	0xa4, 0x5e,					/* Trap-PDU, 94 */
	0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x98, 0x6f, 0x01, 0x01,
	0x40, 0x04, 0x7f, 0x00, 0x47, 0x01,		/* 127.0.71.1 */
	0x02, 0x01, 0x06,				/* generic 6 */
	0x02, 0x03, 0x05, 0x6f, 0x80,			/* 356224 */
	0x43, 0x02, 0x12, 0x34,				/* TimeTicks */
	0x30, 0x3f,					/* bindings, 63 */
	0x30, 0x3d,					/* binding, 61 */
	0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x98, 0x6f, 0x01, 0x01,
	0x01,
	0x04, 0x2f, VB47,				/* 47 bytes */
};

/* The same with long-form lengths where short ones would do. */
static const uint8_t trap_long[] = {
	0x30, 0x81, 0x6e,
	0x02, 0x01, 0x00,
	0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
	0xa4, 0x82, 0x00, 0x5f,
	0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x98, 0x6f, 0x01, 0x01,
	0x40, 0x04, 0x7f, 0x00, 0x47, 0x01,
	0x02, 0x01, 0x06,
	0x02, 0x03, 0x05, 0x6f, 0x80,
	0x43, 0x02, 0x12, 0x34,
	0x30, 0x81, 0x3f,
	0x30, 0x3d,
	0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x98, 0x6f, 0x01, 0x01,
	0x01,
	0x04, 0x2f, VB47,
};

static int
decode(const uint8_t *d, size_t n, struct pet_trap *t)
{
	struct buf b;

	buf_init_read(&b, d, n);
	return pet_trap_decode(&b, t);
}

/* A copy of trap with byte i replaced. */
static int
decode_with(size_t i, uint8_t v)
{
	uint8_t d[sizeof(trap)];
	struct pet_trap t;

	memcpy(d, trap, sizeof(d));
	d[i] = v;
	return decode(d, sizeof(d), &t);
}

static void
check_reference(const struct pet_trap *t)
{
	static const uint8_t addr[4] = { 127, 0, 71, 1 };
	static const uint32_t vboid[] = { 1, 3, 6, 1, 4, 1, 3183, 1, 1, 1 };

	ck_assert_int_eq(t->version, 0);
	ck_assert_uint_eq(t->community_len, 6);
	ck_assert_str_eq(t->community, "public");
	ck_assert_uint_eq(t->enterprise_len, pet_enterprise_oid_len);
	ck_assert(memcmp(t->enterprise, pet_enterprise_oid,
	    sizeof(uint32_t) * pet_enterprise_oid_len) == 0);
	ck_assert(memcmp(t->agent_addr, addr, 4) == 0);
	ck_assert_int_eq(t->generic, 6);
	ck_assert_int_eq(t->specific, 356224);
	ck_assert_uint_eq(t->timeticks, 0x1234);
	ck_assert_uint_eq(t->nvarbinds, 1);
	ck_assert_uint_eq(t->varbind_oid_len, 10);
	ck_assert(memcmp(t->varbind_oid, vboid, sizeof(vboid)) == 0);
	ck_assert_uint_eq(t->varbind_len, 47);
	ck_assert(memcmp(t->varbind, vb47, 47) == 0);
	ck_assert_int_eq(pet_trap_check(t), 0);
}

START_TEST(test_decode_reference)
{
	struct pet_trap t;

	ck_assert_int_eq(decode(trap, sizeof(trap), &t), 0);
	check_reference(&t);
	ck_assert_int_eq(decode(trap_long, sizeof(trap_long), &t), 0);
	check_reference(&t);
}
END_TEST

START_TEST(test_pet_fields)
{
	struct pet p;
	struct pet_trap t;
	static const uint8_t guid[16] = {
		0x44, 0x45, 0x4c, 0x4c, 0x50, 0x00, 0x10, 0x59,
		0x80, 0x43, 0xb2, 0xc0, 0x4f, 0x33, 0x33, 0x58,
	};

	ck_assert_int_eq(pet_datagram_decode(trap, sizeof(trap), &t, &p), 0);
	ck_assert(memcmp(p.guid, guid, 16) == 0);
	ck_assert_uint_eq(p.sequence, 2);
	ck_assert_uint_eq(p.timestamp, 0x19e87e26);
	ck_assert_uint_eq(p.utc_offset, PET_UTC_UNSPECIFIED);
	ck_assert_uint_eq(p.trap_source, 0x20);
	ck_assert_uint_eq(p.event_source, PET_SRC_IPMI);
	ck_assert_uint_eq(p.severity, PET_SEV_OK);
	ck_assert_uint_eq(p.sensor_device, 0x20);
	ck_assert_uint_eq(p.sensor_number, 0x73);
	ck_assert_uint_eq(p.entity, 0x18);
	ck_assert_uint_eq(p.entity_instance, 0);
	ck_assert_uint_eq(p.event_data[0], 0x80);
	ck_assert_uint_eq(p.event_data[1], 0x01);
	ck_assert_uint_eq(p.event_data[2], 0xff);
	ck_assert_uint_eq(p.language, 0x19);
	ck_assert_uint_eq(p.manufacturer, 674);
	ck_assert_uint_eq(p.system_id, 256);
	ck_assert_uint_eq(p.oem_len, 1);
	ck_assert_uint_eq(p.oem[0], PET_OEM_END);
	/* 356224 = 05 6F 80: physical security, sensor-specific,
	 * deassertion, offset 0 (chassis intrusion) */
	ck_assert_int_eq(p.has_specific, 1);
	ck_assert_uint_eq(p.sensor_type, 0x05);
	ck_assert_uint_eq(p.event_type, 0x6f);
	ck_assert_uint_eq(p.direction, 1);
	ck_assert_uint_eq(p.offset, 0);
	ck_assert_int_eq(pet_specific(&p), 356224);
	ck_assert_str_eq(pet_severity_name(p.severity), "Ok");
	ck_assert_int_eq(pet_severity(&p), SEL_SEV_INFO);

	/* specific trap not available */
	ck_assert_int_eq(pet_decode(vb47, 47, PET_SPECIFIC_NA, &p), 0);
	ck_assert_int_eq(p.has_specific, 0);
	ck_assert_uint_eq(p.sensor_type, 0);
	/* too short, and OEM fields past the maximum */
	ck_assert_int_eq(pet_decode(vb47, PET_FIXED_LEN - 1, 0, &p),
	    PET_E_PET_LEN);
	ck_assert_int_eq(pet_decode(vb47, PET_FIXED_LEN, 0, &p), 0);
	ck_assert_uint_eq(p.oem_len, 0);
}
END_TEST

START_TEST(test_encode_matches_hand)
{
	struct pet_trap t;
	uint8_t out[512];
	struct buf b;

	ck_assert_int_eq(decode(trap, sizeof(trap), &t), 0);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(pet_trap_encode(&t, &b), 0);
	ck_assert_uint_eq(b.len, sizeof(trap));
	ck_assert(memcmp(out, trap, sizeof(trap)) == 0);
	/* the default binding name is the spec's */
	t.varbind_oid_len = 0;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(pet_trap_encode(&t, &b), 0);
	ck_assert(b.len == sizeof(trap) && memcmp(out, trap, b.len) == 0);
	/* every shorter buffer fails cleanly */
	for (size_t n = 0; n < sizeof(trap); n++) {
		buf_init_write(&b, out, n);
		ck_assert_int_eq(pet_trap_encode(&t, &b), PET_E_NOSPACE);
	}
}
END_TEST

START_TEST(test_round_trip)
{
	struct pet p, q;
	struct pet_trap t, u;
	uint8_t out[1024];
	struct buf b;
	static const int32_t specifics[] = {
		0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0x010109,
		0x086f01, 0x0c6f81, 0xff7f8f, 0x7fffffff, -2, INT32_MIN,
	};
	size_t i, k;

	memset(&p, 0, sizeof(p));
	for (i = 0; i < 16; i++)
		p.guid[i] = (uint8_t)(0xa0 + i);
	p.sequence = 0xbeef;
	p.timestamp = 0x12345678;
	p.utc_offset = (uint16_t)-60;
	p.trap_source = PET_SRC_IPMI;
	p.event_source = PET_SRC_IPMI;
	p.severity = PET_SEV_CRITICAL;
	p.sensor_device = 0x20;
	p.sensor_number = 0x31;
	p.entity = 0x0a;
	p.entity_instance = 2;
	for (i = 0; i < 8; i++)
		p.event_data[i] = (uint8_t)(0x11 * i);
	p.language = 0x19;
	p.manufacturer = 0x00abcdef;
	p.system_id = 0x1234;
	for (k = 0; k <= PET_OEM_MAX; k += 37) {
		p.oem_len = k;
		memset(p.oem, 0x5a, k);
		memset(&t, 0, sizeof(t));
		memcpy(t.enterprise, pet_enterprise_oid,
		    sizeof(uint32_t) * pet_enterprise_oid_len);
		t.enterprise_len = pet_enterprise_oid_len;
		memcpy(t.community, "a-longer-community-string", 25);
		t.community_len = 25;
		t.agent_addr[0] = 10;
		t.agent_addr[3] = 254;
		t.generic = 6;
		t.timeticks = 0xffffffffu;
		buf_init_write(&b, t.varbind, sizeof(t.varbind));
		ck_assert_int_eq(pet_encode(&p, &b), 0);
		t.varbind_len = b.len;
		ck_assert_uint_eq(t.varbind_len, PET_FIXED_LEN + k);
		for (i = 0; i < sizeof(specifics) / sizeof(specifics[0]);
		    i++) {
			t.specific = specifics[i];
			buf_init_write(&b, out, sizeof(out));
			ck_assert_int_eq(pet_trap_encode(&t, &b), 0);
			ck_assert_int_eq(pet_datagram_decode(out, b.len, &u,
			    &q), 0);
			ck_assert_int_eq(u.specific, specifics[i]);
			ck_assert_uint_eq(u.timeticks, 0xffffffffu);
			ck_assert_str_eq(u.community,
			    "a-longer-community-string");
			ck_assert_uint_eq(q.oem_len, k);
			ck_assert(memcmp(q.guid, p.guid, 16) == 0);
			ck_assert_uint_eq(q.sequence, 0xbeef);
			ck_assert_uint_eq(q.timestamp, 0x12345678);
			ck_assert_uint_eq(q.utc_offset, (uint16_t)-60);
			ck_assert_uint_eq(q.manufacturer, 0x00abcdef);
			ck_assert_uint_eq(q.system_id, 0x1234);
			ck_assert(memcmp(q.event_data, p.event_data, 8) == 0);
			ck_assert_uint_eq(q.sensor_type,
			    ((uint32_t)specifics[i] >> 16) & 0xff);
			ck_assert_uint_eq(q.event_type,
			    ((uint32_t)specifics[i] >> 8) & 0xff);
			ck_assert_uint_eq(q.direction,
			    ((uint32_t)specifics[i] >> 7) & 1);
			ck_assert_uint_eq(q.offset, specifics[i] & 0xf);
		}
	}
	/* too long for the format */
	p.oem_len = PET_OEM_MAX + 1;
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(pet_encode(&p, &b), PET_E_INVAL);
	t.community_len = PET_COMMUNITY_MAX + 1;
	ck_assert_int_eq(pet_trap_encode(&t, &b), PET_E_INVAL);
	t.community_len = 0;
	t.enterprise[0] = 3;
	ck_assert_int_eq(pet_trap_encode(&t, &b), PET_E_INVAL);
}
END_TEST

START_TEST(test_truncations)
{
	struct pet_trap t;
	struct pet p;
	uint8_t d[sizeof(trap_long) + 1];
	size_t n;
	int rc;

	for (n = 0; n < sizeof(trap); n++) {
		rc = decode(trap, n, &t);
		ck_assert_msg(rc < 0, "%zu bytes decoded", n);
		ck_assert_int_eq(pet_datagram_decode(trap, n, &t, &p), rc);
	}
	for (n = 0; n < sizeof(trap_long); n++)
		ck_assert_int_lt(decode(trap_long, n, &t), 0);
	/* the whole thing but the outer length short by one: the last
	 * element runs past its parent */
	memcpy(d, trap, sizeof(trap));
	d[1] = 0x6a;
	ck_assert_int_eq(decode(d, sizeof(trap) - 1, &t), PET_E_SHORT);
	ck_assert_int_eq(decode(d, sizeof(trap), &t), PET_E_TRAILING);
	/* a byte after the message */
	memcpy(d, trap, sizeof(trap));
	d[sizeof(trap)] = 0;
	ck_assert_int_eq(decode(d, sizeof(trap) + 1, &t), PET_E_TRAILING);
}
END_TEST

START_TEST(test_refusals)
{
	struct pet_trap t;
	uint8_t d[512];
	struct buf b;
	size_t n;

	/* indefinite length of the message */
	ck_assert_int_eq(decode_with(1, 0x80), PET_E_INDEFINITE);
	/* a 5-octet length, and the reserved FFh form */
	ck_assert_int_eq(decode_with(1, 0x85), PET_E_BER);
	ck_assert_int_eq(decode_with(1, 0xff), PET_E_BER);
	/* high tag number form */
	ck_assert_int_eq(decode_with(0, 0x3f), PET_E_BER);
	/* not a SEQUENCE */
	ck_assert_int_eq(decode_with(0, 0x31), PET_E_TAG);
	/* version 1 (SNMPv2c) */
	ck_assert_int_eq(decode_with(4, 0x01), PET_E_VERSION);
	/* an SNMPv2 Trap-PDU [7] */
	ck_assert_int_eq(decode_with(13, 0xa7), PET_E_NOT_TRAP);
	/* agent-addr as an OCTET STRING */
	ck_assert_int_eq(decode_with(26, 0x04), PET_E_ADDR);
	/* generic trap as a TimeTicks */
	ck_assert_int_eq(decode_with(32, 0x43), PET_E_TAG);
	/* an OID arc padded with 80h */
	ck_assert_int_eq(decode_with(22, 0x80), PET_E_OID);

	/* wrong enterprise: 3184 */
	ck_assert_int_eq(decode_with(23, 0x70), 0);
	ck_assert_int_eq(decode(trap, sizeof(trap), &t), 0);
	t.enterprise[6] = 3184;
	ck_assert_int_eq(pet_trap_check(&t), PET_E_ENTERPRISE);
	/* generic trap 0 (coldStart) */
	ck_assert_int_eq(decode(trap, sizeof(trap), &t), 0);
	t.generic = 0;
	ck_assert_int_eq(pet_trap_check(&t), PET_E_GENERIC);
	ck_assert_int_eq(decode(trap, sizeof(trap), &t), 0);
	t.varbind_oid_len = 0;
	ck_assert_int_eq(pet_trap_check(&t), PET_E_NO_PET);

	/* the binding's value as an INTEGER: no PET binding */
	memcpy(d, trap, sizeof(trap));
	d[60] = 0x02;
	ck_assert_int_eq(decode(d, sizeof(trap), &t), 0);
	ck_assert_uint_eq(t.nvarbinds, 1);
	ck_assert_int_eq(pet_trap_check(&t), PET_E_NO_PET);

	/* version as a 9-octet INTEGER; an empty INTEGER */
	{
		static const uint8_t big[] = {
			0x30, 0x0b, 0x02, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		};
		static const uint8_t empty[] = { 0x30, 0x02, 0x02, 0x00 };

		ck_assert_int_eq(decode(big, sizeof(big), &t),
		    PET_E_INTEGER);
		ck_assert_int_eq(decode(empty, sizeof(empty), &t),
		    PET_E_INTEGER);
	}
	/* specific trap (bytes 35-39) past INT32_MAX: 02 05 00 80 00 00 00 */
	memcpy(d, trap, 35);
	memcpy(d + 35, (const uint8_t[]){ 0x02, 0x05, 0x00, 0x80, 0x00, 0x00,
	    0x00 }, 7);
	memcpy(d + 42, trap + 40, sizeof(trap) - 40);
	n = sizeof(trap) + 2;
	d[1] += 2;
	d[14] += 2;
	ck_assert_int_eq(decode(d, n, &t), PET_E_INTEGER);
	/* and at INT32_MIN - 1: 02 05 ff 7f ff ff ff */
	memcpy(d + 35, (const uint8_t[]){ 0x02, 0x05, 0xff, 0x7f, 0xff, 0xff,
	    0xff }, 7);
	ck_assert_int_eq(decode(d, n, &t), PET_E_INTEGER);
	/* INT32_MIN itself, padded to 5 octets, is taken */
	memcpy(d + 35, (const uint8_t[]){ 0x02, 0x05, 0xff, 0x80, 0x00, 0x00,
	    0x00 }, 7);
	ck_assert_int_eq(decode(d, n, &t), 0);
	ck_assert_int_eq(t.specific, INT32_MIN);
	/* oversized community: 65 bytes */
	{
		memset(&t, 0, sizeof(t));
		buf_init_write(&b, d, sizeof(d));
		ck_assert_int_eq(buf_put_u8(&b, 0x30), 0);
		ck_assert_int_eq(buf_put_u8(&b, 3 + 2 + 65), 0);
		ck_assert_int_eq(buf_put_bytes(&b, "\x02\x01\x00\x04\x41", 5),
		    0);
		ck_assert_int_eq(buf_put_zero(&b, 65), 0);
		ck_assert_int_eq(decode(d, b.len, &t), PET_E_COMMUNITY);
		d[1] -= 1;
		d[6] -= 1;
		ck_assert_int_eq(decode(d, b.len - 1, &t), PET_E_SHORT);
	}
	/* a byte left inside the PDU after the bindings */
	memcpy(d, trap, sizeof(trap));
	d[sizeof(trap)] = 0x00;
	d[1]++;
	d[14]++;
	ck_assert_int_eq(decode(d, sizeof(trap) + 1, &t), PET_E_TRAILING);
	/* a TimeTicks over 32 bits */
	{
		size_t at = 40;		/* 43 02 12 34 */

		memcpy(d, trap, at);
		memcpy(d + at, (const uint8_t[]){ 0x43, 0x05, 0x01, 0x00,
		    0x00, 0x00, 0x00 }, 7);
		memcpy(d + at + 7, trap + at + 4, sizeof(trap) - at - 4);
		n = sizeof(trap) + 3;
		d[1] += 3;
		d[14] += 3;
		ck_assert_int_eq(decode(d, n, &t), PET_E_INTEGER);
	}
}
END_TEST

START_TEST(test_too_many_varbinds)
{
	struct pet_trap t, u;
	uint8_t list[2048], out[4096], msg[4096];
	struct buf b;
	size_t i, n;

	/* 17 NULL bindings, built by hand around the reference PDU head */
	ck_assert_int_eq(decode(trap, sizeof(trap), &t), 0);
	n = 0;
	for (i = 0; i < PET_VARBINDS_MAX + 1; i++) {
		static const uint8_t vb[] = {
			0x30, 0x05, 0x06, 0x01, 0x2b, 0x05, 0x00,
		};
		memcpy(list + n, vb, sizeof(vb));
		n += sizeof(vb);
	}
	/* PDU: the reference's contents up to the list, then the list */
	buf_init_write(&b, out, sizeof(out));
	buf_put_bytes(&b, trap + 15, 44 - 15);	/* up to TimeTicks */
	buf_put_u8(&b, 0x30);
	buf_put_u8(&b, 0x81);
	buf_put_u8(&b, (uint8_t)n);
	buf_put_bytes(&b, list, n);
	i = b.len;
	buf_init_write(&b, msg, sizeof(msg));
	buf_put_u8(&b, 0x30);
	buf_put_u8(&b, 0x81);
	buf_put_u8(&b, (uint8_t)(3 + 8 + 3 + i));
	buf_put_bytes(&b, trap + 2, 11);
	buf_put_u8(&b, 0xa4);
	buf_put_u8(&b, 0x81);
	buf_put_u8(&b, (uint8_t)i);
	buf_put_bytes(&b, out, i);
	ck_assert_int_eq(decode(msg, b.len, &u), PET_E_VARBINDS);
	/* one fewer is fine, and has no PET binding */
	msg[2] -= 7;
	msg[16] -= 7;
	msg[48] -= 7;
	ck_assert_int_eq(decode(msg, b.len - 7, &u), 0);
	ck_assert_uint_eq(u.nvarbinds, PET_VARBINDS_MAX);
	ck_assert_int_eq(pet_trap_check(&u), PET_E_NO_PET);
}
END_TEST

START_TEST(test_to_sel)
{
	struct pet p;
	struct sel_entry e;
	uint8_t rec[SEL_ENTRY_LEN];
	char text[128];

	/* Power Supply AC lost, assertion, critical */
	ck_assert_int_eq(pet_decode(vb47, 47, 0x086f03, &p), 0);
	p.severity = PET_SEV_UNSPECIFIED;
	pet_to_sel(&p, rec);
	ck_assert_int_eq(sel_decode(rec, sizeof(rec), &e), 0);
	ck_assert_uint_eq(e.kind, SEL_KIND_SYSTEM);
	ck_assert_uint_eq(e.timestamp, 0x19e87e26u + PET_EPOCH_UNIX);
	ck_assert_uint_eq(e.sensor_type, 0x08);
	ck_assert_uint_eq(e.sensor_number, 0x73);
	ck_assert_uint_eq(e.event_type, 0x6f);
	ck_assert_uint_eq(e.direction, 0);
	ck_assert_uint_eq(e.offset, 3);
	ck_assert_uint_eq(e.gen_id, 0x10);
	ck_assert_uint_eq(e.evm_rev, 0x04);
	sel_describe(&e, text, sizeof(text));
	ck_assert_str_eq(text, "Power Supply AC lost");
	/* a known UTC offset is added, as ipmi-pet reads it */
	p.utc_offset = 60;
	pet_to_sel(&p, rec);
	ck_assert_int_eq(sel_decode(rec, sizeof(rec), &e), 0);
	ck_assert_uint_eq(e.timestamp, 0x19e87e26u + PET_EPOCH_UNIX + 3600);
	p.utc_offset = (uint16_t)-300;
	pet_to_sel(&p, rec);
	ck_assert_int_eq(sel_decode(rec, sizeof(rec), &e), 0);
	ck_assert_uint_eq(e.timestamp, 0x19e87e26u + PET_EPOCH_UNIX - 18000);
	p.utc_offset = PET_UTC_UNSPECIFIED;
	/* unspecified severity: the SEL's rules */
	ck_assert_int_eq(pet_severity(&p), SEL_SEV_CRITICAL);
	p.severity = PET_SEV_NON_CRITICAL;
	ck_assert_int_eq(pet_severity(&p), SEL_SEV_WARNING);
	p.severity = PET_SEV_NON_RECOVERABLE;
	ck_assert_int_eq(pet_severity(&p), SEL_SEV_CRITICAL);
	p.severity = PET_SEV_INFORMATION;
	ck_assert_int_eq(pet_severity(&p), SEL_SEV_INFO);
	/* deassertion: info by the SEL's rules */
	ck_assert_int_eq(pet_decode(vb47, 47, 0x086f83, &p), 0);
	p.severity = PET_SEV_UNSPECIFIED;
	ck_assert_int_eq(pet_severity(&p), SEL_SEV_INFO);
	/* an unknown time stays unknown */
	p.timestamp = PET_TS_UNSPECIFIED;
	pet_to_sel(&p, rec);
	ck_assert_int_eq(sel_decode(rec, sizeof(rec), &e), 0);
	ck_assert_uint_eq(e.timestamp, 0);
	ck_assert_str_eq(pet_severity_name(0x10), "Critical condition");
	ck_assert_str_eq(pet_severity_name(0x18), "Unknown");
	ck_assert_str_eq(pet_source_name(0x20), "IPMI");
	ck_assert_str_eq(pet_source_name(0x00), "Platform Firmware");
	ck_assert_str_eq(pet_source_name(0xc0), "OEM");
}
END_TEST

START_TEST(test_ack)
{
	struct ipmi_pet_ack_req q, r;
	struct pet p;
	uint8_t out[PET_ACK_REQ_LEN + 1];
	struct buf b;
	static const uint8_t want[PET_ACK_REQ_LEN] = {
		0x02, 0x00,			/* sequence, LS first */
		0x26, 0x7e, 0xe8, 0x19,		/* time stamp, LS first */
		0x20, 0x20, 0x73,		/* source, device, sensor */
		0x80, 0x01, 0xff,		/* event data 1-3 */
	};
	size_t n;

	ck_assert_int_eq(pet_decode(vb47, 47, 356224, &p), 0);
	pet_ack_from(&p, &q);
	buf_init_write(&b, out, sizeof(out));
	ck_assert_int_eq(ipmi_pet_ack_req_encode(&q, &b), 0);
	ck_assert_uint_eq(b.len, PET_ACK_REQ_LEN);
	ck_assert(memcmp(out, want, sizeof(want)) == 0);
	buf_init_read(&b, want, sizeof(want));
	ck_assert_int_eq(ipmi_pet_ack_req_decode(&b, &r), 0);
	ck_assert(memcmp(&q, &r, sizeof(q)) == 0);
	for (n = 0; n < PET_ACK_REQ_LEN; n++) {
		buf_init_read(&b, want, n);
		ck_assert_int_eq(ipmi_pet_ack_req_decode(&b, &r),
		    IPMI_E_SHORT);
		buf_init_write(&b, out, n);
		ck_assert_int_eq(ipmi_pet_ack_req_encode(&q, &b),
		    IPMI_E_NOSPACE);
	}
}
END_TEST

START_TEST(test_guid)
{
	/* Get Device GUID's wire bytes, least significant first */
	static const uint8_t dev[16] = {
		0x58, 0x33, 0x33, 0x4f, 0xc0, 0xb2, 0x43, 0x80,
		0x59, 0x10, 0x00, 0x50, 0x4c, 0x4c, 0x45, 0x44,
	};
	/* the SMBIOS order of the same GUID */
	static const uint8_t smbios[16] = {
		0x4c, 0x4c, 0x45, 0x44, 0x00, 0x50, 0x59, 0x10,
		0x80, 0x43, 0xb2, 0xc0, 0x4f, 0x33, 0x33, 0x58,
	};
	uint8_t p[16];
	char s[37];

	pet_guid_from_device(dev, p);
	ck_assert(memcmp(p, vb47, 16) == 0);
	pet_guid_format(p, s);
	ck_assert_str_eq(s, "44454c4c-5000-1059-8043-b2c04f333358");
	ck_assert_int_eq(pet_guid_match(p, dev), 1);
	ck_assert_int_eq(pet_guid_match(dev, dev), 1);
	ck_assert_int_eq(pet_guid_match(smbios, dev), 1);
	p[15] ^= 1;
	ck_assert_int_eq(pet_guid_match(p, dev), 0);
}
END_TEST

START_TEST(test_strerror)
{
	int e;

	for (e = PET_OK; e >= PET_E_INVAL; e--)
		ck_assert(strcmp(pet_strerror(e), "unknown PET error") != 0);
	ck_assert_str_eq(pet_strerror(-99), "unknown PET error");
}
END_TEST

static Suite *
pet_suite(void)
{
	Suite *s = suite_create("pet");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_decode_reference);
	tcase_add_test(tc, test_pet_fields);
	tcase_add_test(tc, test_encode_matches_hand);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_too_many_varbinds);
	tcase_add_test(tc, test_to_sel);
	tcase_add_test(tc, test_ack);
	tcase_add_test(tc, test_guid);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pet_suite());
	int nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
