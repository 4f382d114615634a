/* test_records.c -- the case store and the case-record import (issue 2):
 * the schema's settings, one refused file per import rule (each message
 * naming FILE:LINE:COL, the case and the record, and the store unchanged),
 * re-import counts, local notes surviving imports, broken and locked
 * stores, refs that are not file names, every field of the full example
 * loaded back, and the note and cases commands.
 *
 * Files are made from one small valid export (BASE) with one change each. */
#include "testutil.h"
#include "courtdocs.h"
#include "store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static const char BASE[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<case-records xmlns=\"urn:courtdocs:case-records:1\" exported=\"2026-11-02T08:00:00Z\">\n"
    "  <case ref=\"IMP/1\">\n"
    "    <person id=\"P1\"><given-name>Alex</given-name><sex>male</sex></person>\n"
    "    <order id=\"O1\" type=\"DRR\" intensity=\"high\" made=\"2026-06-01\" months=\"12\">\n"
    "      <offence>Theft</offence>\n"
    "    </order>\n"
    "    <appointments>\n"
    "      <appointment id=\"A1\" date=\"2026-06-02\" time=\"10:00\" minutes=\"60\" kind=\"probation\" outcome=\"attended\"/>\n"
    "      <appointment id=\"A2\" date=\"2026-06-03\" time=\"10:00\" minutes=\"60\" kind=\"probation\" outcome=\"absent-unacceptable\"/>\n"
    "    </appointments>\n"
    "    <enforcement>\n"
    "      <warning id=\"W1\" date=\"2026-06-04\" failure=\"A2\">Warning.</warning>\n"
    "    </enforcement>\n"
    "  </case>\n"
    "</case-records>\n";

/* BASE with the first occurrence of from replaced by to, written to name;
 * returns the path (a copy in a static ring). */
static const char *variant(const char *name, const char *from, const char *to)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, 512, "%s", tu_path(name));
    const char *at = from ? strstr(BASE, from) : NULL;
    ck_assert_msg(!from || at, "variant %s: \"%s\" not in BASE", name, from);
    size_t n = strlen(BASE) + (to ? strlen(to) : 0) + 1;
    char *text = malloc(n);
    if (at)
        snprintf(text, n, "%.*s%s%s", (int)(at - BASE), BASE, to, at + strlen(from));
    else
        snprintf(text, n, "%s", BASE);
    tu_write_file(path, text);
    free(text);
    return path;
}

/* A fresh store holding BASE; returns its path (static). */
static const char *base_store(const char *name)
{
    static char db[512];
    snprintf(db, sizeof db, "%s", tu_path(name));
    tu_run("rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, variant("base.xml", NULL, NULL)), 0);
    return db;
}

/* Rows in all of the store's record tables (a cheap "unchanged" check). */
static long store_rows(const char *db)
{
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_prepare_v2(h, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM appointments) * 10"
                           " + (SELECT count(*) FROM warnings) * 100 + (SELECT count(*) FROM notes) * 1000"
                           " + (SELECT sum(sig) % 1000003 FROM appointments) * 10000", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* Imports file into the BASE store; expects exit 3, a message with each
 * of the needles, and the store unchanged. */
static void refused(const char *file_in, const char *n1, const char *n2, const char *n3)
{
    char file[512];                 /* tu_path's buffers are reused: keep a copy */
    snprintf(file, sizeof file, "%s", file_in);
    const char *db = base_store("refused.db");
    long before = store_rows(db);
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, file), 3);
    const char *e = tu_err();
    HAS(e, file);
    if (n1) HAS(e, n1);
    if (n2) HAS(e, n2);
    if (n3) HAS(e, n3);
    HAS(e, "nothing was imported");
    HASNT(e, "Alex");                       /* never a name in a message */
    ck_assert_int_eq(store_rows(db), before);
}

/* ---- the store ------------------------------------------------------------- */

