/*
 * fuzz_spool: what collector/spool.c finds when it opens a spool
 * directory left behind by a crash, an operator or a full disk: any file
 * names, partial and foreign batch files, temporaries, directories,
 * symbolic links and FIFOs.  Each input builds one such directory in a
 * private temporary directory (fuzz_tmp.h), emptied before the next.
 *
 * Input: entries separated by the byte 0x1E (RS).  An entry's first line
 * is a kind letter and a name; the rest is the file's content, or the
 * link's target:
 *	f NAME	regular file		d NAME	directory
 *	l NAME	symbolic link		p NAME	FIFO
 * '/' and NUL in names and targets become '_', so nothing points or
 * leads outside the directory; ".", ".." and empty names are skipped.
 * At most MAX_ENTS entries.  Example: "f0000000000000001.batch\n
 * BMCFLEET-BATCH 1\n\x1eftmp.0000000000000002\n...".
 *
 * What must hold once spool_open accepts the directory: the index is in
 * ascending order without duplicates or 0, next_seq is past every entry,
 * used is the sum of the sizes; every indexed batch is the regular file
 * spool_load will open (DIR/%016u.batch) with the size indexed, and every
 * such file is indexed; no temporary is left.  A batch put now gets a
 * number past every indexed one and is there, with its rows, after a
 * reopen.  Draining as the database writer does (load, else quarantine)
 * takes one batch off per step and ends empty.
 * Seeds: tests/fuzz/corpus/spool/.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/rows.h"
#include "collector/spool.h"
#include "tests/fuzz/fuzz_tmp.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define FUZZ_MAX_INPUT	65536
#define MAX_ENTS	32
#define SPOOL_MAX	(1u << 20)
#define RS		0x1e

static char sdir[PATH_MAX + 32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_tmp_init("fuzz_spool");
	snprintf(sdir, sizeof(sdir), "%s/spool", fuzz_tmp_dir);
	return 0;
}

/* n bytes of p as a name inside the spool directory, or 0 */
static int
name_of(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0 || n >= cap || n > NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = p[i] == '/' || p[i] == '\0' ? '_' : (char)p[i];
	out[n] = '\0';
	return strcmp(out, ".") != 0 && strcmp(out, "..") != 0;
}

static void
make_entry(const uint8_t *e, size_t n)
{
	const uint8_t *nl = memchr(e, '\n', n);
	size_t hl = nl != NULL ? (size_t)(nl - e) : n;
	const uint8_t *body = nl != NULL ? nl + 1 : e + n;
	size_t blen = (size_t)(e + n - body);
	char name[NAME_MAX + 1], target[NAME_MAX + 1], path[PATH_MAX + 300];

	if (hl < 2 || !name_of(name, sizeof(name), e + 1, hl - 1))
		return;
	snprintf(path, sizeof(path), "%s/%s", sdir, name);
	switch (e[0]) {
	case 'f':
		(void)fuzz_tmp_put(path, body, blen, 0600);
		break;
	case 'd':
		(void)mkdir(path, 0700);
		break;
	case 'l':
		if (name_of(target, sizeof(target), body, blen))
			(void)symlink(target, path);
		break;
	case 'p':
		(void)mkfifo(path, 0600);
		break;
	}
}

/* DIR/%016u.batch with seq != 0: what spool_put writes */
static int
canonical(const char *name, uint64_t *seq)
{
	if (strspn(name, "0123456789") != 16 || strcmp(name + 16, ".batch"))
		return 0;
	*seq = strtoull(name, NULL, 10);
	return *seq != 0;
}

static int
indexed(const struct spool *s, uint64_t seq)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ents[i].seq == seq)
			return 1;
	return 0;
}

/*
 * The index against the directory.  opened: spool_open just read it, so
 * every batch file in it is indexed (later a symbolic link that dangled
 * at open may come to point at a new batch).
 */
