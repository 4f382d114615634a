/* rules_enforcement.c -- unacceptable failures counted as the National
 * Standard counts them, the 12-month window, warnings and breaches, the
 * failure that triggers breach action under the order's profile, drr-2020
 * warning content, and the figures a court needs for the Sentencing Council
 * breach guideline. ONE implementation, read by the review report, the
 * breach pack and the caseload summary. Pure: no I/O. See docs/rules.md. */
#include "rules.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cd_failure_kind_name(cd_failure_kind k)
{
    switch (k) {
    case CD_FAILURE_ABSENCE: return "absence";
    case CD_FAILURE_REFUSAL: return "refusal";
    case CD_FAILURE_TAMPERING: return "tampering";
    case CD_FAILURE_DECISION: return "decision";
    case CD_FAILURE_MISSED_TEST: return "missed-test";
    }
    return "";
}

const char *cd_failure_kind_label(cd_failure_kind k)
{
    switch (k) {
    case CD_FAILURE_ABSENCE: return "failed to attend without acceptable reason";
    case CD_FAILURE_REFUSAL: return "refused to provide a sample";
    case CD_FAILURE_TAMPERING: return "adulterated or substituted a sample";
    case CD_FAILURE_DECISION: return "failure to comply decided by the supervising officer";
    case CD_FAILURE_MISSED_TEST: return "did not provide a sample when required (judged a failure by the officer)";
    }
    return "";
}

const char *cd_compliance_band_label(cd_compliance_band b)
{
    switch (b) {
    case CD_BAND_WILFUL_PERSISTENT: return "wilful and persistent non-compliance";
    case CD_BAND_LOW: return "low compliance";
    case CD_BAND_MEDIUM: return "medium compliance";
    case CD_BAND_HIGH: return "high compliance";
    }
    return "";
}

/* ---- listing failures ----------------------------------------------------- */

static bool id_listed(const cd_id_list *l, const char *id)
{
    if (!id)
        return false;
    for (size_t i = 0; i < l->n; i++)
        if (l->ids[i] && strcmp(l->ids[i], id) == 0)
            return true;
    return false;
}

/* True when the id list names any record under failure f. */
static bool names_failure(const cd_id_list *l, const cd_failure *f)
{
    for (size_t i = 0; i < f->nappointments; i++)
        if (id_listed(l, f->appointments[i]->id))
            return true;
    for (size_t i = 0; i < f->ntests; i++)
        if (id_listed(l, f->tests[i]->id))
            return true;
    return f->decision && id_listed(l, f->decision->id);
}

const char *cd_failure_first_id(const cd_failure *f)
{
    if (f->decision)
        return f->decision->id;
    if (f->nappointments)
        return f->appointments[0]->id;
    if (f->ntests)
        return f->tests[0]->id;
    return "";
}

static int compare_failures(const void *a, const void *b)
{
    const cd_failure *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    const char *ix = cd_failure_first_id(x), *iy = cd_failure_first_id(y);
    return strcmp(ix ? ix : "", iy ? iy : "");
}

/* The ABSENCE or MISSED_TEST failure of date d among f[0..n) (one day, one
 * failure), or NULL. */
static cd_failure *absence_on(cd_failure *f, size_t n, cd_date d)
{
    for (size_t i = 0; i < n; i++)
        if ((f[i].kind == CD_FAILURE_ABSENCE || f[i].kind == CD_FAILURE_MISSED_TEST) && f[i].date == d)
            return &f[i];
    return NULL;
}

/* True when a decision names test id. */
static bool decision_names(const cd_case *c, const char *id)
{
    for (size_t i = 0; i < c->ndecisions; i++)
        if (id_listed(&c->decisions[i].tests, id))
            return true;
    return false;
}

/* True when a warning or a breach names record id. */
static bool warning_or_breach_names(const cd_case *c, const char *id)
{
    for (size_t i = 0; i < c->nwarnings; i++)
        if (id_listed(&c->warnings[i].failures, id))
            return true;
    for (size_t i = 0; i < c->nbreaches; i++)
        if (id_listed(&c->breaches[i].failures, id))
            return true;
    return false;
}

bool cd_rules_missed_test_decided(const cd_case *c, const cd_drug_test *t)
{
    return t->status == CD_TEST_MISSED &&
           (decision_names(c, t->id) || warning_or_breach_names(c, t->id));
}

static bool appointment_is_failure(const cd_appointment *ap)
{
    return ap->outcome == CD_OUT_ABSENT_UNACCEPTABLE;
}

