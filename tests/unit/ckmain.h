/*
 * ckmain: the main() every Check suite has: run the suite (CK_FORK as the
 * environment says), exit 0 only when every test passed.
 *
 *	int main(void) { return ck_main(foo_suite()); }
 */
#ifndef BMCFLEET_TESTS_CKMAIN_H
#define BMCFLEET_TESTS_CKMAIN_H

#include <check.h>
#include <stdlib.h>

static inline int
ck_main(Suite *s)
{
	SRunner	*sr;
	int	 nfail;

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
