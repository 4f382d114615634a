/* model.c -- calendar dates and the enumeration tables of the case model.
 * Dates use Howard Hinnant's days-from-civil algorithm (proleptic Gregorian),
 * so date arithmetic is plain integer arithmetic. Each enumeration of the
 * case-record format has exactly one table here: its words (as in the
 * format and the store) and its labels (as printed in documents). */
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- dates ------------------------------------------------------------ */

cd_date cd_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
    const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return (cd_date)(era * 146097 + (int)doe - 719468);
}

void cd_date_to_ymd(cd_date z0, int *y, int *m, int *d)
{
    int z = z0 + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    const int yy = (int)yoe + era * 400;
    const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    const unsigned mp = (5u * doy + 2u) / 153u;
    const unsigned dd = doy - (153u * mp + 2u) / 5u + 1u;
    const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (mm <= 2);
    *m = mm;
    *d = (int)dd;
}

int cd_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

bool cd_date_valid_ymd(int y, int m, int d)
{
    return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= cd_days_in_month(y, m);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool cd_date_parse(const char *s, cd_date *out)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) return false;
    if (!cd_date_valid_ymd(y, m, d)) return false;
    *out = cd_date_from_ymd(y, m, d);
    return true;
}

bool cd_month_parse(const char *s, cd_date *first, cd_date *last)
{
    int y, m;
    if (!s || strlen(s) != 7 || s[4] != '-') return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !cd_date_valid_ymd(y, m, 1)) return false;
    *first = cd_date_from_ymd(y, m, 1);
    *last = cd_date_add_months(*first, 1) - 1;
    return true;
}

void cd_date_format_iso(cd_date d, char out[11])
{
    if (d == CD_DATE_NONE) { out[0] = '\0'; return; }
    int y, m, day;
    cd_date_to_ymd(d, &y, &m, &day);
    unsigned yy = (unsigned)(y < 0 ? 0 : y) % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)day % 100u;
    out[0] = (char)('0' + yy / 1000); out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10); out[3] = (char)('0' + yy % 10); out[4] = '-';
    out[5] = (char)('0' + mm / 10); out[6] = (char)('0' + mm % 10); out[7] = '-';
    out[8] = (char)('0' + dd / 10); out[9] = (char)('0' + dd % 10); out[10] = '\0';
}

static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

void cd_date_format_long(cd_date d, char *out, size_t n)
{
    if (d == CD_DATE_NONE) { if (n) out[0] = '\0'; return; }
    int y, m, day;
    cd_date_to_ymd(d, &y, &m, &day);
    snprintf(out, n, "%d %s %d", day, month_names[m - 1], y);
}

int cd_date_weekday(cd_date d)
{
    /* 1970-01-01 was a Thursday (3 when Monday = 0). */
    int w = (int)((d % 7 + 7) % 7);
    return (w + 3) % 7;
}

cd_date cd_date_add_months(cd_date d, int months)
{
    int y, m, day;
    cd_date_to_ymd(d, &y, &m, &day);
    int total = y * 12 + (m - 1) + months;
    y = total >= 0 ? total / 12 : (total - 11) / 12;
    m = total - y * 12 + 1;
    int dim = cd_days_in_month(y, m);
    if (day > dim) day = dim;
    return cd_date_from_ymd(y, m, day);
}