/* The failure kind a test record makes by itself, or -1 when it makes none.
 * A missed test makes one only when a warning or breach names it (and no
 * decision does: then it is evidence under that decision's failure). */
static int test_failure_kind(const cd_case *c, const cd_drug_test *t)
{
    switch (t->status) {
    case CD_TEST_MISSED:
        return !decision_names(c, t->id) && warning_or_breach_names(c, t->id)
               ? CD_FAILURE_MISSED_TEST : -1;
    case CD_TEST_REFUSED: return CD_FAILURE_REFUSAL;
    case CD_TEST_ADULTERATED:
    case CD_TEST_SUBSTITUTED: return CD_FAILURE_TAMPERING;
    default: return -1;
    }
}

size_t cd_failures_list(const cd_case *c, cd_arena *a, cd_failure **out, size_t *n)
{
    size_t max = c->nappointments + c->ntests + c->ndecisions, nf = 0;
    cd_failure *f = cd_arena_alloc(a, sizeof *f * (max ? max : 1));

    /* Pass 1: create the failures and count the records under each. */
    for (size_t i = 0; i < c->nappointments; i++) {
        const cd_appointment *ap = &c->appointments[i];
        if (!appointment_is_failure(ap))
            continue;
        cd_failure *x = absence_on(f, nf, ap->date);
        if (!x) {
            x = &f[nf++];
            x->date = ap->date;
            x->kind = CD_FAILURE_ABSENCE;
        }
        x->nappointments++;
    }
    for (size_t i = 0; i < c->ntests; i++) {
        const cd_drug_test *t = &c->tests[i];
        int kind = test_failure_kind(c, t);
        if (kind < 0)
            continue;
        cd_failure *x = kind == CD_FAILURE_MISSED_TEST ? absence_on(f, nf, t->date) : NULL;
        if (!x) {
            x = &f[nf++];
            x->date = t->date;
            x->kind = (cd_failure_kind)kind;
        }
        x->ntests++;
    }
    for (size_t i = 0; i < c->ndecisions; i++) {
        cd_failure *x = &f[nf++];
        x->date = c->decisions[i].date;
        x->kind = CD_FAILURE_DECISION;
        x->decision = &c->decisions[i];
    }

    /* Pass 2: allocate exactly and fill in the records. */
    for (size_t i = 0; i < nf; i++) {
        f[i].appointments = cd_arena_alloc(a, sizeof *f[i].appointments * (f[i].nappointments + 1));
        f[i].nappointments = 0;
        if (f[i].kind != CD_FAILURE_DECISION) {
            f[i].tests = cd_arena_alloc(a, sizeof *f[i].tests * (f[i].ntests + 1));
            f[i].ntests = 0;
        }
    }
    for (size_t i = 0; i < c->nappointments; i++)
        if (appointment_is_failure(&c->appointments[i])) {
            cd_failure *x = absence_on(f, nf, c->appointments[i].date);
            x->appointments[x->nappointments++] = &c->appointments[i];
        }
    for (size_t i = 0; i < c->ntests; i++) {
        const cd_drug_test *t = &c->tests[i];
        int kind = test_failure_kind(c, t);
        if (kind < 0)
            continue;
        cd_failure *x = NULL;
        if (kind == CD_FAILURE_MISSED_TEST) {
            x = absence_on(f, nf, t->date);
        } else {
            /* the refusal/tampering failure created for this test: first with no test yet */
            for (size_t j = 0; j < nf && !x; j++)
                if ((int)f[j].kind == kind && f[j].date == t->date && f[j].ntests == 0)
                    x = &f[j];
        }
        x->tests[x->ntests++] = t;
    }
    /* A decision's tests are the evidence named in it. */
    for (size_t i = 0; i < nf; i++) {
        if (f[i].kind != CD_FAILURE_DECISION)
            continue;
        const cd_id_list *ids = &f[i].decision->tests;
        f[i].tests = cd_arena_alloc(a, sizeof *f[i].tests * (ids->n + 1));
        f[i].ntests = 0;
        for (size_t j = 0; j < c->ntests; j++)
            if (id_listed(ids, c->tests[j].id))
                f[i].tests[f[i].ntests++] = &c->tests[j];
    }

    qsort(f, nf, sizeof *f, compare_failures);

    /* Warnings and breaches that name any record of each failure. */
    for (size_t i = 0; i < nf; i++) {
        cd_failure *x = &f[i];
        size_t nw = 0, nb = 0;
        for (size_t j = 0; j < c->nwarnings; j++)
            nw += names_failure(&c->warnings[j].failures, x);
        for (size_t j = 0; j < c->nbreaches; j++)
            nb += names_failure(&c->breaches[j].failures, x);
        x->warnings = cd_arena_alloc(a, sizeof *x->warnings * (nw + 1));
        x->breaches = cd_arena_alloc(a, sizeof *x->breaches * (nb + 1));
        for (size_t j = 0; j < c->nwarnings; j++)
            if (names_failure(&c->warnings[j].failures, x))
                x->warnings[x->nwarnings++] = &c->warnings[j];
        for (size_t j = 0; j < c->nbreaches; j++)
            if (names_failure(&c->breaches[j].failures, x))
                x->breaches[x->nbreaches++] = &c->breaches[j];
        x->in_window = false;
        x->drops_out = x->date + 365 + 1;
    }
    *out = f;
    *n = nf;
    return nf;
}

