/*
 * pet: SNMPv1 Trap-PDU and IPMI Platform Event Trap codecs (see pet.h).
 *
 * The BER reader handles exactly what an SNMPv1 trap needs: one-octet
 * tags, definite lengths (short form, or long form of 1-4 octets), and
 * INTEGER, OCTET STRING, OBJECT IDENTIFIER, IpAddress and TimeTicks.
 * Every element is read inside a sub-reader bounded by its own length, so
 * an inner length can never reach past its parent.
 */
#include <string.h>

#include "ipmi.h"
#include "pet.h"

/* BER tags (X.690 8.1.2; RFC 1155 application types) */
enum {
	BER_INTEGER = 0x02,
	BER_OCTET_STRING = 0x04,
	BER_NULL = 0x05,
	BER_OID = 0x06,
	BER_SEQUENCE = 0x30,
	BER_IPADDRESS = 0x40,		/* [APPLICATION 0] */
	BER_TIMETICKS = 0x43,		/* [APPLICATION 3] */
	SNMP_TRAP_PDU = 0xa4,		/* [4] IMPLICIT, constructed */
};

const uint32_t pet_enterprise_oid[] = { 1, 3, 6, 1, 4, 1, 3183, 1, 1 };
const size_t pet_enterprise_oid_len =
    sizeof(pet_enterprise_oid) / sizeof(pet_enterprise_oid[0]);
/* the PET binding's name: the enterprise and .1 */
static const uint32_t pet_varbind_oid[] = { 1, 3, 6, 1, 4, 1, 3183, 1, 1, 1 };

const char *
pet_strerror(int err)
{
	switch (err) {
	case PET_OK:
		return "success";
	case PET_E_SHORT:
		return "datagram ends inside a field";
	case PET_E_BER:
		return "not BER an SNMPv1 trap uses (tag or length form)";
	case PET_E_INDEFINITE:
		return "indefinite length refused";
	case PET_E_TRAILING:
		return "bytes after the last element";
	case PET_E_TAG:
		return "element of the wrong type";
	case PET_E_INTEGER:
		return "integer empty or out of range";
	case PET_E_VERSION:
		return "not SNMPv1";
	case PET_E_NOT_TRAP:
		return "not an SNMPv1 Trap-PDU";
	case PET_E_COMMUNITY:
		return "community too long";
	case PET_E_OID:
		return "object identifier malformed or too long";
	case PET_E_ADDR:
		return "agent address is not a 4-byte IpAddress";
	case PET_E_VARBINDS:
		return "too many variable bindings";
	case PET_E_ENTERPRISE:
		return "enterprise is not IPMI PET (1.3.6.1.4.1.3183.1.1)";
	case PET_E_GENERIC:
		return "generic trap is not enterprise-specific (6)";
	case PET_E_NO_PET:
		return "no PET variable binding (OCTET STRING)";
	case PET_E_PET_LEN:
		return "PET data of a wrong length";
	case PET_E_NOSPACE:
		return "output buffer too small";
	case PET_E_INVAL:
		return "field out of range for the format";
	}
	return "unknown PET error";
}

/* --- BER reading ------------------------------------------------------- */

/*
 * Read one element's tag and length, and point sub at its contents (the
 * parent b moves past them).
 */
static int
ber_get(struct buf *b, uint8_t *tag, struct buf *sub)
{
	const uint8_t *p;
	uint8_t t, l, o;
	size_t n, i;

	if (buf_get_u8(b, &t) < 0 || buf_get_u8(b, &l) < 0)
		return PET_E_SHORT;
	if ((t & 0x1f) == 0x1f)		/* high tag number form */
		return PET_E_BER;
	if (l == 0x80)
		return PET_E_INDEFINITE;
	if (l & 0x80) {
		l &= 0x7f;
		if (l > 4)		/* 7Fh is reserved (X.690 8.1.3.5) */
			return PET_E_BER;
		for (n = 0, i = 0; i < l; i++) {
			if (buf_get_u8(b, &o) < 0)
				return PET_E_SHORT;
			n = n << 8 | o;
		}
	} else
		n = l;
	if (n > buf_left(b) || buf_get_ref(b, &p, n) < 0)
		return PET_E_SHORT;
	buf_init_read(sub, p, n);
	*tag = t;
	return 0;
}

static int
ber_expect(struct buf *b, uint8_t want, struct buf *sub)
{
	uint8_t tag;
	int rc;

	if ((rc = ber_get(b, &tag, sub)) < 0)
		return rc;
	return tag == want ? 0 : PET_E_TAG;
}

