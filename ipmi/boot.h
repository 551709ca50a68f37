/*
 * boot: Set and Get System Boot Options (IPMI v2.0 rev 1.1, 28.12, 28.13,
 * parameters in table 28-14), and the "bootdev" sequence: a walker
 * (ipmi/walk.h) that writes the boot flags the way ipmitool's chassis
 * bootdev does, so a BMC that works with ipmitool works with us.
 *
 * Pure: no I/O, no allocation.  Decoders return 0, IPMI_E_SHORT or
 * IPMI_E_MALFORMED; encoders 0 or IPMI_E_NOSPACE.
 */
#ifndef BMCFLEET_IPMI_BOOT_H
#define BMCFLEET_IPMI_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "walk.h"

enum {
	IPMI_CMD_SET_BOOT_OPTIONS = 0x08,	/* chassis netfn */
	IPMI_CMD_GET_BOOT_OPTIONS = 0x09,
};

/* Boot option parameter selectors (table 28-14) */
enum {
	BOOT_PARAM_SET_IN_PROGRESS = 0,
	BOOT_PARAM_INFO_ACK = 4,
	BOOT_PARAM_FLAGS = 5,
};

/* Parameter 0 values */
enum {
	BOOT_SET_COMPLETE = 0,
	BOOT_SET_IN_PROGRESS = 1,
	BOOT_COMMIT_WRITE = 2,
};

/* 28.12 Set System Boot Options: the request (the response is a cc) */
struct boot_set_req {
	uint8_t	param;		/* 7 bits */
	int	invalid;	/* bit 7: mark the parameter invalid/locked */
	uint8_t	data[17];	/* largest: a boot initiator mailbox block */
	size_t	len;
};
int	boot_set_req_encode(const struct boot_set_req *, struct buf *);
int	boot_set_req_decode(struct buf *, struct boot_set_req *);

/* 28.13 Get System Boot Options */
struct boot_get_req {
	uint8_t	param;
	uint8_t	set;		/* set selector, 0 for parameter 5 */
	uint8_t	block;		/* block selector, 0 for parameter 5 */
};
int	boot_get_req_encode(const struct boot_get_req *, struct buf *);
int	boot_get_req_decode(struct buf *, struct boot_get_req *);
struct boot_get_rsp {
	uint8_t	version;	/* parameter version, 1 */
	uint8_t	param;
	int	invalid;	/* parameter marked invalid/locked */
	uint8_t	data[17];	/* what arrived, up to sizeof(data) */
	size_t	len;
};
int	boot_get_rsp_encode(const struct boot_get_rsp *, struct buf *);
int	boot_get_rsp_decode(struct buf *, struct boot_get_rsp *);

/* Boot device selector, data byte 2 bits 5:2 (table 28-14), as the byte */
enum boot_dev {
	BOOT_DEV_NONE = 0x00,		/* no override */
	BOOT_DEV_PXE = 0x04,
	BOOT_DEV_DISK = 0x08,		/* default hard drive */
	BOOT_DEV_SAFE = 0x0c,		/* default hard drive, safe mode */
	BOOT_DEV_DIAG = 0x10,		/* default diagnostic partition */
	BOOT_DEV_CDROM = 0x14,		/* default CD/DVD */
	BOOT_DEV_BIOS = 0x18,		/* BIOS setup */
	BOOT_DEV_REMOTE_FLOPPY = 0x1c,	/* remote floppy/primary removable */
	BOOT_DEV_REMOTE_CDROM = 0x20,
	BOOT_DEV_REMOTE_MEDIA = 0x24,	/* primary remote media */
	BOOT_DEV_REMOTE_DISK = 0x2c,
	BOOT_DEV_FLOPPY = 0x3c,		/* floppy/primary removable media */
};

/* Parameter 5, boot flags: the 5 data bytes */
struct boot_flags {
	int	valid;		/* byte 1 bit 7 */
	int	persistent;	/* bit 6: all future boots, not the next one */
	int	efi;		/* bit 5: EFI, not PC-compatible (legacy) */
	uint8_t	device;		/* enum boot_dev: byte 2 & 3Ch */
	uint8_t	byte2;		/* the rest of byte 2: CMOS clear, locks */
	uint8_t	byte3;
	uint8_t	byte4;
	uint8_t	instance;	/* byte 5 bits 4:0, device instance */
};
#define BOOT_FLAGS_LEN	5
void	boot_flags_encode(const struct boot_flags *, uint8_t out[5]);
/* len < 5: IPMI_E_SHORT */
int	boot_flags_decode(const uint8_t *, size_t len, struct boot_flags *);
/*
 * A Get System Boot Options response for parameter 5, whole: version,
 * parameter, flags.  A response for another parameter: IPMI_E_MALFORMED.
 * *invalid (may be NULL) gets the invalid/locked bit.
 */
int	boot_flags_rsp_decode(struct buf *, struct boot_flags *, int *invalid);

/* "pxe", "disk", "bios", "cdrom", "none", ...; "unknown" otherwise. */
const char	*boot_dev_name(uint8_t dev);
/* The spec's words: "Force PXE", "Force boot into BIOS Setup", ... */
const char	*boot_dev_desc(uint8_t dev);
/* A name from boot_dev_name (and ipmitool's force_* and "setup"): the
 * device, or -1. */
int		 boot_dev_parse(const char *);

/*
 * bootdev: the sequence ipmitool's chassis bootdev sends.
 *   1. parameter 0 = set in progress; a refusal means the BMC does not do
 *      set-in-progress, and step 4 and 5 are skipped
 *   2. parameter 4 = write mask 01h, data 01h (boot info acknowledge for
 *      BIOS/POST); a refusal is not fatal
 *   3. parameter 5 = the flags, valid bit set
 *   4. parameter 0 = commit write, if step 3 succeeded (cc ignored)
 *   5. parameter 0 = set complete (cc ignored), even when step 3 failed
 * The walk is DONE when step 3 succeeded, otherwise it ends with
 * IPMI_E_CC and the code step 3 got in cc.
 */
enum boot_set_step {
	BOOT_STEP_PROGRESS,
	BOOT_STEP_ACK,
	BOOT_STEP_FLAGS,
	BOOT_STEP_COMMIT,
	BOOT_STEP_COMPLETE,
	BOOT_STEP_DONE,
	BOOT_STEP_FAILED,
};
struct boot_set {
	enum boot_set_step	step;
	int			waiting;	/* a request is outstanding */
	struct boot_flags	flags;
	int			use_progress;
	int			flags_ok;	/* step 3 succeeded */
	int			err;
	uint8_t			cc;		/* step 3's failing code */
};
/* device: enum boot_dev */
void	boot_set_init(struct boot_set *, uint8_t device, int persistent,
	    int efi);
int	boot_set_next(struct boot_set *, struct ipmi_req *);
int	boot_set_feed(struct boot_set *, uint8_t cc, const uint8_t *data,
	    size_t len);
/*
 * The requests of the sequence when every step succeeds (5 of them), into
 * out[0..max).  Returns the count, or IPMI_E_NOSPACE when max is short.
 */
int	boot_set_sequence(uint8_t device, int persistent, int efi,
	    struct ipmi_req *out, size_t max);

/* Get System Boot Options for parameter 5, ready to send. */
void	boot_get_flags_req(struct ipmi_req *);

#endif