bool cd_rules_in_window(cd_date date, cd_date as_of, int window_days)
{
    long d = (long)as_of - date;
    return d >= 0 && d <= window_days;
}

void cd_failures_mark_window(cd_failure *f, size_t n, const cd_profile *p, cd_date as_of)
{
    for (size_t i = 0; i < n; i++) {
        f[i].in_window = cd_rules_in_window(f[i].date, as_of, p->window_days);
        f[i].drops_out = f[i].date + p->window_days + 1;
    }
}

/* ---- enforcement ------------------------------------------------------------ */

static bool answered_by_breach(const cd_failure *f, cd_date as_of)
{
    for (size_t i = 0; i < f->nbreaches; i++)
        if (f->breaches[i]->initiated <= as_of)
            return true;
    return false;
}

static bool warned(const cd_failure *f, cd_date as_of)
{
    for (size_t i = 0; i < f->nwarnings; i++)
        if (f->warnings[i]->date <= as_of)
            return true;
    return false;
}

static bool spent(cd_date d, cd_date spent_before)
{
    return spent_before != CD_DATE_NONE && d <= spent_before;
}

/* Writes the plain statement of why breach action is required. */
static const char *breach_statement(const cd_enforcement *e, cd_arena *a)
{
    const cd_profile *p = e->profile;
    char when[32], warned_on[32];
    cd_date_format_long(e->trigger->date, when, sizeof when);
    if (p->breach_rule == CD_BREACH_RULE_FAILURE_AFTER_WARNING && e->trigger_warning) {
        cd_date_format_long(e->trigger_warning->date, warned_on, sizeof warned_on);
        return cd_arena_printf(a, "%s now requires breach action: an unacceptable failure "
                               "(%s) within 12 months of the warning of %s.",
                               p->authority, when, warned_on);
    }
    return cd_arena_printf(a, "%s now requires breach action: a second unacceptable failure "
                           "within 12 months (%s).", p->authority, when);
}

