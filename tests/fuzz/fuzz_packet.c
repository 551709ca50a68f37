/*
 * fuzz_packet: every decoder of BMC data over arbitrary bytes.
 *
 * The input is tried as a whole datagram (RMCP header, then ASF, an IPMI
 * v1.5 session or an RMCP+ session with no keys and with fixed keys for
 * cipher suites 3 and 17, then the IPMI message inside), and as a bare
 * payload for every RAKP and command decoder.  Decoders must never read
 * past what they were given, and what they report must stay inside it.
 *
 * The fixed keys come from rakp_keys() over SIK bytes 1, 2, 3, ...; the
 * v1.5 password is FUZZ_PW.  tests/fuzz/gen-corpus.c seals its seeds with
 * the same values: change both together.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "ipmi/lan15.h"
#include "ipmi/msg.h"
#include "ipmi/rakp.h"
#include "ipmi/rmcp.h"
#include "ipmi/rmcpp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_PW		"fuzzpassword"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static struct rmcpp_keys keys3, keys17, keys2, keys_none;
static int keys_ready;

static void
keys_init(void)
{
	uint8_t sik[32];
	size_t i;

	for (i = 0; i < sizeof(sik); i++)
		sik[i] = (uint8_t)(i + 1);
	CHECK(rakp_keys(IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_AES_CBC_128, sik, &keys3) == 0);
	CHECK(rakp_keys(IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128,
	    IPMI_CONF_AES_CBC_128, sik, &keys17) == 0);
	CHECK(rakp_keys(IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_NONE, sik, &keys2) == 0);
	memset(&keys_none, 0, sizeof(keys_none));
	keys_ready = 1;
}

/* The data of a response (or request) to every command decoder. */
static void
cmds(const uint8_t *p, size_t n)
{
	struct ipmi_auth_caps_req acq;
	struct ipmi_auth_caps_rsp acr;
	struct ipmi_challenge_req chq;
	struct ipmi_challenge_rsp chr;
	struct ipmi_activate_req avq;
	struct ipmi_activate_rsp avr;
	struct ipmi_device_id id;
	struct ipmi_chassis_status cs;
	struct ipmi_identify_req idr;
	struct ipmi_cipher_suites_req csq;
	struct ipmi_cipher_suites_rsp csr;
	struct ipmi_cipher_suite list[64];
	struct ipmi_sysinfo_req siq;
	struct ipmi_sysinfo_rsp sir;
	struct ipmi_sysinfo_str sis;
	uint8_t v, guid[16];
	uint32_t sid;
	char text[37];
	struct buf b;
	int r;

#define TRY(call)	do { buf_init_read(&b, p, n); (void)(call); \
	CHECK(b.pos <= n); } while (0)
	TRY(ipmi_auth_caps_req_decode(&b, &acq));
	TRY(ipmi_auth_caps_rsp_decode(&b, &acr));
	TRY(ipmi_challenge_req_decode(&b, &chq));
	TRY(ipmi_challenge_rsp_decode(&b, &chr));
	TRY(ipmi_activate_req_decode(&b, &avq));
	TRY(ipmi_activate_rsp_decode(&b, &avr));
	TRY(ipmi_priv_decode(&b, &v));
	TRY(ipmi_close_req_decode(&b, &sid));
	TRY(ipmi_device_id_decode(&b, &id));
	TRY(ipmi_chassis_status_decode(&b, &cs));
	TRY(ipmi_chassis_ctl_decode(&b, &v));
	TRY(ipmi_identify_decode(&b, &idr));
	TRY(ipmi_cipher_suites_req_decode(&b, &csq));
	buf_init_read(&b, p, n);
	if (ipmi_cipher_suites_rsp_decode(&b, &csr) == 0)
		CHECK(csr.len <= sizeof(csr.data));
	buf_init_read(&b, p, n);
	if (ipmi_guid_decode(&b, guid) == 0) {
		ipmi_guid_format(guid, text);
		CHECK(strlen(text) == 36);
	}
	TRY(ipmi_sysinfo_req_decode(&b, &siq));
	/* Get System Info Parameters: the input as answers of 18 bytes
	 * (revision, set, a block) put together as the firmware string */
	ipmi_sysinfo_str_init(&sis);
	for (size_t o = 0; o < n; o += 18) {
		buf_init_read(&b, p + o, n - o < 18 ? n - o : 18);
		if (ipmi_sysinfo_rsp_decode(&b, &sir) != 0)
			break;
		CHECK(sir.len <= sizeof(sir.data));
		r = ipmi_sysinfo_str_feed(&sis, &sir);
		CHECK(sis.have <= sis.len && sis.have <= IPMI_SYSINFO_STR_MAX);
		CHECK(strlen(sis.text) <= sis.have);
		if (r != 0)
			break;
	}
	r = ipmi_cipher_suites_parse(p, n, list, 64);
	CHECK(r <= 64);
	r = ipmi_cipher_suites_parse(p, n, list, 2);
	CHECK(r <= 2);
