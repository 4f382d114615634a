/* test_safety.c -- nothing lost, nothing leaked (issue 18): long lists and
 * texts come out whole, every document on disk has its audit row and index
 * line whatever instant a signal arrives, messages never carry record
 * content, inputs that are not UTF-8 XML files are refused, special files
 * are neither read nor replaced, templates have an evaluation budget,
 * characters the fonts lack are reported, and a store is only created when
 * asked. Fixtures too big to keep are made here. */
#include "testutil.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AS_OF "CD_TODAY=2026-11-02 "

static const char HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<case-records xmlns=\"urn:courtdocs:case-records:1\" exported=\"2026-11-02T08:00:00Z\">\n";

/* A case under dtto-2004 (made 1 June 2026, 12 months) with, by hand:
 * - 300 tests all missed on Monday 5 October 2026, named by warnings W2
 *   and W3 of 6 October (150 each: an attribute holds at most 4096 bytes),
 *   so judged failures: ONE failure (one day) with 300 records, LAB-20261005-001 .. LAB-20261005-300 (17 bytes each
 *   with the space: 5,099 bytes of ids, far past the old 255/511);
 * - 30 appointments absent-unacceptable on 1..30 September 2026, each its
 *   own failure, all answered by one warning W1 (30 ids) and one breach
 *   B1 initiated 1 October 2026 (30 ids);
 * - test T40 on 6 October 2026 with 40 results, substance other named
 *   drug01 .. drug40, all positive: "drug01 positive, ..., drug40 positive"
 *   is 40 * 15 + 39 * 2 = 678 bytes. */
static const char *big_lists_file(void)
{
    static char path[512];
    snprintf(path, sizeof path, "%s", tu_path("big-lists.xml"));
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(HEAD, f);
    fputs("<case ref=\"SF/1\"><person id=\"P1\"><given-name>Ann</given-name><family-name>Example</family-name></person>\n"
          "<order id=\"O1\" type=\"DTTO\" intensity=\"high\" made=\"2026-06-01\" months=\"12\" court=\"Crown Court\" rules=\"dtto-2004\"><offence>Theft</offence></order>\n"
          "<appointments>\n", f);
    for (int d = 1; d <= 30; d++)
        fprintf(f, "<appointment id=\"A%d\" date=\"2026-09-%02d\" time=\"10:00\" minutes=\"60\" kind=\"probation\" "
                   "outcome=\"absent-unacceptable\"/>\n", d, d);
    fputs("</appointments>\n<drug-tests>\n", f);
    for (int i = 1; i <= 300; i++)
        fprintf(f, "<test id=\"LAB-20261005-%03d\" date=\"2026-10-05\" method=\"urine\" status=\"missed\"/>\n", i);
    fputs("<test id=\"T40\" date=\"2026-10-06\" method=\"urine\" status=\"tested\">", f);
    for (int i = 1; i <= 40; i++)
        fprintf(f, "<result substance=\"other\" name=\"drug%02d\" outcome=\"positive\"/>", i);
    fputs("</test>\n</drug-tests>\n<enforcement>\n<warning id=\"W1\" date=\"2026-10-01\" failure=\"", f);
    for (int d = 1; d <= 30; d++) fprintf(f, "%sA%d", d > 1 ? " " : "", d);
    fputs("\">Warned.</warning>\n<breach id=\"B1\" initiated=\"2026-10-01\" failures=\"", f);
    for (int d = 1; d <= 30; d++) fprintf(f, "%sA%d", d > 1 ? " " : "", d);
    /* the officer's warning naming the 300 missed tests makes them ONE
     * failure (a missed test alone is not a failure: docs/rules.md 7) */
    fputs("\" outcome=\"pending\"/>\n<warning id=\"W2\" date=\"2026-10-06\" failure=\"", f);
    for (int i = 1; i <= 150; i++) fprintf(f, "%sLAB-20261005-%03d", i > 1 ? " " : "", i);
    fputs("\">Warned.</warning>\n<warning id=\"W3\" date=\"2026-10-06\" failure=\"", f);
    for (int i = 151; i <= 300; i++) fprintf(f, "%sLAB-20261005-%03d", i > 151 ? " " : "", i);
    fputs("\">Warned.</warning>\n</enforcement>\n</case>\n</case-records>\n", f);
    fclose(f);
    return path;
}

