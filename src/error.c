/* error.c -- the cd_error object every fallible call fills: a stable code and
 * one message for the user. Messages name files, lines, case refs and record
 * ids; by rule they never quote case data (names, notes, results). */
#include "courtdocs.h"
#include "outfile.h"
#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cd_error_set(cd_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void cd_error_prefix(cd_error *err, const char *fmt, ...)
{
    if (!err) return;
    char prefix[512], old[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    size_t pl = strlen(prefix);
    if (pl >= sizeof err->message) pl = sizeof err->message - 1;
    memcpy(err->message, prefix, pl);
    size_t room = sizeof err->message - pl - 1, ol = strnlen(old, sizeof old);
    if (ol > room) ol = room;
    memcpy(err->message + pl, old, ol);
    err->message[pl + ol] = '\0';
}

/* ---- libxml2's own messages ------------------------------------------------ */

/* libxml2 reports what no parser context catches (out of memory, I/O, a
 * reader or schema made before its handler was set) through two global
 * handlers whose default prints to stderr, quoting file content ("Bytes:
 * 0xE9 0x20 ...") and, under memory pressure, one line per failed
 * allocation. courtdocs replaces both: every message a caller wants is
 * collected by that caller's own handler and reworded without content. */

void cd_out_of_memory(void)
{
    static const char msg[] = "courtdocs: out of memory\n";
    cd_temp_cleanup_signal_safe();
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(CD_EGENERAL);
}

static void xml_generic_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void xml_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (e && e->code == XML_ERR_NO_MEMORY)
        cd_out_of_memory();
}

void cd_errors_init(void)
{
    xmlSetGenericErrorFunc(NULL, xml_generic_quiet);
    xmlSetStructuredErrorFunc(NULL, xml_structured);
}
