/* out: small helpers for the command line's table and JSON output. */
#ifndef BMCFLEET_CLI_OUT_H
#define BMCFLEET_CLI_OUT_H

#include <stdio.h>

/* Write s as a JSON string literal, quotes included (lib/json escapes). */
void	out_json_str(FILE *, const char *s);

/*
 * Write s as one CSV field (RFC 4180: quoted when it holds a comma, a
 * quote or a line break).  With text set (a field from a BMC or the
 * operator, not a number), a field starting with =, +, -, @, tab or
 * carriage return is written as '... and quoted, so a spreadsheet opening
 * the file shows it instead of running it as a formula.  NULL writes
 * nothing (an empty field).
 */
void	out_csv_field(FILE *, const char *s, int text);

#endif
