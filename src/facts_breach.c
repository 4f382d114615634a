/* facts_breach.c -- the breach pack's own part of the data document
 * (<pack>, docs/facts.md): what a legal proceedings officer puts before the
 * court. The allegation for each failure laid (the failure that made breach
 * action due and any later ones not yet answered, plus earlier ones never
 * answered), in legal form with the statute from the order's rule profile;
 * the failures already answered by a warning or an earlier breach, apart,
 * with what answered them; each warning read against the failure it answers;
 * the exhibits, named by the officer's initials and a number; and the
 * responsible officer's witness statement (section 9 Criminal Justice Act
 * 1967, Criminal Procedure Rules Part 16): a narrative drawn from the
 * records, then the officer's own words from a breach-statement note dated
 * on or after the failure the breach is about. What the pack lacks is a
 * gap of the document (document/gap), which makes it a DRAFT.
 *
 * Wording follows the record each failure rests on: a missed appointment
 * is a failure to attend, a missed test is a missed test, a refusal a
 * refusal. Counting is the rules module's (cd_rules_enforcement); this file
 * chooses, arranges and words. Text is built on the heap (cd_strbuf): no
 * case data is ever cut short.
 */
#include "facts.h"
#include "rules.h"
#include "words.h"
#include "strbuf.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    xmlNodePtr pack, docnode, warnings;
    const cd_case *c;
    const cd_profile *p;
    cd_date date;
    cd_arena *a;
    cd_enforcement e;
    bool *laid;                    /* per e.failures[i] */
    const char **exhibit_of;       /* per e.failures[i]: its record's exhibit, or NULL */
    const char *initials;
    const char *name, *pronoun;
    int nexhibits;
} pack_ctx;

/* ---- small writers ------------------------------------------------------- */

/* "5 October 2026" into the arena. */
static const char *prose_date(pack_ctx *x, cd_date d)
{
    char b[32];
    cd_date_format_long(d, b, sizeof b);
    return cd_arena_strdup(x->a, b);
}

/* Ends the sentence in b with a full stop unless it already ends with
 * one (or with ! ? or a closing quote after one). */
static void end_sentence(cd_strbuf *b)
{
    size_t k = b->len;
    while (k && b->s[k - 1] == ' ')
        k--;
    b->s[k] = '\0';
    b->len = k;
    const char *e = b->s + k;
    if (k >= 4 && !strcmp(e - 3, "\u201d") )
        e -= 3;                                   /* look inside a closing quote */
    if (e > b->s && (e[-1] == '.' || e[-1] == '!' || e[-1] == '?'))
        return;
    cd_strbuf_add(b, ".");
}

/* Joins items with ", " and a final " and ". */
static void add_joined(cd_strbuf *b, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            cd_strbuf_add(b, i + 1 == n ? " and " : ", ");
        cd_strbuf_add(b, items[i]);
    }
}

static const char *done(pack_ctx *x, cd_strbuf *b)
{
    const char *s = cd_arena_strdup(x->a, cd_strbuf_str(b));
    cd_strbuf_free(b);
    return s;
}

/* ---- what happened, by the record it rests on ------------------------------ */

/* One record of a failure in words, in the past tense without a subject
 * ("failed to attend a probation appointment at 10:00 with Sam Okafor";
 * "missed a urine drug test (no sample was provided)"). A missed test is
 * never called a failure to attend. */
static const char *appointment_act(pack_ctx *x, const cd_appointment *ap)
{
    cd_strbuf b = CD_STRBUF_INIT;
    if (ap->kind == CD_APPT_OTHER)
        cd_strbuf_add(&b, "failed to attend an appointment");
    else
        cd_strbuf_printf(&b, "failed to attend a %s appointment", cd_enum_label(CD_ENUM_APPT_KIND, (int)ap->kind));
    if (ap->time != CD_TIME_NONE)
        cd_strbuf_printf(&b, " at %02d:%02d", ap->time / 60, ap->time % 60);
    if (ap->with)
        cd_strbuf_printf(&b, " with %s", ap->with);
    return done(x, &b);
}