START_TEST(schema_settings)
{
    const char *db = base_store("schema.db");
    cd_store *s = NULL;
    cd_error err = {0};
    ck_assert_int_eq(cd_store_open(db, CD_STORE_READONLY, &s, &err), CD_OK);
    sqlite3 *h = cd_store_db(s);
    sqlite3_stmt *st;
    const char *q[] = { "PRAGMA user_version", "PRAGMA foreign_keys", "PRAGMA journal_mode" };
    const char *want[] = { "2", "1", "wal" };
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(sqlite3_prepare_v2(h, q[i], -1, &st, NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), want[i]);
        sqlite3_finalize(st);
    }
    cd_store_close(s);
    struct stat sb;
    ck_assert_int_eq(stat(db, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
}
END_TEST

/* One SQL statement on the store at db (opened for writing). */
static void store_sql(const char *db, const char *sql)
{
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* The store keeps each case's export date (schema version 2): BASE was
 * exported 2026-11-02T08:00:00Z, so the case's records run to 2 November
 * 2026 and a review dated 20 November says records to="2026-11-02". A
 * version 1 store (no export dates) still opens read-only: records run to
 * the document date, no `exported`. Importing into it migrates it to
 * version 2 and records the date. */
START_TEST(export_date_kept)
{
    const char *db = base_store("exported.db");
    ck_assert_int_eq(tu_run("%s facts --db '%s' --case IMP/1 --kind review --date 2026-11-20", tu_bin(), db), 0);
    HAS(tu_out(), "<records to=\"2026-11-02\" exported=\"2026-11-02\"/>");
    store_sql(db, "ALTER TABLE cases DROP COLUMN exported; PRAGMA user_version=1");
    ck_assert_int_eq(tu_run("%s facts --db '%s' --case IMP/1 --kind review --date 2026-11-20", tu_bin(), db), 0);
    HAS(tu_out(), "<records to=\"2026-11-20\"/>");
    ck_assert_int_eq(tu_run("%s import --db '%s' '%s'", tu_bin(), db, variant("again.xml", NULL, NULL)), 0);
    ck_assert_int_eq(tu_run("%s facts --db '%s' --case IMP/1 --kind review --date 2026-11-20", tu_bin(), db), 0);
    HAS(tu_out(), "<records to=\"2026-11-02\" exported=\"2026-11-02\"/>");
}
END_TEST

START_TEST(broken_stores)
{
    const char *junk = tu_path("junk.db");
    tu_write_file(junk, "this is not a database, just some text that is long enough to matter.........");
    ck_assert_int_eq(tu_run("%s cases --db '%s'", tu_bin(), junk), 4);
    HAS(tu_err(), "not a courtdocs case store");
    /* an SQLite database of another program */
    char other[512];
    snprintf(other, sizeof other, "%s", tu_path("other.db"));
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open(other, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE cases(x); INSERT INTO cases VALUES(1)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    ck_assert_int_eq(tu_run("%s cases --db '%s'", tu_bin(), other), 4);
    HAS(tu_err(), "not a courtdocs case store");
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), other, variant("b.xml", NULL, NULL)), 4);
    /* a store from a newer courtdocs */
    char newer[512];
    snprintf(newer, sizeof newer, "%s", tu_path("newer.db"));
    tu_run("cp '%s' '%s'", base_store("n.db"), newer);
    ck_assert_int_eq(sqlite3_open(newer, &h), SQLITE_OK);
    sqlite3_exec(h, "PRAGMA user_version=99", NULL, NULL, NULL);
    sqlite3_close(h);
    ck_assert_int_eq(tu_run("%s cases --db '%s'", tu_bin(), newer), 4);
    HAS(tu_err(), "newer courtdocs");
    /* a truncated store */
    char cut[512];
    snprintf(cut, sizeof cut, "%s", tu_path("cut.db"));
    ck_assert_int_eq(tu_run("head -c 3000 '%s' > '%s'", base_store("c.db"), cut), 0);
    int rc = tu_run("%s cases --db '%s'", tu_bin(), cut);
    ck_assert_msg(rc == 4, "truncated store: exit %d: %s", rc, tu_err());
    /* no store at all (read-only commands never create one) */
    ck_assert_int_eq(tu_run("%s cases --db '%s'", tu_bin(), tu_path("none.db")), 4);
    HAS(tu_err(), "no case store there");
    ck_assert_int_ne(tu_run("test -e '%s'", tu_path("none.db")), 0);
}
END_TEST

START_TEST(read_only_and_locked)
{
    char db[512];
    snprintf(db, sizeof db, "%s", base_store("lock.db"));
    /* a store another writer holds */
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(tu_run("CD_BUSY_TIMEOUT_MS=200 %s import --create --db '%s' '%s'", tu_bin(), db,
                            variant("l.xml", "Warning.", "Warned.")), 4);
    HAS(tu_err(), "locked");
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    /* a read-only file */
    if (geteuid() != 0) {        /* root can write anyway */
        tu_run("chmod 0400 '%s'", db);
        ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, variant("r.xml", NULL, NULL)), 4);
        tu_run("chmod 0600 '%s'", db);
    }
}
END_TEST

