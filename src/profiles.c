/* profiles.c -- the rule profiles as data: one row per set of rules an order
 * can run under (dtto-2004, drr-2005, drr-2020). Code paths never test a
 * profile's name; they read these figures. An area with a stricter local
 * policy adds a row. docs/rules.md lists every value and where it comes from.
 *
 * Contact figures are {min_hours, usual_hours, min_days, usual_days}, indexed
 * [intensity][phase] with intensity low, medium, high and phase "first
 * intensive_weeks weeks", "after". DTTOs have two levels (high and lower):
 * the DTTO "lower intensity" figures serve for both low and medium. DRR
 * medium figures are the project's reading (DOMAIN.md gives none). */
#include "rules.h"
#include <string.h>

#define BAND_DEFAULT { .high_attendance = 0.75, .high_served = 0.50, \
                       .medium_attendance = 0.50, .low_attendance = 0.25, \
                       .wilful_failures = 3, .wilful_attendance = 0.50 }

/* DTTO standard contact: high 20 h on 5 days (never under 15 h) for the
 * first weeks, then 12 h on 3 days (never under 9 h); lower intensity at
 * least 12 h on at least 2 days, then at least 5 h. */
#define CONTACT_DTTO { \
    /* low    */ { {12, 0, 2, 0}, {5, 0, 0, 0} }, \
    /* medium */ { {12, 0, 2, 0}, {5, 0, 0, 0} }, \
    /* high   */ { {15, 20, 0, 5}, {9, 12, 0, 3} } }

/* DRR contact: high = DTTO high, low = DTTO lower intensity, medium = at
 * least 8 h on 2 days, then at least 5 h (project's reading). */
#define CONTACT_DRR { \
    /* low    */ { {12, 0, 2, 0}, {5, 0, 0, 0} }, \
    /* medium */ { {8, 0, 2, 0}, {5, 0, 0, 0} }, \
    /* high   */ { {15, 20, 0, 5}, {9, 12, 0, 3} } }

/* Figures every profile shares: the 12-month window (365 days), 10 working
 * days to prepare a breach pack, 7 days to answer a warning, the proposed
 * review pattern (monthly to month 4, then every 3 months; lower intensity
 * at month 1 then every 3 months), first contacts within 1 working day
 * (probation) and 2 (treatment provider), and the compliance bands. */
#define COMMON \
    .contact_weeks = 13, .window_days = 365, .breach_pack_working_days = 10, .warning_reply_days = 7, \
    .review_monthly_months = 4, .review_interval_months = 3, .review_low_first_months = 1, \
    .first_contact_probation_wd = 1, .first_contact_treatment_wd = 2, \
    .band = BAND_DEFAULT

static const cd_profile profiles[] = {
    {
        .name = "dtto-2004", .title = "DTTO National Standard 2004",
        .authority = "The National Standard",
        .intensive_weeks = 13,
        .contact = CONTACT_DTTO,
        .tests_per_week = { {2, 1}, {2, 1}, {2, 1} },
        .breach_rule = CD_BREACH_RULE_SECOND_FAILURE_IN_WINDOW,
        .enforcement_working_days = 0,
        .review_min_interval_months = 0, .review_required_over_months = 0,
        .breach_statute = "Powers of Criminal Courts (Sentencing) Act 2000, Schedule 3",
        .requirement_contact = "the requirement to keep in touch with the responsible officer",
        .requirement_treatment = "the treatment requirement of the order",
        .requirement_testing = "the testing requirement of the order",
        COMMON,
    },
    {
        .name = "drr-2005", .title = "DRR National Standards 2005 (Criminal Justice Act 2003)",
        .authority = "The National Standard",
        .intensive_weeks = 16,
        .contact = CONTACT_DRR,
        .tests_per_week = { {1, 1}, {2, 1}, {2, 1} },
        .breach_rule = CD_BREACH_RULE_SECOND_FAILURE_IN_WINDOW,
        .enforcement_working_days = 10,
        .review_min_interval_months = 0, .review_required_over_months = 0,
        .breach_statute = "Criminal Justice Act 2003, Schedule 8",
        .requirement_contact = "the requirement to keep in touch with the responsible officer",
        .requirement_treatment = "the drug rehabilitation requirement (treatment)",
        .requirement_testing = "the drug rehabilitation requirement (testing)",
        COMMON,
    },
    {
        .name = "drr-2020", .title = "DRR under the Sentencing Act 2020",
        .authority = "The Sentencing Act 2020",
        .intensive_weeks = 16,
        .contact = CONTACT_DRR,
        .tests_per_week = { {1, 1}, {2, 1}, {2, 1} },
        .breach_rule = CD_BREACH_RULE_FAILURE_AFTER_WARNING,
        .enforcement_working_days = 10,
        .review_min_interval_months = 1, .review_required_over_months = 12,
        .review_needs_provider_and_tests = true,
        .breach_statute = "Sentencing Act 2020, Schedule 10",
        .requirement_contact = "the requirement to keep in touch with the responsible officer",
        .requirement_treatment = "the drug rehabilitation requirement (treatment)",
        .requirement_testing = "the drug rehabilitation requirement (testing)",
        COMMON,
    },
};

#define NPROFILES (sizeof profiles / sizeof profiles[0])

const cd_profile *cd_profiles_all(size_t *n)
{
    if (n)
        *n = NPROFILES;
    return profiles;
}

const cd_profile *cd_profile_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NPROFILES; i++)
        if (strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    return NULL;
}

/* DRRs made on or after this date run under the Sentencing Act 2020
 * (the Act's commencement, 1 December 2020). */
static cd_date sentencing_act_2020(void)
{
    return cd_date_from_ymd(2020, 12, 1);
}

const cd_profile *cd_profile_default_for_order(const cd_order *o)
{
    if (!o || !o->present)
        return NULL;
    if (o->type == CD_ORDER_DTTO)
        return cd_profile_find("dtto-2004");
    return cd_profile_find(o->made < sentencing_act_2020() ? "drr-2005" : "drr-2020");
}

const cd_profile *cd_profile_for_order(const cd_order *o)
{
    if (!o || !o->present)
        return NULL;
    if (o->rules && o->rules[0])
        return cd_profile_find(o->rules);
    return cd_profile_default_for_order(o);
}
