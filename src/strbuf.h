/* strbuf.h -- a growable, always NUL-terminated byte string on the heap.
 * Owned by the caller: cd_strbuf_free() releases it. */
#ifndef CD_STRBUF_H
#define CD_STRBUF_H
#include <stddef.h>
#include <stdio.h>

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
const char *cd_strbuf_str(const cd_strbuf *b);    /* "" when empty */
void  cd_strbuf_free(cd_strbuf *b);
/* Writes one CSV field (NULL = empty): quoted when it holds a comma, quote,
 * CR or LF (quotes doubled); a field starting with = + - @ is quoted and
 * prefixed with ' so that a spreadsheet never runs it as a formula. */
void cd_csv_field(FILE *out, const char *field);

#endif