/* ---- refused files ------------------------------------------------------------ */

START_TEST(refuse_not_this_format)
{
    const char *f = tu_path("notxml.xml");
    tu_write_file(f, "this is not XML\n");
    refused(f, "not well-formed XML", NULL, NULL);
    refused(variant("root.xml", "<case-records xmlns", "<records xmlns"), "root element must be <case-records>", NULL, NULL);
    refused(variant("ns.xml", "urn:courtdocs:case-records:1", "urn:other"), "namespace", NULL, NULL);
    refused(variant("bomb.xml", "<case-records", "<!DOCTYPE case-records [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>\n<case-records"),
            "DOCTYPE", NULL, NULL);
    refused(variant("xxe.xml", "<case-records", "<!DOCTYPE case-records [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<case-records"),
            "DOCTYPE", NULL, NULL);
    refused(variant("utf8.xml", "<given-name>Alex", "<given-name>Al\xff\xfe" "ex"), "not valid UTF-8", NULL, NULL);
}
END_TEST

START_TEST(refuse_bad_records)
{
    refused(variant("date.xml", "date=\"2026-06-02\"", "date=\"2026-02-30\""), ":9:", "case IMP/1, record A1",
            "date is not a real date");
    refused(variant("enum.xml", "kind=\"probation\" outcome=\"attended\"", "kind=\"probaton\" outcome=\"attended\""),
            ":9:", "record A1", "kind is not one of");
    refused(variant("dup.xml", "id=\"A2\"", "id=\"A1\""), ":10:", "record A1", "used twice");
    refused(variant("dangle.xml", "failure=\"A2\"", "failure=\"A9\""), ":13:", "record W1", "item 1 of the list is not the id of a record of this case");
    refused(variant("attended.xml", "failure=\"A2\"", "failure=\"A1\""), ":13:", "record W1", "not an unacceptable failure");
    refused(variant("min0.xml", "minutes=\"60\"", "minutes=\"0\""), ":9:", "record A1", "from 1 to 720");
    refused(variant("min721.xml", "minutes=\"60\"", "minutes=\"721\""), ":9:", "record A1", "from 1 to 720");
    refused(variant("m5.xml", "months=\"12\"", "months=\"5\""), ":5:", "record O1", "from 6 to 36");
    refused(variant("m37.xml", "months=\"12\"", "months=\"37\""), ":5:", "record O1", "from 6 to 36");
    refused(variant("after.xml", "date=\"2026-06-04\"", "date=\"2026-11-03\""), ":13:", "record W1", "after the export date");
    /* an export dated before the order was made: the order cannot be in it */
    refused(variant("early.xml", "exported=\"2026-11-02T08:00:00Z\"", "exported=\"2026-05-20T08:00:00Z\""),
            ":5:", "record O1", "after the export date");
    /* a failure decision naming a test that does not exist */
    refused(variant("decision.xml", "<warning id=\"W1\" date=\"2026-06-04\" failure=\"A2\">Warning.</warning>",
                    "<failure-decision id=\"D1\" date=\"2026-06-04\" tests=\"T9\">Decided.</failure-decision>"),
            ":13:", "record D1", "not the id of a record of this case");
    refused(variant("unknown.xml", "<offence>Theft</offence>", "<offence>Theft</offence><colour/>"), ":5:", "record O1",
            "<order> does not follow the case-record format");
    /* the column points at the attribute: `minutes=` starts at column 59 of line 9 */
    refused(variant("col.xml", "minutes=\"60\"", "minutes=\"0\""), ":9:59:", NULL, NULL);
    /* refs: 64 characters are fine, 65 are not */
    char ref64[80], ref65[80];
    memset(ref64, 'R', 64); ref64[64] = '\0';
    memset(ref65, 'R', 65); ref65[65] = '\0';
    char want[100];
    snprintf(want, sizeof want, "ref=\"%s\"", ref64);
    const char *db = base_store("refs.db");
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, variant("r64.xml", "ref=\"IMP/1\"", want)), 0);
    snprintf(want, sizeof want, "ref=\"%s\"", ref65);
    refused(variant("r65.xml", "ref=\"IMP/1\"", want), ":3:", NULL, NULL);
}
END_TEST