cd_date cd_date_today(void)
{
    const char *fixed = getenv("CD_TODAY");
    cd_date d;
    if (fixed && cd_date_parse(fixed, &d)) return d;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return cd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

bool cd_time_parse(const char *s, int *minutes)
{
    int h, m;
    if (!s || strlen(s) != 5 || s[2] != ':') return false;
    if (!digits(s, 2, &h) || !digits(s + 3, 2, &m) || h > 23 || m > 59) return false;
    *minutes = h * 60 + m;
    return true;
}

/* ---- enumerations ------------------------------------------------------- */

typedef struct { const char *const *words; const char *const *labels; } enum_table;

#define W(...) (const char *const[]){__VA_ARGS__, NULL}
static const enum_table tables[CD_ENUM_COUNT] = {
    [CD_ENUM_SEX] = {W("unknown", "female", "male", "other"),
                     W("not known", "female", "male", "other")},
    [CD_ENUM_ACCOMMODATION] = {W("", "settled", "temporary", "homeless", "unknown"),
                               W("not recorded", "settled", "temporary", "homeless", "unknown")},
    [CD_ENUM_ORDER_TYPE] = {W("DTTO", "DRR"),
                            W("Drug Treatment and Testing Order", "Drug Rehabilitation Requirement")},
    [CD_ENUM_INTENSITY] = {W("low", "medium", "high"), W("low", "medium", "high")},
    [CD_ENUM_REVIEW_HEARINGS] = {W("monthly", "quarterly", "none"), W("monthly", "quarterly", "none")},
    [CD_ENUM_END_REASON] = {W("", "completed", "good-progress", "revoked-non-compliance",
                              "revoked-conviction", "transferred", "other"),
                            W("running", "completed", "terminated early for good progress",
                              "revoked for failure to comply", "revoked after a further conviction",
                              "transferred", "ended (other reason)")},
    [CD_ENUM_APPT_KIND] = {W("probation", "treatment", "group", "testing", "programme",
                             "prescribing", "other"),
                           W("probation", "treatment", "group", "testing", "programme",
                             "prescribing", "other")},
    [CD_ENUM_APPT_OUTCOME] = {W("attended", "late", "absent-acceptable", "absent-unacceptable",
                                "rescheduled", "cancelled-by-service", "pending"),
                              W("attended", "late", "absent (acceptable)", "absent (unacceptable)",
                                "rescheduled", "cancelled by service", "pending")},
    [CD_ENUM_TEST_METHOD] = {W("urine", "oral-fluid", "breath", "hair"),
                             W("urine", "oral fluid", "breath", "hair")},
    [CD_ENUM_TEST_STATUS] = {W("tested", "refused", "missed", "dilute", "invalid",
                               "adulterated", "substituted", "admitted"),
                             W("tested", "refused", "missed (not provided)", "dilute", "invalid",
                               "adulterated", "substituted", "written admission")},
    [CD_ENUM_SUBSTANCE] = {W("opiates", "cocaine", "methadone", "buprenorphine",
                             "benzodiazepines", "amphetamines", "cannabis", "alcohol", "other"),
                           W("opiates", "cocaine/crack", "methadone", "buprenorphine",
                             "benzodiazepines", "amphetamines", "cannabis", "alcohol", "other")},
    [CD_ENUM_RESULT_OUTCOME] = {W("negative", "positive"), W("negative", "positive")},
    [CD_ENUM_CONFIRMATION] = {W("none", "laboratory", "admitted"),
                              W("screen", "laboratory confirmed", "admitted")},
    [CD_ENUM_BREACH_OUTCOME] = {W("pending", "continued", "amended", "revoked", "warrant",
                                  "withdrawn"),
                                W("pending", "order continued", "order amended", "order revoked",
                                  "warrant issued", "withdrawn")},
    [CD_ENUM_REVIEW_KIND] = {W("hearing", "paper"), W("hearing", "paper review")},
    [CD_ENUM_REVIEW_OUTCOME] = {W("continue", "amend", "revoke", "adjourned"),
                                W("order continued", "order amended", "order revoked",
                                  "adjourned")},
    [CD_ENUM_NOTE_KIND] = {W("supervisor-assessment", "recommendation", "provider-view",
                             "progress", "contact-attempt", "breach-statement"),
                           W("supervisor's assessment", "recommendation",
                             "treatment provider's view", "progress", "contact attempt",
                             "officer's breach statement")},
    [CD_ENUM_ROUTE] = {W("smoked", "injected", "snorted", "oral", "other"),
                       W("smoked", "injected", "snorted", "oral", "other")},
    [CD_ENUM_FREQUENCY] = {W("daily", "most-days", "weekly", "occasional", "none-recent"),
                           W("daily", "most days", "weekly", "occasional", "none recently")},
    [CD_ENUM_STAGE] = {W("pre-contemplation", "contemplation", "preparation", "action",
                         "maintenance"),
                       W("pre-contemplation", "contemplation", "preparation", "action",
                         "maintenance")},
    [CD_ENUM_PREV_OUTCOME] = {W("completed", "good-progress", "revoked-non-compliance",
                                "revoked-conviction", "transferred", "other"),
                              W("completed", "terminated early for good progress",
                                "revoked for failure to comply",
                                "revoked after a further conviction", "transferred", "other")},
};
#undef W

int cd_enum_parse(cd_enum e, const char *word)
{
    if ((unsigned)e >= CD_ENUM_COUNT || !word) return -1;
    for (int i = 0; tables[e].words[i]; i++)
        if (strcmp(tables[e].words[i], word) == 0 && word[0]) return i;
    return -1;
}

static const char *lookup(const char *const *list, int v)
{
    if (v < 0) return "";
    for (int i = 0; list[i]; i++)
        if (i == v) return list[i];
    return "";
}

const char *cd_enum_name(cd_enum e, int v)
{
    return (unsigned)e < CD_ENUM_COUNT ? lookup(tables[e].words, v) : "";
}

const char *cd_enum_label(cd_enum e, int v)
{
    return (unsigned)e < CD_ENUM_COUNT ? lookup(tables[e].labels, v) : "";
}

/* ---- the case ------------------------------------------------------------ */

void cd_case_free(cd_case *c)
{
    if (c) cd_arena_free(c->arena);   /* the case itself lives in its arena */
}

const cd_staff *cd_case_staff(const cd_case *c, const char *role)
{
    for (size_t i = 0; i < c->nstaff; i++)
        if (c->staff[i].role && strcmp(c->staff[i].role, role) == 0) return &c->staff[i];
    return NULL;
}

const char *cd_person_full_name(const cd_case *c)
{
    const char *g = c->person.given_name, *f = c->person.family_name;
    if (g && f) return cd_arena_printf(c->arena, "%s %s", g, f);
    if (g || f) return g ? g : f;
    return "name not recorded";
}

int cd_person_age(const cd_person *p, cd_date on)
{
    if (p->date_of_birth == CD_DATE_NONE || on == CD_DATE_NONE) return -1;
    int y1, m1, d1, y2, m2, d2;
    cd_date_to_ymd(p->date_of_birth, &y1, &m1, &d1);
    cd_date_to_ymd(on, &y2, &m2, &d2);
    int age = y2 - y1;
    if (m2 < m1 || (m2 == m1 && d2 < d1)) age--;
    return age;
}