/* Point 1: no list or text is cut short (facts and the breach pack). */
START_TEST(long_lists_whole)
{
    const char *xml = big_lists_file();
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("big-lists.db"));
    ck_assert_msg(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, xml) == 0, "%s", tu_err());
    ck_assert_int_eq(tu_run(AS_OF "%s facts --db '%s' --case SF/1 --kind breach --date 2026-11-02",
                            tu_bin(), db), 0);
    const char *out = tu_out();
    /* the failure of 5 October lists all 300 records, in order */
    char ids[6000] = "";
    size_t k = 0;
    for (int i = 1; i <= 300; i++)
        k += (size_t)snprintf(ids + k, sizeof ids - k, "%sLAB-20261005-%03d", i > 1 ? " " : "", i);
    char want[6100];
    snprintf(want, sizeof want, "records=\"%s\"", ids);
    HAS(out, want);
    /* the warning and the breach answer 30 failures each */
    char thirty[200] = "";
    k = 0;
    for (int d = 1; d <= 30; d++) k += (size_t)snprintf(thirty + k, sizeof thirty - k, "%sA%d", d > 1 ? " " : "", d);
    snprintf(want, sizeof want, "answers=\"%s\"", thirty);
    HAS(out, want);
    snprintf(want, sizeof want, "failures=\"%s\"", thirty);
    HAS(out, want);
    /* 40 results, the last one whole (the review's period holds T40) */
    ck_assert_int_eq(tu_run(AS_OF "%s facts --db '%s' --case SF/1 --kind review --date 2026-11-02",
                            tu_bin(), db), 0);
    HAS(tu_out(), "drug38 positive, drug39 positive, drug40 positive\"");
    /* and the breach pack shows the last id of the 300 */
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s", tu_path("big-lists.pdf"));
    ck_assert_msg(tu_run(AS_OF "%s breach --force --db '%s' --case SF/1 --date 2026-11-02 -o '%s'", tu_bin(), db, pdf) == 0,
                  "%s", tu_err());
    char *t = tu_pdf_text(pdf);
    ck_assert_ptr_nonnull(t);
    tu_squeeze(t);
    HAS(t, "1005-300");                      /* the id wraps in its table cell */
    free(t);
}
END_TEST

/* Point 8: only import --create (or demo) makes a store; a mistyped --db
 * for note or import is an error and leaves no file behind. */