START_TEST(outside_the_order)
{
    const char *f = variant("outside.xml", "date=\"2026-06-02\"", "date=\"2026-05-20\"");
    const char *db = base_store("outside.db");
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, f), 0);
    HAS(tu_err(), "warning:");
    HAS(tu_err(), "record A1");
    HAS(tu_err(), "outside the order");
    ck_assert_int_eq(tu_run("%s import --create --strict --db '%s' '%s'", tu_bin(), base_store("strict.db"), f), 3);
    HAS(tu_err(), "refused: --strict");
}
END_TEST

/* ---- re-import ------------------------------------------------------------------- */

START_TEST(reimport_counts)
{
    char db[512];
    snprintf(db, sizeof db, "%s", base_store("re.db"));
    const char *base = variant("same.xml", NULL, NULL);
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, base), 0);
    HAS(tu_out(), "IMP/1: 0 added, 0 changed, 0 removed");
    /* a local note survives any import */
    ck_assert_int_eq(tu_run("echo 'Seen today.' | CD_TODAY=2026-11-02 %s note --db '%s' --case IMP/1 --kind progress --date 2026-06-05",
                            tu_bin(), db), 0);
    /* A1 changed (late), A2 removed, A3 added: and the warning named A2 */
    char *text = strdup(BASE);
    char *p = strstr(text, "outcome=\"attended\"");
    memcpy(p, "outcome=\"late\"    ", 18);
    char *a2 = strstr(text, "      <appointment id=\"A2\"");
    memcpy(a2 + 24, "3", 1);                                  /* A2 -> A3 */
    char *w = strstr(text, "failure=\"A2\"");
    w[10] = '3';
    const char *upd = tu_path("updated.xml");
    tu_write_file(upd, text);
    free(text);
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, upd), 0);
    /* A1 changed, A2 gone, A3 new, W1 changed (it names A3 now) */
    HAS(tu_out(), "IMP/1: 1 added, 2 changed, 1 removed");
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, upd), 0);
    HAS(tu_out(), "IMP/1: 0 added, 0 changed, 0 removed");
    cd_store *s = NULL;
    cd_error err = {0};
    cd_case *c = NULL;
    ck_assert_int_eq(cd_store_open(db, CD_STORE_READONLY, &s, &err), CD_OK);
    ck_assert_int_eq(cd_store_load_case(s, "IMP/1", &c, &err), CD_OK);
    ck_assert_uint_eq(c->nappointments, 2);
    ck_assert_str_eq(c->appointments[0].id, "A1");
    ck_assert_int_eq(c->appointments[0].outcome, CD_OUT_LATE);
    ck_assert_str_eq(c->appointments[1].id, "A3");
    ck_assert_uint_eq(c->nnotes, 1);
    ck_assert(c->notes[0].local);
    ck_assert_str_eq(c->notes[0].text, "Seen today.");
    cd_case_free(c);
    cd_store_close(s);
}
END_TEST

START_TEST(one_transaction)
{
    const char *db = base_store("tx.db");
    long before = store_rows(db);
    /* a good file with a new case, then a bad one: nothing from either */
    const char *good = variant("good2.xml", "ref=\"IMP/1\"", "ref=\"IMP/2\"");
    char goodc[512];
    snprintf(goodc, sizeof goodc, "%s", good);
    const char *bad = variant("bad2.xml", "months=\"12\"", "months=\"99\"");
    ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s' '%s'", tu_bin(), db, goodc, bad), 3);
    ck_assert_int_eq(store_rows(db), before);
    ck_assert_int_eq(tu_run("%s cases --db '%s' --csv", tu_bin(), db), 0);
    HASNT(tu_out(), "IMP/2");
}
END_TEST

