/* run_tests.c -- the single Check runner: every tests/test_NAME.c provides
 * NAME_suite(), listed by the Makefile in suites.inc. Prints Check's summary
 * line ("100%: Checks: N, Failures: 0, Errors: 0"); exits non-zero on any
 * failure. CD_SUITE=NAME runs one suite. */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE(n) Suite *n##_suite(void);
#include "suites.inc"
#undef SUITE

void tu_cleanup(void);

int main(void)
{
    const char *only = getenv("CD_SUITE");
    SRunner *sr = NULL;
#define SUITE(n) \
    if (!only || strcmp(only, #n) == 0) { \
        if (!sr) sr = srunner_create(n##_suite()); else srunner_add_suite(sr, n##_suite()); }
#include "suites.inc"
#undef SUITE
    if (!sr) { fprintf(stderr, "no suite named %s\n", only); return 2; }
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    tu_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
