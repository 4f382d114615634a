/* pdf_font.c -- the PDF writer's fonts: TrueType faces parsed once per
 * process, and for each face a document draws with, a real subset embedded
 * as a Type0 / CIDFontType2 font written with libharu's object API.
 *
 * libharu 2.3.0's own TrueType embedding (HPDF_LoadTTFontFromFile + the
 * UTF-8 encoder) walks all 65,536 code points per face per document, writes
 * a width for every one and a 128 KB CIDToGIDMap, keeps every glyph slot of
 * the font, and writes an invalid ToUnicode map. Here instead:
 *   - CIDs are given out in the order the document first draws each code
 *     point (CID 0 is .notdef), the text is shown as two-byte CIDs with
 *     Identity-H;
 *   - the embedded font program is renumbered so glyph = CID
 *     (CIDToGIDMap /Identity): .notdef, one glyph per CID, then the parts of
 *     composite glyphs not already there; tables head, hhea, maxp, OS/2,
 *     hmtx, loca (long), glyf and post (version 3, no names);
 *   - /W lists the widths of the CIDs used, in one run;
 *   - ToUnicode is a bfchar CMap, one entry per CID.
 * Work per document grows with the code points drawn, not with the font. */
#include "pdf_int.h"
#include <hpdf_objects.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    return p;
}

/* ======================================================================
 * The face, parsed once
 * ====================================================================== */

typedef struct { const unsigned char *p; uint32_t len; } table;

struct cd_ttf {
    unsigned char *data;
    size_t len;
    table head, hhea, maxp, os2, hmtx, loca, glyf, post;
    unsigned upem, nhm, nglyphs;
    bool loca_long;
    uint16_t *gid;              /* 65536 entries: code point -> glyph */
    char ps_name[64];           /* PostScript name (name id 6), [A-Za-z0-9-] only */
    /* scratch for one subset at a time: new id of a source glyph, valid
     * when stamp[g] == generation */
    uint32_t *stamp, generation;
    uint16_t *new_id;
};

static table find_table(const unsigned char *t, size_t len, const char *tag)
{
    table r = {NULL, 0};
    if (len < 12) return r;
    unsigned n = cd_be16(t + 4);
    if (12 + (size_t)n * 16 > len) return r;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *e = t + 12 + i * 16;
        if (memcmp(e, tag, 4) == 0) {
            uint32_t off = cd_be32(e + 8), l = cd_be32(e + 12);
            if (off > len || l > len - off) return r;
            r.p = t + off;
            r.len = l;
            return r;
        }
    }
    return r;
}

/* Fills t->gid from the Windows Unicode BMP (3,1) format-4 cmap (or a
 * Unicode-platform one). */
static bool parse_cmap(cd_ttf *t)
{
    table c = find_table(t->data, t->len, "cmap");
    if (!c.p || c.len < 4) return false;
    const unsigned char *cmap = c.p, *sub = NULL;
    unsigned nsub = cd_be16(cmap + 2);
    for (unsigned i = 0; i < nsub && 4 + (size_t)i * 8 + 8 <= c.len; i++) {
        const unsigned char *r = cmap + 4 + i * 8;
        uint32_t off = cd_be32(r + 4);
        if (off > c.len || c.len - off < 4) continue;
        if (cd_be16(r) == 3 && cd_be16(r + 2) == 1 && cd_be16(cmap + off) == 4) sub = cmap + off;
        else if (!sub && cd_be16(r) == 0 && cd_be16(cmap + off) == 4) sub = cmap + off;
    }
    if (!sub) return false;
    size_t sublen = cd_be16(sub + 2);
    if ((size_t)(sub - cmap) + sublen > c.len || sublen < 16) return false;
    unsigned segx2 = cd_be16(sub + 6);
    if (16 + (size_t)segx2 * 4 > sublen) return false;
    const unsigned char *ends = sub + 14, *starts = ends + segx2 + 2,
                        *deltas = starts + segx2, *ranges = deltas + segx2;
    t->gid = calloc(65536, sizeof *t->gid);
    if (!t->gid) return false;
    for (unsigned s = 0; s < segx2 / 2; s++) {
        unsigned end = cd_be16(ends + s * 2), start = cd_be16(starts + s * 2);
        uint16_t delta = cd_be16(deltas + s * 2), ro = cd_be16(ranges + s * 2);
        for (unsigned cp = start; cp <= end && cp < 0xFFFF; cp++) {
            unsigned g;
            if (ro == 0) g = (uint16_t)(cp + delta);
            else {
                size_t at = (size_t)(ranges + s * 2 - sub) + ro + (size_t)(cp - start) * 2;
                if (at + 2 > sublen) continue;
                g = cd_be16(sub + at);
                if (g) g = (uint16_t)(g + delta);
            }
            if (g < t->nglyphs) t->gid[cp] = (uint16_t)g;
        }
    }
    return true;
}

