/*
 * text: the words of configuration files and options, one grammar for
 * every loader: booleans, numbers, names, lists of flag names, and "did
 * you mean" for a misspelt key or value.  Pure: no allocation, no I/O.
 */
#ifndef BMCFLEET_LIB_TEXT_H
#define BMCFLEET_LIB_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum {
	TEXT_BOOL_DIGITS = 1 << 0,	/* "1" and "0" too */
};

/*
 * YAML 1.1's booleans: true, yes, on and false, no, off, each lower case,
 * Capitalized or UPPER CASE; with TEXT_BOOL_DIGITS also 1 and 0.  Sets *out
 * to 1 or 0 and returns 0, or returns -1 (*out untouched).
 */
int	text_parse_bool(const char *s, unsigned flags, int *out);

/*
 * A whole number in decimal, "0" to "18446744073709551615": a digit
 * first (no sign, no space), nothing after it, min <= value <= max.  Sets
 * *out and returns 0, or returns -1 (*out untouched).
 */
int	text_parse_uint(const char *s, uint64_t min, uint64_t max,
	    uint64_t *out);

/* 1 for a name of letters, digits, '_', '-' and '.' (not empty), else 0. */
int	text_is_ident(const char *s);
/*
 * 1 for an environment variable's name: letters, digits and '_', no digit
 * first, not empty ("LAB_BMC_PASSWORD"); else 0.
 */
int	text_is_env_name(const char *s);

/*
 * Edit distance counting a swap of neighbours as one edit (bacth, batch);
 * SIZE_MAX when either word is longer than 64 bytes.
 */
size_t	text_edit_distance(const char *a, const char *b);

/*
 * The candidate close enough to word to be what was meant, or NULL: one
 * edit for short words, two from six letters on, or a shared start of
 * four ("verify" for "verify_time"; "cipher" for cipher_suite), the whole
 * of either word, for words of three letters and more.  The nearest wins;
 * a tie goes to the longer shared start ("of" is "off"), then to the
 * first.  cand holds ncand words or ends at a NULL before that (ncand may
 * be SIZE_MAX).  The result points into cand.
 */
const char *text_suggest(const char *word, const char *const *cand,
	    size_t ncand);

/*
 * " (did you mean 'X'?)" into buf (len bytes, terminated, truncated) when
 * text_suggest finds X, else "".  Returns buf.
 */
char	*text_did_you_mean(char *buf, size_t len, const char *word,
	    const char *const *cand, size_t ncand);

/*
 * A name and the bits it stands for: a table of them names the flags of a
 * list option (bmcfleet's workarounds, bmcsim's quirks).  A name may stand
 * for several bits (a group).
 */
struct text_flag {
	const char	*name;
	uint32_t	 bits;
};

enum {
	TEXT_FLAGS_SKIP_EMPTY = 1 << 0,	/* "a,,b", ",a": empty entries pass */
};

/* The bits of name in the n entries of t, 0 when it is none of them. */
uint32_t text_flag_bits(const struct text_flag *t, size_t n,
	    const char *name);
/* The i-th name of t (0-based), NULL past the n-th: for suggestions. */
const char *text_flag_name(const struct text_flag *t, size_t n, size_t i);

/*
 * A comma-separated list of names of t ("authcap,intel20") into the OR of
 * their bits in *bits (0 for an empty list with TEXT_FLAGS_SKIP_EMPTY).
 * 0, or -1 with the entry at fault at *bad, *badlen bytes long (it is not
 * terminated): an unknown name, or an empty entry (*badlen 0) unless
 * flags has TEXT_FLAGS_SKIP_EMPTY.  *bits is set only on success.
 */
int	text_parse_flags(const char *list, const struct text_flag *t,
	    size_t n, unsigned flags, uint32_t *bits, const char **bad,
	    size_t *badlen);

#endif
