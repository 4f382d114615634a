/* pdf_tag.c -- tagged PDF for the PDF writer: the logical structure tree
 * (Document, H1-H4, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Figure/Caption, Link)
 * the layout engine builds while it draws, the marked-content sequences
 * (BDC ... EMC with an MCID) that tie page content to its structure element,
 * artifacts (running header and footer, marking, watermark, repeated table
 * headers, rules and shading), bookmarks and internal links, and at save time
 * the objects that make a reader see all of it: the StructTreeRoot with its
 * ParentTree, /StructParents on each page, the catalog's /Lang, /MarkInfo and
 * /ViewerPreferences, and an XMP metadata stream naming PDF/UA-1.
 *
 * Elements are recorded in memory as they are created (a parent before its
 * children, children in the order created, content in the order drawn), so
 * the structure's reading order is the document's logical order across
 * pages whatever the drawing order within a page. Elements that end up with
 * no content are left out of the tree.
 *
 * The structure tree is not made of libharu objects: a review has about a
 * thousand elements, and as libharu's uncompressed indirect objects they
 * tripled the file and cost nearly half of a document's time (bench/
 * RESULTS.md, section 8). cd_tagger_finish gives libharu only what lives in
 * its objects (the catalog's entries with /StructTreeRoot pointing at the
 * first object number after libharu's, the pages' /StructParents, the link
 * annotations' /StructParent); after libharu has written the document,
 * cd_tagger_append adds an incremental update (ISO 32000-1, 7.5.6) holding
 * the root, its parent tree and every element as text in one deflated
 * object stream (7.5.7), indexed by a cross-reference stream (7.5.8) whose
 * /Prev is libharu's cross-reference table. */
#include "pdf_a11y.h"
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_doc.h>
#include "strbuf.h"
#include <stdlib.h>
#include <string.h>

#ifdef CD_TAGGING_SWITCH
int cd_tagging_on = 1;     /* CD_TAGGING of a bench build (pdf.h): 1 tagged, 0 not */
#endif

/* Each structure type's name, with its length; padded to 8 bytes, which
 * the writers copy whole. */
#define T(s) {s, sizeof(s) - 1}
static const struct { char name[9]; uint8_t len; } TAG_NAME[] = {
    [CD_TAG_DOCUMENT] = T("Document"), [CD_TAG_H1] = T("H1"), [CD_TAG_H2] = T("H2"),
    [CD_TAG_H3] = T("H3"), [CD_TAG_H4] = T("H4"), [CD_TAG_P] = T("P"), [CD_TAG_L] = T("L"),
    [CD_TAG_LI] = T("LI"), [CD_TAG_LBL] = T("Lbl"), [CD_TAG_LBODY] = T("LBody"),
    [CD_TAG_TABLE] = T("Table"), [CD_TAG_TR] = T("TR"), [CD_TAG_TH] = T("TH"), [CD_TAG_TD] = T("TD"),
    [CD_TAG_FIGURE] = T("Figure"), [CD_TAG_CAPTION] = T("Caption"), [CD_TAG_LINK] = T("Link"),
};
#undef T

/* A kid of an element: another element, a marked-content sequence (page,
 * mcid) or an annotation (page, annot). */
typedef struct {
    int elem;                         /* >= 0: an element */
    int page, mcid;                   /* mcid >= 0: marked content on page */
    int annot;                        /* >= 0: index into links[] */
    int next;
} tag_kid;

typedef struct {
    uint8_t type;
    int8_t scope;                     /* TH: 1 column, 2 row, 0 none */
    int parent;
    int first_kid, last_kid;
    char *alt;
} tag_elem;

typedef struct {
    HPDF_Annotation annot;
    int elem;                         /* the Link element, or -1 */
} tag_link;

/* A bookmark (outline item): its place among the others (indexes, -1 for
 * none) and where it goes; all are open. */
typedef struct {
    int parent, first, last, prev, next;
    int descendants;                  /* counted by cd_tagger_finish */
    int page;
    double top;                       /* from the page's foot, as /FitH takes it */
    char *title;
} tag_outline;

struct cd_tagger {
    tag_elem *elems; size_t nelems, cap_elems;
    tag_kid *kids; size_t nkids, cap_kids;
    struct { int elem, page; } *mc; size_t nmc, cap_mc;   /* every MCID, in order */
    int page_of_mc;                   /* page the MCID counter counts */
    int next_mcid;
    int open;                         /* a marked-content sequence is open */
    int open_page;
    int open_elem;                    /* its element, or -1 for an artifact */
    cd_artifact open_artifact;
    tag_link *links; size_t nlinks, cap_links;
    int next_link;                    /* cd_pdf_tag_link: the next annotation's element */
    char *next_contents;
    tag_outline *outlines; size_t noutlines, cap_outlines;
    int last_top_outline;             /* the last top-level bookmark, or -1 */
    /* set by cd_tagger_finish for cd_tagger_append: the object numbers after
     * libharu's, from first_obj: the StructTreeRoot (root_obj; 0 in an
     * untagged build), then each element with content (objnum; 0 for an
     * element left out), then the outline root and each bookmark in order
     * (outlines_obj, 0 when there are none); and the catalog's references
     * to the two roots */
    unsigned *objnum;
    unsigned first_obj, root_obj, outlines_obj, next_obj;
    char *refs;                       /* cd_tagger_append: "N 0 R" for N < nrefs */
    unsigned nrefs;
    HPDF_Null_Rec root_ref, outlines_ref;
    bool finished;
};

