/* layout_chart.c -- charts drawn as vectors inside the box the layout gave
 * them: title, legend, y axis with "nice" ticks (1, 2, 2.5 or 5 times a
 * power of ten) and their labels, category labels (rotated, then thinned
 * when crowded), and the series: lines with a dash pattern and a marker
 * shape per series, or grouped bars with a grey level and hatching per
 * series, so that every series can be told apart when printed in black and
 * white. NAN values draw nothing (a line breaks at the gap). When series
 * carry bases, each category's base is printed under its label ("n=7"), and
 * values resting on fewer than min_base are drawn hollow, with a legend
 * entry saying so. */
#include "layout_int.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const cd_rgb INK = {0, 0, 0};
static const cd_rgb GRID = {0.82, 0.82, 0.82};

/* Series styles: colour, dash, marker, bar fill and hatching. */
static const cd_rgb SERIES_COLOUR[] = {
    {0.10, 0.25, 0.55}, {0.85, 0.40, 0.05}, {0.15, 0.50, 0.20}, {0.45, 0.15, 0.50}, {0.30, 0.30, 0.30}};
static const cd_dash SERIES_DASH[] = {CD_DASH_SOLID, CD_DASH_DASHED, CD_DASH_DOTTED, CD_DASH_DASH_DOT, CD_DASH_LONG};
static const cd_rgb BAR_FILL[] = {
    {0.20, 0.20, 0.20}, {0.95, 0.95, 0.95}, {0.60, 0.60, 0.60}, {1, 1, 1}, {0.40, 0.40, 0.40}};
static const int BAR_HATCH[] = {0, 1, 0, -1, 1};
#define NSTYLES 5

void lay_format_number(double v, int decimals, char *out, size_t n)
{
    double scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    long long q = llround(fabs(v) * scale);
    long long ip = q / (long long)scale, fp = q % (long long)scale;
    char frac[24] = "";
    if (decimals > 0) {
        frac[0] = '.';
        for (int i = decimals; i >= 1; i--) { frac[i] = (char)('0' + fp % 10); fp /= 10; }
        frac[decimals + 1] = '\0';
    }
    snprintf(out, n, "%s%lld%s", v < 0 && q != 0 ? "-" : "", ip, frac);
}

/* A step of 1, 2, 2.5 or 5 times a power of ten near range/target. */
static double nice_step(double range, int target, int *decimals)
{
    double raw = range / target, p = pow(10, floor(log10(raw))), m = raw / p, step;
    if (m <= 1) step = 1; else if (m <= 2) step = 2; else if (m <= 2.5) step = 2.5;
    else if (m <= 5) step = 5; else step = 10;
    step *= p;
    int dec = 0;
    for (double s = step; dec < 6 && fabs(s - round(s)) > 1e-9; s *= 10) dec++;
    *decimals = dec;
    return step;
}

static const cd_rgb PAPER = {1, 1, 1};

/* Whether value i of series s rests on a base under the chart's min_base. */
static bool is_hollow(const cd_chart *ch, size_t s, size_t i)
{
    const double *b = ch->series[s].bases;
    return ch->min_base > 0 && b && !isnan(b[i]) && b[i] < ch->min_base;
}

/* A line-chart marker, filled, or hollow (the series colour with paper inside). */
static void marker(cd_pdf *pdf, int k, double x, double y, bool hollow, cd_rgb colour)
{
    cd_pdf_marker(pdf, k, x, y, 4.5, colour);
    if (hollow) cd_pdf_marker(pdf, k, x, y, 2.6, PAPER);
}

/* The base under category i: "n=7", or "n=7/5" when the series' bases
 * differ (in series order), for series < 0; the bare number of that series
 * otherwise. NULL when there is none. */
static const char *base_note(lay_ctx *c, const cd_chart *ch, size_t i, long series)
{
    cd_strbuf b = CD_STRBUF_INIT;
    double first = NAN;
    bool same = true, any = false;
    for (size_t s = 0; s < ch->nseries; s++) {
        const double *v = ch->series[s].bases;
        if (!v || isnan(v[i]) || (series >= 0 && (size_t)series != s)) continue;
        if (any && v[i] != first) same = false;
        if (!any) first = v[i];
        any = true;
    }
    if (!any) return NULL;
    if (series < 0) cd_strbuf_add(&b, "n=");
    bool sep = false;
    for (size_t s = 0; s < ch->nseries; s++) {
        const double *v = ch->series[s].bases;
        if (!v || isnan(v[i]) || (series >= 0 && (size_t)series != s)) continue;
        char num[48];
        lay_format_number(v[i], fabs(v[i] - round(v[i])) > 1e-9 ? 1 : 0, num, sizeof num);
        if (sep) cd_strbuf_addc(&b, '/');
        cd_strbuf_add(&b, num);
        sep = true;
        if (same) break;
    }
    const char *r = cd_arena_strdup(c->pass, cd_strbuf_str(&b));
    cd_strbuf_free(&b);
    return r;
}

