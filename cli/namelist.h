/*
 * namelist: the comma lists of words an option takes (--state
 * warning,critical; --severity info), one grammar for every command that
 * takes one: direct mode's sensors and sel list, and the reports.
 */
#ifndef BMCFLEET_CLI_NAMELIST_H
#define BMCFLEET_CLI_NAMELIST_H

#include <stddef.h>

/* The words of one list and how they read. */
struct namelist {
	const char	*what;		/* "state", for messages */
	const char	*choices;	/* "nominal, warning, critical, na" */
	int		(*parse)(const char *);	/* a word's number (0-31),
						   or -1 */
	const char	*(*name)(int);	/* the number's canonical word */
};

/* Sensor health (ipmi/sensor.h) and SEL severity (ipmi/sel.h). */
extern const struct namelist namelist_health;
extern const struct namelist namelist_severity;

/*
 * list (opt's value: a comma list of l's words, any case, repeats
 * allowed) into *mask: bit k for each word that parses as k.  Returns 0,
 * or -1 with a message in err:
 *	"OPT: unknown WHAT 'WORD' (CHOICES)"
 *	"OPT 'LIST': expected a list of CHOICES"	(an empty list, or an
 *							empty or overlong word)
 */
int	namelist_mask(const struct namelist *l, const char *opt,
	    const char *list, unsigned *mask, char *err, size_t errlen);

/*
 * The canonical words of mask's bits, lowest first, into out (at most
 * cap); returns how many.  The words are static.
 */
size_t	namelist_words(const struct namelist *l, unsigned mask,
	    const char **out, size_t cap);

/*
 * The canonical words of mask's bits as prose, into out (cut to len):
 * "critical", "warning or critical", "nominal, warning or na"; with
 * conj "and" for the other reading.  Returns out.
 */
char	*namelist_join(const struct namelist *l, unsigned mask,
	    const char *conj, char *out, size_t len);

#endif
