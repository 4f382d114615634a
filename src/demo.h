/* demo.h -- the built-in synthetic demo caseload: a deterministic generator
 * of case-record XML (the import format, shared spec case-records.md) that
 * exercises every rule of the National Standard and its later profiles, with
 * realistic proportions. `courtdocs demo` imports it and renders the showcase
 * cases; the benchmarks generate large caseloads with it. docs/demo.md says
 * which case ref shows which rule.
 *
 * The same parameters always give byte-identical XML: the generator has its
 * own PRNG (splitmix64), never reads the clock, and draws each case from a
 * stream seeded by (seed, case number), so case DEMO/0007 is the same case
 * whether 10 or 10,000 cases are asked for.
 */
#ifndef CD_DEMO_H
#define CD_DEMO_H
#include <stdint.h>
#include <stdio.h>
#include "courtdocs.h"
#include "model.h"

#define CD_DEMO_DEFAULT_CASES 72
#define CD_DEMO_DEFAULT_SEED 1
#define CD_DEMO_DEFAULT_AS_OF "2026-11-02"   /* fixed, so `make demo` is the same every day */
#define CD_DEMO_MAX_CASES 1000000
#define CD_DEMO_MAX_VOLUME 20

typedef struct cd_demo_params {
    long cases;          /* number of cases, 1..CD_DEMO_MAX_CASES (default 72) */
    uint64_t seed;       /* PRNG seed (default 1) */
    cd_date as_of;       /* the export date: no record is dated after it */
    int order_months;    /* benchmarks: every order this many months (6..36); 0 = drawn */
    int volume;          /* benchmarks: records per order week multiplied (1..20; default 1) */
} cd_demo_params;

/* Fills p with the defaults above. */
void cd_demo_params_default(cd_demo_params *p);

/* Writes the whole caseload as one <case-records> document to out, one case
 * at a time (memory does not grow with the number of cases). Returns CD_OK,
 * CD_EUSAGE for parameters out of range, CD_EGENERAL on a write error. */
int cd_demo_write_records(FILE *out, const cd_demo_params *p, cd_error *err);

/* The same, to the file at path: written to a temporary file beside it
 * (mode 0600), then renamed into place; nothing is left on failure. */
int cd_demo_write_records_file(const char *path, const cd_demo_params *p, cd_error *err);

/* The offender manager of case number n (1-based) under p: the officer who
 * signs the notes written for the case. A static string. */
const char *cd_demo_case_officer(const cd_demo_params *p, long n);

/* The case ref of case number n (1-based): "DEMO/0001". out: 32 bytes. */
void cd_demo_case_ref(long n, char *out, size_t size);

/* The showcase cases `courtdocs demo` renders: fixed refs (present whenever
 * at least that many cases are generated), what each shows, and the
 * documents worth rendering for it. */
#define CD_DEMO_SHOW_REVIEW 1
#define CD_DEMO_SHOW_PSR    2
#define CD_DEMO_SHOW_BREACH 4
typedef struct cd_demo_showcase {
    const char *ref;
    int documents;         /* CD_DEMO_SHOW_* bits */
    const char *shows;     /* one line: what the case demonstrates */
} cd_demo_showcase;

/* The showcase list, count in *n. */
const cd_demo_showcase *cd_demo_showcases(size_t *n);

/* The scripted cases: the first cd_demo_scripted_count() refs are fixed
 * scenarios, each named by cd_demo_scripted_title(i) (0-based), listed in
 * docs/demo.md; later refs are drawn at random from realistic proportions. */
size_t      cd_demo_scripted_count(void);
const char *cd_demo_scripted_title(size_t i);

#endif
