/*
 * resolve: where a BMC is, without blocking the loop.
 *
 * Numeric addresses (IPv4, IPv6, IPv6 with a scope) are answered at once,
 * without a resolver.  Names go to c-ares on the caller's loop (its sockets
 * are loop fds, its retries a loop timer), which reads /etc/resolv.conf,
 * /etc/hosts and nsswitch.conf's "hosts:" order as the C library does.
 *
 * Each name is asked once per resolver: the answer, an address or a
 * failure, is kept until resolver_forget or resolver_free, and every
 * waiter on a name still being asked is continued by the one answer.  The
 * cache is keyed by the name alone; each waiter gets the answer with its
 * own port.
 *
 * Not thread-safe; one resolver per loop user.  Callbacks run from the
 * loop only: an answer known at once is returned by resolver_lookup, never
 * called back from it.
 */
#ifndef BMCFLEET_COLLECTOR_RESOLVE_H
#define BMCFLEET_COLLECTOR_RESOLVE_H

#include <stdint.h>
#include <sys/socket.h>

struct loop;
struct resolver;
struct resolve_entry;

struct resolve_result {
	int			 ok;		/* 1: addr is set; 0: failed */
	struct sockaddr_storage	 addr;		/* with the waiter's port */
	socklen_t		 addrlen;
	char			 addrstr[64];	/* the address, for -v */
	char			 why[96];	/* failed: the reason, in words */
	uint64_t		 took_us;	/* the query's time; 0: numeric */
	int			 cached;	/* answered by an earlier query */
};

struct resolve_wait;
/* Called once per resolver_lookup that returned 0, unless cancelled.  The
 * result is valid only during the call; the callback may free w (it is
 * unlinked before the call) and call resolver_lookup/resolver_cancel. */
typedef void	resolve_cb(struct resolve_wait *w, const struct resolve_result *);

/* Owned by the caller (embed it); zero it before the first use. */
struct resolve_wait {
	struct resolve_wait	*prev, *next;	/* the entry's waiters */
	struct resolve_entry	*e;		/* NULL: not waiting */
	uint16_t		 port;
	resolve_cb		*cb;
	void			*arg;
};

/*
 * host as an IPv4 or IPv6 literal (a scoped IPv6 literal too), with port,
 * in *ss and *len.  Returns 0, or -1 if host is not a literal (nothing is
 * asked of anyone).
 */
int	resolve_numeric(const char *host, uint16_t port,
	    struct sockaddr_storage *ss, socklen_t *len);

/*
 * A resolver on l, or NULL with errno set.  c-ares is set up only when the
 * first name (not a literal) is looked up.  resolver_free cancels what is
 * pending (no callback runs) and frees everything, c-ares's state included;
 * not from a resolve_cb.  NULL is a no-op.
 */
struct resolver *resolver_new(struct loop *l);
void	resolver_free(struct resolver *);

/*
 * Where host:port is.  Returns 1 with *res filled when the answer is known
 * at once (a literal, a cached answer, or a failure to even ask), or 0 when
 * the name is being asked: w->cb(w, result) is called from the loop later,
 * once, unless resolver_cancel(w) comes first.  w must not be waiting
 * already; it must stay alive while it waits.
 */
int	resolver_lookup(struct resolver *, const char *host, uint16_t port,
	    struct resolve_wait *w, resolve_cb *cb, void *arg,
	    struct resolve_result *res);
/* Stop waiting: w's callback will not run.  A no-op if w is not waiting.
 * The query itself goes on (others may wait on it, or the cache keeps it). */
void	resolver_cancel(struct resolver *, struct resolve_wait *w);
/* Forget every answer already received (names still being asked stay), so
 * that the next lookup asks again. */
void	resolver_forget(struct resolver *);
/* Names asked of c-ares so far (one per query, cached answers not counted). */
unsigned long resolver_queries(const struct resolver *);

#endif
