/* cmd_render.h -- what the document commands (review, psr, breach; the
 * summary shares the rendering) share:
 * their options, opening the store read-only, rendering through cd_render,
 * printing author warnings on stderr and the file written on stdout. */
#ifndef CD_CMD_RENDER_H
#define CD_CMD_RENDER_H
#include "courtdocs.h"
#include <stdbool.h>

/* Options each command accepts beyond the common ones. */
enum { CD_DOCOPT_ATTACH_PSR = 1, CD_DOCOPT_DRAFT = 2, CD_DOCOPT_FORCE = 4 };

/* Runs the document command cmd ("review", ...) for kind with argv; extra
 * says which of the CD_DOCOPT_* options it takes. Returns the exit code. */
int cd_doc_command(const char *cmd, cd_doc_kind kind, int extra, int argc, char **argv);

/* Renders one document for a command (review, psr, breach, summary): the
 * password from pwfile or the terminal (cd_cli_password), the store at db
 * opened read-only, temporary files of killed runs beside out removed,
 * cd_render, the templates released; prints the file written and its
 * figures unless quiet. Errors are printed; returns the exit code. */
int cd_doc_render_one(const char *cmd, const char *db, cd_doc_kind kind, const char *ref,
                      cd_render_opts *ro, const char *out, const char *pwfile, bool ask_pw,
                      bool quiet);

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
