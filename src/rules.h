/* rules.h -- the National Standard (and the later rule profiles) as pure
 * functions on the case model: order arithmetic, the review schedule,
 * contact and testing per order week, attendance, drug test figures and
 * their trend, unacceptable failures and the 12-month breach window,
 * breach figures for the Sentencing Council guideline, summary helpers.
 *
 * Everything here is pure: no I/O, no SQLite, no libxml2; memory for lists
 * comes from the caller's arena. The figures are the ones every document
 * prints: one concept, one place. docs/rules.md states each rule, the exact
 * convention used, the profile values, and a hand-worked example.
 *
 * Dates are cd_date (days since 1970-01-01); "as_of" is the date a document
 * is written for (records dated after it are ignored where stated).
 */
#ifndef CD_RULES_H
#define CD_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include "courtdocs.h"
#include "model.h"
#include "arena.h"
#include "calendar.h"

/* ---- rule profiles (data: src/profiles.c) ------------------------------ */

typedef enum {
    CD_BREACH_RULE_SECOND_FAILURE_IN_WINDOW,  /* 2nd unacceptable failure within the window */
    CD_BREACH_RULE_FAILURE_AFTER_WARNING      /* a failure within the window after a warning */
} cd_breach_rule;

/* Phase of the order: the first intensive_weeks weeks, or after. */
typedef enum { CD_PHASE_FIRST, CD_PHASE_AFTER } cd_phase;
#define CD_NPHASES 2
#define CD_NINTENSITIES 3          /* indexed by cd_intensity: low, medium, high */

/* The contact standard for one week: at least min_hours (never under) on at
 * least min_days days (0 = no minimum stated); usually usual_hours on
 * usual_days days (0 = no usual figure stated). */
typedef struct {
    double min_hours, usual_hours;
    int min_days, usual_days;
} cd_contact_standard;

/* Thresholds for the proposed compliance band (Sentencing Council breach
 * guideline), as rates 0..1. HIGH: attendance >= high_attendance and share
 * served >= high_served; MEDIUM: attendance >= medium_attendance; LOW:
 * attendance >= low_attendance; otherwise WILFUL_PERSISTENT. Also
 * WILFUL_PERSISTENT whenever failures in the window >= wilful_failures and
 * attendance < wilful_attendance. */
typedef struct {
    double high_attendance, high_served, medium_attendance, low_attendance;
    int wilful_failures;
    double wilful_attendance;
} cd_band_thresholds;

typedef struct cd_profile {
    const char *name;                 /* "dtto-2004" */
    const char *title;                /* "DTTO National Standard 2004" */
    const char *authority;            /* "The National Standard" (starts the breach statement) */
    int contact_weeks;                /* 13: contact's first phase under every profile */
    int intensive_weeks;              /* testing's first phase: 13 (DTTO) or 16 (DRR) */
    cd_contact_standard contact[CD_NINTENSITIES][CD_NPHASES];
    int tests_per_week[CD_NINTENSITIES][CD_NPHASES];
    int window_days;                  /* 365: a failure is in the window when 0 <= as_of - date <= window_days */
    cd_breach_rule breach_rule;
    int enforcement_working_days;     /* enforcement action due within N working days of a failure; 0 = not set */
    int breach_pack_working_days;     /* 10 */
    int warning_reply_days;           /* 7 */
    int review_monthly_months;        /* 4: monthly reviews at made + 1..4 months */
    int review_interval_months;       /* 3: then every 3 months */
    int review_low_first_months;      /* 1: lower intensity reviewed at +1 month, then every interval */
    int review_min_interval_months;   /* drr-2020: 1 (reviews not less than a month apart); 0 = no rule */
    int review_required_over_months;  /* drr-2020: 12 (reviews required when the order is longer); 0 = always proposed */
    int first_contact_probation_wd;   /* 1 working day */
    int first_contact_treatment_wd;   /* 2 working days */
    bool review_needs_provider_and_tests; /* drr-2020 (Sch 9 para 21): a review report without the
                                             provider's view or the test results is a draft */
    cd_band_thresholds band;
    /* The law a breach is brought under (the breach pack's allegations):
     * the statute, and the requirement a failure breaches by the kind of
     * record it rests on. */
    const char *breach_statute;       /* "Powers of Criminal Courts (Sentencing) Act 2000, Schedule 3" */
    const char *requirement_contact;  /* a missed appointment with the responsible officer */
    const char *requirement_treatment;/* a missed appointment with the treatment provider */
    const char *requirement_testing;  /* a test missed, refused or tampered with */
} cd_profile;

