/* calendar.h -- the court calendar of England and Wales: which days a court
 * sits (Monday to Friday, except bank holidays) and working-day counts on
 * that calendar. Bank holidays are computed from their rules (Easter by the
 * Gregorian computus, substitute weekdays for a holiday on a weekend) with a
 * table of the one-off days proclaimed since 1999 and the regular holidays
 * they moved. Every "working day" the rules count (first contacts,
 * enforcement action due, breach pack due) and every hearing date the
 * software proposes comes from here. Pure: no I/O. docs/rules.md section 11.
 */
#ifndef CD_CALENDAR_H
#define CD_CALENDAR_H
#include <stdbool.h>
#include "model.h"

/* Easter Sunday of year y (Gregorian calendar, any y >= 1583). */
cd_date cd_cal_easter(int y);

/* The name of the England and Wales bank holiday on d ("Good Friday",
 * "Boxing Day (substitute day)", "Platinum Jubilee" ...), or NULL when d
 * is not one. Weekends are not bank holidays here: a holiday falling on a
 * weekend is kept on a substitute weekday. */
const char *cd_cal_bank_holiday(cd_date d);

/* True when d is Monday to Friday and not a bank holiday. */
bool cd_cal_is_sitting_day(cd_date d);

/* The first sitting day on or after d. */
cd_date cd_cal_sitting_on_or_after(cd_date d);

/* The n-th sitting day after d (n >= 0; n = 0 gives d itself). */
cd_date cd_cal_add_working_days(cd_date d, int n);

/* Working days from a to b: the count of sitting days in (a, b]
 * (0 when b <= a). */
int cd_cal_working_days_between(cd_date a, cd_date b);

#endif
