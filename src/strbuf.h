/* strbuf.h -- a growable, always NUL-terminated byte string on the heap.
 * Owned by the caller: cd_strbuf_free() releases it. */
#ifndef CD_STRBUF_H
#define CD_STRBUF_H
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct { char *s; size_t len, cap; } cd_strbuf;

#define CD_STRBUF_INIT {NULL, 0, 0}
void  cd_strbuf_add(cd_strbuf *b, const char *s);
void  cd_strbuf_addn(cd_strbuf *b, const char *s, size_t n);
void  cd_strbuf_addc(cd_strbuf *b, char c);
void  cd_strbuf_printf(cd_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for XML text and attribute values (&, <, >, ", '). */
void  cd_strbuf_add_xml(cd_strbuf *b, const char *s);
/* Makes room for extra more bytes (and the NUL) without another allocation,
 * for writers that then append with memcpy; exits when out of memory. */
void  cd_strbuf_reserve(cd_strbuf *b, size_t extra);
void  cd_strbuf_reset(cd_strbuf *b);              /* length 0, keeps memory */
/* Appends v in decimal (at most 20 digits) with no check and no NUL: the
 * caller has reserved the room (cd_strbuf_reserve). For writers that put
 * out thousands of numbers (the PDF structure tree, marked content): two
 * digits at a time from a table. */
static inline void cd_strbuf_put_uint(cd_strbuf *b, unsigned long v)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : 6;
    for (unsigned long x = v / 1000000; x; x /= 10) n++;
    char *o = b->s + b->len + n;
    b->len += (size_t)n;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        o -= 2;
        memcpy(o, pairs + 2 * r, 2);
    }
    if (v >= 10) memcpy(o - 2, pairs + 2 * v, 2);
    else o[-1] = (char)('0' + v);
}
const char *cd_strbuf_str(const cd_strbuf *b);    /* "" when empty */
void  cd_strbuf_free(cd_strbuf *b);
/* Writes one CSV field (NULL = empty): quoted when it holds a comma, quote,
 * CR or LF (quotes doubled); a field starting with = + - @ is quoted and
 * prefixed with ' so that a spreadsheet never runs it as a formula. */
void cd_csv_field(FILE *out, const char *field);

#endif
