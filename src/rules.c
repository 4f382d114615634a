/* rules.c -- order arithmetic, the court review schedule, contact and testing
 * per order week, attendance, drug test figures, their trend, and summary
 * helpers: the National Standard's figures as pure functions on the case
 * model (no I/O). Failures and enforcement are in rules_enforcement.c.
 * docs/rules.md states every convention used here with a worked example. */
#include "rules.h"
#include <stdio.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------- */

static bool in_range(cd_date d, cd_date from, cd_date to)
{
    return d >= from && d <= to;
}

static cd_date min_date(cd_date a, cd_date b) { return a < b ? a : b; }
static cd_date max_date(cd_date a, cd_date b) { return a > b ? a : b; }

/* Floor division for day differences that may be negative. */
static int floor_div(int a, int b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static bool appointment_kept(const cd_appointment *ap)
{
    return ap->outcome == CD_OUT_ATTENDED || ap->outcome == CD_OUT_LATE;
}

/* A sample was provided: tested, dilute, invalid, or replaced by a written
 * admission. Refused, missed, adulterated and substituted are not. */
static bool test_provided(const cd_drug_test *t)
{
    return t->status == CD_TEST_TESTED || t->status == CD_TEST_ADMITTED ||
           t->status == CD_TEST_DILUTE || t->status == CD_TEST_INVALID;
}

/* A test whose results count: tested, or a written admission (dilute and
 * invalid samples give no result). */
static bool test_has_results(const cd_drug_test *t)
{
    return t->status == CD_TEST_TESTED || t->status == CD_TEST_ADMITTED;
}

static int intensity_index(const cd_order *o)
{
    int i = (int)o->intensity;
    return i < 0 ? 0 : i >= CD_NINTENSITIES ? CD_NINTENSITIES - 1 : i;
}

/* The order's profile, falling back to the default by type and date when
 * the rules attribute names no profile (callers report that separately). */
static const cd_profile *case_profile(const cd_case *c)
{
    const cd_profile *p = cd_profile_for_order(&c->order);
    return p ? p : cd_profile_default_for_order(&c->order);
}

/* ---- how current the records are ------------------------------------------ */

cd_date cd_case_records_to(const cd_case *c, cd_date as_of)
{
    if (c->has_exported && c->exported != CD_DATE_NONE && c->exported < as_of)
        return c->exported;
    return as_of;
}

/* Copies into *out (arena) the elements of arr[0..n) (each size bytes) that
 * keep(elem, lim) accepts; returns the count. */
static size_t keep_records(const void *arr, size_t n, size_t size, cd_arena *a, void **out,
                           bool (*keep)(const void *, cd_date, cd_date), cd_date lim, cd_date lim2)
{
    char *dst = cd_arena_alloc(a, size * (n ? n : 1));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = (const char *)arr + i * size;
        if (keep(e, lim, lim2))
            memcpy(dst + size * k++, e, size);
    }
    *out = dst;
    return k;
}

/* keep_NAME: whether a record of TYPE, dated by FIELD, is on the records
 * as of to (the filters of cd_rules_case_as_of). */
#define KEEP_DATED(name, type, field)                                   \
    static bool keep_##name(const void *e, cd_date to, cd_date as_of)  \
    {                                                                   \
        (void)as_of;                                                    \
        return ((const type *)e)->field <= to;                          \
    }
KEEP_DATED(appointment, cd_appointment, date)
KEEP_DATED(test, cd_drug_test, date)
KEEP_DATED(warning, cd_warning, date)
KEEP_DATED(decision, cd_failure_decision, date)
KEEP_DATED(breach, cd_breach, initiated)
KEEP_DATED(review, cd_review, date)
#undef KEEP_DATED

/* Imported notes run to the records' date; the officer's own notes
 * (`courtdocs note`, written for the document) to the document's date. */
static bool keep_note(const void *e, cd_date to, cd_date as_of)
{
    const cd_note *n = e;
    return n->date <= (n->local ? as_of : to);
}