/* Makes room for need items of size bytes in v (capacity *cap), doubling;
 * GROW checks inline and calls it only when full. */
static void *grow(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return v;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need) c *= 2;
    void *n = realloc(v, c * size);
    if (!n) { fputs("courtdocs: out of memory\n", stderr); exit(1); }
    *cap = c;
    return n;
}
#define GROW(v, cap, need) \
    do { if ((need) > (cap)) (v) = grow((v), &(cap), (need), sizeof *(v)); } while (0)

/* Unchecked appenders for the structure's text: each caller first makes
 * room with cd_strbuf_reserve for everything it appends (a bound per
 * object), so that writing a thousand elements is a few copies each. */
#define LIT(b, s) put((b), (s), sizeof(s) - 1)

static inline void put(cd_strbuf *b, const char *s, size_t n)
{
    memcpy(b->s + b->len, s, n);
    b->len += n;
}

/* An unsigned decimal (at most 20 digits). */
static inline void put_u(cd_strbuf *b, unsigned long v) { cd_strbuf_put_uint(b, v); }

/* "N 0 R" (at most 14 bytes). */
static inline void put_ref_slow(cd_strbuf *b, unsigned n)
{
    put_u(b, n);
    LIT(b, " 0 R");
}

/* "N 0 R" from the table of every reference the update writes (made by
 * cd_tagger_append: 16 bytes each, the text then its length in the last
 * byte), copied whole: the caller's reservation leaves 16 bytes spare. */
static inline void put_ref(const cd_tagger *t, cd_strbuf *b, unsigned n)
{
    if (n >= t->nrefs) { put_ref_slow(b, n); return; }
    memcpy(b->s + b->len, t->refs + 16 * (size_t)n, 16);
    b->len += (unsigned char)t->refs[16 * (size_t)n + 15];
}

cd_tagger *cd_tagger_new(void)
{
    cd_tagger *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->page_of_mc = -1;
    t->open_page = -1;
    t->last_top_outline = -1;
    /* element 0: the Document */
    /* room for a typical review's structure at once (about a thousand
     * elements and marked-content sequences), growing by doubling beyond */
    t->elems = grow(t->elems, &t->cap_elems, 1024, sizeof *t->elems);
    t->kids = grow(t->kids, &t->cap_kids, 2048, sizeof *t->kids);
    t->mc = grow(t->mc, &t->cap_mc, 1024, sizeof *t->mc);
    t->elems[0] = (tag_elem){.type = CD_TAG_DOCUMENT, .parent = -1, .first_kid = -1, .last_kid = -1};
    t->nelems = 1;
    return t;
}

void cd_tagger_free(cd_tagger *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nelems; i++) free(t->elems[i].alt);
    for (size_t i = 0; i < t->noutlines; i++) free(t->outlines[i].title);
    free(t->next_contents);
    free(t->elems);
    free(t->kids);
    free(t->mc);
    free(t->links);
    free(t->outlines);
    free(t->objnum);
    free(t->refs);
    free(t);
}

static inline void add_kid(cd_tagger *t, int parent, tag_kid k)
{
    GROW(t->kids, t->cap_kids, t->nkids + 1);
    k.next = -1;
    int i = (int)t->nkids++;
    t->kids[i] = k;
    tag_elem *e = &t->elems[parent];
    if (e->last_kid < 0) e->first_kid = i;
    else t->kids[e->last_kid].next = i;
    e->last_kid = i;
}

int cd_pdf_tag_root(cd_pdf *p)
{
    (void)p;
    return 0;
}

int cd_pdf_tag_new(cd_pdf *p, int parent, cd_tag_type type)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || parent < 0 || (size_t)parent >= t->nelems) return 0;
    GROW(t->elems, t->cap_elems, t->nelems + 1);
    int id = (int)t->nelems++;
    t->elems[id] = (tag_elem){.type = (uint8_t)type, .parent = parent, .first_kid = -1, .last_kid = -1};
    add_kid(t, parent, (tag_kid){.elem = id, .mcid = -1, .annot = -1});
    return id;
}

void cd_pdf_tag_alt(cd_pdf *p, int elem, const char *alt)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || elem <= 0 || (size_t)elem >= t->nelems || !alt) return;
    free(t->elems[elem].alt);
    t->elems[elem].alt = strdup(alt);
}

void cd_pdf_tag_scope(cd_pdf *p, int elem, bool column)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || elem <= 0 || (size_t)elem >= t->nelems) return;
    t->elems[elem].scope = column ? 1 : 2;
}

void cd_pdf_mark_end(cd_pdf *p)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || !t->open) return;
    t->open = 0;
    if (t->open_page == cd_pdf_current_page(p)) cd_pdf_mark_close(p);
}

/* Begins a marked-content sequence for elem with the page's next MCID. */
static void mark_elem(cd_pdf *p, cd_tagger *t, int elem, int page)
{
    if (page != t->page_of_mc) { t->page_of_mc = page; t->next_mcid = 0; }
    int mcid = t->next_mcid++;
    GROW(t->mc, t->cap_mc, t->nmc + 1);
    t->mc[t->nmc].elem = elem;
    t->mc[t->nmc++].page = page;
    add_kid(t, elem, (tag_kid){.elem = -1, .page = page, .mcid = mcid, .annot = -1});
    uint8_t type = t->elems[elem].type;
    cd_pdf_mark_open(p, TAG_NAME[type].name, TAG_NAME[type].len, mcid);
    t->open = 1;
    t->open_page = page;
    t->open_elem = elem;
}

