/* test_install.c -- courtdocs as an installed tool: `make install` and
 * `make uninstall` into a scratch DESTDIR (the files, the program run from /
 * rendering the demo with the installed data, bash completion, nothing left
 * after uninstall; the templates checked at install and listed so that no
 * user checks them again), the man page against `courtdocs help` and every
 * command's --help, --version, every example every --help gives (run in a
 * scratch folder holding the files they name), the demo's store kept in its
 * --out folder, and a store copied without its -wal file still holding the
 * audit rows. The tests run from the top of the tree (make check). */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The program file under test (CD_BIN without any valgrind prefix). */
static const char *bin_file(void)
{
    const char *b = getenv("CD_BIN");
    return b && *b ? b : "build/courtdocs";
}

/* make as a user would type it: no variables inherited from a make that
 * runs this suite (dpkg-buildpackage's PREFIX=/usr NO_DEPS=1, say). */
#define MAKE "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make"

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The command names `courtdocs help` lists, as one malloc'd string of
 * "name\n" lines. */
static char *help_commands(void)
{
    ck_assert_int_eq(tu_run("%s help | sed -n '/^Commands:/,/^$/s/^  \\([a-z][a-z-]*\\) .*/\\1/p'",
                            tu_bin()), 0);
    char *names = strdup(tu_out());
    ck_assert_msg(tu_count(names, "\n") >= 12, "courtdocs help lists %d commands", tu_count(names, "\n"));
    return names;
}

START_TEST(version_names_release_and_data)
{
    ck_assert_int_eq(tu_run("%s --version", tu_bin()), 0);
    HAS(tu_out(), "courtdocs 0.1.0\n");
    HAS(tu_out(), "data: ");
    ck_assert_int_eq(tu_run("%s help", tu_bin()), 0);
    HAS(tu_out(), "courtdocs --version");
}
END_TEST

/* make install DESTDIR=D (default PREFIX /usr/local): every kind of file in
 * place; the program, run from / with no CD_DATA_DIR, reads the installed
 * data and renders the demo; completion offers commands and options; make
 * uninstall leaves no file and no courtdocs folder. */