const cd_case *cd_rules_case_as_of(const cd_case *c, cd_date as_of, cd_arena *a)
{
    cd_date to = cd_case_records_to(c, as_of);
    cd_case *k = cd_arena_alloc(a, sizeof *k);
    *k = *c;
    void *p;
    k->nappointments = keep_records(c->appointments, c->nappointments, sizeof *c->appointments, a, &p,
                                    keep_appointment, to, as_of);
    k->appointments = p;
    k->ntests = keep_records(c->tests, c->ntests, sizeof *c->tests, a, &p, keep_test, to, as_of);
    k->tests = p;
    k->nwarnings = keep_records(c->warnings, c->nwarnings, sizeof *c->warnings, a, &p, keep_warning, to, as_of);
    k->warnings = p;
    k->ndecisions = keep_records(c->decisions, c->ndecisions, sizeof *c->decisions, a, &p, keep_decision,
                                 to, as_of);
    k->decisions = p;
    k->nbreaches = keep_records(c->breaches, c->nbreaches, sizeof *c->breaches, a, &p, keep_breach, to, as_of);
    k->breaches = p;
    for (size_t i = 0; i < k->nbreaches; i++)
        if (k->breaches[i].heard != CD_DATE_NONE && k->breaches[i].heard > to) {
            k->breaches[i].heard = CD_DATE_NONE;      /* not heard yet as the records stand */
            k->breaches[i].outcome = CD_BREACH_PENDING;
        }
    k->nreviews = keep_records(c->reviews, c->nreviews, sizeof *c->reviews, a, &p, keep_review, to, as_of);
    k->reviews = p;
    k->nnotes = keep_records(c->notes, c->nnotes, sizeof *c->notes, a, &p, keep_note, to, as_of);
    k->notes = p;
    if (k->order.present && k->order.ended != CD_DATE_NONE && k->order.ended > to) {
        k->order.ended = CD_DATE_NONE;                /* the end is not yet on record */
        k->order.end_reason = CD_END_NONE;
    }
    return k;
}

/* ---- order arithmetic --------------------------------------------------- */

cd_date cd_order_scheduled_end(const cd_order *o)
{
    return cd_date_add_months(o->made, o->months) - 1;
}

cd_date cd_order_end(const cd_order *o)
{
    return o->ended != CD_DATE_NONE ? o->ended : cd_order_scheduled_end(o);
}

int cd_order_week(const cd_order *o, cd_date d)
{
    return floor_div(d - o->made, 7) + 1;
}

int cd_order_total_weeks(const cd_order *o)
{
    int days = cd_order_scheduled_end(o) - o->made + 1;
    return days <= 0 ? 0 : (days + 6) / 7;
}

double cd_order_share_served(const cd_order *o, cd_date as_of)
{
    cd_date last = min_date(as_of, cd_order_end(o));
    int total = cd_order_scheduled_end(o) - o->made + 1;
    if (total <= 0 || last < o->made)
        return 0.0;
    double share = (double)(last - o->made + 1) / total;
    return share > 1.0 ? 1.0 : share;
}

cd_order_state cd_order_state_on(const cd_order *o, cd_date date, cd_date ended_by)
{
    if (o->ended != CD_DATE_NONE && o->ended <= ended_by)
        return CD_ORDER_STATE_ENDED;
    if (date < o->made)
        return CD_ORDER_STATE_NOT_STARTED;
    if (date > cd_order_end(o))
        return CD_ORDER_STATE_ENDED;
    return CD_ORDER_STATE_RUNNING;
}

/* ---- review schedule ---------------------------------------------------- */

/* Months between review number-1 (or the order, for number 1) and review
 * `number` (1-based): monthly reviews for the first review_monthly_months
 * reviews (high and medium intensity), then every review_interval_months;
 * low intensity: review_low_first_months to the first, then the interval;
 * review-hearings="quarterly": the interval throughout. */
static int review_interval_months(const cd_case *c, const cd_profile *p, int number)
{
    if (c->order.review_hearings == CD_HEARINGS_QUARTERLY)
        return p->review_interval_months;
    if (c->order.intensity == CD_INTENSITY_LOW)
        return number <= 1 ? p->review_low_first_months : p->review_interval_months;
    int months = number <= p->review_monthly_months ? 1 : p->review_interval_months;
    return months < p->review_min_interval_months ? p->review_min_interval_months : months;
}

/* The proposed date of review `number` after a hearing (or the order) on
 * `hearing`: hearing + the interval in months, moved forward to the first
 * sitting day on or after it. */
static cd_date proposed_review(const cd_case *c, const cd_profile *p, cd_date hearing, int number)
{
    return cd_cal_sitting_on_or_after(cd_date_add_months(hearing, review_interval_months(c, p, number)));
}

