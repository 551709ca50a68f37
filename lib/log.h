/*
 * log: a program's messages with a priority and fields.
 *
 * Under systemd (stderr is the journal stream named by $JOURNAL_STREAM,
 * checked by its device and inode as systemd.exec(5) says), each message
 * goes to journald over its native protocol: a datagram of
 * MESSAGE=, PRIORITY=, SYSLOG_IDENTIFIER= and the caller's fields
 * (BMC=, PLAN=, ERRNO=), so `journalctl -p warning` and
 * `journalctl BMC=rack1-07` work.  The native protocol, not the "<N>"
 * prefix on stderr: the prefix carries the priority only, and the
 * fields are the point.  Written against the documented protocol
 * (systemd.io/JOURNAL_NATIVE_PROTOCOL), not sd_journal_send, for the
 * same reason as lib/sdnotify.h: no runtime library for a datagram.
 * Should the datagram fail, the line goes to stderr after all.
 *
 * Elsewhere (a terminal, a file, a test), each message is one stderr
 * line, "IDENT: MESSAGE", the priority and fields left out: the lines
 * are the ones bmcfleetd always printed, and scripts grep them.
 *
 * The state (the identifier and the journal socket) is the process's:
 * one log per process, as stderr is, set once by log_init.
 */
#ifndef BMCFLEET_LIB_LOG_H
#define BMCFLEET_LIB_LOG_H

#include <syslog.h>	/* LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO */

/*
 * ident names the program (the stderr prefix and SYSLOG_IDENTIFIER; a
 * string that outlives the log).  Reads $JOURNAL_STREAM once: call it
 * before anything logs, after stderr is where it stays.
 */
void	log_init(const char *ident);
/* Whether messages go to the journal (for tests and --help texts). */
int	log_to_journal(void);

/*
 * One message at prio (LOG_ERR ... LOG_DEBUG).  fields: NULL, or
 * "KEY=VALUE" items separated by '\n' ("BMC=rack1-07\nERRNO=110"); a KEY
 * is upper-case letters, digits and '_' (journald's rule), an item with
 * another key is dropped; a VALUE cannot hold '\n'.  The message is not
 * cut at any length.
 */
void	log_msg(int prio, const char *fields, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * The journal datagram log_msg sends (for the unit test): into buf
 * (len bytes); returns the length it needs, which may exceed len (then
 * buf holds a cut copy and must not be sent).
 */
size_t	log_journal_format(char *buf, size_t len, int prio, const char *ident,
	    const char *fields, const char *msg);

#endif
