/*
 * fuzz_simsess: bmcsim's session layer (sim/sess*.c, sim/bmc.c) against
 * hostile consoles.  A simulator is a test tool, but it parses every
 * datagram a client sends, so it gets a fuzz target like any parser.
 *
 * Input: datagrams, each a big-endian 16-bit length and that many bytes
 * (a short last one takes what is left), fed in order to one simulated
 * BMC 50 ms apart, alternating between two consoles when the length's top
 * bit is set.  The seeds are recorded handshakes (gen-simsess.c), so the
 * fuzzer starts from inside live v1.5 and RMCP+ sessions.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ipmi/ipmi.h"
#include "sim/quirk.h"
#include "simsess_setup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

/* The firmware bugs that change how the handshake is parsed and built
 * (sim/quirk.h): each input is fed once to a correct BMC, once to a BMC
 * with all of them, which also offers suite 0 for integrity-check-value. */
#define FZ_QUIRKS	(SIM_Q_OPENSESSPRIV | SIM_Q_ICV | SIM_Q_INTEL20 | \
			 SIM_Q_SUPERMICRO20 | SIM_Q_SUN20)
/* And a third time to a hostile BMC: the answers it rewrites (drip,
 * churn, the length lies, the endless SEL) and a reboot every 3
 * in-session requests. */
#define FZ_HOSTILE	(SIM_Q_DRIP | SIM_Q_CHURN | SIM_Q_ENDLESS_SEL | \
			 SIM_Q_LIES | SIM_Q_REBOOT)

static void
feed(const uint8_t *data, size_t size, uint32_t quirks)
{
	static struct fz_bmc f;
	uint8_t out[IPMI_MAX_PACKET];
	uint64_t now = 1000;

	fz_bmc_init(&f);
	f.sess.quirks = quirks;
	f.bmc.quirks = quirks;
	f.sess.reboot_after = 3;
	if (quirks & FZ_QUIRKS)
		f.auth.suites |= 1U << 0;
	while (size >= 2) {
		size_t len = (size_t)(data[0] & 0x7f) << 8 | data[1];
		uint64_t peer = FZ_PEER + (data[0] >> 7);
		uint8_t *copy;
		size_t n;
		int bad;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		/* an exact-size copy, so an over-read trips ASan */
		if ((copy = malloc(len ? len : 1)) == NULL)
			abort();
		memcpy(copy, data, len);
		n = sim_sess_input(&f.sess, peer, copy, len, now, out,
		    sizeof(out), &bad);
		free(copy);
		CHECK(n <= sizeof(out));
		CHECK(sim_sess_count(&f.sess, now) <= FZ_LIMIT);
		data += len;
		size -= len;
		now += 50;
	}
	sim_sess_wipe(&f.sess);
	sim_bmc_release(&f.bmc);	/* the SEL, if a command made it */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	feed(data, size, 0);
	feed(data, size, FZ_QUIRKS);
	feed(data, size, FZ_HOSTILE);
	return 0;
}
