/*
 * page: bmcfleetd's status page for people ("/"), rendered on the server
 * as one HTML document: no script, a little inline CSS, a refresh every
 * 30 s.  Pure: rows in, text out; no database, no loop, no clock (the
 * caller gives the time).  cli/serve_page.c runs the queries and answers.
 *
 * Every text that came from a BMC or the database (names, reasons, error
 * words, event text, sensor names, plan names) goes through
 * page_html_escape: BMCs are hostile.
 *
 * The numbers a program may read carry stable ids (see PAGE_ID_*), the
 * rows stable classes and data attributes:
 *	<span id="hosts-ok">17</span>
 *	<tr class="failing" data-host="NAME" data-reason="REASON">
 *	<tr class="event" data-severity="critical" data-host="NAME">
 *	<tr class="plan" data-plan="ID">
 *	<div id="db-unavailable">	only when the database was not read
 */
#ifndef BMCFLEET_CLI_PAGE_H
#define BMCFLEET_CLI_PAGE_H

#include <stddef.h>

#include "lib/gbuf.h"
#include "store/reportq.h"

/* A host's last sweep, as `bmcfleet status` counts them. */
enum page_state {
	PAGE_OK,		/* its last sweep succeeded */
	PAGE_FAILED,		/* its last sweep failed */
	PAGE_UNKNOWN,		/* never swept */
	PAGE_NSTATES
};

/* One BMC not retired; the strings are the caller's (NULL: none). */
struct page_host {
	const char	*name;
	enum page_state	 state;
	const char	*reason;	/* PAGE_FAILED: why (a word) */
	const char	*error;		/* and its words */
	const char	*when;		/* when that sweep ended, ISO 8601 */
};

struct page_data {
	const struct page_host *hosts;	/* in any order; sorted here */
	size_t		 nhosts;
	long long	 retired;	/* -1: not known */
	const struct reportq_rows *plans;	/* STATUSQ_PLANS; NULL */
	const struct reportq_rows *events;	/* REPORTQ_EVENTS' columns,
						   oldest first; NULL */
	const char	*db_error;	/* not NULL: the database was not
					   read (the banner says this) */
	const char	*source;	/* where the hosts came from, said
					   under the banner ("the collector's
					   memory"); NULL: the database */
	const char	*now;		/* ISO 8601 UTC, shown as "as of" */
	unsigned	 refresh_s;	/* 0: no refresh */
};

#define PAGE_MAX_FAILING	500	/* failing hosts listed; the rest
					   counted */

/* s with & < > " ' as entities and control bytes as '?', appended to out. */
void	page_html_escape(struct gbuf *out, const char *s);

/*
 * STATUSQ_HOSTS' rows as hosts into *out (malloc'd, for the caller to
 * free; the strings point into rows).  Returns the count, or -1 out of
 * memory.
 */
long	page_hosts_from_rows(const struct reportq_rows *rows,
	    struct page_host **out);

/*
 * The page into out (appended).  Returns 0, or -1 out of memory (out's
 * failure is sticky: gbuf_failed says so too).
 */
int	page_render(struct gbuf *out, const struct page_data *);

#endif