/* An INTEGER-shaped element of tag want: two's complement, 1-8 octets. */
static int
ber_get_int(struct buf *b, uint8_t want, int64_t *v)
{
	struct buf c;
	uint64_t u;
	uint8_t o;
	size_t n, i;
	int rc;

	if ((rc = ber_expect(b, want, &c)) < 0)
		return rc;
	n = buf_left(&c);
	if (n == 0 || n > 8)
		return PET_E_INTEGER;
	for (u = 0, i = 0; i < n; i++) {
		(void)buf_get_u8(&c, &o);
		if (i == 0 && (o & 0x80))
			u = UINT64_MAX;	/* negative: sign-extend */
		u = u << 8 | o;
	}
	memcpy(v, &u, sizeof(*v));
	return 0;
}

static int
ber_get_i32(struct buf *b, int32_t *v)
{
	int64_t x;
	int rc;

	if ((rc = ber_get_int(b, BER_INTEGER, &x)) < 0)
		return rc;
	if (x < INT32_MIN || x > INT32_MAX)
		return PET_E_INTEGER;
	*v = (int32_t)x;
	return 0;
}

/* X.690 8.19: arcs in base 128, the first two folded into one. */
static int
ber_get_oid(struct buf *b, uint32_t *arcs, size_t *narcs)
{
	struct buf c;
	uint64_t v;
	uint8_t o;
	size_t n = 0;
	int rc, first = 1;

	if ((rc = ber_expect(b, BER_OID, &c)) < 0)
		return rc;
	if (buf_left(&c) == 0)
		return PET_E_OID;
	while (buf_left(&c) > 0) {
		v = 0;
		(void)buf_get_u8(&c, &o);
		if (o == 0x80)		/* a padded arc: not BER */
			return PET_E_OID;
		for (;;) {
			v = v << 7 | (o & 0x7f);
			if (v > UINT32_MAX + (first ? 80ull : 0))
				return PET_E_OID;
			if (!(o & 0x80))
				break;
			if (buf_get_u8(&c, &o) < 0)
				return PET_E_OID;	/* ends mid-arc */
		}
		if (first) {
			if (n + 2 > PET_OID_MAX)
				return PET_E_OID;
			arcs[n++] = v < 40 ? 0 : v < 80 ? 1 : 2;
			arcs[n++] = (uint32_t)(v < 80 ? v % 40 : v - 80);
			first = 0;
		} else {
			if (n + 1 > PET_OID_MAX)
				return PET_E_OID;
			arcs[n++] = (uint32_t)v;
		}
	}
	*narcs = n;
	return 0;
}