/* The latest review held on or before d (reviews may be unsorted), or NULL. */
static const cd_review *latest_review_until(const cd_case *c, cd_date d, bool inclusive)
{
    const cd_review *best = NULL;
    for (size_t i = 0; i < c->nreviews; i++) {
        const cd_review *r = &c->reviews[i];
        if ((inclusive ? r->date <= d : r->date < d) && (!best || r->date >= best->date))
            best = r;
    }
    return best;
}

/* Reviews held strictly before d. */
static int reviews_before(const cd_case *c, cd_date d)
{
    int n = 0;
    for (size_t i = 0; i < c->nreviews; i++)
        n += c->reviews[i].date < d;
    return n;
}

cd_next_review cd_rules_next_review_info(const cd_case *c, cd_date as_of)
{
    cd_next_review nr = { .date = CD_DATE_NONE };
    const cd_order *o = &c->order;
    if (!o->present)
        return nr;
    const cd_profile *p = case_profile(c);
    nr.paper = o->review_hearings == CD_HEARINGS_NONE;
    nr.required = !(p->review_required_over_months > 0 && o->months <= p->review_required_over_months);
    if (o->ended != CD_DATE_NONE && o->ended <= as_of)
        return nr;
    cd_date end = cd_order_end(o);
    if (as_of > end)
        return nr;
    const cd_review *latest = latest_review_until(c, as_of, true);
    int number = reviews_before(c, as_of + 1) + 1;       /* the review to come */
    cd_date hearing = latest ? latest->date : o->made;
    if (latest && latest->next != CD_DATE_NONE) {
        if (latest->next >= as_of) {
            nr.fixed_by_court = true;
            if (latest->next <= end)
                nr.date = latest->next;
            nr.sitting = nr.date != CD_DATE_NONE && cd_cal_is_sitting_day(nr.date);
            return nr;
        }
        hearing = latest->next;      /* the fixed hearing has passed, not yet on record */
        number++;
    }
    /* Proposals chain from the last hearing until one falls on or after as_of
     * (hearings that should have been held but are not on record). */
    cd_date d = proposed_review(c, p, hearing, number);
    while (d < as_of) {
        hearing = d;
        d = proposed_review(c, p, hearing, ++number);
    }
    if (d <= end)
        nr.date = d;
    nr.sitting = nr.date != CD_DATE_NONE && cd_cal_is_sitting_day(nr.date);
    return nr;
}

cd_next_review cd_rules_review_after(const cd_case *c, cd_date date)
{
    cd_next_review nr = { .date = CD_DATE_NONE };
    const cd_order *o = &c->order;
    if (!o->present)
        return nr;
    const cd_profile *p = case_profile(c);
    nr.paper = o->review_hearings == CD_HEARINGS_NONE;
    nr.required = !(p->review_required_over_months > 0 && o->months <= p->review_required_over_months);
    cd_date end = cd_order_end(o);
    if ((o->ended != CD_DATE_NONE && o->ended <= date) || date > end)
        return nr;
    const cd_review *held = latest_review_until(c, date, true);
    if (held && held->date == date && held->next != CD_DATE_NONE) {
        nr.fixed_by_court = true;
        nr.date = held->next <= end ? held->next : CD_DATE_NONE;
    } else {
        cd_date d = proposed_review(c, p, date, reviews_before(c, date) + 2);
        nr.date = d <= end ? d : CD_DATE_NONE;
    }
    nr.sitting = nr.date != CD_DATE_NONE && cd_cal_is_sitting_day(nr.date);
    return nr;
}

cd_date cd_rules_review_due_in(const cd_case *c, cd_date first, cd_date last)
{
    cd_date d = cd_rules_next_review(c, first);
    return d != CD_DATE_NONE && d >= first && d <= last ? d : CD_DATE_NONE;
}

cd_date cd_rules_next_review(const cd_case *c, cd_date as_of)
{
    return cd_rules_next_review_info(c, as_of).date;
}

bool cd_rules_review_is_paper(const cd_case *c, cd_date as_of)
{
    return cd_rules_next_review_info(c, as_of).paper;
}

