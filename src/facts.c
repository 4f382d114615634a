/* facts.c -- builds the data document of one case (facts.h): the person,
 * the order, the staff, the review period with this period's and the last
 * period's figures, the enforcement position, the notes and the PSR
 * assessment, all as XML that templates read through XPath.
 *
 * Every figure is asked of rules.h (one concept, one place): this file
 * chooses what to show and writes it as plain values -- ISO dates, whole
 * numbers, words from the format's enumerations with a label beside them.
 * Missing values are absent attributes or elements, so templates can show
 * their own fallback. Element and attribute names: docs/facts.md.
 */
#include "facts.h"
#include "rules.h"
#include "words.h"
#include "strbuf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing helpers ------------------------------------------------------ */

/* A child element, with text content escaped as needed (NULL = empty). */
static xmlNodePtr el(xmlNodePtr parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
}

/* An attribute; nothing when v is NULL. */
static void at(xmlNodePtr n, const char *name, const char *v)
{
    if (v)
        xmlNewProp(n, BAD_CAST name, BAD_CAST v);
}

static void at_int(xmlNodePtr n, const char *name, long v)
{
    char b[24];
    snprintf(b, sizeof b, "%ld", v);
    xmlNewProp(n, BAD_CAST name, BAD_CAST b);
}

/* A whole number only when v >= 0 (rules use -1 for "none"). */
static void at_count(xmlNodePtr n, const char *name, long v)
{
    if (v >= 0)
        at_int(n, name, v);
}

static void at_num(xmlNodePtr n, const char *name, double v)
{
    char b[32];
    snprintf(b, sizeof b, "%.2f", v);
    /* 12.50 -> 12.5, 12.00 -> 12 */
    char *e = b + strlen(b) - 1;
    while (*e == '0')
        *e-- = '\0';
    if (*e == '.')
        *e = '\0';
    xmlNewProp(n, BAD_CAST name, BAD_CAST b);
}

static void at_date(xmlNodePtr n, const char *name, cd_date d)
{
    if (d == CD_DATE_NONE)
        return;
    char b[11];
    cd_date_format_iso(d, b);
    xmlNewProp(n, BAD_CAST name, BAD_CAST b);
}

static void at_bool(xmlNodePtr n, const char *name, bool v)
{
    xmlNewProp(n, BAD_CAST name, BAD_CAST(v ? "true" : "false"));
}

/* The same writers for the other facts files (facts.h). */
void cd_facts_attr(xmlNodePtr n, const char *name, const char *v) { at(n, name, v); }
void cd_facts_attr_int(xmlNodePtr n, const char *name, long v) { at_int(n, name, v); }
void cd_facts_attr_date(xmlNodePtr n, const char *name, cd_date d) { at_date(n, name, d); }

/* A percentage num/base (whole number), absent when base is 0. */
static void at_percent(xmlNodePtr n, const char *name, int num, int base)
{
    int p = cd_rules_percent(num, base);
    if (p >= 0)
        at_int(n, name, p);
}

/* An enumeration value as its word, with name-label holding the wording. */
static void at_enum(xmlNodePtr n, const char *name, cd_enum e, int v)
{
    if (v < 0)
        return;
    at(n, name, cd_enum_name(e, v));
    char lname[64];
    snprintf(lname, sizeof lname, "%s-label", name);
    at(n, lname, cd_enum_label(e, v));
}

static void at_time(xmlNodePtr n, const char *name, int minutes)
{
    if (minutes == CD_TIME_NONE)
        return;
    char b[32];
    snprintf(b, sizeof b, "%02d:%02d", minutes / 60, minutes % 60);
    at(n, name, b);
}

/* Appends id to the space-separated list in b (grows as needed: a failure
 * can gather hundreds of records, nothing is ever cut). */
static void add_id(cd_strbuf *b, const char *id)
{
    if (b->len)
        cd_strbuf_addc(b, ' ');
    cd_strbuf_add(b, id ? id : "");
}

/* An attribute holding the list in b (nothing when empty, if skip_empty),
 * then b emptied for the next list. */
static void at_list(xmlNodePtr n, const char *name, cd_strbuf *b, bool skip_empty)
{
    if (b->len || !skip_empty)
        at(n, name, cd_strbuf_str(b));
    cd_strbuf_reset(b);
}

/* Adds a sentence for the document's author (stderr, never the PDF). */
__attribute__((format(printf, 2, 3)))
static void author_warning(xmlNodePtr warnings, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *b = malloc((size_t)n + 1);
    if (!b)
        return;
    va_start(ap, fmt);
    vsnprintf(b, (size_t)n + 1, fmt, ap);
    va_end(ap);
    el(warnings, "warning", b);
    free(b);
}

/* Records a part the law or the standard requires that the document lacks:
 * the document becomes a draft (document/@draft, marked on every page) and
 * page 1 lists document/gap/@what. part is a stable word, what the words
 * for the reader. */
static void draft_gap(xmlNodePtr docnode, const char *part, const char *what)
{
    xmlSetProp(docnode, BAD_CAST "draft", BAD_CAST "true");
    xmlNodePtr g = el(docnode, "gap", NULL);
    at(g, "part", part);
    at(g, "what", what);
}

void cd_facts_draft_gap(xmlNodePtr docnode, const char *part, const char *what)
{
    draft_gap(docnode, part, what);
}

/* ---- person, order, staff ---------------------------------------------------- */

static void put_person(xmlNodePtr root, const cd_case *c, cd_date date)
{
    const cd_person *p = &c->person;
    xmlNodePtr n = el(root, "person", NULL);
    at(n, "id", p->id);
    el(n, "name", cd_person_full_name(c));
    if (p->given_name)
        el(n, "given-name", p->given_name);
    if (p->family_name)
        el(n, "family-name", p->family_name);
    if (p->date_of_birth != CD_DATE_NONE) {
        char b[11];
        cd_date_format_iso(p->date_of_birth, b);
        el(n, "date-of-birth", b);
        xmlNodePtr age = el(n, "age", NULL);
        char a[8];
        snprintf(a, sizeof a, "%d", cd_person_age(p, date));
        xmlNodeSetContent(age, BAD_CAST a);
    }
    xmlNodePtr sex = el(n, "sex", p->sex == CD_SEX_UNKNOWN ? NULL : cd_enum_name(CD_ENUM_SEX, (int)p->sex));
    at(sex, "label", p->sex == CD_SEX_UNKNOWN ? "not recorded" : cd_enum_label(CD_ENUM_SEX, (int)p->sex));
    if (p->ethnicity)
        el(n, "ethnicity", p->ethnicity);
    if (p->accommodation != CD_ACCOM_NOT_RECORDED) {
        xmlNodePtr acc = el(n, "accommodation", p->accommodation_text);
        at_enum(acc, "status", CD_ENUM_ACCOMMODATION, (int)p->accommodation);
    }
}

