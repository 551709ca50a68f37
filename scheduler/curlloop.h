/*
 * curlloop: a libcurl multi handle driven by the loop.  curl names the
 * sockets it wants watched (CURLMOPT_SOCKETFUNCTION): they become the
 * loop's fds; it asks for a timeout (CURLMOPT_TIMERFUNCTION): a loop
 * timer.  Either hands control back through curl_multi_socket_action,
 * then done(arg) collects what finished (curl_multi_info_read).  The plan
 * webhook (webhook.c) and the email transport (notify_mail.c) share it.
 */
#ifndef BMCFLEET_SCHEDULER_CURLLOOP_H
#define BMCFLEET_SCHEDULER_CURLLOOP_H

#include <curl/curl.h>

#include "lib/loop.h"

struct curlloop {
	struct loop		*loop;
	CURLM			*multi;		/* NULL until opened */
	struct loop_timer	 timer;
	void			(*done)(void *arg);
	void			*arg;
};

/* The multi handle, on l: 0, or -1 (out of memory; cl stays closed). */
int	curlloop_open(struct curlloop *cl, struct loop *l,
	    void (*done)(void *arg), void *arg);
/*
 * An easy handle's CURLOPT_CLOSESOCKETFUNCTION and ..DATA (cl): curl may
 * close a cached connection without reporting its end through the socket
 * callback (in curl_multi_cleanup, in some versions), which would leave
 * the loop a stale fd that the next socket of that number could not be
 * added over.
 */
int	curlloop_set_close(struct curlloop *cl, CURL *easy);
/* After the easy handles are removed and cleaned up: the multi handle
 * and the timer.  A closed cl is left alone. */
void	curlloop_close(struct curlloop *cl);

#endif