cd_review_period cd_rules_review_period(const cd_case *c, cd_date review_date)
{
    cd_review_period rp = { .previous_start = CD_DATE_NONE, .previous_end = CD_DATE_NONE };
    const cd_review *prev = NULL, *prev2 = NULL;
    int held = 0;
    for (size_t i = 0; i < c->nreviews; i++) {
        const cd_review *r = &c->reviews[i];
        if (r->date >= review_date)
            continue;
        held++;
        if (!prev || r->date >= prev->date) {
            prev2 = prev;
            prev = r;
        } else if (!prev2 || r->date >= prev2->date) {
            prev2 = r;
        }
    }
    rp.number = held + 1;
    rp.start = prev ? prev->date + 1 : c->order.made;
    rp.end = review_date;
    rp.previous_review = prev;
    if (prev) {
        rp.previous_start = prev2 ? prev2->date + 1 : c->order.made;
        rp.previous_end = prev->date;
    }
    return rp;
}

/* ---- contact and testing per order week ---------------------------------- */

/* Fills the record of order week w (1-based). */
static void fill_week(const cd_case *c, const cd_profile *p, int w, cd_date as_of, cd_week_record *r)
{
    const cd_order *o = &c->order;
    cd_date end = cd_order_end(o);
    memset(r, 0, sizeof *r);
    r->week = w;
    r->start = o->made + (w - 1) * 7;
    r->end = min_date(r->start + 6, end);
    cd_date records_to = cd_case_records_to(c, as_of);
    r->complete = r->end <= records_to;
    r->no_records = !r->complete && r->end <= as_of;
    r->full = r->start + 6 <= end;
    r->phase = w <= p->contact_weeks ? CD_PHASE_FIRST : CD_PHASE_AFTER;
    r->testing_phase = w <= p->intensive_weeks ? CD_PHASE_FIRST : CD_PHASE_AFTER;
    const cd_contact_standard *std = &p->contact[intensity_index(o)][r->phase];
    r->min_hours = std->min_hours;
    r->usual_hours = std->usual_hours;
    r->min_days = std->min_days;

    long minutes = 0;
    bool day_seen[7] = { false };
    for (size_t i = 0; i < c->nappointments; i++) {
        const cd_appointment *ap = &c->appointments[i];
        if (!in_range(ap->date, r->start, r->end) || !appointment_kept(ap))
            continue;
        minutes += ap->minutes;
        if (!day_seen[ap->date - r->start]) {
            day_seen[ap->date - r->start] = true;
            r->contact_days++;
        }
    }
    r->hours = minutes / 60.0;
    for (size_t i = 0; i < c->ntests; i++) {
        const cd_drug_test *t = &c->tests[i];
        if (!in_range(t->date, r->start, r->end))
            continue;
        r->tests_arranged++;
        if (test_provided(t))
            r->tests_provided++;
    }
    r->tests_required = r->full ? p->tests_per_week[intensity_index(o)][r->testing_phase] : 0;
    /* Compare in whole minutes: 15 h is 900 minutes exactly. */
    r->contact_met = !r->full ||
        (minutes >= (long)(std->min_hours * 60 + 0.5) && r->contact_days >= std->min_days);
    r->testing_met = r->tests_provided >= r->tests_required;
}

/* The order weeks judged in the period [from, to]: those whose last day
 * (clipped to the order's end) falls in it, first..last; false when none.
 * Each week is thereby judged in exactly one of a run of adjoining periods. */
static bool week_span(const cd_order *o, cd_date from, cd_date to, int *first, int *last)
{
    cd_date end = cd_order_end(o);
    cd_date lo = max_date(from, o->made), hi = min_date(to, end);
    if (!o->present || lo > hi)
        return false;
    /* the first week ending on or after lo; the last week ending on or before hi */
    *first = cd_order_week(o, lo);
    *last = hi == end ? cd_order_week(o, end) : cd_order_week(o, hi + 1) - 1;
    return *first <= *last;
}

size_t cd_rules_weeks(const cd_case *c, const cd_profile *p, cd_date from, cd_date to,
                      cd_date as_of, cd_arena *a, cd_week_record **out, size_t *n)
{
    int first, last;
    *out = NULL;
    *n = 0;
    if (!p || !week_span(&c->order, from, to, &first, &last))
        return 0;
    *out = cd_arena_alloc(a, sizeof **out * (size_t)(last - first + 1));
    for (int w = first; w <= last; w++)
        fill_week(c, p, w, as_of, &(*out)[(*n)++]);
    return *n;
}