/* The PostScript name from the name table (id 6, Windows UTF-16 or Mac
 * Roman), keeping only characters allowed in a PDF name unescaped. */
static void parse_ps_name(cd_ttf *t)
{
    t->ps_name[0] = '\0';
    table n = find_table(t->data, t->len, "name");
    if (!n.p || n.len < 6) return;
    unsigned count = cd_be16(n.p + 2), strings = cd_be16(n.p + 4);
    for (unsigned i = 0; i < count && 6 + (size_t)(i + 1) * 12 <= n.len; i++) {
        const unsigned char *r = n.p + 6 + i * 12;
        unsigned platform = cd_be16(r), id = cd_be16(r + 6), l = cd_be16(r + 8), off = cd_be16(r + 10);
        if (id != 6 || (size_t)strings + off + l > n.len) continue;
        const unsigned char *s = n.p + strings + off;
        size_t k = 0, step = platform == 3 || platform == 0 ? 2 : 1;
        for (size_t j = step - 1; j < l && k + 1 < sizeof t->ps_name; j += step) {
            unsigned char ch = s[j];
            if (step == 2 && s[j - 1] != 0) continue;
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')
                t->ps_name[k++] = (char)ch;
        }
        t->ps_name[k] = '\0';
        if (k) return;
    }
}

cd_ttf *cd_ttf_parse(unsigned char *data, size_t len)
{
    cd_ttf *t = calloc(1, sizeof *t);
    if (!t) { free(data); return NULL; }
    t->data = data;
    t->len = len;
    t->head = find_table(data, len, "head");
    t->hhea = find_table(data, len, "hhea");
    t->maxp = find_table(data, len, "maxp");
    t->os2 = find_table(data, len, "OS/2");
    t->hmtx = find_table(data, len, "hmtx");
    t->loca = find_table(data, len, "loca");
    t->glyf = find_table(data, len, "glyf");
    t->post = find_table(data, len, "post");
    if (!t->head.p || t->head.len < 54 || !t->hhea.p || t->hhea.len < 36 || !t->maxp.p ||
        t->maxp.len < 6 || !t->hmtx.p || !t->loca.p || !t->glyf.p) goto bad;
    t->upem = cd_be16(t->head.p + 18);
    t->loca_long = cd_be16(t->head.p + 50) == 1;
    t->nhm = cd_be16(t->hhea.p + 34);
    t->nglyphs = cd_be16(t->maxp.p + 4);
    if (t->upem == 0 || t->nhm == 0 || t->nhm > t->nglyphs || t->nglyphs == 0 ||
        (size_t)t->nhm * 4 + (size_t)(t->nglyphs - t->nhm) * 2 > t->hmtx.len ||
        (size_t)(t->nglyphs + 1) * (t->loca_long ? 4 : 2) > t->loca.len) goto bad;
    if (!parse_cmap(t)) goto bad;
    parse_ps_name(t);
    t->stamp = calloc(t->nglyphs, sizeof *t->stamp);
    t->new_id = calloc(t->nglyphs, sizeof *t->new_id);
    if (!t->stamp || !t->new_id) goto bad;
    return t;
bad:
    cd_ttf_free(t);
    return NULL;
}

void cd_ttf_free(cd_ttf *t)
{
    if (!t) return;
    free(t->data);
    free(t->gid);
    free(t->stamp);
    free(t->new_id);
    free(t);
}

