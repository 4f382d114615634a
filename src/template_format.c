/* template_format.c -- how a template's <value format="..."> turns the
 * string value of a selection into the words printed: UK dates ("3 June
 * 2026", "03/06/2026"), numbers with thousands separators and fixed
 * decimals, percentages ("38%", "3 of 8 (38%)"), money ("£1,250"), yes/no.
 * Rounding is half away from zero on the decimal figure (37.5% -> 38%), never
 * the binary float's round-half-even. Also the one parser of template
 * lengths ("20mm"). Counts with their noun ("1 absence", "no absences") are
 * words.h's, not repeated here. Date arithmetic is model.h's, not repeated here. */
#include "template_int.h"
#include "model.h"
#include "words.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; tformat f; } formats[] = {
    {"text", TF_TEXT}, {"date", TF_DATE}, {"long-date", TF_LONG_DATE},
    {"short-date", TF_SHORT_DATE}, {"datetime", TF_DATETIME}, {"number", TF_NUMBER},
    {"integer", TF_INTEGER}, {"percent", TF_PERCENT}, {"percent-of", TF_PERCENT_OF},
    {"money", TF_MONEY}, {"yesno", TF_YESNO}, {"upper", TF_UPPER}, {"count", TF_COUNT},
};

bool tf_parse(const char *name, tformat *f, int *decimals)
{
    *decimals = 0;
    if (!strncmp(name, "decimal:", 8)) {
        const char *d = name + 8;
        if (d[0] >= '0' && d[0] <= '6' && d[1] == '\0') {
            *f = TF_DECIMAL;
            *decimals = d[0] - '0';
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(name, formats[i].name)) { *f = formats[i].f; return true; }
    return false;
}

const char *tf_names(void)
{
    return "text, date, long-date, short-date, datetime, number, integer, decimal:N "
           "(N = 0..6), percent, percent-of, money, yesno, upper, count";
}

/* A plain decimal number: optional sign, digits, optional fraction. XPath
 * number() would accept more (" 1 "), but the data document writes plain
 * numbers, so anything else is a mistake worth reporting. */
static bool parse_number(const char *s, double *out)
{
    while (isspace((unsigned char)*s)) s++;
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) { p++; digits++; }
    if (*p == '.') { p++; while (isdigit((unsigned char)*p)) { p++; digits++; } }
    while (isspace((unsigned char)*p)) p++;
    if (!digits || *p) return false;
    *out = strtod(s, NULL);
    return isfinite(*out);
}

/* Writes x rounded (half away from zero) to `decimals` places with
 * thousands separators; trim = drop trailing fractional zeros. */
static const char *fmt_number(cd_arena *a, double x, int decimals, bool trim)
{
    double scale = pow(10, decimals);
    double r = round(fabs(x) * scale);
    if (r > 9e15) return cd_arena_printf(a, "%.*f", decimals, x);   /* beyond exact integers */
    long long whole = (long long)r, ip = whole / (long long)scale, fp = whole % (long long)scale;
    char digits[32], grouped[48], frac[64] = "";
    snprintf(digits, sizeof digits, "%lld", ip);
    size_t n = strlen(digits), g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    if (decimals > 0) {
        snprintf(frac, sizeof frac, ".%0*lld", decimals & 7, fp);
        if (trim) {
            size_t k = strlen(frac);
            while (k > 1 && frac[k - 1] == '0') frac[--k] = '\0';
            if (k == 1) frac[0] = '\0';
        }
    }
    return cd_arena_printf(a, "%s%s%s", (x < 0 && whole) ? "-" : "", grouped, frac);
}

/* Parses "YYYY-MM-DD" optionally followed by "T..." or " ..." (a datetime). */
static bool parse_date_prefix(const char *s, cd_date *d, const char **rest)
{
    char ymd[11];
    if (strlen(s) < 10) return false;
    memcpy(ymd, s, 10);
    ymd[10] = '\0';
    if (s[10] && s[10] != 'T' && s[10] != ' ') return false;
    if (!cd_date_parse(ymd, d)) return false;
    *rest = s[10] ? s + 11 : s + 10;
    return true;
}

static const char *const weekday_names[7] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

