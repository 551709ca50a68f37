#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/sdrcache.h"
#include "collector/safefile.h"

#define MAGIC		"BMCFSDR1"
#define MAGIC_LEN	8
#define HDR_LEN		(MAGIC_LEN + 8)	/* magic, length, CRC */
#define MAX_ENTRY	(4 * 1024 * 1024)

uint32_t
sdrcache_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffU;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320U : c >> 1;
	}
	return ~c;
}

int
sdrcache_dir(const char *opt, char *out, size_t len)
{
	const char *e;
	int n;

	if (opt != NULL && *opt)
		n = snprintf(out, len, "%s", opt);
	else if ((e = getenv("BMCFLEET_SDR_CACHE")) != NULL && *e)
		n = snprintf(out, len, "%s", e);
	else if ((e = getenv("XDG_CACHE_HOME")) != NULL && *e == '/')
		n = snprintf(out, len, "%s/bmcfleet/sdr", e);
	else if ((e = getenv("HOME")) != NULL && *e == '/')
		n = snprintf(out, len, "%s/.cache/bmcfleet/sdr", e);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
sdrcache_profile_dir(const char *opt, char *out, size_t len)
{
	size_t n;

	if (sdrcache_dir(opt, out, len) != 0 || (n = strlen(out)) +
	    sizeof("/profile") > len)
		return -1;
	memcpy(out + n, "/profile", sizeof("/profile"));
	return 0;
}

void
sdrcache_name(const struct sdr_repo_id *k, char *out, size_t len)
{
	char key[SDR_REPO_KEY_MAX];

	sdr_repo_key(k, key, sizeof(key));
	for (char *p = key; *p; p++)
		if (*p == ':')
			*p = '-';
	snprintf(out, len, "%s.sdr", key);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
path_of(const char *dir, const struct sdr_repo_id *k, char *out,
    size_t len)
{
	char name[160];
	int n;

	sdrcache_name(k, name, sizeof(name));
	n = snprintf(out, len, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
sdrcache_load(const char *dir, const struct sdr_repo_id *k, uint8_t **buf,
    size_t *len)
{
	char path[4096];
	uint8_t hdr[HDR_LEN], *p = NULL;
	uint32_t n;
	FILE *f;

	*buf = NULL;
	*len = 0;
	char err[256];
	int fd;

	if (safefile_dir_ok(dir, err, sizeof(err)) != 0)
		return errno = EACCES, -1;
	if (path_of(dir, k, path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if ((f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return -1;
	}
	/* used: the bound drops the least recently used first */
	(void)futimens(fd, NULL);
	if (fread(hdr, 1, HDR_LEN, f) != HDR_LEN ||
	    memcmp(hdr, MAGIC, MAGIC_LEN) != 0 ||
	    (n = get32(hdr + MAGIC_LEN)) > MAX_ENTRY ||
	    (p = malloc(n ? n : 1)) == NULL || fread(p, 1, n, f) != n ||
	    fgetc(f) != EOF || sdrcache_crc32(p, n) != get32(hdr + 12)) {
		/* damaged (or from another version): forget it */
		fclose(f);
		free(p);
		unlink(path);
		return -1;
	}
	fclose(f);
	*buf = p;
	*len = n;
	return 0;
}

int
sdrcache_mkdirs(const char *dir)
{
	char tmp[4096];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp))
		return errno = ENAMETOOLONG, -1;
	memcpy(tmp, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) == -1 && errno != EEXIST)
			return -1;
		tmp[i] = i < n ? '/' : '\0';
	}
	return 0;
}

int
sdrcache_store(const char *dir, const struct sdr_repo_id *k,
    const uint8_t *buf, size_t len)
{
	char path[4096], tmp[4200], pre[4200], err[256];
	uint8_t hdr[HDR_LEN];
	int fd, saved;
	ssize_t w;

	if (len > MAX_ENTRY)
		return errno = EFBIG, -1;
	if (sdrcache_mkdirs(dir) == -1 || path_of(dir, k, path, sizeof(path)) == -1)
		return -1;
	if (safefile_dir_ok(dir, err, sizeof(err)) != 0)
		return errno = EACCES, -1;
	/* O_EXCL | O_NOFOLLOW under a name nobody can guess */
	snprintf(pre, sizeof(pre), "%s.tmp.", path);
	if ((fd = safefile_tmp(pre, tmp, sizeof(tmp))) == -1)
		return -1;
	memcpy(hdr, MAGIC, MAGIC_LEN);
	put32(hdr + MAGIC_LEN, (uint32_t)len);
	put32(hdr + 12, sdrcache_crc32(buf, len));
	if ((w = write(fd, hdr, HDR_LEN)) != HDR_LEN ||
	    (len > 0 && (w = write(fd, buf, len)) != (ssize_t)len) ||
	    close(fd) == -1) {
		saved = errno ? errno : EIO;
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		unlink(tmp);
		return errno = saved, -1;
	}
	if (rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		return errno = saved, -1;
	}
	return 0;
}

const struct sdrcache_limits sdrcache_limits_default = {
	SDRCACHE_MAX_AGE_S, SDRCACHE_MAX_ENTRIES, SDRCACHE_MAX_BYTES
};

/* n decimal digits or more (hex: hex digits) at *p, which moves past */
static int
span(const char **p, int hex, size_t min, size_t max)
{
	size_t n = 0;

	while ((hex ? isxdigit((unsigned char)**p) :
	    isdigit((unsigned char)**p)) && n < max + 1) {
		(*p)++;
		n++;
	}
	return n >= min && n <= max;
}

static int
lit(const char **p, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(*p, s, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int
sdrcache_name_kind(const char *name)
{
	const char *p = name;

	/* sdrcache_name: "%u-%u-%u.%02u-%08x-%u-%u-%u.sdr" (sdr_repo_key
	 * with '-' for ':'), the aux bytes in lowercase hex */
	if (!span(&p, 0, 1, 10) || !lit(&p, "-") || !span(&p, 0, 1, 5) ||
	    !lit(&p, "-") || !span(&p, 0, 1, 3) || !lit(&p, ".") ||
	    !span(&p, 0, 2, 3) || !lit(&p, "-") || !span(&p, 1, 8, 8) ||
	    !lit(&p, "-") || !span(&p, 0, 1, 5) || !lit(&p, "-") ||
	    !span(&p, 0, 1, 10) || !lit(&p, "-") || !span(&p, 0, 1, 10) ||
	    !lit(&p, ".sdr"))
		return 0;
	if (*p == '\0')
		return 1;
	/* safefile_tmp's suffix: six of [A-Za-z0-9] */
	if (!lit(&p, ".tmp."))
		return 0;
	for (int i = 0; i < 6; i++, p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return *p == '\0' ? 2 : 0;
}

struct centry {
	char		name[128];
	struct timespec	t;
	uint64_t	bytes;
};

static int
centry_cmp(const void *a, const void *b)
{
	const struct centry *x = a, *y = b;

	if (x->t.tv_sec != y->t.tv_sec)
		return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
	if (x->t.tv_nsec != y->t.tv_nsec)
		return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
sdrcache_prune(const char *dir, const struct sdrcache_limits *lim,
    time_t now)
{
	struct centry *v = NULL, *nv;
	size_t n = 0, cap = 0, len, keep;
	uint64_t bytes = 0;
	struct dirent *de;
	struct stat st;
	char err[256];
	int dfd, kind, removed = 0;
	DIR *d;

	if (safefile_dir_ok(dir, err, sizeof(err)) != 0)
		return errno = EACCES, -1;
	if ((d = opendir(dir)) == NULL)
		return -1;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len >= sizeof(v->name) ||
		    (kind = sdrcache_name_kind(de->d_name)) == 0 ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (kind == 2) {
			/* a store that died between open and rename */
			if (st.st_mtim.tv_sec + SDRCACHE_TMP_AGE_S < now &&
			    unlinkat(dfd, de->d_name, 0) == 0)
				removed++;
			continue;
		}
		if (lim->max_age_s > 0 &&
		    (uint64_t)st.st_mtim.tv_sec + lim->max_age_s <
		    (uint64_t)now) {
			if (unlinkat(dfd, de->d_name, 0) == 0)
				removed++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		memcpy(v[n].name, de->d_name, len + 1);
		v[n].t = st.st_mtim;
		v[n].bytes = (uint64_t)st.st_size;
		bytes += v[n].bytes;
		n++;
	}
	/* the least recently used first, until both bounds hold */
	if (n > 0)
		qsort(v, n, sizeof(*v), centry_cmp);
	keep = n;
	for (size_t i = 0; i < n &&
	    ((lim->max_entries > 0 && keep > lim->max_entries) ||
	    (lim->max_bytes > 0 && bytes > lim->max_bytes)); i++) {
		if (unlinkat(dfd, v[i].name, 0) == 0)
			removed++;
		keep--;
		bytes -= v[i].bytes;
	}
	closedir(d);
	free(v);
	return removed;
}
