/*
 * walk: the shape of every multi-message read in ipmi/ (an SDR repository
 * walk, a SEL walk, a FRU read): a sans-I/O state machine that says which
 * request to send next and digests each answer.  The caller owns the
 * session; the walker owns no memory it did not get from its init.
 *
 *   struct sdr_walk w;
 *   sdr_walk_init(&w, ...);
 *   while ((rc = sdr_walk_next(&w, &req)) == IPMI_WALK_SEND) {
 *           ... send req over the session, wait for the answer ...
 *           if ((rc = sdr_walk_feed(&w, cc, data, len)) < 0)
 *                   break;          // a negative enum ipmi_err
 *   }
 *   // rc == IPMI_WALK_DONE: results are in w
 *
 * next() returns IPMI_WALK_SEND with *req filled, IPMI_WALK_DONE, or a
 * negative enum ipmi_err (the walk failed; a reason is kept in the walker).
 * feed() gets the completion code and the data after it, returns 0 or a
 * negative enum ipmi_err.  A walker bounds its own work (records, retries,
 * bytes) so a hostile BMC cannot keep it going forever.
 */
#ifndef BMCFLEET_IPMI_WALK_H
#define BMCFLEET_IPMI_WALK_H

#include <stddef.h>
#include <stdint.h>

#define IPMI_WALK_SEND	1
#define IPMI_WALK_DONE	0

/* One request to send. */
struct ipmi_req {
	uint8_t		netfn;
	uint8_t		cmd;
	uint8_t		data[32];
	size_t		len;
};

#endif
