/* rules_breach.c -- what the breach pack must be able to defend before a
 * court, as pure functions (declared at the bottom of rules.h): a warning
 * letter read against the failure it answers (does it give that failure's
 * date, and describe what happened -- an appointment missed, a test missed,
 * a sample refused -- or does it describe a different failure?). Kept apart
 * from rules_enforcement.c, which counts the failures; this file only reads
 * the words of the records. See docs/rules.md ("Warnings read against the
 * failure they answer"). Pure: no I/O.
 */
#include "rules.h"
#include <string.h>

static const char *const MONTHS[] = { "january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december" };

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_letter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

/* Reads up to max digits at s into *v; returns how many were read. */
static int digits(const char *s, int max, int *v)
{
    int k = 0;
    *v = 0;
    while (k < max && is_digit(s[k]))
        *v = *v * 10 + (s[k++] - '0');
    return is_digit(s[k]) ? 0 : k;        /* a longer number is not a date part */
}

/* The month named by the word at s (1..12, full name or its first three
 * letters), 0 when none; *len receives the word's length. */
static int month_at(const char *s, size_t *len)
{
    size_t n = 0;
    while (is_letter(s[n]))
        n++;
    *len = n;
    for (int m = 0; m < 12; m++) {
        size_t ml = strlen(MONTHS[m]);
        if (n != ml && n != 3 && !(m == 8 && n == 4))   /* "Sept" */
            continue;
        if (n > ml)
            continue;
        size_t i = 0;
        while (i < n && lower(s[i]) == MONTHS[m][i])
            i++;
        if (i == n)
            return m + 1;
    }
    return 0;
}

size_t cd_text_dates(const char *text, cd_date near, cd_date *out, size_t max)
{
    size_t n = 0;
    int near_y = 0, m0, d0;
    if (near != CD_DATE_NONE)
        cd_date_to_ymd(near, &near_y, &m0, &d0);
    for (const char *p = text ? text : ""; *p && n < max; p++) {
        if (!is_digit(*p) || (p > text && (is_digit(p[-1]) || is_letter(p[-1]))))
            continue;
        int a, b, c, k1, k2, k3;
        int y = 0, m = 0, d = 0;
        /* 2026-10-05 */
        if ((k1 = digits(p, 4, &a)) == 4 && p[4] == '-' && (k2 = digits(p + 5, 2, &b)) == 2 &&
            p[7] == '-' && (k3 = digits(p + 8, 2, &c)) == 2) {
            y = a; m = b; d = c;
        /* 05/10/2026 or 5/10/26 */
        } else if ((k1 = digits(p, 2, &a)) > 0 && p[k1] == '/' && (k2 = digits(p + k1 + 1, 2, &b)) > 0 &&
                   p[k1 + 1 + k2] == '/' && (k3 = digits(p + k1 + k2 + 2, 4, &c)) >= 2) {
            d = a; m = b; y = k3 == 2 ? 2000 + c : c;
        /* 5 October 2026, 5th October, 5 Oct */
        } else if ((k1 = digits(p, 2, &a)) > 0) {
            const char *q = p + k1;
            if (is_letter(q[0]) && is_letter(q[1]) && !is_letter(q[2]) &&
                (!strncmp(q, "st", 2) || !strncmp(q, "nd", 2) || !strncmp(q, "rd", 2) || !strncmp(q, "th", 2)))
                q += 2;
            if (*q != ' ')
                continue;
            size_t ml;
            int mm = month_at(q + 1, &ml);
            if (!mm)
                continue;
            d = a; m = mm;
            q += 1 + ml;
            int yy;
            if (*q == ',')
                q++;
            if (*q == ' ' && digits(q + 1, 4, &yy) == 4)
                y = yy;
            else if (near_y) {
                y = near_y;        /* no year: the latest such date on or before near */
                if (cd_date_valid_ymd(y, m, d) && cd_date_from_ymd(y, m, d) > near)
                    y--;
            }
        }
        if (y && cd_date_valid_ymd(y, m, d))
            out[n++] = cd_date_from_ymd(y, m, d);
    }
    return n;
}

