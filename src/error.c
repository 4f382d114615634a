/* error.c -- the cd_error object every fallible call fills: a stable code and
 * one message for the user. Messages name files, lines, case refs and record
 * ids; by rule they never quote case data (names, notes, results). */
#include "courtdocs.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
