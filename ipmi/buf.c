#include <errno.h>
#include <string.h>

#include "buf.h"

void
buf_init_read(struct buf *b, const void *p, size_t len)
{
	/* readers never write through data; the cast keeps one struct type */
	b->data = (uint8_t *)(uintptr_t)p;
	b->cap = len;
	b->len = len;
	b->pos = 0;
}

void
buf_init_write(struct buf *b, void *p, size_t cap)
{
	b->data = p;
	b->cap = cap;
	b->len = 0;
	b->pos = 0;
}

size_t
buf_left(const struct buf *b)
{
	return b->len - b->pos;
}

const uint8_t *
buf_cur(const struct buf *b)
{
	return b->data + b->pos;
}

static int
need(const struct buf *b, size_t n)
{
	if (b->len - b->pos < n) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

int
buf_get_u8(struct buf *b, uint8_t *v)
{
	if (need(b, 1) == -1)
		return -1;
	*v = b->data[b->pos++];
	return 0;
}

int
buf_get_le16(struct buf *b, uint16_t *v)
{
	const uint8_t *p;

	if (need(b, 2) == -1)
		return -1;
	p = b->data + b->pos;
	*v = (uint16_t)(p[0] | p[1] << 8);
	b->pos += 2;
	return 0;
}

int
buf_get_le32(struct buf *b, uint32_t *v)
{
	const uint8_t *p;

	if (need(b, 4) == -1)
		return -1;
	p = b->data + b->pos;
	*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	b->pos += 4;
	return 0;
}

int
buf_get_be16(struct buf *b, uint16_t *v)
{
	const uint8_t *p;

	if (need(b, 2) == -1)
		return -1;
	p = b->data + b->pos;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	b->pos += 2;
	return 0;
}

int
buf_get_be32(struct buf *b, uint32_t *v)
{
	const uint8_t *p;

	if (need(b, 4) == -1)
		return -1;
	p = b->data + b->pos;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	    (uint32_t)p[3];
	b->pos += 4;
	return 0;
}

int
buf_get_bytes(struct buf *b, void *dst, size_t n)
{
	if (need(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(dst, b->data + b->pos, n);
	b->pos += n;
	return 0;
}

int
buf_skip(struct buf *b, size_t n)
{
	if (need(b, n) == -1)
		return -1;
	b->pos += n;
	return 0;
}

int
buf_get_ref(struct buf *b, const uint8_t **p, size_t n)
{
	if (need(b, n) == -1)
		return -1;
	*p = b->data + b->pos;
	b->pos += n;
	return 0;
}

uint8_t *
buf_reserve(struct buf *b, size_t n)
{
	uint8_t *p;

	if (b->cap - b->len < n) {
		errno = ENOBUFS;
		return NULL;
	}
	p = b->data + b->len;
	b->len += n;
	return p;
}

int
buf_put_u8(struct buf *b, uint8_t v)
{
	uint8_t *p;

	if ((p = buf_reserve(b, 1)) == NULL)
		return -1;
	p[0] = v;
	return 0;
}

int
buf_put_le16(struct buf *b, uint16_t v)
{
	uint8_t *p;

	if ((p = buf_reserve(b, 2)) == NULL)
		return -1;
	p[0] = v & 0xff;
	p[1] = v >> 8;
	return 0;
}

int
buf_put_le32(struct buf *b, uint32_t v)
{
	uint8_t *p;

	if ((p = buf_reserve(b, 4)) == NULL)
		return -1;
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
	return 0;
}

int
buf_put_be16(struct buf *b, uint16_t v)
{
	uint8_t *p;

	if ((p = buf_reserve(b, 2)) == NULL)
		return -1;
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return 0;
}

int
buf_put_be32(struct buf *b, uint32_t v)
{
	uint8_t *p;

	if ((p = buf_reserve(b, 4)) == NULL)
		return -1;
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
	return 0;
}

int
buf_put_bytes(struct buf *b, const void *src, size_t n)
{
	uint8_t *p;

	if ((p = buf_reserve(b, n)) == NULL)
		return -1;
	if (n > 0)
		memcpy(p, src, n);
	return 0;
}

int
buf_put_zero(struct buf *b, size_t n)
{
	uint8_t *p;

	if ((p = buf_reserve(b, n)) == NULL)
		return -1;
	memset(p, 0, n);
	return 0;
}
