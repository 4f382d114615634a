/* test_template.c -- the template language: every kind of bad template is
 * refused with FILE:LINE:COL and a sentence (not well-formed, schema,
 * unknown element, unknown function, XPath syntax, document(), variables,
 * wrong arity, DOCTYPE and entities, include without end, missing include,
 * font, image missing or not PNG, bad format or length, nesting too deep),
 * and good templates render the right words (pdftotext): formats and
 * fallbacks, loops and conditions, tables with totals, marked rows and the
 * empty message, multi-paragraph text, charts with alt text, includes,
 * page-of anchors, running lines. Also an empty data document, a 10,000-row
 * table, a template rendered twice, and the check-template command. */
#include "testutil.h"
#include "template.h"
#include "template_int.h"
#include "strbuf.h"
#include <libxml/parser.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIX "tests/fixtures/templates/"
#define HEAD "<template xmlns=\"urn:courtdocs:template:1\"><body>\n"
#define TAIL "\n</body></template>\n"

/* Writes a template into the scratch folder and loads it; returns the
 * return code, the error message in *msg (static) and the path in *path. */
static int load_text(const char *name, const char *text, cd_template **t, const char **msg)
{
    static cd_error err;
    memset(&err, 0, sizeof err);
    tu_write_file(tu_path(name), text);
    *t = NULL;
    int rc = cd_template_load(tu_path(name), t, &err);
    *msg = err.message;
    return rc;
}

/* Asserts that loading text fails with CD_EINPUT and a message holding
 * "<path>:<where>: " followed by what. */
static void expect_error(const char *name, const char *text, const char *where, const char *what)
{
    cd_template *t;
    const char *msg;
    int rc = load_text(name, text, &t, &msg);
    ck_assert_msg(rc == CD_EINPUT, "%s: expected CD_EINPUT, got %d (%s)", name, rc, msg);
    ck_assert_ptr_null(t);
    char head[600];
    snprintf(head, sizeof head, "%s:%s: ", tu_path(name), where);
    ck_assert_msg(strstr(msg, head) != NULL, "%s: expected place %s in: %s", name, head, msg);
    ck_assert_msg(strstr(msg, what) != NULL, "%s: expected '%s' in: %s", name, what, msg);
}

static xmlDocPtr read_doc(const char *path)
{
    xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(d);
    return d;
}

static xmlDocPtr doc_from(const char *text)
{
    xmlDocPtr d = xmlReadMemory(text, (int)strlen(text), "data.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(d);
    return d;
}

/* Loads a template file, renders it against data into the scratch folder,
 * returns the pdftotext text (caller frees). */
static char *render_file(const char *tpl, xmlDocPtr data, const char *out, int *pages)
{
    cd_template *t = NULL;
    cd_error err = {0};
    ck_assert_msg(cd_template_load(tpl, &t, &err) == CD_OK, "load: %s", err.message);
    int rc = cd_template_render(t, data, NULL, tu_path(out), pages, &err);
    ck_assert_msg(rc == CD_OK, "render: %s", err.message);
    cd_template_free(t);
    char *text = tu_pdf_text(tu_path(out));
    ck_assert_ptr_nonnull(text);
    return text;
}

/* True when some line of text holds a and, after it, b. */
static bool line_has(const char *text, const char *a, const char *b)
{
    for (const char *p = text; (p = strstr(p, a)); p++) {
        const char *eol = strchr(p, '\n'), *q = strstr(p, b);
        if (q && (!eol || q < eol)) return true;
    }
    return false;
}

/* ---- refused templates --------------------------------------------------- */

START_TEST(not_well_formed)
{
    expect_error("nwf.xml", HEAD "<p>unclosed\n" "</body></template>", "3:8",
                 "not well-formed XML: Opening and ending tag mismatch: p line 2 and body");
}
END_TEST

START_TEST(fails_schema)
{
    expect_error("schema.xml", HEAD "  <p align=\"middle\">x</p>" TAIL, "2:3",
                 "Invalid attribute align for element p");
    /* a required attribute missing */
    expect_error("schema2.xml", HEAD "  <table><column/></table>" TAIL, "2:3", "table");
}
END_TEST

START_TEST(unknown_element)
{
    expect_error("unknown.xml", HEAD "  <p>ok</p>\n  <foo/>" TAIL, "3:3",
                 "Did not expect element foo there");
}
END_TEST

START_TEST(unknown_function)
{
    expect_error("func.xml", HEAD "  <p>x <value\n     select=\"frobnicate(1)\"/></p>" TAIL, "3:6",
                 "select=\"frobnicate(1)\": unknown function frobnicate()");
    /* a prefixed (extension) function, after an operator name */
    expect_error("func2.xml", HEAD "<p><value select=\"count(a) and exsl:node-set(b)\"/></p>" TAIL,
                 "2:11", "unknown function exsl:node-set()");
    /* operators, node types and core functions are not mistaken for unknown functions */
    cd_template *t;
    const char *msg;
    ck_assert_msg(load_text("ok.xml", HEAD "<p><value select=\"a or b and not(c) div 2 mod 3\"/>"
                            "<value select=\"node() | text() | comment() | processing-instruction()\"/>"
                            "<value select=\"translate(substring-before(concat('a(', b), '('), 'x', 'y')\"/>"
                            "<value select=\"count(div) + sum(mod/@and)\"/></p>" TAIL, &t, &msg) == CD_OK,
                  "%s", msg);
    cd_template_free(t);
}
END_TEST

START_TEST(xpath_syntax_error)
{
    expect_error("syntax.xml", HEAD "  <p><value select=\"/facts/[x\"/></p>" TAIL, "2:13",
                 "select=\"/facts/[x\": XPath syntax error: invalid expression, at character 8");
    expect_error("syntax2.xml", HEAD "<if test=\"\"><p/></if>" TAIL, "2:5", "test= is empty");
    expect_error("arity.xml", HEAD "<p><value select=\"concat('a')\"/></p>" TAIL, "2:11",
                 "wrong number of arguments to a function");
}
END_TEST

START_TEST(document_and_variables_refused)
{
    expect_error("doc.xml", HEAD "<p><value select=\"document('/etc/passwd')/x\"/></p>" TAIL, "2:11",
                 "document() is not available: a template can read only the data document");
    expect_error("var.xml", HEAD "<p><value select=\"$today\"/></p>" TAIL, "2:11",
                 "variables ($today) are not available");
}
END_TEST

START_TEST(doctype_and_entities_refused)
{
    expect_error("dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE template [<!ENTITY x SYSTEM \"/etc/passwd\">]>\n"
                 HEAD "<p>&x;</p>" TAIL, "2:1", "a DOCTYPE is not allowed in a template");
    expect_error("ent.xml", HEAD "<p>&undeclared;</p>" TAIL, "2:16", "not well-formed XML: Entity 'undeclared' not defined");
}
END_TEST

START_TEST(include_without_end)
{
    expect_error("loop.xml", HEAD " <include template=\"loop.xml\"/>" TAIL, "2:11",
                 "template \"loop.xml\" includes itself (through 1 include): the include never ends");
    tu_write_file(tu_path("ping.xml"), HEAD "<include template=\"pong.xml\"/>" TAIL);
    /* pong includes ping, which includes pong again: the error is at ping's include */
    cd_template *t;
    const char *msg;
    ck_assert_int_eq(load_text("pong.xml", HEAD "<p/>\n<include template=\"ping.xml\"/>" TAIL, &t, &msg), CD_EINPUT);
    char want[600];
    snprintf(want, sizeof want, "%s:2:10: template \"pong.xml\" includes itself (through 2 includes)",
             tu_path("ping.xml"));
    ck_assert_msg(strstr(msg, want) != NULL, "%s", msg);
    expect_error("inc-missing.xml", HEAD "<include template=\"nowhere.xml\"/>" TAIL, "2:10",
                 "included template \"nowhere.xml\" not found");
    /* a chain deeper than 8 (each file includes the next) */
    char name[32], text[256];
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "chain%d.xml", i);
        snprintf(text, sizeof text, HEAD "<include template=\"chain%d.xml\"/>" TAIL, i + 1);
        tu_write_file(tu_path(name), text);
    }
    cd_error err = {0};
    ck_assert_int_eq(cd_template_load(tu_path("chain0.xml"), &t, &err), CD_EINPUT);
    ck_assert_msg(strstr(err.message, "chain8.xml:2:10: includes are nested deeper than 8 templates"),
                  "%s", err.message);
}
END_TEST

