/* facts_summary.c -- the data document of the caseload summary: the
 * aggregated picture of a probation area's drug treatment orders for a
 * period, for sentencers and managers.
 *
 * Every per-case decision comes from the rules module (completion, age
 * band, first contacts, week records, monthly test counts, failures); this
 * file only selects the cases (orders in force during the period, filtered
 * by court and team), adds the figures up and arranges them, broken down by
 * sex, age band and ethnicity. Like every document, the summary uses each
 * case as the rules give it for the document's date, the end of the period
 * (cd_rules_case_as_of): no record dated after the case's export date, and
 * an order ended or a breach heard after it is not yet ended or heard.
 *
 * Disclosure control: a group of fewer than 5 people is shown as "<5" and
 * none of its figures are shown; when exactly one group of a breakdown is
 * suppressed, the next smallest is suppressed too, so that the hidden group
 * cannot be recovered by subtracting the others from the total. That second
 * group is marked as hidden to protect the first (reason="complement"),
 * never "<5", which would be false for a group of 5 or more. The same
 * applies to counts of people inside a group (terminations, breaches): a
 * count of 1 to 4 prints "<5", and a rate of people (completion, first
 * contacts, breaches per 100) is not shown when its count, its base or the
 * difference between them is 1 to 4.
 */
#include "facts.h"
#include "rules.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUPPRESS_BELOW 5

/* Running totals for one group (or the whole caseload). */
typedef struct {
    const char *label;                   /* group label (static or strdup'd into names) */
    int people;                          /* orders in force in the period */
    int commenced, terminated, completed;
    int reasons[CD_END_OTHER + 1];
    int first_base, first_met;           /* commenced orders whose first contacts are known */
    int weeks_assessed, weeks_contact_met;
    int weeks_tested, weeks_testing_met;
    int tests_base, tests_negative;      /* opiates and cocaine results in the period */
    int breaches;
    int breach_outcomes[CD_BREACH_WITHDRAWN + 1];
    int suppressed;                      /* 0 shown; SMALL (under 5); COMPLEMENT (hidden to
                                            protect a small group) */
} tally;

enum { SMALL = 1, COMPLEMENT = 2 };

typedef struct { tally *g; size_t n, cap; } group_list;

/* The group called label in l (added when new). */
static tally *group(group_list *l, const char *label)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->g[i].label, label) == 0)
            return &l->g[i];
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        tally *ng = realloc(l->g, ncap * sizeof *ng);
        if (!ng)
            return NULL;
        l->g = ng;
        l->cap = ncap;
    }
    tally *t = &l->g[l->n++];
    memset(t, 0, sizeof *t);
    t->label = label;
    return t;
}

static void add(tally *to, const tally *from)
{
    to->people += from->people;
    to->commenced += from->commenced;
    to->terminated += from->terminated;
    to->completed += from->completed;
    for (int i = 0; i <= CD_END_OTHER; i++)
        to->reasons[i] += from->reasons[i];
    to->first_base += from->first_base;
    to->first_met += from->first_met;
    to->weeks_assessed += from->weeks_assessed;
    to->weeks_contact_met += from->weeks_contact_met;
    to->weeks_tested += from->weeks_tested;
    to->weeks_testing_met += from->weeks_testing_met;
    to->tests_base += from->tests_base;
    to->tests_negative += from->tests_negative;
    to->breaches += from->breaches;
    for (int i = 0; i <= CD_BREACH_WITHDRAWN; i++)
        to->breach_outcomes[i] += from->breach_outcomes[i];
}

/* Months on the order shown separately; later months are pooled. */
#define SUMMARY_MONTHS 12
static const cd_substance MAIN_SUBSTANCES[] = { CD_SUB_OPIATES, CD_SUB_COCAINE };

/* ---- per case ------------------------------------------------------------ */