static void put_order(xmlNodePtr root, const cd_case *c, const cd_profile *p, cd_date date)
{
    const cd_order *o = &c->order;
    if (!o->present)
        return;
    xmlNodePtr n = el(root, "order", NULL);
    at(n, "id", o->id);
    at(n, "type", cd_enum_name(CD_ENUM_ORDER_TYPE, (int)o->type));
    at(n, "type-label", o->type == CD_ORDER_DTTO ? "Drug Treatment and Testing Order"
                                                  : "Drug Rehabilitation Requirement");
    at_enum(n, "intensity", CD_ENUM_INTENSITY, (int)o->intensity);
    at_date(n, "made", o->made);
    at_int(n, "months", o->months);
    at(n, "court", o->court);
    at(n, "sentencer", o->sentencer);
    at_enum(n, "review-hearings", CD_ENUM_REVIEW_HEARINGS, (int)o->review_hearings);
    at_date(n, "scheduled-end", cd_order_scheduled_end(o));
    at_date(n, "end", cd_order_end(o));
    int week = cd_order_week(o, date), total = cd_order_total_weeks(o);
    if (week >= 1)
        at_int(n, "week", week > total ? total : week);
    at_int(n, "total-weeks", total);
    at_int(n, "share-served", (long)(cd_order_share_served(o, date) * 100.0 + 0.5));
    cd_order_state st = cd_order_state_on(o, date, date);
    at(n, "status", st == CD_ORDER_STATE_ENDED ? "ended"
                    : st == CD_ORDER_STATE_NOT_STARTED ? "not started" : "in force");
    if (o->ended != CD_DATE_NONE) {
        at_date(n, "ended", o->ended);
        at_enum(n, "end-reason", CD_ENUM_END_REASON, (int)o->end_reason);
    }
    if (p) {
        at(n, "profile", p->name);
        at(n, "profile-title", p->title);
    }
    for (size_t i = 0; i < o->noffences; i++)
        el(n, "offence", o->offences[i]);
    for (size_t i = 0; i < o->nrequirements; i++)
        el(n, "requirement", o->requirements[i]);
}

static void put_staff(xmlNodePtr root, const cd_case *c)
{
    xmlNodePtr n = el(root, "staff", NULL);
    for (size_t i = 0; i < c->nstaff; i++) {
        const cd_staff *s = &c->staff[i];
        xmlNodePtr m = el(n, "member", NULL);
        at(m, "role", s->role);
        at(m, "name", s->name);
        at(m, "phone", s->phone);
        at(m, "organisation", s->organisation);
    }
    const cd_staff *om = cd_case_staff(c, "offender-manager");
    if (om) {
        xmlNodePtr o = el(root, "officer", NULL);
        at(o, "name", om->name);
        at(o, "phone", om->phone);
        at(o, "organisation", om->organisation);
    }
}

/* ---- records -------------------------------------------------------------------- */

static xmlNodePtr put_appointment(xmlNodePtr parent, const cd_appointment *a)
{
    xmlNodePtr n = el(parent, "appointment", NULL);
    at(n, "id", a->id);
    at_date(n, "date", a->date);
    at_time(n, "time", a->time);
    at_int(n, "minutes", a->minutes);
    at_enum(n, "kind", CD_ENUM_APPT_KIND, (int)a->kind);
    at(n, "with", a->with);
    at_enum(n, "outcome", CD_ENUM_APPT_OUTCOME, (int)a->outcome);
    at(n, "reason", a->reason);
    at_bool(n, "required", a->outcome == CD_OUT_ATTENDED || a->outcome == CD_OUT_LATE ||
                           a->outcome == CD_OUT_ABSENT_UNACCEPTABLE);
    return n;
}

/* How a result reads in a report: prescribed is never illicit use. */
static const char *result_shown(const cd_test_result *r)
{
    if (r->prescribed && r->outcome == CD_RESULT_POSITIVE)
        return "prescribed";
    return r->outcome == CD_RESULT_POSITIVE ? "positive" : "negative";
}

static xmlNodePtr put_test(xmlNodePtr parent, const cd_case *c, const cd_drug_test *t)
{
    xmlNodePtr n = el(parent, "test", NULL);
    at(n, "id", t->id);
    at_date(n, "date", t->date);
    at_enum(n, "method", CD_ENUM_TEST_METHOD, (int)t->method);
    at_enum(n, "status", CD_ENUM_TEST_STATUS, (int)t->status);
    /* a missed test is a failure only by the officer's decision (or a warning
     * or breach naming it) */
    if (t->status == CD_TEST_MISSED)
        at(n, "decision", cd_rules_missed_test_decided(c, t) ? "failure" : "undecided");
    cd_strbuf summary = CD_STRBUF_INIT;
    for (size_t i = 0; i < t->nresults; i++) {
        const cd_test_result *r = &t->results[i];
        xmlNodePtr rn = el(n, "result", NULL);
        at(rn, "substance", cd_enum_name(CD_ENUM_SUBSTANCE, (int)r->substance));
        const char *label = r->substance == CD_SUB_OTHER && r->name ? r->name
                          : cd_enum_label(CD_ENUM_SUBSTANCE, (int)r->substance);
        at(rn, "label", label);
        at(rn, "outcome", cd_enum_name(CD_ENUM_RESULT_OUTCOME, (int)r->outcome));
        at(rn, "shown", result_shown(r));
        at_bool(rn, "prescribed", r->prescribed);
        if (r->confirmation != CD_CONFIRM_NONE)
            at(rn, "confirmed", cd_enum_name(CD_ENUM_CONFIRMATION, (int)r->confirmation));
        const char *conf = r->confirmation == CD_CONFIRM_LABORATORY ? " (lab)"
                         : r->confirmation == CD_CONFIRM_ADMITTED ? " (admitted)" : "";
        cd_strbuf_printf(&summary, "%s%s %s%s", summary.len ? ", " : "", label ? label : "",
                         result_shown(r), conf);
    }
    if (t->status != CD_TEST_TESTED && t->status != CD_TEST_ADMITTED && summary.len == 0)
        cd_strbuf_add(&summary, cd_enum_label(CD_ENUM_TEST_STATUS, (int)t->status));
    at(n, "results", summary.len ? cd_strbuf_str(&summary) : NULL);
    cd_strbuf_free(&summary);
    return n;
}

static void put_note(xmlNodePtr parent, const cd_note *nt)
{
    xmlNodePtr n = el(parent, "note", nt->text);
    at(n, "id", nt->id);
    at_enum(n, "kind", CD_ENUM_NOTE_KIND, (int)nt->kind);
    at_date(n, "date", nt->date);
    at(n, "author", nt->author);
    at_bool(n, "local", nt->local);
}

/* The latest note of kind dated in [from, to], or NULL. */
static const cd_note *latest_note(const cd_case *c, cd_note_kind kind, cd_date from, cd_date to)
{
    const cd_note *best = NULL;
    for (size_t i = 0; i < c->nnotes; i++) {
        const cd_note *n = &c->notes[i];
        if (n->kind == kind && n->date >= from && n->date <= to)
            best = n;                      /* notes are sorted by date */
    }
    return best;
}

/* ---- tests and attendance figures -------------------------------------------------- */

