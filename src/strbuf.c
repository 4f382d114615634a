/* strbuf.c -- growable strings for building messages, XML and SQL text. */
#include "strbuf.h"
#include "courtdocs.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cd_strbuf_reserve(cd_strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < b->len + extra + 1) ncap *= 2;
    char *p = realloc(b->s, ncap);
    if (!p) cd_out_of_memory();
    b->s = p;
    b->cap = ncap;
}

void cd_strbuf_addn(cd_strbuf *b, const char *s, size_t n)
{
    cd_strbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void cd_strbuf_add(cd_strbuf *b, const char *s) { if (s) cd_strbuf_addn(b, s, strlen(s)); }
void cd_strbuf_addc(cd_strbuf *b, char c) { cd_strbuf_addn(b, &c, 1); }

void cd_strbuf_printf(cd_strbuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        cd_strbuf_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void cd_strbuf_add_xml(cd_strbuf *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        switch (*s) {
        case '&': cd_strbuf_add(b, "&amp;"); break;
        case '<': cd_strbuf_add(b, "&lt;"); break;
        case '>': cd_strbuf_add(b, "&gt;"); break;
        case '"': cd_strbuf_add(b, "&quot;"); break;
        case '\'': cd_strbuf_add(b, "&apos;"); break;
        default: cd_strbuf_addc(b, *s);
        }
    }
}

void cd_strbuf_reset(cd_strbuf *b) { b->len = 0; if (b->s) b->s[0] = '\0'; }
const char *cd_strbuf_str(const cd_strbuf *b) { return b->s ? b->s : ""; }
void cd_strbuf_free(cd_strbuf *b) { free(b->s); b->s = NULL; b->len = b->cap = 0; }

void cd_csv_field(FILE *out, const char *field)
{
    if (!field)
        field = "";
    int formula = field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@';
    if (!formula && !strpbrk(field, ",\"\r\n")) {
        fputs(field, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}
