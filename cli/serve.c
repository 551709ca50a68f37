/*
 * serve: bmcfleetd's listener and its routes (see serve.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/serve.h"

int
serve_open(struct collect *co, struct serve **out, char *err, size_t errlen)
{
	(void)co;
	(void)err;
	(void)errlen;
	*out = NULL;
	return 0;
}

void
serve_reload(struct serve *srv)
{
	(void)srv;
}

void
serve_close(struct serve *srv)
{
	if (srv == NULL)
		return;
	free(srv->token_file);
	free(srv->listen);
	free(srv);
}