static const cd_substance MAIN[] = { CD_SUB_OPIATES, CD_SUB_COCAINE };
#define NMAIN (sizeof MAIN / sizeof MAIN[0])

static void put_test_summary(xmlNodePtr n, const cd_test_summary *t)
{
    xmlNodePtr ts = el(n, "tests", NULL);
    at_int(ts, "required", t->required);
    at_int(ts, "arranged", t->arranged);
    at_int(ts, "provided", t->provided);
    at_int(ts, "missed", t->missed);
    at_int(ts, "missed-undecided", t->missed_undecided);
    at_int(ts, "refused", t->refused);
    at_int(ts, "invalid", t->invalid);
    at_int(ts, "dilute", t->dilute);
    at_int(ts, "adulterated", t->adulterated);
    at_int(ts, "substituted", t->substituted);
    at_int(ts, "tampered", t->adulterated + t->substituted);   /* not provided: failures */
    at_int(ts, "admitted", t->admitted);
    for (int s = 0; s < CD_NSUBSTANCES; s++) {
        const cd_substance_counts *sc = &t->sub[s];
        bool main = false;
        for (size_t k = 0; k < NMAIN; k++)
            main |= MAIN[k] == (cd_substance)s;
        if (!main && sc->base == 0 && sc->prescribed == 0)
            continue;
        xmlNodePtr sn = el(ts, "substance", NULL);
        at(sn, "name", cd_enum_name(CD_ENUM_SUBSTANCE, s));
        at(sn, "label", cd_enum_label(CD_ENUM_SUBSTANCE, s));
        at_bool(sn, "main", main);
        at_int(sn, "negative", sc->negative);
        at_int(sn, "positive", sc->positive);
        at_int(sn, "base", sc->base);
        at_percent(sn, "percent", sc->negative, sc->base);
        char share[64];
        if (sc->base == 0 && sc->prescribed > 0) {
            /* "3 results, all prescribed - not counted", never "no tests" */
            cd_arena *wa = cd_arena_new();
            at(sn, "share", wa ? cd_arena_printf(wa, "%s, all prescribed - not counted",
                                                 cd_words_count(wa, sc->prescribed, "result", NULL, NULL))
                               : NULL);
            cd_arena_free(wa);
        } else {
            at(sn, "share", cd_rules_format_share(sc->negative, sc->base, share, sizeof share));
        }
        at_int(sn, "prescribed", sc->prescribed);
        at_int(sn, "confirmed", sc->confirmed);
        at_int(sn, "admitted", sc->admitted);
    }
}

static void put_attendance(xmlNodePtr n, const cd_attendance *a)
{
    xmlNodePtr an = el(n, "attendance", NULL);
    for (int o = 0; o <= CD_OUT_PENDING; o++)
        at_int(an, cd_enum_name(CD_ENUM_APPT_OUTCOME, o), a->by_outcome[o]);
    at_int(an, "kept", a->kept);
    at_int(an, "required", a->required);
    if (a->rate >= 0)
        at_int(an, "rate", (long)(a->rate * 100.0 + 0.5));
    char share[64];
    /* "2 of 3 (67%)"; the rules' "no tests" would misread for appointments */
    at(an, "share", a->required ? cd_rules_format_share(a->kept, a->required, share, sizeof share)
                                : "none required");
    at_num(an, "hours", a->hours);
}

/* The weeks of [from, to]: contact and testing against the standard. */
static void put_weeks(xmlNodePtr n, const cd_case *c, const cd_profile *p, cd_date from, cd_date to,
                      cd_date as_of, cd_arena *a, bool detail)
{
    cd_week_record *w = NULL;
    size_t nw = 0;
    cd_rules_weeks(c, p, from, to, as_of, a, &w, &nw);
    xmlNodePtr cn = el(n, "contact", NULL);
    int assessed = 0, met = 0, tassessed = 0, tmet = 0;
    double hours = 0;
    for (size_t i = 0; i < nw; i++) {
        bool assess = w[i].full && w[i].complete;
        if (assess) {
            assessed++;
            met += w[i].contact_met;
            hours += w[i].hours;
            if (w[i].tests_required > 0) {
                tassessed++;
                tmet += w[i].testing_met;
            }
        }
        if (!detail)
            continue;
        xmlNodePtr wn = el(n, "week", NULL);
        at_int(wn, "n", w[i].week);
        at_date(wn, "from", w[i].start);
        at_date(wn, "to", w[i].end);
        at(wn, "phase", w[i].phase == CD_PHASE_FIRST ? "first" : "after");
        at_num(wn, "standard-hours", w[i].min_hours);
        at_num(wn, "usual-hours", w[i].usual_hours);
        at_int(wn, "standard-days", w[i].min_days);
        at_num(wn, "hours", w[i].hours);
        at_int(wn, "days", w[i].contact_days);
        at_bool(wn, "assessed", assess);
        if (w[i].no_records)
            at_bool(wn, "no-records", true);
        at(wn, "testing-phase", w[i].testing_phase == CD_PHASE_FIRST ? "first" : "after");
        at_bool(wn, "met", !assess || w[i].contact_met);
        at_int(wn, "tests-required", w[i].tests_required);
        at_int(wn, "tests-provided", w[i].tests_provided);
        at_bool(wn, "testing-met", !assess || w[i].testing_met);
    }
    at_int(cn, "weeks", assessed);
    at_int(cn, "weeks-met", met);
    at_int(cn, "weeks-under", assessed - met);
    if (assessed)
        at_num(cn, "hours-per-week", hours / assessed);
    at_int(cn, "testing-weeks", tassessed);
    at_int(cn, "testing-weeks-met", tmet);
    /* the standard of the latest week assessed, for the headline */
    for (size_t i = nw; i-- > 0;)
        if (w[i].full) {
            at_num(cn, "standard-hours", w[i].min_hours);
            at_num(cn, "usual-hours", w[i].usual_hours);
            at_int(cn, "standard-days", w[i].min_days);
            at_int(cn, "standard-tests", w[i].tests_required);
            break;
        }
}

/* One period's figures: attendance, weeks, tests. */
static xmlNodePtr put_period(xmlNodePtr parent, const char *which, const cd_case *c, const cd_profile *p,
                             cd_date from, cd_date to, cd_date as_of, cd_arena *a, bool detail,
                             cd_test_summary *ts_out)
{
    xmlNodePtr n = el(parent, "period", NULL);
    at(n, "which", which);
    at_date(n, "start", from);
    at_date(n, "end", to);
    cd_attendance att = cd_rules_attendance(c, from, to);
    put_attendance(n, &att);
    put_weeks(n, c, p, from, to, as_of, a, detail);
    cd_test_summary ts = cd_rules_tests(c, p, from, to, as_of);
    put_test_summary(n, &ts);
    if (ts_out)
        *ts_out = ts;
    return n;
}

/* ---- the review ------------------------------------------------------------------------- */