unsigned cd_ttf_glyph(const cd_ttf *t, uint32_t cp)
{
    return cp < 0xFFFF ? t->gid[cp] : 0;
}

/* The advance width of a glyph in font units. */
static unsigned advance_units(const cd_ttf *t, unsigned gid)
{
    unsigned hm = gid < t->nhm ? gid : t->nhm - 1;
    return cd_be16(t->hmtx.p + hm * 4);
}

/* The left side bearing of a glyph in font units (as stored, signed). */
static uint16_t lsb_units(const cd_ttf *t, unsigned gid)
{
    if (gid < t->nhm) return cd_be16(t->hmtx.p + gid * 4 + 2);
    return cd_be16(t->hmtx.p + t->nhm * 4 + (gid - t->nhm) * 2);
}

double cd_ttf_advance(const cd_ttf *t, unsigned gid)
{
    return advance_units(t, gid) * 1000.0 / t->upem;
}

/* A glyph's bytes in glyf (len 0 for an empty glyph or a bad offset). */
static const unsigned char *glyph_data(const cd_ttf *t, unsigned gid, uint32_t *len)
{
    uint32_t a, b;
    if (t->loca_long) { a = cd_be32(t->loca.p + gid * 4); b = cd_be32(t->loca.p + gid * 4 + 4); }
    else { a = cd_be16(t->loca.p + gid * 2) * 2u; b = cd_be16(t->loca.p + gid * 2 + 2) * 2u; }
    if (b <= a || b > t->glyf.len) { *len = 0; return NULL; }
    *len = b - a;
    return t->glyf.p + a;
}

/* Walks the components of a composite glyph (len bytes at g): calls fn with
 * the offset of each component's glyph index. False when g is not a
 * well-formed composite. */
static bool each_component(const unsigned char *g, uint32_t len,
                           void (*fn)(void *ctx, size_t at), void *ctx)
{
    if (len < 10 || (int16_t)cd_be16(g) >= 0) return false;
    size_t at = 10;
    for (;;) {
        if (at + 4 > len) return false;
        unsigned flags = cd_be16(g + at);
        fn(ctx, at + 2);
        at += 4 + ((flags & 0x0001) ? 4 : 2);
        if (flags & 0x0008) at += 2;            /* WE_HAVE_A_SCALE */
        else if (flags & 0x0040) at += 4;       /* WE_HAVE_AN_X_AND_Y_SCALE */
        else if (flags & 0x0080) at += 8;       /* WE_HAVE_A_TWO_BY_TWO */
        if (at > len) return false;
        if (!(flags & 0x0020)) return true;     /* MORE_COMPONENTS */
    }
}

typedef struct {
    cd_ttf *t;
    uint16_t *src;              /* new glyph id -> source glyph */
    size_t n, cap;
    unsigned char *glyph;       /* the composite being copied (remapped in place) */
} subset_walk;

/* The new id of a source glyph, appending it when not yet in the subset. */
static uint16_t subset_id(subset_walk *w, unsigned g)
{
    cd_ttf *t = w->t;
    if (g >= t->nglyphs) g = 0;
    if (t->stamp[g] == t->generation) return t->new_id[g];
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->src = xrealloc(w->src, w->cap * sizeof *w->src);
    }
    t->stamp[g] = t->generation;
    t->new_id[g] = (uint16_t)w->n;
    w->src[w->n++] = (uint16_t)g;
    return t->new_id[g];
}

/* each_component callback: the component's glyph joins the subset and its
 * index in the copied composite becomes the new id. */
static void remap_component(void *ctx, size_t at)
{
    subset_walk *w = ctx;
    uint16_t id = subset_id(w, cd_be16(w->glyph + at));
    w->glyph[at] = (unsigned char)(id >> 8);
    w->glyph[at + 1] = (unsigned char)id;
}

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t s = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) s += cd_be32(p + i);
    if (i < len) {
        unsigned char last[4] = {0, 0, 0, 0};
        memcpy(last, p + i, len - i);
        s += cd_be32(last);
    }
    return s;
}