START_TEST(odd_refs_round_trip)
{
    static const char *refs[] = { "A/../../x", "O'Brien \"quoted\" ref", "with spaces / slashes", "../../etc/x" };
    const char *db = base_store("odd.db");
    for (int i = 0; i < 4; i++) {
        char attr[200], file[40];
        char esc[120] = "";
        size_t k = 0;
        for (const char *p = refs[i]; *p; p++)
            k += (size_t)snprintf(esc + k, sizeof esc - k, "%s", *p == '"' ? "&quot;" : *p == '\'' ? "&apos;" : (char[2]){*p, 0});
        snprintf(attr, sizeof attr, "ref=\"%s\"", esc);
        snprintf(file, sizeof file, "odd%d.xml", i);
        ck_assert_int_eq(tu_run("%s import --create --db '%s' '%s'", tu_bin(), db, variant(file, "ref=\"IMP/1\"", attr)), 0);
    }
    cd_store *s = NULL;
    cd_error err = {0};
    ck_assert_int_eq(cd_store_open(db, CD_STORE_READONLY, &s, &err), CD_OK);
    for (int i = 0; i < 4; i++) {
        cd_case *c = NULL;
        ck_assert_msg(cd_store_load_case(s, refs[i], &c, &err) == CD_OK, "%s", err.message);
        ck_assert_str_eq(c->ref, refs[i]);
        cd_case_free(c);
    }
    cd_store_close(s);
    char safe[64];
    cd_safe_file_name("../../etc/x", safe, sizeof safe);
    ck_assert_str_eq(safe, "_._.._etc_x");     /* '/' -> '_', a leading '.' -> '_' */
    ck_assert_ptr_null(strchr(safe, '/'));
}
END_TEST

/* A document's file name: the same for a single render and a batch, never
 * cut to collide: a 300-byte ref keeps 200 bytes and a hash of all of it. */
START_TEST(document_file_names)
{
    char *n = cd_document_file_name(CD_DOC_REVIEW, "LSL/2026/0042", "2026-12-07");
    ck_assert_str_eq(n, "review-LSL_2026_0042-2026-12-07.pdf");
    free(n);
    n = cd_document_file_name(CD_DOC_SUMMARY, NULL, "2026-11-02");
    ck_assert_str_eq(n, "summary-caseload-2026-11-02.pdf");
    free(n);
    char a[301], b[301];
    memset(a, 'A', 300);
    a[300] = '\0';
    memcpy(b, a, sizeof b);
    b[299] = 'B';                                  /* differs after the 200 bytes kept */
    char *na = cd_document_file_name(CD_DOC_BREACH, a, "2026-11-02");
    char *nb = cd_document_file_name(CD_DOC_BREACH, b, "2026-11-02");
    ck_assert_str_ne(na, nb);
    ck_assert_uint_le(strlen(na), 255);             /* a file system's longest name */
    ck_assert_uint_eq(strlen(na), strlen("breach-") + 200 + 1 + 8 + strlen("-2026-11-02.pdf"));
    ck_assert_int_eq(strncmp(na + strlen("breach-"), a, 200), 0);
    free(na);
    free(nb);
}
END_TEST

/* ---- the full example, every field back --------------------------------------------- */