static int put_review(xmlNodePtr root, xmlNodePtr docnode, xmlNodePtr warnings, const cd_case *c,
                      const cd_profile *p, cd_date date, cd_arena *a, cd_error *err)
{
    const cd_order *o = &c->order;
    if (date < o->made)
        return cd_error_set(err, CD_EINPUT, "case %s: the review date is before the order was made",
                            c->ref);
    if (date > cd_order_end(o))
        return cd_error_set(err, CD_EINPUT, "case %s: the review date is after the order %s; "
                            "there is no review to report", c->ref,
                            o->ended != CD_DATE_NONE ? "ended" : "runs out");
    cd_review_period rp = cd_rules_review_period(c, date);
    xmlNodePtr r = el(root, "review", NULL);
    at_int(r, "number", rp.number);
    at_date(r, "date", date);
    at_date(r, "period-start", rp.start);
    at_date(r, "period-end", rp.end);
    at_bool(r, "first", rp.previous_review == NULL);
    at_bool(r, "paper", cd_rules_review_is_paper(c, date));
    cd_next_review nx = cd_rules_review_after(c, date);
    at_date(r, "next-date", nx.date);
    at_bool(r, "next-required", nx.required);
    at_bool(r, "next-date-fixed", nx.fixed_by_court);
    at_bool(r, "next-date-sitting", nx.sitting);
    if (nx.fixed_by_court && nx.date != CD_DATE_NONE && !nx.sitting) {
        char d[11];
        cd_date_format_iso(nx.date, d);
        const char *why = cd_cal_bank_holiday(nx.date);
        author_warning(warnings, "the next review date the court fixed, %s, is not a sitting day (%s): "
                       "check it with the court", d, why ? why : "a weekend");
    }
    /* the date the court fixed at the last hearing for this one */
    if (rp.previous_review && rp.previous_review->next != CD_DATE_NONE) {
        cd_date fixed = rp.previous_review->next;
        char d[11], h[11];
        cd_date_format_iso(fixed, d);
        cd_date_format_iso(rp.previous_review->date, h);
        if (fixed <= rp.previous_review->date)
            author_warning(warnings, "the review of %s fixed its next review for %s, which is not after "
                           "that hearing: check the record", h, d);
        else if (!cd_cal_is_sitting_day(fixed))
            author_warning(warnings, "the review of %s fixed its next review for %s, which is not a "
                           "sitting day (%s): check the date with the court", h, d,
                           cd_cal_bank_holiday(fixed) ? cd_cal_bank_holiday(fixed) : "a weekend");
    }

    cd_test_summary now, before;
    memset(&before, 0, sizeof before);
    put_period(r, "this", c, p, rp.start, rp.end, date, a, true, &now);
    if (p->review_needs_provider_and_tests && now.arranged == 0) {
        draft_gap(docnode, "test-results", "the drug test results for the period");
        author_warning(warnings, "no drug test is recorded in this period, and %s requires the "
                       "review report to give the test results", p->title);
    }
    /* the last period's own figures: as they stood on its review date */
    if (rp.previous_start != CD_DATE_NONE)
        put_period(r, "last", c, p, rp.previous_start, rp.previous_end, rp.previous_end, a, false, &before);
    xmlNodePtr whole = put_period(r, "order", c, p, o->made, date, date, a, false, NULL);
    (void)whole;

    for (size_t i = 0; i < c->nappointments; i++)
        if (c->appointments[i].date >= rp.start && c->appointments[i].date <= rp.end)
            put_appointment(r, &c->appointments[i]);
    for (size_t i = 0; i < c->ntests; i++) {
        const cd_drug_test *t = &c->tests[i];
        if (t->date < rp.start || t->date > rp.end)
            continue;
        put_test(r, c, t);
        if (t->status == CD_TEST_MISSED && !cd_rules_missed_test_decided(c, t)) {
            char d[11];
            cd_date_format_iso(t->date, d);
            author_warning(warnings, "the test of %s (record %s) was missed and no decision is recorded: "
                           "decide whether it was without reasonable excuse (a failure decision, "
                           "warning or breach naming it); until then it is listed, not counted as "
                           "a failure", d, t->id ? t->id : "");
        }
    }

    if (rp.previous_review == NULL) {
        cd_first_contacts fc = cd_rules_first_contacts(c, p);
        xmlNodePtr f = el(r, "first-contacts", NULL);
        at_date(f, "probation", fc.probation);
        at_count(f, "probation-days", fc.probation_wd);
        at_bool(f, "probation-met", fc.probation_met);
        at_int(f, "probation-standard", p->first_contact_probation_wd);
        at_date(f, "treatment", fc.treatment);
        at_count(f, "treatment-days", fc.treatment_wd);
        at_bool(f, "treatment-met", fc.treatment_met);
        at_int(f, "treatment-standard", p->first_contact_treatment_wd);
    }
    int dsp = cd_rules_days_since_positive(c, date);
    xmlNodePtr dn = el(r, "last-positive", NULL);
    at_count(dn, "days", dsp);
    if (dsp >= 0)
        at_date(dn, "date", date - dsp);

    /* direction of travel: computed, never written by hand */
    xmlNodePtr tr = el(r, "trend", NULL);
    char sentence[512];
    if (rp.previous_start != CD_DATE_NONE) {
        at(tr, "sentence", cd_rules_trend_sentence(&before, &now, sentence, sizeof sentence));
        for (size_t k = 0; k < NMAIN; k++) {
            xmlNodePtr sn = el(tr, "substance", NULL);
            at(sn, "name", cd_enum_name(CD_ENUM_SUBSTANCE, (int)MAIN[k]));
            at(sn, "label", cd_enum_label(CD_ENUM_SUBSTANCE, (int)MAIN[k]));
            at(sn, "direction", cd_rules_trend_word(cd_rules_trend(&before.sub[MAIN[k]], &now.sub[MAIN[k]])));
        }
    } else {
        at(tr, "sentence", "This is the first review: there is no earlier period to compare with.");
    }

    /* % negative per substance by month over the whole order, for the chart */
    cd_month_tests *m = NULL;
    size_t nm = 0;
    cd_rules_monthly_tests(c, date, a, &m, &nm);
    xmlNodePtr ms = el(r, "months", NULL);
    for (size_t i = 0; i < nm; i++) {
        xmlNodePtr mn = el(ms, "month", NULL);
        at_int(mn, "n", m[i].month);
        char label[8];
        snprintf(label, sizeof label, "%d", m[i].month);
        at(mn, "label", label);
        at_date(mn, "start", m[i].start);
        at_date(mn, "end", m[i].end);
        for (size_t k = 0; k < NMAIN; k++) {
            const cd_substance_counts *sc = &m[i].sub[MAIN[k]];
            const char *name = cd_enum_name(CD_ENUM_SUBSTANCE, (int)MAIN[k]);
            at_percent(mn, name, sc->negative, sc->base);
            xmlNodePtr sn = el(mn, "substance", NULL);
            at(sn, "name", name);
            at_int(sn, "negative", sc->negative);
            at_int(sn, "base", sc->base);
            at_percent(sn, "percent", sc->negative, sc->base);
        }
    }

    /* the officer's and the provider's words for this period; a part the
     * law or the standard requires makes the report a draft when missing
     * (the recommendation always; the provider's view where the profile
     * requires it) */
    xmlNodePtr notes = el(r, "notes", NULL);
    static const struct {
        cd_note_kind kind; const char *what; bool warn;
        int required;                       /* 1 always, 2 where the profile says */
        const char *gap;                    /* the words for page 1's list of gaps */
    } WANTED[] = {
        { CD_NOTE_SUPERVISOR_ASSESSMENT, "supervisor's assessment", true, 0, NULL },
        { CD_NOTE_RECOMMENDATION, "recommendation", true, 1, "the supervising officer's recommendation" },
        { CD_NOTE_PROVIDER_VIEW, "treatment provider's view", true, 2, "the treatment provider's view" },
    };
    for (size_t i = 0; i < c->nnotes; i++) {
        const cd_note *nt = &c->notes[i];
        if (nt->date >= rp.start && nt->date <= rp.end && nt->kind != CD_NOTE_BREACH_STATEMENT)
            put_note(notes, nt);
    }
    for (size_t k = 0; k < sizeof WANTED / sizeof WANTED[0]; k++) {
        if (latest_note(c, WANTED[k].kind, rp.start, rp.end))
            continue;
        xmlNodePtr mn = el(notes, "missing", NULL);
        at(mn, "kind", cd_enum_name(CD_ENUM_NOTE_KIND, (int)WANTED[k].kind));
        at(mn, "what", WANTED[k].what);
        if (WANTED[k].required == 1 || (WANTED[k].required == 2 && p->review_needs_provider_and_tests))
            draft_gap(docnode, cd_enum_name(CD_ENUM_NOTE_KIND, (int)WANTED[k].kind), WANTED[k].gap);
        if (WANTED[k].warn)
            author_warning(warnings, "no %s has been recorded for this period (add one with "
                           "`courtdocs note --kind %s`)", WANTED[k].what,
                           cd_enum_name(CD_ENUM_NOTE_KIND, (int)WANTED[k].kind));
    }

    /* the last review, its directions and what has been noted since */
    const cd_review *pr = rp.previous_review;
    if (pr) {
        xmlNodePtr pn = el(r, "previous-review", NULL);
        at_date(pn, "date", pr->date);
        at_enum(pn, "kind", CD_ENUM_REVIEW_KIND, (int)pr->kind);
        at(pn, "court", pr->court);
        at(pn, "sentencer", pr->sentencer);
        at_enum(pn, "outcome", CD_ENUM_REVIEW_OUTCOME, (int)pr->outcome);
        at_date(pn, "next", pr->next);
        if (pr->comments)
            el(pn, "comments", pr->comments);
        if (pr->directions)
            el(pn, "directions", pr->directions);
        for (size_t i = 0; i < c->nnotes; i++) {
            const cd_note *nt = &c->notes[i];
            if (nt->kind == CD_NOTE_PROGRESS && nt->date > pr->date && nt->date <= date)
                put_note(pn, nt);
        }
    }
    return CD_OK;
}

