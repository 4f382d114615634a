/* fuzz_template.c -- libFuzzer target for the template language: each input
 * is loaded as a template (parser, schema, XPath compilation and checks) and,
 * when it loads, rendered against a fixture data document into memory (the
 * expression evaluator, the formats, the layout). A bad template must give
 * an error, never a crash, leak or hang. */
#include "template.h"
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static xmlDocPtr data;
static char input_path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("CD_DATA_DIR", ".", 0);
    char dir[] = "/tmp/cdfuzz-template-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    snprintf(input_path, sizeof input_path, "%s/t.xml", dir);
    data = xmlReadFile("tests/fixtures/templates/data-review.xml", NULL, XML_PARSE_NONET);
    if (!data)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    FILE *f = fopen(input_path, "wb");
    if (!f)
        return 0;
    fwrite(bytes, 1, size, f);
    fclose(f);
    cd_template *t = NULL;
    cd_error err = {0};
    if (cd_template_load(input_path, &t, &err) == CD_OK) {
        unsigned char *buf = NULL;
        size_t len = 0;
        int pages = 0;
        cd_template_opts o = { NULL, false, NULL, NULL };
        if (cd_template_render_buffer(t, data, &o, &buf, &len, &pages, &err) == CD_OK)
            free(buf);
        cd_template_free(t);
    }
    return 0;
}
