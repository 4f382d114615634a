/* layout_text.c -- text for the layout engine: prepares UTF-8 for drawing
 * (invalid sequences and characters the font lacks become U+FFFD, each
 * missing character reported once per document; "{page:NAME}" references
 * expanded), breaks inline spans into lines with the font's real metrics
 * (breaks at spaces; a word longer than the line is broken between
 * characters; newlines are hard breaks), and draws a line with its
 * alignment (justified lines spread the extra space over the gaps). */
#include "layout_int.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One run of text between break opportunities, in one face. */
typedef struct lay_token {
    const char *s;
    uint32_t len;
    uint8_t face;
    bool hard;                        /* a newline precedes it */
    bool glue;                        /* its gap is a space inside a CD_SPAN_NOWRAP span:
                                         not a break opportunity */
    float w, gap;                     /* width; space before (0 = glued to the previous) */
} lay_token;

int lay_fail(lay_ctx *c, int code, const char *fmt, ...)
{
    if (c->rc) return c->rc;
    if (c->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
        va_end(ap);
        c->err->code = code;
    }
    c->rc = code;
    return code;
}

/* The face for a style, loading its metrics; falls back to regular (then
 * bold to regular) when a face's file is missing. */
int lay_face(lay_ctx *c, unsigned style)
{
    int face = (int)(style & 3);
    cd_error e;
    if (cd_font_face_ready(c->font, face, &e) == CD_OK) return face;
    if (face == CD_FACE_BOLD_ITALIC && cd_font_face_ready(c->font, CD_FACE_BOLD, &e) == CD_OK)
        return CD_FACE_BOLD;
    return CD_FACE_REGULAR;
}

/* Reports a character the font lacks, once per code point per render. */
static void warn_missing(lay_ctx *c, uint32_t cp)
{
    for (size_t i = 0; i < c->nwarned; i++)
        if (c->warned[i] == cp) return;
    if (c->nwarned == c->cap_warned) {
        c->cap_warned = c->cap_warned ? c->cap_warned * 2 : 16;
        uint32_t *nw = realloc(c->warned, c->cap_warned * sizeof *nw);
        if (!nw) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
        c->warned = nw;
    }
    c->warned[c->nwarned++] = cp;
    if (c->doc->warnings)
        fprintf(c->doc->warnings, "warning: the font has no glyph for U+%04X; shown as a replacement\n",
                (unsigned)cp);
}

/* The page of an anchor from the previous pass (or, count = true, the page
 * count of a section), 0 when not yet known. */
static int known_page(const lay_ctx *c, const char *name, size_t n, bool count)
{
    for (size_t i = 0; i < c->nknown; i++)
        if (strlen(c->known[i].name) == n && memcmp(c->known[i].name, name, n) == 0)
            return count ? c->known[i].pages : c->known[i].page;
    return 0;
}

/* True when the document sets an anchor (section_only: a section) named
 * name (n bytes). */
static bool anchor_exists(const lay_ctx *c, const char *name, size_t n, bool section_only)
{
    for (size_t i = 0; i < c->doc->nblocks; i++) {
        const lay_block *b = &c->doc->blocks[i];
        if ((b->kind == BLK_SECTION_BEGIN || (b->kind == BLK_ANCHOR && !section_only)) &&
            strlen(b->label) == n && memcmp(b->label, name, n) == 0)
            return true;
    }
    return false;
}

/* Length of a "{page:NAME}" or "{pages:NAME}" / "{pages:NAME NOUN}"
 * reference at s (0 when there is none); the name starts at s + *name_at,
 * name_len bytes; *count is true for "{pages:". */
static size_t page_ref(const char *s, size_t n, size_t *name_at, size_t *name_len, bool *count)
{
    *count = n >= 9 && memcmp(s, "{pages:", 7) == 0;
    if (!*count && (n < 8 || memcmp(s, "{page:", 6) != 0)) return 0;
    *name_at = *count ? 7 : 6;
    const char *close = memchr(s + *name_at, '}', n - *name_at > 128 ? 128 : n - *name_at);
    if (!close || close == s + *name_at) return 0;
    *name_len = (size_t)(close - (s + *name_at));
    return *name_len + *name_at + 1;
}

/* Expands a page reference into out, at most 64 bytes (the page number or a
 * section's page count, with its noun; "?" while unknown). */