START_TEST(install_then_uninstall)
{
    char dest[600], prog[700], data[700];
    snprintf(dest, sizeof dest, "%s", tu_path("install-root"));
    snprintf(prog, sizeof prog, "%s/usr/local/bin/courtdocs", dest);
    snprintf(data, sizeof data, "%s/usr/local/share/courtdocs", dest);
    /* A copy of the program under test, so that make installs it as it is
     * and never rebuilds the tree's (its DATADIR may differ). */
    char prog_copy[700];
    snprintf(prog_copy, sizeof prog_copy, "%s", tu_path("install-courtdocs"));
    ck_assert_int_eq(tu_run("cp '%s' '%s'", bin_file(), prog_copy), 0);
    int rc = tu_run(MAKE " -s install PREFIX=/usr/local DESTDIR='%s' PROGRAM='%s'", dest, prog_copy);
    ck_assert_msg(rc == 0, "make install failed: %s", tu_err());

    static const char *files[] = {
        "usr/local/bin/courtdocs",
        "usr/local/share/courtdocs/templates/court-review.xml",
        "usr/local/share/courtdocs/templates/breach-pack.xml",
        "usr/local/share/courtdocs/templates/psr-drug-assessment.xml",
        "usr/local/share/courtdocs/templates/caseload-summary.xml",
        "usr/local/share/courtdocs/schemas/case-records.rng",
        "usr/local/share/courtdocs/schemas/template.rng",
        "usr/local/share/courtdocs/fonts/DejaVuSans.ttf",
        "usr/local/share/courtdocs/fonts/DejaVuSans-BoldOblique.ttf",
        "usr/local/share/courtdocs/fonts/LICENSE",
        "usr/local/share/man/man1/courtdocs.1",
        "usr/local/share/bash-completion/completions/courtdocs",
        "usr/local/share/doc/courtdocs/case-records.md",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char p[900];
        snprintf(p, sizeof p, "%s/%s", dest, files[i]);
        ck_assert_msg(exists(p), "make install did not install %s", files[i]);
    }
    struct stat st;
    ck_assert_int_eq(stat(prog, &st), 0);
    ck_assert_msg(st.st_mode & S_IXUSR, "the installed program is not executable");

    /* The installed man page names the installed data folder. */
    char mp[900];
    snprintf(mp, sizeof mp, "%s/usr/local/share/man/man1/courtdocs.1", dest);
    char *man = tu_read_file(mp, NULL);
    ck_assert_ptr_nonnull(man);
    HAS(man, "/usr/local/share/courtdocs/");
    free(man);

    /* From /, away from the source tree: the data under D, unless the
     * DATADIR compiled into the program exists on this machine (it is
     * looked at first), which must then be a real data folder. */
    rc = tu_run("cd / && env -u CD_DATA_DIR '%s' --version", prog);
    ck_assert_int_eq(rc, 0);
    char want[800];
    snprintf(want, sizeof want, "data: %s\n", data);
    if (!strstr(tu_out(), want)) {
        const char *found = strstr(tu_out(), "data: ");
        ck_assert_ptr_nonnull(found);
        char dir[700], schemas[800];
        snprintf(dir, sizeof dir, "%.*s", (int)strcspn(found + 6, "\n"), found + 6);
        snprintf(schemas, sizeof schemas, "%s/schemas", dir);
        ck_assert_msg(exists(schemas) && strncmp(dir, dest, strlen(dest)) != 0,
                      "the installed program reads its data from %s", dir);
        fprintf(stderr, "test_install: the program's own DATADIR %s exists here and was used\n", dir);
    }
    char out[700];
    snprintf(out, sizeof out, "%s", tu_path("install-demo"));
    rc = tu_run("cd / && env -u CD_DATA_DIR CD_TODAY=2026-11-02 '%s' demo --out '%s' --cases 8",
                prog, out);
    ck_assert_msg(rc == 0, "the installed program's demo failed (%d): %s", rc, tu_err());
    char pdf[800];
    snprintf(pdf, sizeof pdf, "%s/review-DEMO-0001.pdf", out);
    char *text = tu_pdf_text(pdf);
    ck_assert_msg(text != NULL, "no readable review from the installed program");
    HAS(text, "DEMO/0001");
    free(text);

    /* bash completion: the commands, then a command's options. */
    char comp[900];
    snprintf(comp, sizeof comp, "%s/usr/local/share/bash-completion/completions/courtdocs", dest);
    rc = tu_run("command -v bash >/dev/null || exit 77; PATH='%s/usr/local/bin':$PATH bash -c '"
                "source \"%s\"; COMP_WORDS=(courtdocs \"\"); COMP_CWORD=1; _courtdocs; echo \"${COMPREPLY[*]}\";"
                "COMP_WORDS=(courtdocs review --a); COMP_CWORD=2; _courtdocs; echo \"${COMPREPLY[*]}\"'",
                dest, comp);
    if (rc != 77) {
        ck_assert_int_eq(rc, 0);
        HAS(tu_out(), "import note cases demo");
        HAS(tu_out(), "check-template");
        HAS(tu_out(), "--attach-psr");
    }

    /* The installed templates were checked at install: templates/checked
     * lists their validity keys (the SHA-256 of the schema's SHA-256 and the
     * template's bytes), which spare every user the check, cache folder or
     * not. Shown with a template the schema refuses but the compiler
     * accepts: refused, then loaded once its key is listed. */
    char list[900], bad[900];
    snprintf(list, sizeof list, "%s/templates/checked", data);
    size_t listed_len = 0;
    char *listed = tu_read_file(list, &listed_len);
    ck_assert_ptr_nonnull(listed);
    ck_assert_int_eq(tu_count(listed, "\n"), 4);
    snprintf(bad, sizeof bad, "%s/templates/bad.xml", data);
    const char *bad_text = "<template xmlns=\"urn:courtdocs:template:1\"><body>\n"
                           "<p align=\"middle\">x</p></body></template>\n";
    tu_write_file(bad, bad_text);
    const char *no_cache = "env -u CD_CACHE_DIR -u XDG_CACHE_HOME HOME=/nonexistent";
    rc = tu_run("%s CD_DATA_DIR='%s' '%s' check-template '%s'", no_cache, data, prog, bad);
    ck_assert_int_ne(rc, 0);
    HAS(tu_err(), "Invalid attribute align");
    char key[65], schema[900];
    snprintf(schema, sizeof schema, "%s/schemas/template.rng", data);
    tu_template_key(schema, bad_text, key);
    FILE *f = fopen(list, "a");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n", key);
    fclose(f);
    rc = tu_run("%s CD_DATA_DIR='%s' '%s' check-template '%s'", no_cache, data, prog, bad);
    ck_assert_msg(rc == 0, "a template listed as checked at install was checked again: %s", tu_err());
    unlink(bad);
    free(listed);

    rc = tu_run(MAKE " -s uninstall PREFIX=/usr/local DESTDIR='%s'", dest);
    ck_assert_msg(rc == 0, "make uninstall failed: %s", tu_err());
    ck_assert_int_eq(tu_run("find '%s' -type f -o -type l -o -name courtdocs", dest), 0);
    ck_assert_msg(tu_out()[0] == '\0', "make uninstall left: %.300s", tu_out());
}
END_TEST