static int
oid_equal(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

/* One VarBind: SEQUENCE { name OID, value ANY }. */
static int
varbind_decode(struct buf *b, struct pet_trap *t)
{
	struct buf vb, val;
	uint32_t oid[PET_OID_MAX];
	size_t noid, n;
	uint8_t tag;
	int rc;

	if ((rc = ber_expect(b, BER_SEQUENCE, &vb)) < 0)
		return rc;
	if ((rc = ber_get_oid(&vb, oid, &noid)) < 0)
		return rc;
	if ((rc = ber_get(&vb, &tag, &val)) < 0)
		return rc;
	if (buf_left(&vb) != 0)
		return PET_E_TRAILING;
	if (tag != BER_OCTET_STRING || t->varbind_oid_len != 0)
		return 0;		/* not the PET data: skipped whole */
	n = buf_left(&val);
	if (n > PET_VARBIND_MAX)
		return PET_E_PET_LEN;
	memcpy(t->varbind_oid, oid, noid * sizeof(oid[0]));
	t->varbind_oid_len = noid;
	(void)buf_get_bytes(&val, t->varbind, n);
	t->varbind_len = n;
	return 0;
}

int
pet_trap_decode(struct buf *b, struct pet_trap *t)
{
	struct buf msg, c, pdu, list;
	int64_t x;
	size_t n;
	uint8_t tag;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = ber_expect(b, BER_SEQUENCE, &msg)) < 0)
		return rc;
	if (buf_left(b) != 0)
		return PET_E_TRAILING;
	if ((rc = ber_get_i32(&msg, &t->version)) < 0)
		return rc;
	if (t->version != 0)
		return PET_E_VERSION;
	if ((rc = ber_expect(&msg, BER_OCTET_STRING, &c)) < 0)
		return rc;
	if ((n = buf_left(&c)) > PET_COMMUNITY_MAX)
		return PET_E_COMMUNITY;
	(void)buf_get_bytes(&c, t->community, n);
	t->community[n] = '\0';
	t->community_len = n;
	if ((rc = ber_get(&msg, &tag, &pdu)) < 0)
		return rc;
	if (tag != SNMP_TRAP_PDU)
		return PET_E_NOT_TRAP;
	if (buf_left(&msg) != 0)
		return PET_E_TRAILING;

	if ((rc = ber_get_oid(&pdu, t->enterprise, &t->enterprise_len)) < 0)
		return rc;
	if ((rc = ber_expect(&pdu, BER_IPADDRESS, &c)) < 0)
		return rc == PET_E_TAG ? PET_E_ADDR : rc;
	if (buf_left(&c) != sizeof(t->agent_addr))
		return PET_E_ADDR;
	(void)buf_get_bytes(&c, t->agent_addr, sizeof(t->agent_addr));
	if ((rc = ber_get_i32(&pdu, &t->generic)) < 0 ||
	    (rc = ber_get_i32(&pdu, &t->specific)) < 0)
		return rc;
	if ((rc = ber_get_int(&pdu, BER_TIMETICKS, &x)) < 0)
		return rc;
	if (x < 0 || x > UINT32_MAX)
		return PET_E_INTEGER;
	t->timeticks = (uint32_t)x;
	if ((rc = ber_expect(&pdu, BER_SEQUENCE, &list)) < 0)
		return rc;
	if (buf_left(&pdu) != 0)
		return PET_E_TRAILING;
	while (buf_left(&list) > 0) {
		if (t->nvarbinds == PET_VARBINDS_MAX)
			return PET_E_VARBINDS;
		if ((rc = varbind_decode(&list, t)) < 0)
			return rc;
		t->nvarbinds++;
	}
	return 0;
}

int
pet_trap_check(const struct pet_trap *t)
{
	if (!oid_equal(t->enterprise, t->enterprise_len, pet_enterprise_oid,
	    pet_enterprise_oid_len))
		return PET_E_ENTERPRISE;
	if (t->generic != PET_GENERIC_ENTERPRISE)
		return PET_E_GENERIC;
	if (t->varbind_oid_len == 0)
		return PET_E_NO_PET;
	return 0;
}

/* --- BER writing ------------------------------------------------------- */

/* Scratch big enough for any message the limits allow. */
#define BER_SCRATCH	2048

static int
ber_put_len(struct buf *b, size_t n)
{
	if (n < 0x80)
		return buf_put_u8(b, (uint8_t)n);
	if (n <= 0xff)
		return buf_put_u8(b, 0x81) < 0 || buf_put_u8(b, (uint8_t)n) < 0 ?
		    -1 : 0;
	if (n <= 0xffff)
		return buf_put_u8(b, 0x82) < 0 ||
		    buf_put_be16(b, (uint16_t)n) < 0 ? -1 : 0;
	return -1;
}

static int
ber_put(struct buf *b, uint8_t tag, const void *p, size_t n)
{
	if (buf_put_u8(b, tag) < 0 || ber_put_len(b, n) < 0 ||
	    buf_put_bytes(b, p, n) < 0)
		return PET_E_NOSPACE;
	return 0;
}

/* The shortest two's complement of v (X.690 8.3.2). */
static int
ber_put_int(struct buf *b, uint8_t tag, int64_t v)
{
	uint8_t o[9];
	size_t n = 0, i;
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	for (i = 0; i < 8; i++)
		o[i] = (uint8_t)(u >> (56 - 8 * i));
	/* drop leading octets that only repeat the sign */
	while (n < 7 && ((o[n] == 0x00 && !(o[n + 1] & 0x80)) ||
	    (o[n] == 0xff && (o[n + 1] & 0x80))))
		n++;
	return ber_put(b, tag, o + n, 8 - n);
}