cd_enforcement cd_rules_enforcement(const cd_case *c, const cd_profile *p, cd_date as_of, cd_arena *a)
{
    cd_enforcement e = { .profile = p, .as_of = as_of, .oldest_drops_out = CD_DATE_NONE,
                         .enforcement_due = CD_DATE_NONE, .spent_before = CD_DATE_NONE,
                         .pack_due = CD_DATE_NONE };
    cd_failure *all;
    size_t nall;
    cd_failures_list(c, a, &all, &nall);
    e.failures = all;
    while (e.nfailures < nall && all[e.nfailures].date <= as_of)
        e.nfailures++;
    cd_failures_mark_window(all, nall, p, as_of);

    /* A breach that has been heard spends everything up to its initiation. */
    const cd_breach *latest = NULL;
    for (size_t i = 0; i < c->nbreaches; i++) {
        const cd_breach *b = &c->breaches[i];
        if (b->initiated > as_of)
            continue;
        if (b->heard != CD_DATE_NONE && b->heard <= as_of &&
            (e.spent_before == CD_DATE_NONE || b->initiated > e.spent_before))
            e.spent_before = b->initiated;
        if (!latest || b->initiated >= latest->initiated)
            latest = b;
    }
    if (latest && (latest->outcome == CD_BREACH_PENDING || latest->outcome == CD_BREACH_WARRANT))
        e.open_breach = latest;

    for (size_t i = 0; i < c->nwarnings; i++)
        if (cd_rules_in_window(c->warnings[i].date, as_of, p->window_days))
            e.warnings_in_window++;

    cd_date oldest_unanswered = CD_DATE_NONE;
    for (size_t i = 0; i < e.nfailures; i++) {
        const cd_failure *f = &all[i];
        if (f->in_window) {
            if (e.in_window++ == 0)
                e.oldest_drops_out = f->drops_out;
        }
        if (!spent(f->date, e.spent_before) && !warned(f, as_of) && !answered_by_breach(f, as_of)) {
            if (e.unanswered++ == 0)
                oldest_unanswered = f->date;
        }
    }
    if (p->enforcement_working_days > 0 && oldest_unanswered != CD_DATE_NONE)
        e.enforcement_due = cd_cal_add_working_days(oldest_unanswered, p->enforcement_working_days);

    /* The trigger: the first live failure (not spent, not answered by a breach)
     * that the profile's rule makes a breach. */
    for (size_t j = 0; j < e.nfailures && !e.trigger; j++) {
        const cd_failure *f = &all[j];
        if (spent(f->date, e.spent_before) || answered_by_breach(f, as_of))
            continue;
        if (p->breach_rule == CD_BREACH_RULE_SECOND_FAILURE_IN_WINDOW) {
            for (size_t i = 0; i < j; i++) {
                const cd_failure *g = &all[i];
                if (!spent(g->date, e.spent_before) && !answered_by_breach(g, as_of) &&
                    cd_rules_in_window(g->date, f->date, p->window_days)) {
                    e.trigger = f;
                    break;
                }
            }
        } else {
            const cd_warning *best = NULL;
            for (size_t i = 0; i < c->nwarnings; i++) {
                const cd_warning *w = &c->warnings[i];
                if (w->date > as_of || spent(w->date, e.spent_before) || w->date >= f->date ||
                    !cd_rules_in_window(w->date, f->date, p->window_days) ||
                    names_failure(&w->failures, f))
                    continue;
                if (!best || w->date > best->date)
                    best = w;
            }
            if (best) {
                e.trigger = f;
                e.trigger_warning = best;
            }
        }
    }
    if (e.trigger) {
        e.breach_required = true;
        e.pack_due = cd_cal_add_working_days(e.trigger->date, p->breach_pack_working_days);
        e.statement = breach_statement(&e, a);
    }
    return e;
}

cd_failure_status cd_rules_failure_status(const cd_enforcement *e, const cd_failure *f)
{
    if (spent(f->date, e->spent_before))
        return CD_FSTATUS_SPENT;
    if (answered_by_breach(f, e->as_of))
        return CD_FSTATUS_IN_BREACH;
    if (warned(f, e->as_of))
        return CD_FSTATUS_WARNED;
    return CD_FSTATUS_UNANSWERED;
}

const char *cd_failure_status_label(cd_failure_status s)
{
    switch (s) {
    case CD_FSTATUS_UNANSWERED: return "no action recorded";
    case CD_FSTATUS_WARNED: return "warned";
    case CD_FSTATUS_IN_BREACH: return "in breach proceedings";
    case CD_FSTATUS_SPENT: return "dealt with by the court";
    }
    return "";
}

/* ---- drr-2020 warning content --------------------------------------------- */

static bool is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Case-insensitive (ASCII) search for needle starting a word of hay: the
 * character before the match must not be a letter, so "test" matches
 * "tests" but not "latest", and a stem ("refus") matches "refused". */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (const char *h = hay; *h; h++) {
        if (h > hay && is_alpha(h[-1]))
            continue;
        size_t i = 0;
        while (i < nl && h[i]) {
            char a = h[i], b = needle[i];
            if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
            if (a != b)
                break;
            i++;
        }
        if (i == nl)
            return true;
    }
    return false;
}

static bool contains_any(const char *text, const char *const *words)
{
    for (; *words; words++)
        if (contains_ci(text, *words))
            return true;
    return false;
}

/* True when text gives date d as "2026-06-13", "13 June 2026" or "13 June". */
static bool mentions_date(const char *text, cd_date d)
{
    char iso[11], longf[32];
    cd_date_format_iso(d, iso);
    cd_date_format_long(d, longf, sizeof longf);
    if (contains_ci(text, iso) || contains_ci(text, longf))
        return true;
    char *year = strrchr(longf, ' ');
    if (year)
        *year = '\0';
    /* "3 June" must not match inside "13 June": require a non-digit before. */
    size_t nl = strlen(longf);
    for (const char *h = text; (h = strstr(h, longf)) != NULL; h++) {
        if ((h == text || h[-1] < '0' || h[-1] > '9') && (h[nl] < '0' || h[nl] > '9'))
            return true;
    }
    return false;
}

