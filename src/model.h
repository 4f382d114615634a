/* model.h -- the case model: plain C structs for a case and its events, and
 * calendar dates. Knows nothing of SQLite, libxml2 or PDF. A loaded case and
 * every string in it belong to one arena (cd_case.arena).
 *
 * Enumerations are stored and exchanged as the words of the case-record
 * format ("absent-unacceptable"); cd_enum_parse / cd_enum_name convert,
 * using the one table per enumeration defined in model.c.
 */
#ifndef CD_MODEL_H
#define CD_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

/* ---- dates ------------------------------------------------------------ */

/* A calendar date as days since 1970-01-01 (proleptic Gregorian). Dates are
 * local dates of the order's court (Europe/London); no time zone arithmetic
 * is needed for whole days. */
typedef int32_t cd_date;
#define CD_DATE_NONE INT32_MIN

cd_date cd_date_from_ymd(int y, int m, int d);          /* no validation */
void    cd_date_to_ymd(cd_date d, int *y, int *m, int *day);
bool    cd_date_valid_ymd(int y, int m, int d);          /* 2026-02-30 -> false */
/* Parses exactly "YYYY-MM-DD" naming a real date; false otherwise. */
bool    cd_date_parse(const char *s, cd_date *out);
/* Parses exactly "YYYY-MM" naming a real month into its first and last
 * days; false otherwise (first and last untouched). */
bool    cd_month_parse(const char *s, cd_date *first, cd_date *last);
/* Writes "YYYY-MM-DD" (11 bytes with NUL) or "" for CD_DATE_NONE. */
void    cd_date_format_iso(cd_date d, char out[11]);
/* Writes "3 June 2026" (long) into out (at least 24 bytes). */
void    cd_date_format_long(cd_date d, char *out, size_t n);
int     cd_date_weekday(cd_date d);                      /* 0 = Monday .. 6 = Sunday */
int     cd_days_in_month(int y, int m);
/* Adds calendar months, clamping to the month's last day (31 Jan + 1 = 28/29 Feb). */
cd_date cd_date_add_months(cd_date d, int months);
/* Working days (sitting days, bank holidays included) are in calendar.h. */
cd_date cd_date_today(void);   /* local date; honours CD_TODAY=YYYY-MM-DD for tests */

/* Time of day as minutes since midnight; CD_TIME_NONE when not recorded. */
#define CD_TIME_NONE (-1)
bool cd_time_parse(const char *s, int *minutes);          /* "HH:MM" 24 h */

/* ---- enumerations (values are the format's words, in table order) ------ */

typedef enum { CD_SEX_UNKNOWN, CD_SEX_FEMALE, CD_SEX_MALE, CD_SEX_OTHER } cd_sex;
typedef enum { CD_ACCOM_NOT_RECORDED, CD_ACCOM_SETTLED, CD_ACCOM_TEMPORARY,
               CD_ACCOM_HOMELESS, CD_ACCOM_UNKNOWN } cd_accommodation;
typedef enum { CD_ORDER_DTTO, CD_ORDER_DRR } cd_order_type;
typedef enum { CD_INTENSITY_LOW, CD_INTENSITY_MEDIUM, CD_INTENSITY_HIGH } cd_intensity;
typedef enum { CD_HEARINGS_MONTHLY, CD_HEARINGS_QUARTERLY, CD_HEARINGS_NONE } cd_review_hearings;
typedef enum { CD_END_NONE, CD_END_COMPLETED, CD_END_GOOD_PROGRESS,
               CD_END_REVOKED_NON_COMPLIANCE, CD_END_REVOKED_CONVICTION,
               CD_END_TRANSFERRED, CD_END_OTHER } cd_end_reason;
typedef enum { CD_APPT_PROBATION, CD_APPT_TREATMENT, CD_APPT_GROUP, CD_APPT_TESTING,
               CD_APPT_PROGRAMME, CD_APPT_PRESCRIBING, CD_APPT_OTHER } cd_appt_kind;
typedef enum { CD_OUT_ATTENDED, CD_OUT_LATE, CD_OUT_ABSENT_ACCEPTABLE,
               CD_OUT_ABSENT_UNACCEPTABLE, CD_OUT_RESCHEDULED,
               CD_OUT_CANCELLED_BY_SERVICE, CD_OUT_PENDING } cd_appt_outcome;
typedef enum { CD_METHOD_URINE, CD_METHOD_ORAL_FLUID, CD_METHOD_BREATH, CD_METHOD_HAIR } cd_test_method;
typedef enum { CD_TEST_TESTED, CD_TEST_REFUSED, CD_TEST_MISSED, CD_TEST_DILUTE,
               CD_TEST_INVALID, CD_TEST_ADULTERATED, CD_TEST_SUBSTITUTED,
               CD_TEST_ADMITTED } cd_test_status;
