/* cmd_note.c -- `courtdocs note`: stores a note written locally (the
 * officer's assessment, recommendation, provider's view, a contact attempt,
 * the breach statement) for a case. Imports never touch these. */
#include "cli.h"
#include "store.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_note_usage[] =
    "Usage: courtdocs note --db FILE --case REF --kind KIND [--author NAME]\n"
    "                      [--date YYYY-MM-DD] [--file TEXT.txt]\n"
    "\n"
    "Stores a note you wrote for a case: the words the documents leave to the\n"
    "officer. The text comes from --file or, without it, from standard input\n"
    "(end it with Ctrl-D). Blank lines separate paragraphs, and the documents\n"
    "keep them. The note is UTF-8 text of at most 1 MB.\n"
    "\n"
    "Kinds and where they appear:\n"
    "  supervisor-assessment  the court review: the supervising officer's assessment\n"
    "  recommendation         the court review: the recommendation to the court\n"
    "  provider-view          the court review: the treatment provider's view\n"
    "  progress               the court review: progress on the last review's directions\n"
    "  contact-attempt        the breach pack: attempts to contact the person\n"
    "  breach-statement       the breach pack: the officer's statement and proposal\n"
    "\n"
    "A note belongs to the review period its date falls in (default: today).\n"
    "Notes written here are kept apart from imported records: a later import\n"
    "never changes or removes them.\n"
    "\n"
    "Options:\n"
    "  --db FILE        the case store (it must exist: made by import --create)\n"
    "  --case REF       the case ref, exactly as imported\n"
    "  --kind KIND      one of the kinds above\n"
    "  --author NAME    who wrote it (shown with the note)\n"
    "  --date D         the date of the note, YYYY-MM-DD (default today; not in the future)\n"
    "  --file F         read the text from F instead of standard input\n"
    "  -h, --help       this text\n"
    "\n"
    "Example:\n"
    "  courtdocs note --db area.db --case LSL/2026/0042 --kind recommendation \\\n"
    "      --author \"Sam Okafor\" --file recommendation.txt\n"
    "\n"
    "Exit status: 0 stored; 2 usage error (unknown kind, bad date); 3 the text is\n"
    "empty, too long or not UTF-8; 4 the store cannot be opened or written;\n"
    "5 no such case; 1 any other error.\n";

/* Reads all of f (at most CD_NOTE_MAX + 1 bytes, so that too long is seen).
 * Returns a malloc'd NUL-terminated string or NULL; *nul says a NUL byte
 * was read. */
static char *read_all(FILE *f, int *nul)
{
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    *nul = 0;
    while (b) {
        if (n + 1 >= cap) {
            if (cap > CD_NOTE_MAX + 2)
                break;
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
            cap *= 2;
        }
        size_t k = fread(b + n, 1, cap - n - 1, f);
        if (k == 0)
            break;
        if (memchr(b + n, '\0', k))
            *nul = 1;
        n += k;
    }
    if (b)
        b[n] = '\0';
    return b;
}

int cmd_note(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },   { "case", required_argument, NULL, 'c' },
        { "kind", required_argument, NULL, 'k' }, { "author", required_argument, NULL, 'a' },
        { "date", required_argument, NULL, 't' }, { "file", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL, *ref = NULL, *kind = NULL, *author = NULL, *date = NULL, *file = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'c': ref = optarg; break;
        case 'k': kind = optarg; break;
        case 'a': author = optarg; break;
        case 't': date = optarg; break;
        case 'f': file = optarg; break;
        default: return cd_cli_usage_error("note", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cd_cli_usage_error("note", "unexpected argument \"%s\" (the text comes from "
                                  "standard input or --file)", argv[optind]);
    if (!db || !ref || !kind)
        return cd_cli_usage_error("note", "--db, --case and --kind are required");
    cd_error err = { 0 };
    if (cd_enum_parse(CD_ENUM_NOTE_KIND, kind) < 0)
        return cd_cli_usage_error("note", "unknown kind \"%s\"; the kinds are listed in --help", kind);

    FILE *in = stdin;
    if (file && !(in = fopen(file, "rb"))) {
        cd_error_set(&err, CD_EINPUT, "%s: cannot read the note (%s)", file, strerror(errno));
        return cd_cli_fail("note", &err);
    }
    int nul;
    char *text = read_all(in, &nul);
    if (in != stdin)
        fclose(in);
    if (!text) {
        cd_error_set(&err, CD_EGENERAL, "out of memory reading the note");
        return cd_cli_fail("note", &err);
    }
    if (nul) {
        free(text);
        cd_error_set(&err, CD_EINPUT, "the note holds a NUL byte: it is not text");
        return cd_cli_fail("note", &err);
    }
    cd_store *s = NULL;
    int rc = cd_store_open(db, CD_STORE_WRITE, &s, &err);
    if (!rc)
        rc = cd_note_add(s, ref, kind, author, date, text, &err);
    cd_store_close(s);
    free(text);
    if (rc)
        return cd_cli_fail("note", &err);
    printf("note stored for case %s (%s)\n", ref, kind);
    return CD_OK;
}
