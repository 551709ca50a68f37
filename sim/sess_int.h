/*
 * sess_int: what the files of bmcsim's session layer (sess.h) share, and
 * nothing else includes.
 *
 *   sess.c        the slots, their expiry and sequence windows, the quirk
 *                 reboot; sim_sess_input, a datagram in
 *   sess_cmd.c    the commands the session layer answers itself, the
 *                 resend caches, and the dispatch to sim_bmc_handle
 *   sess_v15.c    IPMI v1.5: challenge, activate, the session's messages
 *   sess_rmcpp.c  RMCP+: Open Session, RAKP 1-4, the session's messages
 */
#ifndef BMCFLEET_SIM_SESS_INT_H
#define BMCFLEET_SIM_SESS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi/buf.h"
#include "ipmi/msg.h"
#include "sess.h"

/* What one datagram turned into: the answer is built in out. */
struct ctx {
	struct sim_sess	*s;
	uint64_t	 peer;
	uint64_t	 now;
	struct buf	 out;
	int		 bad;
	int		 served;	/* an in-session request was answered */
};

static inline void
rnd(struct sim_sess *s, void *p, size_t n)
{
	s->random(s->random_arg, p, n);
}

static inline size_t
drop(struct ctx *c)
{
	c->bad = 1;
	return 0;
}

/* sess.c */
void	sess_slot_free(struct sim_slot *);
/* An open session: active, or in a handshake other than a challenge. */
int	sess_slot_open(const struct sim_slot *);
/* A slot for a new handshake (open: one counted against the limit); NULL
 * when there is none. */
struct sim_slot *sess_slot_new(struct sim_sess *, uint64_t now, int open);
struct sim_slot *sess_slot_by_sid(struct sim_sess *, uint32_t sid);
const struct sim_user *sess_user_find(const struct sim_auth *, const uint8_t *name,
	    size_t len);
/* The sequence window: 0 drops a replay outside it. */
int	sess_seq_ok(struct sim_slot *, uint32_t seq);

/* sess_cmd.c */
/* A firmware bug swallows req whole: no answer. */
int	sess_quirk_drops(const struct sim_sess *, const struct ipmi_msg *req);
/* A session-less request: counted, and 1 when a quirk swallows it. */
int	sess_less_drops(struct ctx *, const struct ipmi_msg *req);
/* Answer req, in session self (NULL: session-less) into rsp; rsp_data
 * holds IPMI_MAX_PAYLOAD bytes.  *closed: a slot Close Session closed. */
void	sess_dispatch(struct ctx *, struct sim_slot *self,
	    const struct ipmi_msg *req, struct ipmi_msg *rsp, uint8_t *rsp_data,
	    struct sim_slot **closed);
/*
 * An in-session request of sl with sequence number seq: the replay
 * window, the slot's use, the firmware quirks, then the answer into rsp
 * (as sess_dispatch).  -1: drop it (a replay), 0: swallowed by a quirk
 * (no answer), 1: rsp is the answer.
 */
int	sess_serve(struct ctx *, struct sim_slot *sl, uint32_t seq,
	    const struct ipmi_msg *req, struct ipmi_msg *rsp,
	    uint8_t *rsp_data, struct sim_slot **closed);
/* A command answered outside a session. */
int	sess_session_less_cmd(const struct ipmi_msg *);

/* sess_v15.c, sess_rmcpp.c: a datagram after its RMCP header; the
 * answer's length in c->out, or 0 */
size_t	sess_input15(struct ctx *, struct buf *);
size_t	sess_input20(struct ctx *, struct buf *);

#endif