/* The profile named name ("dtto-2004", "drr-2005", "drr-2020"), or NULL. */
const cd_profile *cd_profile_find(const char *name);
/* The profile an order runs under: its rules attribute when set (NULL if that
 * names no profile: callers report it), else DTTO -> dtto-2004, DRR made
 * before 2020-12-01 -> drr-2005, later -> drr-2020. NULL for NULL/absent order. */
const cd_profile *cd_profile_for_order(const cd_order *o);
/* The profile by type and date alone (ignores the rules attribute). */
const cd_profile *cd_profile_default_for_order(const cd_order *o);
/* All profiles, in table order (for listings and docs); count in *n. */
const cd_profile *cd_profiles_all(size_t *n);

/* ---- how current the records are ------------------------------------------ */

/* The date a document's figures run to: the earlier of as_of (the hearing
 * or pack date) and the case's export date when known. */
cd_date cd_case_records_to(const cd_case *c, cd_date as_of);
/* The case as a document dated as_of may use it (a shallow copy in the
 * arena, sharing c's strings): appointments, tests, warnings, decisions,
 * breaches (by initiation) and reviews dated up to cd_case_records_to;
 * imported notes likewise and local notes up to as_of; a breach heard, or
 * an order ended, after that date is not yet heard or ended. */
const cd_case *cd_rules_case_as_of(const cd_case *c, cd_date as_of, cd_arena *a);

/* ---- order arithmetic --------------------------------------------------- */

/* add_months(made, months) - 1 day: the last day of the order as made. */
cd_date cd_order_scheduled_end(const cd_order *o);
/* The ended date when the order has ended, else the scheduled end. */
cd_date cd_order_end(const cd_order *o);
/* Order week of date d: week 1 starts the day the order was made,
 * (d - made) / 7 + 1 (0 or less before the order). */
int     cd_order_week(const cd_order *o, cd_date d);
/* Weeks in the order as made: ceil((scheduled_end - made + 1) / 7). */
int     cd_order_total_weeks(const cd_order *o);
/* Share of the order (as made) served by as_of, 0..1: days from made to
 * min(as_of, end) inclusive over days from made to scheduled end inclusive. */
double  cd_order_share_served(const cd_order *o, cd_date as_of);
/* Where order o stands on date (the caseload listing's "week"): ended when
 * it ended on or before ended_by (date itself, or the first day of the
 * month a listing asks about) or when date is past its end; not started
 * before it was made; otherwise running (in week cd_order_week of
 * cd_order_total_weeks). Never CD_ORDER_STATE_NONE. */
cd_order_state cd_order_state_on(const cd_order *o, cd_date date, cd_date ended_by);

/* ---- review schedule ---------------------------------------------------- */

typedef struct {
    cd_date date;          /* CD_DATE_NONE when none (order ended, none, or past its end) */
    bool fixed_by_court;   /* the `next` date fixed at the latest review (stands as recorded) */
    bool sitting;          /* date is a sitting day (a court-fixed date may not be: flag it) */
    bool paper;            /* review-hearings="none": reviewed on paper */
    bool required;         /* false under drr-2020 for orders of 12 months or less */
} cd_next_review;

/* The next review due on or after as_of. If the latest review held on or
 * before as_of fixed a `next` date on or after as_of, that date stands.
 * Otherwise the proposal: the last hearing (or the order, for the first
 * review) + 1 month in the monthly phase (the first 4 reviews, high and
 * medium intensity; the first review only at low intensity) or + 3 months
 * (after; quarterly hearings throughout), moved forward to the first
 * sitting day on or after it; proposals chain from one to the next while
 * they fall before as_of (hearings not on record). Never after the order's
 * end (then none). docs/rules.md section 3. */
