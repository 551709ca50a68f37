/*
 * pgq: libpq's asynchronous calls driven from the event loop; see pgq.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
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
static void	on_async_fd(struct loop *, int, unsigned, void *);

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

int
pgq_send(PGconn *c, const char *sql, int nparams, const char *const *params,
    int binary, char *err, size_t errlen)
{
	int sent;

	if (PQsetnonblocking(c, 1) != 0) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		return -1;
	}
	if (nparams == 0 && !binary)
		sent = PQsendQuery(c, sql);
	else
		sent = PQsendQueryParams(c, sql, nparams, NULL, params, NULL,
		    NULL, binary);
	if (!sent) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		return -1;
	}
	/* what did not fit in the socket goes out with the wait */
	if (PQflush(c) == -1) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		return -1;
	}
	return 0;
}

PGresult *
pgq_result(struct loop *l, PGconn *c, const struct pgq_wait *w, char *err,
    size_t errlen)
{
	struct pgq_op op = { .loop = l, .conn = c, .fd = -1, .keep = 1,
	    .err = err, .errlen = errlen };

	if (await_results(&op, w) != 0) {
		PQclear(op.last);
		return NULL;
	}
	if (op.last == NULL)
		snprintf(err, errlen, "the database returned no result");
	return op.last;
}

