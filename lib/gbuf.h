/*
 * gbuf: a growable byte string.
 *
 * Once anything was added, p is NUL-terminated (len excludes the NUL).  An
 * allocation that fails is sticky: later adds do nothing and gbuf_failed()
 * says so, so a writer checks once, at the end.  The buffer owns p until
 * gbuf_detach hands it to the caller; gbuf_release frees it.
 */
#ifndef BMCFLEET_LIB_GBUF_H
#define BMCFLEET_LIB_GBUF_H

#include <stddef.h>

struct gbuf {
	char	*p;
	size_t	 len, cap;
	int	 oom;		/* an allocation failed: p is NULL */
};

#define GBUF_INIT	{ NULL, 0, 0, 0 }

void	gbuf_init(struct gbuf *);
void	gbuf_add(struct gbuf *, const void *, size_t);
void	gbuf_puts(struct gbuf *, const char *);
void	gbuf_putc(struct gbuf *, char);
void	gbuf_printf(struct gbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* 1 when an allocation failed (everything added since is lost). */
int	gbuf_failed(const struct gbuf *);
/* The text so far: "" before anything was added or after a failure. */
const char *gbuf_str(const struct gbuf *);
/* Room for n more bytes without a move (a big page known ahead). */
void	gbuf_reserve(struct gbuf *, size_t n);
/* Empty again; the memory is kept, a failure forgotten. */
void	gbuf_reset(struct gbuf *);
/*
 * The text, malloc'd, for the caller to free ("" when nothing was added),
 * with its length in *len when len is not NULL; the buffer is empty again.
 * NULL with errno ENOMEM after a failure.
 */
char	*gbuf_detach(struct gbuf *, size_t *len);
void	gbuf_release(struct gbuf *);

#endif