/* ---- enforcement ---------------------------------------------------------------------------- */

static void put_failure_records(xmlNodePtr fn, const cd_case *c, const cd_failure *f)
{
    cd_strbuf ids = CD_STRBUF_INIT;
    for (size_t i = 0; i < f->nappointments; i++) {
        const cd_appointment *ap = f->appointments[i];
        xmlNodePtr r = put_appointment(fn, ap);
        xmlNodeSetName(r, BAD_CAST "record");
        at(r, "type", "appointment");
        add_id(&ids, ap->id);
    }
    for (size_t i = 0; i < f->ntests; i++) {
        const cd_drug_test *t = f->tests[i];
        xmlNodePtr r = put_test(fn, c, t);
        xmlNodeSetName(r, BAD_CAST "record");
        at(r, "type", "test");
        add_id(&ids, t->id);
    }
    if (f->decision) {
        xmlNodePtr r = el(fn, "record", f->decision->text);
        at(r, "type", "decision");
        at(r, "id", f->decision->id);
        at_date(r, "date", f->decision->date);
        cd_strbuf tests = CD_STRBUF_INIT;
        for (size_t i = 0; i < f->decision->tests.n; i++)
            add_id(&tests, f->decision->tests.ids[i]);
        at_list(r, "tests", &tests, false);
        cd_strbuf_free(&tests);
        add_id(&ids, f->decision->id);
    }
    at_list(fn, "records", &ids, false);
    cd_strbuf_free(&ids);
}