PGresult *
pgq_exec(struct loop *l, PGconn *c, const char *sql, int nparams,
    const char *const *params, int binary, const struct pgq_wait *w,
    char *err, size_t errlen)
{
	if (pgq_send(c, sql, nparams, params, binary, err, errlen) != 0)
		return NULL;
	return pgq_result(l, c, w, err, errlen);
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

/* --- the asynchronous connection --------------------------------------- */

struct pgqa_query {
	struct pgqa_query *next;
	char		*sql;
	char		**params;
	int		 nparams;
	int		 binary;	/* results in binary */
	pgq_async_cb	*cb;		/* NULL: forgotten */
	void		*arg;
	uint64_t	 deadline;	/* loop_now() ms */
};

enum pgqa_state { PGQA_DOWN, PGQA_CONNECTING, PGQA_READY, PGQA_BUSY };

/* after a connection fails, queries fail at once for this long: a client
 * hammering a dead database gets its 503 without a connect each time */
#define PGQA_RETRY_MS	1000

struct pgq_async {
	struct loop	*loop;
	char		*conninfo;
	PGconn		*conn;
	enum pgqa_state	 st;
	int		 fd;		/* registered, or -1 */
	unsigned	 ev;
	struct pgqa_query *head, *tail;	/* head runs when BUSY */
	size_t		 n;
	PGresult	*last;		/* the running query's result so far */
	struct loop_timer timer;	/* the head's deadline, or a retry */
	uint64_t	 retry_at;	/* DOWN: no connect before this */
	char		 err[256];	/* why the connection went down */
	int		 kicking;
};

static void	pgqa_kick(struct pgq_async *);

static void
pgqa_query_free(struct pgqa_query *q)
{
	for (int i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	free(q->sql);
	free(q);
}

static void
pgqa_unwatch(struct pgq_async *a)
{
	if (a->fd >= 0)
		loop_del_fd(a->loop, a->fd);
	a->fd = -1;
	a->ev = 0;
}

static void
pgqa_seterr(struct pgq_async *a, const char *msg)
{
	size_t n;

	snprintf(a->err, sizeof(a->err), "%s", msg != NULL && *msg != '\0' ?
	    msg : "the database connection failed");
	n = strlen(a->err);
	while (n > 0 && (a->err[n - 1] == '\n' || a->err[n - 1] == ' '))
		a->err[--n] = '\0';
}

/* The connection dropped; the next query connects again. */
static void
pgqa_reset(struct pgq_async *a, int backoff)
{
	pgqa_unwatch(a);
	PQclear(a->last);
	a->last = NULL;
	if (a->conn != NULL)
		PQfinish(a->conn);
	a->conn = NULL;
	a->st = PGQA_DOWN;
	if (backoff)
		a->retry_at = loop_now(a->loop) + PGQA_RETRY_MS;
}

/* Take the head off the queue and answer it. */
static void
pgqa_answer(struct pgq_async *a, PGresult *res, const char *err)
{
	struct pgqa_query *q = a->head;

	if (q == NULL) {
		PQclear(res);
		return;
	}
	if ((a->head = q->next) == NULL)
		a->tail = NULL;
	a->n--;
	if (q->cb != NULL)
		q->cb(q->arg, res, err);
	else
		PQclear(res);
	pgqa_query_free(q);
}

/* Every query queued fails with err (the connection is down). */
static void
pgqa_fail_all(struct pgq_async *a, const char *err)
{
	while (a->head != NULL)
		pgqa_answer(a, NULL, err);
}

static int
pgqa_watch(struct pgq_async *a, unsigned ev)
{
	int fd = PQsocket(a->conn);

	if (fd < 0)
		return -1;
	if (fd != a->fd) {
		pgqa_unwatch(a);
		if (loop_add_fd(a->loop, fd, ev, on_async_fd, a) != 0)
			return -1;
		a->fd = fd;
	} else if (ev != a->ev && loop_mod_fd(a->loop, fd, ev) != 0)
		return -1;
	a->ev = ev;
	return 0;
}

static void
pgqa_poll_connect(struct pgq_async *a)
{
	switch (PQconnectPoll(a->conn)) {
	case PGRES_POLLING_READING:
		if (pgqa_watch(a, LOOP_READ) == 0)
			return;
		break;
	case PGRES_POLLING_WRITING:
		if (pgqa_watch(a, LOOP_WRITE) == 0)
			return;
		break;
	case PGRES_POLLING_OK:
		if (PQsetnonblocking(a->conn, 1) != 0)
			break;
		a->st = PGQA_READY;
		(void)pgqa_watch(a, 0);
		pgqa_kick(a);
		return;
	default:
		break;
	}
	pgqa_seterr(a, PQerrorMessage(a->conn));
	pgqa_reset(a, 1);
	pgqa_fail_all(a, a->err);
}

static void
pgqa_read(struct pgq_async *a)
{
	PGresult *res;

	if (!PQconsumeInput(a->conn))
		goto broken;
	while (!PQisBusy(a->conn)) {
		if ((res = PQgetResult(a->conn)) == NULL) {
			res = a->last;
			a->last = NULL;
			a->st = PGQA_READY;
			(void)pgqa_watch(a, 0);
			pgqa_answer(a, res, res == NULL ? "no result" : NULL);
			pgqa_kick(a);
			return;
		}
		if (PQresultStatus(res) == PGRES_COPY_IN ||
		    PQresultStatus(res) == PGRES_COPY_OUT) {
			PQclear(res);
			pgqa_seterr(a, "unexpected COPY from the database");
			pgqa_reset(a, 0);
			pgqa_answer(a, NULL, a->err);
			pgqa_kick(a);
			return;
		}
		PQclear(a->last);
		a->last = res;
	}
	return;
broken:
	pgqa_seterr(a, PQerrorMessage(a->conn));
	pgqa_reset(a, 0);
	pgqa_answer(a, NULL, a->err);
	pgqa_kick(a);
}

static void
on_async_fd(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct pgq_async *a = arg;

	(void)l;
	(void)fd;
	if (a->st == PGQA_CONNECTING) {
		pgqa_poll_connect(a);
		return;
	}
	if (a->st != PGQA_BUSY) {
		/* idle: the server closed it, or a notice; read it so a dead
		 * connection is seen now rather than at the next query */
		if (!PQconsumeInput(a->conn) || PQstatus(a->conn) ==
		    CONNECTION_BAD)
			pgqa_reset(a, 0);
		return;
	}
	if (ev & LOOP_WRITE) {
		int f = PQflush(a->conn);

		if (f == -1) {
			pgqa_seterr(a, PQerrorMessage(a->conn));
			pgqa_reset(a, 0);
			pgqa_answer(a, NULL, a->err);
			pgqa_kick(a);
			return;
		}
		if (f == 0)
			(void)pgqa_watch(a, LOOP_READ);
	}
	if (ev & LOOP_READ)
		pgqa_read(a);
}

/*
 * The head's deadline passed: it fails, and so does the connection if it
 * was connecting or running it (the server may still be working on it;
 * PQcancel would block), so the next query starts on a fresh one.  While
 * DOWN in the retry pause, every query fails with the last error.
 */
static void
on_async_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct pgq_async *a = arg;
	uint64_t now = loop_now(l);

	(void)t;
	if (a->st == PGQA_DOWN && now < a->retry_at) {
		pgqa_fail_all(a, a->err);
		return;
	}
	if (a->head != NULL && a->head->deadline <= now) {
		if (a->st == PGQA_CONNECTING || a->st == PGQA_BUSY) {
			snprintf(a->err, sizeof(a->err), "the database gave "
			    "no answer in %.1f s",
			    (double)PGQ_ASYNC_TIMEOUT_MS / 1000);
			pgqa_reset(a, a->st == PGQA_CONNECTING);
		}
		while (a->head != NULL && a->head->deadline <= now)
			pgqa_answer(a, NULL, "the database gave no answer in "
			    "time");
	}
	pgqa_kick(a);
}

/* Start whatever can start now, and arm the timer for the head. */
static void
pgqa_kick(struct pgq_async *a)
{
	struct pgqa_query *q;

	if (a->kicking)
		return;
	a->kicking = 1;
	while ((q = a->head) != NULL) {
		if (a->st == PGQA_DOWN) {
			if (loop_now(a->loop) < a->retry_at) {
				/* answered from the timer, never from
				 * pgq_async_query's caller's stack */
				(void)loop_timer_set(a->loop, &a->timer,
				    loop_now(a->loop));
				break;
			}
			if ((a->conn = db_connect_start(a->conninfo)) == NULL ||
			    PQstatus(a->conn) == CONNECTION_BAD) {
				pgqa_seterr(a, a->conn != NULL ?
				    PQerrorMessage(a->conn) : "out of memory");
				pgqa_reset(a, 1);
				continue;
			}
			a->st = PGQA_CONNECTING;
			if (pgqa_watch(a, LOOP_WRITE) != 0) {
				pgqa_seterr(a, strerror(errno));
				pgqa_reset(a, 1);
				continue;
			}
		}
		if (a->st == PGQA_READY) {
			int f;

			if (!PQsendQueryParams(a->conn, q->sql, q->nparams,
			    NULL, (const char *const *)q->params, NULL, NULL,
			    q->binary) || (f = PQflush(a->conn)) == -1 ||
			    pgqa_watch(a, f == 1 ? LOOP_READ | LOOP_WRITE :
			    LOOP_READ) != 0) {
				/* failed from the timer, as when down */
				pgqa_seterr(a, PQerrorMessage(a->conn));
				pgqa_reset(a, 1);
				continue;
			}
			a->st = PGQA_BUSY;
		}
		(void)loop_timer_set(a->loop, &a->timer, q->deadline);
		break;
	}
	if (a->head == NULL)
		loop_timer_cancel(a->loop, &a->timer);
	a->kicking = 0;
}

struct pgq_async *
pgq_async_open(struct loop *loop, const char *conninfo)
{
	struct pgq_async *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->conninfo = strdup(conninfo != NULL ? conninfo : "")) ==
	    NULL) {
		free(a);
		return NULL;
	}
	a->loop = loop;
	a->fd = -1;
	loop_timer_init(&a->timer, on_async_timer, a);
	return a;
}

