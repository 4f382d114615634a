/* cmd_facts.c -- `courtdocs facts`: prints the data document a template
 * reads for a case, so that a template author sees exactly what there is to
 * bind, and anyone can check the figures without a PDF. */
#include "cli.h"
#include "facts.h"
#include "outfile.h"
#include "store.h"
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_facts_usage[] =
    "Usage: courtdocs facts --db FILE --case REF [--kind review|breach|psr]\n"
    "                       [--date YYYY-MM-DD] [-o FILE.xml]\n"
    "\n"
    "Prints the data document that a document template reads for a case: the\n"
    "person, the order, the staff, and for a review the review period with this\n"
    "period's and the last period's figures, every appointment and test, the\n"
    "enforcement position, the notes; for a breach pack the enforcement position\n"
    "and the guideline figures; for a PSR the assessment. Every figure is the one\n"
    "the PDF would show, computed by the rules under the order's rule profile.\n"
    "Element names are documented in docs/facts.md.\n"
    "\n"
    "Options:\n"
    "  --db FILE        the case store (opened read-only)\n"
    "  --case REF       the case ref, exactly as imported\n"
    "  --kind K         review (default), breach or psr\n"
    "  --date D         the review hearing / pack date (default: the next review\n"
    "                   due for a review, today otherwise)\n"
    "  -o, --output F   write to F (mode 0600) instead of standard output\n"
    "  -h, --help       this text\n"
    "\n"
    "Example:\n"
    "  courtdocs facts --db area.db --case LSL/2026/0042 --date 2026-12-01 | less\n"
    "\n"
    "The author's warnings (author-warnings in the document) are also printed\n"
    "on standard error. The document holds personal data: treat its output\n"
    "like the PDF.\n"
    "Exit status: 0 printed; 2 usage error; 3 the date does not fit the order;\n"
    "4 the store cannot be read; 5 no such case, or no review due; 1 other errors.\n";

/* Writes len bytes to path whole or not at all (outfile.h: a temporary
 * file beside it, mode 0600, flushed, renamed with SIGINT/SIGTERM held; a
 * device, FIFO or link at path is refused). */
static int write_file(const char *path, const unsigned char *text, size_t len, cd_error *err)
{
    return cd_out_write_file(path, text, len, err);
}

int cmd_facts(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },   { "case", required_argument, NULL, 'c' },
        { "kind", required_argument, NULL, 'k' }, { "date", required_argument, NULL, 't' },
        { "output", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 },
    };
    const char *db = NULL, *ref = NULL, *kind_word = "review", *date = NULL, *out = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'c': ref = optarg; break;
        case 'k': kind_word = optarg; break;
        case 't': date = optarg; break;
        case 'o': out = optarg; break;
        default: return cd_cli_usage_error("facts", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cd_cli_usage_error("facts", "unexpected argument \"%s\"", argv[optind]);
    if (!db || !ref)
        return cd_cli_usage_error("facts", "--db FILE and --case REF are required");
    cd_doc_kind kind;
    if (!strcmp(kind_word, "review"))
        kind = CD_DOC_REVIEW;
    else if (!strcmp(kind_word, "breach"))
        kind = CD_DOC_BREACH;
    else if (!strcmp(kind_word, "psr"))
        kind = CD_DOC_PSR;
    else
        return cd_cli_usage_error("facts", "--kind must be review, breach or psr");
    cd_date d = CD_DATE_NONE;
    if (date && !cd_date_parse(date, &d))
        return cd_cli_usage_error("facts", "--date \"%s\" is not a real date (YYYY-MM-DD)", date);

    cd_error err = { 0 };
    cd_store *s = NULL;
    cd_case *k = NULL;
    xmlDocPtr doc = NULL;
    int rc = cd_store_open(db, CD_STORE_READONLY, &s, &err);
    if (!rc)
        rc = cd_store_snapshot_begin(s, &err);
    if (!rc)
        rc = cd_store_load_case(s, ref, &k, &err);
    if (!rc && d == CD_DATE_NONE) {
        d = cd_facts_default_date(k, kind, cd_date_today());
        if (d == CD_DATE_NONE)
            rc = cd_error_set(&err, CD_ENOTFOUND, "case %s: no review is due; give a date with --date", ref);
    }
    if (!rc) {
        cd_facts_opts fo = { .kind = kind, .date = d, .doc_id = NULL, .generated = NULL };
        rc = cd_facts_build(k, &fo, &doc, &err);
    }
    cd_case_free(k);
    cd_store_close(s);
    if (rc)
        return cd_cli_fail("facts", &err);

    /* the author's warnings on stderr too, as the document commands print them */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "author-warnings"))
            for (xmlNodePtr w = n->children; w; w = w->next)
                if (w->type == XML_ELEMENT_NODE) {
                    xmlChar *t = xmlNodeGetContent(w);
                    fprintf(stderr, "courtdocs facts: warning: %s\n", t ? (const char *)t : "");
                    xmlFree(t);
                }

    /* pretty UTF-8 with its declaration (xmlDocFormatDump alone would write
     * non-ASCII letters as character references) */
    xmlChar *text = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(doc, &text, &len, "UTF-8", 1);
    xmlFreeDoc(doc);
    if (!text || len <= 0) {
        xmlFree(text);
        cd_error_set(&err, CD_EGENERAL, "out of memory while writing the data document");
        return cd_cli_fail("facts", &err);
    }
    if (!out) {
        int bad = fwrite(text, 1, (size_t)len, stdout) != (size_t)len;
        bad |= fflush(stdout) != 0;
        xmlFree(text);
        return bad ? CD_EGENERAL : CD_OK;
    }
    rc = write_file(out, text, (size_t)len, &err);
    xmlFree(text);
    return rc ? cd_cli_fail("facts", &err) : CD_OK;
}