unsigned cd_ttf_subset(cd_ttf *t, const uint32_t *cps, size_t ncps, unsigned char **out,
                       size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (ncps + 1 > 0xFFFF) return 0;
    /* 1. the glyph list: .notdef, one per CID (a glyph shared by two code
     * points is copied for each, so that every CID has its own glyph and its
     * own ToUnicode entry), then composite parts */
    if (++t->generation == 0) {
        memset(t->stamp, 0, t->nglyphs * sizeof *t->stamp);
        t->generation = 1;
    }
    subset_walk w = {t, NULL, 0, 0, NULL};
    (void)subset_id(&w, 0);
    unsigned fffd = cd_ttf_glyph(t, 0xFFFD);
    for (size_t i = 0; i < ncps; i++) {
        unsigned g = cd_ttf_glyph(t, cps[i]);
        if (!g) g = fffd;
        if (t->stamp[g] == t->generation) {       /* a second code point for the glyph */
            if (w.n == w.cap) { w.cap *= 2; w.src = xrealloc(w.src, w.cap * sizeof *w.src); }
            w.src[w.n++] = (uint16_t)g;
        } else (void)subset_id(&w, g);
    }
    for (size_t i = 0; i < w.n; i++) {            /* grows while walking */
        uint32_t len;
        const unsigned char *g = glyph_data(t, w.src[i], &len);
        if (!g) continue;
        if (len < 10 || (int16_t)cd_be16(g) >= 0) continue;      /* simple glyph */
        unsigned char *copy = xmalloc(len);
        memcpy(copy, g, len);
        w.glyph = copy;
        each_component(copy, len, remap_component, &w);
        free(copy);
        if (w.n > 0xFFFE) { free(w.src); return 0; }
    }
    size_t n = w.n;
    /* 2. glyf and loca (long offsets), each glyph padded to 4 bytes */
    size_t glyf_len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t len;
        glyph_data(t, w.src[i], &len);
        glyf_len += (len + 3u) & ~3u;
    }
    size_t loca_len = (n + 1) * 4, hmtx_len = n * 4, post_len = 32;
    size_t os2_len = t->os2.p ? t->os2.len : 0;
    struct { const char *tag; size_t len; } tabs[] = {
        {"OS/2", os2_len}, {"glyf", glyf_len}, {"head", 54}, {"hhea", 36},
        {"hmtx", hmtx_len}, {"loca", loca_len}, {"maxp", t->maxp.len}, {"post", post_len}};
    size_t ntabs = sizeof tabs / sizeof tabs[0], first = os2_len ? 0 : 1;
    size_t count = ntabs - first;
    size_t total = 12 + count * 16, offs[8];
    for (size_t i = first; i < ntabs; i++) {
        offs[i] = total;
        total += (tabs[i].len + 3) & ~(size_t)3;
    }
    unsigned char *f = calloc(1, total);
    if (!f) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    /* table contents */
    unsigned char *glyf = f + offs[1], *loca = f + offs[5];
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        put32(loca + i * 4, (uint32_t)at);
        uint32_t len;
        const unsigned char *g = glyph_data(t, w.src[i], &len);
        if (g) {
            memcpy(glyf + at, g, len);
            w.glyph = glyf + at;
            each_component(glyf + at, len, remap_component, &w);
        }
        at += (len + 3u) & ~3u;
    }
    put32(loca + n * 4, (uint32_t)at);
    unsigned char *hmtx = f + offs[4];
    for (size_t i = 0; i < n; i++) {
        put16(hmtx + i * 4, advance_units(t, w.src[i]));
        put16(hmtx + i * 4 + 2, lsb_units(t, w.src[i]));
    }
    unsigned char *head = f + offs[2];
    memcpy(head, t->head.p, 54);
    put32(head + 8, 0);
    put16(head + 50, 1);                                /* long loca */
    unsigned char *hhea = f + offs[3];
    memcpy(hhea, t->hhea.p, 36);
    put16(hhea + 34, (unsigned)n);
    unsigned char *maxp = f + offs[6];
    memcpy(maxp, t->maxp.p, t->maxp.len);
    put16(maxp + 4, (unsigned)n);
    unsigned char *post = f + offs[7];
    if (t->post.p && t->post.len >= 32) memcpy(post, t->post.p, 32);
    put32(post, 0x00030000);                            /* no glyph names */
    if (os2_len) memcpy(f + offs[0], t->os2.p, os2_len);
    /* directory */
    put32(f, 0x00010000);
    put16(f + 4, (unsigned)count);
    unsigned es = 0;
    while ((2u << es) <= count) es++;
    put16(f + 6, (1u << es) * 16);
    put16(f + 8, es);
    put16(f + 10, (unsigned)(count * 16 - (1u << es) * 16));
    for (size_t i = first; i < ntabs; i++) {
        unsigned char *e = f + 12 + (i - first) * 16;
        memcpy(e, tabs[i].tag, 4);
        put32(e + 4, checksum(f + offs[i], tabs[i].len));
        put32(e + 8, (uint32_t)offs[i]);
        put32(e + 12, (uint32_t)tabs[i].len);
    }
    put32(head + 8, 0xB1B0AFBAu - checksum(f, total));
    free(w.src);
    *out = f;
    *out_len = total;
    return (unsigned)n;
}