int
pgq_async_query(struct pgq_async *a, const char *sql, int nparams,
    const char *const *params, pgq_async_cb *cb, void *arg)
{
	return pgq_async_query_fmt(a, sql, nparams, params, 0, cb, arg);
}

int
pgq_async_query_fmt(struct pgq_async *a, const char *sql, int nparams,
    const char *const *params, int binary, pgq_async_cb *cb, void *arg)
{
	struct pgqa_query *q;

	if (a->n >= PGQ_ASYNC_QUEUE) {
		errno = EAGAIN;
		return -1;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->sql = strdup(sql)) == NULL ||
	    (nparams > 0 && (q->params = calloc((size_t)nparams,
	    sizeof(*q->params))) == NULL))
		goto nomem;
	for (q->nparams = 0; q->nparams < nparams; q->nparams++)
		if (params[q->nparams] != NULL &&
		    (q->params[q->nparams] = strdup(params[q->nparams])) ==
		    NULL)
			goto nomem;
	q->binary = binary;
	q->cb = cb;
	q->arg = arg;
	q->deadline = loop_now(a->loop) + PGQ_ASYNC_TIMEOUT_MS;
	if (a->tail != NULL)
		a->tail->next = q;
	else
		a->head = q;
	a->tail = q;
	a->n++;
	/* a query queued behind a running one starts from that one's
	 * answer; only the first is started here */
	if (a->head == q)
		pgqa_kick(a);
	return 0;
nomem:
	if (q != NULL)
		pgqa_query_free(q);
	errno = ENOMEM;
	return -1;
}

void
pgq_async_forget(struct pgq_async *a, void *arg)
{
	for (struct pgqa_query *q = a != NULL ? a->head : NULL; q != NULL;
	    q = q->next)
		if (q->arg == arg)
			q->cb = NULL;
}

void
pgq_async_close(struct pgq_async *a)
{
	if (a == NULL)
		return;
	loop_timer_cancel(a->loop, &a->timer);
	pgqa_reset(a, 0);
	a->kicking = 1;		/* callbacks must not start anything */
	pgqa_fail_all(a, "closed");
	free(a->conninfo);
	free(a);
}

void
pgq_clear(struct pg_result *res)
{
	PQclear(res);
}