static void put_enforcement(xmlNodePtr root, xmlNodePtr warnings, const cd_case *c, const cd_profile *p,
                            cd_date date, cd_doc_kind kind, cd_arena *a)
{
    cd_enforcement e = cd_rules_enforcement(c, p, date, a);
    xmlNodePtr n = el(root, "enforcement", NULL);
    at_date(n, "as-of", date);
    at_int(n, "window-days", p->window_days);
    at_int(n, "in-window", e.in_window);
    at_int(n, "count", e.in_window);
    at_date(n, "oldest-drops-out", e.oldest_drops_out);
    at_int(n, "warnings-in-window", e.warnings_in_window);
    at_int(n, "unanswered", e.unanswered);
    at_date(n, "enforcement-due", e.enforcement_due);
    at_bool(n, "breach-required", e.breach_required);
    at(n, "statement", e.statement);
    at_date(n, "pack-due", e.pack_due);
    at(n, "rule", p->breach_rule == CD_BREACH_RULE_FAILURE_AFTER_WARNING
                      ? "a failure within 12 months of an earlier warning"
                      : "a second unacceptable failure within 12 months");
    if (e.trigger)
        at(n, "trigger", cd_failure_first_id(e.trigger));
    if (e.trigger_warning)
        at(n, "trigger-warning", e.trigger_warning->id);
    if (e.open_breach)
        at(n, "open-breach", e.open_breach->id);
    at_date(n, "spent-before", e.spent_before);

    int number = 0, live = 0;
    for (size_t i = 0; i < e.nfailures; i++) {
        const cd_failure *f = &e.failures[i];
        cd_failure_status st = cd_rules_failure_status(&e, f);
        xmlNodePtr fn = el(n, "failure", NULL);
        if (f->in_window)
            at_int(fn, "n", ++number);
        at(fn, "id", cd_failure_first_id(f));
        at_date(fn, "date", f->date);
        for (size_t j = 0; j < f->nappointments; j++)
            if (f->appointments[j]->time != CD_TIME_NONE) {
                at_time(fn, "time", f->appointments[j]->time);
                break;
            }
        at(fn, "kind", cd_failure_kind_name(f->kind));
        at(fn, "label", cd_failure_kind_label(f->kind));
        at_bool(fn, "in-window", f->in_window);
        at_date(fn, "drops-out", f->drops_out);
        static const char *const ST[] = { "unanswered", "warned", "in-breach", "spent" };
        at(fn, "status", ST[st]);
        at(fn, "status-label", cd_failure_status_label(st));
        at_bool(fn, "trigger", f == e.trigger);
        cd_strbuf w = CD_STRBUF_INIT;
        for (size_t j = 0; j < f->nwarnings; j++)
            add_id(&w, f->warnings[j]->id);
        at_list(fn, "warnings", &w, true);
        for (size_t j = 0; j < f->nbreaches; j++)
            add_id(&w, f->breaches[j]->id);
        at_list(fn, "breaches", &w, true);
        cd_strbuf_free(&w);
        put_failure_records(fn, c, f);
        if (f->in_window && st != CD_FSTATUS_SPENT)
            live++;
        if (kind == CD_DOC_BREACH && f->in_window && f->nwarnings == 0 && f->nbreaches == 0) {
            char d[11];
            cd_date_format_iso(f->date, d);
            author_warning(warnings, "the failure of %s (record %s) had neither a warning nor a "
                           "breach", d, cd_failure_first_id(f));
        }
    }
    at_int(n, "to-answer", live);

    for (size_t i = 0; i < c->nwarnings; i++) {
        const cd_warning *w = &c->warnings[i];
        if (w->date > date)
            continue;
        xmlNodePtr wn = el(n, "warning", w->text);
        at(wn, "id", w->id);
        at_date(wn, "date", w->date);
        cd_strbuf ids = CD_STRBUF_INIT;
        for (size_t j = 0; j < w->failures.n; j++)
            add_id(&ids, w->failures.ids[j]);
        at_list(wn, "answers", &ids, false);
        cd_strbuf_free(&ids);
        at_bool(wn, "in-window", cd_rules_in_window(w->date, date, p->window_days));
        cd_warning_check chk = cd_rules_warning_check(c, w);
        at_bool(wn, "circumstances", chk.circumstances);
        at_bool(wn, "unacceptable", chk.unacceptable);
        at_bool(wn, "consequence", chk.court_warning);
        at_bool(wn, "complete", chk.circumstances && chk.unacceptable && chk.court_warning);
        at_bool(wn, "trigger-warning", w == e.trigger_warning);
    }
    for (size_t i = 0; i < c->nbreaches; i++) {
        const cd_breach *b = &c->breaches[i];
        if (b->initiated > date)
            continue;
        xmlNodePtr bn = el(n, "breach", NULL);
        at(bn, "id", b->id);
        at_date(bn, "initiated", b->initiated);
        at_date(bn, "heard", b->heard);
        at_enum(bn, "outcome", CD_ENUM_BREACH_OUTCOME, (int)b->outcome);
        cd_strbuf ids = CD_STRBUF_INIT;
        for (size_t j = 0; j < b->failures.n; j++)
            add_id(&ids, b->failures.ids[j]);
        at_list(bn, "failures", &ids, false);
        cd_strbuf_free(&ids);
    }
    xmlNodePtr attempts = NULL;
    int nattempts = 0;
    for (size_t i = 0; i < c->nnotes; i++) {
        const cd_note *nt = &c->notes[i];
        if (nt->kind == CD_NOTE_CONTACT_ATTEMPT && nt->date <= date &&
            cd_rules_in_window(nt->date, date, p->window_days)) {
            xmlNodePtr cn = el(n, "contact-attempt", nt->text);
            at_date(cn, "date", nt->date);
            at(cn, "author", nt->author);
            if (!attempts)
                attempts = xmlNewNode(NULL, BAD_CAST "contact-attempts");
            put_note(attempts, nt);
            nattempts++;
        }
    }
    /* the same notes as full notes in one container (empty: count 0) */
    if (!attempts)
        attempts = xmlNewNode(NULL, BAD_CAST "contact-attempts");
    at_int(attempts, "count", nattempts);
    xmlAddChild(n, attempts);
    const cd_note *stmt = latest_note(c, CD_NOTE_BREACH_STATEMENT, c->order.made, date);
    if (stmt) {
        xmlNodePtr sn = el(n, "statement-note", stmt->text);
        at_date(sn, "date", stmt->date);
        at(sn, "author", stmt->author);
    } else if (kind == CD_DOC_BREACH) {
        author_warning(warnings, "no breach statement has been recorded (add one with "
                       "`courtdocs note --kind breach-statement`)");
    }

    /* the Sentencing Council breach guideline figures */
    cd_breach_figures bf = cd_rules_breach_figures(c, p, &e, date);
    xmlNodePtr g = el(n, "guideline", NULL);
    at_int(g, "share-served", (long)(bf.share_served * 100.0 + 0.5));
    at_int(g, "kept", bf.attendance.kept);
    at_int(g, "required", bf.attendance.required);
    if (bf.attendance.rate >= 0)
        at_int(g, "attendance-rate", (long)(bf.attendance.rate * 100.0 + 0.5));
    at_int(g, "tests-required", bf.tests_required);
    at_int(g, "tests-provided", bf.tests_provided);
    if (bf.testing_rate >= 0)
        at_int(g, "testing-rate", (long)(bf.testing_rate * 100.0 + 0.5));
    at_count(g, "days-to-trigger", bf.days_to_trigger);
    if (e.trigger)                          /* the order week the trigger fell in */
        at_int(g, "weeks-to-trigger", cd_order_week(&c->order, e.trigger->date));
    int wk = cd_order_week(&c->order, date), total = cd_order_total_weeks(&c->order);
    if (wk >= 1)
        at_int(g, "weeks-into-order", wk > total ? total : wk);
    /* opiates and cocaine negative over the whole order to the date */
    cd_date upto = date < cd_order_end(&c->order) ? date : cd_order_end(&c->order);
    cd_test_summary whole = cd_rules_tests(c, p, c->order.made, upto, date);
    cd_substance_counts neg = cd_rules_main_negative(&whole);
    at_percent(g, "negative-rate", neg.negative, neg.base);
    char share[64];
    at(g, "negative-share", cd_rules_format_share(neg.negative, neg.base, share, sizeof share));
    at_int(g, "failures", bf.failures_in_window);
    static const char *const BAND[] = { "wilful-persistent", "low", "medium", "high" };
    at(g, "band", BAND[bf.band]);
    at(g, "band-label", cd_compliance_band_label(bf.band));
}

/* ---- the PSR assessment ------------------------------------------------------------------- */

/* A gap in the assessment: named in the draft and in psr's refusal. */
static void gap(xmlNodePtr an, const char *field)
{
    xmlNodePtr g = el(an, "gap", NULL);
    at(g, "field", field);
}

static const char *const REVIEWS_WORDS[] = { "monthly court reviews", "court reviews every three months",
                                             "no court reviews (reviewed on paper)" };

/* The National Standard's figures for a proposed intensity, from the
 * profile that would apply to an order made on date. */