/* ======================================================================
 * One face in one document
 * ====================================================================== */

struct cd_pdf_font {
    HPDF_Doc doc;
    cd_ttf *ttf;
    HPDF_Dict type0;
    uint32_t *cps;              /* CID i+1 -> code point */
    size_t ncps, cap;
    uint32_t *keys;             /* open addressing: code point + 1, 0 = empty */
    uint16_t *vals;             /* its CID */
    size_t hcap;
    bool finished;
};

cd_pdf_font *cd_pdf_font_new(HPDF_Doc doc, cd_ttf *ttf)
{
    HPDF_Dict d = HPDF_Dict_New(doc->mmgr);
    if (!d) return NULL;
    if (HPDF_Xref_Add(doc->xref, d) != HPDF_OK) return NULL;     /* the xref owns d */
    if (HPDF_Dict_AddName(d, "Type", "Font") != HPDF_OK) return NULL;
    cd_pdf_font *f = calloc(1, sizeof *f);
    if (!f) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    f->doc = doc;
    f->ttf = ttf;
    f->type0 = d;
    f->hcap = 256;
    f->keys = calloc(f->hcap, sizeof *f->keys);
    f->vals = calloc(f->hcap, sizeof *f->vals);
    if (!f->keys || !f->vals) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    return f;
}

HPDF_Dict cd_pdf_font_dict(const cd_pdf_font *f) { return f->type0; }

void cd_pdf_font_free(cd_pdf_font *f)
{
    if (!f) return;
    free(f->cps);
    free(f->keys);
    free(f->vals);
    free(f);
}

static size_t hash_slot(uint32_t key, size_t cap) { return (key * 2654435761u) & (cap - 1); }

/* The CID of a code point, given out on first use; past 65,534 code points
 * the rest share U+FFFD's CID. */
static unsigned cid_of(cd_pdf_font *f, uint32_t cp)
{
    size_t s = hash_slot(cp + 1, f->hcap);
    while (f->keys[s]) {
        if (f->keys[s] == cp + 1) return f->vals[s];
        s = (s + 1) & (f->hcap - 1);
    }
    if (f->ncps >= 0xFFFE) return cp == 0xFFFD ? 0 : cid_of(f, 0xFFFD);
    if ((f->ncps + 1) * 2 > f->hcap) {            /* grow, keep load under 1/2 */
        size_t nc = f->hcap * 2;
        uint32_t *nk = calloc(nc, sizeof *nk);
        uint16_t *nv = calloc(nc, sizeof *nv);
        if (!nk || !nv) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
        for (size_t i = 0; i < f->hcap; i++) {
            if (!f->keys[i]) continue;
            size_t t = hash_slot(f->keys[i], nc);
            while (nk[t]) t = (t + 1) & (nc - 1);
            nk[t] = f->keys[i];
            nv[t] = f->vals[i];
        }
        free(f->keys);
        free(f->vals);
        f->keys = nk;
        f->vals = nv;
        f->hcap = nc;
        s = hash_slot(cp + 1, f->hcap);
        while (f->keys[s]) s = (s + 1) & (f->hcap - 1);
    }
    if (f->ncps == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->cps = xrealloc(f->cps, f->cap * sizeof *f->cps);
    }
    f->cps[f->ncps++] = cp;
    f->keys[s] = cp + 1;
    f->vals[s] = (uint16_t)f->ncps;
    return (unsigned)f->ncps;
}

