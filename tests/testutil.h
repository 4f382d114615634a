/* testutil.h -- helpers shared by the test suites: run the courtdocs program,
 * capture its output, read PDFs back as text (pdftotext, pdf.js), make
 * scratch directories, fixture stores and the demo's documents, and build
 * cases in C (no store, no XML) for the suites that test the rules and the
 * facts on hand-worked figures. Each tests/test_NAME.c defines
 * `Suite *NAME_suite(void)`; the Makefile collects them into one runner. */
#ifndef CD_TESTUTIL_H
#define CD_TESTUTIL_H
#include <check.h>
#include <stddef.h>
#include <string.h>
#include "model.h"

/* A fresh empty directory under build tmp (removed by tu_cleanup at exit). */
const char *tu_tmpdir(void);
/* tu_path("x.db") -> "<tmpdir>/x.db" in a static ring of 8 buffers: the
 * path stays valid through the next 7 tu_path calls (tu_run and the PDF
 * text helpers take none); copy a path a test keeps longer. A name too long
 * for the buffer fails the test. */
const char *tu_path(const char *name);
/* Runs a shell command line; returns its exit status (0..255), or -1.
 * stdout and stderr are captured into the returned static buffers. */
int tu_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *tu_out(void);   /* stdout of the last tu_run */
const char *tu_err(void);   /* stderr of the last tu_run */
/* The program under test (CD_BIN, default build/courtdocs). */
const char *tu_bin(void);
/* Text of a PDF via `pdftotext -layout` (malloc'd, NUL-terminated; NULL on failure).
 * tu_out()/tu_err() still give the output of the run before it. */
char *tu_pdf_text(const char *pdf);
/* The same in reading order (`pdftotext -raw`): text drawn over the page,
 * such as a DRAFT overprint, does not break the lines under it. Pages are
 * separated by form feeds. */
char *tu_pdf_raw_text(const char *pdf);
/* A new store at tu_path(name) (a store there before, with its -wal and
 * -shm files, is removed first) holding the records of files (one or more
 * paths as shell words, quoted where they need it), imported by the program
 * under test (import --create -q); a failed import fails the test, quoting
 * its stderr. Returns the store's path, kept to the end of the process
 * (not in tu_path's ring). */
const char *tu_store(const char *name, const char *files);
/* The demo caseload's documents rendered as of 2 November 2026 (CD_TODAY)
 * into the folder tu_path(name), its store at tu_path("NAME.db") (*db when
 * db is not NULL); returns the folder. Both paths are kept to the end of
 * the process. For a suite's unchecked fixture: rendered once, read by
 * every test. */
const char *tu_demo(const char *name, const char **db);
/* Writes text to path (overwriting). */
void tu_write_file(const char *path, const char *text);
/* Reads a whole file (malloc'd) or NULL. */
char *tu_read_file(const char *path, size_t *len);
/* Number of non-overlapping occurrences of needle in hay. */
int tu_count(const char *hay, const char *needle);
/* Collapses every run of white space to one space, in place (so that
 * phrases pdftotext breaks over lines or pads into columns still match);
 * returns s. */
char *tu_squeeze(char *s);
/* The template validity key of text (as template.c names its markers and
 * templates/checked lists them): the SHA-256 of the SHA-256 of the schema
 * file at schema and of text, as hex. */
void tu_template_key(const char *schema, const char *text, char key[65]);

/* pdf.js, through the suite's one harness tests/pdfjs/pdfjs.mjs (pdfjs-dist
 * pinned in tests/pdfjs/package-lock.json). tu_pdfjs_ready: 1 when node and
 * pdfjs-dist are there; otherwise 0, after one line on stderr, "SUITE: node
 * or pdfjs-dist missing (npm ci in tests/pdfjs, or scripts/deps.sh); WHAT
 * skipped", so a skip is seen. tu_pdfjs runs the harness in mode "text" or
 * "structure" on pdf, opening it with password (NULL: none; no quote
 * characters) and returns its exit status (2: the PDF cannot be opened
 * without the right password), its output in tu_out(). */