START_TEST(missing_font)
{
    expect_error("font.xml", "<template xmlns=\"urn:courtdocs:template:1\">\n  <font family=\"NoSuchSans\"/><body/></template>",
                 "2:9", "/fonts/NoSuchSans.ttf");
}
END_TEST

START_TEST(image_missing_or_not_png)
{
    tu_write_file(tu_path("fake.png"), "GIF89a not a png");
    expect_error("img.xml", HEAD "<image src=\"nope.png\"/>\n<image width=\"20mm\" src=\"fake.png\"/>" TAIL,
                 "2:8", "image \"nope.png\" not found");
    expect_error("img.xml", HEAD "<image src=\"nope.png\"/>\n<image width=\"20mm\" src=\"fake.png\"/>" TAIL,
                 "3:21", "image \"fake.png\" is not a PNG file");
}
END_TEST

START_TEST(formats_lengths_and_shapes_checked)
{
    const char *text = HEAD "<p><value select=\"@a\" format=\"roman\"/></p>\n"
                       "<space height=\"6px\"/>\n"
                       "<table select=\"x\"><column/><column/><total><cell/></total></table>\n"
                       "<chart kind=\"bar\" categories=\"m\"><series name=\"s\" select=\"m\"/><alt/></chart>\n"
                       "<p><value select=\"a\" format=\"percent-of\"/></p>" TAIL;
    expect_error("fmt.xml", text, "2:23", "unknown format \"roman\": use one of text, date");
    expect_error("fmt.xml", text, "3:8", "height=\"6px\" is not a length");
    expect_error("fmt.xml", text, "4:37", "the total row has 1 cells but the table has 2 columns");
    expect_error("fmt.xml", text, "5:63", "<alt> needs select=\"XPATH\" or text");
    expect_error("fmt.xml", text, "6:22", "format=\"percent-of\" needs base=");
}
END_TEST

START_TEST(nesting_too_deep)
{
    char *text = malloc(10000);
    strcpy(text, HEAD);
    for (int i = 0; i < 70; i++) strcat(text, "<with select=\".\">");
    strcat(text, "<p/>");
    for (int i = 0; i < 70; i++) strcat(text, "</with>");
    strcat(text, TAIL);
    expect_error("deep.xml", text, "2:1072", "elements are nested deeper than 64 levels");
    free(text);
}
END_TEST

START_TEST(missing_file)
{
    cd_template *t;
    cd_error err = {0};
    ck_assert_int_eq(cd_template_load(tu_path("absent.xml"), &t, &err), CD_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "absent.xml: cannot read the template: No such file"));
}
END_TEST

/* ---- rendering ----------------------------------------------------------------- */

