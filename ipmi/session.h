/*
 * session: the client side of an IPMI LAN session, v1.5 or v2.0/RMCP+, as a
 * sans-I/O state machine.
 *
 * The caller owns the socket and the clock.  It feeds the machine datagrams
 * (ipmi_session_input) and timer expiries (ipmi_session_timer), both with
 * the current monotonic time in milliseconds, and after each call:
 *   - sends the datagram ipmi_session_tx() returns, if any;
 *   - re-arms its timer to ipmi_session_deadline() (0 = none);
 *   - acts on the returned event: the session became active, a response
 *     is ready (ipmi_session_response), the session closed or failed
 *     (ipmi_session_error says why, in ipmi_strerror words).
 *
 * One request is outstanding at a time; requests are retransmitted with a
 * fresh session sequence number and the same rq_seq.  Everything the BMC
 * sends is verified: checksums, lengths, session IDs, the sequence window,
 * auth codes and HMACs, RAKP codes; a packet that fails is dropped (the
 * input call returns the negative reason) and the session carries on.
 *
 * Security policy: cipher suites without integrity or confidentiality,
 * v1.5 auth types none and MD2, and null user names are refused unless the
 * configuration sets IPMI_SESS_INSECURE.  Keys and the password live inside
 * struct ipmi_session and are wiped by ipmi_session_release().
 */
#ifndef BMCFLEET_IPMI_SESSION_H
#define BMCFLEET_IPMI_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi.h"
#include "rmcpp.h"

enum ipmi_iface {
	IPMI_IFACE_LAN = 1,	/* IPMI v1.5 */
	IPMI_IFACE_LANPLUS = 2,	/* IPMI v2.0 RMCP+ */
};

enum {
	IPMI_SESS_INSECURE = 1 << 0,	/* allow suite 0-2/15-16, none, nulls */
	IPMI_SESS_NO_NAME_ONLY = 1 << 1,/* RAKP role without name-only lookup */
	/* firmware workarounds (cli/workaround.h names them; bmcfleet.1
	 * describes the bug behind each) */
	IPMI_SESS_WA_AUTHCAP = 1 << 2,	/* "authcap" */
	IPMI_SESS_WA_SEQ_RESET = 1 << 3,/* "ignore-seq-reset" */
	/* 1 << 4 was "open-session-priv": what it asked for is always done
	 * (Open Session names the privilege we want), docs/NOTES.md */
	/* suite 0: a RAKP 4 ICV that should be empty is not; ignore it */
	IPMI_SESS_WA_ICV = 1 << 5,	/* "integrity-check-value" */
	/* the user name NUL-padded to 16 bytes in RAKP 1 and its HMACs */
	IPMI_SESS_WA_INTEL20 = 1 << 6,	/* "intel20" */
	/* a RAKP 2 key exchange code one byte long, any auth algorithm */
	IPMI_SESS_WA_SUPERMICRO20 = 1 << 7, /* "supermicro20" */
	/* a 21-byte HMAC-SHA1 RAKP 2 code; suite records cut short at the
	 * first one whose tag bits are wrong */
	IPMI_SESS_WA_SUN20 = 1 << 8,	/* "sun20" */
};

#define IPMI_SUITE_AUTO		(-1)
#define IPMI_AUTHTYPE_AUTO	0xff

struct ipmi_session_cfg {
	enum ipmi_iface	 iface;
	int		 cipher_suite;	/* IPMI_SUITE_AUTO or 0..19 */
	uint8_t		 auth_type;	/* v1.5: IPMI_AUTHTYPE_AUTO or type */
	uint8_t		 priv;		/* requested privilege level */
	unsigned	 flags;
	const char	*user;		/* copied; up to 16 bytes */
	const uint8_t	*password;	/* copied; up to 20 bytes */
	size_t		 password_len;
	const uint8_t	*kg;		/* BMC key, NULL = none; copied */
	size_t		 kg_len;
	uint32_t	 timeout_ms;	/* wait per attempt before resending */
	unsigned	 retries;	/* resends per message */
	uint32_t	 suites_timeout_ms; /* Get Channel Cipher Suites wait */
	uint32_t	 keepalive_ms;	/* idle time before a keepalive; 0 off */
	/* random source for session IDs, challenges and IVs; NULL = OpenSSL */
	int		(*random)(void *arg, void *p, size_t n);
	void		*random_arg;
	/* optional: one line per state transition, for -v */
	void		(*debug)(void *arg, const char *line);
	void		*debug_arg;
};

enum ipmi_sess_state {
	IPMI_SS_IDLE,
	IPMI_SS_AUTH_CAPS,
	IPMI_SS_CIPHER_SUITES,
	IPMI_SS_CHALLENGE,
	IPMI_SS_ACTIVATE,
	IPMI_SS_OPEN_SESSION,
	IPMI_SS_RAKP1,
	IPMI_SS_RAKP3,
	IPMI_SS_SET_PRIV,
	IPMI_SS_ACTIVE,
	IPMI_SS_CLOSING,
	IPMI_SS_CLOSED,
	IPMI_SS_FAILED,
};
const char	*ipmi_sess_state_name(enum ipmi_sess_state);

enum ipmi_sess_event {
	IPMI_EV_NONE = 0,
	IPMI_EV_ACTIVE,		/* handshake done: requests may be sent */
	IPMI_EV_RESPONSE,	/* ipmi_session_response() is ready */
	IPMI_EV_CLOSED,		/* closed cleanly (or close timed out) */
	IPMI_EV_FAILED,		/* see ipmi_session_error() */
};

struct ipmi_response {
	uint8_t		netfn;		/* request netfn */
	uint8_t		cmd;
	uint8_t		cc;
	uint8_t		data[IPMI_MAX_PAYLOAD];
	size_t		len;
};