static void put_standard(xmlNodePtr parent, const cd_assessment *as, cd_date date)
{
    if (as->proposal_intensity < 0)
        return;
    cd_order o;
    memset(&o, 0, sizeof o);
    o.present = true;
    o.type = as->proposal_type;
    o.intensity = (cd_intensity)as->proposal_intensity;
    o.made = date;
    o.months = as->proposal_months > 0 ? as->proposal_months : 12;
    const cd_profile *p = cd_profile_default_for_order(&o);
    if (!p)
        return;
    xmlNodePtr s = el(parent, "standard", NULL);
    at(s, "profile", p->name);
    at(s, "profile-title", p->title);
    const cd_contact_standard *first = &p->contact[o.intensity][CD_PHASE_FIRST];
    const cd_contact_standard *after = &p->contact[o.intensity][CD_PHASE_AFTER];
    int t1 = p->tests_per_week[o.intensity][CD_PHASE_FIRST], t2 = p->tests_per_week[o.intensity][CD_PHASE_AFTER];
    char b[256];
    cd_arena *wa = cd_arena_new();
    if (!wa)
        return;
    const char *tests = cd_words_count(wa, t1, "test", NULL, NULL);
    if (t1 == t2)
        snprintf(b, sizeof b, "%s a week", tests);
    else
        snprintf(b, sizeof b, "%s a week for the first %d weeks, then %d a week", tests,
                 p->intensive_weeks, t2);
    cd_arena_free(wa);
    at(s, "testing", b);
    at_int(s, "tests-per-week", t1);
    char h1[32], h2[32];
    snprintf(h1, sizeof h1, "%g", first->min_hours);
    snprintf(h2, sizeof h2, "%g", after->min_hours);
    if (first->min_hours == after->min_hours && first->min_days == after->min_days)
        snprintf(b, sizeof b, "at least %s hours a week%s", h1, first->min_days ? "" : "");
    else
        snprintf(b, sizeof b, "at least %s hours a week for the first %d weeks, then at least %s hours",
                 h1, p->contact_weeks, h2);
    if (first->min_days > 0) {
        size_t k = strlen(b);
        snprintf(b + k, sizeof b - k, ", on at least %d days", first->min_days);
    }
    at(s, "contact", b);
    at_num(s, "hours-per-week", first->min_hours);
    int rv = as->proposal_reviews;
    at(s, "reviews", rv >= 0 && rv <= 2 ? REVIEWS_WORDS[rv] : NULL);
}

static void put_assessment(xmlNodePtr root, xmlNodePtr warnings, const cd_case *c, cd_date date)
{
    const cd_assessment *as = &c->assessment;
    if (!as->present)
        return;
    xmlNodePtr an = el(root, "assessment", NULL);
    at_date(an, "date", as->date);
    at(an, "author", as->author);
    long week = 0;
    bool partial = false;
    for (size_t i = 0; i < as->ndrug_uses; i++) {
        const cd_drug_use *u = &as->drug_uses[i];
        xmlNodePtr un = el(an, "drug-use", NULL);
        at(un, "substance", u->substance);
        at_bool(un, "primary", u->primary);
        at_enum(un, "route", CD_ENUM_ROUTE, u->route);
        at_enum(un, "frequency", CD_ENUM_FREQUENCY, u->frequency);
        at_count(un, "first-age", u->first_age);
        at_count(un, "spend-per-week", u->spend_per_week);
        if (u->spend_per_week >= 0)
            week += u->spend_per_week;
        else
            partial = true;
    }
    if (as->ndrug_uses) {
        xmlNodePtr sp = el(an, "spend", NULL);
        at_int(sp, "week", week);
        at_int(sp, "year", week * 52);
        at_bool(sp, "partial", partial);
    } else {
        gap(an, "drug use");
    }
    if (as->has_alcohol) {
        xmlNodePtr al = el(an, "alcohol", NULL);
        at_count(al, "units-per-week", as->alcohol_units_per_week);
        at_count(al, "audit-score", as->audit_score);
    } else {
        gap(an, "alcohol use");
    }
    if (as->has_oasys && (as->oasys_drugs >= 0 || as->oasys_alcohol >= 0)) {
        xmlNodePtr o = el(an, "oasys", NULL);
        at_count(o, "drugs", as->oasys_drugs);
        if (as->oasys_drugs >= 0)
            at_bool(o, "drugs-significant", as->oasys_drugs >= 4);
        else
            gap(an, "OASys drugs score");
        at_count(o, "alcohol", as->oasys_alcohol);
        if (as->oasys_alcohol >= 0)
            at_bool(o, "alcohol-significant", as->oasys_alcohol >= 4);
        else
            gap(an, "OASys alcohol score");
    } else {
        gap(an, "OASys scores");
    }
    if (as->offending_link)                  /* not a gap: psr warns the author instead */
        el(an, "offending-link", as->offending_link);
    if (as->dependency)
        el(an, "dependency", as->dependency);
    else
        gap(an, "dependency");
    if (as->motivation || as->motivation_stage >= 0) {
        xmlNodePtr m = el(an, "motivation", as->motivation);
        at_enum(m, "stage", CD_ENUM_STAGE, as->motivation_stage);
        if (as->motivation_stage < 0)
            gap(an, "stage of change");
        if (!as->motivation)
            gap(an, "motivation");
    } else {
        gap(an, "motivation");
    }
    for (size_t i = 0; i < as->nepisodes; i++) {
        const cd_treatment_episode *e = &as->episodes[i];
        xmlNodePtr en = el(an, "episode", NULL);
        at_date(en, "from", e->from);
        at_date(en, "to", e->to);
        at(en, "provider", e->provider);
        at(en, "kind", e->kind);
        at(en, "outcome", e->outcome);
    }
    for (size_t i = 0; i < as->nprevious_orders; i++) {
        const cd_previous_order *po = &as->previous_orders[i];
        xmlNodePtr pn = el(an, "previous", NULL);
        at(pn, "type", cd_enum_name(CD_ENUM_ORDER_TYPE, (int)po->type));
        at_date(pn, "made", po->made);
        at_enum(pn, "outcome", CD_ENUM_PREV_OUTCOME, po->outcome);
        at_bool(pn, "revoked-non-compliance", po->outcome == CD_PREV_REVOKED_NON_COMPLIANCE);
    }
    if (as->health_mental || as->health_physical) {
        xmlNodePtr h = el(an, "health", NULL);
        at(h, "mental", as->health_mental);
        at(h, "physical", as->health_physical);
    }
    if (!as->health_mental)
        gap(an, "mental health");
    if (!as->health_physical)
        gap(an, "physical health");
    if (as->consent_given >= 0) {
        xmlNodePtr cn = el(an, "consent", NULL);
        at_bool(cn, "given", as->consent_given == 1);
        at_date(cn, "date", as->consent_date);
    } else {
        gap(an, "consent");
    }
    if (as->has_proposal) {
        xmlNodePtr pn = el(an, "proposal", as->proposal_text);
        at(pn, "type", cd_enum_name(CD_ENUM_ORDER_TYPE, (int)as->proposal_type));
        at_enum(pn, "intensity", CD_ENUM_INTENSITY, as->proposal_intensity);
        at_count(pn, "months", as->proposal_months);
        at_enum(pn, "reviews", CD_ENUM_REVIEW_HEARINGS, as->proposal_reviews);
        at(pn, "provider", as->proposal_provider);
        put_standard(pn, as, as->date != CD_DATE_NONE ? as->date : date);
        if (as->consent_given != 0) {
            if (as->proposal_intensity < 0)
                gap(an, "intensity");
            if (as->proposal_months < 0)
                gap(an, "order length");
            if (!as->proposal_provider)
                gap(an, "treatment provider");
            if (!as->proposal_text)
                gap(an, "treatment plan");
        }
    } else if (as->consent_given != 0) {
        gap(an, "proposal");
    }

    /* evidence checks, for the author only */
    if (as->consent_given == 0)
        author_warning(warnings, "no consent: a drug rehabilitation requirement cannot be proposed, "
                       "and the section says so");
    if (as->has_proposal && as->proposal_intensity == CD_INTENSITY_HIGH && as->oasys_drugs >= 0 &&
        as->oasys_drugs < 4)
        author_warning(warnings, "the proposed high intensity sits badly with an OASys drugs score "
                       "of %d (under 4: not a significant factor in offending)", as->oasys_drugs);
    if (!as->offending_link)
        author_warning(warnings, "no link between drug use and offending is recorded; a drug "
                       "rehabilitation requirement rests on one");
}