static int
ber_put_oid(struct buf *b, const uint32_t *arcs, size_t narcs)
{
	uint8_t o[PET_OID_MAX * 5 + 5];
	size_t n = 0, i;
	uint64_t v;
	int k;

	if (narcs < 2 || narcs > PET_OID_MAX || arcs[0] > 2 ||
	    (arcs[0] < 2 && arcs[1] >= 40))
		return PET_E_INVAL;
	for (i = 1; i < narcs; i++) {
		v = i == 1 ? (uint64_t)arcs[0] * 40 + arcs[1] : arcs[i];
		for (k = 4; k > 0 && (v >> (7 * k)) == 0; k--)
			;
		for (; k > 0; k--)
			o[n++] = (uint8_t)(0x80 | ((v >> (7 * k)) & 0x7f));
		o[n++] = (uint8_t)(v & 0x7f);
	}
	return ber_put(b, BER_OID, o, n);
}

int
pet_trap_encode(const struct pet_trap *t, struct buf *out)
{
	uint8_t vb[BER_SCRATCH], list[BER_SCRATCH], pdu[BER_SCRATCH],
	    msg[BER_SCRATCH];
	struct buf b;
	size_t n;
	int rc;

	if (t->community_len > PET_COMMUNITY_MAX ||
	    t->varbind_len > PET_VARBIND_MAX)
		return PET_E_INVAL;
	/* VarBind contents: name, value */
	buf_init_write(&b, vb, sizeof(vb));
	rc = t->varbind_oid_len == 0 ?
	    ber_put_oid(&b, pet_varbind_oid,
		sizeof(pet_varbind_oid) / sizeof(pet_varbind_oid[0])) :
	    ber_put_oid(&b, t->varbind_oid, t->varbind_oid_len);
	if (rc < 0 || (rc = ber_put(&b, BER_OCTET_STRING, t->varbind,
	    t->varbind_len)) < 0)
		return rc;
	n = b.len;
	/* VarBindList contents: one VarBind */
	buf_init_write(&b, list, sizeof(list));
	if ((rc = ber_put(&b, BER_SEQUENCE, vb, n)) < 0)
		return rc;
	n = b.len;
	/* Trap-PDU contents */
	buf_init_write(&b, pdu, sizeof(pdu));
	if ((rc = ber_put_oid(&b, t->enterprise, t->enterprise_len)) < 0 ||
	    (rc = ber_put(&b, BER_IPADDRESS, t->agent_addr,
		sizeof(t->agent_addr))) < 0 ||
	    (rc = ber_put_int(&b, BER_INTEGER, t->generic)) < 0 ||
	    (rc = ber_put_int(&b, BER_INTEGER, t->specific)) < 0 ||
	    (rc = ber_put_int(&b, BER_TIMETICKS, t->timeticks)) < 0 ||
	    (rc = ber_put(&b, BER_SEQUENCE, list, n)) < 0)
		return rc;
	n = b.len;
	/* Message contents: version, community, PDU */
	buf_init_write(&b, msg, sizeof(msg));
	if ((rc = ber_put_int(&b, BER_INTEGER, t->version)) < 0 ||
	    (rc = ber_put(&b, BER_OCTET_STRING, t->community,
		t->community_len)) < 0 ||
	    (rc = ber_put(&b, SNMP_TRAP_PDU, pdu, n)) < 0)
		return rc;
	return ber_put(out, BER_SEQUENCE, msg, b.len);
}

/* --- the PET binding ---------------------------------------------------- */

int
pet_decode(const uint8_t *data, size_t len, int32_t specific, struct pet *p)
{
	struct buf b;
	uint32_t s;

	memset(p, 0, sizeof(*p));
	if (len < PET_FIXED_LEN || len - PET_FIXED_LEN > PET_OEM_MAX)
		return PET_E_PET_LEN;
	/* PET 1.0, the variable binding: multi-byte fields MSB first */
	buf_init_read(&b, data, len);
	(void)buf_get_bytes(&b, p->guid, sizeof(p->guid));
	(void)buf_get_be16(&b, &p->sequence);
	(void)buf_get_be32(&b, &p->timestamp);
	(void)buf_get_be16(&b, &p->utc_offset);
	(void)buf_get_u8(&b, &p->trap_source);
	(void)buf_get_u8(&b, &p->event_source);
	(void)buf_get_u8(&b, &p->severity);
	(void)buf_get_u8(&b, &p->sensor_device);
	(void)buf_get_u8(&b, &p->sensor_number);
	(void)buf_get_u8(&b, &p->entity);
	(void)buf_get_u8(&b, &p->entity_instance);
	(void)buf_get_bytes(&b, p->event_data, sizeof(p->event_data));
	(void)buf_get_u8(&b, &p->language);
	(void)buf_get_be32(&b, &p->manufacturer);
	(void)buf_get_be16(&b, &p->system_id);
	p->oem_len = buf_left(&b);
	(void)buf_get_bytes(&b, p->oem, p->oem_len);
	if (specific != PET_SPECIFIC_NA) {
		s = (uint32_t)specific;
		p->has_specific = 1;
		p->specific = s;
		p->sensor_type = (uint8_t)(s >> 16);
		p->event_type = (uint8_t)(s >> 8);
		p->direction = (uint8_t)(s >> 7 & 1);
		p->offset = (uint8_t)(s & 0x0f);
	}
	return 0;
}