cd_attendance cd_rules_attendance(const cd_case *c, cd_date from, cd_date to)
{
    cd_attendance at = { .rate = -1 };
    long minutes = 0;
    for (size_t i = 0; i < c->nappointments; i++) {
        const cd_appointment *ap = &c->appointments[i];
        if (!in_range(ap->date, from, to))
            continue;
        if ((unsigned)ap->outcome < 7)
            at.by_outcome[ap->outcome]++;
        if (appointment_kept(ap)) {
            at.kept++;
            minutes += ap->minutes;
        }
    }
    at.required = at.kept + at.by_outcome[CD_OUT_ABSENT_UNACCEPTABLE];
    at.hours = minutes / 60.0;
    if (at.required > 0)
        at.rate = (double)at.kept / at.required;
    return at;
}

cd_first_contacts cd_rules_first_contacts(const cd_case *c, const cd_profile *p)
{
    cd_first_contacts fc = { .probation = CD_DATE_NONE, .treatment = CD_DATE_NONE,
                             .probation_wd = -1, .treatment_wd = -1 };
    cd_date made = c->order.made;
    for (size_t i = 0; i < c->nappointments; i++) {
        const cd_appointment *ap = &c->appointments[i];
        if (!appointment_kept(ap) || ap->date < made)
            continue;
        bool treatment = ap->kind == CD_APPT_TREATMENT || ap->kind == CD_APPT_GROUP ||
                         ap->kind == CD_APPT_PRESCRIBING;
        if (ap->kind == CD_APPT_PROBATION && (fc.probation == CD_DATE_NONE || ap->date < fc.probation))
            fc.probation = ap->date;
        if (treatment && (fc.treatment == CD_DATE_NONE || ap->date < fc.treatment))
            fc.treatment = ap->date;
    }
    if (fc.probation != CD_DATE_NONE) {
        fc.probation_wd = cd_cal_working_days_between(made, fc.probation);
        fc.probation_met = fc.probation_wd <= p->first_contact_probation_wd;
    }
    if (fc.treatment != CD_DATE_NONE) {
        fc.treatment_wd = cd_cal_working_days_between(made, fc.treatment);
        fc.treatment_met = fc.treatment_wd <= p->first_contact_treatment_wd;
    }
    return fc;
}

cd_contact_status cd_rules_contact_status(const cd_case *c, cd_date as_of)
{
    cd_contact_status cs = { .last_contact = CD_DATE_NONE, .days_without_contact = -1 };
    cs.records_to = cd_case_records_to(c, as_of);
    const cd_breach *latest = NULL;
    for (size_t i = 0; i < c->nbreaches; i++) {
        const cd_breach *b = &c->breaches[i];
        if (b->initiated <= cs.records_to && (!latest || b->initiated >= latest->initiated))
            latest = b;
    }
    if (latest && latest->outcome == CD_BREACH_WARRANT) {
        cs.warrant_outstanding = true;
        cs.warrant = latest;
    }
    const cd_order *o = &c->order;
    for (size_t i = 0; i < c->nappointments; i++) {
        const cd_appointment *ap = &c->appointments[i];
        if (appointment_kept(ap) && ap->date <= cs.records_to && (!o->present || ap->date >= o->made) &&
            (cs.last_contact == CD_DATE_NONE || ap->date > cs.last_contact))
            cs.last_contact = ap->date;
    }
    if (cs.last_contact != CD_DATE_NONE)
        cs.days_without_contact = cs.records_to - cs.last_contact;
    else if (o->present && o->made <= cs.records_to)
        cs.days_without_contact = cs.records_to - o->made;
    cs.lead = cs.warrant_outstanding || cs.days_without_contact >= CD_NO_CONTACT_LEAD_DAYS;
    return cs;
}

/* ---- drug tests ----------------------------------------------------------- */

/* Adds the results of one provided test to per-substance counts. */
static void count_results(const cd_drug_test *t, cd_substance_counts sub[CD_NSUBSTANCES])
{
    if (!test_has_results(t))
        return;
    for (size_t j = 0; j < t->nresults; j++) {
        const cd_test_result *r = &t->results[j];
        if ((unsigned)r->substance >= CD_NSUBSTANCES)
            continue;
        cd_substance_counts *s = &sub[r->substance];
        bool admitted = t->status == CD_TEST_ADMITTED || r->confirmation == CD_CONFIRM_ADMITTED;
        bool positive = r->outcome == CD_RESULT_POSITIVE || admitted;
        if (positive && r->prescribed) {
            s->prescribed++;
            continue;
        }
        s->base++;
        if (!positive) {
            s->negative++;
            continue;
        }
        s->positive++;
        if (admitted)
            s->admitted++;
        else if (r->confirmation == CD_CONFIRM_LABORATORY)
            s->confirmed++;
    }
}