static const char *test_act(pack_ctx *x, const cd_drug_test *t)
{
    const char *method = cd_enum_label(CD_ENUM_TEST_METHOD, (int)t->method);
    switch (t->status) {
    case CD_TEST_MISSED:
        return cd_arena_printf(x->a, "missed a %s drug test (no sample was provided)", method);
    case CD_TEST_REFUSED:
        return cd_arena_printf(x->a, "refused to provide a %s sample for a drug test", method);
    case CD_TEST_ADULTERATED:
        return cd_arena_printf(x->a, "provided a %s sample for a drug test that had been adulterated", method);
    case CD_TEST_SUBSTITUTED:
        return cd_arena_printf(x->a, "provided a substituted %s sample for a drug test", method);
    default:
        return cd_arena_printf(x->a, "gave a %s sample recorded as %s", method,
                               cd_enum_label(CD_ENUM_TEST_STATUS, (int)t->status));
    }
}

/* A failure decision in words, from the tests it names: "missed 2 drug
 * tests (no sample was provided), which the supervising officer decided on
 * 20 August 2026 was a failure to comply"; positive results likewise. */
static const char *decision_act(pack_ctx *x, const cd_failure *f)
{
    int missed = 0, positive = 0;
    for (size_t i = 0; i < f->ntests; i++) {
        const cd_drug_test *t = f->tests[i];
        bool pos = false;
        for (size_t r = 0; r < t->nresults; r++)
            pos |= t->results[r].outcome == CD_RESULT_POSITIVE && !t->results[r].prescribed;
        missed += t->status == CD_TEST_MISSED;
        positive += pos;
    }
    cd_strbuf b = CD_STRBUF_INIT;
    if (missed && !positive)
        cd_strbuf_printf(&b, "missed %s (no sample was provided), which ", missed == 1 ? "a drug test" :
                         cd_arena_printf(x->a, "%d drug tests", missed));
    else if (positive && !missed)
        cd_strbuf_printf(&b, "gave %s, which ", positive == 1 ? "a positive drug test" :
                         cd_arena_printf(x->a, "%d positive drug tests", positive));
    else if (positive && missed)
        cd_strbuf_printf(&b, "missed %d and gave %d positive drug test%s, which ", missed, positive,
                         positive == 1 ? "" : "s");
    if (b.len)
        cd_strbuf_printf(&b, "the supervising officer decided on %s was a failure to comply",
                         prose_date(x, f->decision->date));
    else
        cd_strbuf_printf(&b, "failed to comply, as the supervising officer decided on %s",
                         prose_date(x, f->decision->date));
    return done(x, &b);
}

/* Every record of f in words, joined. */
static const char *failure_acts(pack_ctx *x, const cd_failure *f)
{
    size_t n = f->nappointments + f->ntests + 1, k = 0;
    const char **acts = cd_arena_alloc(x->a, n * sizeof *acts);
    if (f->decision) {
        acts[k++] = decision_act(x, f);
    } else {
        for (size_t i = 0; i < f->nappointments; i++)
            acts[k++] = appointment_act(x, f->appointments[i]);
        for (size_t i = 0; i < f->ntests; i++)
            acts[k++] = test_act(x, f->tests[i]);
    }
    cd_strbuf b = CD_STRBUF_INIT;
    add_joined(&b, acts, k);
    return done(x, &b);
}

/* The requirement(s) a failure breaches, from the profile by record kind. */
static const char *failure_requirement(pack_ctx *x, const cd_failure *f)
{
    bool contact = false, treatment = false, testing = f->decision || f->ntests > 0;
    for (size_t i = 0; i < f->nappointments; i++) {
        cd_appt_kind k = f->appointments[i]->kind;
        if (k == CD_APPT_PROBATION || k == CD_APPT_OTHER)
            contact = true;
        else if (k == CD_APPT_TESTING)
            testing = true;
        else
            treatment = true;
    }
    const char *items[3];
    size_t n = 0;
    if (contact)
        items[n++] = x->p->requirement_contact;
    if (treatment)
        items[n++] = x->p->requirement_treatment;
    if (testing)
        items[n++] = x->p->requirement_testing;
    cd_strbuf b = CD_STRBUF_INIT;
    add_joined(&b, items, n);
    return done(x, &b);
}