bool tf_format(cd_arena *a, tformat f, int decimals, const char *value,
               const char *base, const char *zero, const char **out, const char **why)
{
    double x, b;
    cd_date d;
    const char *rest;
    char buf[64];
    *why = NULL;
    switch (f) {
    case TF_TEXT:
        *out = value;
        return true;
    case TF_DATE: case TF_LONG_DATE: case TF_SHORT_DATE: case TF_DATETIME:
        if (!parse_date_prefix(value, &d, &rest)) { *why = "an ISO date (YYYY-MM-DD)"; return false; }
        cd_date_format_long(d, buf, sizeof buf);
        if (f == TF_DATE) *out = cd_arena_strdup(a, buf);
        else if (f == TF_LONG_DATE) *out = cd_arena_printf(a, "%s %s", weekday_names[cd_date_weekday(d)], buf);
        else if (f == TF_SHORT_DATE) {
            int y, m, dd;
            cd_date_to_ymd(d, &y, &m, &dd);
            *out = cd_arena_printf(a, "%02d/%02d/%04d", dd, m, y);
        } else if (rest[0] && isdigit((unsigned char)rest[0]) && strlen(rest) >= 5 && rest[2] == ':')
            *out = cd_arena_printf(a, "%s at %.5s", buf, rest);
        else
            *out = cd_arena_strdup(a, buf);
        return true;
    case TF_NUMBER: case TF_INTEGER: case TF_DECIMAL: case TF_PERCENT: case TF_MONEY:
        if (!parse_number(value, &x)) { *why = "a number"; return false; }
        if (f == TF_NUMBER) *out = fmt_number(a, x, 2, true);
        else if (f == TF_INTEGER) *out = fmt_number(a, x, 0, false);
        else if (f == TF_DECIMAL) *out = fmt_number(a, x, decimals, false);
        else if (f == TF_PERCENT) *out = cd_arena_printf(a, "%s%%", fmt_number(a, x, 0, false));
        else {
            bool pence = fabs(x - round(x)) >= 0.005;
            const char *n = fmt_number(a, fabs(x), pence ? 2 : 0, false);
            *out = cd_arena_printf(a, "%s£%s", x < 0 && strcmp(n, "0") ? "-" : "", n);
        }
        return true;
    case TF_PERCENT_OF:
        if (!parse_number(value, &x)) { *why = "a number"; return false; }
        if (!base || !parse_number(base, &b)) { *why = "a number in base= too"; return false; }
        if (b == 0) { *out = zero ? zero : "no tests"; return true; }
        *out = cd_arena_printf(a, "%s of %s (%s%%)", fmt_number(a, x, 2, true),
                               fmt_number(a, b, 2, true), fmt_number(a, 100.0 * x / b, 0, false));
        return true;
    case TF_YESNO:
        if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes")) *out = "Yes";
        else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no")) *out = "No";
        else { *why = "true or false"; return false; }
        return true;
    case TF_UPPER: {
        char *u = cd_arena_strdup(a, value);
        for (char *p = u; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        *out = u;
        return true;
    }
    case TF_COUNT:
        *why = "a count with noun= (the loader requires one)";
        return false;
    }
    *why = "a known format";
    return false;
}

bool tf_format_count(cd_arena *a, const char *value, const char *noun, const char *plural,
                     const char *zero, const char **out, const char **why)
{
    double x;
    *why = NULL;
    if (!parse_number(value, &x) || x != floor(x) || fabs(x) > 9e15) {
        *why = "a whole number";
        return false;
    }
    *out = cd_words_count(a, (long)x, noun, plural, zero);
    return true;
}

bool tf_length(const char *s, double *points)
{
    if (!isdigit((unsigned char)s[0]) && s[0] != '.') return false;
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || v < 0) return false;
    while (*end == ' ') end++;
    double k;
    if (!*end || !strcmp(end, "pt")) k = 1;
    else if (!strcmp(end, "mm")) k = 72.0 / 25.4;
    else if (!strcmp(end, "cm")) k = 720.0 / 25.4;
    else if (!strcmp(end, "in")) k = 72;
    else return false;
    *points = v * k;
    return true;
}
