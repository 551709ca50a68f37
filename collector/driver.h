/*
 * driver: runs IPMI sessions to many BMCs at once on one event loop.
 *
 * The caller gives an array of pointers to targets (started in array
 * order) and a step function.  The driver
 * opens at most `fanout` sessions at a time on a few shared, unconnected,
 * non-blocking UDP sockets (one per 256 sessions and address family; the
 * requests of a loop turn leave in one sendmmsg per socket at its end,
 * answers are drained with recvmmsg and go to the session by source
 * address and port; the session ID and integrity checks still decide
 * whether one is taken); when a session becomes active it asks the step
 * function for the first request, hands it each response and asks for the
 * next, until the step function says the host is done.  Then it closes the
 * session (a leaked session holds one of the BMC's few slots until the BMC
 * times it out) and starts the next host.  A dead or broken BMC costs only
 * its own timeouts: it never delays the others beyond holding one slot.
 *
 * Ownership: targets and everything they point to belong to the caller and
 * must outlive driver_run().  The driver allocates per-session state only
 * for sessions in flight and frees it before returning.
 */
#ifndef BMCFLEET_COLLECTOR_DRIVER_H
#define BMCFLEET_COLLECTOR_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ipmi/session.h"

struct loop;

/* Where a host failed, for reports by reason. */
enum drv_fail {
	DRV_OK = 0,
	DRV_FAIL_RESOLVE,	/* name or address did not resolve */
	DRV_FAIL_SOCKET,	/* local socket error */
	DRV_FAIL_UNREACHABLE,	/* ICMP unreachable / connection refused */
	DRV_FAIL_TIMEOUT,	/* no answer during the handshake */
	DRV_FAIL_AUTH,		/* user, password, K_g or privilege refused */
	DRV_FAIL_INSECURE,	/* would need a mode not allowed */
	DRV_FAIL_UNSUPPORTED,	/* BMC lacks v2.0, the suite, ... */
	DRV_FAIL_SESSION,	/* other session-level failure */
	DRV_FAIL_COMMAND,	/* a command failed (bad cc, timeout, parse) */
	DRV_FAIL_DEADLINE,	/* past host_deadline_ms or max_requests */
	DRV_FAIL_ABORTED,	/* the loop was stopped before it finished */
};
#define DRV_FAIL_LAST	DRV_FAIL_ABORTED
const char	*drv_fail_name(enum drv_fail);

struct drv_target {
	/* filled by the caller */
	const char	*name;		/* as the user wrote it, for output */
	const char	*host;		/* address or resolvable name */
	uint16_t	 port;
	void		*arg;		/* the caller's per-host state */
	/* this host's session settings; NULL: the driver_cfg's template */
	const struct ipmi_session_cfg *session;
	/* filled by the driver */
	enum drv_fail	 fail;
	int		 err;		/* enum ipmi_err of the failure */
	char		 errmsg[192];	/* operator's words */
	struct ipmi_session_info info;
	uint64_t	 start_ms;
	uint64_t	 end_ms;
	unsigned	 requests;	/* commands answered */
	unsigned	 dropped;	/* packets dropped as invalid */
	struct drv_sess	*sess;		/* the driver's, while in flight */
};

struct drv_request {
	uint8_t		netfn;
	uint8_t		cmd;
	uint8_t		data[64];
	size_t		len;
};

struct ipmi_req;
/*
 * A walker's request (ipmi/walk.h) as the driver's: the one adapter every
 * step function uses (its 32 data bytes always fit in the 64 here).
 */
void	drv_req_from(struct drv_request *, const struct ipmi_req *);

enum drv_step {
	DRV_STEP_SEND,	/* *req holds the next request */
	DRV_STEP_DONE,	/* host finished: close the session */
	DRV_STEP_FAIL,	/* host failed (driver_fail() said why): close */
	DRV_STEP_WAIT,	/* nothing to send until driver_resume(): the
			 * session stays open, its deadline runs */
};

/*
 * Called with rsp == NULL once the session is active, then with each
 * response.  The response is valid only during the call.
 */
typedef enum drv_step drv_step_fn(void *arg, struct drv_target *,
	    const struct ipmi_response *rsp, struct drv_request *req);

struct driver_cfg {
	unsigned		 fanout;	/* sessions in flight; 0 = 256 */
	/* least time between a BMC's answer and its next request; some BMCs
	 * need the breath, and it bounds the rate one host sees */
	uint32_t		 min_gap_ms;
	/* a host still in flight this long after it started is failed by
	 * reason "deadline" and let go (0: none); likewise after answering
	 * max_requests requests (0: no cap): a drip-feeding or endless BMC
	 * never holds up the others */
	uint32_t		 host_deadline_ms;
	unsigned		 max_requests;
	struct ipmi_session_cfg	 session;	/* template for every host */
	drv_step_fn		*step;
	void			*arg;
	/* optional: called when a host finishes, ok or not */
	void			(*done)(void *arg, struct drv_target *);
	/* optional: per-host debug lines (-v) */
	void			(*debug)(void *arg, const struct drv_target *,
				    const char *line);
};

/*
 * Run every target to completion.  Returns 0 when all succeeded, 1 when
 * some failed (see each target's fail/errmsg), -1 on a local error (errno).
 * When the loop is stopped by someone else (loop_stop from a callback),
 * the sessions in flight are failed "aborted" and freed, and done() is
 * called for each, before it returns: nothing of the run is left in the
 * loop.  Targets never started keep fail == DRV_OK and start_ms == 0.
 */
int	driver_run(struct loop *, const struct driver_cfg *,
	    struct drv_target **, size_t n);

/*
 * A driver that stays on the loop, for work that arrives while other
 * drivers run on it (a trap's SEL read during a sweep): targets are
 * started as driver_add gives them (up to fanout at once, the rest
 * queued), done() is called for each, and the loop is never stopped by
 * it.  A target may be added again once done() was called for it.
 * driver_close fails the sessions in flight "aborted" (done() is called
 * for each) and frees the driver; queued targets stay unstarted.
 * driver_open: NULL on ENOMEM; cfg must outlive the driver.
 * driver_add: 0, or -1 on ENOMEM.  driver_busy: in flight plus queued.
 */
struct driver;
struct driver *driver_open(struct loop *, const struct driver_cfg *);
int	driver_add(struct driver *, struct drv_target *);
size_t	driver_busy(const struct driver *);
void	driver_close(struct driver *);

/*
 * End a host's DRV_STEP_WAIT as if its step function had returned st
 * with req (SEND, DONE or FAIL).  Safe from inside any step function: the
 * driver acts on it from the loop, not before returning.  A no-op for a
 * host not in flight.
 */
void	driver_resume(struct drv_target *, enum drv_step st,
	    const struct drv_request *req);

/* For step functions: mark the host failed with a message. */
void	driver_fail(struct drv_target *, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * driver_fail with the usual words for a command that failed: "WHAT:
 * <completion code words> (0xCC)" for IPMI_E_CC, else "WHAT: <error
 * words>".  Returns DRV_STEP_FAIL, for a step function's return.
 */
enum drv_step driver_fail_cmd(struct drv_target *, int err, const char *what,
	    uint8_t cc);

#endif