int
pet_encode(const struct pet *p, struct buf *b)
{
	if (p->oem_len > PET_OEM_MAX)
		return PET_E_INVAL;
	if (buf_put_bytes(b, p->guid, sizeof(p->guid)) < 0 ||
	    buf_put_be16(b, p->sequence) < 0 ||
	    buf_put_be32(b, p->timestamp) < 0 ||
	    buf_put_be16(b, p->utc_offset) < 0 ||
	    buf_put_u8(b, p->trap_source) < 0 ||
	    buf_put_u8(b, p->event_source) < 0 ||
	    buf_put_u8(b, p->severity) < 0 ||
	    buf_put_u8(b, p->sensor_device) < 0 ||
	    buf_put_u8(b, p->sensor_number) < 0 ||
	    buf_put_u8(b, p->entity) < 0 ||
	    buf_put_u8(b, p->entity_instance) < 0 ||
	    buf_put_bytes(b, p->event_data, sizeof(p->event_data)) < 0 ||
	    buf_put_u8(b, p->language) < 0 ||
	    buf_put_be32(b, p->manufacturer) < 0 ||
	    buf_put_be16(b, p->system_id) < 0 ||
	    buf_put_bytes(b, p->oem, p->oem_len) < 0)
		return PET_E_NOSPACE;
	return 0;
}

int32_t
pet_specific(const struct pet *p)
{
	uint32_t s;

	s = (uint32_t)p->sensor_type << 16 | (uint32_t)p->event_type << 8 |
	    (uint32_t)(p->direction & 1) << 7 | (p->offset & 0x0f);
	return (int32_t)s;
}

void
pet_guid_from_device(const uint8_t d[16], uint8_t p[16])
{
	size_t i;

	for (i = 0; i < 16; i++)
		p[i] = d[15 - i];
}

int
pet_guid_match(const uint8_t p[16], const uint8_t d[16])
{
	/* SMBIOS 2.6+: time_low, time_mid, time_hi little-endian */
	static const uint8_t smbios[16] = {
		3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15,
	};
	uint8_t r[16], m[16];
	size_t i;

	pet_guid_from_device(d, r);
	for (i = 0; i < 16; i++)
		m[i] = r[smbios[i]];
	return memcmp(p, r, 16) == 0 || memcmp(p, d, 16) == 0 ||
	    memcmp(p, m, 16) == 0;
}

void
pet_guid_format(const uint8_t g[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		out[n++] = hex[g[i] >> 4];
		out[n++] = hex[g[i] & 0xf];
	}
	out[n] = '\0';
}

int
pet_datagram_decode(const uint8_t *d, size_t len, struct pet_trap *t,
    struct pet *p)
{
	struct buf b;
	int rc;

	buf_init_read(&b, d, len);
	if ((rc = pet_trap_decode(&b, t)) < 0 || (rc = pet_trap_check(t)) < 0)
		return rc;
	return pet_decode(t->varbind, t->varbind_len, t->specific, p);
}

/* --- as a SEL record ----------------------------------------------------- */

void
pet_to_sel(const struct pet *p, uint8_t out[SEL_ENTRY_LEN])
{
	uint32_t ts = 0;
	int64_t t;

	if (p->timestamp != PET_TS_UNSPECIFIED) {
		t = (int64_t)p->timestamp + PET_EPOCH_UNIX;
		/* local time plus the offset is UTC, as ipmi-pet reads it */
		if (p->utc_offset != PET_UTC_UNSPECIFIED)
			t += (int64_t)(int16_t)p->utc_offset * 60;
		ts = t < 1 ? 1 : t > UINT32_MAX - 1 ? UINT32_MAX - 1 :
		    (uint32_t)t;
	}
	memset(out, 0, SEL_ENTRY_LEN);
	out[2] = SEL_TYPE_SYSTEM;
	out[3] = (uint8_t)ts;
	out[4] = (uint8_t)(ts >> 8);
	out[5] = (uint8_t)(ts >> 16);
	out[6] = (uint8_t)(ts >> 24);
	out[7] = p->sensor_device;	/* generator: slave address, LUN 0 */
	out[8] = 0;
	out[9] = 0x04;			/* EvM revision, IPMI 1.5 and 2.0 */
	out[10] = p->sensor_type;
	out[11] = p->sensor_number;
	out[12] = (uint8_t)((p->direction & 1) << 7 | (p->event_type & 0x7f));
	out[13] = p->has_specific ?
	    (uint8_t)((p->event_data[0] & 0xf0) | (p->offset & 0x0f)) :
	    p->event_data[0];
	out[14] = p->event_data[1];
	out[15] = p->event_data[2];
}

