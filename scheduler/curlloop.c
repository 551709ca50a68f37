/*
 * curlloop: libcurl's multi interface on our loop (see curlloop.h).
 */
#include <errno.h>
#include <unistd.h>

#include "scheduler/curlloop.h"

static void
fd_ready(struct loop *l, int fd, unsigned events, void *arg)
{
	struct curlloop	*cl = arg;
	int		 flags = 0, running;

	(void)l;
	if (events & LOOP_READ)
		flags |= CURL_CSELECT_IN;
	if (events & LOOP_WRITE)
		flags |= CURL_CSELECT_OUT;
	(void)curl_multi_socket_action(cl->multi, fd, flags, &running);
	cl->done(cl->arg);
}

static void
timer_fired(struct loop *l, struct loop_timer *t, void *arg)
{
	struct curlloop	*cl = arg;
	int		 running;

	(void)l;
	(void)t;
	(void)curl_multi_socket_action(cl->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	cl->done(cl->arg);
}

static int
socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct curlloop	*cl = userp;
	unsigned	 ev = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_del_fd(cl->loop, s);
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		ev |= LOOP_READ;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		ev |= LOOP_WRITE;
	if (loop_mod_fd(cl->loop, s, ev) == 0)
		return 0;
	if (errno == ENOENT && loop_add_fd(cl->loop, s, ev, fd_ready, cl) == 0)
		return 0;
	return -1;	/* curl fails the transfer; its owner may retry */
}

static int
timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct curlloop	*cl = userp;

	(void)multi;
	if (timeout_ms < 0) {
		loop_timer_cancel(cl->loop, &cl->timer);
		return 0;
	}
	/* 0 fires on the next iteration: curl must not be re-entered here */
	return loop_timer_set(cl->loop, &cl->timer,
	    loop_now(cl->loop) + (uint64_t)timeout_ms);
}

static int
close_cb(void *clientp, curl_socket_t s)
{
	struct curlloop	*cl = clientp;

	loop_del_fd(cl->loop, s);
	return close(s);
}

int
curlloop_open(struct curlloop *cl, struct loop *l, void (*done)(void *arg),
    void *arg)
{
	cl->loop = l;
	cl->done = done;
	cl->arg = arg;
	loop_timer_init(&cl->timer, timer_fired, cl);
	if ((cl->multi = curl_multi_init()) == NULL)
		return -1;
	if (curl_multi_setopt(cl->multi, CURLMOPT_SOCKETFUNCTION,
	    socket_cb) != CURLM_OK ||
	    curl_multi_setopt(cl->multi, CURLMOPT_SOCKETDATA, cl) != CURLM_OK ||
	    curl_multi_setopt(cl->multi, CURLMOPT_TIMERFUNCTION,
	    timer_cb) != CURLM_OK ||
	    curl_multi_setopt(cl->multi, CURLMOPT_TIMERDATA, cl) != CURLM_OK) {
		curl_multi_cleanup(cl->multi);
		cl->multi = NULL;
		return -1;
	}
	return 0;
}

int
curlloop_set_close(struct curlloop *cl, CURL *easy)
{
	return curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, close_cb) ==
	    CURLE_OK && curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, cl) ==
	    CURLE_OK ? 0 : -1;
}

void
curlloop_close(struct curlloop *cl)
{
	if (cl->multi == NULL)
		return;
	curl_multi_cleanup(cl->multi);
	cl->multi = NULL;
	loop_timer_cancel(cl->loop, &cl->timer);
}