static void
check_index(const struct spool *s, int opened)
{
	char path[PATH_MAX + 300];
	struct dirent *de;
	struct stat st;
	uint64_t used = 0, seq;
	size_t i, files = 0;
	DIR *d;

	CHECK(spool_count(s) == s->n);
	CHECK(spool_oldest(s) == (s->n > 0 ? s->ents[0].seq : 0));
	for (i = 0; i < s->n; i++) {
		CHECK(s->ents[i].seq != 0);
		CHECK(i == 0 || s->ents[i - 1].seq < s->ents[i].seq);
		CHECK(s->ents[i].seq < s->next_seq);
		used += s->ents[i].bytes;
		snprintf(path, sizeof(path), "%s/%016" PRIu64 ".batch", sdir,
		    s->ents[i].seq);
		CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode));
		CHECK((uint64_t)st.st_size == s->ents[i].bytes);
	}
	CHECK(used == s->used);
	CHECK((d = opendir(sdir)) != NULL);
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", sdir, de->d_name);
		if (strncmp(de->d_name, "tmp.", 4) == 0)
			CHECK(lstat(path, &st) == 0 && S_ISDIR(st.st_mode));
		if (opened && canonical(de->d_name, &seq) &&
		    stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			CHECK(indexed(s, seq));
			files++;
		}
	}
	closedir(d);
	CHECK(!opened || files == s->n);
}

/* Put one batch, reopen, and find it again with its row. */
static void
put_and_reopen(struct spool *s)
{
	uint64_t seq, last = s->n > 0 ? s->ents[s->n - 1].seq : 0;
	char err[512];
	struct rows r;
	int rc;

	rows_init(&r);
	rows_start(&r, RT_POWER);
	rows_str(&r, "fuzz-bmc");
	rows_time_ms(&r, 1000);
	rows_bool(&r, 1);
	CHECK(rows_end(&r) == 0);
	rc = spool_put(s, &r, &seq, err, sizeof(err));
	rows_release(&r);
	/* a directory may squat on the next name: then it fails, cleanly */
	if (rc != 0)
		return;
	CHECK(seq > last);
	check_index(s, 0);
	CHECK(indexed(s, seq));
	spool_close(s);
	CHECK(spool_open(s, sdir, SPOOL_MAX, err, sizeof(err)) == 0);
	check_index(s, 1);
	CHECK(indexed(s, seq));
	rows_init(&r);
	CHECK(spool_load(s, seq, &r, err, sizeof(err)) == 0);
	CHECK(r.total == 1 && r.nrows[RT_POWER] == 1);
	rows_release(&r);
}

/* As the database writer does (collector/dbw.c next_batch). */
static void
drain(struct spool *s)
{
	char err[512];
	struct rows r;
	uint64_t seq;
	size_t n;

	rows_init(&r);
	while ((seq = spool_oldest(s)) != 0) {
		n = spool_count(s);
		if (spool_load(s, seq, &r, err, sizeof(err)) == 0)
			CHECK(spool_remove(s, seq) == 0);
		else if (spool_quarantine(s, seq) != 0)
			break;	/* "failed" is not a directory we can use */
		CHECK(spool_count(s) == n - 1);
		CHECK(!indexed(s, seq));
	}
	rows_release(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *rs;
	struct spool s;
	char err[512];
	int n = 0;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fuzz_tmp_empty();
	CHECK(mkdir(sdir, 0700) == 0);
	while (p < end && n++ < MAX_ENTS) {
		if ((rs = memchr(p, RS, (size_t)(end - p))) == NULL)
			rs = end;
		make_entry(p, (size_t)(rs - p));
		p = rs + 1;
	}
	if (spool_open(&s, sdir, SPOOL_MAX, err, sizeof(err)) != 0)
		return 0;
	check_index(&s, 1);
	put_and_reopen(&s);
	drain(&s);
	spool_close(&s);
	return 0;
}