/* The reasons recorded for f's appointments, as one sentence, or NULL. */
static const char *failure_reasons(pack_ctx *x, const cd_failure *f)
{
    cd_strbuf b = CD_STRBUF_INIT;
    for (size_t i = 0; i < f->nappointments; i++)
        if (f->appointments[i]->reason) {
            if (b.len)
                cd_strbuf_add(&b, " ");
            cd_strbuf_add(&b, f->appointments[i]->reason);
        }
    if (!b.len) {
        cd_strbuf_free(&b);
        return NULL;
    }
    return done(x, &b);
}

static const char *failure_ids(pack_ctx *x, const cd_failure *f)
{
    cd_strbuf b = CD_STRBUF_INIT;
    for (size_t i = 0; i < f->nappointments; i++)
        cd_strbuf_printf(&b, "%s%s", b.len ? " " : "", f->appointments[i]->id ? f->appointments[i]->id : "");
    for (size_t i = 0; i < f->ntests; i++)
        cd_strbuf_printf(&b, "%s%s", b.len ? " " : "", f->tests[i]->id ? f->tests[i]->id : "");
    if (f->decision)
        cd_strbuf_printf(&b, "%s%s", b.len ? " " : "", f->decision->id ? f->decision->id : "");
    return done(x, &b);
}

/* ---- who -------------------------------------------------------------------- */

/* The officer's initials for exhibit names: the first letter of each word of
 * the name ("Sam Okafor" -> "SO"); "RO" (responsible officer) when none. */
static const char *initials_of(pack_ctx *x, const char *name)
{
    cd_strbuf b = CD_STRBUF_INIT;
    for (const char *p = name ? name : ""; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = 1;                      /* one UTF-8 character */
        while ((p[len] & 0xC0) == 0x80)
            len++;
        char ch = *p;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (len == 1)
            cd_strbuf_addc(&b, ch);
        else
            cd_strbuf_addn(&b, p, len);
        while (*p && *p != ' ')
            p++;
    }
    if (!b.len)
        cd_strbuf_add(&b, "RO");
    return done(x, &b);
}

static const char *new_exhibit(pack_ctx *x, const char *kind, const char *title, cd_date date,
                               const char *records, const char *text)
{
    const char *ref = cd_arena_printf(x->a, "%s/%d", x->initials, ++x->nexhibits);
    xmlNodePtr n = xmlNewTextChild(x->pack, NULL, BAD_CAST "exhibit", BAD_CAST text);
    cd_facts_attr(n, "ref", ref);
    cd_facts_attr_int(n, "n", x->nexhibits);
    cd_facts_attr(n, "kind", kind);
    cd_facts_attr(n, "title", title);
    cd_facts_attr_date(n, "date", date);
    cd_facts_attr(n, "records", records);
    return ref;
}

/* A part the pack lacks: the document is a DRAFT listing it on page 1. */
static void gap(pack_ctx *x, const char *part, const char *what)
{
    cd_facts_draft_gap(x->docnode, part, what);
}

/* ---- the parts ----------------------------------------------------------------- */

static bool warning_answers(const cd_failure *f, const cd_warning *w)
{
    for (size_t i = 0; i < f->nwarnings; i++)
        if (f->warnings[i] == w)
            return true;
    return false;
}

static bool warning_live(const pack_ctx *x, const cd_warning *w)
{
    return w->date <= x->date && cd_rules_in_window(w->date, x->date, x->p->window_days) &&
           (x->e.spent_before == CD_DATE_NONE || w->date > x->e.spent_before);
}