/* Case-insensitive (ASCII) search for any of words starting a word of text. */
static bool says_any(const char *text, const char *const *words)
{
    for (; *words; words++) {
        size_t nl = strlen(*words);
        for (const char *h = text; *h; h++) {
            if (h > text && is_letter(h[-1]))
                continue;
            size_t i = 0;
            while (i < nl && h[i] && lower(h[i]) == (*words)[i])
                i++;
            if (i == nl)
                return true;
        }
    }
    return false;
}

/* What a failure rests on: appointments, tests, or an officer's decision. */
static unsigned failure_sorts(const cd_failure *f)
{
    unsigned s = 0;
    if (f->nappointments)
        s |= CD_WSORT_APPOINTMENT;
    for (size_t i = 0; i < f->ntests; i++)
        s |= f->tests[i]->status == CD_TEST_MISSED ? CD_WSORT_MISSED_TEST : CD_WSORT_SAMPLE;
    if (f->decision)
        s |= CD_WSORT_DECISION;
    return s;
}

cd_warning_match cd_rules_warning_match(const cd_warning *w, const cd_failure *const *answers,
                                        size_t nanswers, const cd_failure *all, size_t nall)
{
    static const char *const appointment_words[] = {
        "attend", "appointment", "absent", "absence", "did not come", "failed to come",
        "failed to report", "did not report", NULL };
    static const char *const test_words[] = {
        "test", "sample", "urine", "oral fluid", "swab", "drug screen", NULL };
    cd_warning_match r = { .gives_date = false, .other_date = CD_DATE_NONE, .matches = true };
    const char *text = w->text ? w->text : "";
    cd_date dates[64];              /* a letter giving more dates is read for its first 64 */
    size_t nd = cd_text_dates(text, w->date, dates, sizeof dates / sizeof dates[0]);
    unsigned sorts = 0;
    for (size_t k = 0; k < nanswers; k++)
        sorts |= failure_sorts(answers[k]);
    r.sorts = sorts;
    for (size_t i = 0; i < nd; i++) {
        bool own = false;
        for (size_t k = 0; k < nanswers; k++)
            own |= dates[i] == answers[k]->date;
        if (own) {
            r.gives_date = true;
            continue;
        }
        /* a date before the letter that is not its failure's: if it is the
         * date of another failure, or no failure's date is given at all, the
         * letter describes something else */
        if (dates[i] >= w->date)
            continue;                     /* the letter's own date, a reply deadline */
        bool other_failure = false;
        for (size_t j = 0; j < nall; j++)
            other_failure |= all[j].date == dates[i];
        if (other_failure || r.other_date == CD_DATE_NONE)
            r.other_date = dates[i];
    }
    bool says_appt = says_any(text, appointment_words), says_test = says_any(text, test_words);
    r.described = (says_appt ? CD_WSORT_APPOINTMENT : 0) | (says_test ? CD_WSORT_SAMPLE : 0);
    if (nanswers == 0) {
        r.matches = false;
        r.problem = CD_WMATCH_NO_FAILURE;
    } else if (r.other_date != CD_DATE_NONE && !r.gives_date) {
        r.matches = false;
        r.problem = CD_WMATCH_OTHER_DATE;
    } else if (says_appt && !says_test && !(sorts & (CD_WSORT_APPOINTMENT | CD_WSORT_DECISION))) {
        r.matches = false;                /* a missed or refused test called a failure to attend */
        r.problem = CD_WMATCH_OTHER_KIND;
    } else if (says_test && !says_appt && !(sorts & (CD_WSORT_MISSED_TEST | CD_WSORT_SAMPLE | CD_WSORT_DECISION))) {
        r.matches = false;                /* a missed appointment called a test */
        r.problem = CD_WMATCH_OTHER_KIND;
    }
    return r;
}