int tu_pdfjs_ready(const char *suite, const char *what);
int tu_pdfjs(const char *mode, const char *pdf, const char *password);

/* ---- building cases in C ----------------------------------------------------
 * A case built here lives in its own arena (free it with cd_case_free);
 * records are added in date order, as the store loads them. Every adder
 * returns the record it added, which stays where it is while the case
 * lives (the lists never move), so a test may fill in more fields later. A
 * case holds up to TU_CASE_RECORDS appointments and drug tests and up to
 * TU_CASE_OTHERS warnings, decisions, breaches, reviews and notes; a test
 * that adds more fails, saying so (nothing is cut short silently). */
#define TU_CASE_RECORDS 2048
#define TU_CASE_OTHERS 256

/* "YYYY-MM-DD" as a cd_date; a test written with an impossible date fails. */
cd_date tu_date(const char *ymd);
/* A case, ref TEST/1, of person P1 "Zed Example" (male, born 15 March
 * 1992), with order O1 of type and intensity made on made for months,
 * monthly review hearings, at Example Crown Court before HHJ Example;
 * made == NULL: no order (a case at the PSR stage). */
cd_case *tu_case_new(cd_order_type type, cd_intensity intensity, const char *made, int months);
/* An appointment of minutes on date, of kind, with outcome (no time). */
cd_appointment *tu_appt(cd_case *c, const char *id, const char *date, int minutes,
                        cd_appt_kind kind, cd_appt_outcome outcome);
/* A drug test on date with status, no results yet (add them with tu_result). */
cd_drug_test *tu_drug_test(cd_case *c, const char *id, const char *date, cd_test_status status);
/* A result for substance s on test t (one per substance at the most). */
void tu_result(cd_drug_test *t, cd_substance s, cd_result_outcome outcome, cd_confirmation conf,
               bool prescribed);
/* A warning given on date for the failures listed ("A2 A3"). */
cd_warning *tu_warning(cd_case *c, const char *id, const char *date, const char *failures,
                       const char *text);
/* A decision on date that the missed tests listed ("T1 T2") are failures. */
cd_failure_decision *tu_decision(cd_case *c, const char *id, const char *date, const char *tests);
/* Breach proceedings initiated on a date for the failures listed, heard on
 * heard (NULL: not yet heard), with outcome. */
cd_breach *tu_breach(cd_case *c, const char *id, const char *initiated, const char *heard,
                     const char *failures, cd_breach_outcome outcome);
/* A review hearing on date (order continued) fixing next (NULL: none). */
cd_review *tu_review(cd_case *c, const char *date, const char *next);
/* An imported note of kind on date by "Officer One". */
cd_note *tu_note(cd_case *c, cd_note_kind kind, const char *date, const char *text);

/* Two cases the rules and the facts suites both work by hand, each a DTTO
 * of high intensity made Wednesday 3 June 2026 for 12 months (week 1 is
 * Wed 3 - Tue 9 June).
 * tu_case_week_one: week 1's appointments: A1 attended 120 minutes (3
 *   June, probation), A2 late 60 (4 June), A3 absent without excuse 60 (5
 *   June), A4 absent with one 90 (6 June), A5 pending 60 (8 June), the last
 *   four treatment: 3 hours of contact on 2 days.
 * tu_case_prescribed_methadone: drug test T1 on 4 June, methadone positive
 *   on prescription and opiates negative; the test goes on with T2. */
cd_case *tu_case_week_one(void);
cd_case *tu_case_prescribed_methadone(void);

/* Asserts that text t holds (or does not hold) s; a failure quotes at most
 * 300 bytes around it (Check's messages are short). */
#define HAS(t, s) ck_assert_msg(strstr((t), (s)) != NULL, "missing \"%s\" in: %.300s", (s), (t))
#define HASNT(t, s) ck_assert_msg(strstr((t), (s)) == NULL, "unexpected \"%s\" in: %.300s", (s), strstr((t), (s)))

#endif