/* Warnings in the window, each read against the failures it answers and
 * given an exhibit; returns nothing, writes <warning> and <exhibit>. */
static void put_warnings(pack_ctx *x, const char **warning_exhibit)
{
    const cd_case *c = x->c;
    for (size_t i = 0; i < c->nwarnings; i++) {
        const cd_warning *w = &c->warnings[i];
        if (!warning_live(x, w))
            continue;
        const cd_failure **answers = cd_arena_alloc(x->a, (x->e.nfailures + 1) * sizeof *answers);
        size_t na = 0;
        for (size_t k = 0; k < x->e.nfailures; k++)
            if (warning_answers(&x->e.failures[k], w))
                answers[na++] = &x->e.failures[k];
        cd_warning_match m = cd_rules_warning_match(w, answers, na, x->e.failures, x->e.nfailures);
        const char *wd = prose_date(x, w->date);
        warning_exhibit[i] = new_exhibit(x, "warning", cd_arena_printf(x->a, "Warning letter of %s", wd),
                                         w->date, w->id, w->text);
        xmlNodePtr n = xmlNewTextChild(x->pack, NULL, BAD_CAST "warning", BAD_CAST w->text);
        cd_facts_attr(n, "id", w->id);
        cd_facts_attr_date(n, "date", w->date);
        cd_facts_attr(n, "exhibit", warning_exhibit[i]);
        cd_warning_check chk = cd_rules_warning_check(c, w);
        cd_facts_attr(n, "circumstances", chk.circumstances ? "true" : "false");
        cd_facts_attr(n, "unacceptable", chk.unacceptable ? "true" : "false");
        cd_facts_attr(n, "consequence", chk.court_warning ? "true" : "false");
        cd_facts_attr(n, "complete", chk.circumstances && chk.unacceptable && chk.court_warning ? "true" : "false");
        cd_facts_attr(n, "matches", m.matches ? "true" : "false");
        cd_facts_attr(n, "gives-date", m.gives_date ? "true" : "false");
        cd_strbuf what = CD_STRBUF_INIT;
        for (size_t k = 0; k < na; k++) {
            if (k)
                cd_strbuf_add(&what, "; ");
            cd_strbuf_printf(&what, "on %s %s %s", prose_date(x, answers[k]->date), x->pronoun,
                             failure_acts(x, answers[k]));
        }
        cd_facts_attr(n, "answers-what", what.len ? cd_strbuf_str(&what) : NULL);
        cd_strbuf_free(&what);
        if (na)
            cd_facts_attr_date(n, "answers-date", answers[0]->date);
        const char *problem = NULL;
        switch (m.problem) {
        case CD_WMATCH_NO_FAILURE:
            problem = "it names no failure on record";
            break;
        case CD_WMATCH_OTHER_DATE:
            problem = cd_arena_printf(x->a, "it gives the date %s, not the date of the failure it answers (%s)",
                                      prose_date(x, m.other_date), prose_date(x, answers[0]->date));
            break;
        case CD_WMATCH_OTHER_KIND:
            problem = m.sorts & CD_WSORT_APPOINTMENT
                ? "it describes a drug test, but the failure it answers is a missed appointment"
                : m.sorts & CD_WSORT_MISSED_TEST
                ? "it describes a failure to attend, but the failure it answers is a missed drug test"
                : "it describes a failure to attend, but the failure it answers is about a drug test sample";
            break;
        case CD_WMATCH_OK:
            break;
        }
        cd_facts_attr(n, "problem", problem);
        if (problem) {
            char d[11];
            cd_date_format_iso(w->date, d);
            xmlNewTextChild(x->warnings, NULL, BAD_CAST "warning",
                            BAD_CAST cd_arena_printf(x->a, "the warning of %s (record %s) describes a "
                                                     "different failure: %s", d, w->id ? w->id : "-", problem));
        }
    }
}