/* The man page has a section for every command `courtdocs help` lists and
 * names every option each command's --help names; groff finds nothing to
 * warn about. */
START_TEST(man_page_covers_every_command_and_option)
{
    char *man = tu_read_file("man/courtdocs.1", NULL);
    ck_assert_ptr_nonnull(man);
    char *names = help_commands();
    int commands = 0;
    for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
        char want[120], esc[100];
        size_t k = 0;
        for (const char *c = name; *c && k + 3 < sizeof esc; c++) {   /* troff: \- */
            if (*c == '-') esc[k++] = '\\';
            esc[k++] = *c;
        }
        esc[k] = '\0';
        snprintf(want, sizeof want, ".SS \"%s", esc);
        ck_assert_msg(strstr(man, want), "the man page has no section for %s", name);
        commands++;
        ck_assert_int_eq(tu_run("%s %s --help | grep -o -- '--[a-z][a-z-]*' | sort -u", tu_bin(), name), 0);
        char *opts = strdup(tu_out());
        for (char *o = opts, *nl; *o; o = nl + 1) {
            nl = strchr(o, '\n');
            if (!nl) break;
            *nl = '\0';
            char oesc[100];
            size_t j = 0;
            for (const char *c = o; *c && j + 3 < sizeof oesc; c++) {
                if (*c == '-') oesc[j++] = '\\';
                oesc[j++] = *c;
            }
            oesc[j] = '\0';
            ck_assert_msg(strstr(man, oesc), "the man page does not name %s of %s", o, name);
        }
        free(opts);
    }
    ck_assert_int_ge(commands, 12);
    free(names);
    /* every exit status of `courtdocs help` */
    for (int code = 0; code <= 7; code++) {
        char want[32];
        snprintf(want, sizeof want, ".B %d\n", code);
        ck_assert_msg(strstr(man, want), "the man page does not describe exit status %d", code);
    }
    free(man);
    int rc = tu_run("command -v groff >/dev/null || exit 77; "
                    "LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z man/courtdocs.1");
    if (rc != 77) {
        ck_assert_int_eq(rc, 0);
        ck_assert_msg(tu_err()[0] == '\0', "groff warns: %.300s", tu_err());
    }
}
END_TEST

/* Runs one example line as written (through a script file, so its quotes
 * stay as they are) in dir; returns its exit status. */