/* ---- the document --------------------------------------------------------------------------- */

cd_date cd_facts_default_date(const cd_case *c, cd_doc_kind kind, cd_date today)
{
    if (kind == CD_DOC_REVIEW)
        return c->order.present ? cd_rules_next_review(c, today) : CD_DATE_NONE;
    return today;
}

/* How current the records are: <records to exported/> (docs/facts.md). */
static void put_records(xmlNodePtr root, const cd_case *c, cd_date date)
{
    xmlNodePtr n = el(root, "records", NULL);
    at_date(n, "to", cd_case_records_to(c, date));
    if (c->has_exported)
        at_date(n, "exported", c->exported);
}

/* No contact: <contact-status/>, what leads page 1 when it says so. */
static void put_contact_status(xmlNodePtr root, const cd_case *c, cd_date date)
{
    cd_contact_status cs = cd_rules_contact_status(c, date);
    xmlNodePtr n = el(root, "contact-status", NULL);
    at_bool(n, "warrant-outstanding", cs.warrant_outstanding);
    at_date(n, "last-contact", cs.last_contact);
    at_count(n, "days-without-contact", cs.days_without_contact);
    at_bool(n, "lead", cs.lead);
}

int cd_facts_build(const cd_case *whole, const cd_facts_opts *o, xmlDocPtr *out, cd_error *err)
{
    *out = NULL;
    const cd_case *c = whole;
    bool needs_order = o->kind == CD_DOC_REVIEW || o->kind == CD_DOC_BREACH;
    if (needs_order && !c->order.present)
        return cd_error_set(err, CD_ENOTFOUND, "case %s has no order: a %s needs one", c->ref,
                            o->kind == CD_DOC_REVIEW ? "court review" : "breach pack");
    const cd_profile *p = c->order.present ? cd_profile_for_order(&c->order) : NULL;
    if (c->order.present && !p)
        return cd_error_set(err, CD_EINPUT, "case %s: the order names rules \"%s\", which courtdocs "
                            "does not know", c->ref, c->order.rules ? c->order.rules : "");
    if (o->kind == CD_DOC_BREACH && o->date < c->order.made)
        return cd_error_set(err, CD_EINPUT, "case %s: the pack date is before the order was made", c->ref);

    cd_arena *a = cd_arena_new();
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    if (!a || !doc) {
        cd_arena_free(a);
        xmlFreeDoc(doc);
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    /* only the records dated up to the document's cut-off (docs/rules.md) */
    if (o->date != CD_DATE_NONE)
        c = cd_rules_case_as_of(whole, o->date, a);
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "facts", NULL);
    xmlDocSetRootElement(doc, root);
    at(root, "ref", c->ref);
    at(root, "area", c->area);
    at(root, "team", c->team);
    if (p) {
        at(root, "profile", p->name);
        at(root, "profile-title", p->title);
    }
    xmlNodePtr d = el(root, "document", NULL);
    at(d, "id", o->doc_id);
    at(d, "kind", cd_doc_kind_name(o->kind));
    at(d, "generated", o->generated);
    at_date(d, "date", o->date);
    at_bool(d, "attach-psr", o->attach_psr != 0);
    at_bool(d, "draft", false);             /* draft_gap() sets it */
    xmlNodePtr warnings = el(root, "author-warnings", NULL);
    if (o->date != CD_DATE_NONE)
        put_records(root, c, o->date);
    if (c->order.present && o->date != CD_DATE_NONE)
        put_contact_status(root, c, o->date);
    if (c->order.present && cd_cal_bank_holiday(c->order.made)) {
        char d[11];
        cd_date_format_iso(c->order.made, d);
        author_warning(warnings, "the order is recorded as made on %s, a bank holiday (%s): check "
                       "the date with the court", d, cd_cal_bank_holiday(c->order.made));
    }

    put_person(root, c, o->date);
    put_order(root, c, p, o->date);
    put_staff(root, c);
    int rc = CD_OK;
    if (o->kind == CD_DOC_REVIEW)
        rc = put_review(root, d, warnings, c, p, o->date, a, err);
    if (!rc && p && (o->kind == CD_DOC_REVIEW || o->kind == CD_DOC_BREACH)) {
        put_enforcement(root, warnings, c, p, o->date, o->kind, a);
        if (o->kind == CD_DOC_BREACH) {
            /* attendance and testing over the whole order, for the pack */
            xmlNodePtr w = el(root, "whole-order", NULL);
            cd_date to = o->date < cd_order_end(&c->order) ? o->date : cd_order_end(&c->order);
            put_period(w, "order", c, p, c->order.made, to, o->date, a, false, NULL);
            cd_facts_put_breach_pack(root, d, warnings, c, p, o->date, a);
        }
    }
    if (!rc && (o->kind == CD_DOC_PSR || o->attach_psr || o->kind == CD_DOC_REVIEW)) {
        /* the PSR's warnings are for the PSR's author only: elsewhere they go
         * to a node outside the document, then freed */
        xmlNodePtr scratch = o->kind == CD_DOC_PSR ? NULL : xmlNewNode(NULL, BAD_CAST "unused");
        put_assessment(root, scratch ? scratch : warnings, c, o->date);
        xmlFreeNode(scratch);
        /* a PSR section with a part missing is a draft (psr renders one
         * only when asked for a draft) */
        xmlNodePtr an = o->kind == CD_DOC_PSR ? root->last : NULL;
        if (an && xmlStrEqual(an->name, BAD_CAST "assessment"))
            for (xmlNodePtr g = an->children; g; g = g->next)
                if (g->type == XML_ELEMENT_NODE && xmlStrEqual(g->name, BAD_CAST "gap")) {
                    xmlChar *f = xmlGetProp(g, BAD_CAST "field");
                    draft_gap(d, "assessment", (const char *)f);
                    xmlFree(f);
                }
    }
    cd_arena_free(a);
    if (rc) {
        xmlFreeDoc(doc);
        return rc;
    }
    *out = doc;
    return CD_OK;
}