/* The figures one case adds, for [from, to]. */
static void tally_case(const cd_case *c, cd_date from, cd_date to, cd_arena *a, tally *t,
                       cd_substance_counts months[SUMMARY_MONTHS + 1][CD_NSUBSTANCES])
{
    const cd_order *o = &c->order;
    const cd_profile *p = cd_profile_for_order(o);
    cd_date end = cd_order_end(o);
    t->people = 1;
    if (o->made >= from && o->made <= to) {
        t->commenced = 1;
        cd_first_contacts fc = cd_rules_first_contacts(c, p);
        cd_date by = cd_cal_add_working_days(o->made, p->first_contact_treatment_wd);
        /* known: both contacts made, or the time for them has passed */
        if ((fc.probation != CD_DATE_NONE && fc.treatment != CD_DATE_NONE) || by <= to) {
            t->first_base = 1;
            t->first_met = fc.probation_met && fc.treatment_met;
        }
    }
    if (o->ended != CD_DATE_NONE && o->ended >= from && o->ended <= to) {
        t->terminated = 1;
        t->reasons[o->end_reason]++;
        t->completed = cd_order_completed(c);
    }
    cd_date wto = to < end ? to : end;
    cd_week_record *w = NULL;
    size_t nw = 0;
    cd_rules_weeks(c, p, from > o->made ? from : o->made, wto, to, a, &w, &nw);
    for (size_t i = 0; i < nw; i++) {
        if (!w[i].full || !w[i].complete || w[i].start < from)
            continue;
        t->weeks_assessed++;
        t->weeks_contact_met += w[i].contact_met;
        if (w[i].tests_required > 0) {
            t->weeks_tested++;
            t->weeks_testing_met += w[i].testing_met;
        }
    }
    cd_test_summary ts = cd_rules_tests(c, p, from, to, to);
    for (size_t k = 0; k < sizeof MAIN_SUBSTANCES / sizeof MAIN_SUBSTANCES[0]; k++) {
        t->tests_base += ts.sub[MAIN_SUBSTANCES[k]].base;
        t->tests_negative += ts.sub[MAIN_SUBSTANCES[k]].negative;
    }
    for (size_t i = 0; i < c->nbreaches; i++) {
        const cd_breach *b = &c->breaches[i];
        if (b->initiated >= from && b->initiated <= to) {
            t->breaches++;
            t->breach_outcomes[b->outcome]++;
        }
    }
    cd_month_tests *m = NULL;
    size_t nm = 0;
    cd_rules_monthly_tests(c, to, a, &m, &nm);
    for (size_t i = 0; i < nm; i++) {
        int slot = m[i].month > SUMMARY_MONTHS ? SUMMARY_MONTHS : m[i].month - 1;
        for (int s = 0; s < CD_NSUBSTANCES; s++) {
            months[slot][s].base += m[i].sub[s].base;
            months[slot][s].negative += m[i].sub[s].negative;
        }
    }
}

/* ---- writing the document --------------------------------------------------- */

static void set_int(xmlNodePtr n, const char *name, long v)
{
    char b[24];
    snprintf(b, sizeof b, "%ld", v);
    xmlNewProp(n, BAD_CAST name, BAD_CAST b);
}

/* A rate num/base as a whole percentage, or absent when base is 0. */
static void set_rate(xmlNodePtr n, const char *name, long num, long base)
{
    if (base > 0)
        set_int(n, name, (long)cd_rules_percent((int)num, (int)base));
}

/* A count of people: "<5" when under the threshold (but not 0). */
static void set_people(xmlNodePtr n, const char *name, int v)
{
    if (v > 0 && v < SUPPRESS_BELOW)
        xmlNewProp(n, BAD_CAST name, BAD_CAST "<5");
    else
        set_int(n, name, v);
}

/* A rate of people num/base may be shown when neither the count, the base
 * nor the rest (base - num) is a small number (1 to 4): otherwise the
 * hidden count could be worked back from it. */
static int rate_safe(int num, int base)
{
    int rest = base - num;
    return base >= SUPPRESS_BELOW && (num == 0 || num >= SUPPRESS_BELOW) &&
           (rest == 0 || rest >= SUPPRESS_BELOW);
}

/* The figures of a tally as attributes. Suppressed groups show only
 * suppressed="true" and the reason: "small" (people="<5") or "complement"
 * (no people at all: the group has 5 or more, hidden so that a small group
 * cannot be worked out from the total). */