#undef TRY
}

/* A payload to every RAKP decoder. */
static void
rakp(const uint8_t *p, size_t n)
{
	struct rakp_open_req oq;
	struct rakp_open_rsp orsp;
	struct rakp1 r1;
	struct rakp2 r2;
	struct rakp3 r3;
	struct rakp4 r4;
	struct buf b;

	buf_init_read(&b, p, n);
	(void)rakp_open_req_decode(&b, &oq);
	buf_init_read(&b, p, n);
	(void)rakp_open_rsp_decode(&b, &orsp);
	buf_init_read(&b, p, n);
	if (rakp1_decode(&b, &r1) == 0)
		CHECK(r1.ulen <= 16);
	buf_init_read(&b, p, n);
	if (rakp2_decode(&b, &r2) == 0)
		CHECK(r2.code_len <= sizeof(r2.code));
	buf_init_read(&b, p, n);
	if (rakp3_decode(&b, &r3) == 0)
		CHECK(r3.code_len <= sizeof(r3.code));
	buf_init_read(&b, p, n);
	if (rakp4_decode(&b, &r4) == 0)
		CHECK(r4.icv_len <= sizeof(r4.icv));
	if (n > 0)
		CHECK(rakp_status_str(p[0]) != NULL);
}

/* An IPMI message, as the session layer cut it. */
static void
message(const uint8_t *p, size_t n)
{
	struct ipmi_msg m;
	struct buf b;

	buf_init_read(&b, p, n);
	if (ipmi_msg_decode(&b, &m) != 0)
		return;
	CHECK(m.data >= p && m.data + m.len <= p + n);
	CHECK(m.len + IPMI_MSG_OVERHEAD + (m.netfn & 1) == n);
	CHECK(m.rq_seq <= 0x3f && m.netfn <= 0x3f);
	cmds(m.data, m.len);
}

static void
session_rmcpp(const uint8_t *p, size_t n, const struct rmcpp_keys *k)
{
	uint8_t plain[IPMI_MAX_PACKET];
	struct rmcpp_hdr h;
	struct buf b;
	size_t plen = 0;

	buf_init_read(&b, p, n);
	if (rmcpp_decode(&b, &h, k, plain, sizeof(plain), &plen) != 0)
		return;
	CHECK(plen <= sizeof(plain));
	CHECK(h.payload_type <= 0x3f);
	if (h.payload_type == RMCPP_PT_IPMI)
		message(plain, plen);
	else
		rakp(plain, plen);
	/* a small output buffer must be refused, not overrun */
	buf_init_read(&b, p, n);
	(void)rmcpp_decode(&b, &h, k, plain, 16, &plen);
}

static void
session_lan15(const uint8_t *p, size_t n)
{
	uint8_t pw16[16];
	struct lan15_hdr h;
	struct buf b;

	buf_init_read(&b, p, n);
	if (lan15_decode(&b, &h) != 0)
		return;
	CHECK(h.msg >= p && h.msg + h.len <= p + n);
	memset(pw16, 0, sizeof(pw16));
	memcpy(pw16, FUZZ_PW, sizeof(FUZZ_PW) - 1);
	(void)lan15_check_auth(&h, pw16);
	message(h.msg, h.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmcp_hdr rh;
	struct asf_msg asf;
	struct buf b;
	const uint8_t *rest;
	size_t n;

	if (!keys_ready)
		keys_init();

	buf_init_read(&b, data, size);
	if (rmcp_decode(&b, &rh) == 0) {
		rest = buf_cur(&b);
		n = buf_left(&b);
		CHECK(n == size - RMCP_HDR_LEN);
		if (rh.cls == RMCP_CLASS_ASF) {
			if (asf_decode(&b, &asf) == 0)
				CHECK(b.pos <= size);
		} else if (rh.cls == RMCP_CLASS_IPMI && n > 0) {
			if (rest[0] == IPMI_AUTH_RMCPP) {
				session_rmcpp(rest, n, NULL);
				session_rmcpp(rest, n, &keys_none);
				session_rmcpp(rest, n, &keys2);
				session_rmcpp(rest, n, &keys3);
				session_rmcpp(rest, n, &keys17);
			} else
				session_lan15(rest, n);
		}
	}
	/* and as bare payloads, whatever the first bytes say */
	rakp(data, size);
	message(data, size);
	cmds(data, size);
	return 0;
}