void cd_pdf_mark_begin(cd_pdf *p, int elem)
{
    cd_tagger *t = cd_pdf_tagger(p);
    int page = cd_pdf_current_page(p);
    if (!CD_TAGGING || !t || page < 0 || elem < 0 || (size_t)elem >= t->nelems) return;
    if (t->open) {                                /* cd_pdf_mark_end, inline */
        t->open = 0;
        if (t->open_page == page) cd_pdf_mark_close(p);
    }
    mark_elem(p, t, elem, page);
}

#define OP(s) {s, sizeof(s) - 1}
static const struct { const char *op; size_t len; } ARTIFACT_OP[] = {
    [CD_ARTIFACT_LAYOUT] = OP("/Artifact<</Type/Layout>>BDC\n"),
    [CD_ARTIFACT_PAGINATION] = OP("/Artifact<</Type/Pagination>>BDC\n"),
    [CD_ARTIFACT_HEADER] = OP("/Artifact<</Type/Pagination/Subtype/Header>>BDC\n"),
    [CD_ARTIFACT_FOOTER] = OP("/Artifact<</Type/Pagination/Subtype/Footer>>BDC\n"),
    [CD_ARTIFACT_WATERMARK] = OP("/Artifact<</Type/Pagination/Subtype/Watermark>>BDC\n"),
};
#undef OP

void cd_pdf_artifact_begin(cd_pdf *p, cd_artifact kind)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!CD_TAGGING || !t || cd_pdf_current_page(p) < 0) return;
    cd_pdf_mark_end(p);
    cd_pdf_mark_open(p, ARTIFACT_OP[kind].op, ARTIFACT_OP[kind].len, -1);
    t->open = 1;
    t->open_page = cd_pdf_current_page(p);
    t->open_elem = -1;
    t->open_artifact = kind;
}

void cd_tagger_reopen(cd_pdf *p)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || !t->open || t->open_page != cd_pdf_current_page(p)) return;
    if (t->open_elem >= 0) mark_elem(p, t, t->open_elem, t->open_page);
    else cd_pdf_mark_open(p, ARTIFACT_OP[t->open_artifact].op, ARTIFACT_OP[t->open_artifact].len, -1);
}

void cd_pdf_artifact_end(cd_pdf *p)
{
    cd_pdf_mark_end(p);
}

int cd_pdf_bookmark(cd_pdf *p, int parent, int page_index, double y, const char *title)
{
    cd_tagger *t = cd_pdf_tagger(p);
    HPDF_Page pg = cd_pdf_hpage(p, page_index);
    if (!t || !pg || !title) return -1;
    if (parent < 0 || (size_t)parent >= t->noutlines) parent = -1;
    char *copy = strdup(title);
    if (!copy) cd_out_of_memory();
    GROW(t->outlines, t->cap_outlines, t->noutlines + 1);
    int id = (int)t->noutlines++;
    tag_outline *o = &t->outlines[id];
    *o = (tag_outline){.parent = parent, .first = -1, .last = -1, .prev = -1, .next = -1,
                       .page = page_index, .top = HPDF_Page_GetHeight(pg) - y, .title = copy};
    /* the last child of its parent (of the root for the top level) */
    int last = -1;
    if (parent >= 0) {
        last = t->outlines[parent].last;
        if (t->outlines[parent].first < 0) t->outlines[parent].first = id;
        t->outlines[parent].last = id;
    } else {
        last = t->last_top_outline;
        t->last_top_outline = id;
    }
    o->prev = last;
    if (last >= 0) t->outlines[last].next = id;
    return id;
}

void cd_pdf_tag_link(cd_pdf *p, int link_elem, const char *contents)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || link_elem <= 0 || (size_t)link_elem >= t->nelems) return;
    t->next_link = link_elem;
    free(t->next_contents);
    t->next_contents = contents ? strdup(contents) : NULL;
}

static void *text_string(HPDF_MMgr mm, const char *s);

void cd_tagger_annot(cd_pdf *p, int page, HPDF_Annotation a)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || !a) return;
    if (t->next_contents && *t->next_contents)
        HPDF_Dict_Add(a, "Contents", text_string(cd_pdf_hdoc(p)->mmgr, t->next_contents));
    t->links = grow(t->links, &t->cap_links, t->nlinks + 1, sizeof *t->links);
    t->links[t->nlinks] = (tag_link){a, -1};
    if (t->next_link > 0) {
        t->links[t->nlinks].elem = t->next_link;
        add_kid(t, t->next_link, (tag_kid){.elem = -1, .page = page, .mcid = -1, .annot = (int)t->nlinks});
    }
    t->nlinks++;
    t->next_link = 0;
    free(t->next_contents);
    t->next_contents = NULL;
}

/* ---- writing ------------------------------------------------------------------ */

/* Whether s is printable ASCII (a PDF literal string needs no encoding). */
static bool plain_ascii(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c >= 0x80 || *c < 0x20) return false;
    return true;
}

/* s (UTF-8) as UTF-16BE with its byte order mark, control characters as
 * spaces, into a malloc'd buffer of *len bytes; NULL when out of memory. */
static unsigned char *utf16be(const char *s, size_t *len)
{
    size_t n = strlen(s), k = 0;
    unsigned char *u = malloc(2 + n * 4);
    if (!u) return NULL;
    u[k++] = 0xFE;
    u[k++] = 0xFF;
    while (n > 0) {
        uint32_t cp;
        size_t used = cd_utf8_decode(s, n, &cp);
        s += used;
        n -= used;
        if (cp < 0x20) cp = ' ';
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            u[k++] = (unsigned char)(hi >> 8); u[k++] = (unsigned char)hi;
            u[k++] = (unsigned char)(lo >> 8); u[k++] = (unsigned char)lo;
        } else {
            u[k++] = (unsigned char)(cp >> 8);
            u[k++] = (unsigned char)cp;
        }
    }
    *len = k;
    return u;
}