static size_t expand_ref(lay_ctx *c, const char *name, size_t nlen, bool count, char *out)
{
    c->has_page_refs = true;
    const char *noun = count ? memchr(name, ' ', nlen) : NULL;
    size_t noun_len = noun ? nlen - (size_t)(noun - name) - 1 : 0;
    if (noun) nlen = (size_t)(noun - name);
    if (noun_len > 40) noun_len = 40;
    int page = known_page(c, name, nlen, count);
    if (!page && !anchor_exists(c, name, nlen, count) && !c->unknown_anchor[0])
        snprintf(c->unknown_anchor, sizeof c->unknown_anchor, "%.*s", (int)(nlen > 100 ? 100 : nlen), name);
    if (page <= 0) { out[0] = '?'; return 1; }
    char digits[16];
    int k = 0;
    for (unsigned v = (unsigned)page; v; v /= 10) digits[k++] = (char)('0' + v % 10);
    for (int i = 0; i < k; i++) out[i] = digits[k - 1 - i];
    size_t o = (size_t)k;
    if (noun) {
        out[o++] = ' ';
        memcpy(out + o, noun + 1, noun_len);
        o += noun_len;
        if (page != 1) out[o++] = 's';
    }
    return o;
}

static double put_cp(lay_ctx *c, int face, uint32_t cp, char *out, size_t *o);

/* A page reference at s (n bytes left) expanded into out at *o, its advance
 * (1/1000 em) added to *w; returns the bytes of s it took (0: no reference).
 * The space in "2 pages" is a no-break space. */
static size_t put_ref(lay_ctx *c, int face, const char *s, size_t n, char *out, size_t *o, double *w)
{
    size_t nat, nlen;
    bool count;
    size_t rl = page_ref(s, n, &nat, &nlen, &count);
    if (!rl) return 0;
    char ref[80];
    size_t k = expand_ref(c, s + nat, nlen, count, ref);
    for (size_t j = 0; j < k;) {
        uint32_t cp;
        j += cd_utf8_decode(ref + j, k - j, &cp);
        *w += put_cp(c, face, cp == ' ' ? 0xA0 : cp, out, o);
    }
    return rl;
}

static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' ||
           (cp < 0x20 && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/* Appends the glyph-safe encoding of cp to out; returns its advance (1/1000 em). */
static double put_cp(lay_ctx *c, int face, uint32_t cp, char *out, size_t *o)
{
    if (!cd_font_has_glyph(c->font, face, cp)) {
        warn_missing(c, cp);
        cp = 0xFFFD;
    }
    *o += cd_utf8_encode(cp, out + *o);
    return cd_font_advance(c->font, face, cp);
}

static lay_token *push_tok(lay_ctx *c)
{
    if (c->ntoks == c->cap_toks) {
        c->cap_toks = c->cap_toks ? c->cap_toks * 2 : 256;
        lay_token *nt = realloc(c->toks, c->cap_toks * sizeof *nt);
        if (!nt) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
        c->toks = nt;
    }
    lay_token *t = &c->toks[c->ntoks++];
    memset(t, 0, sizeof *t);
    return t;
}

/* Splits spans into tokens (c->toks). */
static void tokenize(lay_ctx *c, const lay_text *t, unsigned style_or, double size)
{
    c->ntoks = 0;
    float pending_gap = 0;
    bool pending_hard = false, pending_glue = false;
    for (size_t si = 0; si < t->n; si++) {
        const char *s = t->spans[si].text;
        size_t n = strlen(s);
        bool nowrap = (t->spans[si].style & CD_SPAN_NOWRAP) != 0, inside = false;
        int face = lay_face(c, t->spans[si].style | style_or);
        double space_w = cd_font_advance(c->font, face, ' ') * size / 1000.0;
        char *out = cd_arena_alloc(c->pass, n * 3 + 16);
        size_t o = 0, tok_start = 0;
        double w = 0;
        lay_token *cur = NULL;
#define END_TOKEN() do { if (cur) { cur->len = (uint32_t)(o - tok_start); cur->w = (float)(w * size / 1000.0); cur = NULL; } } while (0)
#define START_TOKEN() do { if (!cur) { cur = push_tok(c); cur->s = out + o; cur->face = (uint8_t)face; \
        cur->gap = pending_gap; cur->hard = pending_hard; cur->glue = pending_glue && pending_gap > 0; \
        pending_gap = 0; pending_hard = false; pending_glue = false; tok_start = o; w = 0; } } while (0)
        for (size_t i = 0; i < n;) {
            if (s[i] == '{') {
                START_TOKEN();                     /* a '{' is never a space: the token starts here */
                size_t rl = put_ref(c, face, s + i, n - i, out, &o, &w);
                if (rl) {
                    i += rl;
                    continue;
                }
            }
            uint32_t cp;
            i += cd_utf8_decode(s + i, n - i, &cp);
            if (cp == '\n') {
                END_TOKEN();
                pending_gap = 0;
                pending_hard = true;
                pending_glue = inside = false;
                START_TOKEN();              /* an empty token carries the break */
                continue;
            }
            if (cp == 0xAD || cp == 0x200B || cp == 0xFEFF) continue;   /* invisible */
            if (is_space_cp(cp)) {
                END_TOKEN();
                if (pending_gap == 0) pending_gap = (float)space_w;
                pending_glue = nowrap && inside;     /* a space between two of its words */
                continue;
            }
            START_TOKEN();
            inside = true;
            w += put_cp(c, face, cp, out, &o);
        }
        END_TOKEN();
        pending_glue = false;                        /* a trailing space may break */
#undef END_TOKEN
#undef START_TOKEN
    }
}

