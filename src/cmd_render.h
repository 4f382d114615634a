/* cmd_render.h -- what the document commands (review, psr, breach) share:
 * their options, opening the store read-only, rendering through cd_render,
 * printing author warnings on stderr and the file written on stdout. */
#ifndef CD_CMD_RENDER_H
#define CD_CMD_RENDER_H
#include "courtdocs.h"

/* Options each command accepts beyond the common ones. */
enum { CD_DOCOPT_ATTACH_PSR = 1, CD_DOCOPT_DRAFT = 2, CD_DOCOPT_FORCE = 4 };

/* Runs the document command cmd ("review", ...) for kind with argv; extra
 * says which of the CD_DOCOPT_* options it takes. Returns the exit code. */
int cd_doc_command(const char *cmd, cd_doc_kind kind, int extra, int argc, char **argv);

/* The common options, for each command's --help text. */
#define CD_DOC_COMMON_OPTIONS \
    "  --db FILE           the case store (opened read-only)\n" \
    "  --case REF          the case ref, exactly as imported\n" \
    "  -o, --output FILE   where the PDF goes (default: KIND-REF-DATE.pdf in the\n" \
    "                      current folder, the ref made safe for a file name);\n" \
    "                      written whole or not at all, mode 0600\n" \
    CD_CLI_PASSWORD_OPTIONS \
    "  --template-dir DIR  read the template from DIR instead of templates/\n" \
    "  -q, --quiet         print nothing on success\n" \
    "  -h, --help          this text\n"

#endif
