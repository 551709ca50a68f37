/*
 * gen-corpus: write the seed corpora of the fuzz targets, built with the
 * ipmi/ codecs so each seed is a real datagram (or a real script).
 *
 *   make O=build build/libipmi.a
 *   cc -std=c11 -D_GNU_SOURCE -I. -o build/gen-corpus tests/fuzz/gen-corpus.c \
 *       build/libipmi.a -lcrypto
 *   build/gen-corpus tests/fuzz/corpus
 *
 * writes DIR/packet/<name> (datagrams and bare payloads for fuzz_packet)
 * and DIR/session/<name> (scripts in fuzz_session's input layout: see the
 * comment at the top of fuzz_session.c).  The output is deterministic;
 * files of the same name are overwritten, others are left alone (libFuzzer
 * crashers and minimised finds live beside the seeds).
 *
 * The fixed keys and password must match fuzz_packet.c: SIK bytes 1, 2,
 * 3, ... through rakp_keys(), and FUZZ_PW.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipmi/buf.h"
#include "ipmi/cmds.h"
#include "ipmi/ipmi.h"
#include "ipmi/lan15.h"
#include "ipmi/msg.h"
#include "ipmi/rakp.h"
#include "ipmi/rmcp.h"
#include "ipmi/rmcpp.h"

#define FUZZ_PW		"fuzzpassword"

static const char *outdir;
static int nfiles;

static void
die(const char *what)
{
	fprintf(stderr, "gen-corpus: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
must(int rc, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "gen-corpus: %s failed (%d)\n", what, rc);
		exit(1);
	}
}

static void
put(const char *sub, const char *name, const uint8_t *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, sub);
	if (mkdir(path, 0777) == -1 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, sub, name);
	if ((f = fopen(path, "wb")) == NULL)
		die(path);
	if (n > 0 && fwrite(p, 1, n, f) != n)
		die(path);
	if (fclose(f) != 0)
		die(path);
	nfiles++;
}

/* A response message (rq_seq, netfn|1, cmd, cc, data) as bytes. */
static size_t
rsp(uint8_t *out, size_t cap, uint8_t netfn, uint8_t cmd, uint8_t rq_seq,
    uint8_t cc, const uint8_t *d, size_t n)
{
	struct ipmi_msg req, r;
	struct buf w;

	ipmi_msg_request(&req, netfn, cmd, rq_seq, NULL, 0);
	ipmi_msg_response(&r, &req, cc, d, n);
	buf_init_write(&w, out, cap);
	must(ipmi_msg_encode(&r, &w), "ipmi_msg_encode");
	return w.len;
}

static size_t
v15(uint8_t *out, uint8_t at, uint32_t seq, uint32_t sid, const uint8_t *m,
    size_t n)
{
	uint8_t pw[16];
	struct buf w;

	memset(pw, 0, sizeof(pw));
	memcpy(pw, FUZZ_PW, sizeof(FUZZ_PW) - 1);
	buf_init_write(&w, out, IPMI_MAX_PACKET);
	must(lan15_encode(&w, at, seq, sid, pw, m, n), "lan15_encode");
	return w.len;
}

static size_t
v20(uint8_t *out, uint8_t pt, uint32_t sid, uint32_t seq, const uint8_t *p,
    size_t n, const struct rmcpp_keys *k)
{
	struct rmcpp_hdr h = { pt, 0, 0, sid, seq };
	struct buf w;
	uint8_t iv[16];
	size_t i;

	for (i = 0; i < sizeof(iv); i++)
		iv[i] = (uint8_t)(0x40 + i);
	if (k != NULL) {
		h.authenticated = k->integ != IPMI_INTEG_NONE;
		h.encrypted = k->conf != IPMI_CONF_NONE;
	}
	buf_init_write(&w, out, IPMI_MAX_PACKET);
	must(rmcpp_encode(&w, &h, p, n, k, iv), "rmcpp_encode");
	return w.len;
}