/* Decodes one UTF-8 sequence (as cd_utf8_decode in pdf.c; repeated here so
 * this file does not depend on pdf.h). */
size_t cd_utf8_decode(const char *s, size_t n, uint32_t *cp);

void cd_pdf_font_encode(cd_pdf_font *f, const char *utf8, size_t n, cd_strbuf *out)
{
    cd_strbuf_addc(out, '(');
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = cd_utf8_decode(utf8 + i, n - i, &cp);
        if (l == 0) break;
        i += l;
        unsigned cid = cid_of(f, cp);
        unsigned char b[2] = {(unsigned char)(cid >> 8), (unsigned char)cid};
        for (int k = 0; k < 2; k++) {
            switch (b[k]) {
            case '(': case ')': case '\\': cd_strbuf_addc(out, '\\'); cd_strbuf_addc(out, (char)b[k]); break;
            case '\r': cd_strbuf_addn(out, "\\r", 2); break;
            case '\n': cd_strbuf_addn(out, "\\n", 2); break;
            default: cd_strbuf_addc(out, (char)b[k]); break;
            }
        }
    }
    cd_strbuf_addc(out, ')');
}

/* Six capital letters naming the subset (PDF 9.6.4), from its code points,
 * so that the same text gives the same name. */
static void subset_tag(const cd_pdf_font *f, char tag[8])
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < f->ncps; i++) {
        h ^= f->cps[i];
        h *= 16777619u;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '+';
    tag[7] = '\0';
}

static int16_t s16(const unsigned char *p) { return (int16_t)cd_be16(p); }

/* Font units to thousandths of an em, truncated toward zero as libharu
 * does (so widths are the same as before the change). */
static HPDF_INT32 em1000(const cd_ttf *t, int v) { return (HPDF_INT32)((long)v * 1000 / (long)t->upem); }

/* Appends a UTF-16BE hex string for a code point (surrogates above the BMP). */
static void add_utf16_hex(cd_strbuf *b, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        cd_strbuf_printf(b, "<%04X%04X>", 0xD800u + (cp >> 10), 0xDC00u + (cp & 0x3FF));
    } else cd_strbuf_printf(b, "<%04X>", (unsigned)cp);
}

static HPDF_Dict new_indirect_dict(cd_pdf_font *f)
{
    HPDF_Dict d = HPDF_Dict_New(f->doc->mmgr);
    if (d && HPDF_Xref_Add(f->doc->xref, d) != HPDF_OK) return NULL;
    return d;
}

static HPDF_Dict new_stream(cd_pdf_font *f, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(f->doc->mmgr, f->doc->xref);
    if (!s) return NULL;
    if (f->doc->compression_mode & HPDF_COMP_TEXT) s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) != HPDF_OK) return NULL;
    return s;
}