static void put_tally(xmlNodePtr n, const tally *t)
{
    if (t->suppressed) {
        if (t->suppressed == SMALL)
            xmlNewProp(n, BAD_CAST "people", BAD_CAST "<5");
        xmlNewProp(n, BAD_CAST "suppressed", BAD_CAST "true");
        xmlNewProp(n, BAD_CAST "reason", BAD_CAST(t->suppressed == SMALL ? "small" : "complement"));
        return;
    }
    set_int(n, "people", t->people);
    set_people(n, "commenced", t->commenced);
    set_people(n, "terminated", t->terminated);
    set_people(n, "completed", t->completed);
    if (rate_safe(t->completed, t->terminated))
        set_rate(n, "completion-rate", t->completed, t->terminated);
    if (rate_safe(t->first_met, t->first_base))
        set_rate(n, "first-contacts-rate", t->first_met, t->first_base);
    set_rate(n, "contact-weeks-rate", t->weeks_contact_met, t->weeks_assessed);
    set_rate(n, "testing-weeks-rate", t->weeks_testing_met, t->weeks_tested);
    set_rate(n, "negative-rate", t->tests_negative, t->tests_base);
    set_int(n, "tests", t->tests_base);
    set_people(n, "breaches", t->breaches);
    if (t->commenced > 0 && (t->breaches == 0 || t->breaches >= SUPPRESS_BELOW) &&
        t->commenced >= SUPPRESS_BELOW)
        set_int(n, "breaches-per-100", (long)(100.0 * t->breaches / t->commenced + 0.5));
    xmlNewProp(n, BAD_CAST "suppressed", BAD_CAST "false");
}

/* Marks groups under the threshold, then the complementary one. */
static void suppress(group_list *l)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->g[i].people < SUPPRESS_BELOW)
            l->g[i].suppressed = SMALL, n++;
    if (n == 1) {
        tally *next = NULL;
        for (size_t i = 0; i < l->n; i++)
            if (!l->g[i].suppressed && (!next || l->g[i].people < next->people))
                next = &l->g[i];
        if (next)
            next->suppressed = next->people < SUPPRESS_BELOW ? SMALL : COMPLEMENT;
    }
}

static int cmp_label(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    int xn = strcmp(x->label, "not recorded") == 0, yn = strcmp(y->label, "not recorded") == 0;
    if (xn != yn)
        return xn - yn;                      /* "not recorded" last */
    return strcmp(x->label, y->label);
}

static void put_breakdown(xmlNodePtr root, const char *by, const char *title, group_list *l, int sort)
{
    if (sort)
        qsort(l->g, l->n, sizeof *l->g, cmp_label);
    suppress(l);
    xmlNodePtr b = xmlNewChild(root, NULL, BAD_CAST "breakdown", NULL);
    xmlNewProp(b, BAD_CAST "by", BAD_CAST by);
    xmlNewProp(b, BAD_CAST "title", BAD_CAST title);
    for (size_t i = 0; i < l->n; i++) {
        xmlNodePtr g = xmlNewChild(b, NULL, BAD_CAST "group", NULL);
        xmlNewProp(g, BAD_CAST "label", BAD_CAST l->g[i].label);
        put_tally(g, &l->g[i]);
    }
}