cd_next_review cd_rules_next_review_info(const cd_case *c, cd_date as_of);
cd_date        cd_rules_next_review(const cd_case *c, cd_date as_of);
bool           cd_rules_review_is_paper(const cd_case *c, cd_date as_of);
/* The next review named in the report for the hearing on date: the `next`
 * date the court fixed at that hearing when it is on record; otherwise date
 * + 1 or 3 months (by the number the next review will have), moved to the
 * first sitting day. Same rule as cd_rules_next_review_info. */
cd_next_review cd_rules_review_after(const cd_case *c, cd_date date);
/* The next review (cd_rules_next_review on first) when it falls in
 * [first, last], else CD_DATE_NONE: what `cases --due` and `batch --month`
 * list. */
cd_date        cd_rules_review_due_in(const cd_case *c, cd_date first, cd_date last);
/* Whether a breach pack is due for the case by month_end, as of run_date:
 * the order is running on run_date, the rules (on the records as of
 * run_date) require breach action, and the pack is due on or before
 * month_end (overdue included). Returns run_date when due, else
 * CD_DATE_NONE: what `batch --month --kind breach` plans. */
cd_date        cd_rules_breach_pack_due_by(const cd_case *c, cd_date run_date, cd_date month_end);

typedef struct {
    int number;                       /* 1-based: reviews held before review_date + 1 */
    cd_date start, end;               /* day after the previous review (or made) .. review_date */
    const cd_review *previous_review; /* latest review held before review_date, or NULL */
    cd_date previous_start, previous_end; /* the period before; CD_DATE_NONE if none */
} cd_review_period;

cd_review_period cd_rules_review_period(const cd_case *c, cd_date review_date);

/* ---- contact and testing per order week --------------------------------- */

typedef struct {
    int week;                  /* order week number, 1-based */
    cd_date start, end;        /* end clipped to the order's end */
    bool complete;             /* end <= the records' date (cd_case_records_to): judged */
    bool no_records;           /* ended by as_of but after the export: not judged ("no records yet") */
    bool full;                 /* all 7 days inside the order (partial last weeks are not assessed) */
    cd_phase phase;            /* contact phase: week <= contact_weeks (13) is FIRST */
    cd_phase testing_phase;    /* testing phase: week <= intensive_weeks (13 or 16) is FIRST */
    double hours;              /* planned minutes of attended and late appointments / 60 */
    int contact_days;          /* distinct dates with an attended or late appointment */
    double min_hours, usual_hours;
    int min_days;
    bool contact_met;          /* hours >= min_hours and days >= min_days (true when not assessed) */
    int tests_required;        /* 0 for a partial week */
    int tests_arranged;        /* test records dated in the week */
    int tests_provided;        /* samples provided: tested, dilute, invalid or admitted */
    bool testing_met;          /* provided >= required */
} cd_week_record;

/* Fills the order weeks judged in the period [from, to] -- those whose last
 * day (clipped to the order's end) falls in it, so that each week belongs to
 * exactly one of a run of adjoining periods -- into *out (arena), count in
 * *n. A week is judged only when complete (ended by the records' date).
 * Weeks with no profile figures use p (must not be NULL). Returns the count. */
size_t cd_rules_weeks(const cd_case *c, const cd_profile *p, cd_date from, cd_date to,
                      cd_date as_of, cd_arena *a, cd_week_record **out, size_t *n);

/* Appointments in [from, to] by outcome. Courts read "attended N of M
 * required": kept = attended + late; required = kept + absent-unacceptable
 * (acceptable absences, rescheduled, cancelled by the service and pending are
 * not required appointments). rate = kept / required, -1 when required is 0. */
typedef struct {
    int by_outcome[7];         /* indexed by cd_appt_outcome */
    int kept, required;
    double rate;
    double hours;              /* contact hours kept */
} cd_attendance;

cd_attendance cd_rules_attendance(const cd_case *c, cd_date from, cd_date to);

/* First contacts (reported on the first review): the first attended/late
 * probation appointment, and the first attended/late treatment-provider one
 * (kind treatment, group or prescribing), in working days after the order. */
typedef struct {
    cd_date probation, treatment;      /* CD_DATE_NONE when none yet */
    int probation_wd, treatment_wd;    /* working days after made; -1 when none */
    bool probation_met, treatment_met;
} cd_first_contacts;

cd_first_contacts cd_rules_first_contacts(const cd_case *c, const cd_profile *p);

