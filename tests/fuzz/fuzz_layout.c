/* fuzz_layout.c -- libFuzzer target for the layout engine and PDF writer:
 * the input is read as a little program of blocks (headings, paragraphs
 * with random spans and sizes, list items, label-value pairs, tables with
 * random column widths and cells, charts with random values, page breaks,
 * anchors) whose text is arbitrary bytes (valid UTF-8 or not), laid out and
 * written to memory. Any input must give a PDF or a clean error. */
#include "layout.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct { const uint8_t *p; size_t n; } input;

static unsigned byte(input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

/* Up to max bytes of text (NUL-terminated copy; NULs inside are cut). */
static char *text(input *in, size_t max)
{
    size_t len = byte(in) % (max + 1);
    if (len > in->n)
        len = in->n;
    char *s = malloc(len + 1);
    memcpy(s, in->p, len);
    s[len] = '\0';
    in->p += len;
    in->n -= len;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = { data, size };
    cd_page_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.paper = byte(&in) & 1 ? CD_PAPER_LETTER : CD_PAPER_A4;
    setup.marking = "OFFICIAL-SENSITIVE";
    setup.footer.right = "Page {page} of {pages}";
    setup.base_font_size = 6 + byte(&in) % 10;
    setup.draft = byte(&in) & 1;
    cd_doc *d = cd_doc_new(&setup);
    if (!d)
        return 0;
    cd_doc_set_warnings(d, NULL);
    char *keep[256];
    size_t nkeep = 0;
    for (int block = 0; block < 40 && in.n > 0 && nkeep < 240; block++) {
        unsigned op = byte(&in) % 10;
        char *t = text(&in, 200);
        keep[nkeep++] = t;
        cd_span spans[3] = { { t, byte(&in) & 3 }, { t, CD_SPAN_BOLD }, { "{page:a}", 0 } };
        size_t ns = 1 + byte(&in) % 3;
        switch (op) {
        case 0: cd_doc_heading(d, 1 + byte(&in) % 4, spans, ns); break;
        case 1: {
            cd_para_style st;
            memset(&st, 0, sizeof st);
            st.font_size = byte(&in) % 30;
            st.align = (cd_align)(byte(&in) % 4);
            st.boxed = byte(&in) & 1;
            st.indent = byte(&in) % 200;
            cd_doc_paragraph(d, spans, ns, &st);
            break;
        }
        case 2: cd_doc_list_item(d, 1 + byte(&in) % 3, (int)(byte(&in) % 5) - 1, spans, ns); break;
        case 3: cd_doc_label_value(d, t, spans, ns, byte(&in) % 300); break;
        case 4: {
            size_t ncols = 1 + byte(&in) % 6;
            cd_column cols[6];
            for (size_t c = 0; c < ncols; c++) {
                cols[c].width = (byte(&in) & 1) ? byte(&in) * 1.5 : 0;
                cols[c].weight = byte(&in) % 4;
                cols[c].align = (cd_align)(byte(&in) % 4);
            }
            cd_table_style ts = { byte(&in) & 1, byte(&in) & 1, byte(&in) % 14, NULL };
            cd_table *tb = cd_doc_table(d, cols, ncols, &ts);
            size_t rows = byte(&in) % 30;
            for (size_t r = 0; r < rows && tb; r++) {
                const cd_span *cells[6];
                size_t counts[6];
                for (size_t c = 0; c < ncols; c++) {
                    cells[c] = (byte(&in) & 3) ? &spans[c % 3] : NULL;
                    counts[c] = cells[c] ? 1 : 0;
                }
                cd_table_row(tb, (cd_row_kind)(byte(&in) % 3), cells, counts, byte(&in) & 1);
            }
            break;
        }
        case 5: {
            size_t ncat = byte(&in) % 15, nser = 1 + byte(&in) % 3;
            const char *cats[15];
            double vals[3][15];
            cd_chart_series ser[3];
            for (size_t c = 0; c < ncat; c++) {
                cats[c] = t;
                for (size_t s = 0; s < nser; s++) {
                    unsigned v = byte(&in);
                    vals[s][c] = v == 255 ? NAN : v == 254 ? INFINITY : (double)v - 20;
                }
            }
            for (size_t s = 0; s < nser; s++) {
                ser[s].name = t;
                ser[s].values = vals[s];
            }
            cd_chart ch = { (cd_chart_kind)(byte(&in) & 1), t, t, t, cats, ncat, ser, nser,
                            (double)byte(&in) - 100, (double)byte(&in), "%", byte(&in) * 2.0, t };
            cd_doc_chart(d, &ch);
            break;
        }
        case 6: cd_doc_page_break(d); break;
        case 7: cd_doc_anchor(d, (byte(&in) & 1) ? "a" : t, t); break;
        case 8: cd_doc_space(d, byte(&in) * 4.0); break;
        default: cd_doc_signature(d, t, t, t); break;
        }
    }
    cd_doc_info info = { "fuzz", NULL, NULL, NULL, NULL };
    unsigned char *buf = NULL;
    size_t len = 0;
    int pages = 0;
    cd_error err = {0};
    if (cd_doc_render_buffer(d, &info, &buf, &len, &pages, &err) == CD_OK)
        free(buf);
    cd_doc_free(d);
    for (size_t i = 0; i < nkeep; i++)
        free(keep[i]);
    return 0;
}