HPDF_STATUS cd_pdf_font_finish(cd_pdf_font *f)
{
    if (f->finished) return HPDF_OK;
    f->finished = true;
    cd_ttf *t = f->ttf;
    HPDF_MMgr mm = f->doc->mmgr;
    HPDF_STATUS st = HPDF_OK;
    unsigned char *prog;
    size_t prog_len;
    if (!cd_ttf_subset(t, f->cps, f->ncps, &prog, &prog_len))
        return HPDF_SetError(&f->doc->error, HPDF_TTF_INVALID_FOMAT, 0);

    char name[96];
    char tag[8];
    subset_tag(f, tag);
    snprintf(name, sizeof name, "%s%s", tag, t->ps_name[0] ? t->ps_name : "Font");

    /* the font program */
    HPDF_Dict file = new_stream(f, prog, prog_len);
    free(prog);
    if (!file) return HPDF_Error_GetCode(&f->doc->error);
    st |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)prog_len);

    /* the descriptor */
    HPDF_Dict desc = new_indirect_dict(f);
    if (!desc) return HPDF_Error_GetCode(&f->doc->error);
    const unsigned char *head = t->head.p, *hhea = t->hhea.p;
    double italic = t->post.p && t->post.len >= 8 ? (int32_t)cd_be32(t->post.p + 4) / 65536.0 : 0;
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", name);
    st |= HPDF_Dict_AddNumber(desc, "Flags", italic != 0 ? 4 + 64 : 4);
    HPDF_Array bbox = HPDF_Array_New(mm);
    if (!bbox || HPDF_Dict_Add(desc, "FontBBox", bbox) != HPDF_OK) return HPDF_Error_GetCode(&f->doc->error);
    for (int i = 0; i < 4; i++) st |= HPDF_Array_AddNumber(bbox, em1000(t, s16(head + 36 + i * 2)));
    st |= HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)italic);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", em1000(t, s16(hhea + 4)));
    st |= HPDF_Dict_AddNumber(desc, "Descent", em1000(t, s16(hhea + 6)));
    int cap = s16(hhea + 4);
    if (t->os2.p && t->os2.len >= 90 && cd_be16(t->os2.p) >= 2) cap = s16(t->os2.p + 88);
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", em1000(t, cap));
    st |= HPDF_Dict_AddNumber(desc, "StemV", 80);
    st |= HPDF_Dict_Add(desc, "FontFile2", file);

    /* the CIDFont: widths of CIDs 0..n, one run */
    HPDF_Dict cid = new_indirect_dict(f);
    if (!cid) return HPDF_Error_GetCode(&f->doc->error);
    st |= HPDF_Dict_AddName(cid, "Type", "Font");
    st |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", name);
    HPDF_Dict info = HPDF_Dict_New(mm);
    if (!info || HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK) return HPDF_Error_GetCode(&f->doc->error);
    st |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    st |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    HPDF_Array w = HPDF_Array_New(mm), ws = HPDF_Array_New(mm);
    if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK || !ws) return HPDF_Error_GetCode(&f->doc->error);
    st |= HPDF_Array_AddNumber(w, 0);
    st |= HPDF_Array_Add(w, ws);
    unsigned fffd = cd_ttf_glyph(t, 0xFFFD);
    st |= HPDF_Array_AddNumber(ws, em1000(t, (int)advance_units(t, 0)));
    for (size_t i = 0; i < f->ncps; i++) {
        unsigned g = cd_ttf_glyph(t, f->cps[i]);
        st |= HPDF_Array_AddNumber(ws, em1000(t, (int)advance_units(t, g ? g : fffd)));
    }
    st |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

    /* ToUnicode: bfchar, at most 100 entries a block */
    cd_strbuf cm = CD_STRBUF_INIT;
    cd_strbuf_add(&cm,
                  "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (size_t i = 0; i < f->ncps; i += 100) {
        size_t m = f->ncps - i < 100 ? f->ncps - i : 100;
        cd_strbuf_printf(&cm, "%zu beginbfchar\n", m);
        for (size_t k = i; k < i + m; k++) {
            cd_strbuf_printf(&cm, "<%04X> ", (unsigned)(k + 1));
            add_utf16_hex(&cm, f->cps[k]);
            cd_strbuf_addc(&cm, '\n');
        }
        cd_strbuf_add(&cm, "endbfchar\n");
    }
    cd_strbuf_add(&cm, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Dict tu = new_stream(f, cm.s, cm.len);
    cd_strbuf_free(&cm);
    if (!tu) return HPDF_Error_GetCode(&f->doc->error);

    /* the Type0 font */
    st |= HPDF_Dict_AddName(f->type0, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(f->type0, "BaseFont", name);
    st |= HPDF_Dict_AddName(f->type0, "Encoding", "Identity-H");
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    if (!desc_fonts || HPDF_Dict_Add(f->type0, "DescendantFonts", desc_fonts) != HPDF_OK)
        return HPDF_Error_GetCode(&f->doc->error);
    st |= HPDF_Array_Add(desc_fonts, cid);
    st |= HPDF_Dict_Add(f->type0, "ToUnicode", tu);
    return st ? HPDF_Error_GetCode(&f->doc->error) ? HPDF_Error_GetCode(&f->doc->error) : st : HPDF_OK;
}