/* No contact: what leads page 1 when a warrant is out or the person has
 * not been seen for CD_NO_CONTACT_LEAD_DAYS days or more. As of the
 * records' date (cd_case_records_to(c, as_of)): the latest breach initiated
 * by then has outcome warrant; the last attended or late appointment on or
 * after the order; days from it (or, with none, from the order) to that
 * date. */
#define CD_NO_CONTACT_LEAD_DAYS 14
typedef struct {
    bool warrant_outstanding;
    const cd_breach *warrant;          /* the breach with the warrant, or NULL */
    cd_date records_to;                /* the date the figures are taken at */
    cd_date last_contact;              /* CD_DATE_NONE when none since the order */
    int days_without_contact;          /* -1 before the order */
    bool lead;                         /* warrant outstanding or days >= CD_NO_CONTACT_LEAD_DAYS */
} cd_contact_status;

cd_contact_status cd_rules_contact_status(const cd_case *c, cd_date as_of);

/* ---- drug tests ----------------------------------------------------------- */

/* Results for one substance. base = negative + positive (prescribed
 * positives are excluded from the base and never counted as positive);
 * admitted results count as positive. */
typedef struct {
    int base, negative, positive, prescribed, confirmed, admitted;
} cd_substance_counts;

typedef struct {
    int required;      /* sum of tests_required of the complete weeks judged in the period */
    int arranged;      /* all test records in the period */
    int provided;      /* samples given: tested + dilute + invalid + admitted */
    int missed, refused;
    int missed_undecided;  /* missed tests no decision, warning or breach names */
    int dilute, invalid;   /* provided, but no result (each shown apart) */
    int adulterated, substituted;   /* not provided (failures) */
    int admitted;      /* status admitted (written admission in place of a test) */
    cd_substance_counts sub[CD_NSUBSTANCES];
} cd_test_summary;

/* Test figures for [from, to]; p and as_of are needed for `required`. */
cd_test_summary cd_rules_tests(const cd_case *c, const cd_profile *p,
                               cd_date from, cd_date to, cd_date as_of);

/* Whole-number percentage num/base rounded half up; -1 when base is 0. */
int cd_rules_percent(int num, int base);
/* "3 of 8 (38%)" or "no tests" when base is 0; returns buf. */
const char *cd_rules_format_share(int num, int base, char *buf, size_t n);

/* Days from the last illicit positive result (positive, not prescribed, not
 * alcohol) on or before as_of to as_of; -1 when there is none. */
int cd_rules_days_since_positive(const cd_case *c, cd_date as_of);

/* Month k of the order = [add_months(made, k-1), add_months(made, k) - 1]. */
typedef struct {
    int month;
    cd_date start, end;        /* end clipped to the order's end */
    cd_substance_counts sub[CD_NSUBSTANCES];
} cd_month_tests;

/* The order's months that start on or before min(as_of, order end). */
size_t cd_rules_monthly_tests(const cd_case *c, cd_date as_of, cd_arena *a,
                              cd_month_tests **out, size_t *n);

typedef enum { CD_TREND_NO_BASIS, CD_TREND_IMPROVING, CD_TREND_STEADY, CD_TREND_WORSE } cd_trend;

/* Direction of travel: % negative this period against the previous one,
 * exactly (not rounded): improving when up by >= 10 points, worse when down
 * by >= 10, steady otherwise; no basis when either base is 0. */
cd_trend cd_rules_trend(const cd_substance_counts *previous, const cd_substance_counts *current);
const char *cd_rules_trend_word(cd_trend t);   /* "improving", "steady", "worse", "no basis" */
/* One plain-English sentence on opiates and cocaine, e.g. "Opiates negative
 * rose from 1 of 8 (13%) to 3 of 8 (38%); cocaine negative fell from 5 of 8
 * (63%) to 2 of 7 (29%)." Returns buf. */
const char *cd_rules_trend_sentence(const cd_test_summary *previous, const cd_test_summary *current,
                                    char *buf, size_t n);

/* ---- unacceptable failures and enforcement -------------------------------- */

