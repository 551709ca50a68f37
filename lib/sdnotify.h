/*
 * sdnotify: telling systemd how the service is doing (sd_notify(3)'s
 * datagram protocol) and keeping its watchdog fed from a loop.
 *
 * Written against the protocol, not libsystemd: the protocol is one
 * datagram of "KEY=VALUE\n" lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace), which
 * sd_notify(3) documents as a stable interface; libsystemd would add a
 * runtime dependency to every binary for thirty lines.  Without
 * $NOTIFY_SOCKET (not started by systemd, or Type= is not notify) every
 * call here is a no-op that succeeds.
 */
#ifndef BMCFLEET_LIB_SDNOTIFY_H
#define BMCFLEET_LIB_SDNOTIFY_H

#include <stdint.h>

#include "lib/loop.h"

/*
 * Send state ("READY=1", "STATUS=...", several lines joined by '\n') to
 * the manager.  0 when sent or when nobody listens; -1 with errno when
 * $NOTIFY_SOCKET names a socket the datagram could not reach.  Never
 * blocks (MSG_DONTWAIT).
 */
int	sdnotify_send(const char *state);
/* The same with printf's format: "STATUS=sweep %u: ..." */
int	sdnotify_sendf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * The watchdog interval systemd asked this process for, in microseconds:
 * $WATCHDOG_USEC when $WATCHDOG_PID is unset or names this process (as
 * sd_watchdog_enabled(3) reads them); 0 when no watchdog is asked for.
 */
uint64_t sdnotify_watchdog_usec(void);

/*
 * A timer on a loop that sends WATCHDOG=1 every half interval while the
 * loop runs: a loop that stalls stops the pings and systemd restarts the
 * service.  Owned by the caller; start arms it (a no-op returning 0 when
 * no watchdog is asked for), stop disarms it.  One per loop: a process
 * that runs another loop for a while (bmcfleetd's power plans) starts one
 * on that loop too.
 */
struct sdnotify_wd {
	struct loop_timer	 t;
	uint64_t		 every_ms;	/* 0: off */
};
int	sdnotify_watchdog_start(struct loop *, struct sdnotify_wd *);
void	sdnotify_watchdog_stop(struct loop *, struct sdnotify_wd *);

#endif
