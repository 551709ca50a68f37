/*
 * gen-simsess: record what real consoles (ipmi/session.c) send to the
 * fuzzed BMC of fuzz_simsess.c, as seeds in its input format.
 *
 *   make build/libsim.a build/libipmi.a
 *   cc -std=c11 -D_GNU_SOURCE -I. -Itests/fuzz tests/fuzz/gen-simsess.c \
 *       build/libsim.a build/libipmi.a -lcrypto -o build/gen-simsess
 *   build/gen-simsess tests/fuzz/corpus/simsess
 *
 * Each seed is one whole session (handshake, a power-on, a status read,
 * close) over v1.5 MD5, v1.5 straight, RMCP+ suite 3 or suite 17, or a
 * failed one (wrong password).  Output is deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipmi/cmds.h"
#include "ipmi/session.h"
#include "simsess_setup.h"

struct rec {
	uint8_t	buf[16384];
	size_t	len;
};

static int
client_random(void *arg, void *p, size_t n)
{
	fz_random(arg, p, n);
	return 0;
}

static void
record(struct rec *r, const uint8_t *p, size_t n)
{
	if (r->len + 2 + n > sizeof(r->buf))
		abort();
	r->buf[r->len++] = (uint8_t)(n >> 8);
	r->buf[r->len++] = (uint8_t)n;
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

/* carry datagrams as the fuzz target will: 50 ms apart, same peer */
static int
pump(struct ipmi_session *s, struct fz_bmc *f, struct rec *r, uint64_t *now,
    int ev)
{
	uint8_t out[IPMI_MAX_PACKET];
	const uint8_t *tx;
	size_t len, n;
	int i;

	for (i = 0; i < 64; i++) {
		if ((tx = ipmi_session_tx(s, &len)) == NULL) {
			if (ev != IPMI_EV_NONE)
				return ev;
			if (ipmi_session_deadline(s) == 0)
				return ev;
			*now = ipmi_session_deadline(s);
			ev = ipmi_session_timer(s, *now);
			continue;
		}
		record(r, tx, len);
		n = sim_sess_input(&f->sess, FZ_PEER, tx, len, *now, out,
		    sizeof(out), NULL);
		*now += 50;
		if (n > 0)
			ev = ipmi_session_input(s, out, n, *now);
		if (ev < 0)
			ev = IPMI_EV_NONE;
	}
	return ev;
}

static int
one(const char *dir, const char *name, enum ipmi_iface iface, int suite,
    uint8_t auth_type, const char *pw)
{
	struct ipmi_session_cfg cfg;
	struct ipmi_session s;
	struct fz_bmc f;
	struct rec r;
	uint32_t crnd = 0x9e3779b9;
	uint64_t now = 1000;
	uint8_t on = IPMI_CHASSIS_ON;
	char path[512];
	FILE *fp;
	int ev;

	fz_bmc_init(&f);
	memset(&cfg, 0, sizeof(cfg));
	memset(&r, 0, sizeof(r));
	cfg.iface = iface;
	cfg.cipher_suite = suite;
	cfg.auth_type = auth_type;
	cfg.priv = IPMI_PRIV_ADMIN;
	cfg.user = FZ_USER;
	cfg.password = (const uint8_t *)pw;
	cfg.password_len = strlen(pw);
	cfg.timeout_ms = 1000;
	cfg.retries = 1;
	cfg.suites_timeout_ms = 200;
	cfg.random = client_random;
	cfg.random_arg = &crnd;
	if (ipmi_session_init(&s, &cfg) != 0)
		return -1;
	ev = pump(&s, &f, &r, &now, ipmi_session_open(&s, now));
	if (ev == IPMI_EV_ACTIVE) {
		ipmi_session_request(&s, IPMI_NETFN_CHASSIS,
		    IPMI_CMD_CHASSIS_CONTROL, &on, 1, now);
		pump(&s, &f, &r, &now, IPMI_EV_NONE);
		ipmi_session_request(&s, IPMI_NETFN_CHASSIS,
		    IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0, now);
		pump(&s, &f, &r, &now, IPMI_EV_NONE);
		ipmi_session_close(&s, now);
		pump(&s, &f, &r, &now, IPMI_EV_NONE);
	}
	ipmi_session_release(&s);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(r.buf, 1, r.len, fp) != r.len || fclose(fp) != 0) {
		perror(path);
		return -1;
	}
	/* replayed as the fuzz target will, the seed must reach as deep */
	{
		struct fz_bmc g;
		uint8_t out[IPMI_MAX_PACKET];
		size_t off = 0, n;
		uint64_t t = 1000;

		fz_bmc_init(&g);
		while (off + 2 <= r.len) {
			n = (size_t)r.buf[off] << 8 | r.buf[off + 1];
			off += 2;
			sim_sess_input(&g.sess, FZ_PEER, r.buf + off, n, t, out,
			    sizeof(out), NULL);
			off += n;
			t += 50;
		}
		if (g.bmc.cnt.sessions != f.bmc.cnt.sessions ||
		    g.bmc.cnt.ctl[IPMI_CHASSIS_ON] !=
		    f.bmc.cnt.ctl[IPMI_CHASSIS_ON]) {
			fprintf(stderr, "%s: replay diverged\n", path);
			return -1;
		}
	}
	printf("%s: %zu bytes, %s, %u session(s), %u power-on(s)\n", path,
	    r.len, ev == IPMI_EV_ACTIVE ? "session completed" :
	    "session refused", f.bmc.cnt.sessions,
	    f.bmc.cnt.ctl[IPMI_CHASSIS_ON]);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-simsess DIR\n");
		return 2;
	}
	if (one(argv[1], "v15-md5", IPMI_IFACE_LAN, -1, IPMI_AUTH_MD5,
	    FZ_PW) || one(argv[1], "v15-straight", IPMI_IFACE_LAN, -1,
	    IPMI_AUTH_STRAIGHT, FZ_PW) || one(argv[1], "v20-suite3",
	    IPMI_IFACE_LANPLUS, 3, IPMI_AUTHTYPE_AUTO, FZ_PW) ||
	    one(argv[1], "v20-suite17", IPMI_IFACE_LANPLUS, 17,
	    IPMI_AUTHTYPE_AUTO, FZ_PW) || one(argv[1], "v20-auto",
	    IPMI_IFACE_LANPLUS, IPMI_SUITE_AUTO, IPMI_AUTHTYPE_AUTO, FZ_PW) ||
	    one(argv[1], "v20-wrong-password", IPMI_IFACE_LANPLUS, 17,
	    IPMI_AUTHTYPE_AUTO, "guess") || one(argv[1], "v15-wrong-password",
	    IPMI_IFACE_LAN, -1, IPMI_AUTH_MD5, "guess"))
		return 1;
	return 0;
}