static const uint8_t suites_rec[] = {
	0xc0, 0x03, 0x01, 0x41, 0x81,
	0xc0, 0x11, 0x03, 0x44, 0x81,
	0xc1, 0x80, 0x57, 0x01, 0x00, 0x01, 0x41, 0x81,	/* OEM record */
};

static void
gen_packet(void)
{
	struct rmcpp_keys k2, k3, k17;
	struct ipmi_auth_caps_rsp ac;
	struct ipmi_challenge_rsp ch;
	struct ipmi_activate_rsp av;
	struct ipmi_device_id id;
	struct ipmi_chassis_status cs;
	struct ipmi_cipher_suites_rsp cr;
	struct rakp_open_rsp orsp;
	struct rakp_open_req oreq;
	struct rakp1 r1;
	struct rakp2 r2;
	struct rakp3 r3;
	struct rakp4 r4;
	uint8_t sik[32], d[128], m[IPMI_MAX_PACKET], pkt[IPMI_MAX_PACKET];
	struct buf w;
	size_t i, n, dl, ml;

	memset(d, 0, sizeof(d));	/* seeds must not depend on the stack */
	for (i = 0; i < sizeof(sik); i++)
		sik[i] = (uint8_t)(i + 1);
	must(rakp_keys(IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_NONE, sik, &k2), "keys 2");
	must(rakp_keys(IPMI_AUTH_ALG_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96,
	    IPMI_CONF_AES_CBC_128, sik, &k3), "keys 3");
	must(rakp_keys(IPMI_AUTH_ALG_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128,
	    IPMI_CONF_AES_CBC_128, sik, &k17), "keys 17");

	/* ASF presence ping and pong */
	buf_init_write(&w, pkt, sizeof(pkt));
	must(asf_encode_ping(&w, 0xff, 0x21), "ping");
	put("packet", "asf-ping", pkt, w.len);
	buf_init_write(&w, pkt, sizeof(pkt));
	must(asf_encode_pong(&w, 0xff, 0x21, ASF_ENTITY_IPMI), "pong");
	put("packet", "asf-pong", pkt, w.len);
	put("packet", "asf-pong-truncated", pkt, w.len - 5);

	/* v1.5: auth caps (no session), challenge, activate (MD5), Device ID */
	memset(&ac, 0, sizeof(ac));
	ac.channel = 1;
	ac.v2_ext = 1;
	ac.auth_types = 1 << IPMI_AUTH_MD5 | 1 << IPMI_AUTH_STRAIGHT;
	ac.nonnull_users = 1;
	ac.v15 = ac.v20 = 1;
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_auth_caps_rsp_encode(&ac, &w), "auth caps");
	dl = w.len;
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_AUTH_CAPS,
	    1, 0, d, dl);
	n = v15(pkt, IPMI_AUTH_NONE, 0, 0, m, ml);
	put("packet", "v15-auth-caps-rsp", pkt, n);
	ch.temp_sid = 0x7e3e0001;
	memset(ch.challenge, 0x3c, 16);
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_challenge_rsp_encode(&ch, &w), "challenge");
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_GET_SESSION_CHALLENGE,
	    2, 0, d, w.len);
	n = v15(pkt, IPMI_AUTH_NONE, 0, 0, m, ml);
	put("packet", "v15-challenge-rsp", pkt, n);
	av.auth_type = IPMI_AUTH_MD5;
	av.sid = 0x51d00001;
	av.inbound_seq = 0x100;
	av.priv = IPMI_PRIV_ADMIN;
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_activate_rsp_encode(&av, &w), "activate");
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 3, 0,
	    d, w.len);
	n = v15(pkt, IPMI_AUTH_MD5, 0, 0x7e3e0001, m, ml);
	put("packet", "v15-md5-activate-rsp", pkt, n);
	memset(&id, 0, sizeof(id));
	id.device_id = 0x20;
	id.fw_major = 2;
	id.fw_minor = 31;
	id.ipmi_version = 0x02;
	id.manufacturer = 343;
	id.product = 0x1234;
	id.has_aux = 1;
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_device_id_encode(&id, &w), "device id");
	dl = w.len;
	put("packet", "data-device-id", d, dl);
	/* Get System Info Parameters' firmware version: two answers */
	{
		struct ipmi_sysinfo_rsp si;
		uint8_t two[36];
		size_t tl = 0;

		for (uint8_t set = 0; set < 2; set++) {
			must(ipmi_sysinfo_str_set("dell-r640 BIOS 2.14.0", set,
			    &si), "sysinfo set");
			buf_init_write(&w, two + tl, sizeof(two) - tl);
			must(ipmi_sysinfo_rsp_encode(&si, &w), "sysinfo");
			tl += w.len;
		}
		put("packet", "data-sysinfo-fw-version", two, tl);
	}
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, 5, 0,
	    d, dl);
	n = v15(pkt, IPMI_AUTH_MD5, 0x2001, 0x51d00001, m, ml);
	put("packet", "v15-md5-device-id-rsp", pkt, n);
	put("packet", "v15-md5-truncated", pkt, n - 9);
	n = v15(pkt, IPMI_AUTH_STRAIGHT, 0x2002, 0x51d00001, m, ml);
	put("packet", "v15-straight-device-id-rsp", pkt, n);
	/* a length the legacy pad byte is added for (13.6) */
	for (i = 0; i < 40; i++) {
		n = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID,
		    6, 0, d, i);
		n = v15(pkt, IPMI_AUTH_NONE, 0, 0, m, n);
		if (n == 57) {
			put("packet", "v15-legacy-pad", pkt, n);
			break;
		}
	}

	/* bare command data */
	memset(&cs, 0, sizeof(cs));
	cs.power_on = 1;
	cs.identify_supported = 1;
	cs.has_front_panel = 1;
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_chassis_status_encode(&cs, &w), "chassis status");
	put("packet", "data-chassis-status", d, w.len);
	put("packet", "data-cipher-suite-records", suites_rec,
	    sizeof(suites_rec));

	/* RMCP+ session setup, as datagrams without a session */
	memset(&cr, 0, sizeof(cr));
	cr.channel = 1;
	cr.len = 16;
	memcpy(cr.data, suites_rec, 16);
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_cipher_suites_rsp_encode(&cr, &w), "suites");
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP,
	    IPMI_CMD_GET_CHANNEL_CIPHER_SUITES, 2, 0, d, w.len);
	n = v20(pkt, RMCPP_PT_IPMI, 0, 0, m, ml, NULL);
	put("packet", "v20-cipher-suites-rsp", pkt, n);
	memset(&oreq, 0, sizeof(oreq));
	oreq.tag = 1;
	oreq.priv = IPMI_PRIV_ADMIN;
	oreq.console_sid = 0xa1a2a3a4;
	oreq.auth = IPMI_AUTH_ALG_HMAC_SHA256;
	oreq.integ = IPMI_INTEG_HMAC_SHA256_128;
	oreq.conf = IPMI_CONF_AES_CBC_128;
	buf_init_write(&w, d, sizeof(d));
	must(rakp_open_req_encode(&oreq, &w), "open req");
	n = v20(pkt, RMCPP_PT_OPEN_REQ, 0, 0, d, w.len, NULL);
	put("packet", "v20-open-session-req", pkt, n);
	memset(&orsp, 0, sizeof(orsp));
	orsp.tag = 1;
	orsp.priv = IPMI_PRIV_ADMIN;
	orsp.console_sid = 0xa1a2a3a4;
	orsp.bmc_sid = 0x0b0c0d0e;
	orsp.auth = oreq.auth;
	orsp.integ = oreq.integ;
	orsp.conf = oreq.conf;
	buf_init_write(&w, d, sizeof(d));
	must(rakp_open_rsp_encode(&orsp, &w), "open rsp");
	n = v20(pkt, RMCPP_PT_OPEN_RSP, 0, 0, d, w.len, NULL);
	put("packet", "v20-open-session-rsp", pkt, n);
	put("packet", "payload-open-session-rsp", d, w.len);
	orsp.status = RAKP_NO_CIPHER_MATCH;
	buf_init_write(&w, d, sizeof(d));
	must(rakp_open_rsp_encode(&orsp, &w), "open rsp error");
	n = v20(pkt, RMCPP_PT_OPEN_RSP, 0, 0, d, w.len, NULL);
	put("packet", "v20-open-session-rsp-no-cipher", pkt, n);

	memset(&r1, 0, sizeof(r1));
	r1.tag = 2;
	r1.bmc_sid = 0x0b0c0d0e;
	memset(r1.rm, 0x5a, 16);
	r1.role = IPMI_PRIV_ADMIN | RAKP_ROLE_NAME_ONLY;
	r1.ulen = 5;
	memcpy(r1.user, "admin", 5);
	buf_init_write(&w, d, sizeof(d));
	must(rakp1_encode(&r1, &w), "rakp1");
	n = v20(pkt, RMCPP_PT_RAKP1, 0, 0, d, w.len, NULL);
	put("packet", "v20-rakp1", pkt, n);

	memset(&r2, 0, sizeof(r2));
	r2.tag = 2;
	r2.console_sid = 0xa1a2a3a4;
	memset(r2.rc, 0xc3, 16);
	memset(r2.guid, 0xa5, 16);
	memset(r2.code, 0x77, 32);
	r2.code_len = 20;
	buf_init_write(&w, d, sizeof(d));
	must(rakp2_encode(&r2, &w), "rakp2");
	n = v20(pkt, RMCPP_PT_RAKP2, 0, 0, d, w.len, NULL);
	put("packet", "v20-rakp2-sha1", pkt, n);
	put("packet", "payload-rakp2-sha1", d, w.len);
	r2.code_len = 32;
	buf_init_write(&w, d, sizeof(d));
	must(rakp2_encode(&r2, &w), "rakp2");
	n = v20(pkt, RMCPP_PT_RAKP2, 0, 0, d, w.len, NULL);
	put("packet", "v20-rakp2-sha256", pkt, n);
	r2.status = RAKP_UNAUTHORIZED_NAME;
	buf_init_write(&w, d, sizeof(d));
	must(rakp2_encode(&r2, &w), "rakp2 error");
	n = v20(pkt, RMCPP_PT_RAKP2, 0, 0, d, w.len, NULL);
	put("packet", "v20-rakp2-unauthorized-name", pkt, n);

	memset(&r3, 0, sizeof(r3));
	r3.tag = 3;
	r3.bmc_sid = 0x0b0c0d0e;
	memset(r3.code, 0x33, 32);
	r3.code_len = 20;
	buf_init_write(&w, d, sizeof(d));
	must(rakp3_encode(&r3, &w), "rakp3");
	n = v20(pkt, RMCPP_PT_RAKP3, 0, 0, d, w.len, NULL);
	put("packet", "v20-rakp3", pkt, n);
	memset(&r4, 0, sizeof(r4));
	r4.tag = 3;
	r4.console_sid = 0xa1a2a3a4;
	memset(r4.icv, 0x44, 16);
	r4.icv_len = 16;
	buf_init_write(&w, d, sizeof(d));
	must(rakp4_encode(&r4, &w), "rakp4");
	n = v20(pkt, RMCPP_PT_RAKP4, 0, 0, d, w.len, NULL);
	put("packet", "v20-rakp4", pkt, n);

	/* sealed: the fixed keys of fuzz_packet.c */
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_device_id_encode(&id, &w), "device id");
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, 7, 0,
	    d, w.len);
	n = v20(pkt, RMCPP_PT_IPMI, 0xa1a2a3a4, 5, m, ml, &k3);
	put("packet", "v20-suite3-device-id-rsp", pkt, n);
	put("packet", "v20-suite3-truncated-hmac", pkt, n - 6);
	pkt[14] = 0xff;
	put("packet", "v20-suite3-length-too-large", pkt, n);
	n = v20(pkt, RMCPP_PT_IPMI, 0xa1a2a3a4, 6, m, ml, &k17);
	put("packet", "v20-suite17-device-id-rsp", pkt, n);
	pkt[n - 1] ^= 0x01;
	put("packet", "v20-suite17-bad-hmac", pkt, n);
	put("packet", "v20-suite17-truncated", pkt, 20);
	n = v20(pkt, RMCPP_PT_IPMI, 0xa1a2a3a4, 7, m, ml, &k2);
	put("packet", "v20-suite2-device-id-rsp", pkt, n);
	buf_init_write(&w, d, sizeof(d));
	must(ipmi_chassis_status_encode(&cs, &w), "chassis status");
	ml = rsp(m, sizeof(m), IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS,
	    8, 0, d, w.len);
	n = v20(pkt, RMCPP_PT_IPMI, 0xa1a2a3a4, 8, m, ml, &k17);
	put("packet", "v20-suite17-chassis-status-rsp", pkt, n);
	memset(d, 0x11, 16);
	n = v20(pkt, RMCPP_PT_SOL, 0xa1a2a3a4, 9, d, 16, &k3);
	put("packet", "v20-suite3-sol", pkt, n);
}