static int run_example(const char *dir, const char *line)
{
    char script[800];
    snprintf(script, sizeof script, "%s/example.sh", dir);
    FILE *f = fopen(script, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n", line);
    fclose(f);
    return tu_run("cd '%s' && PATH=\"$PWD/bin:$PATH\" CD_TODAY=2026-11-02 sh example.sh >/dev/null", dir);
}

/* Every example of `courtdocs help` ("A first session") and every
 * "Example:" line of every command's --help, run in that order, as written,
 * in a scratch folder holding the files they name: the exports (the demo's
 * records with its breach case as LSL/2026/0042, so a review, a PSR and a
 * breach pack are all due), the recommendation text, and the tree's
 * templates/ and tests/. The stores are the ones the examples make. `less`
 * is `cat` there. */
START_TEST(every_help_example_runs)
{
    char dir[600], cwd[4096];
    snprintf(dir, sizeof dir, "%s", tu_path("examples"));
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    int rc = tu_run("mkdir -p '%s/bin' && cd '%s' && ln -s '%s/templates' templates && "
                    "ln -s '%s/tests' tests && printf '#!/bin/sh\\nexec %s \"$@\"\\n' > bin/courtdocs && "
                    "printf '#!/bin/sh\\nexec cat\\n' > bin/less && chmod +x bin/courtdocs bin/less && "
                    "printf 'Keep the order going.\\n' > recommendation.txt && "
                    "bin/courtdocs demo --records-only d.xml --cases 8 && "
                    "sed 's|DEMO/0002|LSL/2026/0042|g' d.xml > export-2026-11-02.xml && "
                    "cp export-2026-11-02.xml export.xml && cp d.xml export-2026-11-30.xml",
                    dir, dir, cwd, cwd, tu_bin());
    ck_assert_msg(rc == 0, "setting up the examples' folder failed: %s", tu_err());
    /* Example lines: after "Example:" or "Examples:", up to a blank line;
     * a trailing backslash continues a line; three spaces start a comment. */
    int ran = 0;
    rc = tu_run("%s help | awk '/^A first session:/{f=1;next} f&&/^$/{f=0} f' | "
                "sed -n 's/^  \\(courtdocs .*\\)/\\1/p' | sed 's/   .*//'", tu_bin());
    ck_assert_int_eq(rc, 0);
    char *first = strdup(tu_out());
    for (char *l = first, *nl; (nl = strchr(l, '\n')); l = nl + 1) {
        *nl = '\0';
        rc = run_example(dir, l);
        ck_assert_msg(rc == 0, "the example of courtdocs help fails (%d): %s: %.300s", rc, l, tu_err());
        ran++;
    }
    free(first);
    ck_assert_int_ge(ran, 3);
    char *names = help_commands();
    for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
        rc = tu_run("%s %s --help | awk '/^Examples?:/{f=1;next} f&&/^$/{f=0} f' | "
                    "sed -e :a -e '/\\\\$/N; s/\\\\\\n *//; ta' | sed 's/   .*//; s/^ *//'",
                    tu_bin(), name);
        ck_assert_int_eq(rc, 0);
        char *lines = strdup(tu_out());
        ck_assert_msg(strstr(lines, "courtdocs "), "%s --help gives no example", name);
        for (char *l = lines, *nl; *l; l = nl + 1) {
            nl = strchr(l, '\n');
            if (!nl) break;
            *nl = '\0';
            if (strncmp(l, "courtdocs ", 10) != 0) continue;
            rc = run_example(dir, l);
            ck_assert_msg(rc == 0, "the example of %s --help fails (%d): %s: %.300s", name, rc, l, tu_err());
            ran++;
        }
        free(lines);
    }
    free(names);
    ck_assert_int_ge(ran, 15);
}
END_TEST

/* `demo --out DIR` keeps its store in DIR (nothing in ./demo-out), and the
 * store file alone -- copied without its -wal -- holds every audit row: the
 * demo's ten documents, then one more after a review. */