int
pet_severity(const struct pet *p)
{
	uint8_t rec[SEL_ENTRY_LEN];
	struct sel_entry e;

	switch (p->severity) {
	case PET_SEV_MONITOR:
	case PET_SEV_INFORMATION:
	case PET_SEV_OK:
		return SEL_SEV_INFO;
	case PET_SEV_NON_CRITICAL:
		return SEL_SEV_WARNING;
	case PET_SEV_CRITICAL:
	case PET_SEV_NON_RECOVERABLE:
		return SEL_SEV_CRITICAL;
	}
	pet_to_sel(p, rec);
	if (sel_decode(rec, sizeof(rec), &e) < 0)
		return SEL_SEV_INFO;
	return sel_severity(&e);
}

const char *
pet_severity_name(uint8_t sev)
{
	/* ipmi-pet's words; it says N/A for 00h and Unspecified for a byte
	 * outside the table */
	switch (sev) {
	case PET_SEV_UNSPECIFIED:
		return "Unspecified";
	case PET_SEV_MONITOR:
		return "Monitor";
	case PET_SEV_INFORMATION:
		return "Information";
	case PET_SEV_OK:
		return "Ok";
	case PET_SEV_NON_CRITICAL:
		return "Non-critical condition";
	case PET_SEV_CRITICAL:
		return "Critical condition";
	case PET_SEV_NON_RECOVERABLE:
		return "Non-recoverable condition";
	}
	return "Unknown";
}

const char *
pet_source_name(uint8_t src)
{
	static const char *const names[] = {
		"Platform Firmware", "SMI Handler", "ISV System Management",
		"Alert ASIC", "IPMI", "BIOS Vendor", "System Board Set Vendor",
		"System Integrator", "Third Party Add-in", "OSV", "NIC",
		"System Management Card",
	};

	if (src < 0x60)
		return names[src >> 3];
	if (src >= 0xc0)
		return "OEM";
	return "Unknown";
}

/* --- PET Acknowledge ------------------------------------------------------ */

int
ipmi_pet_ack_req_encode(const struct ipmi_pet_ack_req *q, struct buf *b)
{
	if (buf_put_le16(b, q->sequence) < 0 ||
	    buf_put_le32(b, q->timestamp) < 0 ||
	    buf_put_u8(b, q->event_source) < 0 ||
	    buf_put_u8(b, q->sensor_device) < 0 ||
	    buf_put_u8(b, q->sensor_number) < 0 ||
	    buf_put_bytes(b, q->event_data, sizeof(q->event_data)) < 0)
		return IPMI_E_NOSPACE;
	return 0;
}

int
ipmi_pet_ack_req_decode(struct buf *b, struct ipmi_pet_ack_req *q)
{
	memset(q, 0, sizeof(*q));
	if (buf_left(b) < PET_ACK_REQ_LEN)
		return IPMI_E_SHORT;
	(void)buf_get_le16(b, &q->sequence);
	(void)buf_get_le32(b, &q->timestamp);
	(void)buf_get_u8(b, &q->event_source);
	(void)buf_get_u8(b, &q->sensor_device);
	(void)buf_get_u8(b, &q->sensor_number);
	(void)buf_get_bytes(b, q->event_data, sizeof(q->event_data));
	return 0;
}

void
pet_ack_from(const struct pet *p, struct ipmi_pet_ack_req *q)
{
	memset(q, 0, sizeof(*q));
	q->sequence = p->sequence;
	q->timestamp = p->timestamp;
	q->event_source = p->event_source;
	q->sensor_device = p->sensor_device;
	q->sensor_number = p->sensor_number;
	memcpy(q->event_data, p->event_data, sizeof(q->event_data));
}