/* What answered a failure that is not laid, in words. */
static const char *answered_by(pack_ctx *x, const cd_failure *f, const char **warning_exhibit)
{
    cd_strbuf b = CD_STRBUF_INIT;
    cd_failure_status st = cd_rules_failure_status(&x->e, f);
    for (size_t i = 0; i < f->nbreaches; i++) {
        const cd_breach *br = f->breaches[i];
        if (br->initiated > x->date)
            continue;
        cd_strbuf_printf(&b, "%sbreach proceedings begun on %s", b.len ? "; " : "", prose_date(x, br->initiated));
        if (br->heard != CD_DATE_NONE && br->heard <= x->date)
            cd_strbuf_printf(&b, ", heard on %s (%s)", prose_date(x, br->heard),
                             cd_enum_label(CD_ENUM_BREACH_OUTCOME, (int)br->outcome));
    }
    for (size_t i = 0; i < f->nwarnings; i++) {
        const cd_warning *w = f->warnings[i];
        if (w->date > x->date)
            continue;
        size_t wi = (size_t)(w - x->c->warnings);
        cd_strbuf_printf(&b, "%sa warning given on %s", b.len ? "; " : "", prose_date(x, w->date));
        if (warning_exhibit[wi])
            cd_strbuf_printf(&b, " (exhibit %s)", warning_exhibit[wi]);
    }
    if (!b.len) {
        if (st == CD_FSTATUS_SPENT)
            cd_strbuf_add(&b, "dealt with by the court in earlier breach proceedings");
        else if (!f->in_window)
            cd_strbuf_add(&b, "no action recorded; more than 12 months before the pack");
        else
            cd_strbuf_add(&b, "no action recorded");
    }
    return done(x, &b);
}

static void put_allegations_and_history(pack_ctx *x, const char **warning_exhibit)
{
    int n = 0;
    for (size_t i = 0; i < x->e.nfailures; i++) {
        const cd_failure *f = &x->e.failures[i];
        xmlNodePtr a;
        if (x->laid[i]) {
            a = xmlNewChild(x->pack, NULL, BAD_CAST "allegation", NULL);
            cd_facts_attr_int(a, "n", ++n);
            cd_facts_attr(a, "requirement", failure_requirement(x, f));
            cd_facts_attr(a, "exhibit", x->exhibit_of[i]);
            cd_facts_attr(a, "trigger", f == x->e.trigger ? "true" : "false");
        } else {
            a = xmlNewChild(x->pack, NULL, BAD_CAST "history", NULL);
            cd_facts_attr(a, "answered-by", answered_by(x, f, warning_exhibit));
            cd_facts_attr(a, "in-window", f->in_window ? "true" : "false");
        }
        cd_facts_attr(a, "failure", cd_failure_first_id(f));
        cd_facts_attr(a, "records", failure_ids(x, f));
        cd_facts_attr_date(a, "date", f->date);
        cd_facts_attr(a, "kind", cd_failure_kind_name(f->kind));
        cd_facts_attr(a, "what", failure_acts(x, f));
        cd_facts_attr(a, "reason", failure_reasons(x, f));
        if (f->decision)
            cd_facts_attr(a, "decision", f->decision->text);
    }
    cd_facts_attr_int(x->pack, "laid", n);
}

