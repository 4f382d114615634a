/* cli.h -- the command-line tool: one function per subcommand, each in its
 * own src/cmd_*.c file, dispatched by cli.c. Commands use only the public
 * API (include/courtdocs.h) and the small helpers below. Each returns the
 * process exit code (CD_OK, CD_EUSAGE, ... from courtdocs.h). */
#ifndef CD_CLI_H
#define CD_CLI_H
#include "courtdocs.h"
#include <stdbool.h>

typedef struct cd_command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
    const char *summary;                 /* one line for `courtdocs help` */
    const char *usage;                   /* the full text for `courtdocs CMD --help` */
} cd_command;

int cd_cli_main(int argc, char **argv);
const cd_command *cd_cli_commands(void);   /* NULL-name terminated */

/* Prints "courtdocs CMD: message" to stderr and returns err->code. */
int cd_cli_fail(const char *cmd, const cd_error *err);
/* Prints a usage error ("courtdocs CMD: ...; see courtdocs CMD --help") and
 * returns CD_EUSAGE. */
int cd_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the command's usage text to stdout and returns CD_OK. */
int cd_cli_help(const char *cmd);
/* True when argv holds -h or --help (before any "--"). */
int cd_cli_wants_help(int argc, char **argv);

/* The password to encrypt a PDF with (cli_password.c): the first line of
 * file, or asked twice on the terminal without echo when ask_tty; *out is
 * NULL when neither is given. Errors are printed (never the password) and
 * return CD_EUSAGE. Free with cd_cli_password_free (it wipes the memory). */
int cd_cli_password(const char *cmd, const char *file, bool ask_tty, char **out);
void cd_cli_password_free(char *pw);
/* Why --password PW is refused, and what to use instead. */
extern const char cd_cli_password_refused[];
/* The options' help lines, for each command's --help text. */
#define CD_CLI_PASSWORD_OPTIONS \
    "  --password-file FILE  encrypt the PDF (AES-256) with the password on the first\n" \
    "                      line of FILE (keep FILE readable only by you); the PDF\n" \
    "                      opens only with it; printing allowed, copying not, screen\n" \
    "                      readers still read it\n" \
    "  --ask-password      the same, asking for the password on the terminal\n" \
    "                      (--password PW is refused: others could read it)\n"

int cmd_import(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_cases(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_facts(int argc, char **argv);
int cmd_check_template(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_psr(int argc, char **argv);
int cmd_breach(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_audit(int argc, char **argv);
/* Each cmd_*.c file defines its usage text. */
extern const char cmd_import_usage[];
extern const char cmd_note_usage[];
extern const char cmd_cases_usage[];
extern const char cmd_demo_usage[];
extern const char cmd_facts_usage[];
extern const char cmd_check_template_usage[];
extern const char cmd_review_usage[];
extern const char cmd_psr_usage[];
extern const char cmd_breach_usage[];
extern const char cmd_summary_usage[];
extern const char cmd_batch_usage[];
extern const char cmd_audit_usage[];
#endif
