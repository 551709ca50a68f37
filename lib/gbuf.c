#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gbuf.h"

void
gbuf_init(struct gbuf *b)
{
	memset(b, 0, sizeof(*b));
}

/* room for n more bytes and the NUL; 0, or -1 (and oom set) */
static int
grow(struct gbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (n < b->cap - b->len && b->p != NULL)
		return 0;
	if (n > (size_t)-1 / 2 - b->len - 1)
		goto fail;
	for (cap = b->cap ? b->cap : 256; cap < b->len + n + 1;)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return 0;
fail:
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 1;
	return -1;
}

void
gbuf_reserve(struct gbuf *b, size_t n)
{
	(void)grow(b, n);
}

void
gbuf_add(struct gbuf *b, const void *s, size_t n)
{
	if (grow(b, n) != 0)
		return;
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
gbuf_puts(struct gbuf *b, const char *s)
{
	gbuf_add(b, s, strlen(s));
}

void
gbuf_putc(struct gbuf *b, char c)
{
	gbuf_add(b, &c, 1);
}

void
gbuf_printf(struct gbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int
gbuf_failed(const struct gbuf *b)
{
	return b->oom;
}

const char *
gbuf_str(const struct gbuf *b)
{
	return b->p != NULL ? b->p : "";
}

void
gbuf_reset(struct gbuf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

char *
gbuf_detach(struct gbuf *b, size_t *len)
{
	char *p;

	if (b->oom) {
		gbuf_init(b);
		errno = ENOMEM;
		return NULL;
	}
	if (b->p == NULL && (b->p = calloc(1, 1)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	p = b->p;
	if (len != NULL)
		*len = b->len;
	gbuf_init(b);
	return p;
}

void
gbuf_release(struct gbuf *b)
{
	free(b->p);
	gbuf_init(b);
}