/* The statement's narrative, one <para> per paragraph. */
static void put_narrative(pack_ctx *x, xmlNodePtr st, const char *order_exhibit, const char **warning_exhibit,
                          const char *contacts_exhibit)
{
    const cd_case *c = x->c;
    const cd_order *o = &c->order;
    const cd_staff *om = cd_case_staff(c, "offender-manager");
    cd_strbuf b = CD_STRBUF_INIT;
#define PARA() do { xmlNewTextChild(st, NULL, BAD_CAST "para", BAD_CAST cd_strbuf_str(&b)); cd_strbuf_reset(&b); } while (0)
    cd_strbuf_add(&b, "I am a probation officer");
    if (om && om->organisation)
        cd_strbuf_printf(&b, " with %s", om->organisation);
    cd_strbuf_printf(&b, ". I am the responsible officer for %s", x->name);
    if (c->person.date_of_birth != CD_DATE_NONE)
        cd_strbuf_printf(&b, ", born on %s", prose_date(x, c->person.date_of_birth));
    cd_strbuf_add(&b, ". I make this statement from my own knowledge and from the case records kept "
                      "of the order, which I produce as exhibits.");
    PARA();

    cd_strbuf_printf(&b, "On %s %s made %s subject to a %s for %d months", prose_date(x, o->made),
                     o->court ? o->court : "the court", x->name,
                     o->type == CD_ORDER_DTTO ? "drug treatment and testing order"
                                              : "community order with a drug rehabilitation requirement",
                     o->months);
    if (o->nrequirements) {
        cd_strbuf_add(&b, ", with these requirements: ");
        add_joined(&b, o->requirements, o->nrequirements);
    }
    cd_strbuf_printf(&b, ". I produce the order as exhibit %s.", order_exhibit);
    PARA();

    for (size_t i = 0; i < c->nwarnings; i++) {
        const cd_warning *w = &c->warnings[i];
        if (!warning_exhibit[i])
            continue;
        cd_strbuf_printf(&b, "On %s %s was given a written warning (exhibit %s)", prose_date(x, w->date),
                         x->name, warning_exhibit[i]);
        size_t na = 0;
        for (size_t k = 0; k < x->e.nfailures; k++)
            if (warning_answers(&x->e.failures[k], w)) {
                const cd_failure *f = &x->e.failures[k];
                cd_strbuf_printf(&b, "%s on %s, when %s %s", na++ ? " and for the failure" : " for the failure",
                                 prose_date(x, f->date), x->pronoun, failure_acts(x, f));
            }
        if (w->text)
            cd_strbuf_printf(&b, ". It said: \u201c%s\u201d", w->text);
        else
            cd_strbuf_add(&b, ". Its text is not recorded.");
        end_sentence(&b);
        PARA();
    }

    for (size_t i = 0; i < x->e.nfailures; i++) {
        if (!x->laid[i])
            continue;
        const cd_failure *f = &x->e.failures[i];
        cd_strbuf_printf(&b, "On %s %s %s, and so failed to comply with %s", prose_date(x, f->date), x->name,
                         failure_acts(x, f), failure_requirement(x, f));
        const char *why = failure_reasons(x, f);
        if (why)
            {
            cd_strbuf_printf(&b, ". The reason recorded was: \u201c%s\u201d", why);
            end_sentence(&b);
            cd_strbuf_add(&b, " ");
        }
        else if (!f->decision)
            cd_strbuf_add(&b, ". No reason was given. ");
        else
            cd_strbuf_add(&b, ". ");
        cd_strbuf_printf(&b, "The record of this is exhibit %s.", x->exhibit_of[i]);
        if (f == x->e.trigger)
            cd_strbuf_printf(&b, " Under the %s this failure required breach action: %s.", x->p->title,
                             x->p->breach_rule == CD_BREACH_RULE_FAILURE_AFTER_WARNING
                                 ? "a failure within 12 months of an earlier warning"
                                 : "a second unacceptable failure within 12 months");
        PARA();
    }

    size_t nattempts = 0;
    for (size_t i = 0; i < c->nnotes; i++) {
        const cd_note *nt = &c->notes[i];
        if (nt->kind != CD_NOTE_CONTACT_ATTEMPT || nt->date > x->date ||
            !cd_rules_in_window(nt->date, x->date, x->p->window_days))
            continue;
        if (nattempts++ == 0)
            cd_strbuf_printf(&b, "The records show these attempts to contact %s.", x->name);
        cd_strbuf_printf(&b, " On %s%s%s: %s", prose_date(x, nt->date), nt->author ? ", " : "",
                         nt->author ? nt->author : "", nt->text ? nt->text : "");
        end_sentence(&b);
    }
    if (nattempts)
        cd_strbuf_printf(&b, " The record of these attempts is exhibit %s.", contacts_exhibit);
    else
        cd_strbuf_printf(&b, "No attempt to contact %s after the failures is recorded.", x->name);
    PARA();
#undef PARA
    cd_strbuf_free(&b);
}