cd_test_summary cd_rules_tests(const cd_case *c, const cd_profile *p,
                               cd_date from, cd_date to, cd_date as_of)
{
    cd_test_summary ts;
    memset(&ts, 0, sizeof ts);
    for (size_t i = 0; i < c->ntests; i++) {
        const cd_drug_test *t = &c->tests[i];
        if (!in_range(t->date, from, to))
            continue;
        ts.arranged++;
        switch (t->status) {
        case CD_TEST_TESTED: ts.provided++; break;
        case CD_TEST_ADMITTED: ts.provided++; ts.admitted++; break;
        case CD_TEST_MISSED:
            ts.missed++;
            if (!cd_rules_missed_test_decided(c, t))
                ts.missed_undecided++;
            break;
        case CD_TEST_REFUSED: ts.refused++; break;
        case CD_TEST_DILUTE: ts.provided++; ts.dilute++; break;
        case CD_TEST_INVALID: ts.provided++; ts.invalid++; break;
        case CD_TEST_ADULTERATED: ts.adulterated++; break;
        case CD_TEST_SUBSTITUTED: ts.substituted++; break;
        }
        count_results(t, ts.sub);
    }
    int first, last;
    if (p && week_span(&c->order, from, to, &first, &last)) {
        for (int w = first; w <= last; w++) {
            cd_week_record r;
            fill_week(c, p, w, as_of, &r);
            if (r.complete)
                ts.required += r.tests_required;
        }
    }
    return ts;
}

int cd_rules_percent(int num, int base)
{
    if (base <= 0)
        return -1;
    return (int)((200LL * num + base) / (2LL * base));
}

const char *cd_rules_format_share(int num, int base, char *buf, size_t n)
{
    if (base <= 0)
        snprintf(buf, n, "no tests");
    else
        snprintf(buf, n, "%d of %d (%d%%)", num, base, cd_rules_percent(num, base));
    return buf;
}

int cd_rules_days_since_positive(const cd_case *c, cd_date as_of)
{
    cd_date last = CD_DATE_NONE;
    for (size_t i = 0; i < c->ntests; i++) {
        const cd_drug_test *t = &c->tests[i];
        if (t->date > as_of || !test_has_results(t))
            continue;
        for (size_t j = 0; j < t->nresults; j++) {
            const cd_test_result *r = &t->results[j];
            bool positive = r->outcome == CD_RESULT_POSITIVE || t->status == CD_TEST_ADMITTED ||
                            r->confirmation == CD_CONFIRM_ADMITTED;
            if (positive && !r->prescribed && r->substance != CD_SUB_ALCOHOL && t->date > last)
                last = t->date;
        }
    }
    return last == CD_DATE_NONE ? -1 : as_of - last;
}

size_t cd_rules_monthly_tests(const cd_case *c, cd_date as_of, cd_arena *a,
                              cd_month_tests **out, size_t *n)
{
    const cd_order *o = &c->order;
    *out = NULL;
    *n = 0;
    if (!o->present)
        return 0;
    cd_date end = cd_order_end(o), last = min_date(as_of, end);
    size_t cap = 0;
    for (int k = 1; k < 1000; k++) {
        cd_date start = cd_date_add_months(o->made, k - 1);
        if (start > last)
            break;
        cd_month_tests *m = CD_PUSH(a, *out, *n, cap);
        memset(m, 0, sizeof *m);
        m->month = k;
        m->start = start;
        m->end = min_date(cd_date_add_months(o->made, k) - 1, end);
        for (size_t i = 0; i < c->ntests; i++) {
            const cd_drug_test *t = &c->tests[i];
            if (in_range(t->date, m->start, m->end) && t->date <= as_of)
                count_results(t, m->sub);
        }
    }
    return *n;
}