typedef enum { CD_SUB_OPIATES, CD_SUB_COCAINE, CD_SUB_METHADONE, CD_SUB_BUPRENORPHINE,
               CD_SUB_BENZODIAZEPINES, CD_SUB_AMPHETAMINES, CD_SUB_CANNABIS,
               CD_SUB_ALCOHOL, CD_SUB_OTHER } cd_substance;
#define CD_NSUBSTANCES 9
typedef enum { CD_RESULT_NEGATIVE, CD_RESULT_POSITIVE } cd_result_outcome;
typedef enum { CD_CONFIRM_NONE, CD_CONFIRM_LABORATORY, CD_CONFIRM_ADMITTED } cd_confirmation;
typedef enum { CD_BREACH_PENDING, CD_BREACH_CONTINUED, CD_BREACH_AMENDED,
               CD_BREACH_REVOKED, CD_BREACH_WARRANT, CD_BREACH_WITHDRAWN } cd_breach_outcome;
typedef enum { CD_REVIEW_HEARING, CD_REVIEW_PAPER } cd_review_kind;
typedef enum { CD_REVIEW_CONTINUE, CD_REVIEW_AMEND, CD_REVIEW_REVOKE,
               CD_REVIEW_ADJOURNED } cd_review_outcome;
typedef enum { CD_NOTE_SUPERVISOR_ASSESSMENT, CD_NOTE_RECOMMENDATION, CD_NOTE_PROVIDER_VIEW,
               CD_NOTE_PROGRESS, CD_NOTE_CONTACT_ATTEMPT, CD_NOTE_BREACH_STATEMENT } cd_note_kind;
typedef enum { CD_ROUTE_SMOKED, CD_ROUTE_INJECTED, CD_ROUTE_SNORTED, CD_ROUTE_ORAL,
               CD_ROUTE_OTHER } cd_route;
typedef enum { CD_FREQ_DAILY, CD_FREQ_MOST_DAYS, CD_FREQ_WEEKLY, CD_FREQ_OCCASIONAL,
               CD_FREQ_NONE_RECENT } cd_frequency;
typedef enum { CD_STAGE_PRE_CONTEMPLATION, CD_STAGE_CONTEMPLATION, CD_STAGE_PREPARATION,
               CD_STAGE_ACTION, CD_STAGE_MAINTENANCE } cd_stage;
typedef enum { CD_PREV_COMPLETED, CD_PREV_GOOD_PROGRESS, CD_PREV_REVOKED_NON_COMPLIANCE,
               CD_PREV_REVOKED_CONVICTION, CD_PREV_TRANSFERRED, CD_PREV_OTHER } cd_prev_outcome;

/* One table per enumeration: NULL-terminated list of words, index = value. */
typedef enum {
    CD_ENUM_SEX, CD_ENUM_ACCOMMODATION, CD_ENUM_ORDER_TYPE, CD_ENUM_INTENSITY,
    CD_ENUM_REVIEW_HEARINGS, CD_ENUM_END_REASON, CD_ENUM_APPT_KIND, CD_ENUM_APPT_OUTCOME,
    CD_ENUM_TEST_METHOD, CD_ENUM_TEST_STATUS, CD_ENUM_SUBSTANCE, CD_ENUM_RESULT_OUTCOME,
    CD_ENUM_CONFIRMATION, CD_ENUM_BREACH_OUTCOME, CD_ENUM_REVIEW_KIND,
    CD_ENUM_REVIEW_OUTCOME, CD_ENUM_NOTE_KIND, CD_ENUM_ROUTE, CD_ENUM_FREQUENCY,
    CD_ENUM_STAGE, CD_ENUM_PREV_OUTCOME, CD_ENUM_COUNT
} cd_enum;

/* Returns the value for word in enumeration e, or -1 if it is not one. */
int         cd_enum_parse(cd_enum e, const char *word);
/* Returns the word for value v ("" if out of range). */
const char *cd_enum_name(cd_enum e, int v);
/* Human wording for reports ("absent (unacceptable)", "oral fluid"...). */
const char *cd_enum_label(cd_enum e, int v);

/* ---- the case ----------------------------------------------------------- */

/* Lists of ids (a warning's failures, a decision's tests): arena strings. */
typedef struct { const char **ids; size_t n; } cd_id_list;

typedef struct {
    const char *id, *given_name, *family_name;    /* names may be NULL */
    cd_date date_of_birth;                         /* CD_DATE_NONE if absent */
    cd_sex sex;
    const char *ethnicity;                         /* NULL when not recorded */
    cd_accommodation accommodation;
    const char *accommodation_text;                /* NULL when absent */
} cd_person;

typedef struct {
    bool present;                                  /* false: no order yet (PSR stage) */
    const char *id;
    cd_order_type type;
    cd_intensity intensity;
    cd_date made;
    int months;
    const char *court, *sentencer;
    cd_review_hearings review_hearings;
    const char *rules;                             /* profile name, NULL = by type and date */
    const char **offences; size_t noffences;
    const char **requirements; size_t nrequirements;
    cd_date ended;                                 /* CD_DATE_NONE when still running */
    cd_end_reason end_reason;                      /* CD_END_NONE when running */
} cd_order;

