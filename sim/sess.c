/*
 * sess: the session table of a simulated BMC (sess.h): slots, their
 * expiry, the sequence number window, and the quirk reboot; and
 * sim_sess_input, which takes a datagram to ASF, IPMI v1.5 (sess_v15.c)
 * or RMCP+ (sess_rmcpp.c).
 */
#include <string.h>

#include "bmcstate.h"
#include "ipmi/crypto.h"
#include "ipmi/rmcp.h"
#include "quirk.h"
#include "sess_int.h"

#define SEQ_BEHIND	16	/* IPMI v2.0 rev 1.1, 6.12.13 windows */
#define SEQ_AHEAD	32

static uint32_t
new_sid(struct sim_sess *s)
{
	uint32_t sid;
	int i, again;

	do {
		rnd(s, &sid, sizeof(sid));
		again = sid == 0;
		for (i = 0; i < s->nslots && !again; i++)
			again = s->slots[i].state != SIM_SLOT_FREE &&
			    s->slots[i].bmc_sid == sid;
	} while (again);
	return sid;
}

void
sess_slot_free(struct sim_slot *sl)
{
	rmcpp_keys_wipe(&sl->keys);	/* frees its kept contexts */
	crypto_wipe(sl, sizeof(*sl));
	sl->state = SIM_SLOT_FREE;
}

int
sess_slot_open(const struct sim_slot *sl)
{
	return sl->state != SIM_SLOT_FREE && sl->state != SIM_SLOT_CLOSED &&
	    sl->state != SIM_SLOT_CHALLENGE;
}

/* Forget sessions idle too long, as a BMC's session timer does. */
static void
expire(struct sim_sess *s, uint64_t now)
{
	int i;

	for (i = 0; i < s->nslots; i++) {
		struct sim_slot *sl = &s->slots[i];
		uint64_t idle = now - sl->last;

		if (sl->state == SIM_SLOT_FREE)
			continue;
		if (sl->state == SIM_SLOT_ACTIVE15 ||
		    sl->state == SIM_SLOT_ACTIVE20) {
			if (idle >= SIM_SESS_IDLE_MS)
				sess_slot_free(sl);
		} else if (idle >= SIM_SESS_HALFOPEN_MS)
			sess_slot_free(sl);
	}
}

int
sim_sess_count(struct sim_sess *s, uint64_t now)
{
	int i, n = 0;

	expire(s, now);
	for (i = 0; i < s->nslots; i++)
		n += sess_slot_open(&s->slots[i]);
	return n;
}

void
sim_sess_wipe(struct sim_sess *s)
{
	int i;

	for (i = 0; i < s->nslots; i++)
		sess_slot_free(&s->slots[i]);
}

/*
 * A slot for a new handshake.  open: counts against the session limit
 * (NULL when the limit is reached).  A pending v1.5 challenge does not; when
 * every slot is taken the oldest challenge makes room.
 */
struct sim_slot *
sess_slot_new(struct sim_sess *s, uint64_t now, int open)
{
	struct sim_slot *sl, *freeslot = NULL, *oldest = NULL;
	int i;

	if (open && sim_sess_count(s, now) >= s->limit)
		return NULL;
	expire(s, now);
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (sl->state == SIM_SLOT_FREE && freeslot == NULL)
			freeslot = sl;
		if (sl->state == SIM_SLOT_CLOSED || sl->state ==
		    SIM_SLOT_CHALLENGE)
			if (oldest == NULL || sl->last < oldest->last)
				oldest = sl;
	}
	if ((sl = freeslot) == NULL && (sl = oldest) == NULL)
		return NULL;
	sess_slot_free(sl);
	sl->last = now;
	sl->bmc_sid = new_sid(s);
	return sl;
}

struct sim_slot *
sess_slot_by_sid(struct sim_sess *s, uint32_t sid)
{
	int i;

	if (sid == 0)
		return NULL;
	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].state != SIM_SLOT_FREE &&
		    s->slots[i].bmc_sid == sid)
			return &s->slots[i];
	return NULL;
}

const struct sim_user *
sess_user_find(const struct sim_auth *a, const uint8_t *name, size_t len)
{
	int i;

	for (i = 0; i < a->nusers; i++)
		if (a->users[i].ulen == len &&
		    memcmp(a->users[i].name, name, len) == 0)
			return &a->users[i];
	return NULL;
}

/* The sequence window: a replay outside it is dropped, a duplicate served. */
int
sess_seq_ok(struct sim_slot *sl, uint32_t seq)
{
	uint32_t d = seq - sl->in_top;

	if (d != 0 && d <= SEQ_AHEAD) {
		sl->in_top = seq;
		return 1;
	}
	return sl->in_top - seq <= SEQ_BEHIND;
}

/* --- a datagram in ------------------------------------------------------ */

/*
 * Quirk reboot: the BMC restarts after reboot_after in-session requests,
 * as after a firmware crash or update, once the last one's answer is
 * built: every session and the SDR reservation are gone.
 */
static void
reboot(struct sim_sess *s, uint64_t now)
{
	s->served = 0;
	s->booted = now;
	sim_sess_wipe(s);
	s->bmc->sdr_resv = 0;
	s->bmc->cnt.reboots++;
}

static void
reboot_check(struct sim_sess *s, const struct ctx *c)
{
	uint32_t after = s->reboot_after ? s->reboot_after : SIM_REBOOT_AFTER;

	if (!(s->quirks & SIM_Q_REBOOT) || !c->served || ++s->served < after)
		return;
	reboot(s, c->now);
}

/* ...and with reboot_ms, the BMC restarted while nobody was asking. */
static void
reboot_timed(struct sim_sess *s, uint64_t now)
{
	if (!(s->quirks & SIM_Q_REBOOT) || s->reboot_ms == 0)
		return;
	if (s->booted == 0)
		s->booted = now;
	else if (now - s->booted >= s->reboot_ms)
		reboot(s, now);
}

size_t
sim_sess_input(struct sim_sess *s, uint64_t peer, const uint8_t *pkt,
    size_t len, uint64_t now, uint8_t *out, size_t cap, int *bad)
{
	struct ctx c;
	struct rmcp_hdr rh;
	struct buf b;
	size_t n = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.peer = peer;
	c.now = now;
	buf_init_write(&c.out, out, cap);
	buf_init_read(&b, pkt, len);
	reboot_timed(s, now);
	if (rmcp_decode(&b, &rh) != 0 || rh.ack) {
		c.bad = 1;
	} else if (rh.cls == RMCP_CLASS_ASF) {
		struct asf_msg m;

		if (asf_decode(&b, &m) == 0 && m.type == ASF_TYPE_PING) {
			if (asf_encode_pong(&c.out, rh.seq, m.tag,
			    ASF_ENTITY_IPMI) == 0)
				n = c.out.len;
		} else
			c.bad = 1;
	} else if (rh.cls != RMCP_CLASS_IPMI || buf_left(&b) < 1) {
		c.bad = 1;
	} else if (buf_cur(&b)[0] == IPMI_AUTH_RMCPP) {
		n = sess_input20(&c, &b);
	} else {
		n = sess_input15(&c, &b);
	}
	reboot_check(s, &c);
	if (c.bad)
		s->bmc->cnt.bad++;
	if (bad != NULL)
		*bad = c.bad;
	return n;
}