cd_warning_check cd_rules_warning_check(const cd_case *c, const cd_warning *w)
{
    static const char *const kind_words[] = {
        "absent", "absence", "did not attend", "failed to attend", "failure to attend",
        "missed", "refus", "sample", "adulterat", "substitut", "appointment", "test", NULL };
    static const char *const unacceptable_words[] = {
        "unacceptable", "without reasonable excuse", "without a reasonable excuse",
        "without acceptable", NULL };
    static const char *const period_words[] = {
        "12 months", "twelve months", "12-month", "twelve-month", NULL };
    static const char *const court_words[] = { "court", "breach", NULL };

    cd_warning_check wc = { false, false, false };
    const char *text = w->text ? w->text : "";
    wc.circumstances = contains_any(text, kind_words);
    for (size_t i = 0; i < c->nappointments && !wc.circumstances; i++)
        if (id_listed(&w->failures, c->appointments[i].id))
            wc.circumstances = mentions_date(text, c->appointments[i].date);
    for (size_t i = 0; i < c->ntests && !wc.circumstances; i++)
        if (id_listed(&w->failures, c->tests[i].id))
            wc.circumstances = mentions_date(text, c->tests[i].date);
    for (size_t i = 0; i < c->ndecisions && !wc.circumstances; i++)
        if (id_listed(&w->failures, c->decisions[i].id))
            wc.circumstances = mentions_date(text, c->decisions[i].date);
    wc.unacceptable = contains_any(text, unacceptable_words);
    wc.court_warning = contains_any(text, period_words) && contains_any(text, court_words);
    return wc;
}

/* ---- breach figures ---------------------------------------------------------- */

/* The compliance band from a compliance rate (0..1, or -1 when no basis). */
static cd_compliance_band band_for(const cd_band_thresholds *t, double rate, double served,
                                   int failures_in_window)
{
    if (rate < 0)
        return CD_BAND_MEDIUM;
    if (failures_in_window >= t->wilful_failures && rate < t->wilful_attendance)
        return CD_BAND_WILFUL_PERSISTENT;
    if (rate >= t->high_attendance && served >= t->high_served)
        return CD_BAND_HIGH;
    if (rate >= t->medium_attendance)
        return CD_BAND_MEDIUM;
    if (rate >= t->low_attendance)
        return CD_BAND_LOW;
    return CD_BAND_WILFUL_PERSISTENT;
}

cd_breach_figures cd_rules_breach_figures(const cd_case *c, const cd_profile *p,
                                          const cd_enforcement *e, cd_date as_of)
{
    cd_breach_figures bf = { .testing_rate = -1, .days_to_trigger = -1 };
    const cd_order *o = &c->order;
    cd_date last = cd_order_end(o) < as_of ? cd_order_end(o) : as_of;
    bf.share_served = cd_order_share_served(o, as_of);
    bf.attendance = cd_rules_attendance(c, o->made, last);
    cd_test_summary ts = cd_rules_tests(c, p, o->made, last, as_of);
    bf.tests_required = ts.required;
    bf.tests_provided = ts.provided;
    if (ts.required > 0)
        bf.testing_rate = ts.provided >= ts.required ? 1.0 : (double)ts.provided / ts.required;
    if (e && e->trigger)
        bf.days_to_trigger = e->trigger->date - o->made;
    bf.failures_in_window = e ? e->in_window : 0;
    /* Attendance is the measure; the testing rate stands in when there were no
     * required appointments; with neither, the band is MEDIUM (no basis). */
    double rate = bf.attendance.rate >= 0 ? bf.attendance.rate : bf.testing_rate;
    bf.band = band_for(&p->band, rate, bf.share_served, bf.failures_in_window);
    return bf;
}

cd_date cd_rules_breach_pack_due_by(const cd_case *c, cd_date run_date, cd_date month_end)
{
    const cd_profile *p = cd_profile_for_order(&c->order);
    if (!p || !c->order.present || (c->order.ended != CD_DATE_NONE && c->order.ended <= run_date))
        return CD_DATE_NONE;
    cd_arena *a = cd_arena_new();
    if (!a) return CD_DATE_NONE;
    cd_enforcement e = cd_rules_enforcement(cd_rules_case_as_of(c, run_date, a), p, run_date, a);
    bool due = e.breach_required && e.pack_due != CD_DATE_NONE && e.pack_due <= month_end;
    cd_arena_free(a);
    return due ? run_date : CD_DATE_NONE;
}