START_TEST(good_template_renders_every_element)
{
    xmlDocPtr data = read_doc(FIX "data-review.xml");
    int pages = 0;
    char *t = render_file(FIX "good.xml", data, "good.pdf", &pages);
    ck_assert_int_eq(pages, 3);
    const char *want[] = {
        "OFFICIAL-SENSITIVE", "Case TEST/0001", "Page 1 of 3", "Page 3 of 3",
        "Index: chronology on page 1.",
        "Born                    Saturday 29 February 1992",
        "Ethnicity               not recorded",            /* present but empty */
        "Sex                     unknown",                 /* absent, own fallback */
        "Order made              12 January 2026", "Short                   12/01/2026",
        "Generated               3 June 2026 at 10:00",
        "Tests: 3 of 8 (38%); none: no tests.",             /* 3/8 = 37.5% -> 38% */
        "Attendance 88%, hours 14.3, 14.25, 14.",           /* 87.5 -> 88; 14.25 -> 14.3 */
        "Spend £1,250, fine £12.50, kind DTTO, met Yes, bold both italic.",
        "Substances: Opiates, Cocaine, Cannabis.",
        "High intensity. Order of 18 months.", "No breach recorded.",
        "1. First item", "2. Substance 1 of 3: Opiates", "4. Substance 3 of 3: Cannabis", "• A bullet",
        "First paragraph of progress.\nSecond paragraph, a long one that goes on.\nThird paragraph after a blank line.",
        "No progress recorded.",
        "4 May 2026", "6 May 2026", "Total", "270", "No warnings in this period.",
        "Negative tests by month", "Month of order",
        "Opiate negatives rose from 20% to 33% over three months.", "Literal alt text for bars.",
        "Sam Officer", "Supervising officer", "2 June 2026",
        "Included part", "History: Heroin since age 19.",
    };
    /* label-value lines are compared with white space squeezed: pdftotext's
     * column spacing follows everything else on the page (table widths) */
    char *flat = tu_squeeze(strdup(t));
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *w = tu_squeeze(strdup(want[i]));
        ck_assert_msg(strstr(t, want[i]) != NULL || (strstr(want[i], "  ") && strstr(flat, w)),
                      "missing '%s' in:\n%s", want[i], t);
        free(w);
    }
    free(flat);
    ck_assert_ptr_null(strstr(t, "SHOULD NOT SHOW"));
    ck_assert_ptr_null(strstr(t, "Lower intensity"));
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("good.pdf")), 0);
    ck_assert_int_eq(tu_run("pdfinfo '%s'", tu_path("good.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "Court review report"));
    struct stat st;
    ck_assert_int_eq(stat(tu_path("good.pdf"), &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    free(t);
    xmlFreeDoc(data);
}
END_TEST

START_TEST(marked_rows_drawn)
{
    /* The marked row (met='false') is drawn bold: with no heading row, only a
     * table with a marked row uses the bold face at all. */
    xmlDocPtr data = read_doc(FIX "data-review.xml");
    tu_write_file(tu_path("mark.xml"), HEAD
        "<table select=\"/facts/review/appointment\" mark=\"@met='false'\">"
        "<column><value select=\"@kind\"/></column></table>" TAIL);
    tu_write_file(tu_path("nomark.xml"), HEAD
        "<table select=\"/facts/review/appointment\">"
        "<column><value select=\"@kind\"/></column></table>" TAIL);
    int pages;
    char *a = render_file(tu_path("mark.xml"), data, "mark.pdf", &pages);
    char *b = render_file(tu_path("nomark.xml"), data, "nomark.pdf", &pages);
    ck_assert_ptr_nonnull(strstr(a, "treatment"));
    ck_assert_ptr_nonnull(strstr(b, "treatment"));
    tu_run("pdffonts '%s' | grep -c Bold", tu_path("mark.pdf"));
    ck_assert_int_eq(atoi(tu_out()), 1);
    tu_run("pdffonts '%s' | grep -c Bold", tu_path("nomark.pdf"));
    ck_assert_int_eq(atoi(tu_out()), 0);
    free(a);
    free(b);
    xmlFreeDoc(data);
}
END_TEST

START_TEST(page_of_anchor_and_first_page_lines)
{
    xmlDocPtr data = doc_from("<facts ref=\"R/1\"/>");
    tu_write_file(tu_path("anchor.xml"),
        "<template xmlns=\"urn:courtdocs:template:1\">"
        "<first-page-footer><centre>Cover of <value select=\"/facts/@ref\"/></centre></first-page-footer>"
        "<footer><left>Sheet {page}/{pages}</left></footer><body>"
        "<p>Index: chronology page <page-of anchor=\"chronology\"/>, statement page <page-of anchor=\"stmt\"/>.</p>"
        "<page-break/><anchor name=\"chronology\" title=\"Chronology\"/><h level=\"1\">Chronology</h>"
        "<page-break/><p>filler</p><page-break/><anchor name=\"stmt\"/><p>Statement</p>" TAIL);
    int pages;
    char *t = render_file(tu_path("anchor.xml"), data, "anchor.pdf", &pages);
    ck_assert_int_eq(pages, 4);
    ck_assert_msg(strstr(t, "Index: chronology page 2, statement page 4.") != NULL, "%s", t);
    ck_assert_ptr_nonnull(strstr(t, "Cover of R/1"));
    ck_assert_ptr_null(strstr(t, "Sheet 1/4"));
    ck_assert_ptr_nonnull(strstr(t, "Sheet 2/4"));
    ck_assert_ptr_nonnull(strstr(t, "Sheet 4/4"));
    free(t);
    xmlFreeDoc(data);
}
END_TEST

/* A section is whole pages with its own footer on each; its page count is
 * known anywhere (before it too); link= makes a line a link to it. 90 lines of one paragraph each
 * cannot fit one page, so the section takes N > 1 pages, counted here from
 * its footers, and everything else must agree with N. */
START_TEST(sections_page_counts_and_links)
{
    cd_strbuf data = CD_STRBUF_INIT;
    cd_strbuf_add(&data, "<facts>");
    for (int i = 1; i <= 90; i++)
        cd_strbuf_printf(&data, "<line>Line %d of the statement.</line>", i);
    cd_strbuf_add(&data, "<short>One line.</short></facts>");
    xmlDocPtr doc = doc_from(cd_strbuf_str(&data));
    cd_strbuf_free(&data);
    tu_write_file(tu_path("section.xml"),
        "<template xmlns=\"urn:courtdocs:template:1\">"
        "<marking>OFFICIAL</marking><body>"
        "<p link=\"long\">The statement has <page-count section=\"long\" noun=\"page\"/> from page "
        "<page-of anchor=\"long\"/>; the note has <page-count section=\"short\" noun=\"page\"/>.</p>"
        "<section name=\"long\" title=\"Statement\"><footer><left>Sign here</left>"
        "<right>Statement page {section-page} of {section-pages}</right></footer>"
        "<for-each select=\"/facts/line\"><p><value select=\".\"/></p></for-each></section>"
        "<section name=\"short\"><footer><left>Initial here</left></footer>"
        "<p><value select=\"/facts/short\"/></p></section>"
        "<p>After the sections.</p>" TAIL);
    int pages;
    char *t = render_file(tu_path("section.xml"), doc, "section.pdf", &pages);
    int n = tu_count(t, "Sign here");
    ck_assert_int_gt(n, 1);
    ck_assert_int_eq(pages, 1 + n + 1 + 1);     /* intro, the statement, the note, after */
    char want[160];
    snprintf(want, sizeof want, "The statement has %d pages from page 2; the note has 1 page.", n);
    tu_squeeze(t);
    HAS(t, want);
    for (int k = 1; k <= n; k++) {
        snprintf(want, sizeof want, "Statement page %d of %d", k, n);
        HAS(t, want);
    }
    ck_assert_int_eq(tu_count(t, "Initial here"), 1);
    ck_assert_int_eq(tu_count(t, "OFFICIAL"), 2 * pages);
    free(t);
    /* the link and the bookmark */
    ck_assert_int_eq(tu_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c '/Subtype /Link'",
                            tu_path("section.pdf")), 0);
    ck_assert_int_ge(atoi(tu_out()), 1);
    ck_assert_int_eq(tu_run("qpdf --json --json-key=outlines '%s' | grep -c '\"title\": \"Statement\"'",
                            tu_path("section.pdf")), 0);
    xmlFreeDoc(doc);

    /* sections do not nest; counts and links need a real section or anchor */
    doc = doc_from("<facts/>");
    static const struct { const char *body, *what; } BAD[] = {
        { "<section name=\"a\"><section name=\"b\"><p>x</p></section></section>", "do not nest" },
        { "<p>Pages: <page-count section=\"nowhere\"/></p>", "nowhere" },
        { "<anchor name=\"plain\"/><p>Pages: <page-count section=\"plain\"/></p>", "plain" },
        { "<p link=\"nowhere\">x</p>", "links to nowhere" },
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        cd_strbuf b = CD_STRBUF_INIT;
        cd_strbuf_printf(&b, HEAD "%s" TAIL, BAD[i].body);
        cd_template *tpl;
        const char *msg;
        ck_assert_int_eq(load_text("bad-section.xml", cd_strbuf_str(&b), &tpl, &msg), CD_OK);
        cd_strbuf_free(&b);
        cd_error err = {0};
        ck_assert_int_eq(cd_template_render(tpl, doc, NULL, tu_path("bad.pdf"), NULL, &err), CD_EINPUT);
        ck_assert_msg(strstr(err.message, BAD[i].what) != NULL, "%s", err.message);
        ck_assert_int_ne(access(tu_path("bad.pdf"), F_OK), 0);
        cd_template_free(tpl);
    }
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(empty_data_document)
{
    xmlDocPtr data = doc_from("<facts/>");
    int pages;
    char *t = render_file(FIX "good.xml", data, "empty.pdf", &pages);
    ck_assert(line_has(t, "Born", "not recorded"));
    ck_assert(line_has(t, "Case", "not recorded"));
    ck_assert(line_has(t, "Sex", "unknown"));
    ck_assert_ptr_null(strstr(t, "Tests:"));              /* inside <with> that selected nothing */
    ck_assert_ptr_nonnull(strstr(t, "Substances: ."));
    ck_assert_ptr_nonnull(strstr(t, "Lower intensity. Order of not recorded months."));
    ck_assert_ptr_nonnull(strstr(t, "No appointments in this period."));
    ck_assert_ptr_nonnull(strstr(t, "Progress\nnot recorded\nNo progress recorded."));
    ck_assert_ptr_nonnull(strstr(t, "Spend not recorded, fine not recorded"));
    ck_assert_ptr_null(strstr(t, "Included part"));      /* include select= found nothing */
    ck_assert_int_eq(tu_run("qpdf --check '%s'", tu_path("empty.pdf")), 0);
    free(t);
    xmlFreeDoc(data);
}
END_TEST

START_TEST(ten_thousand_rows)
{
    xmlDocPtr data = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"facts");
    xmlDocSetRootElement(data, root);
    char num[32];
    for (int i = 1; i <= 10000; i++) {
        xmlNodePtr r = xmlNewChild(root, NULL, (const xmlChar *)"row", NULL);
        snprintf(num, sizeof num, "%d", i);
        xmlNewProp(r, (const xmlChar *)"n", (const xmlChar *)num);
        xmlNewProp(r, (const xmlChar *)"v", (const xmlChar *)(i % 2 ? "1250.5" : ""));
    }
    tu_write_file(tu_path("big.xml"), HEAD
        "<table select=\"/facts/row\" zebra=\"true\">"
        "<column heading=\"No\">row <value select=\"@n\"/> at <value select=\"position()\"/></column>"
        "<column heading=\"Money\" align=\"right\"><value select=\"@v\" format=\"money\" fallback=\"-\"/></column>"
        "<total><cell>Rows</cell><cell><value select=\"count(/facts/row)\" format=\"integer\"/></cell></total>"
        "</table>" TAIL);
    int pages;
    char *t = render_file(tu_path("big.xml"), data, "big.pdf", &pages);
    ck_assert_int_gt(pages, 100);
    ck_assert_int_eq(tu_count(t, "row 1 at 1 "), 1);
    ck_assert_int_eq(tu_count(t, "row 10000 at 10000"), 1);
    ck_assert_int_eq(tu_count(t, "£1,250.50"), 5000);
    ck_assert_ptr_nonnull(strstr(t, "10,000"));
    free(t);
    xmlFreeDoc(data);
}
END_TEST

START_TEST(one_template_many_documents)
{
    cd_template *t = NULL;
    cd_error err = {0};
    ck_assert_int_eq(cd_template_load(FIX "good.xml", &t, &err), CD_OK);
    xmlDocPtr data = read_doc(FIX "data-review.xml");
    unsigned char *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    int pa = 0, pb = 0;
    ck_assert_int_eq(cd_template_render_buffer(t, data, NULL, &a, &la, &pa, &err), CD_OK);
    ck_assert_int_eq(cd_template_render_buffer(t, data, NULL, &b, &lb, &pb, &err), CD_OK);
    ck_assert_int_eq(pa, 3);
    ck_assert_int_eq(pa, pb);
    ck_assert_uint_gt(la, 1000);
    ck_assert_int_eq(memcmp(a, "%PDF-", 5), 0);
    free(a);
    free(b);
    xmlFreeDoc(data);
    cd_template_free(t);
}
END_TEST

START_TEST(render_errors_name_the_template_line)
{
    xmlDocPtr data = doc_from("<facts><order made=\"soon\"/></facts>");
    cd_template *t;
    const char *msg;
    ck_assert_int_eq(load_text("baddate.xml", HEAD "<p>x</p>\n<p><value select=\"/facts/order/@made\" format=\"date\"/></p>" TAIL,
                               &t, &msg), CD_OK);
    cd_error err = {0};
    int rc = cd_template_render(t, data, NULL, tu_path("baddate.pdf"), NULL, &err);
    ck_assert_int_eq(rc, CD_EINPUT);
    char want[600];
    snprintf(want, sizeof want, "%s:3:11: the value of \"/facts/order/@made\" is not an ISO date (YYYY-MM-DD)",
             tu_path("baddate.xml"));
    ck_assert_msg(strstr(err.message, want) != NULL, "%s", err.message);
    ck_assert_ptr_null(strstr(err.message, "soon"));     /* no data in messages */
    ck_assert_int_ne(access(tu_path("baddate.pdf"), F_OK), 0);
    cd_template_free(t);

    /* a page-of naming an anchor the document never sets */
    ck_assert_int_eq(load_text("noanchor.xml", HEAD "<p>See <page-of anchor=\"nowhere\"/></p>" TAIL, &t, &msg), CD_OK);
    rc = cd_template_render(t, data, NULL, tu_path("noanchor.pdf"), NULL, &err);
    ck_assert_int_ne(rc, CD_OK);
    ck_assert_msg(strstr(err.message, "noanchor.xml: ") && strstr(err.message, "nowhere"), "%s", err.message);
    ck_assert_int_ne(access(tu_path("noanchor.pdf"), F_OK), 0);
    cd_template_free(t);

    /* a for-each over something that is not nodes */
    ck_assert_int_eq(load_text("notnodes.xml", HEAD "<for-each select=\"count(x)\"><p/></for-each>" TAIL, &t, &msg), CD_OK);
    rc = cd_template_render(t, data, NULL, tu_path("nn.pdf"), NULL, &err);
    ck_assert_int_eq(rc, CD_EINPUT);
    ck_assert_msg(strstr(err.message, "notnodes.xml:2:11: \"count(x)\" must select nodes"), "%s", err.message);
    cd_template_free(t);
    xmlFreeDoc(data);
}
END_TEST


/* ---- formats, worked by hand ------------------------------------------------- */

static const char *fmt(cd_arena *a, const char *name, const char *v, const char *base)
{
    tformat f;
    int dec;
    ck_assert_msg(tf_parse(name, &f, &dec), "format %s", name);
    const char *out, *why;
    if (!tf_format(a, f, dec, v, base, NULL, &out, &why)) return why;
    return out;
}

START_TEST(formats_hand_worked)
{
    cd_arena *a = cd_arena_new();
    ck_assert_str_eq(fmt(a, "date", "2026-06-03", NULL), "3 June 2026");
    ck_assert_str_eq(fmt(a, "long-date", "2026-06-03", NULL), "Wednesday 3 June 2026");
    ck_assert_str_eq(fmt(a, "short-date", "2026-06-03", NULL), "03/06/2026");
    ck_assert_str_eq(fmt(a, "datetime", "2026-06-03T09:05:00", NULL), "3 June 2026 at 09:05");
    ck_assert_str_eq(fmt(a, "datetime", "2026-06-03", NULL), "3 June 2026");
    ck_assert_str_eq(fmt(a, "date", "2026-02-30", NULL), "an ISO date (YYYY-MM-DD)");
    ck_assert_str_eq(fmt(a, "number", "1234567.891", NULL), "1,234,567.89");
    ck_assert_str_eq(fmt(a, "number", "12.500", NULL), "12.5");
    ck_assert_str_eq(fmt(a, "number", "-0.004", NULL), "0");
    ck_assert_str_eq(fmt(a, "integer", "12.5", NULL), "13");          /* half away from zero */
    ck_assert_str_eq(fmt(a, "integer", "-12.5", NULL), "-13");
    ck_assert_str_eq(fmt(a, "decimal:0", "999.5", NULL), "1,000");
    ck_assert_str_eq(fmt(a, "decimal:2", "0.125", NULL), "0.13");
    ck_assert_str_eq(fmt(a, "decimal:1", "abc", NULL), "a number");
    ck_assert_str_eq(fmt(a, "percent", "37.5", NULL), "38%");
    ck_assert_str_eq(fmt(a, "percent-of", "3", "8"), "3 of 8 (38%)");  /* 37.5% */
    ck_assert_str_eq(fmt(a, "percent-of", "1", "3"), "1 of 3 (33%)");
    ck_assert_str_eq(fmt(a, "percent-of", "2", "3"), "2 of 3 (67%)");
    ck_assert_str_eq(fmt(a, "percent-of", "0", "0"), "no tests");
    ck_assert_str_eq(fmt(a, "money", "1250", NULL), "£1,250");
    ck_assert_str_eq(fmt(a, "money", "1250.5", NULL), "£1,250.50");
    ck_assert_str_eq(fmt(a, "money", "-20", NULL), "-£20");
    ck_assert_str_eq(fmt(a, "yesno", "true", NULL), "Yes");
    ck_assert_str_eq(fmt(a, "yesno", "0", NULL), "No");
    ck_assert_str_eq(fmt(a, "yesno", "maybe", NULL), "true or false");
    ck_assert_str_eq(fmt(a, "upper", "dtto drr", NULL), "DTTO DRR");
    tformat f;
    int d;
    ck_assert(!tf_parse("decimal:7", &f, &d));
    ck_assert(!tf_parse("Date", &f, &d));
    double pt;
    ck_assert(tf_length("25.4mm", &pt) && fabs(pt - 72) < 1e-9);
    ck_assert(tf_length("1in", &pt) && pt == 72);
    ck_assert(tf_length("2.54cm", &pt) && fabs(pt - 72) < 1e-9);
    ck_assert(tf_length("6pt", &pt) && pt == 6);
    ck_assert(tf_length("10", &pt) && pt == 10);
    ck_assert(!tf_length("6px", &pt));
    ck_assert(!tf_length("-1mm", &pt));
    ck_assert(!tf_length("inf", &pt));
    cd_arena_free(a);
}
END_TEST

/* ---- the command --------------------------------------------------------------- */

START_TEST(check_template_command)
{
    ck_assert_int_eq(tu_run("%s check-template " FIX "good.xml " FIX "part.xml", tu_bin()), 0);
    ck_assert_str_eq(tu_out(), FIX "good.xml: ok\n" FIX "part.xml: ok\n");

    tu_write_file(tu_path("two.xml"), HEAD "<p><value select=\"f(\"/></p>\n<zzz/>" TAIL);
    ck_assert_int_eq(tu_run("%s check-template " FIX "good.xml '%s'", tu_bin(), tu_path("two.xml")), 3);
    ck_assert_ptr_nonnull(strstr(tu_out(), "good.xml: ok"));
    char want[600];
    snprintf(want, sizeof want, "%s:3:1: Did not expect element zzz there", tu_path("two.xml"));
    ck_assert_msg(strstr(tu_err(), want) != NULL, "%s", tu_err());

    ck_assert_int_eq(tu_run("%s check-template --data " FIX "data-review.xml -o '%s' " FIX "good.xml",
                            tu_bin(), tu_path("cli.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "good.xml: ok, rendered"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "(3 pages)"));
    char *t = tu_pdf_text(tu_path("cli.pdf"));
    ck_assert_ptr_nonnull(strstr(t, "Tests: 3 of 8 (38%)"));
    free(t);

    tu_write_file(tu_path("bad-data.xml"), "<facts><unclosed></facts>");
    ck_assert_int_eq(tu_run("%s check-template --data '%s' -o '%s' " FIX "good.xml",
                            tu_bin(), tu_path("bad-data.xml"), tu_path("x.pdf")), 3);
    ck_assert_ptr_nonnull(strstr(tu_err(), "bad-data.xml:1: data document:"));

    ck_assert_int_eq(tu_run("%s check-template", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s check-template --data x.xml " FIX "good.xml", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s check-template --help", tu_bin()), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "FILE:LINE:COL"));
}
END_TEST

START_TEST(chart_values_per_category_and_keeps)
{
    /* value= and base= are read per category, so month 2 with no result
     * is a gap (n=0), not a shift of month 3's value into its place; month
     * 1's base of 4 is under min-base, so the legend's hollow entry shows. */
    xmlDocPtr data = doc_from("<facts><months>"
        "<month label=\"1\" opiates=\"50\"><s base=\"4\"/></month>"
        "<month label=\"2\"><s base=\"0\"/></month>"
        "<month label=\"3\" opiates=\"100\"><s base=\"6\"/></month></months></facts>");
    tu_write_file(tu_path("bases.xml"), HEAD
        "<chart kind=\"line\" categories=\"/facts/months/month/@label\" min-base=\"5\""
        " hollow-label=\"hollow: under five\">"
        "<series name=\"Opiates\" value=\"@opiates\" base=\"s/@base\"/><alt>Alt.</alt></chart>" TAIL);
    int pages;
    char *t = render_file(tu_path("bases.xml"), data, "bases.pdf", &pages);
    char *flat = tu_squeeze(strdup(t));
    ck_assert_msg(strstr(flat, "n=4 n=0 n=6") != NULL, "%s", flat);
    ck_assert_ptr_nonnull(strstr(flat, "hollow: under five"));
    free(flat);
    free(t);
    xmlFreeDoc(data);
    expect_error("both.xml", HEAD "<chart kind=\"line\" categories=\"x\">\n<series name=\"A\" select=\"a\" "
                 "value=\"b\"/><alt>x</alt></chart>" TAIL, "3:1", "Invalid attribute value for element series");

    /* keep-with-next on a byline: with 57 one-line paragraphs before it (a
     * page holds 58 of 12.5 points), the byline and its note both go over */
    data = doc_from("<facts><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/>"
        "<f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/>"
        "<f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/><f/></facts>");
    tu_write_file(tu_path("keep.xml"), HEAD
        "<for-each select=\"/facts/f\"><p>Filler <value select=\"position()\"/></p></for-each>"
        "<p keep-with-next=\"true\" keep-together=\"true\">Byline</p><p>The note.</p>" TAIL);
    t = render_file(tu_path("keep.xml"), data, "keep.pdf", &pages);
    ck_assert_int_eq(pages, 2);
    const char *p2 = strchr(t, '\f');
    ck_assert_ptr_nonnull(p2);
    ck_assert_ptr_nonnull(strstr(p2, "Byline"));
    ck_assert_ptr_nonnull(strstr(p2, "The note."));
    free(t);
    xmlFreeDoc(data);
}
END_TEST

START_TEST(review_chart_needs_two_months)
{
    /* The review template draws the monthly chart only from two months on;
     * a first month is a sentence with its figures and bases (2 of 6 = 33%,
     * 3 of 6 = 50%). Other values fall back ("not recorded"). */
    const char *month1 = "<month n=\"1\" label=\"1\" opiates=\"33\" cocaine=\"50\">"
        "<substance name=\"opiates\" negative=\"2\" base=\"6\"/>"
        "<substance name=\"cocaine\" negative=\"3\" base=\"6\"/></month>";
    const char *month2 = "<month n=\"2\" label=\"2\" opiates=\"25\">"
        "<substance name=\"opiates\" negative=\"1\" base=\"4\"/>"
        "<substance name=\"cocaine\" negative=\"0\" base=\"0\"/></month>";
    char xml[2048];
    snprintf(xml, sizeof xml, "<facts ref=\"T/1\"><review number=\"1\"><months>%s</months></review></facts>", month1);
    xmlDocPtr data = doc_from(xml);
    int pages;
    char *t = render_file("templates/court-review.xml", data, "one-month.pdf", &pages);
    char *flat = tu_squeeze(strdup(t));
    HAS(flat, "The order is in its first month, so there is no trend to chart yet. This month, opiates "
              "negative: 2 of 6 (33%); cocaine negative: 3 of 6 (50%).");
    HASNT(flat, "Tests negative by month of the order");
    free(flat);
    free(t);
    xmlFreeDoc(data);
    snprintf(xml, sizeof xml, "<facts ref=\"T/1\"><review number=\"2\"><months>%s%s</months></review></facts>",
             month1, month2);
    data = doc_from(xml);
    t = render_file("templates/court-review.xml", data, "two-months.pdf", &pages);
    flat = tu_squeeze(strdup(t));
    HAS(flat, "Tests negative by month of the order");
    HAS(flat, "n=6 n=4/0");                 /* month 2: 4 opiate results, no cocaine */
    HAS(flat, "hollow: fewer than 5 results that month");
    HASNT(flat, "first month");
    free(flat);
    free(t);
    xmlFreeDoc(data);
}
END_TEST

/* Count of the validity cache's markers in dir. */
static int markers(const char *dir)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls '%s' 2>/dev/null | grep -c '^template-valid-'", dir);
    tu_run("%s", cmd);
    return atoi(tu_out());
}

/* Leaves in dir the validity marker of a template made of text, as a clean
 * load would. */
static void forge_marker(const char *dir, const char *text)
{
    char key[65], path[800];
    tu_template_key("schemas/template.rng", text, key);
    snprintf(path, sizeof path, "%s/template-valid-%s", dir, key);
    tu_write_file(path, "");
}

/* Templates are validated against the schema when they change, not on every
 * load: a clean load leaves a marker named by the SHA-256 of the schema's
 * SHA-256 and the template's bytes; a template with a marker skips the
 * schema check and the expressions' trial runs (shown by markers forged for
 * templates the schema or a trial run refuses but the compiler accepts); a
 * changed template is validated again. */
START_TEST(schema_check_cached_by_content)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s", tu_path("vcache"));
    setenv("CD_CACHE_DIR", dir, 1);
    cd_template *t;
    const char *msg;
    const char *good = HEAD "<p>Cached</p>" TAIL;
    ck_assert_int_eq(load_text("c1.xml", good, &t, &msg), CD_OK);
    cd_template_free(t);
    ck_assert_int_eq(markers(dir), 1);
    ck_assert_int_eq(load_text("c1.xml", good, &t, &msg), CD_OK);      /* same bytes: same marker */
    cd_template_free(t);
    ck_assert_int_eq(markers(dir), 1);
    const char *changed = HEAD "<p>Cached again</p>" TAIL;
    ck_assert_int_eq(load_text("c1.xml", changed, &t, &msg), CD_OK);
    cd_template_free(t);
    ck_assert_int_eq(markers(dir), 2);
    /* the schema refuses align="middle"; nothing is cached for it */
    const char *bad = HEAD "<p align=\"middle\">x</p>" TAIL;
    expect_error("c2.xml", bad, "2:1", "Invalid attribute align for element p");
    ck_assert_int_eq(markers(dir), 2);
    /* a marker for exactly these bytes: the schema check is skipped */
    forge_marker(dir, bad);
    ck_assert_int_eq(load_text("c2.xml", bad, &t, &msg), CD_OK);
    cd_template_free(t);
    /* and so is the trial run that finds a wrong argument count */
    const char *arity = HEAD "<p><value select=\"concat('a')\"/></p>" TAIL;
    expect_error("c3.xml", arity, "2:11", "wrong number of arguments");
    forge_marker(dir, arity);
    ck_assert_int_eq(load_text("c3.xml", arity, &t, &msg), CD_OK);
    cd_template_free(t);
    unsetenv("CD_CACHE_DIR");
}
END_TEST

/* Renders a loaded template against data (text) into out; returns the
 * return code, the pdftotext text in *text (caller frees; NULL on error)
 * and the error message in err. */
static int render_loaded(const cd_template *t, const char *data, const char *out, char **text,
                         cd_error *err)
{
    xmlDocPtr d = doc_from(data);
    int rc = cd_template_render(t, d, NULL, tu_path(out), NULL, err);
    xmlFreeDoc(d);
    *text = rc == CD_OK ? tu_pdf_text(tu_path(out)) : NULL;
    return rc;
}

/* An include whose bytes are known to load cleanly is read only when a
 * document reaches it: a document that does not never reads it (it may even
 * be broken meanwhile); one that does reads the file as it is then, and
 * fails, naming both files, if it no longer loads. An include never loaded
 * cleanly is loaded and checked with the including template, as before, and
 * check-template's load checks every include at once. */
START_TEST(include_loaded_on_first_use)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s", tu_path("icache"));
    setenv("CD_CACHE_DIR", dir, 1);
    const char *outer = HEAD "<p>Outer words</p>\n<if test=\"/d/@attach = 'yes'\"><include template=\"part.xml\"/></if>" TAIL;
    tu_write_file(tu_path("outer.xml"), outer);
    tu_write_file(tu_path("part.xml"), HEAD "<p>Part one</p>" TAIL);
    cd_template *t = NULL;
    cd_error err = {0};
    char *text;
    /* first load: part.xml never loaded cleanly, so it is loaded and checked now */
    ck_assert_int_eq(markers(dir), 0);
    ck_assert_msg(cd_template_load(tu_path("outer.xml"), &t, &err) == CD_OK, "%s", err.message);
    ck_assert_int_eq(markers(dir), 2);
    ck_assert_int_eq(render_loaded(t, "<d attach='yes'/>", "inc1.pdf", &text, &err), CD_OK);
    HAS(text, "Part one");
    free(text);
    cd_template_free(t);

    /* known clean: loaded when reached, as the file is then */
    ck_assert_msg(cd_template_load(tu_path("outer.xml"), &t, &err) == CD_OK, "%s", err.message);
    tu_write_file(tu_path("part.xml"), HEAD "<p>Part two</p>" TAIL);
    ck_assert_int_eq(render_loaded(t, "<d attach='no'/>", "inc2.pdf", &text, &err), CD_OK);
    HAS(text, "Outer words");
    HASNT(text, "Part");
    free(text);
    ck_assert_int_eq(render_loaded(t, "<d attach='yes'/>", "inc3.pdf", &text, &err), CD_OK);
    HAS(text, "Part two");
    free(text);
    cd_template_free(t);

    /* broken after the load: only a document that reaches it fails */
    ck_assert_msg(cd_template_load(tu_path("outer.xml"), &t, &err) == CD_OK, "%s", err.message);
    const char *broken = HEAD "<p>Part <value select=\"1 +\"/></p>" TAIL;
    tu_write_file(tu_path("part.xml"), broken);
    ck_assert_int_eq(render_loaded(t, "<d attach='no'/>", "inc4.pdf", &text, &err), CD_OK);
    free(text);
    ck_assert_int_eq(render_loaded(t, "<d attach='yes'/>", "inc5.pdf", &text, &err), CD_EINPUT);
    char want[700];
    snprintf(want, sizeof want, "%s:3:", tu_path("outer.xml"));
    HAS(err.message, want);
    HAS(err.message, "does not load now");
    snprintf(want, sizeof want, "%s:2:", tu_path("part.xml"));
    HAS(err.message, want);
    HAS(err.message, "XPath syntax error");
    ck_assert_int_eq(access(tu_path("inc5.pdf"), F_OK), -1);
    cd_template_free(t);

    /* never loaded cleanly: a load error, as before */
    ck_assert_int_eq(cd_template_load(tu_path("outer.xml"), &t, &err), CD_EINPUT);
    HAS(err.message, "XPath syntax error");
    /* even when its marker is there (forged here), check-template's load reads it */
    forge_marker(dir, broken);
    ck_assert_msg(cd_template_load(tu_path("outer.xml"), &t, &err) == CD_OK, "%s", err.message);
    cd_template_free(t);
    ck_assert_int_eq(cd_template_load_all(tu_path("outer.xml"), &t, &err), CD_EINPUT);
    HAS(err.message, "XPath syntax error");
    unsetenv("CD_CACHE_DIR");
}
END_TEST

Suite *template_suite(void)
{
    Suite *s = suite_create("template");
    TCase *tc = tcase_create("template");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, not_well_formed);
    tcase_add_test(tc, fails_schema);
    tcase_add_test(tc, unknown_element);
    tcase_add_test(tc, unknown_function);
    tcase_add_test(tc, xpath_syntax_error);
    tcase_add_test(tc, document_and_variables_refused);
    tcase_add_test(tc, doctype_and_entities_refused);
    tcase_add_test(tc, include_without_end);
    tcase_add_test(tc, missing_font);
    tcase_add_test(tc, image_missing_or_not_png);
    tcase_add_test(tc, formats_lengths_and_shapes_checked);
    tcase_add_test(tc, nesting_too_deep);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, good_template_renders_every_element);
    tcase_add_test(tc, marked_rows_drawn);
    tcase_add_test(tc, page_of_anchor_and_first_page_lines);
    tcase_add_test(tc, sections_page_counts_and_links);
    tcase_add_test(tc, empty_data_document);
    tcase_add_test(tc, ten_thousand_rows);
    tcase_add_test(tc, one_template_many_documents);
    tcase_add_test(tc, render_errors_name_the_template_line);
    tcase_add_test(tc, formats_hand_worked);
    tcase_add_test(tc, check_template_command);
    tcase_add_test(tc, chart_values_per_category_and_keeps);
    tcase_add_test(tc, review_chart_needs_two_months);
    tcase_add_test(tc, schema_check_cached_by_content);
    tcase_add_test(tc, include_loaded_on_first_use);
    suite_add_tcase(s, tc);
    return s;
}
