/*
 * batchsql: see batchsql.h.  Pure: memory only.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "batchsql.h"

int
batch_days(const struct rows_buf *b, char days[][11])
{
	const char *p = b->p, *end;
	int n = 0;

	if (b->len == 0)
		return 0;
	end = b->p + b->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *f = p;
		int j;

		if (nl == NULL)
			return -1;
		for (int tabs = 0; tabs < 2; tabs++)
			if ((f = memchr(f, '\t', (size_t)(nl - f))) == NULL)
				return -1;
			else
				f++;
		if (nl - f < 10)
			return -1;
		for (int k = 0; k < 10; k++)
			if (k == 4 || k == 7 ? f[k] != '-' :
			    (f[k] < '0' || f[k] > '9'))
				return -1;
		for (j = 0; j < n && memcmp(days[j], f, 10) != 0; j++)
			;
		if (j == n) {
			if (n == BATCH_DAYS)
				return -1;
			memcpy(days[n], f, 10);
			days[n++][10] = '\0';
		}
		p = nl + 1;
	}
	return n;
}

/* s[0..n) is a bigint as PostgreSQL reads one: an optional '-' when
 * neg_ok, then 1-19 digits, in range */
static int
is_bigint(const char *s, size_t n, int neg_ok)
{
	char v[24], *e;
	size_t k = neg_ok && n > 0 && s[0] == '-' ? 1 : 0;
	long long x;

	if (n <= k || n - k > 19)
		return 0;
	for (size_t i = k; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(v, s, n);
	v[n] = '\0';
	errno = 0;
	x = strtoll(v, &e, 10);
	(void)x;
	return errno == 0 && *e == '\0';
}

int
batch_claims(const struct rows_buf *b, char **claims, char **unknown)
{
	const char *p = b->p, *end = b->p + b->len;
	size_t nc = 0, nu = 0;

	/* each row's output is no longer than the row */
	*claims = malloc(b->len + 1);
	*unknown = malloc(b->len + 1);
	if (*claims == NULL || *unknown == NULL)
		goto bad;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *tab = nl ? memchr(p, '\t', (size_t)(nl - p)) : NULL;
		const char *d;

		if (tab == NULL || !is_bigint(p, (size_t)(tab - p), 0))
			goto bad;
		d = tab + 1;
		if (nl - d == 2 && d[0] == '\\' && d[1] == 'N') {
			if (nu > 0)
				(*unknown)[nu++] = ',';
			memcpy(*unknown + nu, p, (size_t)(tab - p));
			nu += (size_t)(tab - p);
			d = nl;
		} else if (!is_bigint(d, (size_t)(nl - d), 1))
			goto bad;
		if (nc > 0)
			(*claims)[nc++] = ',';
		memcpy(*claims + nc, p, (size_t)(tab - p));
		nc += (size_t)(tab - p);
		(*claims)[nc++] = ':';
		memcpy(*claims + nc, d, (size_t)(nl - d));
		nc += (size_t)(nl - d);
		p = nl + 1;
	}
	(*claims)[nc] = '\0';
	(*unknown)[nu] = '\0';
	return 0;
bad:
	free(*claims);
	free(*unknown);
	*claims = *unknown = NULL;
	return -1;
}