static lay_frag *push_frag(lay_ctx *c)
{
    lay_frag *f = CD_PUSH(c->pass, c->frags, c->nfrags, c->cap_frags);
    memset(f, 0, sizeof *f);
    return f;
}

typedef struct {
    lay_ctx *c;
    lay_line *line;                   /* the open line, NULL when none */
    size_t nlines;
} breaker;

static lay_line *open_line(breaker *br)
{
    lay_ctx *c = br->c;
    if (!br->line) {
        br->line = CD_PUSH(c->pass, c->lines, c->nlines, c->cap_lines);
        memset(br->line, 0, sizeof *br->line);
        br->line->first = (uint32_t)c->nfrags;
        br->nlines++;
    }
    return br->line;
}

static void close_line(breaker *br, bool last)
{
    if (br->line) br->line->last = last;
    br->line = NULL;
}

/* Adds a piece of a token to the open line. */
static void add_piece(breaker *br, const char *s, size_t len, int face, double w, double gap)
{
    lay_line *l = open_line(br);
    if (len == 0 && gap == 0) return;
    if (l->n == 0) gap = 0;
    lay_frag *f = push_frag(br->c);
    l = br->line;                     /* (frags and lines are separate arrays) */
    f->s = s;
    f->len = (uint32_t)len;
    f->face = (uint8_t)face;
    f->gap = (float)gap;
    if (gap > 0) l->ngaps++;
    f->gapno = l->ngaps;
    f->x = (float)(l->width + gap);
    f->w = (float)w;
    l->width = (float)(l->width + gap + w);
    l->n++;
}

/* Breaks a word too long for any line between characters. */
static void split_token(breaker *br, const lay_token *t, double size, double width)
{
    lay_ctx *c = br->c;
    size_t start = 0, i = 0;
    double acc = 0;
    double gap = t->gap;
    while (i < t->len) {
        uint32_t cp;
        size_t k = cd_utf8_decode(t->s + i, t->len - i, &cp);
        double cw = cd_font_advance(c->font, t->face, cp) * size / 1000.0;
        double used = br->line ? br->line->width : 0;
        if (used + (i > start ? 0 : gap) + acc + cw > width && (used > 0 || acc > 0)) {
            if (i > start) add_piece(br, t->s + start, i - start, t->face, acc, gap);
            close_line(br, false);
            open_line(br);
            gap = 0;
            start = i;
            acc = 0;
        }
        acc += cw;
        i += k;
    }
    if (i > start) add_piece(br, t->s + start, i - start, t->face, acc, gap);
}

/* The end of the unbreakable run (word) starting at token i: tokens glued
 * to it without a space or by a CD_SPAN_NOWRAP space. */
static size_t word_end(const lay_ctx *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->ntoks && !c->toks[j].hard && (c->toks[j].gap == 0 || c->toks[j].glue)) j++;
    return j;
}

void lay_text_extent(lay_ctx *c, const lay_text *t, unsigned style_or, double size,
                     double *min_w, double *max_w)
{
    tokenize(c, t, style_or, size);
    double widest = 0, line = 0, longest = 0;
    for (size_t i = 0; i < c->ntoks;) {
        if (c->toks[i].hard) line = 0;
        size_t j = word_end(c, i);
        double w = c->toks[i].w;
        for (size_t k = i + 1; k < j; k++) w += c->toks[k].gap + c->toks[k].w;
        if (w > widest) widest = w;
        line += (line > 0 ? c->toks[i].gap : 0) + w;
        if (line > longest) longest = line;
        i = j;
    }
    *min_w = widest;
    *max_w = longest;
}