START_TEST(store_made_only_when_asked)
{
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("typo.db"));
    ck_assert_int_eq(tu_run("echo 'Seen.' | %s note --db '%s' --case REV/1 --kind progress", tu_bin(), db), 4);
    HAS(tu_err(), "no case store there");
    HAS(tu_err(), "import --create");
    ck_assert_int_ne(tu_run("test -e '%s'", db), 0);
    ck_assert_int_eq(tu_run("%s import --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 4);
    ck_assert_int_ne(tu_run("test -e '%s'", db), 0);
    ck_assert_int_eq(tu_run("%s import --create --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 0);
    ck_assert_int_eq(tu_run("test -f '%s'", db), 0);
    /* the store now exists: a later import needs no --create */
    ck_assert_int_eq(tu_run("%s import --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 0);
}
END_TEST

/* A copy of the review fixture with from replaced by to (first occurrence). */
static const char *review_variant(const char *name, const char *from, const char *to)
{
    size_t len;
    char *x = tu_read_file("tests/fixtures/review/review.xml", &len);
    ck_assert_ptr_nonnull(x);
    char *at = strstr(x, from);
    ck_assert_msg(at != NULL, "no %s in the review fixture", from);
    static char path[4][512];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 512, "%s", tu_path(name));
    FILE *f = fopen(p, "wb");
    fwrite(x, 1, (size_t)(at - x), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(x);
    return p;
}

/* Expects the import of file into a fresh store to be refused (exit 3)
 * with needle on stderr, and nothing stored. */
static void import_refused(const char *file, const char *needle)
{
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("refused.db"));
    tu_run("rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
    int rc = tu_run("timeout 20 %s import --create --db '%s' '%s'", tu_bin(), db, file);
    ck_assert_msg(rc == 3, "%s: exit %d (%s)", file, rc, tu_err());
    HAS(tu_err(), needle);
    HAS(tu_err(), "nothing was imported");
    ck_assert_int_eq(tu_run("%s cases --db '%s' --csv", tu_bin(), db), 0);
    ck_assert_str_eq(tu_out(), "case_ref,name,order,week,next_review\n");
}

/* Point 4: UTF-8 XML files only; refs and ids printable; the export time
 * strict. Point 5: a FIFO is refused at once (not read, no lock held). */
START_TEST(only_utf8_xml_files)
{
    const char *xml = "tests/fixtures/review/review.xml";
    char gz[512], u16[512], fifo[512];
    snprintf(gz, sizeof gz, "%s", tu_path("review.xml.gz"));
    snprintf(u16, sizeof u16, "%s", tu_path("review-utf16.xml"));
    snprintf(fifo, sizeof fifo, "%s", tu_path("records.fifo"));
    ck_assert_int_eq(tu_run("gzip -c %s > '%s'", xml, gz), 0);
    import_refused(gz, "compressed (gzip)");
    ck_assert_int_eq(tu_run("iconv -f UTF-8 -t UTF-16 %s > '%s'", xml, u16), 0);
    import_refused(u16, "UTF-16");
    ck_assert_int_eq(tu_run("iconv -f UTF-8 -t UTF-16LE %s > '%s'", xml, u16), 0);  /* no BOM */
    import_refused(u16, "UTF-16");
    import_refused(review_variant("latin1.xml", "encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""),
                   "an encoding other than UTF-8");
    import_refused(review_variant("garbage-time.xml", "exported=\"2026-10-05T08:00:00Z\"", "exported=\"2026-10-05Tgarbage\""),
                   "needs exported=");
    import_refused(review_variant("newline-ref.xml", "ref=\"REV/1\"", "ref=\"REV&#10;1\""),
                   "the case ref holds a control character");
    import_refused(review_variant("tab-id.xml", "id=\"A1\"", "id=\"A&#9;1\""),
                   "holds a control character");
    HASNT(tu_err(), "A\t1");
    /* a FIFO: refused at once, not waited on (timeout 20 would give 124) */
    ck_assert_int_eq(tu_run("mkfifo '%s'", fifo), 0);
    import_refused(fifo, "not a regular file");
    import_refused(tu_tmpdir(), "is a folder");
    /* well-formed times are still fine */
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("times.db"));
    ck_assert_msg(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db,
                         review_variant("time-zone.xml", "exported=\"2026-10-05T08:00:00Z\"",
                                        "exported=\"2026-10-05T08:30:00.5+01:00\"")) == 0, "%s", tu_err());
}
END_TEST

/* Every PDF in dir has its index.csv line and its audit row (same sha256);
 * the folder is listed first, so a document renamed in afterwards cannot
 * be missed. Returns the number of PDFs. */
static int check_folder(const char *db, const char *dir, int it)
{
    char audit[512];
    snprintf(audit, sizeof audit, "%s", tu_path("audit-now.csv"));
    ck_assert_int_eq(tu_run("cd '%s' && ls *.pdf > ../pdfs.txt 2>/dev/null; true", dir), 0);
    ck_assert_int_eq(tu_run("%s audit --db '%s' --csv > '%s'", tu_bin(), db, audit), 0);
    int rc = tu_run("cd '%s' && n=0; while read f; do n=$((n+1)); h=$(sha256sum \"$f\" | cut -d' ' -f1); "
                    "grep -q \",$h,$f\" index.csv || echo \"no index line: $f\"; "
                    "grep -q \",$h,$(pwd -P)/$f\" '%s' || echo \"no audit row: $f\"; "
                    "done < ../pdfs.txt; echo \"pdfs $n\"", dir, audit);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(tu_out(), "no index line") == NULL && strstr(tu_out(), "no audit row") == NULL,
                  "iteration %d: %s", it, tu_out());
    const char *n = strstr(tu_out(), "pdfs ");
    ck_assert_ptr_nonnull(n);
    return atoi(n + 5);
}

/* Point 2: SIGTERM and kill -9 at varying moments against a batch (the
 * parent alone, or the whole process group: workers killed mid-document
 * too), ten times; after each, the folder, the audit and the index agree.
 * A later run removes the temporary files of killed ones, and audit
 * --verify reports nothing but rows whose file a kill -9 kept from
 * appearing. No time is asserted: the delays only vary where the signal
 * lands. */
START_TEST(signals_keep_the_audit_promise)
{
    char db[512], dir[512];
    snprintf(db, sizeof db, "%s", tu_path("kill.db"));
    snprintf(dir, sizeof dir, "%s", tu_path("kill-out"));
    ck_assert_int_eq(tu_run("%s import --create -q --db '%s' tests/fixtures/batch/due-2026-12.xml",
                            tu_bin(), db), 0);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "CD_TODAY=2026-11-20 exec %s batch --db '%s' --month 2026-12 --out '%s' -j 2 "
             ">/dev/null 2>&1", tu_bin(), db, dir);
    for (int it = 0; it < 10; it++) {
        /* the child must not run Check's SIGTERM handler (inherited until
         * exec: it signals its whole process group, this test included), so
         * SIGTERM stays blocked until the child has its own group and the
         * default action */
        sigset_t term, saved;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        sigprocmask(SIG_BLOCK, &term, &saved);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            setpgid(0, 0);
            signal(SIGTERM, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            sigprocmask(SIG_SETMASK, &saved, NULL);
            execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
            _exit(127);
        }
        setpgid(pid, pid);
        sigprocmask(SIG_SETMASK, &saved, NULL);
        long ms = (it * 37) % 400;               /* where the signal lands: 0 .. 0.4 s in */
        struct timespec d = { ms / 1000, (ms % 1000) * 1000000L };
        nanosleep(&d, NULL);
        int how = it % 3;                        /* SIGTERM; kill -9 the parent; kill -9 all */
        if (how == 0) kill(pid, SIGTERM);
        else if (how == 1) kill(pid, SIGKILL);
        else kill(-pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        /* the workers of a killed parent finish their document and stop */
        for (int k = 0; k < 3000 && (kill(-pid, 0) == 0 || errno != ESRCH); k++) {
            struct timespec w = { 0, 10000000L };
            nanosleep(&w, NULL);
        }
        if (tu_run("test -d '%s'", dir) == 0)
            check_folder(db, dir, it);
    }
    /* a whole run afterwards: every document, no temporary file left */
    ck_assert_msg(tu_run("CD_TODAY=2026-11-20 %s batch --db '%s' --month 2026-12 --out '%s' -j 2",
                         tu_bin(), db, dir) == 0, "%s", tu_err());
    ck_assert_int_eq(check_folder(db, dir, 10), 5);
    ck_assert_int_ne(tu_run("ls -A '%s' | grep -q '^\\.courtdocs-'", dir), 0);
    ck_assert_int_eq(tu_run("grep -c . '%s/index.csv'", dir), 0);
    ck_assert_str_eq(tu_out(), "6\n");                 /* the header and 5 documents */
    int rc = tu_run("%s audit --db '%s' --verify", tu_bin(), db);
    ck_assert_msg(rc == 0 || rc == 1, "audit --verify exited %d", rc);
    HASNT(tu_out(), "changed since");
    HAS(tu_out(), "files checked");
}
END_TEST

/* audit --verify: a file changed, a file gone. */
START_TEST(audit_verify_reports)
{
    char db[512], a[512], b[512];
    snprintf(db, sizeof db, "%s", tu_path("verify.db"));
    snprintf(a, sizeof a, "%s", tu_path("verify-a.pdf"));
    snprintf(b, sizeof b, "%s", tu_path("verify-b.pdf"));
    ck_assert_int_eq(tu_run("%s import --create -q --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 0);
    ck_assert_int_eq(tu_run(AS_OF "%s review --db '%s' --case REV/1 -o '%s'", tu_bin(), db, a), 0);
    ck_assert_int_eq(tu_run(AS_OF "%s review --db '%s' --case REV/1 -o '%s'", tu_bin(), db, b), 0);
    ck_assert_int_eq(tu_run("%s audit --db '%s' --verify", tu_bin(), db), 0);
    HAS(tu_out(), "2 files checked, 0 problems");
    ck_assert_int_eq(tu_run("echo x >> '%s' && rm '%s'", a, b), 0);
    ck_assert_int_eq(tu_run("%s audit --db '%s' --verify", tu_bin(), db), 1);
    HAS(tu_out(), "differs: ");
    HAS(tu_out(), "verify-a.pdf");
    HAS(tu_out(), "missing: ");
    HAS(tu_out(), "verify-b.pdf");
    HAS(tu_out(), "2 problems");
}
END_TEST

/* Point 5: -o never replaces a FIFO, a device or a link (to a device). */
START_TEST(output_regular_files_only)
{
    char db[512], fifo[512], link[512], folder[512];
    snprintf(db, sizeof db, "%s", tu_path("out.db"));
    snprintf(fifo, sizeof fifo, "%s", tu_path("out.fifo"));
    snprintf(link, sizeof link, "%s", tu_path("null-link.pdf"));
    snprintf(folder, sizeof folder, "%s", tu_path("a-folder"));
    ck_assert_int_eq(tu_run("%s import --create -q --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 0);
    ck_assert_int_eq(tu_run("mkfifo '%s' && ln -s /dev/null '%s' && mkdir '%s'", fifo, link, folder), 0);
    ck_assert_int_eq(tu_run("timeout 20 %s review --db '%s' --case REV/1 -o '%s'", tu_bin(), db, fifo), 2);
    HAS(tu_err(), "not a regular file");
    ck_assert_int_eq(tu_run("test -p '%s'", fifo), 0);             /* still a FIFO */
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 -o '%s'", tu_bin(), db, link), 2);
    HAS(tu_err(), "symbolic link");
    ck_assert_int_eq(tu_run("test -L '%s'", link), 0);             /* still the link */
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 -o /dev/null", tu_bin(), db), 2);
    ck_assert_int_eq(tu_run("test -c /dev/null"), 0);
    ck_assert_int_eq(tu_run("%s facts --db '%s' --case REV/1 -o '%s'", tu_bin(), db, link), 2);
    ck_assert_int_eq(tu_run("%s review --db '%s' --case REV/1 -o '%s'", tu_bin(), db, folder), 2);
    /* a killed run's temporary file goes; a running process's stays
     * (pid 1 always runs; 4194304 is above the largest pid Linux gives) */
    ck_assert_int_eq(tu_run("touch '%s/.courtdocs-4194304-dead01' '%s/.courtdocs-1-alive1'", folder, folder), 0);
    char inside[600];
    snprintf(inside, sizeof inside, "%s/review.pdf", folder);
    ck_assert_msg(tu_run("%s review --db '%s' --case REV/1 -o '%s'", tu_bin(), db, inside) == 0, "%s", tu_err());
    ck_assert_int_ne(tu_run("test -e '%s/.courtdocs-4194304-dead01'", folder), 0);
    ck_assert_int_eq(tu_run("test -e '%s/.courtdocs-1-alive1'", folder), 0);
    ck_assert_int_eq(tu_run("%s audit --db '%s' --csv", tu_bin(), db), 0);
    ck_assert_int_eq(tu_count(tu_out(), "\n"), 2);    /* the header and the one document written */
}
END_TEST

/* Point 3: messages never carry record content. Each variant plants the
 * word PLANTEDSECRET (or bytes libxml2 would quote in hex) where a bad
 * value goes; stderr must name the place, never the value, and never
 * "(null)". */
START_TEST(stderr_never_quotes_records)
{
    static const struct { const char *from, *to, *needle; } V[] = {
        { "outcome=\"attended\"", "outcome=\"PLANTEDSECRET note text\"", "outcome is not one of" },
        { "date=\"2026-06-02\"", "date=\"PLANTEDSECRET\"", "date is not a real date" },
        { "minutes=\"60\"", "minutes=\"PLANTEDSECRET\"", "minutes must be" },
        { "time=\"10:00\"", "time=\"PLANTEDSECRET\"", "time is not a time of day" },
        { "months=\"12\"", "months=\"PLANTEDSECRET\"", "months must be" },
        { "<given-name>", "<given-name>PLANTEDSECRET \xC3\x28 ", "not valid UTF-8" },
        { "<given-name>", "<given-name><!-- PLANTEDSECRET -- x -->", "not well-formed" },
        { "<given-name>", "<given-name><unknown-element>PLANTEDSECRET</unknown-element>", "case-record format" },
    };
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "planted-%zu.xml", i);
        char db[512];
        snprintf(db, sizeof db, "%s", tu_path("planted.db"));
        tu_run("rm -f '%s'", db);
        int rc = tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, review_variant(name, V[i].from, V[i].to));
        ck_assert_msg(rc == 3, "variant %zu: exit %d: %s", i, rc, tu_err());
        HAS(tu_err(), V[i].needle);
        HAS(tu_err(), ".xml:");                           /* names the file and line */
        HASNT(tu_err(), "PLANTEDSECRET");
        HASNT(tu_err(), "(null)");
        HASNT(tu_err(), "0xC3");
        HASNT(tu_err(), "Bytes");
    }
    /* a dangling reference: the list item by position, not its text */
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), tu_path("planted2.db"),
                            review_variant("planted-ref.xml", "<enforcement>",
                                           "<enforcement><warning id=\"WX\" date=\"2026-06-10\" "
                                           "failure=\"PLANTEDSECRET\">x</warning>")), 3);
    HASNT(tu_err(), "PLANTEDSECRET");
}
END_TEST

/* Point 7: a name in a script the fonts lack (Hebrew) is reported in a
 * batch, naming the case and the field (never the name), and the batch
 * exits 8; the same batch without it exits 0. */
START_TEST(missing_glyphs_reported)
{
    size_t len;
    char *x = tu_read_file("tests/fixtures/batch/due-2026-12.xml", &len);
    ck_assert_ptr_nonnull(x);
    char *at = strstr(x, "<given-name>Alan</given-name>");
    ck_assert_ptr_nonnull(at);
    char xml[512], db[512], dir[512];
    snprintf(xml, sizeof xml, "%s", tu_path("hebrew.xml"));
    snprintf(db, sizeof db, "%s", tu_path("hebrew.db"));
    snprintf(dir, sizeof dir, "%s", tu_path("hebrew-out"));
    FILE *f = fopen(xml, "wb");
    fwrite(x, 1, (size_t)(at - x), f);
    fputs("<given-name>\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D</given-name>", f);   /* shalom */
    fputs(at + strlen("<given-name>Alan</given-name>"), f);
    fclose(f);
    free(x);
    ck_assert_int_eq(tu_run("%s import --create -q --db '%s' '%s'", tu_bin(), db, xml), 0);
    int rc = tu_run("CD_TODAY=2026-11-20 %s batch --db '%s' --month 2026-12 --out '%s' -j 2", tu_bin(), db, dir);
    ck_assert_msg(rc == 8, "batch exited %d: %s", rc, tu_err());
    HAS(tu_err(), "warning: case BAT/2026/0001: ");
    HAS(tu_err(), "court-review.xml:");
    HAS(tu_err(), "the value of person/name");      /* the field, in the template's words */
    HAS(tu_err(), "cannot draw");
    HAS(tu_err(), "1 document written with characters the fonts cannot draw");
    HASNT(tu_err(), "\xD7\xA9");
    /* every document was still written and indexed */
    ck_assert_int_eq(tu_run("grep -c . '%s/index.csv'", dir), 0);
    ck_assert_str_eq(tu_out(), "6\n");
    /* and a batch with nothing missing exits 0 */
    char db2[512], dir2[512];
    snprintf(db2, sizeof db2, "%s", tu_path("plain.db"));
    snprintf(dir2, sizeof dir2, "%s", tu_path("plain-out"));
    ck_assert_int_eq(tu_run("%s import --create -q --db '%s' tests/fixtures/batch/due-2026-12.xml", tu_bin(), db2), 0);
    ck_assert_int_eq(tu_run("CD_TODAY=2026-11-20 %s batch --db '%s' --month 2026-12 --out '%s' -j 2", tu_bin(), db2, dir2), 0);
    HASNT(tu_err(), "cannot draw");
}
END_TEST

/* Point 6: the evaluation budget. An exponential XPath and a loop within
 * a loop within a loop (over every node of the data: some 100^3 elements)
 * are refused, naming the template and the line; nothing is written. */
START_TEST(template_budget)
{
    char exp[512], loop[512], pdf[512];
    snprintf(exp, sizeof exp, "%s", tu_path("exp.xml"));
    snprintf(loop, sizeof loop, "%s", tu_path("loop.xml"));
    snprintf(pdf, sizeof pdf, "%s", tu_path("budget.pdf"));
    tu_write_file(exp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<template xmlns=\"urn:courtdocs:template:1\" title=\"T\" subject=\"T\">\n  <body>\n"
                  "    <p>Count: <value select=\"count(//*[count(//*[count(//*[count(//*[count(//*)])])])])\"/></p>\n"
                  "  </body>\n</template>\n");
    tu_write_file(loop, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<template xmlns=\"urn:courtdocs:template:1\" title=\"T\" subject=\"T\">\n  <body>\n"
                  "    <for-each select=\"//node()\"><for-each select=\"//node()\"><for-each select=\"//node()\">"
                  "<p>Row <value select=\"name()\"/></p></for-each></for-each></for-each>\n"
                  "  </body>\n</template>\n");
    int rc = tu_run("%s check-template --data tests/fixtures/templates/data-review.xml -o '%s' '%s'",
                    tu_bin(), pdf, exp);
    ck_assert_msg(rc == 3, "exit %d: %s", rc, tu_err());
    HAS(tu_err(), "exp.xml:4:");
    HAS(tu_err(), "XPath budget");
    ck_assert_int_ne(tu_run("test -e '%s'", pdf), 0);
    rc = tu_run("%s check-template --data tests/fixtures/templates/data-review.xml -o '%s' '%s'",
                tu_bin(), pdf, loop);
    ck_assert_msg(rc == 3, "exit %d: %s", rc, tu_err());
    HAS(tu_err(), "loop.xml:4:");
    HAS(tu_err(), "template elements");
    ck_assert_int_ne(tu_run("test -e '%s'", pdf), 0);
}
END_TEST

Suite *safety_suite(void)
{
    Suite *s = suite_create("safety");
    TCase *t = tcase_create("safety");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, long_lists_whole);
    tcase_add_test(t, store_made_only_when_asked);
    tcase_add_test(t, only_utf8_xml_files);
    tcase_add_test(t, signals_keep_the_audit_promise);
    tcase_add_test(t, audit_verify_reports);
    tcase_add_test(t, output_regular_files_only);
    tcase_add_test(t, stderr_never_quotes_records);
    tcase_add_test(t, missing_glyphs_reported);
    tcase_add_test(t, template_budget);
    suite_add_tcase(s, t);
    return s;
}
