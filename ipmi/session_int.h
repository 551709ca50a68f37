/*
 * session_int: what the files of the client session (session.h) share.
 * Private to ipmi/session*.c; struct ipmi_session itself is in session.h,
 * because callers allocate it.
 *
 *   session.c           the core: state and failure, packets out (wrap,
 *                       send, retransmit) and in (session IDs, auth codes,
 *                       the sequence window), requests, keepalive, close
 *   session_v15.c       the v1.5 handshake: auth type, challenge, activate
 *   session_v20.c       the RMCP+ handshake: cipher suite, open session,
 *                       RAKP 1-4
 *   session_strerror.c  the failure in words
 *
 * The core calls a handshake's functions when Get Channel Authentication
 * Capabilities has answered and with each answer while that handshake
 * runs; a handshake sends through the core and ends in
 * sess_step_set_priv() or sess_fail().
 */
#ifndef BMCFLEET_IPMI_SESSION_INT_H
#define BMCFLEET_IPMI_SESSION_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmds.h"
#include "msg.h"
#include "session.h"

struct buf;

/* s->out_kind: what is outstanding, kept for retransmission */
enum { OUT_NONE, OUT_MSG, OUT_RMCPP };

/* session.c */
/* one line to cfg.debug, if set */
void	sess_debugf(struct ipmi_session *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sess_set_state(struct ipmi_session *, enum ipmi_sess_state,
	    const char *why);
/* cfg.random or OpenSSL's: 0 or -1 */
int	sess_rnd(struct ipmi_session *, void *, size_t);
/* nonzero, or 0 when the random source failed (fail the session then) */
uint32_t sess_rnd_nonzero32(struct ipmi_session *);
/* the session FAILED: returns IPMI_EV_FAILED */
int	sess_fail(struct ipmi_session *, int err, uint8_t cc, const char *why);
/* the outstanding message or payload into s->tx: 0 or an ipmi_err */
int	sess_wrap(struct ipmi_session *);
/* make it the outstanding message and send it: an event */
int	sess_send_msg(struct ipmi_session *, uint8_t netfn, uint8_t cmd,
	    const uint8_t *data, size_t len, int internal, uint64_t now);
int	sess_send_payload(struct ipmi_session *, uint8_t pt,
	    const struct buf *, uint64_t now);
/* authenticated: Set Session Privilege Level, or active at once */
int	sess_step_set_priv(struct ipmi_session *, uint64_t now);

/* session_v15.c: each returns an event, or a negative drop reason */
int	sess_v15_start(struct ipmi_session *,
	    const struct ipmi_auth_caps_rsp *, uint64_t now);
int	sess_on_challenge(struct ipmi_session *, const struct ipmi_msg *,
	    uint64_t now);
int	sess_on_activate(struct ipmi_session *, const struct ipmi_msg *,
	    uint64_t now);

/* session_v20.c: the same */
int	sess_v20_start(struct ipmi_session *,
	    const struct ipmi_auth_caps_rsp *, uint64_t now);
int	sess_on_cipher_suites(struct ipmi_session *, const struct ipmi_msg *,
	    uint64_t now);
/* from the suites listed so far (none: suite 3), then Open Session */
int	sess_choose_suite(struct ipmi_session *, uint64_t now);
/* an RMCP+ session setup payload: Open Session response, RAKP 2, 4 */
int	sess_on_rmcpp_payload(struct ipmi_session *, uint8_t pt,
	    const uint8_t *, size_t, uint64_t now);

#endif
