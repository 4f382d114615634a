/* cmd_check_template.c -- `courtdocs check-template`: loads each template
 * file as the renderer would (parse, schema, XPath compile and checks,
 * includes, images, font) and reports "FILE: ok" or every error as
 * "FILE:LINE:COL: message"; with --data it also renders one template against
 * a hand-written data document, so a template author can try a template
 * without a case store. */
#include "cli.h"
#include "template.h"
#include <getopt.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

const char cmd_check_template_usage[] =
    "Usage: courtdocs check-template [OPTIONS] FILE...\n"
    "       courtdocs check-template --data DATA.xml -o OUT.pdf FILE\n"
    "\n"
    "Checks document templates the way the renderer loads them: well-formed XML\n"
    "with no DOCTYPE or entities, valid against schemas/template.rng, every XPath\n"
    "expression compiled (syntax, the XPath 1.0 core functions only: no document(),\n"
    "no variables, right argument counts), formats and lengths known, included\n"
    "templates found (nested at most 8 deep, never including themselves), images\n"
    "present and PNG, the font family present in fonts/.\n"
    "\n"
    "For each FILE it prints \"FILE: ok\" on stdout, or each error on stderr as\n"
    "\"FILE:LINE:COL: what is wrong\" (at most 20 per file), so editors can jump to it.\n"
    "\n"
    "With --data, the (single) template is also rendered against a data document\n"
    "written by hand: an XML file shaped like the one `courtdocs facts` prints\n"
    "(<facts><person>...</person><order>...</order>...</facts>). The template's\n"
    "XPath expressions are evaluated against it, starting at its document node.\n"
    "\n"
    "Options:\n"
    "  --data FILE       render against this data document (needs -o)\n"
    "  -o, --output FILE where the PDF goes (written to a temporary file beside it,\n"
    "                    then renamed; mode 0600)\n"
    "  --draft           overprint DRAFT on every page of the rendered PDF\n"
    CD_CLI_PASSWORD_OPTIONS
    "  -h, --help        this text\n"
    "\n"
    "The template language is described in docs/templates.md.\n"
    "\n"
    "Examples:\n"
    "  courtdocs check-template templates/*.xml\n"
    "  courtdocs check-template --data tests/fixtures/templates/data-review.xml \\\n"
    "      -o try.pdf templates/court-review.xml\n"
    "\n"
    "Exit status: 0 every template is valid (and rendered); 2 usage error;\n"
    "3 a template has errors, or the data document is not well-formed or the\n"
    "render failed; 1 any other error (a file cannot be read or written).\n";

/* Reads the data document with the same care as a template: no network, no
 * entity substitution, no DTD. */
static int read_data(const char *path, xmlDocPtr *out, cd_error *err)
{
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    xmlDocPtr doc = pc ? xmlCtxtReadFile(pc, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                         XML_PARSE_NOWARNING) : NULL;
    if (!doc) {
        const xmlError *e = pc ? xmlCtxtGetLastError(pc) : NULL;
        char msg[300] = "cannot be read";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t k = strlen(msg);
            while (k && msg[k - 1] == '\n') msg[--k] = '\0';
        }
        int rc = cd_error_set(err, CD_EINPUT, "%s:%d: data document: %s", path, e ? e->line : 0, msg);
        if (pc) xmlFreeParserCtxt(pc);
        return rc;
    }
    xmlFreeParserCtxt(pc);
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        return cd_error_set(err, CD_EINPUT, "%s: data document: a DOCTYPE is not allowed", path);
    }
    *out = doc;
    return CD_OK;
}

int cmd_check_template(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"draft", no_argument, NULL, 'D'},
        {"password", required_argument, NULL, 'p'},
        {"password-file", required_argument, NULL, 'P'},
        {"ask-password", no_argument, NULL, 'K'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *output = NULL, *pwfile = NULL;
    bool draft = false, ask_pw = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'o': output = optarg; break;
        case 'D': draft = true; break;
        case 'p': return cd_cli_usage_error("check-template", "%s", cd_cli_password_refused);
        case 'P': pwfile = optarg; break;
        case 'K': ask_pw = true; break;
        default:
            return cd_cli_usage_error("check-template", "unknown option or missing value: %s",
                                      argv[optind - 1]);
        }
    }
    int nfiles = argc - optind;
    if (nfiles < 1) return cd_cli_usage_error("check-template", "name at least one template FILE");
    if ((data != NULL) != (output != NULL))
        return cd_cli_usage_error("check-template", "--data and -o go together: render DATA to OUT.pdf");
    if (data && nfiles != 1)
        return cd_cli_usage_error("check-template", "--data renders one template: name exactly one FILE");

    char *password = NULL;
    if (data) {
        int rc = cd_cli_password("check-template", pwfile, ask_pw, &password);
        if (rc) return rc;
    }
    int status = CD_OK;
    for (int i = optind; i < argc; i++) {
        cd_template *t = NULL;
        cd_error err = {0};
        int rc = cd_template_load_all(argv[i], &t, &err);
        if (rc != CD_OK) {
            fprintf(stderr, "%s\n", err.message);
            if (status == CD_OK || rc == CD_EGENERAL) status = rc;
            continue;
        }
        if (!data) {
            printf("%s: ok\n", argv[i]);
            cd_template_free(t);
            continue;
        }
        xmlDocPtr doc = NULL;
        int pages = 0;
        rc = read_data(data, &doc, &err);
        if (rc == CD_OK) {
            cd_template_opts o = {.password = password, .draft = draft, .warnings = stderr};
            rc = cd_template_render(t, doc, &o, output, &pages, &err);
            xmlFreeDoc(doc);
        }
        if (rc == CD_OK)
            printf("%s: ok, rendered %s (%d page%s)\n", argv[i], output, pages, pages == 1 ? "" : "s");
        else {
            fprintf(stderr, "courtdocs check-template: %s\n", err.message);
            status = rc;
        }
        cd_template_free(t);
    }
    cd_cli_password_free(password);
    return status;
}
