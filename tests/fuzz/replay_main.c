/*
 * replay_main: run a libFuzzer target over files without libFuzzer, so
 * `make check` replays the seed corpus with any compiler (and under ASan
 * and UBSan with SANITIZE=1).
 *
 *   fuzz_X-replay FILE...
 *
 * Each file is read whole into a buffer of exactly its size, so an
 * over-read shows under ASan as it would under libFuzzer.  Exits 0 after
 * "replayed N inputs"; 1 when a file cannot be read.  A crash in the
 * target is the failure that matters: it kills the process.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
/* optional in a target; weak, so a target without it links */
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f;
	uint8_t *p = NULL, *q;
	size_t n = 0, cap = 0, r;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((q = realloc(p, cap)) == NULL)
				goto fail;
			p = q;
		}
		r = fread(p + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	/* exactly n bytes, so reading one past the end is caught */
	if ((q = malloc(n > 0 ? n : 1)) == NULL) {
		free(p);
		return NULL;
	}
	if (n > 0)
		memcpy(q, p, n);
	free(p);
	*len = n;
	return q;
fail:
	free(p);
	fclose(f);
	return NULL;
}

int
main(int argc, char **argv)
{
	uint8_t *data;
	size_t len;
	int i, n = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if ((data = read_file(argv[i], &len)) == NULL) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			return 1;
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		n++;
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