typedef struct {
    const char *role, *name, *phone, *organisation;  /* any may be NULL but role, name */
} cd_staff;

typedef struct {
    const char *id;
    cd_date date;
    int time;                                      /* minutes since midnight or CD_TIME_NONE */
    int minutes;                                   /* planned length, 1..720 */
    cd_appt_kind kind;
    const char *with;                              /* may be NULL */
    cd_appt_outcome outcome;
    const char *reason;                            /* may be NULL */
} cd_appointment;

typedef struct {
    cd_substance substance;
    const char *name;                              /* for CD_SUB_OTHER; else NULL */
    cd_result_outcome outcome;
    cd_confirmation confirmation;
    bool prescribed;
} cd_test_result;

typedef struct {
    const char *id;
    cd_date date;
    cd_test_method method;
    cd_test_status status;
    cd_test_result *results; size_t nresults;
} cd_drug_test;

typedef struct { const char *id; cd_date date; cd_id_list failures; const char *text; } cd_warning;
typedef struct { const char *id; cd_date date; cd_id_list tests; const char *text; } cd_failure_decision;
typedef struct {
    const char *id;
    cd_date initiated, heard;                      /* heard may be CD_DATE_NONE */
    cd_id_list failures;
    cd_breach_outcome outcome;
} cd_breach;

typedef struct {
    const char *id;                                /* extension: optional in the format */
    cd_date date;
    cd_review_kind kind;
    const char *court, *sentencer;
    cd_review_outcome outcome;
    cd_date next;                                  /* CD_DATE_NONE if not set */
    const char *comments, *directions;             /* may be NULL */
} cd_review;

typedef struct {
    const char *id;                                /* extension: optional in the format */
    cd_date date;
    const char *author;                            /* may be NULL */
    cd_note_kind kind;
    const char *text;
    bool local;                                    /* written with `courtdocs note` */
} cd_note;

typedef struct {
    const char *substance;                         /* free word: heroin, crack... */
    bool primary;
    int route;                                     /* cd_route or -1 */
    int frequency;                                 /* cd_frequency or -1 */
    int first_age;                                 /* -1 when absent */
    int spend_per_week;                            /* pounds, -1 when absent */
} cd_drug_use;

typedef struct { cd_date from, to; const char *provider, *kind, *outcome; } cd_treatment_episode;
typedef struct { cd_order_type type; cd_date made; int outcome; /* cd_prev_outcome or -1 */ } cd_previous_order;

typedef struct {
    bool present;
    cd_date date;
    const char *author;
    cd_drug_use *drug_uses; size_t ndrug_uses;
    bool has_alcohol; int alcohol_units_per_week, audit_score;   /* -1 when absent */
    bool has_oasys; int oasys_drugs, oasys_alcohol;              /* -1 when absent */
    const char *offending_link, *dependency;
    int motivation_stage;                          /* cd_stage or -1 */
    const char *motivation;
    cd_treatment_episode *episodes; size_t nepisodes;
    cd_previous_order *previous_orders; size_t nprevious_orders;
    const char *health_mental, *health_physical;
    int consent_given;                             /* 1 yes, 0 no, -1 not recorded */
    cd_date consent_date;
    bool has_proposal;
    cd_order_type proposal_type;
    int proposal_intensity;                        /* cd_intensity or -1 */
    int proposal_months;                           /* -1 when absent */
    int proposal_reviews;                          /* cd_review_hearings or -1 */
    const char *proposal_provider, *proposal_text;
} cd_assessment;

/* A whole case as loaded from the store. Arrays are sorted by date (then
 * time, then id) by the store, so rules can walk them in order. */
typedef struct cd_case {
    cd_arena *arena;                               /* owns everything below */
    const char *ref, *area, *team;
    bool has_exported;                             /* the export date of its records is known */
    cd_date exported;                              /* that date: records run to it (if has_exported) */
    cd_person person;
    cd_order order;
    cd_staff *staff; size_t nstaff;
    cd_appointment *appointments; size_t nappointments;
    cd_drug_test *tests; size_t ntests;
    cd_warning *warnings; size_t nwarnings;
    cd_failure_decision *decisions; size_t ndecisions;
    cd_breach *breaches; size_t nbreaches;
    cd_review *reviews; size_t nreviews;
    cd_note *notes; size_t nnotes;
    cd_assessment assessment;
} cd_case;

/* Frees a case and everything in it (NULL is fine). */
void cd_case_free(cd_case *c);

/* Finds the staff member with role (e.g. "offender-manager"), or NULL. */
const cd_staff *cd_case_staff(const cd_case *c, const char *role);

/* Full name "Given Family" into the case arena ("name not recorded" if none). */
const char *cd_person_full_name(const cd_case *c);

/* Age in whole years on date, or -1 when the date of birth is not recorded. */
int cd_person_age(const cd_person *p, cd_date on);

#endif