/* What the handshake learned, for reports and later sessions. */
struct ipmi_session_info {
	int		v20;		/* BMC claims IPMI v2.0 support */
	uint8_t		auth_types;	/* v1.5 types offered */
	uint8_t		auth_type;	/* v1.5 type in use */
	int		cipher_suite;	/* in use, -1 for v1.5 */
	int		suites_listed;	/* Get Channel Cipher Suites answered */
	uint8_t		priv;		/* session privilege reached */
	uint32_t	bmc_sid;
	uint32_t	console_sid;
};

struct ipmi_session {
	struct ipmi_session_cfg	 cfg;
	enum ipmi_sess_state	 state;
	int			 err;		/* enum ipmi_err when FAILED */
	uint8_t			 err_cc;	/* completion/RAKP status */
	enum ipmi_sess_state	 err_state;	/* step that failed */
	const char		*err_why;	/* static words, for strerror */
	struct ipmi_session_info info;

	char		user[IPMI_MAX_USER + 1];
	uint8_t		ulen;
	uint8_t		password[IPMI_MAX_PASSWORD];
	size_t		pwlen;
	uint8_t		kg[IPMI_KG_LEN];
	size_t		kglen;

	/* v1.5 */
	uint8_t		challenge[16];
	uint32_t	temp_sid;
	int		per_msg_auth_off;
	/* v2.0 */
	uint8_t		suite_data[64 + 16];
	size_t		suite_len;
	uint8_t		suite_index;
	uint8_t		tag;
	uint8_t		rm[16];
	uint8_t		rc[16];
	uint8_t		guid[16];
	uint8_t		role;
	uint8_t		rakp_ulen;	/* user name length RAKP 1 sends */
	uint8_t		sik[32];
	struct rmcpp_keys keys;
	const struct ipmi_cipher_suite *suite;

	/* sequence numbers */
	uint32_t	out_seq;	/* next session seq we send */
	uint32_t	in_top;		/* highest seq accepted from the BMC */
	uint32_t	in_mask;	/* bit n: in_top - n already seen */
	int		in_init;
	unsigned	seq_drops;	/* answers dropped by the window */
	int		bmc_permsg_off;	/* auth caps said per-message auth off */
	unsigned	noauth_drops;	/* answers without an auth code dropped
					   from such a BMC */
	uint8_t		rq_seq;

	/* the one outstanding message, kept for retransmission */
	int		out_kind;	/* 0 none, 1 IPMI message, 2 RMCP+ payload */
	uint8_t		out_netfn, out_cmd, out_pt;
	int		out_internal;	/* handshake/keepalive, not the caller's */
	uint8_t		out_data[IPMI_MAX_PAYLOAD];
	size_t		out_len;
	unsigned	attempts;
	uint64_t	deadline;
	uint64_t	last_rx;
	uint64_t	idle_since;

	uint8_t		tx[IPMI_MAX_PACKET];
	size_t		txlen;

	/* the last RAKP 2 or 4 dropped for the length of its code or ICV,
	 * so that a handshake that then times out can say why */
	uint8_t		odd_rakp;	/* 0 none, 2 or 4 */
	uint8_t		odd_len, odd_want;
	uint8_t		suites_odd;	/* records unlike their suite ID's */
	/* answers dropped as undecodable (malformed, or shorter than a
	 * length field claims) since the last new message: a timeout
	 * after them is not "no answer" */
	uint8_t		bad_rx;

	struct ipmi_response rsp;
};

/* Copy the configuration (user, password, K_g included); no I/O yet. */
int	ipmi_session_init(struct ipmi_session *, const struct ipmi_session_cfg *);
/* Wipe the password and keys.  The struct may be reused after init. */
void	ipmi_session_release(struct ipmi_session *);

/*
 * Start the handshake.  Returns 0, or a negative ipmi_err when the
 * configuration is refused before any packet (an insecure cipher suite,
 * a null user); the session is then FAILED.
 */
int	ipmi_session_open(struct ipmi_session *, uint64_t now);
/* Queue a request (ACTIVE and nothing outstanding, else IPMI_E_BUSY). */
int	ipmi_session_request(struct ipmi_session *, uint8_t netfn, uint8_t cmd,
	    const uint8_t *data, size_t len, uint64_t now);
/* Send Close Session; the session is CLOSED on its answer or timeout. */
int	ipmi_session_close(struct ipmi_session *, uint64_t now);

/* A datagram from the BMC: an event (>= 0) or the drop reason (< 0). */
int	ipmi_session_input(struct ipmi_session *, const uint8_t *, size_t,
	    uint64_t now);
/* The deadline passed: retransmit, keepalive or fail.  Returns an event. */
int	ipmi_session_timer(struct ipmi_session *, uint64_t now);

/* The datagram to send now, or NULL; the pointer is valid until the next
 * call into the session, and the datagram is handed out only once. */
const uint8_t *ipmi_session_tx(struct ipmi_session *, size_t *len);
uint64_t ipmi_session_deadline(const struct ipmi_session *);
const struct ipmi_response *ipmi_session_response(const struct ipmi_session *);
enum ipmi_sess_state ipmi_session_state(const struct ipmi_session *);
int	ipmi_session_busy(const struct ipmi_session *);	/* request outstanding */
int	ipmi_session_error(const struct ipmi_session *);

/*
 * The failure in operator's words, e.g. "password rejected by BMC (RAKP 2
 * key exchange code mismatch)".  Writes to buf and returns it.
 */
const char *ipmi_session_strerror(const struct ipmi_session *, char *buf,
	    size_t len);

#endif