START_TEST(full_example_loads)
{
    char db[512];
    snprintf(db, sizeof db, "%s", tu_path("full.db"));
    ck_assert_int_eq(tu_run("%s import --create --db '%s' tests/fixtures/import/full-example.xml", tu_bin(), db), 0);
    cd_store *s = NULL;
    cd_error err = {0};
    cd_case *c = NULL;
    ck_assert_int_eq(cd_store_open(db, CD_STORE_READONLY, &s, &err), CD_OK);
    ck_assert_int_eq(cd_store_load_case(s, "LSL/2026/0042", &c, &err), CD_OK);
    ck_assert_str_eq(c->area, "London");
    ck_assert_str_eq(c->team, "Lambeth DRR team");
    ck_assert_str_eq(c->person.given_name, "Zoë");
    ck_assert_str_eq(c->person.family_name, "Łukasiewicz-O'Brien");
    ck_assert_int_eq(c->person.date_of_birth, cd_date_from_ymd(1991, 3, 14));
    ck_assert_int_eq(c->person.sex, CD_SEX_FEMALE);
    ck_assert_str_eq(c->person.ethnicity, "White British");
    ck_assert_int_eq(c->person.accommodation, CD_ACCOM_TEMPORARY);
    ck_assert_str_eq(c->person.accommodation_text, "Hostel");
    const cd_order *o = &c->order;
    ck_assert(o->present);
    ck_assert_int_eq(o->type, CD_ORDER_DRR);
    ck_assert_int_eq(o->intensity, CD_INTENSITY_HIGH);
    ck_assert_int_eq(o->made, cd_date_from_ymd(2026, 6, 3));
    ck_assert_int_eq(o->months, 12);
    ck_assert_str_eq(o->court, "Inner London Crown Court");
    ck_assert_str_eq(o->sentencer, "HHJ Patel");
    ck_assert_int_eq(o->review_hearings, CD_HEARINGS_MONTHLY);
    ck_assert_str_eq(o->rules, "drr-2020");
    ck_assert_uint_eq(o->noffences, 1);
    ck_assert_str_eq(o->offences[0], "Burglary (dwelling)");
    ck_assert_uint_eq(o->nrequirements, 1);
    ck_assert_int_eq(o->ended, cd_date_from_ymd(2026, 10, 30));
    ck_assert_int_eq(o->end_reason, CD_END_COMPLETED);
    ck_assert_uint_eq(c->nstaff, 2);
    ck_assert_str_eq(c->staff[1].organisation, "Brixton Drug Service");
    ck_assert_uint_eq(c->nappointments, 3);
    ck_assert_str_eq(c->appointments[1].id, "A9");                 /* by date */
    ck_assert_int_eq(c->appointments[1].time, 14 * 60);
    ck_assert_int_eq(c->appointments[1].minutes, 120);
    ck_assert_int_eq(c->appointments[1].kind, CD_APPT_GROUP);
    ck_assert_int_eq(c->appointments[1].outcome, CD_OUT_ABSENT_UNACCEPTABLE);
    ck_assert_str_eq(c->appointments[1].reason, "No contact; not at hostel when visited.");
    ck_assert_uint_eq(c->ntests, 5);
    const cd_drug_test *t1 = &c->tests[0];
    ck_assert_str_eq(t1->id, "T1");
    ck_assert_uint_eq(t1->nresults, 3);
    ck_assert_int_eq(t1->results[0].confirmation, CD_CONFIRM_LABORATORY);
    ck_assert(t1->results[2].prescribed);
    ck_assert_int_eq(c->tests[1].status, CD_TEST_REFUSED);
    ck_assert_str_eq(c->tests[4].results[0].name, "pregabalin");
    ck_assert_uint_eq(c->nwarnings, 1);
    ck_assert_str_eq(c->warnings[0].failures.ids[0], "A9");
    ck_assert_uint_eq(c->ndecisions, 1);
    ck_assert_uint_eq(c->decisions[0].tests.n, 3);
    ck_assert_uint_eq(c->nbreaches, 1);
    ck_assert_int_eq(c->breaches[0].outcome, CD_BREACH_CONTINUED);
    ck_assert_int_eq(c->breaches[0].heard, cd_date_from_ymd(2026, 7, 21));
    ck_assert_uint_eq(c->nreviews, 1);
    ck_assert_str_eq(c->reviews[0].directions, "Attend every group session; address housing.");
    ck_assert_int_eq(c->reviews[0].next, cd_date_from_ymd(2026, 8, 5));
    ck_assert_uint_eq(c->nnotes, 1);
    ck_assert_str_eq(c->notes[0].text, "Free text, one or more paragraphs.");    /* XML layout trimmed */
    ck_assert(!c->notes[0].local);
    const cd_assessment *a = &c->assessment;
    ck_assert(a->present);
    ck_assert_uint_eq(a->ndrug_uses, 2);
    ck_assert_int_eq(a->drug_uses[0].spend_per_week, 350);
    ck_assert(a->drug_uses[0].primary);
    ck_assert_int_eq(a->drug_uses[1].first_age, -1);
    ck_assert_int_eq(a->alcohol_units_per_week, 10);
    ck_assert_int_eq(a->oasys_drugs, 7);
    ck_assert_int_eq(a->motivation_stage, CD_STAGE_PREPARATION);
    ck_assert_uint_eq(a->nepisodes, 1);
    ck_assert_uint_eq(a->nprevious_orders, 1);
    ck_assert_int_eq(a->previous_orders[0].outcome, CD_PREV_REVOKED_NON_COMPLIANCE);
    ck_assert_int_eq(a->consent_given, 1);
    ck_assert(a->has_proposal);
    ck_assert_int_eq(a->proposal_months, 12);
    ck_assert_str_eq(a->proposal_provider, "Brixton Drug Service");
    cd_case_free(c);
    ck_assert_int_eq(cd_store_load_case(s, "NO/SUCH", &c, &err), CD_ENOTFOUND);
    cd_store_close(s);
}
END_TEST

/* ---- note and cases ------------------------------------------------------------------ */