/* --- fuzz_session scripts ------------------------------------------------ */

struct script {
	uint8_t	b[1024];
	size_t	n;
};

static void
sc_start(struct script *s, uint8_t cfg, uint8_t steps)
{
	s->n = 0;
	s->b[s->n++] = cfg;
	s->b[s->n++] = steps;
}

static void
sc_rec(struct script *s, uint8_t flags, const uint8_t *p, size_t n)
{
	if (s->n + 2 + n > sizeof(s->b) || n > 255) {
		fprintf(stderr, "gen-corpus: script too long\n");
		exit(1);
	}
	s->b[s->n++] = flags;
	s->b[s->n++] = (uint8_t)n;
	if (n > 0)
		memcpy(s->b + s->n, p, n);
	s->n += n;
}

/* A record with a two-byte length (flags bit 7). */
static void
sc_rec16(struct script *s, uint8_t flags, const uint8_t *p, size_t n)
{
	if (s->n + 3 + n > sizeof(s->b) || n > 0xffff) {
		fprintf(stderr, "gen-corpus: script too long\n");
		exit(1);
	}
	s->b[s->n++] = (uint8_t)(flags | 0x80);
	s->b[s->n++] = n & 0xff;
	s->b[s->n++] = (uint8_t)(n >> 8);
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

enum {
	V15 = 0x01, SUITE3 = 0x00, SUITE17 = 0x02, AUTO = 0x04, INSECURE = 0x06,
	MD5 = 0x02, STRAIGHT = 0x04, USER = 0x08, KEEPALIVE = 0x10,
	LIST = 0x20, KG = 0x40, RETRIES = 0x80,
	THEN_REQUEST = 0x10, THEN_CLOSE = 0x20,
	RAW = 0, SEALED = 1, ANSWER = 2, HONEST = 3, TIMER = 0x04,
	REQUEST = 0x40,
};
#define PT(i)	((i) << 3)	/* fuzz_session's payload_types[] index */

static void
gen_session(void)
{
	struct script s;
	uint8_t d[64], m[IPMI_MAX_PACKET], pkt[IPMI_MAX_PACKET];
	struct ipmi_auth_caps_rsp ac;
	struct ipmi_cipher_suites_rsp cr;
	size_t n, ml;

	/* full handshakes, a request answered, then a close */
	sc_start(&s, SUITE3 | RETRIES, 15 | THEN_REQUEST);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-suite3-request", s.b, s.n);
	sc_start(&s, SUITE17 | KG, 15 | THEN_REQUEST);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST | REQUEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-suite17-kg-two-requests", s.b, s.n);
	sc_start(&s, INSECURE | USER, 15 | THEN_REQUEST | THEN_CLOSE);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-suite0-user-close", s.b, s.n);
	sc_start(&s, V15 | RETRIES, 15 | THEN_REQUEST);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v15-auto-request", s.b, s.n);
	sc_start(&s, V15 | STRAIGHT | USER, 15 | THEN_REQUEST);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v15-straight-user", s.b, s.n);
	sc_start(&s, V15 | INSECURE | KEEPALIVE, 15);
	sc_rec(&s, RAW | TIMER, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v15-none-keepalive", s.b, s.n);

	/* cipher suites: listed, two pages, silent with fallback */
	sc_start(&s, AUTO | LIST, 15 | THEN_REQUEST);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-auto-listed", s.b, s.n);
	sc_start(&s, AUTO | RETRIES, 1);
	sc_rec(&s, RAW | TIMER, NULL, 0);
	sc_rec(&s, RAW | TIMER, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST | REQUEST, NULL, 0);
	put("session", "v20-auto-silent-fallback", s.b, s.n);
	memset(&cr, 0, sizeof(cr));
	cr.channel = 1;
	cr.len = 16;
	memcpy(cr.data, suites_rec, 16);
	d[0] = IPMI_CC_OK;
	{
		struct buf w;

		buf_init_write(&w, d + 1, sizeof(d) - 1);
		must(ipmi_cipher_suites_rsp_encode(&cr, &w), "suites");
		sc_start(&s, AUTO, 1);
		sc_rec(&s, ANSWER, d, 1 + w.len);
		d[1 + 1] = 0xc0;
		sc_rec(&s, ANSWER, d, 1 + 1 + 2);	/* page 2: a stub */
		sc_rec(&s, HONEST, NULL, 0);
		sc_rec(&s, HONEST, NULL, 0);
		sc_rec(&s, HONEST, NULL, 0);
		sc_rec(&s, HONEST | REQUEST, NULL, 0);
		sc_rec(&s, HONEST, NULL, 0);
		put("session", "v20-auto-two-pages-sealed", s.b, s.n);
	}

	/* refusals in each state, as sealed answers */
	sc_start(&s, SUITE3, 1);		/* OPEN_SESSION */
	sc_rec(&s, ANSWER, (const uint8_t *)"\x00\x01\x00\x00\x00\x00\x00\x00",
	    8);
	put("session", "v20-open-no-resources", s.b, s.n);
	sc_start(&s, SUITE17, 2);		/* RAKP1 */
	sc_rec(&s, ANSWER, (const uint8_t *)"\x00\x0d\x00\x00\x00\x00\x00\x00",
	    8);
	put("session", "v20-rakp2-unauthorized-name", s.b, s.n);
	memset(d, 0x77, sizeof(d));
	memset(d, 0, 8);
	sc_start(&s, SUITE3, 2);		/* RAKP1: a code that is wrong */
	sc_rec(&s, ANSWER, d, 8 + 16 + 16 + 20);
	put("session", "v20-rakp2-bad-code", s.b, s.n);
	sc_start(&s, SUITE3, 3);		/* RAKP3 */
	sc_rec(&s, ANSWER, (const uint8_t *)"\x00\x0f\x00\x00\x00\x00\x00\x00",
	    8);
	put("session", "v20-rakp4-invalid-icv", s.b, s.n);
	sc_start(&s, SUITE3, 3);
	sc_rec(&s, ANSWER, d, 8 + 12);
	put("session", "v20-rakp4-bad-icv", s.b, s.n);
	sc_start(&s, SUITE17 | RETRIES, 4);	/* SET_PRIV refused */
	sc_rec(&s, ANSWER, (const uint8_t *)"\xd4", 1);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-set-priv-refused", s.b, s.n);
	sc_start(&s, V15, 2);			/* ACTIVATE: no slot */
	sc_rec(&s, ANSWER, (const uint8_t *)"\x81", 1);
	put("session", "v15-activate-no-slot", s.b, s.n);
	sc_start(&s, V15 | MD5, 1);		/* CHALLENGE: unknown user */
	sc_rec(&s, ANSWER, (const uint8_t *)"\x81", 1);
	put("session", "v15-challenge-invalid-user", s.b, s.n);

	/* active: sealed answers with data, payloads, and junk */
	sc_start(&s, SUITE17, 15 | THEN_REQUEST);
	sc_rec(&s, ANSWER, (const uint8_t *)"\x00\x20\x01\x02\x31\x02\x00"
	    "\x57\x01\x00\x34\x12", 12);
	sc_rec(&s, SEALED | PT(4) | REQUEST, (const uint8_t *)"\x01\x02\x03"
	    "\x04", 4);
	/* auth caps, set priv and the first request took rq_seq 1-3 */
	ml = rsp(m, sizeof(m), IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, 4, 0,
	    (const uint8_t *)"\x20\x01\x02\x31\x02\x00\x57\x01\x00\x34"
	    "\x12", 11);
	sc_rec(&s, SEALED, m, ml);
	sc_rec(&s, ANSWER, (const uint8_t *)"\xc1", 1);
	put("session", "v20-active-sealed-answers", s.b, s.n);
	/* more data than an IPMI message holds: dropped, not copied */
	memset(m, 0x5a, 300);
	m[0] = IPMI_CC_OK;
	sc_start(&s, INSECURE, 15 | THEN_REQUEST);
	sc_rec16(&s, ANSWER, m, 300);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-suite0-oversized-answer", s.b, s.n);
	sc_start(&s, SUITE17, 15 | THEN_REQUEST);
	sc_rec16(&s, ANSWER, m, 300);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-suite17-oversized-answer", s.b, s.n);
	sc_start(&s, V15 | MD5 | RETRIES, 15 | THEN_REQUEST);
	sc_rec(&s, ANSWER, (const uint8_t *)"\x00\x20\x01\x02\x31\x02\x00"
	    "\x57\x01\x00\x34\x12", 12);
	sc_rec(&s, RAW | TIMER | REQUEST, (const uint8_t *)"\x06\x00\xff\x07",
	    4);
	sc_rec(&s, RAW | TIMER, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v15-active-timeout-resend", s.b, s.n);

	/* raw datagrams before any session: the first rq_seq is 1 */
	memset(&ac, 0, sizeof(ac));
	ac.channel = 1;
	ac.v2_ext = 1;
	ac.auth_types = 1 << IPMI_AUTH_MD5;
	ac.v15 = ac.v20 = 1;
	{
		struct buf w;

		buf_init_write(&w, d, sizeof(d));
		must(ipmi_auth_caps_rsp_encode(&ac, &w), "auth caps");
		ml = rsp(m, sizeof(m), IPMI_NETFN_APP,
		    IPMI_CMD_GET_CHANNEL_AUTH_CAPS, 1, 0, d, w.len);
	}
	n = v20(pkt, RMCPP_PT_IPMI, 0, 0, m, ml, NULL);
	sc_start(&s, SUITE3, 0);
	sc_rec(&s, RAW, pkt, n);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST | REQUEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v20-raw-auth-caps", s.b, s.n);
	sc_start(&s, SUITE3, 0);
	sc_rec(&s, RAW, pkt, n - 3);		/* truncated */
	pkt[14] = 0xee;				/* payload length too large */
	sc_rec(&s, RAW, pkt, n);
	sc_rec(&s, RAW | TIMER, pkt, 3);
	put("session", "v20-raw-malformed", s.b, s.n);
	n = v15(pkt, IPMI_AUTH_NONE, 0, 0, m, ml);
	sc_start(&s, V15, 0);
	sc_rec(&s, RAW, pkt, n);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	sc_rec(&s, HONEST, NULL, 0);
	put("session", "v15-raw-auth-caps", s.b, s.n);
	/* the other session's datagrams */
	sc_start(&s, V15, 0);
	n = v20(pkt, RMCPP_PT_IPMI, 0, 0, m, ml, NULL);
	sc_rec(&s, RAW, pkt, n);
	sc_rec(&s, SEALED | PT(1), d, 20);
	put("session", "v15-gets-rmcpp", s.b, s.n);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) == -1 && errno != EEXIST)
		die(outdir);
	gen_packet();
	gen_session();
	printf("gen-corpus: wrote %d files under %s\n", nfiles, outdir);
	return 0;
}