typedef enum {
    CD_FAILURE_ABSENCE,    /* absent-unacceptable appointments of one day (and missed tests of
                              that day a warning or breach names): ONE failure */
    CD_FAILURE_REFUSAL,    /* each refused test */
    CD_FAILURE_TAMPERING,  /* each adulterated or substituted sample */
    CD_FAILURE_DECISION,   /* a failure decision by the officer (persistent positives, missed tests) */
    CD_FAILURE_MISSED_TEST /* missed tests of one day with no absence that day, named by a warning
                              or breach: ONE failure */
} cd_failure_kind;

/* True when a missed test (status missed) has been judged a failure: a
 * failure decision, a warning or a breach names it. A missed test is not by
 * itself an unacceptable failure; undecided ones are listed and the author
 * asked for a decision. False for any other status. */
bool cd_rules_missed_test_decided(const cd_case *c, const cd_drug_test *t);

const char *cd_failure_kind_name(cd_failure_kind k);   /* "absence", "refusal", "tampering", "decision" */
const char *cd_failure_kind_label(cd_failure_kind k);  /* "failed to attend", "refused a sample"... */

typedef struct {
    cd_date date;
    cd_failure_kind kind;
    const cd_appointment **appointments; size_t nappointments;
    const cd_drug_test **tests; size_t ntests;
    const cd_failure_decision *decision;            /* DECISION only */
    const cd_warning **warnings; size_t nwarnings;  /* warnings naming any of its records */
    const cd_breach **breaches; size_t nbreaches;   /* breaches naming any of its records */
    bool in_window;                                  /* as of the date given to cd_failures_mark_window */
    cd_date drops_out;                               /* date + window + 1 */
} cd_failure;

/* All unacceptable failures of the case sorted by date (then kind, then
 * record), into the arena. in_window is false and drops_out uses 365 days
 * until cd_failures_mark_window is called. Returns the count. */
size_t cd_failures_list(const cd_case *c, cd_arena *a, cd_failure **out, size_t *n);
/* True when 0 <= as_of - date <= window_days. */
bool   cd_rules_in_window(cd_date date, cd_date as_of, int window_days);
/* Sets in_window and drops_out of each failure for as_of under profile p. */
void   cd_failures_mark_window(cd_failure *f, size_t n, const cd_profile *p, cd_date as_of);
/* The first record id under a failure (for chronologies and messages). */
const char *cd_failure_first_id(const cd_failure *f);

typedef struct {
    const cd_profile *profile;
    cd_date as_of;
    cd_failure *failures; size_t nfailures;  /* all failures dated on or before as_of */
    int in_window;                           /* failures inside the window as of as_of */
    cd_date oldest_drops_out;                /* when the oldest in-window failure drops out; NONE if none */
    int warnings_in_window;
    int unanswered;                          /* failures no warning and no breach names */
    cd_date enforcement_due;                 /* oldest unanswered failure + enforcement working days; NONE if not set */
    const cd_breach *open_breach;            /* latest breach pending or with warrant out; NULL if none */
    cd_date spent_before;                    /* failures/warnings on or before this date are spent; NONE if none */
    bool breach_required;
    const cd_failure *trigger;               /* the failure that requires breach action, or NULL */
    const cd_warning *trigger_warning;       /* FAILURE_AFTER_WARNING: the warning it follows */
    cd_date pack_due;                        /* trigger date + breach pack working days; NONE if no trigger */
    const char *statement;                   /* plain statement when breach is required, else NULL */
} cd_enforcement;

/* Enforcement position as of as_of under profile p (see docs/rules.md). */
cd_enforcement cd_rules_enforcement(const cd_case *c, const cd_profile *p, cd_date as_of, cd_arena *a);

/* How a failure stands as of the enforcement's date, for chronologies:
 * SPENT (on or before the initiation of a breach since heard), IN_BREACH
 * (named by a breach), WARNED (named by a warning), else UNANSWERED. */
typedef enum { CD_FSTATUS_UNANSWERED, CD_FSTATUS_WARNED, CD_FSTATUS_IN_BREACH,
               CD_FSTATUS_SPENT } cd_failure_status;
cd_failure_status cd_rules_failure_status(const cd_enforcement *e, const cd_failure *f);
const char *cd_failure_status_label(cd_failure_status s); /* "no action recorded", "warned"... */

/* drr-2020 warning content, by keyword matching (docs/rules.md). */
typedef struct {
    bool circumstances;   /* names a failure's date or kind */
    bool unacceptable;    /* says the failure is unacceptable */
    bool court_warning;   /* says another within 12 months means court */
} cd_warning_check;