void cd_facts_put_breach_pack(xmlNodePtr root, xmlNodePtr docnode, xmlNodePtr warnings, const cd_case *c,
                              const cd_profile *p, cd_date date, cd_arena *a)
{
    pack_ctx x = { .docnode = docnode, .warnings = warnings, .c = c, .p = p, .date = date, .a = a };
    x.e = cd_rules_enforcement(c, p, date, a);
    x.pack = xmlNewChild(root, NULL, BAD_CAST "pack", NULL);
    x.name = cd_person_full_name(c);
    x.pronoun = c->person.sex == CD_SEX_MALE ? "he" : c->person.sex == CD_SEX_FEMALE ? "she" : "they";
    const cd_staff *om = cd_case_staff(c, "offender-manager");
    x.initials = initials_of(&x, om ? om->name : NULL);
    cd_facts_attr(x.pack, "statute", p->breach_statute);
    cd_facts_attr(x.pack, "initials", x.initials);
    cd_facts_attr(x.pack, "pronoun", x.pronoun);

    /* The failures laid: the trigger, and every live failure in the window
     * that nothing has answered (earlier ones never put to the offender
     * included); the rest are history. */
    size_t nf = x.e.nfailures;
    x.laid = cd_arena_alloc(a, (nf + 1) * sizeof *x.laid);
    x.exhibit_of = cd_arena_alloc(a, (nf + 1) * sizeof *x.exhibit_of);
    cd_date first_laid = CD_DATE_NONE;
    for (size_t i = 0; i < nf; i++) {
        const cd_failure *f = &x.e.failures[i];
        x.laid[i] = f == x.e.trigger ||
                    (f->in_window && cd_rules_failure_status(&x.e, f) == CD_FSTATUS_UNANSWERED);
        if (x.laid[i] && first_laid == CD_DATE_NONE)
            first_laid = f->date;
    }
    /* the statement must be dated on or after the failure the breach is about */
    cd_date since = x.e.trigger ? x.e.trigger->date : first_laid;

    /* exhibits: the order, the warnings, each failure's record, the contacts */
    const cd_order *o = &c->order;
    const char *order_exhibit = new_exhibit(&x, "order", cd_arena_printf(a, "The order made on %s%s%s",
                                            prose_date(&x, o->made), o->court ? " by " : "",
                                            o->court ? o->court : ""), o->made, o->id, NULL);
    const char **warning_exhibit = cd_arena_alloc(a, (c->nwarnings + 1) * sizeof *warning_exhibit);
    put_warnings(&x, warning_exhibit);
    for (size_t i = 0; i < nf; i++) {
        if (!x.laid[i])
            continue;
        const cd_failure *f = &x.e.failures[i];
        const char *title = f->decision ? cd_arena_printf(a, "The failure decision of %s", prose_date(&x, f->date))
                          : cd_arena_printf(a, "The %s record of %s", f->nappointments && f->ntests
                                            ? "appointment and drug test" : f->nappointments
                                            ? "appointment" : "drug test", prose_date(&x, f->date));
        cd_strbuf t = CD_STRBUF_INIT;
        cd_strbuf_printf(&t, "%s %s", x.pronoun, failure_acts(&x, f));
        t.s[0] = (char)(t.s[0] - 'a' + 'A');
        const char *why = failure_reasons(&x, f);
        if (why)
            cd_strbuf_printf(&t, ". Reason given: %s", why);
        if (f->decision && f->decision->text)
            cd_strbuf_printf(&t, ". Decision: %s", f->decision->text);
        end_sentence(&t);
        x.exhibit_of[i] = new_exhibit(&x, "record", title, f->date, failure_ids(&x, f), cd_strbuf_str(&t));
        cd_strbuf_free(&t);
    }
    const char *contacts_exhibit = NULL;
    int nattempts = 0;
    cd_strbuf ct = CD_STRBUF_INIT, cids = CD_STRBUF_INIT;
    for (size_t i = 0; i < c->nnotes; i++) {
        const cd_note *nt = &c->notes[i];
        if (nt->kind != CD_NOTE_CONTACT_ATTEMPT || nt->date > date || !cd_rules_in_window(nt->date, date, p->window_days))
            continue;
        char d[11];
        cd_date_format_iso(nt->date, d);
        cd_strbuf_printf(&ct, "%s%s%s%s: %s", ct.len ? "\n" : "", d, nt->author ? ", " : "",
                         nt->author ? nt->author : "", nt->text ? nt->text : "");
        if (nt->id)
            cd_strbuf_printf(&cids, "%s%s", cids.len ? " " : "", nt->id);
        nattempts++;
    }
    if (nattempts)
        contacts_exhibit = new_exhibit(&x, "contacts", cd_arena_printf(a, "The record of %s",
                                       cd_words_count(a, nattempts, "contact attempt", NULL, NULL)), CD_DATE_NONE,
                                       cids.len ? cids.s : NULL, ct.s);
    cd_strbuf_free(&ct);
    cd_strbuf_free(&cids);
    cd_facts_attr_int(x.pack, "exhibits", x.nexhibits);

    put_allegations_and_history(&x, warning_exhibit);

    /* the witness statement */
    xmlNodePtr st = xmlNewChild(x.pack, NULL, BAD_CAST "statement", NULL);
    cd_facts_attr(st, "maker", om ? om->name : NULL);
    cd_facts_attr(st, "occupation", "Probation officer");
    cd_facts_attr(st, "organisation", om ? om->organisation : NULL);
    cd_facts_attr(st, "age", "Over 18");
    cd_facts_attr_date(st, "needed-from", since);
    put_narrative(&x, st, order_exhibit, warning_exhibit, contacts_exhibit);
    const cd_note *note = NULL;
    for (size_t i = 0; i < c->nnotes; i++)
        if (c->notes[i].kind == CD_NOTE_BREACH_STATEMENT && c->notes[i].date <= date)
            note = &c->notes[i];            /* notes are sorted by date: the latest */
    bool stale = note && since != CD_DATE_NONE && note->date < since;
    if (note && !stale) {
        xmlNodePtr w = xmlNewTextChild(st, NULL, BAD_CAST "own-words", BAD_CAST note->text);
        cd_facts_attr_date(w, "date", note->date);
        cd_facts_attr(w, "author", note->author);
        cd_facts_attr_date(st, "date", note->date);
    }
    cd_facts_attr(st, "usable", note && !stale ? "true" : "false");

    /* what the pack lacks */
    if (!om || !om->name)
        gap(&x, "officer", "the name of the responsible officer, who makes the witness statement");
    if (!o->court)
        gap(&x, "court", "the court that made the order, which every allegation names");
    if (stale) {
        cd_facts_attr_date(st, "stale-note", note->date);
        gap(&x, "statement", cd_arena_printf(a, "the officer's witness statement: the latest statement on record is dated %s, "
                                "before the failure of %s that this breach is about, so it belongs to an "
                                "earlier breach and is not used. A new statement, dated on or after %s, is needed",
                                prose_date(&x, note->date), prose_date(&x, since), prose_date(&x, since)));
        char d[11];
        cd_date_format_iso(note->date, d);
        xmlNewTextChild(warnings, NULL, BAD_CAST "warning",
                        BAD_CAST cd_arena_printf(a, "the breach statement of %s is dated before the failure "
                                                 "this breach is about and is not used: the pack is a DRAFT "
                                                 "until a new one is added", d));
    } else if (!note) {
        gap(&x, "statement", since != CD_DATE_NONE
                    ? cd_arena_printf(a, "the officer's witness statement (a breach statement dated on or after %s)",
                                      prose_date(&x, since))
                    : "the officer's witness statement (a breach statement)");
    }
}