cd_trend cd_rules_trend(const cd_substance_counts *previous, const cd_substance_counts *current)
{
    long long pb = previous->base, cb = current->base;
    if (pb <= 0 || cb <= 0)
        return CD_TREND_NO_BASIS;
    /* 100 * (cn/cb - pn/pb) compared with +-10, in integers. */
    long long diff = 100LL * (current->negative * pb - previous->negative * cb);
    if (diff >= 10 * cb * pb)
        return CD_TREND_IMPROVING;
    if (diff <= -10 * cb * pb)
        return CD_TREND_WORSE;
    return CD_TREND_STEADY;
}

const char *cd_rules_trend_word(cd_trend t)
{
    switch (t) {
    case CD_TREND_IMPROVING: return "improving";
    case CD_TREND_STEADY: return "steady";
    case CD_TREND_WORSE: return "worse";
    default: return "no basis";
    }
}

/* Appends one clause on substance s to buf (at offset *len). */
static void trend_clause(cd_substance s, const cd_substance_counts *pv, const cd_substance_counts *cu,
                         char *buf, size_t n, size_t *len)
{
    const char *name = cd_enum_name(CD_ENUM_SUBSTANCE, s);
    char was[48], now[48];
    cd_rules_format_share(pv->negative, pv->base, was, sizeof was);
    cd_rules_format_share(cu->negative, cu->base, now, sizeof now);
    int w;
    if (pv->base > 0 && cu->base > 0) {
        long long cmp = (long long)cu->negative * pv->base - (long long)pv->negative * cu->base;
        if (cmp == 0)
            w = snprintf(buf + *len, n - *len, "%s negative was unchanged at %s (previously %s)", name, now, was);
        else
            w = snprintf(buf + *len, n - *len, "%s negative %s from %s to %s", name,
                         cmp > 0 ? "rose" : "fell", was, now);
    } else if (cu->base > 0) {
        w = snprintf(buf + *len, n - *len, "%s negative %s, with no %s results in the previous period",
                     name, now, name);
    } else if (pv->base > 0) {
        w = snprintf(buf + *len, n - *len, "no %s results this period (previously %s negative)", name, was);
    } else {
        w = snprintf(buf + *len, n - *len, "no %s results in either period", name);
    }
    if (w > 0)
        *len = *len + (size_t)w < n ? *len + (size_t)w : n - 1;
}

const char *cd_rules_trend_sentence(const cd_test_summary *previous, const cd_test_summary *current,
                                    char *buf, size_t n)
{
    static const cd_substance main_substances[] = { CD_SUB_OPIATES, CD_SUB_COCAINE };
    size_t len = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof main_substances / sizeof main_substances[0]; i++) {
        if (i > 0 && len + 2 < n) {
            memcpy(buf + len, "; ", 3);
            len += 2;
        }
        cd_substance s = main_substances[i];
        trend_clause(s, &previous->sub[s], &current->sub[s], buf, n, &len);
    }
    if (len + 1 < n) {
        buf[len++] = '.';
        buf[len] = '\0';
    }
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

/* ---- summary helpers -------------------------------------------------------- */

bool cd_order_completed(const cd_case *c)
{
    const cd_order *o = &c->order;
    if (!o->present || o->ended == CD_DATE_NONE)
        return false;
    if (o->end_reason != CD_END_COMPLETED && o->end_reason != CD_END_GOOD_PROGRESS)
        return false;
    for (size_t i = 0; i < c->nbreaches; i++)
        if (c->breaches[i].outcome == CD_BREACH_WARRANT && c->breaches[i].initiated <= o->ended)
            return false;
    return true;
}

const char *cd_age_band_for_order(const cd_person *p, const cd_order *o)
{
    int age = cd_person_age(p, o->made);
    if (age < 0)
        return "not recorded";
    int min_age = o->type == CD_ORDER_DTTO ? 16 : 18;
    if (age < min_age)
        return CD_AGE_IN_DOUBT;
    if (age < 18)
        return "16-17";
    return cd_age_band(p, o->made);
}

const char *cd_age_band(const cd_person *p, cd_date on)
{
    int age = cd_person_age(p, on);
    if (age < 0)
        return "not recorded";
    if (age < 18)
        return "under 18";
    if (age <= 20)
        return "18-20";
    if (age <= 25)
        return "21-25";
    if (age <= 35)
        return "26-35";
    if (age <= 50)
        return "36-50";
    return "51+";
}