cd_warning_check cd_rules_warning_check(const cd_case *c, const cd_warning *w);

/* ---- breach figures (Sentencing Council breach guideline) ------------------ */

typedef enum { CD_BAND_WILFUL_PERSISTENT, CD_BAND_LOW, CD_BAND_MEDIUM, CD_BAND_HIGH } cd_compliance_band;
const char *cd_compliance_band_label(cd_compliance_band b); /* "wilful and persistent non-compliance"... */

typedef struct {
    double share_served;        /* 0..1 as of as_of */
    cd_attendance attendance;   /* whole order to as_of */
    int tests_required, tests_provided;
    double testing_rate;        /* provided / required capped at 1; -1 when none required */
    int days_to_trigger;        /* trigger date - made; -1 when no trigger */
    int failures_in_window;
    cd_compliance_band band;
} cd_breach_figures;

cd_breach_figures cd_rules_breach_figures(const cd_case *c, const cd_profile *p,
                                          const cd_enforcement *e, cd_date as_of);

/* ---- summary helpers -------------------------------------------------------- */

/* Completed or ended for good progress, and no breach warrant outstanding at
 * the end (a warrant breach initiated on or before the end date). */
bool cd_order_completed(const cd_case *c);
/* "18-20", "21-25", "26-35", "36-50", "51+", "under 18", or "not recorded". */
const char *cd_age_band(const cd_person *p, cd_date on);
/* The age band at the order date, as the order type allows: a DTTO could
 * be made from age 16 (Powers of Criminal Courts (Sentencing) Act 2000
 * s.52), a DRR only on an adult (Criminal Justice Act 2003 s.177, Sentencing
 * Act 2020): "16-17" for a DTTO at 16 or 17, CD_AGE_IN_DOUBT for an age the
 * order type cannot have (a date of birth to check), else cd_age_band's. */
#define CD_AGE_IN_DOUBT "date of birth in doubt"
const char *cd_age_band_for_order(const cd_person *p, const cd_order *o);

/* ---- added for the data document (src/rules_extra.c) ------------------------ */

/* Opiates and cocaine results of t pooled (the breach guideline's negative
 * rate; the caseload summary pools the same two substances). */
cd_substance_counts cd_rules_main_negative(const cd_test_summary *t);



/* ---- the breach pack: warnings read against their failures (src/rules_breach.c) ---- */

/* The dates prose gives ("2026-10-05", "05/10/2026", "5 October 2026",
 * "5th Oct"; a date with no year is the latest such date on or before
 * near), at most max of them, in order. Returns the count. */
size_t cd_text_dates(const char *text, cd_date near, cd_date *out, size_t max);

/* What a failure rests on, or what a letter's words describe. */
enum { CD_WSORT_APPOINTMENT = 1, CD_WSORT_MISSED_TEST = 2, CD_WSORT_SAMPLE = 4, CD_WSORT_DECISION = 8 };
typedef enum { CD_WMATCH_OK, CD_WMATCH_NO_FAILURE, CD_WMATCH_OTHER_DATE, CD_WMATCH_OTHER_KIND } cd_wmatch_problem;

typedef struct {
    bool matches;               /* false: the letter describes a different failure (problem says how) */
    cd_wmatch_problem problem;
    bool gives_date;            /* the letter gives the date of a failure it answers */
    cd_date other_date;         /* a date before the letter that is not its failure's; NONE if none */
    unsigned sorts;             /* CD_WSORT_* of the failures it answers */
    unsigned described;         /* CD_WSORT_APPOINTMENT and/or CD_WSORT_SAMPLE: what its words describe */
} cd_warning_match;

/* Reads warning w against the failures it answers (answers[0..nanswers),
 * all of the case's failures in all[0..nall)): it describes a different
 * failure when it gives an earlier date that is not theirs and none that
 * is, or when its words describe only an appointment for a failure resting
 * only on tests (a missed test is never a failure to attend), or only a
 * test for a failure resting only on appointments. */
cd_warning_match cd_rules_warning_match(const cd_warning *w, const cd_failure *const *answers,
                                        size_t nanswers, const cd_failure *all, size_t nall);

#endif