/* Whether every series with bases has the same base in every category. */
static bool bases_agree(const cd_chart *ch)
{
    for (size_t i = 0; i < ch->ncategories; i++) {
        double first = NAN;
        for (size_t s = 0; s < ch->nseries; s++) {
            const double *v = ch->series[s].bases;
            if (!v || isnan(v[i])) continue;
            if (!isnan(first) && v[i] != first) return false;
            first = v[i];
        }
    }
    return true;
}

static void text_at(lay_ctx *c, cd_pdf *pdf, const char *s, int face, double size,
                    double x, double baseline, int anchor /* 0 left, 1 centre, 2 right */)
{
    double w;
    const char *t = lay_prepare(c, s, face, size, &w);
    cd_pdf_text(pdf, face, size, INK, x - (anchor == 1 ? w / 2 : anchor == 2 ? w : 0), baseline, t, strlen(t));
}

void lay_draw_chart(lay_ctx *c, cd_pdf *pdf, const cd_chart *ch, double x, double y,
                    double w, double h)
{
    double fs = c->base - 2 > 6 ? c->base - 2 : 6, top = y, bottom = y + h;
    int bold = lay_face(c, CD_SPAN_BOLD);
    if (ch->title && *ch->title) {
        text_at(c, pdf, ch->title, bold, c->base, x + w / 2, top + c->base, 1);
        top += c->base * 1.6;
    }
    /* legend: sample + name, in rows */
    if (ch->nseries > 0) {
        double lx = x, ly = top + fs;
        for (size_t s = 0; s < ch->nseries; s++) {
            double nw;
            lay_prepare(c, ch->series[s].name, 0, fs, &nw);
            if (lx > x && lx + 30 + nw > x + w) { lx = x; ly += fs * 1.5; }
            int k = (int)(s % NSTYLES);
            if (ch->kind == CD_CHART_LINE) {
                cd_pdf_line(pdf, lx, ly - fs * 0.35, lx + 22, ly - fs * 0.35, 1.4, SERIES_COLOUR[k], SERIES_DASH[k]);
                cd_pdf_marker(pdf, k, lx + 11, ly - fs * 0.35, 4.5, SERIES_COLOUR[k]);
            } else {
                cd_pdf_rect_fill(pdf, lx + 4, ly - fs * 0.9, 14, fs, BAR_FILL[k]);
                if (BAR_HATCH[k]) cd_pdf_rect_hatch(pdf, lx + 4, ly - fs * 0.9, 14, fs, 3, BAR_HATCH[k], INK);
                cd_pdf_rect_stroke(pdf, lx + 4, ly - fs * 0.9, 14, fs, 0.5, INK);
            }
            text_at(c, pdf, ch->series[s].name, 0, fs, lx + 26, ly, 0);
            lx += 26 + nw + 14;
        }
        bool hollow = false;
        for (size_t s = 0; s < ch->nseries; s++)
            for (size_t i = 0; i < ch->ncategories; i++)
                hollow |= is_hollow(ch, s, i) && !isnan(ch->series[s].values[i]);
        if (hollow) {                 /* the key to hollow values */
            char num[48];
            lay_format_number(ch->min_base, fabs(ch->min_base - round(ch->min_base)) > 1e-9 ? 1 : 0,
                              num, sizeof num);
            const char *label = ch->hollow_label && *ch->hollow_label ? ch->hollow_label
                                : cd_arena_printf(c->pass, "hollow: base under %s", num);
            double nw;
            lay_prepare(c, label, 0, fs, &nw);
            if (lx > x && lx + 30 + nw > x + w) { lx = x; ly += fs * 1.5; }
            if (ch->kind == CD_CHART_LINE) marker(pdf, 0, lx + 11, ly - fs * 0.35, true, INK);
            else {
                cd_pdf_rect_fill(pdf, lx + 4, ly - fs * 0.9, 14, fs, PAPER);
                cd_pdf_rect_stroke(pdf, lx + 4, ly - fs * 0.9, 14, fs, 0.5, INK);
            }
            text_at(c, pdf, label, 0, fs, lx + 26, ly, 0);
        }
        top = ly + fs;
    }
    /* y range from the data unless given */
    double lo = ch->y_min, hi = ch->y_max;
    if (lo == 0 && hi == 0) {
        lo = INFINITY;
        hi = -INFINITY;
        for (size_t s = 0; s < ch->nseries; s++)
            for (size_t i = 0; i < ch->ncategories; i++) {
                double v = ch->series[s].values[i];
                if (isnan(v) || isinf(v)) continue;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        if (lo > hi) { lo = 0; hi = 1; }
        if (lo > 0) lo = 0;
    }
    if (hi <= lo) hi = lo + 1;
    int dec;
    double step = nice_step(hi - lo, 5, &dec);
    lo = floor(lo / step + 1e-9) * step;
    hi = ceil(hi / step - 1e-9) * step;
    const char *suffix = ch->y_suffix ? ch->y_suffix : "";
    /* tick labels decide the left margin */
    double label_w = 0;
    char buf[64];
    for (double v = lo; v <= hi + step / 2; v += step) {
        char num[48];
        lay_format_number(v, dec, num, sizeof num);
        snprintf(buf, sizeof buf, "%s%s", num, suffix);
        double tw;
        lay_prepare(c, buf, 0, fs, &tw);
        if (tw > label_w) label_w = tw;
    }
    double plot_l = x + label_w + 6 + (ch->y_label && *ch->y_label ? fs * 1.6 : 0);
    double plot_r = x + w - 4;
    /* category labels: flat, or rotated 45 degrees, thinned when crowded */
    size_t ncat = ch->ncategories ? ch->ncategories : 1;
    double slot = (plot_r - plot_l) / (double)ncat, cat_w = 0;
    for (size_t i = 0; i < ch->ncategories; i++) {
        double tw;
        lay_prepare(c, ch->categories[i], 0, fs, &tw);
        if (tw > cat_w) cat_w = tw;
    }
    bool rotate = cat_w > slot - 2;
    size_t every = 1;
    if (rotate) while (slot * (double)every < fs * 1.3) every++;
    double cat_h = rotate ? cat_w * M_SQRT1_2 + fs : fs * 1.4 + 2;
    if (cat_h > h * 0.35) cat_h = h * 0.35;
    /* bases under the labels: "n=7" (or "n=7/5") under each category when
     * they fit; otherwise one row per series with bases (one row when they
     * agree), headed by the series' marker and "n=", numbers thinned out
     * when still crowded */
    bool notes = false, rows_mode = false;
    for (size_t i = 0; i < ch->ncategories; i++) {
        const char *nt = base_note(c, ch, i, -1);
        if (!nt) continue;
        notes = true;
        double tw;
        lay_prepare(c, nt, 0, fs, &tw);
        if (tw > slot - 2) rows_mode = true;
    }
    size_t note_rows = notes ? 1 : 0, note_every = 1;
    bool agree = bases_agree(ch);
    if (rows_mode) {
        note_rows = 0;
        double bw = 0, tw;
        for (size_t s = 0; s < ch->nseries; s++) {
            if (!ch->series[s].bases) continue;
            note_rows++;
            for (size_t i = 0; i < ch->ncategories; i++) {
                const char *nt = base_note(c, ch, i, (long)s);
                if (nt && (lay_prepare(c, nt, 0, fs, &tw), tw > bw)) bw = tw;
            }
        }
        if (agree) note_rows = 1;
        while (slot * (double)note_every < bw + 2) note_every++;
    }
    double note_h = (double)note_rows * fs * 1.3;
    double plot_b = bottom - cat_h - note_h - (ch->x_label && *ch->x_label ? fs * 1.6 : 0) - 2;
    double plot_t = top + 4;
    if (plot_b - plot_t < 20) plot_t = plot_b - 20;
    double span = hi - lo;
#define YPOS(v) (plot_b - ((v) - lo) / span * (plot_b - plot_t))
    /* grid and ticks */
    for (double v = lo; v <= hi + step / 2; v += step) {
        double py = YPOS(v);
        cd_pdf_line(pdf, plot_l, py, plot_r, py, 0.4, GRID, CD_DASH_SOLID);
        char num[48];
        lay_format_number(v, dec, num, sizeof num);
        snprintf(buf, sizeof buf, "%s%s", num, suffix);
        text_at(c, pdf, buf, 0, fs, plot_l - 4, py + fs * 0.35, 2);
    }
    cd_pdf_line(pdf, plot_l, plot_t, plot_l, plot_b, 0.8, INK, CD_DASH_SOLID);
    cd_pdf_line(pdf, plot_l, plot_b, plot_r, plot_b, 0.8, INK, CD_DASH_SOLID);
    if (ch->y_label && *ch->y_label) {
        double tw;
        const char *t = lay_prepare(c, ch->y_label, 0, fs, &tw);
        cd_pdf_text_rotated(pdf, 0, fs, INK, x + fs, (plot_t + plot_b) / 2 + tw / 2, 90, t);
    }
    if (ch->x_label && *ch->x_label)
        text_at(c, pdf, ch->x_label, 0, fs, (plot_l + plot_r) / 2, bottom - 2, 1);
    for (size_t i = 0; i < ch->ncategories; i += every) {
        double cx = plot_l + slot * ((double)i + 0.5);
        if (!rotate) text_at(c, pdf, ch->categories[i], 0, fs, cx, plot_b + fs * 1.2 + 2, 1);
        else {
            double tw;
            const char *t = lay_prepare(c, ch->categories[i], 0, fs, &tw);
            double d = tw * M_SQRT1_2;
            cd_pdf_text_rotated(pdf, 0, fs, INK, cx - d, plot_b + 4 + d + fs * 0.5, 45, t);
        }
    }
    if (notes && !rows_mode) {
        double nb = plot_b + cat_h + fs * 1.05;
        for (size_t i = 0; i < ch->ncategories; i++) {
            const char *nt = base_note(c, ch, i, -1);
            if (nt) text_at(c, pdf, nt, 0, fs, plot_l + slot * ((double)i + 0.5), nb, 1);
        }
    } else if (notes) {
        double nb = plot_b + cat_h + fs * 1.05;
        for (size_t s = 0; s < ch->nseries; s++) {
            if (!ch->series[s].bases) continue;
            int k = (int)(s % NSTYLES);
            double tw;
            lay_prepare(c, "n=", 0, fs, &tw);
            text_at(c, pdf, "n=", 0, fs, plot_l - 4, nb, 2);
            if (!agree) {             /* which series: its marker or bar swatch */
                double mx = plot_l - 4 - tw - 6, my = nb - fs * 0.35;
                if (ch->kind == CD_CHART_LINE) cd_pdf_marker(pdf, k, mx, my, 4.5, SERIES_COLOUR[k]);
                else {
                    cd_pdf_rect_fill(pdf, mx - 4, my - 3, 8, 6, BAR_FILL[k]);
                    cd_pdf_rect_stroke(pdf, mx - 4, my - 3, 8, 6, 0.5, INK);
                }
            }
            for (size_t i = 0; i < ch->ncategories; i += note_every) {
                const char *nt = base_note(c, ch, i, agree ? -1 : (long)s);
                if (nt && agree) nt += 2;                  /* "n=" heads the row */
                if (nt) text_at(c, pdf, nt, 0, fs, plot_l + slot * ((double)i + 0.5), nb, 1);
            }
            nb += fs * 1.3;
            if (agree) break;
        }
    }
    /* series */
    if (ch->kind == CD_CHART_LINE) {
        double xs[512], ys[512];
        for (size_t s = 0; s < ch->nseries; s++) {
            int k = (int)(s % NSTYLES);
            size_t n = 0;
            for (size_t i = 0; i <= ch->ncategories; i++) {
                double v = i < ch->ncategories ? ch->series[s].values[i] : NAN;
                if (isnan(v) || n == 512) {
                    cd_pdf_polyline(pdf, xs, ys, n, 1.4, SERIES_COLOUR[k], SERIES_DASH[k]);
                    n = 0;
                    if (isnan(v)) continue;
                }
                double cv = v < lo ? lo : v > hi ? hi : v;
                xs[n] = plot_l + slot * ((double)i + 0.5);
                ys[n++] = YPOS(cv);
            }
            for (size_t i = 0; i < ch->ncategories; i++) {
                double v = ch->series[s].values[i];
                if (isnan(v)) continue;
                double cv = v < lo ? lo : v > hi ? hi : v;
                marker(pdf, k, plot_l + slot * ((double)i + 0.5), YPOS(cv), is_hollow(ch, s, i),
                       SERIES_COLOUR[k]);
            }
        }
    } else if (ch->nseries > 0) {
        double group = slot * 0.8, bw = group / (double)ch->nseries;
        double base = YPOS(lo < 0 && hi > 0 ? 0 : lo);
        for (size_t i = 0; i < ch->ncategories; i++)
            for (size_t s = 0; s < ch->nseries; s++) {
                double v = ch->series[s].values[i];
                if (isnan(v)) continue;
                double cv = v < lo ? lo : v > hi ? hi : v, py = YPOS(cv);
                double bx = plot_l + slot * (double)i + slot * 0.1 + bw * (double)s;
                double ty = py < base ? py : base, bh = fabs(base - py);
                int k = (int)(s % NSTYLES);
                if (is_hollow(ch, s, i)) {   /* hollow: an outline only */
                    cd_pdf_rect_fill(pdf, bx, ty, bw, bh, PAPER);
                    cd_pdf_rect_stroke(pdf, bx, ty, bw, bh, 0.8, INK);
                    continue;
                }
                cd_pdf_rect_fill(pdf, bx, ty, bw, bh, BAR_FILL[k]);
                if (BAR_HATCH[k]) cd_pdf_rect_hatch(pdf, bx, ty, bw, bh, 3, BAR_HATCH[k], INK);
                cd_pdf_rect_stroke(pdf, bx, ty, bw, bh, 0.5, INK);
            }
    }
#undef YPOS
}
