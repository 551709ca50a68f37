/*
 * hostprof: what a session to one BMC learned, kept on disk so that the
 * next contact does not learn it again: the cipher suite that worked
 * (chosen from the BMC's list, or the fallback when it gave none), the
 * privilege reached, and the BMC's quirks (it never lists its cipher
 * suites, as OpenIPMI's ipmi_sim and older firmware).  Direct mode reads
 * a host's profile before its session and asks for that suite at once,
 * with no Get Channel Cipher Suites round trip (and no wait for a BMC
 * that never answers it); direct mode and the collector write it when a
 * negotiation succeeds.
 *
 * A profile is keyed by the address and port as the session uses them
 * ("127.0.166.1:623", host names lower-cased), one file each in the
 * profile directory, beside the SDR cache (sdrcache_profile_dir).  The
 * BMC's GUID, when the contact learned it, is kept inside: a profile
 * whose GUID differs from the one a later contact learns belongs to
 * another BMC and is replaced.
 *
 * A profile is advice, never authority: it is read through checks (the
 * directory and the file ours and writable by us alone, a regular file
 * of at most HOSTPROF_MAX_BYTES, every line known and in range, the host
 * line equal to the host asked for), and a profile naming a suite
 * without integrity or confidentiality is ignored unless the run allows
 * insecure modes.  Never a password, a key or a user name.  Written
 * atomically (a 0600 temporary file renamed) in a 0700 directory.
 */
#ifndef BMCFLEET_COLLECTOR_HOSTPROF_H
#define BMCFLEET_COLLECTOR_HOSTPROF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct ipmi_session_info;

/* Quirks learned (the file's words in hostprof.c) */
enum {
	/* Get Channel Cipher Suites gave no list: no answer (ipmi_sim),
	 * an error, or an empty one */
	HOSTPROF_Q_NO_SUITE_LIST = 1 << 0,
};

#define HOSTPROF_MAX_BYTES	1024
/* A suite taken as the fallback, the list unheard, is asked again this
 * long after (a list lost in a bad moment must not pin suite 3) */
#define HOSTPROF_FALLBACK_RECHECK_S	(7 * 24 * 3600)

struct hostprof {
	int		 suite;		/* cipher suite that worked */
	int		 listed;	/* 1: from the BMC's list; 0: fallback */
	uint8_t		 priv;		/* privilege reached, 0 unknown */
	unsigned	 quirks;	/* HOSTPROF_Q_* */
	int		 have_guid;
	uint8_t		 guid[16];	/* Get Device GUID, wire order */
	unsigned	 workarounds;	/* IPMI_SESS_WA_* it was learned with */
	int64_t		 learned;	/* seconds since 1970 */
	char		 by[12];	/* "direct" or "collector" */
};

/*
 * The file name of host:port's profile (no directory): the host
 * lower-cased, bytes other than [a-z0-9.-] as "_XX" (hex), then "-PORT";
 * "127.0.166.1-623".  0, or -1 when it does not fit.
 */
int	hostprof_name(const char *host, uint16_t port, char *out, size_t len);

/*
 * Parse a profile's text for host:port into *p.  0, or -1 with the
 * reason in why.  insecure: 1 lets a suite without integrity or
 * confidentiality through (the run allows them), else it is refused.
 */
int	hostprof_parse(const char *text, size_t len, const char *host,
	    uint16_t port, int insecure, struct hostprof *p, char *why,
	    size_t whylen);

/* The profile's text into out (NUL-terminated); its length, or 0 when
 * out is too small. */
size_t	hostprof_format(const struct hostprof *, const char *host,
	    uint16_t port, char *out, size_t len);

/*
 * Load host:port's profile from dir.  1 when there is none, 0 loaded,
 * -1 when one is there but is not used (why says; the caller says it
 * under -v, and a later store replaces it).
 */
int	hostprof_load(const char *dir, const char *host, uint16_t port,
	    int insecure, struct hostprof *, char *why, size_t whylen);

/* Store atomically, creating dir (0700).  0 or -1 (errno). */
int	hostprof_store(const char *dir, const char *host, uint16_t port,
	    const struct hostprof *);

/* Remove host:port's profile (it belongs to another BMC now). */
void	hostprof_forget(const char *dir, const char *host, uint16_t port);

/*
 * What a session's info (collector/driver.h's drv_target.info, after a
 * success, with the session's flags) teaches: *p filled, with by and the
 * time now.  guid may be
 * NULL.  0, or -1 when there is nothing to keep (not RMCP+, no suite).
 */
int	hostprof_from_info(struct hostprof *p, const struct ipmi_session_info *,
	    unsigned flags, const uint8_t *guid, const char *by, time_t now);
/* The IPMI_SESS_WA_* bits of session flags: a profile learned with other
 * workarounds than a session's is not used for it. */
unsigned hostprof_wa(unsigned flags);

/*
 * The collector's one call: a sweep negotiated a suite with host:port;
 * keep it in the default profile directory (sdrcache_profile_dir with no
 * option), where direct mode run by the same user finds it.  Errors are
 * not reported (a profile only saves a round trip).  guid may be NULL.
 */
void	hostprof_learned(const char *host, uint16_t port,
	    const struct ipmi_session_info *, unsigned flags,
	    const uint8_t *guid);

#endif
