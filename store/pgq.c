/*
 * pgq: libpq's asynchronous calls driven from the event loop; see pgq.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "lib/loop.h"
#include "store/pgq.h"

/* One wait: a connection being made, or a query's results being read. */
struct pgq_op {
	struct loop	*loop;
	PGconn		*conn;
	int		 fd;		/* registered, or -1 */
	unsigned	 ev;
	int		 connecting;
	int		 keep;		/* keep the last result (else log) */
	int		 done;		/* 1 finished, -1 failed */
	PGresult	*last;
	void		(*log)(void *, const char *);
	void		*arg;
	uint64_t	 timeout_ms;	/* for the deadline's message */
	char		*err;
	size_t		 errlen;
};

static void	on_fd(struct loop *, int, unsigned, void *);

static void	failf(struct pgq_op *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* The first failure wins; libpq's trailing newline is dropped. */
static void
failf(struct pgq_op *op, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (op->done == 0 && op->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(op->err, op->errlen, fmt, ap);
		va_end(ap);
		n = strlen(op->err);
		while (n > 0 && (op->err[n - 1] == '\n' || op->err[n - 1] == ' '))
			op->err[--n] = '\0';
	}
	op->done = -1;
	loop_stop(op->loop);
}

static void
unwatch(struct pgq_op *op)
{
	if (op->fd >= 0)
		loop_del_fd(op->loop, op->fd);
	op->fd = -1;
	op->ev = 0;
}

/* Watch the connection's socket now (it may change while connecting). */
static int
watch(struct pgq_op *op, unsigned ev)
{
	int fd = PQsocket(op->conn);

	if (fd < 0) {
		failf(op, "%s", PQerrorMessage(op->conn));
		return -1;
	}
	if (fd != op->fd) {
		unwatch(op);
		if (loop_add_fd(op->loop, fd, ev, on_fd, op) != 0) {
			failf(op, "watching the database socket: %s",
			    strerror(errno));
			return -1;
		}
		op->fd = fd;
	} else if (ev != op->ev && loop_mod_fd(op->loop, fd, ev) != 0) {
		failf(op, "watching the database socket: %s", strerror(errno));
		return -1;
	}
	op->ev = ev;
	return 0;
}

static void
finish(struct pgq_op *op)
{
	op->done = 1;
	loop_stop(op->loop);
}

static void
poll_connect(struct pgq_op *op)
{
	switch (PQconnectPoll(op->conn)) {
	case PGRES_POLLING_READING:
		(void)watch(op, LOOP_READ);
		return;
	case PGRES_POLLING_WRITING:
		(void)watch(op, LOOP_WRITE);
		return;
	case PGRES_POLLING_OK:
		finish(op);
		return;
	default:
		failf(op, "%s", PQerrorMessage(op->conn));
		return;
	}
}

static void
read_results(struct pgq_op *op)
{
	PGresult *res;

	if (!PQconsumeInput(op->conn)) {
		failf(op, "%s", PQerrorMessage(op->conn));
		return;
	}
	while (!PQisBusy(op->conn)) {
		if ((res = PQgetResult(op->conn)) == NULL) {
			finish(op);
			return;
		}
		if (PQresultStatus(res) == PGRES_COPY_IN ||
		    PQresultStatus(res) == PGRES_COPY_OUT) {
			PQclear(res);
			failf(op, "unexpected COPY from the database");
			return;
		}
		if (op->keep) {
			PQclear(op->last);
			op->last = res;
			continue;
		}
		if (op->log != NULL && (PQresultStatus(res) ==
		    PGRES_FATAL_ERROR || PQresultStatus(res) ==
		    PGRES_NONFATAL_ERROR))
			op->log(op->arg, PQresultErrorMessage(res));
		PQclear(res);
	}
}

static void
on_fd(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct pgq_op *op = arg;

	(void)l;
	(void)fd;
	if (op->done != 0)
		return;
	if (op->connecting) {
		poll_connect(op);
		return;
	}
	if (ev & LOOP_WRITE) {
		int f = PQflush(op->conn);

		if (f == -1) {
			failf(op, "%s", PQerrorMessage(op->conn));
			return;
		}
		if (f == 0 && watch(op, LOOP_READ) != 0)
			return;
	}
	if (ev & LOOP_READ)
		read_results(op);
}

static void
on_deadline(struct loop *l, struct loop_timer *t, void *arg)
{
	struct pgq_op *op = arg;

	(void)l;
	(void)t;
	failf(op, "the database gave no answer in %.1f s",
	    (double)op->timeout_ms / 1000);
}

/* Run the loop until op is done, the deadline passes or *stop is set. */
static int
await(struct pgq_op *op, const struct pgq_wait *w)
{
	struct loop_timer t;

	loop_timer_init(&t, on_deadline, op);
	if (w != NULL && w->timeout_ms > 0) {
		op->timeout_ms = w->timeout_ms;
		if (loop_timer_set(op->loop, &t, loop_now(op->loop) +
		    w->timeout_ms) != 0)
			failf(op, "%s", strerror(errno));
	}
	while (op->done == 0) {
		if (w != NULL && w->stop != NULL && *w->stop) {
			failf(op, "stopped while waiting for the database");
			break;
		}
		if (loop_run(op->loop) == -1) {
			failf(op, "waiting for the database: %s",
			    strerror(errno));
			break;
		}
	}
	loop_timer_cancel(op->loop, &t);
	unwatch(op);
	return op->done == 1 ? 0 : -1;
}

int
pgq_connect(struct loop *l, const char *conninfo, const struct pgq_wait *w,
    PGconn **out, char *err, size_t errlen)
{
	struct pgq_op op = { .loop = l, .fd = -1, .connecting = 1,
	    .err = err, .errlen = errlen };

	*out = NULL;
	if ((op.conn = db_connect_start(conninfo)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (PQstatus(op.conn) == CONNECTION_BAD)
		failf(&op, "%s", PQerrorMessage(op.conn));
	else	/* libpq: begin as if PQconnectPoll had said "writing" */
		(void)watch(&op, LOOP_WRITE);
	if (op.done == -1 || await(&op, w) != 0 ||
	    PQsetnonblocking(op.conn, 1) != 0) {
		if (op.done != -1)
			snprintf(err, errlen, "%s", PQerrorMessage(op.conn));
		PQfinish(op.conn);
		return -1;
	}
	*out = op.conn;
	return 0;
}

/* The query was sent: flush and read on the loop. */
static int
await_results(struct pgq_op *op, const struct pgq_wait *w)
{
	int f;

	if ((f = PQflush(op->conn)) == -1) {
		failf(op, "%s", PQerrorMessage(op->conn));
		return -1;
	}
	if (watch(op, LOOP_READ | (f == 1 ? LOOP_WRITE : 0)) != 0)
		return -1;
	return await(op, w);
}

PGresult *
pgq_exec(struct loop *l, PGconn *c, const char *sql, int nparams,
    const char *const *params, int binary, const struct pgq_wait *w,
    char *err, size_t errlen)
{
	struct pgq_op op = { .loop = l, .conn = c, .fd = -1, .keep = 1,
	    .err = err, .errlen = errlen };
	int sent;

	if (PQsetnonblocking(c, 1) != 0) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		return NULL;
	}
	if (nparams == 0 && !binary)
		sent = PQsendQuery(c, sql);
	else
		sent = PQsendQueryParams(c, sql, nparams, NULL, params, NULL,
		    NULL, binary);
	if (!sent) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		return NULL;
	}
	if (await_results(&op, w) != 0) {
		PQclear(op.last);
		return NULL;
	}
	if (op.last == NULL)
		snprintf(err, errlen, "the database returned no result");
	return op.last;
}

int
pgq_finish(struct loop *l, PGconn *c, const struct pgq_wait *w,
    void (*log)(void *, const char *), void *arg, char *err, size_t errlen)
{
	struct pgq_op op = { .loop = l, .conn = c, .fd = -1, .log = log,
	    .arg = arg, .err = err, .errlen = errlen };

	if (PQsetnonblocking(c, 1) != 0) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		return -1;
	}
	return await_results(&op, w);
}
