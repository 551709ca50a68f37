/*
 * buf: a bounds-checked byte reader and writer.
 *
 * Every read of wire data goes through buf_get_*: they fail with -1 (errno
 * EBADMSG) when fewer bytes remain than asked for, and never move the cursor
 * on failure.  Writers fail with -1 (errno ENOBUFS) when the backing store is
 * full.  A struct buf never owns its memory: the caller does.
 */
#ifndef BMCFLEET_IPMI_BUF_H
#define BMCFLEET_IPMI_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t	*data;	/* backing store, owned by the caller */
	size_t	 cap;	/* bytes available in data */
	size_t	 len;	/* bytes written (writer) or valid (reader) */
	size_t	 pos;	/* read cursor */
};

/* A reader over len valid bytes; the bytes are not modified by reads. */
void	buf_init_read(struct buf *, const void *, size_t);
/* A writer over cap bytes of storage, starting empty. */
void	buf_init_write(struct buf *, void *, size_t);

size_t	buf_left(const struct buf *);		/* unread bytes */
const uint8_t *buf_cur(const struct buf *);	/* pointer at the cursor */

int	buf_get_u8(struct buf *, uint8_t *);
int	buf_get_le16(struct buf *, uint16_t *);
int	buf_get_le32(struct buf *, uint32_t *);
int	buf_get_be16(struct buf *, uint16_t *);
int	buf_get_be32(struct buf *, uint32_t *);
int	buf_get_bytes(struct buf *, void *, size_t);
int	buf_skip(struct buf *, size_t);
/* Point *p at the next n bytes without copying, and move past them. */
int	buf_get_ref(struct buf *, const uint8_t **, size_t);

int	buf_put_u8(struct buf *, uint8_t);
int	buf_put_le16(struct buf *, uint16_t);
int	buf_put_le32(struct buf *, uint32_t);
int	buf_put_be16(struct buf *, uint16_t);
int	buf_put_be32(struct buf *, uint32_t);
int	buf_put_bytes(struct buf *, const void *, size_t);
int	buf_put_zero(struct buf *, size_t);
/* Reserve n bytes and return a pointer to them, or NULL (ENOBUFS). */
uint8_t	*buf_reserve(struct buf *, size_t);

#endif