START_TEST(copied_store_holds_the_audit)
{
    char out[600];
    snprintf(out, sizeof out, "%s", tu_path("ckpt"));
    int rc = tu_run("mkdir -p '%s/cwd' && cd '%s/cwd' && CD_TODAY=2026-11-02 %s demo --out '%s/out'",
                    out, out, tu_bin(), out);
    ck_assert_msg(rc == 0, "demo failed: %s", tu_err());
    char p[800];
    snprintf(p, sizeof p, "%s/out/demo.db", out);
    ck_assert_msg(exists(p), "demo --out DIR did not put demo.db in DIR");
    snprintf(p, sizeof p, "%s/cwd/demo-out", out);
    ck_assert_msg(!exists(p), "demo --out DIR still made ./demo-out");
    int written = tu_count(tu_out(), "\nwrote ") + (strncmp(tu_out(), "wrote ", 6) == 0);
    written -= 1;                                 /* "wrote .../demo-records.xml" */
    ck_assert_int_ge(written, 5);

    rc = tu_run("cp '%s/out/demo.db' '%s/copy.db' && %s audit --db '%s/copy.db' --csv | tail -n +2 | wc -l",
                out, out, tu_bin(), out);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(atoi(tu_out()), written);

    rc = tu_run("CD_TODAY=2026-11-02 %s review --db '%s/out/demo.db' --case DEMO/0001 -o '%s/r.pdf' -q && "
                "cp '%s/out/demo.db' '%s/copy2.db' && %s audit --db '%s/copy2.db' --csv | tail -n +2 | wc -l",
                tu_bin(), out, out, out, out, tu_bin(), out);
    ck_assert_msg(rc == 0, "%s", tu_err());
    ck_assert_int_eq(atoi(tu_out()), written + 1);
    /* and a note (a write store) is in the file itself too */
    rc = tu_run("echo 'Seen today.' | %s note --db '%s/out/demo.db' --case DEMO/0003 --kind progress "
                "--date 2026-11-01 && cp '%s/out/demo.db' '%s/copy3.db' && "
                "CD_TODAY=2026-11-02 %s facts --db '%s/copy3.db' --case DEMO/0003 --date 2026-11-02",
                tu_bin(), out, out, out, tu_bin(), out);
    ck_assert_msg(rc == 0, "%s", tu_err());
    HAS(tu_out(), "Seen today.");
}
END_TEST

/* make clean and make help never run the package check (scripts/deps.sh):
 * a dpkg-query that records its calls is never called. */
START_TEST(clean_and_help_do_not_check_packages)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s", tu_path("fakebin"));
    int rc = tu_run("mkdir -p '%s' && printf '#!/bin/sh\\necho x >> \"%s/calls\"\\nexit 1\\n' > '%s/dpkg-query' "
                    "&& chmod +x '%s/dpkg-query' && PATH='%s':$PATH " MAKE " -n clean >/dev/null && "
                    "PATH='%s':$PATH " MAKE " help && PATH='%s':$PATH " MAKE " -n uninstall >/dev/null",
                    dir, dir, dir, dir, dir, dir, dir);
    ck_assert_msg(rc == 0, "%s", tu_err());
    HAS(tu_out(), "make install");
    char calls[700];
    snprintf(calls, sizeof calls, "%s/calls", dir);
    ck_assert_msg(!exists(calls), "make clean/help/uninstall ran the package check");
}
END_TEST

Suite *install_suite(void)
{
    Suite *s = suite_create("install");
    TCase *t = tcase_create("install");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, version_names_release_and_data);
    tcase_add_test(t, install_then_uninstall);
    tcase_add_test(t, man_page_covers_every_command_and_option);
    tcase_add_test(t, every_help_example_runs);
    tcase_add_test(t, copied_store_holds_the_audit);
    tcase_add_test(t, clean_and_help_do_not_check_packages);
    suite_add_tcase(s, t);
    return s;
}
