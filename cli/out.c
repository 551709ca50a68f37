#include <string.h>

#include "cli/out.h"
#include "lib/gbuf.h"
#include "lib/json.h"

void
out_json_str(FILE *f, const char *s)
{
	struct gbuf b = GBUF_INIT;

	/* lib/json's escaping: the one place JSON strings are made */
	json_escape(&b, s, strlen(s));
	fputs(gbuf_str(&b), f);
	gbuf_release(&b);
}

void
out_csv_field(FILE *f, const char *s, int text)
{
	int formula;

	if (s == NULL)
		return;
	formula = text && *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
	if (*s != '\0' && !formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