void lay_break_text(lay_ctx *c, const lay_text *t, unsigned style_or, double size,
                    double width, size_t *first, size_t *n)
{
    *first = c->nlines;
    *n = 0;
    tokenize(c, t, style_or, size);
    breaker br = {c, NULL, 0};
    size_t i = 0;
    while (i < c->ntoks) {
        lay_token *tk = &c->toks[i];
        if (tk->hard) {
            open_line(&br);           /* an empty line for "\n\n" */
            close_line(&br, true);
            open_line(&br);
        }
        size_t j = word_end(c, i);
        double word_w = tk->w;
        for (size_t k = i + 1; k < j; k++) word_w += c->toks[k].gap + c->toks[k].w;
        double used = br.line ? br.line->width : 0;
        bool empty = !br.line || br.line->n == 0;
        double gap = empty ? 0 : tk->gap;
        if (used + gap + word_w <= width + 0.001) {
            for (size_t k = i; k < j; k++)
                add_piece(&br, c->toks[k].s, c->toks[k].len, c->toks[k].face, c->toks[k].w,
                          k == i ? gap : c->toks[k].gap);
            i = j;
        } else if (!empty) {
            close_line(&br, false);
        } else {
            /* wider than a line of its own: broken at its glued spaces,
             * then between characters */
            for (size_t k = i; k < j; k++) {
                lay_token piece = c->toks[k];
                double g = k == i ? 0 : piece.gap;
                double u = br.line ? br.line->width : 0;
                if (u + g + piece.w <= width + 0.001) {
                    add_piece(&br, piece.s, piece.len, piece.face, piece.w, g);
                    continue;
                }
                if (g > 0 && u > 0) {
                    close_line(&br, false);
                    g = 0;
                    if (piece.w <= width + 0.001) {
                        add_piece(&br, piece.s, piece.len, piece.face, piece.w, 0);
                        continue;
                    }
                }
                piece.gap = (float)g;
                split_token(&br, &piece, size, width);
            }
            i = j;
        }
    }
    close_line(&br, true);
    *n = br.nlines;
}

const char *lay_prepare(lay_ctx *c, const char *s, int face, double size, double *width)
{
    size_t n = s ? strlen(s) : 0;
    char *out = cd_arena_alloc(c->pass, n * 3 + 16);
    size_t o = 0;
    double w = 0;
    for (size_t i = 0; i < n;) {
        size_t rl = s[i] == '{' ? put_ref(c, face, s + i, n - i, out, &o, &w) : 0;
        if (rl) {
            i += rl;
            continue;
        }
        uint32_t cp;
        i += cd_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xAD || cp == 0x200B || cp == 0xFEFF) continue;
        if (is_space_cp(cp) || cp == '\n') cp = ' ';
        w += put_cp(c, face, cp, out, &o);
    }
    out[o] = '\0';
    if (width) *width = w * size / 1000.0;
    return out;
}

void lay_draw_line(lay_ctx *c, cd_pdf *pdf, const lay_line *l, double x, double width,
                   double baseline, double size, cd_align align, cd_rgb colour)
{
    if (l->n == 0) return;
    double off = 0, extra = 0;
    if (align == CD_ALIGN_RIGHT) off = width - l->width;
    else if (align == CD_ALIGN_CENTRE) off = (width - l->width) / 2;
    else if (align == CD_ALIGN_JUSTIFY && !l->last && l->ngaps > 0 && width > l->width)
        extra = (width - l->width) / l->ngaps;
    if (off < 0) off = 0;
    const lay_frag *f = &c->frags[l->first];
    for (uint32_t i = 0; i < l->n;) {
        uint32_t j = i + 1;
        cd_strbuf_reset(&c->scratch);
        /* the word space before a change of face is drawn too (an invisible
         * space glyph ending where the gap ends), and so is one after a line
         * that wraps: text extraction and screen readers see the words apart */
        double lead = 0;
        if (i > 0 && f[i].gap > 0) {
            cd_strbuf_addc(&c->scratch, ' ');
            lead = cd_font_advance(c->font, f[i].face, ' ') * size / 1000;
        }
        cd_strbuf_addn(&c->scratch, f[i].s, f[i].len);
        if (extra == 0)
            while (j < l->n && f[j].face == f[i].face) {
                if (f[j].gap > 0) cd_strbuf_addc(&c->scratch, ' ');
                cd_strbuf_addn(&c->scratch, f[j].s, f[j].len);
                j++;
            }
        if (j >= l->n && !l->last) cd_strbuf_addc(&c->scratch, ' ');
        cd_pdf_text(pdf, f[i].face, size, colour, x + off + f[i].x + extra * f[i].gapno - lead, baseline,
                    c->scratch.s, c->scratch.len);
        i = j;
    }
}
