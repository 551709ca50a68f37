/*
 * simsess_setup.h: the simulated BMC that fuzz_simsess.c attacks and that
 * gen-simsess.c records transcripts against.  Both must build it the same
 * way (users, suites, seeded randomness), or recorded handshakes stop
 * matching the BMC's session IDs and random numbers: change them together.
 */
#ifndef BMCFLEET_TESTS_FUZZ_SIMSESS_SETUP_H
#define BMCFLEET_TESTS_FUZZ_SIMSESS_SETUP_H

#include <string.h>

#include "ipmi/ipmi.h"
#include "sim/bmc.h"
#include "sim/model.h"
#include "sim/sess.h"

#define FZ_LIMIT	2
#define FZ_USER		"admin"
#define FZ_PW		"s3cret-pw"
#define FZ_PEER		0x7f0000010400ULL

struct fz_bmc {
	struct sim_user	users[1];
	struct sim_auth	auth;
	struct sim_bmc	bmc;
	struct sim_slot	slots[SIM_SESS_SLOTS(FZ_LIMIT)];
	struct sim_sess	sess;
	uint32_t	rnd;
};

static void
fz_random(void *arg, void *p, size_t n)
{
	uint32_t *st = arg;
	uint8_t *d = p;

	while (n--) {
		*st ^= *st << 13;
		*st ^= *st >> 17;
		*st ^= *st << 5;
		*d++ = (uint8_t)*st;
	}
}

static void
fz_bmc_init(struct fz_bmc *f)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->users[0].name, FZ_USER);
	f->users[0].ulen = (uint8_t)strlen(FZ_USER);
	memcpy(f->users[0].pw, FZ_PW, strlen(FZ_PW));
	f->users[0].pwlen = (uint8_t)strlen(FZ_PW);
	f->users[0].priv = IPMI_PRIV_ADMIN;
	f->auth.users = f->users;
	f->auth.nusers = 1;
	f->auth.suites = 1U << 3 | 1U << 17;
	f->auth.v15_types = 1U << IPMI_AUTH_MD5 | 1U << IPMI_AUTH_STRAIGHT;
	sim_bmc_init(&f->bmc, sim_model_nth(0), 1, 100);
	f->rnd = 0x2545f491;
	f->sess.bmc = &f->bmc;
	f->sess.auth = &f->auth;
	f->sess.slots = f->slots;
	f->sess.nslots = SIM_SESS_SLOTS(FZ_LIMIT);
	f->sess.limit = FZ_LIMIT;
	f->sess.random = fz_random;
	f->sess.random_arg = &f->rnd;
}

#endif