/* Case-insensitive equality for the court and team filters. */
static int same_text(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

int cd_facts_build_summary(cd_store *s, const cd_render_opts *o, xmlDocPtr *out, cd_error *err)
{
    *out = NULL;
    cd_date today = cd_date_today(), from, to;
    if (o->to) {
        if (!cd_date_parse(o->to, &to))
            return cd_error_set(err, CD_EUSAGE, "--to \"%s\" is not a real date (YYYY-MM-DD)", o->to);
    } else {
        to = today;
    }
    if (o->from) {
        if (!cd_date_parse(o->from, &from))
            return cd_error_set(err, CD_EUSAGE, "--from \"%s\" is not a real date (YYYY-MM-DD)", o->from);
    } else {
        from = cd_date_add_months(to, -12) + 1;
    }
    if (from > to)
        return cd_error_set(err, CD_EUSAGE, "the period starts (%s) after it ends (%s)",
                            o->from ? o->from : "", o->to ? o->to : "today");

    char **refs = NULL;
    size_t nrefs = 0;
    int rc = cd_store_case_refs(s, &refs, &nrefs, err);
    if (rc)
        return rc;

    tally total;
    memset(&total, 0, sizeof total);
    group_list by_sex = { 0 }, by_age = { 0 }, by_eth = { 0 };
    char **eth_names = NULL;
    size_t neth = 0;
    static const char *const AGE_ORDER[] = { "16-17", "18-20", "21-25", "26-35", "36-50", "51+",
                                             CD_AGE_IN_DOUBT, "not recorded" };
    for (size_t i = 0; i < sizeof AGE_ORDER / sizeof AGE_ORDER[0]; i++)
        group(&by_age, AGE_ORDER[i]);
    cd_substance_counts months[SUMMARY_MONTHS + 1][CD_NSUBSTANCES];
    memset(months, 0, sizeof months);
    cd_date records_from = CD_DATE_NONE, records_to = CD_DATE_NONE;  /* earliest, latest cut-off */
    int profiles_used[8] = { 0 };
    size_t nprof = 0;
    const cd_profile *profs = cd_profiles_all(&nprof);

    for (size_t i = 0; i < nrefs && !rc; i++) {
        cd_case *whole = NULL;
        if ((rc = cd_store_load_case(s, refs[i], &whole, err)))
            break;
        cd_arena *a = cd_arena_new();
        if (!a) {
            cd_case_free(whole);
            rc = cd_error_set(err, CD_EGENERAL, "out of memory");
            break;
        }
        /* the case as its records stood at the end of the period */
        const cd_case *c = cd_rules_case_as_of(whole, to, a);
        const cd_order *ord = &c->order;
        int in = ord->present && ord->made <= to && cd_order_end(ord) >= from;
        if (in && o->court && !same_text(ord->court, o->court))
            in = 0;
        if (in && o->team && !same_text(c->team, o->team))
            in = 0;
        if (in) {
            tally t;
            memset(&t, 0, sizeof t);
            tally_case(c, from, to, a, &t, months);
            cd_date cut = cd_case_records_to(c, to);
            if (records_from == CD_DATE_NONE || cut < records_from)
                records_from = cut;
            if (records_to == CD_DATE_NONE || cut > records_to)
                records_to = cut;
            const cd_profile *p = cd_profile_for_order(ord);
            for (size_t k = 0; k < nprof && k < 8; k++)
                if (&profs[k] == p)
                    profiles_used[k] = 1;
            add(&total, &t);
            static const char *const SEX[] = { "not recorded", "female", "male", "other" };
            tally *g = group(&by_sex, SEX[c->person.sex]);
            if (g)
                add(g, &t);
            g = group(&by_age, cd_age_band_for_order(&c->person, ord));
            if (g)
                add(g, &t);
            const char *eth = c->person.ethnicity && *c->person.ethnicity ? c->person.ethnicity
                                                                          : "not recorded";
            size_t k;
            for (k = 0; k < neth && strcmp(eth_names[k], eth) != 0; k++)
                ;
            if (k == neth) {
                char **ne = realloc(eth_names, (neth + 1) * sizeof *ne);
                if (ne) {
                    eth_names = ne;
                    eth_names[neth] = strdup(eth);
                    if (eth_names[neth])
                        neth++;
                }
            }
            if (k < neth && (g = group(&by_eth, eth_names[k])))
                add(g, &t);
        }
        cd_arena_free(a);
        cd_case_free(whole);
    }
    cd_store_free_refs(refs, nrefs);
    if (rc)
        goto done;

    /* drop age bands nobody is in (the fixed order is kept for the rest) */
    size_t kept = 0;
    for (size_t i = 0; i < by_age.n; i++)
        if (by_age.g[i].people > 0)
            by_age.g[kept++] = by_age.g[i];
    by_age.n = kept;

    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "facts", NULL);
    xmlDocSetRootElement(doc, root);
    xmlNodePtr sum = xmlNewChild(root, NULL, BAD_CAST "summary", NULL);
    char f[11], t[11];
    cd_date_format_iso(from, f);
    cd_date_format_iso(to, t);
    xmlNewProp(sum, BAD_CAST "from", BAD_CAST f);
    xmlNewProp(sum, BAD_CAST "to", BAD_CAST t);
    if (records_from != CD_DATE_NONE) {
        char r[11];
        cd_date_format_iso(records_from, r);
        xmlNewProp(sum, BAD_CAST "records-to", BAD_CAST r);
        if (records_to != records_from) {
            cd_date_format_iso(records_to, r);
            xmlNewProp(sum, BAD_CAST "records-to-latest", BAD_CAST r);
        }
    }
    if (o->court)
        xmlNewProp(sum, BAD_CAST "court", BAD_CAST o->court);
    if (o->team)
        xmlNewProp(sum, BAD_CAST "team", BAD_CAST o->team);
    set_int(sum, "suppress-below", SUPPRESS_BELOW);
    for (size_t k = 0; k < nprof && k < 8; k++)
        if (profiles_used[k]) {
            xmlNodePtr pn = xmlNewChild(sum, NULL, BAD_CAST "profile", NULL);
            xmlNewProp(pn, BAD_CAST "name", BAD_CAST profs[k].name);
            xmlNewProp(pn, BAD_CAST "title", BAD_CAST profs[k].title);
        }

    xmlNodePtr tot = xmlNewChild(sum, NULL, BAD_CAST "totals", NULL);
    put_tally(tot, &total);
    set_int(tot, "first-contacts-met", total.first_met);
    set_int(tot, "first-contacts-base", total.first_base);
    set_int(tot, "contact-weeks-met", total.weeks_contact_met);
    set_int(tot, "contact-weeks", total.weeks_assessed);
    set_int(tot, "testing-weeks-met", total.weeks_testing_met);
    set_int(tot, "testing-weeks", total.weeks_tested);
    set_int(tot, "tests-negative", total.tests_negative);

    xmlNodePtr terms = xmlNewChild(sum, NULL, BAD_CAST "terminations", NULL);
    for (int r = CD_END_COMPLETED; r <= CD_END_OTHER; r++) {
        xmlNodePtr rn = xmlNewChild(terms, NULL, BAD_CAST "reason", NULL);
        xmlNewProp(rn, BAD_CAST "name", BAD_CAST cd_enum_name(CD_ENUM_END_REASON, r));
        xmlNewProp(rn, BAD_CAST "label", BAD_CAST cd_enum_label(CD_ENUM_END_REASON, r));
        set_people(rn, "count", total.reasons[r]);
    }
    xmlNodePtr bo = xmlNewChild(sum, NULL, BAD_CAST "breach-outcomes", NULL);
    for (int r = CD_BREACH_PENDING; r <= CD_BREACH_WITHDRAWN; r++) {
        xmlNodePtr rn = xmlNewChild(bo, NULL, BAD_CAST "outcome", NULL);
        xmlNewProp(rn, BAD_CAST "name", BAD_CAST cd_enum_name(CD_ENUM_BREACH_OUTCOME, r));
        xmlNewProp(rn, BAD_CAST "label", BAD_CAST cd_enum_label(CD_ENUM_BREACH_OUTCOME, r));
        set_people(rn, "count", total.breach_outcomes[r]);
    }

    xmlNodePtr tm = xmlNewChild(sum, NULL, BAD_CAST "tests-by-month", NULL);
    for (int m = 0; m <= SUMMARY_MONTHS; m++) {
        xmlNodePtr mn = xmlNewChild(tm, NULL, BAD_CAST "month", NULL);
        char label[8];
        snprintf(label, sizeof label, m == SUMMARY_MONTHS ? "%d+" : "%d", m + 1);
        set_int(mn, "n", m + 1);
        xmlNewProp(mn, BAD_CAST "label", BAD_CAST label);
        for (size_t k = 0; k < sizeof MAIN_SUBSTANCES / sizeof MAIN_SUBSTANCES[0]; k++) {
            const cd_substance_counts *sc = &months[m][MAIN_SUBSTANCES[k]];
            const char *name = cd_enum_name(CD_ENUM_SUBSTANCE, (int)MAIN_SUBSTANCES[k]);
            xmlNodePtr sn = xmlNewChild(mn, NULL, BAD_CAST "substance", NULL);
            xmlNewProp(sn, BAD_CAST "name", BAD_CAST name);
            set_int(sn, "negative", sc->negative);
            set_int(sn, "base", sc->base);
            set_rate(sn, "percent", sc->negative, sc->base);
            set_rate(mn, name, sc->negative, sc->base);   /* for the chart's series */
        }
    }

    put_breakdown(sum, "sex", "sex", &by_sex, 1);
    put_breakdown(sum, "age", "age at the order", &by_age, 0);
    put_breakdown(sum, "ethnicity", "ethnicity", &by_eth, 1);
    *out = doc;

done:
    free(by_sex.g);
    free(by_age.g);
    free(by_eth.g);
    for (size_t k = 0; k < neth; k++)
        free(eth_names[k]);
    free(eth_names);
    return rc;
}
