/*
 * json: one JSON writer (RFC 8259) over a gbuf.
 *
 * Strings are escaped in one place: '"' and '\' with a backslash, every
 * control byte below 20h as \u00XX, and bytes that are not UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing past U+10FFFF) are replaced by
 * U+FFFD, one per byte, so the text is always valid JSON and valid UTF-8
 * (PostgreSQL's json refuses anything else).
 *
 * The structured writer puts the commas and colons itself:
 *
 *	struct gbuf b = GBUF_INIT;
 *	struct json j;
 *
 *	json_init(&j, &b, JSON_SPACED);
 *	json_obj(&j);
 *	json_key(&j, "plan");
 *	json_u64(&j, 7);
 *	json_end(&j);		-> {"plan": 7}
 *
 * Nesting is limited to JSON_DEPTH; misuse (a value where a key is due,
 * too deep, an end with nothing open) sets j->bad and writes nothing more,
 * as an allocation failure leaves the gbuf failed: check json_failed once.
 */
#ifndef BMCFLEET_LIB_JSON_H
#define BMCFLEET_LIB_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "lib/gbuf.h"

#define JSON_DEPTH	16

enum {
	JSON_SPACED = 1 << 0,	/* ", " and ": " (else "," and ":") */
};

struct json {
	struct gbuf	*b;
	unsigned	 flags;
	unsigned	 depth;
	unsigned char	 open[JSON_DEPTH];	/* JSON_O_* per level */
	int		 after_key;
	int		 bad;
};

/* s (n bytes, NULs included) as a JSON string literal, quotes included. */
void	json_escape(struct gbuf *, const char *s, size_t n);

void	json_init(struct json *, struct gbuf *, unsigned flags);
void	json_obj(struct json *);	/* { */
void	json_arr(struct json *);	/* [ */
void	json_end(struct json *);	/* } or ], whichever is open */
void	json_key(struct json *, const char *key);
void	json_str(struct json *, const char *s);	/* NULL: null */
void	json_strn(struct json *, const char *s, size_t n);
void	json_u64(struct json *, uint64_t);
void	json_i64(struct json *, int64_t);
void	json_bool(struct json *, int);
void	json_null(struct json *);
/* A value the caller wrote as JSON already (a formatted number). */
void	json_raw(struct json *, const char *text);
/* A member in one call: json_key, then the value. */
void	json_key_str(struct json *, const char *key, const char *s);
void	json_key_u64(struct json *, const char *key, uint64_t);
void	json_key_bool(struct json *, const char *key, int);
/* 1 when the text is incomplete: out of memory, or misuse (j->bad). */
int	json_failed(const struct json *);
/*
 * What the writer wrote, into out[cap] when it fits: its length, or 0
 * (too long, or out of memory) with out "".  The writer's gbuf is
 * released either way.
 */
size_t	json_into(struct json *, char *out, size_t cap);

#endif