START_TEST(note_command)
{
    char db[512];
    snprintf(db, sizeof db, "%s", base_store("note.db"));
    const char *txt = tu_path("n.txt");
    tu_write_file(txt, "First paragraph.\n\nSecond paragraph.\n");
    ck_assert_int_eq(tu_run("CD_TODAY=2026-11-02 %s note --db '%s' --case IMP/1 --kind recommendation --author 'Sam' --file '%s'",
                            tu_bin(), db, txt), 0);
    ck_assert_int_eq(tu_run("printf '' | %s note --db '%s' --case IMP/1 --kind progress", tu_bin(), db), 3);
    HAS(tu_err(), "empty");
    ck_assert_int_eq(tu_run("head -c 1100000 /dev/zero | tr '\\0' a | %s note --db '%s' --case IMP/1 --kind progress",
                            tu_bin(), db), 3);
    HAS(tu_err(), "longer than");
    ck_assert_int_eq(tu_run("printf 'bad \\377 bytes' | %s note --db '%s' --case IMP/1 --kind progress", tu_bin(), db), 3);
    HAS(tu_err(), "UTF-8");
    ck_assert_int_eq(tu_run("echo x | %s note --db '%s' --case IMP/1 --kind gossip", tu_bin(), db), 2);
    ck_assert_int_eq(tu_run("echo x | CD_TODAY=2026-11-02 %s note --db '%s' --case IMP/1 --kind progress --date 2027-01-01",
                            tu_bin(), db), 2);
    HAS(tu_err(), "future");
    ck_assert_int_eq(tu_run("echo x | %s note --db '%s' --case NO/SUCH --kind progress", tu_bin(), db), 5);
    cd_store *s = NULL;
    cd_error err = {0};
    cd_case *c = NULL;
    ck_assert_int_eq(cd_store_open(db, CD_STORE_READONLY, &s, &err), CD_OK);
    ck_assert_int_eq(cd_store_load_case(s, "IMP/1", &c, &err), CD_OK);
    ck_assert_uint_eq(c->nnotes, 1);
    ck_assert_str_eq(c->notes[0].text, "First paragraph.\n\nSecond paragraph.");
    ck_assert_str_eq(c->notes[0].author, "Sam");
    ck_assert_int_eq(c->notes[0].kind, CD_NOTE_RECOMMENDATION);
    cd_case_free(c);
    cd_store_close(s);
}
END_TEST

START_TEST(cases_command)
{
    char db[512];
    snprintf(db, sizeof db, "%s", base_store("cases.db"));
    ck_assert_int_eq(tu_run("%s import --create --db '%s' tests/fixtures/review/review.xml", tu_bin(), db), 0);
    /* REV/1: made 1 June 2026, DRR high, reviewed 1 July with the next fixed
     * for 3 August; on 20 July that is week (20 Jul - 1 Jun)/7 + 1 = 8 of 53 */
    ck_assert_int_eq(tu_run("%s cases --db '%s' --date 2026-07-20", tu_bin(), db), 0);
    HAS(tu_out(), "REV/1");
    HAS(tu_out(), "DRR high");
    HAS(tu_out(), "week 8 of 53");
    HAS(tu_out(), "2026-08-03");
    ck_assert_int_eq(tu_run("%s cases --db '%s' --date 2026-07-20 --due 2026-08 --csv", tu_bin(), db), 0);
    HAS(tu_out(), "case_ref,name,order,week,next_review\n");
    HAS(tu_out(), "REV/1,Alex Example,DRR high,week 8 of 53,2026-08-03");
    HASNT(tu_out(), "REV/3");
    ck_assert_int_eq(tu_run("%s cases --db '%s' --due 2026-13", tu_bin(), db), 2);
}
END_TEST

Suite *records_suite(void)
{
    Suite *s = suite_create("records");
    TCase *t = tcase_create("records");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, schema_settings);
    tcase_add_test(t, export_date_kept);
    tcase_add_test(t, broken_stores);
    tcase_add_test(t, read_only_and_locked);
    tcase_add_test(t, refuse_not_this_format);
    tcase_add_test(t, refuse_bad_records);
    tcase_add_test(t, outside_the_order);
    tcase_add_test(t, reimport_counts);
    tcase_add_test(t, one_transaction);
    tcase_add_test(t, odd_refs_round_trip);
    tcase_add_test(t, document_file_names);
    tcase_add_test(t, full_example_loads);
    tcase_add_test(t, note_command);
    tcase_add_test(t, cases_command);
    suite_add_tcase(s, t);
    return s;
}
