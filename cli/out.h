/* out: small helpers for the command line's table and JSON output. */
#ifndef BMCFLEET_CLI_OUT_H
#define BMCFLEET_CLI_OUT_H

#include <stdio.h>

/* Write s as a JSON string literal, quotes included. */
void	out_json_str(FILE *, const char *s);

#endif
