/* cmd_render.c -- the shared body of the document commands (review, psr,
 * breach): one option parser, one way to open the store, report warnings
 * and print what was written, so the three commands behave alike; the
 * summary command renders through the same cd_doc_render_one. */
#include "cmd_render.h"
#include "cli.h"
#include "model.h"
#include "outfile.h"
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int cd_doc_command(const char *cmd, cd_doc_kind kind, int extra, int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },       { "case", required_argument, NULL, 'c' },
        { "date", required_argument, NULL, 't' },     { "output", required_argument, NULL, 'o' },
        { "password", required_argument, NULL, 'p' }, { "template-dir", required_argument, NULL, 'T' },
        { "attach-psr", no_argument, NULL, 'A' },     { "draft", no_argument, NULL, 'D' },
        { "force", no_argument, NULL, 'F' },          { "quiet", no_argument, NULL, 'q' },
        { "password-file", required_argument, NULL, 'P' }, { "ask-password", no_argument, NULL, 'K' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL, *ref = NULL, *out = NULL, *pwfile = NULL;
    bool ask_pw = false;
    cd_render_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.warnings = stderr;
    int quiet = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'c': ref = optarg; break;
        case 't': ro.date = optarg; break;
        case 'o': out = optarg; break;
        case 'p': return cd_cli_usage_error(cmd, "%s", cd_cli_password_refused);
        case 'P': pwfile = optarg; break;
        case 'K': ask_pw = true; break;
        case 'T': ro.template_dir = optarg; break;
        case 'q': quiet = 1; break;
        case 'A':
        case 'D':
        case 'F': {
            int bit = c == 'A' ? CD_DOCOPT_ATTACH_PSR : c == 'D' ? CD_DOCOPT_DRAFT : CD_DOCOPT_FORCE;
            if (!(extra & bit))
                return cd_cli_usage_error(cmd, "%s does not apply to this document", argv[optind - 1]);
            if (c == 'A') ro.attach_psr = 1;
            if (c == 'D') ro.draft = 1;
            if (c == 'F') ro.force = 1;
            break;
        }
        default:
            return cd_cli_usage_error(cmd, "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cd_cli_usage_error(cmd, "unexpected argument \"%s\"", argv[optind]);
    if (!db || !ref)
        return cd_cli_usage_error(cmd, "--db FILE and --case REF are required");
    cd_date d;
    if (ro.date && !cd_date_parse(ro.date, &d))
        return cd_cli_usage_error(cmd, "--date \"%s\" is not a real date (YYYY-MM-DD)", ro.date);
    return cd_doc_render_one(cmd, db, kind, ref, &ro, out, pwfile, ask_pw, quiet);
}

int cd_doc_render_one(const char *cmd, const char *db, cd_doc_kind kind, const char *ref,
                      cd_render_opts *ro, const char *out, const char *pwfile, bool ask_pw,
                      bool quiet)
{
    char *password = NULL;
    int rc = cd_cli_password(cmd, pwfile, ask_pw, &password);
    if (rc) return rc;
    ro->password = password;
    cd_error err = { 0 };
    cd_store *s = NULL;
    rc = cd_store_open(db, CD_STORE_READONLY, &s, &err);
    if (!rc) {
        cd_out_clean_stale_beside(out);      /* temporary files of killed runs */
        rc = cd_render(s, kind, ref, ro, out, &err);
    }
    ro->password = NULL;
    cd_cli_password_free(password);
    cd_store_close(s);
    cd_render_release();
    if (rc)
        return cd_cli_fail(cmd, &err);
    if (!quiet)
        printf("%s\n  %d page%s, sha256 %s, document %s\n", ro->written, ro->pages,
               ro->pages == 1 ? "" : "s", ro->sha256, ro->doc_id);
    return CD_OK;
}
