/* testutil.h -- helpers shared by the test suites: run the courtdocs program,
 * capture its output, read PDFs back as text (pdftotext), make scratch
 * directories. Each tests/test_NAME.c defines `Suite *NAME_suite(void)`; the
 * Makefile collects them into one runner. */
#ifndef CD_TESTUTIL_H
#define CD_TESTUTIL_H
#include <check.h>
#include <stddef.h>
#include <string.h>

/* A fresh empty directory under build tmp (removed by tu_cleanup at exit). */
const char *tu_tmpdir(void);
/* tu_path("x.db") -> "<tmpdir>/x.db" in a static ring of buffers. */
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

/* Asserts that text t holds (or does not hold) s; a failure quotes at most
 * 300 bytes around it (Check's messages are short). */
#define HAS(t, s) ck_assert_msg(strstr((t), (s)) != NULL, "missing \"%s\" in: %.300s", (s), (t))
#define HASNT(t, s) ck_assert_msg(strstr((t), (s)) == NULL, "unexpected \"%s\" in: %.300s", (s), strstr((t), (s)))

#endif