/* A PDF text string as a libharu object: literal when ASCII, else UTF-16BE. */
static void *text_string(HPDF_MMgr mm, const char *s)
{
    if (plain_ascii(s)) return HPDF_String_New(mm, s, NULL);
    size_t k;
    unsigned char *u = utf16be(s, &k);
    if (!u) return NULL;
    void *obj = HPDF_Binary_New(mm, u, (HPDF_UINT)k);
    free(u);
    return obj;
}

/* The Info dictionary's date as XMP wants it ("D:20261207093000Z" -> ISO 8601). */
static void xmp_date(cd_strbuf *b, HPDF_Doc doc, const char *key)
{
    const char *d = HPDF_GetInfoAttr(doc, strcmp(key, "CreationDate") == 0 ? HPDF_INFO_CREATION_DATE
                                                                           : HPDF_INFO_MOD_DATE);
    if (!d || strncmp(d, "D:", 2) != 0 || strlen(d) < 16) return;
    d += 2;
    cd_strbuf_printf(b, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", d, d + 4, d + 6, d + 8, d + 10, d + 12);
}

/* The XMP packet: Dublin Core title (and description, creator), PDF
 * producer and keywords, XMP dates and tool, PDF/UA-1 identification; each
 * the same text as the Info dictionary's entry. */
static char *xmp_packet(HPDF_Doc doc, const cd_pdf_meta *m)
{
    cd_strbuf b = CD_STRBUF_INIT;
    cd_strbuf_add(&b,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\"\n"
        "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
        "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
        "   <pdfuaid:part>1</pdfuaid:part>\n"
        "   <dc:format>application/pdf</dc:format>\n");
    if (m && m->title && *m->title) {
        cd_strbuf_add(&b, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        cd_strbuf_add_xml(&b, m->title);
        cd_strbuf_add(&b, "</rdf:li></rdf:Alt></dc:title>\n");
    }
    if (m && m->subject && *m->subject) {
        cd_strbuf_add(&b, "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        cd_strbuf_add_xml(&b, m->subject);
        cd_strbuf_add(&b, "</rdf:li></rdf:Alt></dc:description>\n");
    }
    if (m && m->author && *m->author) {
        cd_strbuf_add(&b, "   <dc:creator><rdf:Seq><rdf:li>");
        cd_strbuf_add_xml(&b, m->author);
        cd_strbuf_add(&b, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if (m && m->keywords && *m->keywords) {
        cd_strbuf_add(&b, "   <pdf:Keywords>");
        cd_strbuf_add_xml(&b, m->keywords);
        cd_strbuf_add(&b, "</pdf:Keywords>\n");
    }
    const char *producer = HPDF_GetInfoAttr(doc, HPDF_INFO_PRODUCER);
    const char *creator = HPDF_GetInfoAttr(doc, HPDF_INFO_CREATOR);
    if (producer) {
        cd_strbuf_add(&b, "   <pdf:Producer>");
        cd_strbuf_add_xml(&b, producer);
        cd_strbuf_add(&b, "</pdf:Producer>\n");
    }
    if (creator) {
        cd_strbuf_add(&b, "   <xmp:CreatorTool>");
        cd_strbuf_add_xml(&b, creator);
        cd_strbuf_add(&b, "</xmp:CreatorTool>\n");
    }
    cd_strbuf_add(&b, "   <xmp:CreateDate>");
    xmp_date(&b, doc, "CreationDate");
    cd_strbuf_add(&b, "</xmp:CreateDate>\n   <xmp:ModifyDate>");
    xmp_date(&b, doc, "ModDate");
    cd_strbuf_add(&b, "</xmp:ModifyDate>\n");
    cd_strbuf_add(&b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n");
    return b.s;
}

/* Marks the elements the tree keeps: those with content (directly, or
 * through a child with content), and every cell (TH, TD) of a row kept,
 * empty or not, so that each row of a table has all its cells and a screen
 * reader's column is the column printed (an empty cell left out would move
 * the cells after it under the wrong headings). */
static bool *with_content(const cd_tagger *t)
{
    bool *has = calloc(t->nelems ? t->nelems : 1, sizeof *has);
    if (!has) return NULL;
    for (size_t i = t->nelems; i-- > 0;) {       /* children come after their parent */
        for (int k = t->elems[i].first_kid; k >= 0 && !has[i]; k = t->kids[k].next)
            if (t->kids[k].elem < 0) has[i] = true;
        if (has[i] && t->elems[i].parent >= 0) has[t->elems[i].parent] = true;
    }
    for (size_t i = 1; i < t->nelems; i++) {
        uint8_t type = t->elems[i].type;
        if ((type == CD_TAG_TD || type == CD_TAG_TH) && has[t->elems[i].parent]) has[i] = true;
    }
    return has;
}

/* Whether link annotation i has a key in the parent tree (its Link element
 * is in the structure): pages take keys 0 .. npages-1, then each such link
 * the next, in order (cd_tagger_finish gives the keys, write_root writes
 * the entries). */
static bool link_in_tree(const cd_tagger *t, size_t i)
{
    return t->links[i].elem > 0 && t->objnum[t->links[i].elem];
}

/* libharu's object number of an object it writes. */
static unsigned obj_number(const void *o)
{
    return o ? ((const HPDF_Obj_Header *)o)->obj_id & 0x00FFFFFFu : 0;
}

/* The first object number after libharu's objects: where the update's
 * numbers start. */
static unsigned after_libharu(HPDF_Doc doc)
{
    return (unsigned)(doc->xref->start_offset + doc->xref->entries->count);
}

/* Makes ref an indirect reference to object num, which libharu writes as
 * "num 0 R" like any other (it holds no object: the update does). */
static void *reserved_ref(HPDF_Null_Rec *ref, unsigned num)
{
    ref->header.obj_id = num | HPDF_OTYPE_INDIRECT;
    ref->header.gen_no = 0;
    ref->header.obj_class = HPDF_OCLASS_NULL;
    return ref;
}

/* cd_tagger_finish's part for the structure: the catalog's entries, the
 * numbers of the root and the elements, the pages' and links' keys. */
static int finish_structure(cd_pdf *p, cd_tagger *t, const cd_pdf_meta *meta, cd_error *err)
{
    HPDF_Doc doc = cd_pdf_hdoc(p);
    cd_pdf_mark_end(p);
    HPDF_MMgr mm = doc->mmgr;
    int npages = cd_pdf_page_count(p);

    /* the catalog's entries libharu writes; the XMP stream first, so that
     * it is among libharu's objects before the numbers after them are
     * reserved */
    HPDF_Dict cat = doc->catalog;
    HPDF_Dict mi = HPDF_Dict_New(mm);
    HPDF_Dict_AddBoolean(mi, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(cat, "MarkInfo", mi);
    HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, "en-GB", NULL));
    HPDF_Dict vp = HPDF_Dict_New(mm);
    HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
    HPDF_Dict_Add(cat, "ViewerPreferences", vp);
    char *xmp = xmp_packet(doc, meta);
    HPDF_Dict md = xmp ? HPDF_DictStream_New(mm, doc->xref) : NULL;
    if (md) {
        HPDF_Dict_AddName(md, "Type", "Metadata");
        HPDF_Dict_AddName(md, "Subtype", "XML");
        HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)strlen(xmp));
        HPDF_Dict_Add(cat, "Metadata", md);
    }
    free(xmp);
    doc->pdf_version = HPDF_VER_17;

    /* number the structure: the root takes the first number after
     * libharu's objects, then each element with content in order */
    bool *has = with_content(t);
    free(t->objnum);
    t->objnum = calloc(t->nelems ? t->nelems : 1, sizeof *t->objnum);
    if (!has || !t->objnum) {
        free(has);
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    has[0] = true;                                /* the Document, even when empty */
    t->first_obj = t->root_obj = after_libharu(doc);
    unsigned next = t->root_obj + 1;
    for (size_t i = 0; i < t->nelems; i++)
        if (has[i]) t->objnum[i] = next++;
    t->next_obj = next;
    free(has);

    HPDF_Dict_Add(cat, "StructTreeRoot", reserved_ref(&t->root_ref, t->root_obj));

    /* the parent tree's keys: one per page with marked content, then one per
     * link annotation */
    size_t m = 0;
    for (int pg = 0; pg < npages; pg++) {
        HPDF_Page page = cd_pdf_hpage(p, pg);
        HPDF_Dict_AddName(page, "Tabs", "S");
        if (m >= t->nmc || t->mc[m].page != pg) continue;
        while (m < t->nmc && t->mc[m].page == pg) m++;
        HPDF_Dict_AddNumber(page, "StructParents", pg);
    }
    int next_key = npages;
    for (size_t i = 0; i < t->nlinks; i++)
        if (link_in_tree(t, i))
            HPDF_Dict_AddNumber(t->links[i].annot, "StructParent", next_key++);
    return CD_OK;
}

int cd_tagger_finish(cd_pdf *p, const cd_pdf_meta *meta, cd_error *err)
{
    cd_tagger *t = cd_pdf_tagger(p);
    HPDF_Doc doc = cd_pdf_hdoc(p);
    if (!t || t->finished || (!CD_TAGGING && !t->noutlines)) return CD_OK;   /* once per document */
    if (CD_TAGGING) {
        int rc = finish_structure(p, t, meta, err);
        if (rc) return rc;
    } else {
        t->first_obj = t->next_obj = after_libharu(doc);
    }
    if (t->noutlines) {
        /* the bookmarks: the outline root, then each in order; /Count of an
         * open item is its number of descendants */
        t->outlines_obj = t->next_obj;
        t->next_obj += 1 + (unsigned)t->noutlines;
        for (size_t i = t->noutlines; i-- > 0;)
            if (t->outlines[i].parent >= 0)
                t->outlines[t->outlines[i].parent].descendants += 1 + t->outlines[i].descendants;
        HPDF_Dict_Add(doc->catalog, "Outlines", reserved_ref(&t->outlines_ref, t->outlines_obj));
        HPDF_Dict_AddName(doc->catalog, "PageMode", "UseOutlines");
    }
    t->finished = true;
    return CD_OK;
}

/* ---- the structure tree as an incremental update -------------------------------- */

/* Checked forms, for the few headers written around the streams. */
static void add_u(cd_strbuf *b, unsigned long v)
{
    cd_strbuf_reserve(b, 20);
    put_u(b, v);
    b->s[b->len] = '\0';
}

static void add_ref(cd_strbuf *b, unsigned n)
{
    cd_strbuf_reserve(b, 24);
    put_ref_slow(b, n);
    b->s[b->len] = '\0';
}

/* Appends a PDF text string: literal (with \\ ( ) escaped) when printable
 * ASCII, else hexadecimal UTF-16BE with its byte order mark. */
static void add_text_string(cd_strbuf *b, const char *s)
{
    if (plain_ascii(s)) {
        cd_strbuf_addc(b, '(');
        for (const char *c = s; *c; c++) {
            if (*c == '(' || *c == ')' || *c == '\\') cd_strbuf_addc(b, '\\');
            cd_strbuf_addc(b, *c);
        }
        cd_strbuf_addc(b, ')');
        return;
    }
    static const char hex[] = "0123456789ABCDEF";
    size_t k;
    unsigned char *u = utf16be(s, &k);
    if (!u) cd_out_of_memory();
    cd_strbuf_reserve(b, 2 * k + 2);
    cd_strbuf_addc(b, '<');
    for (size_t i = 0; i < k; i++) {
        char h[2] = {hex[u[i] >> 4], hex[u[i] & 15]};
        cd_strbuf_addn(b, h, 2);
    }
    cd_strbuf_addc(b, '>');
    free(u);
}

/* Writes element i's dictionary. */
static void write_elem(cd_pdf *p, const cd_tagger *t, size_t i, cd_strbuf *b)
{
    const tag_elem *e = &t->elems[i];
    int pg = -1;                                  /* the page of its first content */
    size_t nkids = 0;
    for (int k = e->first_kid; k >= 0; k = t->kids[k].next) {
        if (pg < 0 && t->kids[k].elem < 0) pg = t->kids[k].page;
        nkids++;
    }
    /* room for all but the alternative text: a kid is at most an OBJR with
     * two references (58 bytes) */
    cd_strbuf_reserve(b, 128 + nkids * 64);
    LIT(b, "<</S/");
    memcpy(b->s + b->len, TAG_NAME[e->type].name, 8);   /* room reserved above */
    b->len += TAG_NAME[e->type].len;
    LIT(b, "/P ");
    put_ref(t, b, e->parent >= 0 ? t->objnum[e->parent] : t->root_obj);
    if (pg >= 0) {
        LIT(b, "/Pg ");
        put_ref(t, b, obj_number(cd_pdf_hpage(p, pg)));
    }
    if (e->scope == 1) LIT(b, "/A<</O/Table/Scope/Column>>");
    else if (e->scope == 2) LIT(b, "/A<</O/Table/Scope/Row>>");
    if (e->alt) {
        b->s[b->len] = '\0';
        cd_strbuf_add(b, "/Alt");
        add_text_string(b, e->alt);
        cd_strbuf_reserve(b, 128 + nkids * 64);
    }
    int fk = e->first_kid;
    if (fk < 0) {                                 /* an empty cell */
        LIT(b, ">>");
        b->s[b->len] = '\0';
        return;
    }
    if (t->kids[fk].next < 0 && t->kids[fk].elem < 0 && t->kids[fk].mcid >= 0 &&
        t->kids[fk].page == pg) {                 /* one MCID: /K n, no array */
        LIT(b, "/K ");
        put_u(b, (unsigned)t->kids[fk].mcid);
        LIT(b, ">>");
        b->s[b->len] = '\0';
        return;
    }
    LIT(b, "/K[");
    bool first = true;
    for (int k = e->first_kid; k >= 0; k = t->kids[k].next) {
        const tag_kid *kd = &t->kids[k];
        if (kd->elem >= 0 && !t->objnum[kd->elem]) continue;
        if (kd->elem < 0 && kd->mcid < 0 && kd->annot < 0) continue;
        if (!first) LIT(b, " ");
        first = false;
        if (kd->elem >= 0) {
            put_ref(t, b, t->objnum[kd->elem]);
        } else if (kd->mcid >= 0 && kd->page == pg) {
            put_u(b, (unsigned)kd->mcid);
        } else if (kd->mcid >= 0) {
            LIT(b, "<</Type/MCR/Pg ");
            put_ref(t, b, obj_number(cd_pdf_hpage(p, kd->page)));
            LIT(b, "/MCID ");
            put_u(b, (unsigned)kd->mcid);
            LIT(b, ">>");
        } else {
            LIT(b, "<</Type/OBJR/Pg ");
            put_ref(t, b, obj_number(cd_pdf_hpage(p, kd->page)));
            LIT(b, "/Obj ");
            put_ref(t, b, obj_number(t->links[kd->annot].annot));
            LIT(b, ">>");
        }
    }
    LIT(b, "]>>");
    b->s[b->len] = '\0';
}

/* Writes the StructTreeRoot with its parent tree (the arrays of MCIDs'
 * elements per page, then each link annotation's element). */
static void write_root(cd_pdf *p, const cd_tagger *t, cd_strbuf *b)
{
    int npages = cd_pdf_page_count(p);
    cd_strbuf_reserve(b, 128 + (size_t)npages * 24 + t->nmc * 16 + t->nlinks * 40);
    LIT(b, "<</Type/StructTreeRoot/K[");
    put_ref(t, b, t->objnum[0]);
    LIT(b, "]/ParentTree<</Nums[");
    size_t m = 0;
    for (int pg = 0; pg < npages; pg++) {
        if (m >= t->nmc || t->mc[m].page != pg) continue;
        put_u(b, (unsigned)pg);
        LIT(b, "[");
        for (bool first = true; m < t->nmc && t->mc[m].page == pg; m++, first = false) {
            if (!first) LIT(b, " ");
            put_ref(t, b, t->objnum[t->mc[m].elem]);
        }
        LIT(b, "]");
    }
    unsigned key = (unsigned)npages;
    for (size_t i = 0; i < t->nlinks; i++) {
        if (!link_in_tree(t, i)) continue;
        LIT(b, " ");
        put_u(b, key++);
        LIT(b, " ");
        put_ref(t, b, t->objnum[t->links[i].elem]);
    }
    LIT(b, "]>>/ParentTreeNextKey ");
    put_u(b, key);
    LIT(b, ">>");
    b->s[b->len] = '\0';
}

/* The outline root: its first and last top-level bookmarks (the first
 * bookmark made is one: a parent is made before its children) and how many
 * are shown (all: every item is open). */
static void write_outline_root(const cd_tagger *t, cd_strbuf *b)
{
    cd_strbuf_reserve(b, 96);
    LIT(b, "<</Type/Outlines/First ");
    put_ref(t, b, t->outlines_obj + 1);
    LIT(b, "/Last ");
    put_ref(t, b, t->outlines_obj + 1 + (unsigned)t->last_top_outline);
    LIT(b, "/Count ");
    put_u(b, t->noutlines);
    LIT(b, ">>");
    b->s[b->len] = '\0';
}

/* Bookmark i: its title, its neighbours, and where it goes (/FitH: the
 * page at its height). */
static void write_outline(cd_pdf *p, const cd_tagger *t, size_t i, cd_strbuf *b)
{
    const tag_outline *o = &t->outlines[i];
    unsigned base = t->outlines_obj + 1;
    cd_strbuf_add(b, "<</Title");
    add_text_string(b, o->title);
    cd_strbuf_reserve(b, 160);
    LIT(b, "/Parent ");
    put_ref(t, b, o->parent >= 0 ? base + (unsigned)o->parent : t->outlines_obj);
    const struct { const char *key; size_t len; int to; } links[] = {
        {"/Prev ", 6, o->prev}, {"/Next ", 6, o->next}, {"/First ", 7, o->first}, {"/Last ", 6, o->last},
    };
    for (size_t k = 0; k < sizeof links / sizeof links[0]; k++) {
        if (links[k].to < 0) continue;
        put(b, links[k].key, links[k].len);
        put_ref(t, b, base + (unsigned)links[k].to);
    }
    if (o->descendants) {
        LIT(b, "/Count ");
        put_u(b, (unsigned)o->descendants);
    }
    LIT(b, "/Dest[");
    put_ref(t, b, obj_number(cd_pdf_hpage(p, o->page)));
    LIT(b, "/FitH ");
    b->s[b->len] = '\0';
    cd_pdf_add_number(b, o->top);
    cd_strbuf_add(b, "]>>");
}

/* Ends a stream object's dictionary and writes the stream: its deflated
 * bytes z (z_len), then "endobj". */
static void add_deflated_stream(cd_strbuf *u, const unsigned char *z, size_t z_len)
{
    cd_strbuf_add(u, "/Filter/FlateDecode/Length ");
    add_u(u, z_len);
    cd_strbuf_add(u, ">>\nstream\n");
    cd_strbuf_addn(u, (const char *)z, z_len);
    cd_strbuf_add(u, "\nendstream\nendobj\n");
}

/* A big-endian field of w bytes. */
static void put_be(unsigned char *o, unsigned long v, int w)
{
    for (int i = w - 1; i >= 0; i--) { o[i] = (unsigned char)(v & 0xFF); v >>= 8; }
}

int cd_tagger_append(cd_pdf *p, unsigned char **pdf, size_t *len, cd_error *err)
{
    cd_tagger *t = cd_pdf_tagger(p);
    if (!t || !t->finished) return CD_OK;
    HPDF_Doc doc = cd_pdf_hdoc(p);
    unsigned long prev = doc->xref->addr;          /* where libharu wrote its table */

    /* the objects, each after the last, after room for the stream's index
     * of them (at most 24 bytes an object), which is written last just
     * before the first object: the stream is then one piece, not copied */
    cd_strbuf body = CD_STRBUF_INIT;
    unsigned count = t->next_obj - t->first_obj;  /* the roots, elements and bookmarks */
    size_t *offsets = malloc(count * sizeof *offsets);
    if (!offsets) return cd_error_set(err, CD_EGENERAL, "out of memory");
    size_t gap = 24 * (size_t)count + 32;
    cd_strbuf_reserve(&body, gap + 128 + t->nelems * 48 + t->nmc * 10 + t->noutlines * 160);
    body.len = gap;
    t->nrefs = t->next_obj + 2;
    t->refs = malloc(16 * (size_t)t->nrefs);
    if (!t->refs) cd_out_of_memory();
    for (unsigned n = 0; n < t->nrefs; n++) {
        cd_strbuf r = {t->refs + 16 * (size_t)n, 0, 16};
        put_ref_slow(&r, n);
        t->refs[16 * (size_t)n + 15] = (char)r.len;
    }
#define BEGIN_OBJ(n) \
    do { \
        if (body.len > gap) { \
            if (body.len + 2 > body.cap) cd_strbuf_reserve(&body, 1); \
            body.s[body.len++] = '\n'; \
        } \
        offsets[(n) - t->first_obj] = body.len - gap; \
    } while (0)
    if (t->root_obj) {
        BEGIN_OBJ(t->root_obj);
        write_root(p, t, &body);
        for (size_t i = 0; i < t->nelems; i++) {
            if (!t->objnum[i]) continue;
            BEGIN_OBJ(t->objnum[i]);
            write_elem(p, t, i, &body);
        }
    }
    if (t->outlines_obj) {
        BEGIN_OBJ(t->outlines_obj);
        write_outline_root(t, &body);
        for (size_t i = 0; i < t->noutlines; i++) {
            BEGIN_OBJ(t->outlines_obj + 1 + (unsigned)i);
            write_outline(p, t, i, &body);
        }
    }
#undef BEGIN_OBJ
    cd_strbuf index = CD_STRBUF_INIT;
    cd_strbuf_reserve(&index, gap);
    for (unsigned k = 0; k < count; k++) {
        put_u(&index, t->first_obj + k);
        LIT(&index, " ");
        put_u(&index, offsets[k]);
        put(&index, k + 1 < count ? " " : "\n", 1);
    }
    free(offsets);
    free(t->refs);
    t->refs = NULL;
    t->nrefs = 0;
    size_t first = index.len;                     /* fits the gap: at most 23 bytes an object */
    char *stream = body.s + gap - first;
    memcpy(stream, index.s, first);
    cd_strbuf_free(&index);
    size_t z_len = 0;
    unsigned char *z = cd_pdf_deflate(stream, first + body.len - gap, true, &z_len);
    cd_strbuf_free(&body);
    if (!z) return cd_error_set(err, CD_EGENERAL, "out of memory");

    /* the update: the object stream, then the cross-reference stream (the
     * roots, elements and bookmarks in the object stream, type 2; the object
     * stream and itself at their offsets, type 1) */
    unsigned objstm = t->next_obj, xrefstm = t->next_obj + 1;
    cd_strbuf u = CD_STRBUF_INIT;
    size_t objstm_at = *len;
    add_u(&u, objstm);
    cd_strbuf_add(&u, " 0 obj\n<</Type/ObjStm/N ");
    add_u(&u, count);
    cd_strbuf_add(&u, "/First ");
    add_u(&u, first);
    add_deflated_stream(&u, z, z_len);
    free(z);
    size_t xref_at = *len + u.len;
    unsigned rows = count + 2;
    /* each row: type (1 byte), the object stream's number or an offset, the
     * index in the stream or 0, each field as wide as its largest value */
    unsigned long most = xref_at > objstm ? xref_at : objstm;
    int w2 = 1, w3 = 1;
    while (w2 < 8 && most >> (8 * w2)) w2++;
    while (w3 < 4 && (unsigned long)count >> (8 * w3)) w3++;
    size_t row = (size_t)(1 + w2 + w3);
    unsigned char *x = calloc((size_t)rows, row + 1);
    if (!x) cd_out_of_memory();
    for (unsigned k = 0; k < count; k++) {
        unsigned char *r = x + (size_t)k * (row + 1) + 1;
        r[0] = 2; put_be(r + 1, objstm, w2); put_be(r + 1 + w2, k, w3);
    }
    unsigned char *r = x + (size_t)count * (row + 1) + 1;
    r[0] = 1; put_be(r + 1, objstm_at, w2); put_be(r + 1 + w2, 0, w3);
    r += row + 1;
    r[0] = 1; put_be(r + 1, xref_at, w2); put_be(r + 1 + w2, 0, w3);
    /* the PNG Up predictor (ISO 32000-1, 7.4.4.4): each row starts with
     * its filter type (2) and holds its difference from the row above, so
     * that rows that count up one by one become runs the compressor takes
     * whole (a tenth of the time and a thirtieth of the bytes) */
    for (unsigned k = rows; k-- > 0;) {
        unsigned char *cur = x + (size_t)k * (row + 1);
        cur[0] = 2;
        if (k == 0) break;
        const unsigned char *up = cur - (row + 1);
        for (size_t j = 1; j <= row; j++) cur[j] = (unsigned char)(cur[j] - up[j]);
    }
    size_t xz_len = 0;
    unsigned char *xz = cd_pdf_deflate(x, (size_t)rows * (row + 1), true, &xz_len);
    free(x);
    if (!xz) { cd_strbuf_free(&u); return cd_error_set(err, CD_EGENERAL, "out of memory"); }
    add_u(&u, xrefstm);
    cd_strbuf_add(&u, " 0 obj\n<</Type/XRef/Size ");
    add_u(&u, xrefstm + 1);
    cd_strbuf_add(&u, "/Index[");
    add_u(&u, t->first_obj);
    cd_strbuf_addc(&u, ' ');
    add_u(&u, rows);
    cd_strbuf_add(&u, "]/W[1 ");
    add_u(&u, (unsigned long)w2);
    cd_strbuf_addc(&u, ' ');
    add_u(&u, (unsigned long)w3);
    cd_strbuf_add(&u, "]/DecodeParms<</Columns ");
    add_u(&u, row);
    cd_strbuf_add(&u, "/Predictor 12>>/Root ");
    add_ref(&u, obj_number(doc->catalog));
    cd_strbuf_add(&u, "/Info ");
    add_ref(&u, obj_number(doc->info));
    cd_strbuf_add(&u, "/Prev ");
    add_u(&u, prev);
    add_deflated_stream(&u, xz, xz_len);
    free(xz);
    cd_strbuf_add(&u, "startxref\n");
    add_u(&u, xref_at);
    cd_strbuf_add(&u, "\n%%EOF\n");

    unsigned char *out = realloc(*pdf, *len + u.len);
    if (!out) { cd_strbuf_free(&u); return cd_error_set(err, CD_EGENERAL, "out of memory"); }
    memcpy(out + *len, u.s, u.len);
    *pdf = out;
    *len += u.len;
    cd_strbuf_free(&u);
    return CD_OK;
}
